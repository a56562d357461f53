#pragma once

#include "base/metrics.h"

namespace kolokol::sip {

// The transaction layer's series, resolved once (see MetricsRegistry).
class TransactionMetrics {
 public:
  explicit TransactionMetrics(base::MetricsRegistry& registry);

  base::Counter& client_invite;
  base::Counter& client_non_invite;
  base::Counter& server_invite;
  base::Counter& server_non_invite;
  base::Gauge& active;
  base::Counter& timeouts;
  base::Counter& retransmissions_in;   // the peer's retransmissions we absorbed
  base::Counter& retransmissions_out;  // our own retransmissions
  base::Counter& dropped_stray;        // responses matching no client transaction
  base::Counter& dropped_malformed;    // messages without the headers matching needs
  base::Counter& merged;               // requests answered 482 (8.2.2.2)
};

}  // namespace kolokol::sip
