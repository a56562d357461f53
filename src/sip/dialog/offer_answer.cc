#include "sip/dialog/offer_answer.h"

namespace kolokol::sip {

bool OfferAnswer::send_offer(std::string body) {
  if (state_ != State::Idle) return false;
  pending_ = std::move(body);
  state_ = State::LocalOffer;
  return true;
}

bool OfferAnswer::receive_offer(std::string body) {
  if (state_ != State::Idle) return false;
  pending_ = std::move(body);
  state_ = State::RemoteOffer;
  return true;
}

bool OfferAnswer::send_answer(std::string body) {
  if (state_ != State::RemoteOffer) return false;
  remote_ = std::move(pending_);
  local_ = std::move(body);
  pending_.clear();
  state_ = State::Idle;
  negotiated_ = true;
  return true;
}

bool OfferAnswer::receive_answer(std::string body) {
  if (state_ != State::LocalOffer) return false;
  local_ = std::move(pending_);
  remote_ = std::move(body);
  pending_.clear();
  state_ = State::Idle;
  negotiated_ = true;
  return true;
}

bool is_sdp_content_type(std::string_view content_type) {
  return content_type == "application/sdp";
}

}  // namespace kolokol::sip
