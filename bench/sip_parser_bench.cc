// Parse/serialize cost of the SIP message layer for a typical call setup exchange.

#include <string>
#include <string_view>

#include <benchmark/benchmark.h>

#include "sip/msg/message.h"

namespace kolokol::sip {
namespace {

// A realistic INVITE: 12 headers and an SDP offer, as a softphone sends it.
constexpr std::string_view kInvite =
    "INVITE sip:bob@biloxi.example.com SIP/2.0\r\n"
    "Via: SIP/2.0/UDP pc33.atlanta.example.com:5060;branch=z9hG4bK776asdhds;rport\r\n"
    "Max-Forwards: 70\r\n"
    "To: Bob <sip:bob@biloxi.example.com>\r\n"
    "From: \"Alice\" <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
    "Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n"
    "CSeq: 314159 INVITE\r\n"
    "Contact: <sip:alice@pc33.atlanta.example.com:5060;transport=udp>\r\n"
    "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE, PRACK, REFER, NOTIFY\r\n"
    "Supported: replaces, timer, 100rel\r\n"
    "User-Agent: Kolokol-Bench/1.0\r\n"
    "Content-Type: application/sdp\r\n"
    "Content-Length: 241\r\n"
    "\r\n"
    "v=0\r\n"
    "o=alice 2890844526 2890844526 IN IP4 pc33.atlanta.example.com\r\n"
    "s=-\r\n"
    "c=IN IP4 192.0.2.101\r\n"
    "t=0 0\r\n"
    "m=audio 49172 RTP/AVP 0 8 101\r\n"
    "a=rtpmap:0 PCMU/8000\r\n"
    "a=rtpmap:8 PCMA/8000\r\n"
    "a=rtpmap:101 telephone-event/8000\r\n"
    "a=fmtp:101 0-16\r\n"
    "a=sendrecv\r\n";

constexpr std::string_view kOk =
    "SIP/2.0 200 OK\r\n"
    "Via: SIP/2.0/UDP pc33.atlanta.example.com:5060;branch=z9hG4bK776asdhds;rport=5060;"
    "received=192.0.2.101\r\n"
    "To: Bob <sip:bob@biloxi.example.com>;tag=a6c85cf\r\n"
    "From: \"Alice\" <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
    "Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n"
    "CSeq: 314159 INVITE\r\n"
    "Contact: <sip:bob@192.0.2.4:5060>\r\n"
    "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS\r\n"
    "Supported: replaces, timer\r\n"
    "Server: Kolokol-Bench/1.0\r\n"
    "Content-Type: application/sdp\r\n"
    "Content-Length: 129\r\n"
    "\r\n"
    "v=0\r\n"
    "o=bob 2808844564 2808844564 IN IP4 192.0.2.4\r\n"
    "s=-\r\n"
    "c=IN IP4 192.0.2.4\r\n"
    "t=0 0\r\n"
    "m=audio 3456 RTP/AVP 0\r\n"
    "a=rtpmap:0 PCMU/8000\r\n";

void BM_ParseInvite(benchmark::State& state) {
  for (auto _ : state) {
    auto m = parse_message(kInvite);
    benchmark::DoNotOptimize(m);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kInvite.size()));
}
BENCHMARK(BM_ParseInvite);

void BM_ParseOk(benchmark::State& state) {
  for (auto _ : state) {
    auto m = parse_message(kOk);
    benchmark::DoNotOptimize(m);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kOk.size()));
}
BENCHMARK(BM_ParseOk);

void BM_SerializeInvite(benchmark::State& state) {
  auto m = parse_message(kInvite);
  if (!m || m->defect()) {
    state.SkipWithError("INVITE did not parse");
    return;
  }
  std::string out;
  for (auto _ : state) {
    out.clear();
    m->serialize(out);
    benchmark::DoNotOptimize(out.data());
  }
}
BENCHMARK(BM_SerializeInvite);

void BM_ParseAndAccess(benchmark::State& state) {
  for (auto _ : state) {
    auto m = parse_message(kInvite);
    benchmark::DoNotOptimize(m->top_via()->branch());
    benchmark::DoNotOptimize(m->from()->tag());
    benchmark::DoNotOptimize(m->to()->tag());
    benchmark::DoNotOptimize(m->cseq()->number);
    benchmark::DoNotOptimize(m->call_id());
  }
}
BENCHMARK(BM_ParseAndAccess);

void BM_MakeResponse(benchmark::State& state) {
  auto request = parse_message(kInvite);
  std::string out;
  for (auto _ : state) {
    Message response = make_response(*request, 180, {}, "a6c85cf");
    out.clear();
    response.serialize(out);
    benchmark::DoNotOptimize(out.data());
  }
}
BENCHMARK(BM_MakeResponse);

}  // namespace
}  // namespace kolokol::sip
