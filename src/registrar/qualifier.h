#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <string_view>

#include "base/log.h"
#include "base/timer_service.h"
#include "registrar/binding_change.h"
#include "registrar/location_service.h"
#include "registrar/registrar_config.h"
#include "sip/transport/endpoint.h"
#include "sip/txn/transaction_layer.h"

namespace kolokol::registrar {

// Keeps the location service honest. Every qualify_interval (per contact, with a random offset
// and +-10% jitter so contacts registered together are not all probed in the same second) an
// OPTIONS goes to each registered contact: Request-URI the Contact URI, sent to the address the
// REGISTER came from (a TCP/TLS flow is reused by the transport), with Route from its Path. Any
// final response but 408 marks the contact reachable and records the round trip; a timeout, a
// 408 (from a proxy on the Path) or a transport error marks it unreachable (calls skip it until
// it answers again or re-registers). State changes are logged. A contact with an OPTIONS still
// outstanding gets no second one. Bindings removed meanwhile are simply not found when the
// result arrives.
//
// Also removes expired bindings (checked every second) and reports each removal through
// `on_change`, as the registrar reports its own changes. Runs on the SIP thread; the
// transaction layer and location service must outlive it.
class Qualifier {
 public:
  using WallClock = std::function<storage::UnixSeconds()>;
  // The host for the From of OPTIONS sent from the listener `local` to `remote` (needed when
  // the listener is a wildcard address). Default: the listener's address.
  using LocalHost = std::function<std::string(const sip::Endpoint& local, std::string_view remote)>;

  Qualifier(sip::TransactionLayer& transactions, LocationService& location,
            base::TimerService& timers, RegistrarConfig config, base::Logger log,
            std::function<void(const BindingChange&)> on_change, WallClock wall_clock = {});
  ~Qualifier();
  Qualifier(const Qualifier&) = delete;
  Qualifier& operator=(const Qualifier&) = delete;

  void set_local_host(LocalHost local_host) { local_host_ = std::move(local_host); }

  // Starts the periodic work (expiry, and qualify when enabled). Idempotent.
  void start();
  // An OPTIONS now to every binding without one outstanding (also when qualify is disabled).
  void qualify_all();
  // Removes expired bindings now, reporting each.
  void expire_now();

  bool qualifying() const { return config_.qualify_interval.count() > 0; }

 private:
  void tick();
  void qualify_due();
  void send_options(Binding& binding);
  void on_result(std::uint64_t binding_id, base::TimePoint sent_at, bool answered,
                 std::string_view why);
  base::Duration jittered_interval();
  storage::UnixSeconds now() const;

  sip::TransactionLayer& transactions_;
  LocationService& location_;
  base::TimerService& timers_;
  RegistrarConfig config_;
  base::Logger log_;
  std::function<void(const BindingChange&)> on_change_;
  WallClock wall_clock_;
  LocalHost local_host_;
  std::mt19937_64 random_{std::random_device{}()};
  base::TimerId tick_timer_ = base::kNoTimer;
  // Outlived by transaction callbacks: they check it before touching anything.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace kolokol::registrar
