#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

#include "base/clock.h"

namespace kolokol::sip {

// Timer base values of RFC 3261 section 17.1.1.1 / table 4. Every transaction timer derives from
// them: A/E/G start at T1 and double (E and G capped at T2); B, F, H, J, L, M and the CANCEL
// give-up timer are 64*T1; D is 32 s (at least 64*T1) on UDP; I and K are T4 on UDP. Reliable
// transports (TCP, TLS) never retransmit and use zero for D, I, J and K.
struct TransactionTimers {
  base::Duration t1 = std::chrono::milliseconds(500);
  base::Duration t2 = std::chrono::seconds(4);
  base::Duration t4 = std::chrono::seconds(5);

  base::Duration timeout() const { return 64 * t1; }  // B, F, H, J, L, M
  base::Duration timer_d() const {                    // D on unreliable transports
    return std::max<base::Duration>(std::chrono::seconds(32), 64 * t1);
  }
};

struct TransactionConfig {
  TransactionTimers timers;

  // RFC 3261 13.3.1.4 makes retransmitting a 2xx to INVITE (until the ACK arrives) the job of
  // the UAS core, not of the transaction. When true the layer does it on the TU's behalf: a 2xx
  // sent through ServerTransaction::respond() is retransmitted at T1, 2*T1 ... T2 (UDP only)
  // until an ACK with the same Call-ID, CSeq number and To tag arrives, and re-sent when the
  // INVITE is retransmitted; after 64*T1 without ACK the TU gets
  // on_server_failure(TransactionFailure::NoAck). When false the TU must retransmit itself
  // (respond() again with the same 2xx while the transaction is Accepted).
  bool retransmit_2xx = true;

  // Completed non-INVITE server transactions over UDP kept (as their response) to absorb
  // retransmissions until Timer J; past this many the oldest go early (CompletedResponses).
  // About 700 bytes each.
  std::size_t max_completed_responses = 65536;

  // Seed for the branch generator (tests); random when empty.
  std::optional<std::uint64_t> id_seed;
};

}  // namespace kolokol::sip
