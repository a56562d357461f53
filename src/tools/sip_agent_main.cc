// sip_agent: the SIP stack as a command-line user agent for integration tests.
//   sip_agent uas --listen udp:127.0.0.1:5070 [--listen tcp:...] [--calls N]
//   sip_agent uac --target "sip:service@127.0.0.1:5070;transport=tcp" --calls N [--hold-ms M]
//                 [--bye-from remote|local] [--reinvite] [--require-100rel]
//   sip_agent uac --target sip:127.0.0.1:5060 --register sip:alice@pbx.test --user U --password P
//   sip_agent options --target sip:127.0.0.1:5060
// Prints "calls=N ok=N failed=N" and exits 0 only when every call or request went right.
#include <utility>  // before Asio: its awaitable.hpp forgets it

#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <cstdio>

#include "sip/dialog/uri_endpoint.h"
#include "sip_agent_modes.h"

using namespace kolokol;

namespace {

// uac/options without --listen: one ephemeral loopback listener for the target's transport.
void add_default_listener(tools::AgentOptions& options) {
  if (!options.listeners.empty() || options.target.empty()) return;
  auto target = sip::parse_uri(options.target);
  if (!target) return;
  auto destination = sip::endpoint_from_uri(*target);
  if (!destination) return;
  sip::ListenerConfig listener;
  listener.transport = destination->transport;
  listener.address = destination->address.find(':') != std::string::npos ? "::1" : "127.0.0.1";
  listener.port = 0;
  options.listeners.push_back(listener);
}

}  // namespace

int main(int argc, char** argv) {
  auto parsed = tools::parse_agent_options(argc, argv);
  if (!parsed) {
    std::fprintf(stderr, "%s\n", parsed.error().c_str());
    return 2;
  }
  tools::AgentOptions options = std::move(*parsed);
  add_default_listener(options);
  base::LogHub logs(options.log_level);
  base::Logger log = logs.get("sip_agent");

  sip::InviteSessionConfig config;
  config.require_100rel = options.require_100rel;
  config.prefer_100rel = options.prefer_100rel;
  config.session_expires = options.session_expires;
  config.user_agent = "kolokol-sip-agent";
  tools::AgentStack stack(options, logs, config);
  auto bound = stack.start();
  if (!bound) {
    std::fprintf(stderr, "cannot listen: %s\n", bound.error().c_str());
    return 2;
  }
  for (const auto& endpoint : *bound) std::printf("listening %s\n", endpoint.to_string().c_str());
  std::fflush(stdout);

  bool finished = false;
  bool timed_out = false;
  auto finish = [&] {
    if (finished) return;
    finished = true;
    // Let the last responses/ACKs leave before the loop stops.
    stack.timers.schedule(std::chrono::milliseconds(300), [&] {
      stack.transport.stop();
      stack.io.stop();
    });
  };
  std::unique_ptr<tools::AgentRunner> runner;
  switch (options.mode) {
    case tools::AgentMode::Uas:
      runner = tools::make_uas_runner(stack, options, log, finish);
      break;
    case tools::AgentMode::Uac:
      runner = tools::make_uac_runner(stack, options, log, finish);
      break;
    case tools::AgentMode::Options:
      runner = tools::make_options_runner(stack, options, log, finish);
      break;
    case tools::AgentMode::Register:
      runner = tools::make_register_runner(stack, options, log, finish);
      break;
  }
  boost::asio::signal_set signals(stack.io, SIGTERM, SIGINT);
  signals.async_wait([&](const boost::system::error_code& ec, int) {
    if (ec) return;
    runner->shutdown();
    finish();
  });
  stack.timers.schedule(std::chrono::seconds(options.timeout_s), [&] {
    timed_out = true;
    log.warn("timed out after {} s", options.timeout_s);
    runner->shutdown();
    finish();
  });
  if (auto started = runner->start(); !started) {
    std::fprintf(stderr, "%s\n", started.error().c_str());
    return 2;
  }
  stack.io.run();
  signals.cancel();

  tools::Tally tally = runner->tally();
  const bool counted_mode = options.mode != tools::AgentMode::Uas || options.calls > 0;
  if (timed_out && counted_mode && tally.calls < options.calls) {
    tally.failed += options.calls - tally.calls;
    tally.calls = options.calls;
  }
  std::printf("calls=%d ok=%d failed=%d\n", tally.calls, tally.ok, tally.failed);
  std::fflush(stdout);
  return tally.failed == 0 && !(timed_out && counted_mode) ? 0 : 1;
}
