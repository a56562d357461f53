#include "sip_agent_options.h"

#include <CLI/CLI.hpp>

#include <charconv>

namespace kolokol::tools {

base::Expected<sip::ListenerConfig, std::string> parse_listen_spec(const std::string& spec) {
  const auto colon = spec.find(':');
  const auto last = spec.rfind(':');
  if (colon == std::string::npos || last == colon) {
    return base::unexpected("listen spec '" + spec + "' is not transport:address:port");
  }
  sip::ListenerConfig listener;
  auto transport = sip::transport_from_name(spec.substr(0, colon));
  if (!transport) return base::unexpected("unknown transport in '" + spec + "'");
  listener.transport = *transport;
  std::string address = spec.substr(colon + 1, last - colon - 1);
  if (address.size() > 2 && address.front() == '[' && address.back() == ']') {
    address = address.substr(1, address.size() - 2);
  }
  listener.address = address;
  const std::string port = spec.substr(last + 1);
  unsigned value = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (ec != std::errc() || end != port.data() + port.size() || value > 65535) {
    return base::unexpected("bad port in '" + spec + "'");
  }
  listener.port = static_cast<std::uint16_t>(value);
  return listener;
}

base::Expected<AgentOptions, std::string> parse_agent_options(int argc, char** argv) {
  AgentOptions options;
  CLI::App app{"sip_agent: a scriptable SIP user agent built from the Kolokol stack"};
  app.require_subcommand(1);
  std::vector<std::string> listens;
  std::string bye_from = "local";
  std::uint32_t session_expires = 0;

  auto common = [&](CLI::App* sub) {
    sub->add_option("--listen", listens, "transport:address:port (repeatable)");
    sub->add_option("--calls", options.calls, "number of calls / requests");
    sub->add_option("--timeout-s", options.timeout_s, "give up after this many seconds");
    sub->add_option("--log-level", options.log_level, "trace|debug|info|warn|error|off");
    sub->add_option("--data-dir", options.data_dir, "where a generated TLS certificate goes");
    sub->add_option("--session-expires", session_expires, "RFC 4028 interval in seconds");
  };
  CLI::App* uas = app.add_subcommand("uas", "answer calls");
  common(uas);
  uas->add_option("--bye-after-ms", options.bye_after_ms, "hang up this long after the ACK");
  uas->add_flag("--prefer-100rel", options.prefer_100rel, "send reliable provisionals");
  CLI::App* uac = app.add_subcommand("uac", "place calls");
  common(uac);
  uac->add_option("--target", options.target, "Request-URI")->required();
  uac->add_option("--hold-ms", options.hold_ms, "call duration");
  uac->add_option("--bye-from", bye_from, "remote|local")
      ->check(CLI::IsMember({"remote", "local"}));
  uac->add_flag("--reinvite", options.reinvite, "re-INVITE during the call");
  uac->add_flag("--require-100rel", options.require_100rel, "Require: 100rel");
  uac->add_option("--register", options.register_uri, "REGISTER this AOR instead of calling");
  uac->add_option("--user", options.user, "digest user name");
  uac->add_option("--password", options.password, "digest password");
  CLI::App* opts = app.add_subcommand("options", "send OPTIONS and expect 200");
  common(opts);
  opts->add_option("--target", options.target, "Request-URI")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return base::unexpected(app.help());
    return base::unexpected(std::string(e.what()) + "\n" + app.help());
  }
  if (uas->parsed()) options.mode = AgentMode::Uas;
  if (uac->parsed())
    options.mode = options.register_uri.empty() ? AgentMode::Uac : AgentMode::Register;
  if (opts->parsed()) options.mode = AgentMode::Options;
  options.bye_from_remote = bye_from == "remote";
  if (session_expires) options.session_expires = session_expires;
  for (const auto& spec : listens) {
    auto listener = parse_listen_spec(spec);
    if (!listener) return base::unexpected(listener.error());
    options.listeners.push_back(*listener);
  }
  if (options.mode == AgentMode::Uas && options.listeners.empty()) {
    return base::unexpected(std::string("uas needs at least one --listen"));
  }
  return options;
}

}  // namespace kolokol::tools
