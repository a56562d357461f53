#include "sip_agent_stack.h"

namespace kolokol::tools {

sip::TransportConfig agent_transport_config(const AgentOptions& options) {
  sip::TransportConfig config;
  config.listeners = options.listeners;
  config.data_dir = options.data_dir;
  return config;
}

AgentStack::AgentStack(const AgentOptions& options, base::LogHub& logs,
                       sip::InviteSessionConfig config)
    : transport(io, agent_transport_config(options), metrics, logs.get("sip.transport")),
      txn(timers, transport, metrics, logs.get("sip.txn")),
      sessions(txn, timers, logs.get("sip.dialog"), std::move(config)) {
  transport.set_handler(
      [this](sip::IncomingMessage incoming) { txn.on_message(std::move(incoming)); });
  txn.set_user(&sessions);
}

base::Expected<std::vector<sip::Endpoint>, std::string> AgentStack::start() {
  auto started = transport.start();
  if (started) bound = *started;
  return started;
}

std::optional<sip::Endpoint> AgentStack::local_for(sip::Transport wanted) const {
  for (const auto& endpoint : bound) {
    if (endpoint.transport == wanted) return endpoint;
  }
  return std::nullopt;
}

}  // namespace kolokol::tools
