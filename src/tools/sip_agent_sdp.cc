#include "sip_agent_sdp.h"

#include <chrono>

#include "sdp/sdp.h"

namespace kolokol::tools {

AgentSdp::AgentSdp(std::string address) : address_(std::move(address)) {
  if (address_.size() > 2 && address_.front() == '[')
    address_ = address_.substr(1, address_.size() - 2);
}

sdp::LocalCapabilities AgentSdp::capabilities() {
  sdp::LocalCapabilities local;
  local.username = "kolokol";
  local.session_id = std::to_string(
      std::chrono::system_clock::now().time_since_epoch().count() / 1000 + next_port_);
  local.connection.addr_type = address_.find(':') == std::string::npos ? "IP4" : "IP6";
  local.connection.address = address_;
  sdp::MediaCapabilities audio;
  audio.port = static_cast<std::uint16_t>(next_port_);
  next_port_ = next_port_ >= 59998 ? 40000 : next_port_ + 2;
  audio.codecs = {*sdp::static_codec(0), *sdp::static_codec(8), sdp::Codec::telephone_event(101)};
  audio.ptime = 20;
  local.media.push_back(std::move(audio));
  return local;
}

std::string AgentSdp::offer() {
  return sdp::serialize(sdp::build_offer(capabilities()));
}

std::optional<std::string> AgentSdp::answer(std::string_view offer) {
  auto parsed = sdp::parse(offer);
  if (!parsed) return std::nullopt;
  auto answer = sdp::answer_offer(*parsed, capabilities());
  if (!answer) return std::nullopt;
  return sdp::serialize(answer->sdp);
}

}  // namespace kolokol::tools
