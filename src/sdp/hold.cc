#include "sdp/hold.h"

#include "sdp/offer.h"

namespace kolokol::sdp {

namespace {

template <typename Change>
SessionDescription change_directions(const SessionDescription& previous,
                                     std::optional<std::size_t> index, Change change) {
  SessionDescription next = previous;
  for (std::size_t i = 0; i < next.media.size(); ++i) {
    MediaDescription& m = next.media[i];
    if ((index && *index != i) || m.rejected()) continue;
    const Direction before = direction_of(next, m);
    const Direction after = change(before);
    if (after == before) continue;
    // A stream that spelt its direction out keeps doing so: some peers only resume on an
    // explicit a=sendrecv.
    const bool spelt_out = direction_attribute(m.attributes).has_value();
    set_direction(next, m, after, spelt_out);
  }
  return follow_version(previous, std::move(next));
}

}  // namespace

SessionDescription hold(const SessionDescription& previous, std::optional<std::size_t> index) {
  return change_directions(previous, index,
                           [](Direction d) { return make_direction(sends(d), false); });
}

SessionDescription unhold(const SessionDescription& previous, std::optional<std::size_t> index) {
  return change_directions(previous, index,
                           [](Direction d) { return make_direction(sends(d), true); });
}

SessionDescription with_direction(const SessionDescription& previous, std::size_t index,
                                  Direction direction) {
  return change_directions(previous, index, [direction](Direction) { return direction; });
}

bool is_hold(const SessionDescription& remote, std::size_t index) {
  if (index >= remote.media.size() || remote.media[index].rejected()) return false;
  return !receives(effective_direction(remote, remote.media[index]));
}

}  // namespace kolokol::sdp
