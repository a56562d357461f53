#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace kolokol::sip {

// The offer/answer state of one session (RFC 3264 as used by SIP, RFC 6337). Bodies are opaque
// here: the application builds offers and answers (with src/sdp or otherwise); this class only
// enforces who may offer or answer next.
class OfferAnswer {
 public:
  enum class State : std::uint8_t {
    Idle,         // no exchange in progress (before the first offer, or after an answer)
    LocalOffer,   // we offered, waiting for the answer
    RemoteOffer,  // they offered, we owe the answer
  };

  State state() const { return state_; }
  bool idle() const { return state_ == State::Idle; }
  bool negotiated() const { return negotiated_; }  // at least one exchange completed
  const std::string& local_sdp() const { return local_; }
  const std::string& remote_sdp() const { return remote_; }
  const std::string& pending_offer() const { return pending_; }

  // Each returns false (changing nothing) when the step is out of order.
  bool send_offer(std::string body);
  bool receive_offer(std::string body);
  bool send_answer(std::string body);
  bool receive_answer(std::string body);
  // An offer that was rejected (488, 491, timeout): back to the previous agreed state.
  void rollback() {
    state_ = State::Idle;
    pending_.clear();
  }

 private:
  State state_ = State::Idle;
  bool negotiated_ = false;
  std::string local_;    // last agreed (or first offered) local description
  std::string remote_;   // last agreed remote description
  std::string pending_;  // the offer in flight
};

// True when a message body should be treated as a session description.
bool is_sdp_content_type(std::string_view content_type);

}  // namespace kolokol::sip
