#pragma once

#include <utility>  // before Asio: its awaitable.hpp forgets it

#include <boost/asio/io_context.hpp>
#include <optional>
#include <string>
#include <vector>

#include "base/log.h"
#include "base/metrics.h"
#include "runtime/asio_timer_service.h"
#include "sip/dialog/session_manager.h"
#include "sip/transport/transport_layer.h"
#include "sip/txn/transaction_layer.h"
#include "sip_agent_options.h"

namespace kolokol::tools {

// The whole stack on one io_context run by the main thread: transport -> transactions ->
// sessions. The agent's modes drive it through `sessions` and `txn`.
struct AgentStack {
  AgentStack(const AgentOptions& options, base::LogHub& logs, sip::InviteSessionConfig config);

  // Binds the listeners; returns the bound endpoints or the reason.
  base::Expected<std::vector<sip::Endpoint>, std::string> start();
  // First bound listener of that transport (and address family of `like`, when given).
  std::optional<sip::Endpoint> local_for(sip::Transport transport) const;

  boost::asio::io_context io;
  runtime::AsioTimerService timers{io};
  base::MetricsRegistry metrics;
  sip::TransportLayer transport;
  sip::TransactionLayer txn;
  sip::SessionManager sessions;
  std::vector<sip::Endpoint> bound;
};

sip::TransportConfig agent_transport_config(const AgentOptions& options);

}  // namespace kolokol::tools
