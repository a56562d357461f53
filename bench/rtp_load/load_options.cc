#include "load_options.h"

#include <CLI/CLI.hpp>

#include <charconv>
#include <cstdlib>
#include <iostream>
#include <optional>

namespace kolokol::rtpload {

namespace {

std::optional<unsigned long> number(std::string_view text) {
  unsigned long value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

std::string with_number(std::string pattern, const std::string& user) {
  for (auto at = pattern.find("{n}"); at != std::string::npos; at = pattern.find("{n}", at)) {
    pattern.replace(at, 3, user);
    at += user.size();
  }
  return pattern;
}

}  // namespace

base::Expected<std::vector<Account>, std::string> parse_accounts(const std::string& spec) {
  const auto colon = spec.find(':');
  if (colon == std::string::npos || colon == 0) {
    return base::unexpected("expected user:password or first-last:password, got '" + spec + "'");
  }
  const std::string users = spec.substr(0, colon);
  const std::string password = spec.substr(colon + 1);
  const auto dash = users.find('-');
  if (dash == std::string::npos) return std::vector<Account>{{users, with_number(password, users)}};
  const auto first = number(users.substr(0, dash));
  const auto last = number(users.substr(dash + 1));
  if (!first || !last || *last < *first || *last - *first >= 100'000) {
    return base::unexpected("bad extension range '" + users + "'");
  }
  std::vector<Account> accounts;
  for (auto n = *first; n <= *last; ++n) {
    const std::string user = std::to_string(n);
    accounts.push_back({user, with_number(password, user)});
  }
  return accounts;
}

LoadOptions parse_command_line(int argc, char** argv) {
  LoadOptions options;
  CLI::App app{
      "rtp_load: N concurrent G.711 calls through a SIP PBX over UDP, RTP both ways, with loss, "
      "jitter and one-way latency per stream. The callee extensions register to the PBX and "
      "answer; the caller extensions place the calls (digest on both). Exit 0 only when every "
      "call was set up."};
  std::vector<std::string> callers{"1001:bench-caller-pw"};
  std::vector<std::string> callees{"1002:bench-callee-pw"};
  app.add_option("--proxy", options.proxy, "PBX SIP address (UDP)")->capture_default_str();
  app.add_option("--domain", options.domain, "SIP domain of the tenant")->capture_default_str();
  app.add_option("--caller", callers,
                 "caller extension(s): user:password or first-last:password ({n} in the password "
                 "is replaced by the number); calls take them in turn")
      ->capture_default_str();
  app.add_option("--callee", callees, "callee extension(s), same forms as --caller")
      ->capture_default_str();
  app.add_option("--calls", options.calls, "concurrent calls")
      ->capture_default_str()
      ->check(CLI::Range(1, 30000));
  app.add_option("--rate", options.rate, "call setup rate, calls per second")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--duration", options.duration_s, "seconds of media once every call is up")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  app.add_option("--threads", options.threads, "media threads")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  app.add_option("--port-base", options.port_base,
                 "first local RTP port (even ports upward, 2 per call, taken ones skipped)")
      ->capture_default_str();
  app.add_option("--socket-buffer", options.socket_buffer_bytes,
                 "SO_RCVBUF/SO_SNDBUF asked for every socket (capped by net.core.*mem_max)")
      ->capture_default_str();
  app.add_option("--setup-timeout", options.setup_timeout_s,
                 "seconds to wait for the last calls to be answered")
      ->capture_default_str();
  app.add_flag("--json", options.json_only, "print only the final JSON line");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    std::exit(app.exit(error));
  }
  const auto collect = [](const std::vector<std::string>& specs, std::vector<Account>& out) {
    for (const auto& spec : specs) {
      auto parsed = parse_accounts(spec);
      if (!parsed) {
        std::cerr << "rtp_load: " << parsed.error() << "\n";
        std::exit(2);
      }
      out.insert(out.end(), parsed->begin(), parsed->end());
    }
  };
  collect(callers, options.callers);
  collect(callees, options.callees);
  return options;
}

}  // namespace kolokol::rtpload
