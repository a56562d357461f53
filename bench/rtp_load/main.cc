// rtp_load: N concurrent G.711 calls through a SIP PBX, with RTP both ways and the statistics of
// every stream. See load_options.cc for the command line, bench/media_relay.py for a ladder run.
//
// Phases: the callees register; calls are set up at --rate; once every call is up, media runs
// for --duration; every stream stops, the last packets drain, and the callers hang up at --rate.
// Media flows from each call's answer on, so the ramp is measured too.

#include <sys/resource.h>

#include <cstdio>
#include <iostream>
#include <memory>
#include <vector>

#include "load_options.h"
#include "load_report.h"
#include "media_worker.h"
#include "sip_agent.h"
#include "udp_socket.h"

namespace kolokol::rtpload {
namespace {

using std::chrono::duration;
using std::chrono::milliseconds;

constexpr int kExitCallsFailed = 1;
constexpr int kExitSetupError = 3;

double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

double seconds_since(Clock::time_point start) {
  return duration<double>(Clock::now() - start).count();
}

// Progress lines for people and for media_relay.py (which samples the PBX's CPU between the
// "phase: media" and "phase: hangup" lines); on stderr with --json.
void phase(const LoadOptions& options, const std::string& text) {
  std::FILE* out = options.json_only ? stderr : stdout;
  std::fprintf(out, "phase: %s\n", text.c_str());
  std::fflush(out);
}

// Runs `step` paced at `rate` for `count` items while polling SIP; then polls until `done`
// or `limit` seconds after the last item.
template <typename Step, typename Done>
void paced(SipAgent& sip, std::size_t count, double rate, double limit, Step step, Done done) {
  const auto start = Clock::now();
  std::size_t next = 0;
  Clock::time_point last = start;
  for (;;) {
    const auto now = Clock::now();
    while (next < count && duration<double>(now - start).count() * rate >= next) {
      step(next++);
      last = now;
    }
    if (next == count && (done() || duration<double>(now - last).count() > limit)) return;
    sip.poll(milliseconds(next < count ? 1 : 10));
  }
}

std::map<std::string, std::uint64_t> counter_delta(const std::map<std::string, std::uint64_t>& a,
                                                   const std::map<std::string, std::uint64_t>& b) {
  std::map<std::string, std::uint64_t> delta;
  for (const auto& [name, value] : b) {
    const auto before = a.count(name) ? a.at(name) : 0;
    delta[name] = value >= before ? value - before : 0;
  }
  return delta;
}

int run(const LoadOptions& options) {
  const std::size_t sockets = 2 * options.calls + 64;
  if (auto limit = raise_open_file_limit(sockets); !limit) {
    std::cerr << "rtp_load: " << limit.error() << "\n";
    return kExitSetupError;
  }
  auto endpoints =
      EndpointSet::open(2 * options.calls, options.port_base, options.socket_buffer_bytes);
  if (!endpoints) {
    std::cerr << "rtp_load: " << endpoints.error() << "\n";
    return kExitSetupError;
  }
  EndpointSet& set = **endpoints;
  for (std::size_t i = 0; i < set.size(); ++i) set[i].caller_side = i % 2 == 0;

  auto agent = SipAgent::open(options, set);
  if (!agent) {
    std::cerr << "rtp_load: " << agent.error() << "\n";
    return kExitSetupError;
  }
  SipAgent& sip = **agent;

  const ToneSet tones = ToneSet::make();
  std::vector<std::vector<Endpoint*>> shares(options.threads);
  for (std::size_t i = 0; i < set.size(); ++i) shares[i % options.threads].push_back(&set[i]);
  std::vector<std::unique_ptr<MediaWorker>> workers;
  for (auto& share : shares) workers.push_back(std::make_unique<MediaWorker>(share, tones));
  for (auto& worker : workers) worker->start();

  const auto kernel_before = kernel_udp_counters();
  phase(options, "register " + std::to_string(options.callees.size()) + " callee(s)");
  sip.register_callees();
  const auto registering = Clock::now();
  while (sip.registrations_pending() > 0 && seconds_since(registering) < 40)
    sip.poll(milliseconds(10));
  if (sip.registrations_pending() > 0 || sip.registrations_failed() > 0) {
    std::cerr << "rtp_load: " << sip.registrations_failed() << " registration(s) failed, "
              << sip.registrations_pending() << " unanswered\n";
    for (const auto& [reason, count] : sip.counters().failures) {
      std::cerr << "  " << reason << ": " << count << "\n";
    }
    return kExitSetupError;
  }

  RunFacts facts;
  facts.calls_asked = options.calls;
  phase(options, "setup " + std::to_string(options.calls) + " calls at " +
                     std::to_string(static_cast<int>(options.rate)) + "/s");
  const auto setup_start = Clock::now();
  paced(
      sip, options.calls, options.rate, options.setup_timeout_s,
      [&](std::size_t i) { sip.start_call(i); }, [&] { return sip.calls_setting_up() == 0; });
  facts.setup_seconds = seconds_since(setup_start);

  char media_line[96];
  std::snprintf(media_line, sizeof media_line, "media %zu calls up for %g s", sip.calls_up(),
                options.duration_s);
  phase(options, media_line);
  const auto media_start = Clock::now();
  const double cpu_before = cpu_seconds();
  while (seconds_since(media_start) < options.duration_s) sip.poll(milliseconds(20));
  facts.media_seconds = seconds_since(media_start);
  facts.own_cpu_percent = 100.0 * (cpu_seconds() - cpu_before) / facts.media_seconds;

  // Every stream stops at once and the packets in flight arrive before anyone hangs up, so a
  // PBX tearing its relay down cannot be taken for loss.
  for (std::size_t i = 0; i < set.size(); ++i) set[i].sending.store(false);
  const auto drain = Clock::now();
  while (seconds_since(drain) < 0.3) sip.poll(milliseconds(10));

  phase(options, "hangup");
  paced(
      sip, options.calls, options.rate, 35, [&](std::size_t i) { sip.hang_up(i); },
      [&] { return sip.hangups_pending() == 0 && sip.callee_dialogs_open() == 0; });
  for (auto& worker : workers) {
    worker->stop();
    facts.late_ticks += worker->late_ticks();
    facts.skipped_packets += worker->skipped_packets();
  }
  facts.kernel_udp_delta = counter_delta(kernel_before, kernel_udp_counters());
  facts.calls_up = sip.calls_up();
  facts.calls_failed = sip.calls_failed() + (options.calls - sip.calls_started());
  facts.callee_dialogs_left_open = sip.callee_dialogs_open();

  MediaTotals media = sum_media(set);
  for (auto& worker : workers) media.latency.merge(worker->latency());
  if (!options.json_only) print_text(facts, media, sip);
  std::printf("%s\n", json_line(facts, media, sip).c_str());
  return facts.calls_failed > 0 ? kExitCallsFailed : 0;
}

}  // namespace
}  // namespace kolokol::rtpload

int main(int argc, char** argv) {
  const auto options = kolokol::rtpload::parse_command_line(argc, argv);
  return kolokol::rtpload::run(options);
}
