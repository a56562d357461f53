// libFuzzer target for the SDP module: the parser must never crash, parse(serialize(x)) must
// give x back, and the offer/answer engine must accept its own answers.
// Build: clang++ -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -I src \
//          tests/fuzz/sdp_fuzz.cc src/sdp/*.cc -o sdp_fuzz
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "sdp/sdp.h"

namespace {

using namespace kolokol::sdp;

void require(bool condition) {
  if (!condition) std::abort();
}

LocalCapabilities fixed_capabilities() {
  LocalCapabilities local;
  local.session_id = "1";
  local.session_version = 1;
  local.connection = Connection{"IN", "IP4", "192.0.2.1", {}, {}};
  MediaCapabilities audio;
  audio.port = 40000;
  audio.codecs = {Codec{8, "PCMA", 8000, 1, ""}, Codec{0, "PCMU", 8000, 1, ""},
                  Codec{9, "G722", 8000, 1, ""}, Codec{96, "opus", 48000, 2, "stereo=0"},
                  Codec::telephone_event(101),   Codec::telephone_event(102, 48000),
                  Codec{13, "CN", 8000, 1, ""}};
  audio.ptime = 20;
  audio.rtcp_mux = true;
  MediaCapabilities secure_audio = audio;
  secure_audio.proto = "UDP/TLS/RTP/SAVPF";
  secure_audio.port = 40002;
  secure_audio.attributes = {{"setup", "active"}, {"fingerprint", "sha-256 00:11"}};
  MediaCapabilities video;
  video.media = "video";
  video.port = 40004;
  video.codecs = {Codec{97, "H264", 90000, 1, "packetization-mode=1"},
                  Codec{98, "VP8", 90000, 1, ""}};
  video.direction = Direction::RecvOnly;
  local.media = {audio, secure_audio, video};
  return local;
}

// Serialization may legitimately grow a body past the input limits (LF -> CRLF, an added
// t=0 0), so the reparse runs with room to spare.
constexpr ParseLimits kRoomy{1 << 20, 100000, 128};

void check_round_trip(const SessionDescription& sdp) {
  auto again = parse(serialize(sdp), kRoomy);
  require(again.has_value());
  require(*again == sdp);
}

void check_answer(const SessionDescription& offer, const LocalCapabilities& local,
                  const AnswerOptions& options) {
  auto answer = answer_offer(offer, local, options);
  if (!answer) return;
  require(answer->sdp.media.size() == offer.media.size());
  require(answer->media.size() == offer.media.size());
  check_round_trip(answer->sdp);
  auto processed = process_answer(offer, answer->sdp);
  require(processed.has_value());
  for (std::size_t i = 0; i < processed->size(); ++i) {
    require((*processed)[i].accepted == answer->media[i].accepted);
    require((*processed)[i].direction == reversed(answer->media[i].direction));
  }
  // The answerer re-offering hold/unhold must stay a valid description.
  const SessionDescription held = hold(answer->sdp);
  check_round_trip(held);
  check_round_trip(unhold(held));
}

void touch_attributes(const SessionDescription& sdp) {
  (void)groups(sdp);
  for (std::size_t i = 0; i < sdp.media.size(); ++i) {
    const MediaDescription& m = sdp.media[i];
    (void)codecs_of(m);
    (void)cryptos(m);
    (void)rtcp(m);
    (void)mid(m);
    (void)ptime(m);
    (void)maxptime(m);
    (void)effective_direction(sdp, m);
    (void)is_hold(sdp, i);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = parse(text);
  if (!parsed) return 0;
  check_round_trip(*parsed);
  touch_attributes(*parsed);

  static const LocalCapabilities local = fixed_capabilities();
  check_answer(*parsed, local, AnswerOptions{});
  AnswerOptions local_order;
  local_order.order = CodecOrder::Local;
  local_order.max_codecs = 1;
  local_order.previous = &*parsed;
  check_answer(*parsed, local, local_order);

  // Answers from the fuzzer's text against an offer of ours must never crash either.
  static const SessionDescription our_offer = build_offer(local);
  (void)process_answer(our_offer, *parsed);
  return 0;
}
