#include "sip/txn/transaction_metrics.h"

namespace kolokol::sip {
namespace {

constexpr const char* kTotalHelp = "SIP transactions created, by kind";
constexpr const char* kRetransHelp =
    "SIP retransmissions: in = absorbed from the peer, out = sent by us";
constexpr const char* kDroppedHelp = "SIP messages dropped or refused by the transaction layer";

}  // namespace

TransactionMetrics::TransactionMetrics(base::MetricsRegistry& registry)
    : client_invite(
          registry.counter("sip_transactions_total", kTotalHelp, {{"kind", "client_invite"}})),
      client_non_invite(
          registry.counter("sip_transactions_total", kTotalHelp, {{"kind", "client_non_invite"}})),
      server_invite(
          registry.counter("sip_transactions_total", kTotalHelp, {{"kind", "server_invite"}})),
      server_non_invite(
          registry.counter("sip_transactions_total", kTotalHelp, {{"kind", "server_non_invite"}})),
      active(registry.gauge("sip_transactions_active", "SIP transactions in progress")),
      timeouts(registry.counter("sip_transaction_timeouts_total",
                                "SIP transactions ended by a timeout (B, F, H, L without ACK)")),
      retransmissions_in(
          registry.counter("sip_retransmissions_total", kRetransHelp, {{"direction", "in"}})),
      retransmissions_out(
          registry.counter("sip_retransmissions_total", kRetransHelp, {{"direction", "out"}})),
      dropped_stray(registry.counter("sip_transaction_dropped_total", kDroppedHelp,
                                     {{"reason", "stray_response"}})),
      dropped_malformed(registry.counter("sip_transaction_dropped_total", kDroppedHelp,
                                         {{"reason", "malformed"}})),
      merged(registry.counter("sip_transaction_dropped_total", kDroppedHelp,
                              {{"reason", "merged_request"}})) {}

}  // namespace kolokol::sip
