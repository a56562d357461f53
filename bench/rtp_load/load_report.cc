#include "load_report.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace kolokol::rtpload {

namespace {

double percentile(std::vector<double> values, double fraction) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const auto rank = static_cast<std::size_t>(std::ceil(fraction * values.size()));
  return values[std::clamp<std::size_t>(rank, 1, values.size()) - 1];
}

double ms(std::int64_t ns) {
  return static_cast<double>(ns) / 1e6;
}

// "direct" while the PBX passes SDP through, "relayed" once it anchors media.
std::string media_path(const SipAgent::Counters& sip) {
  const auto direct = sip.offers_direct + sip.answers_direct;
  const auto relayed = sip.offers_relayed + sip.answers_relayed;
  if (direct + relayed == 0) return "none";
  if (relayed == 0) return "direct";
  return direct == 0 ? "relayed" : "mixed";
}

}  // namespace

MediaTotals sum_media(const EndpointSet& endpoints) {
  MediaTotals totals;
  double jitter_sum = 0;
  for (std::size_t i = 0; i < endpoints.size(); ++i) {
    const Endpoint& endpoint = endpoints[i];
    totals.sent += endpoint.tx.sent;
    totals.send_errors += endpoint.tx.send_errors;
    if (!endpoint.in_call.load()) continue;
    ++totals.streams;
    const auto& rx = endpoint.rx;
    totals.foreign += rx.foreign;
    totals.malformed += rx.malformed;
    if (!rx.peer) {
      ++totals.silent_streams;
      ++totals.streams_with_loss;
      continue;
    }
    const auto& stats = rx.stats;
    totals.received += stats.received();
    totals.unique += stats.unique();
    totals.duplicates += stats.duplicates();
    totals.out_of_order += stats.out_of_order();
    totals.lost_in_sequence += stats.lost_in_sequence();
    const std::uint64_t peer_sent = *rx.peer < endpoints.size() ? endpoints[*rx.peer].tx.sent : 0;
    if (stats.lost_in_sequence() > 0 || peer_sent > stats.unique()) ++totals.streams_with_loss;
    if (*rx.peer < endpoints.size()) {
      // The sender's first sequence number is where its counter stood `sent` packets ago.
      const auto& peer_tx = endpoints[*rx.peer].tx;
      const auto first_sent = static_cast<std::uint16_t>(peer_tx.sequence - peer_tx.sent);
      const std::uint64_t at_start =
          static_cast<std::uint16_t>(stats.first_sequence() - first_sent);
      totals.lost_at_start += at_start;
      const std::uint64_t accounted = stats.unique() + stats.lost_in_sequence() + at_start;
      if (peer_sent > accounted) totals.lost_at_end += peer_sent - accounted;
    }
    totals.max_jitter_ms = std::max(totals.max_jitter_ms, stats.peak_jitter_ms());
    jitter_sum += stats.jitter_ms();
  }
  totals.lost = totals.sent > totals.unique ? totals.sent - totals.unique : 0;
  const std::size_t heard = totals.streams - totals.silent_streams;
  totals.mean_jitter_ms = heard ? jitter_sum / static_cast<double>(heard) : 0;
  return totals;
}

void print_text(const RunFacts& run, const MediaTotals& media, const SipAgent& sip) {
  const auto& counters = sip.counters();
  const auto& setup = sip.setup_ms();
  std::printf(
      "calls: %zu asked, %zu up, %zu failed; set up in %.1f s (setup p50 %.1f ms, p99 "
      "%.1f ms); %zu callee dialogs left open\n",
      run.calls_asked, run.calls_up, run.calls_failed, run.setup_seconds, percentile(setup, 0.5),
      percentile(setup, 0.99), run.callee_dialogs_left_open);
  std::printf("sip: %llu retransmissions, %llu unparsable, %llu PBX hang-ups\n",
              static_cast<unsigned long long>(counters.retransmissions),
              static_cast<unsigned long long>(counters.unparsable),
              static_cast<unsigned long long>(counters.pbx_hangups));
  for (const auto& [reason, count] : counters.failures) {
    std::printf("sip failure: %-40s %llu\n", reason.c_str(),
                static_cast<unsigned long long>(count));
  }
  std::printf(
      "media path: %s (callee offers: %llu direct, %llu via relay; caller answers: %llu "
      "direct, %llu via relay)\n",
      media_path(counters).c_str(), static_cast<unsigned long long>(counters.offers_direct),
      static_cast<unsigned long long>(counters.offers_relayed),
      static_cast<unsigned long long>(counters.answers_direct),
      static_cast<unsigned long long>(counters.answers_relayed));
  std::printf(
      "rtp: %zu streams, %llu packets sent, %llu received (%llu duplicates, %llu out of "
      "order), %llu lost (%.4f %%; %llu in sequence gaps, %llu before a stream's first packet, "
      "%llu after its last), %zu streams with loss, "
      "%zu silent, %llu from a foreign sender, %llu send errors\n",
      media.streams, static_cast<unsigned long long>(media.sent),
      static_cast<unsigned long long>(media.received),
      static_cast<unsigned long long>(media.duplicates),
      static_cast<unsigned long long>(media.out_of_order),
      static_cast<unsigned long long>(media.lost),
      media.sent ? 100.0 * static_cast<double>(media.lost) / static_cast<double>(media.sent) : 0.0,
      static_cast<unsigned long long>(media.lost_in_sequence),
      static_cast<unsigned long long>(media.lost_at_start),
      static_cast<unsigned long long>(media.lost_at_end), media.streams_with_loss,
      media.silent_streams, static_cast<unsigned long long>(media.foreign),
      static_cast<unsigned long long>(media.send_errors));
  std::printf(
      "latency (one way, send to receive in user space): p50 %.3f ms, p99 %.3f ms, p99.9 "
      "%.3f ms, max %.3f ms; jitter (RFC 3550): max %.3f ms, mean %.3f ms\n",
      ms(media.latency.percentile_ns(0.5)), ms(media.latency.percentile_ns(0.99)),
      ms(media.latency.percentile_ns(0.999)), ms(media.latency.max_ns()), media.max_jitter_ms,
      media.mean_jitter_ms);
  std::printf(
      "generator: %.1f %% of one core during %.1f s of media, %llu late ticks, %llu "
      "packets skipped; kernel UDP RcvbufErrors +%llu, InErrors +%llu\n",
      run.own_cpu_percent, run.media_seconds, static_cast<unsigned long long>(run.late_ticks),
      static_cast<unsigned long long>(run.skipped_packets),
      static_cast<unsigned long long>(
          run.kernel_udp_delta.count("RcvbufErrors") ? run.kernel_udp_delta.at("RcvbufErrors") : 0),
      static_cast<unsigned long long>(
          run.kernel_udp_delta.count("InErrors") ? run.kernel_udp_delta.at("InErrors") : 0));
}

std::string json_line(const RunFacts& run, const MediaTotals& media, const SipAgent& sip) {
  const auto& counters = sip.counters();
  const auto& setup = sip.setup_ms();
  nlohmann::json out = {
      {"calls", run.calls_asked},
      {"calls_up", run.calls_up},
      {"calls_failed", run.calls_failed},
      {"callee_dialogs_left_open", run.callee_dialogs_left_open},
      {"setup_s", run.setup_seconds},
      {"setup_ms",
       {{"p50", percentile(setup, 0.5)},
        {"p99", percentile(setup, 0.99)},
        {"max", percentile(setup, 1.0)}}},
      {"media_s", run.media_seconds},
      {"sip_failures", counters.failures},
      {"sip_retransmissions", counters.retransmissions},
      {"pbx_hangups", counters.pbx_hangups},
      {"media_path", media_path(counters)},
      {"offers_direct", counters.offers_direct},
      {"offers_relayed", counters.offers_relayed},
      {"answers_direct", counters.answers_direct},
      {"answers_relayed", counters.answers_relayed},
      {"streams", media.streams},
      {"streams_with_loss", media.streams_with_loss},
      {"silent_streams", media.silent_streams},
      {"packets_sent", media.sent},
      {"packets_received", media.received},
      {"packets_lost", media.lost},
      {"lost_in_sequence", media.lost_in_sequence},
      {"lost_at_start", media.lost_at_start},
      {"lost_at_end", media.lost_at_end},
      {"duplicates", media.duplicates},
      {"out_of_order", media.out_of_order},
      {"foreign_packets", media.foreign},
      {"malformed_packets", media.malformed},
      {"send_errors", media.send_errors},
      {"latency_ms",
       {{"p50", ms(media.latency.percentile_ns(0.5))},
        {"p99", ms(media.latency.percentile_ns(0.99))},
        {"p999", ms(media.latency.percentile_ns(0.999))},
        {"max", ms(media.latency.max_ns())}}},
      {"jitter_ms", {{"max", media.max_jitter_ms}, {"mean", media.mean_jitter_ms}}},
      {"generator_cpu_percent", run.own_cpu_percent},
      {"late_ticks", run.late_ticks},
      {"skipped_packets", run.skipped_packets},
      {"kernel_udp_delta", run.kernel_udp_delta},
  };
  return out.dump();
}

}  // namespace kolokol::rtpload
