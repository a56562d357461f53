#pragma once

#include <cstddef>
#include <deque>
#include <functional>
#include <string>
#include <unordered_map>
#include <utility>

#include "base/timer_service.h"
#include "sip/txn/transaction_handles.h"
#include "sip/txn/txn_timer.h"

namespace kolokol::sip {

// Non-INVITE server transactions over UDP stay Completed for Timer J (64*T1, 32 s) only to answer
// retransmissions of their request with the same final response; an INVITE server transaction
// whose 2xx was ACKed stays Accepted for Timer L only to swallow retransmitted INVITEs. A full
// state machine keeps the parsed request and response for that time, about 7.8 KiB; at thousands of
// REGISTERs per second that is most of the daemon's memory. Once the final response is out, the
// layer moves the transaction here: its key and its serialized response (a few hundred bytes); a
// retransmission is answered where it came from.
//
// Every entry lives the same time, so expiry is a FIFO swept by one timer, not a timer each.
// The table is bounded: past `capacity` entries the oldest goes early. Retransmissions come at
// T1, 3*T1, 7*T1 ... after the request, so the entries dropped are the least likely to be asked
// for; one that is asked for after all becomes a new request (the TU answers it again, as a
// stateless server would). At 8,000 REGISTERs/s, 65,536 entries still cover 8 s.
class CompletedResponses {
 public:
  struct Entry {
    TransactionId id = 0;
    std::string response;  // the final response as sent; empty: absorb without answering
  };
  using ExpiryHandler = std::function<void(const Entry& entry)>;

  CompletedResponses(base::TimerService& timers, base::Duration linger, std::size_t capacity,
                     ExpiryHandler on_expiry);
  CompletedResponses(const CompletedResponses&) = delete;
  CompletedResponses& operator=(const CompletedResponses&) = delete;

  // A key already present is replaced (cannot happen while lookups come first; kept safe).
  void add(std::string key, Entry entry);
  Entry* find(const std::string& key);
  std::size_t size() const { return entries_.size(); }
  // Forget everything without calling the expiry handler (the layer is going away).
  void clear();

 private:
  struct Expiry {
    base::TimePoint at;
    const std::string* key;  // node keys of an unordered_map stay put across rehashing
    TransactionId id;
  };
  void arm();
  void sweep();
  void expire_front();

  base::TimerService& timers_;
  base::Duration linger_;
  std::size_t capacity_;
  ExpiryHandler on_expiry_;
  std::unordered_map<std::string, Entry> entries_;
  std::deque<Expiry> expiries_;  // in deadline order: every entry lingers the same time
  TxnTimer sweep_timer_;
};

}  // namespace kolokol::sip
