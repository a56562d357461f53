#include "sdp/negotiated.h"

#include "sdp/text.h"

namespace kolokol::sdp {

void assign_codecs(NegotiatedMedia& n, std::vector<NegotiatedCodec> codecs) {
  std::vector<NegotiatedCodec> events;
  for (NegotiatedCodec& c : codecs) {
    if (text::iequals(c.encoding_name, "telephone-event")) {
      events.push_back(std::move(c));
    } else {
      n.codecs.push_back(std::move(c));
    }
  }
  for (NegotiatedCodec& e : events) {
    if (!n.codecs.empty() && e.clock_rate == n.codecs.front().clock_rate) {
      n.telephone_event = std::move(e);
      return;
    }
  }
  if (!events.empty()) n.telephone_event = std::move(events.front());
}

}  // namespace kolokol::sdp
