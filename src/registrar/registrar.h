#pragma once

#include <functional>
#include <string>
#include <vector>

#include "base/log.h"
#include "base/metrics.h"
#include "directory/directory.h"
#include "registrar/auth_throttle.h"
#include "registrar/binding_change.h"
#include "registrar/location_service.h"
#include "registrar/registrar_config.h"
#include "sip/core/request_authenticator.h"
#include "sip/core/response_factory.h"
#include "sip/msg/message.h"
#include "sip/transport/endpoint.h"

namespace kolokol::registrar {

// The registrar (RFC 3261 10.3) of a multi-tenant PBX: REGISTER in, the response out (the caller
// sends it on the server transaction). The Request-URI must name one of our domains (else 404);
// the tenant comes from the To host and must be the Request-URI's unless that names this server
// by one of its addresses (else 404, step 5); the account is the To user. Digest authentication
// runs in the tenant's realm and the authenticated user must be the To user; unknown users are
// challenged like known ones and then get the same 403 as a wrong password. Failures feed the
// AuthThrottle, whose bans are answered with 403 before any digest work.
//
// Contacts are added, refreshed and removed in the LocationService atomically per request (all
// checks first), and every change goes to `on_change` for persistence by the daemon: this class
// does no I/O. Wall-clock time (binding expiry, the Date header) comes from `wall_clock`
// (system_clock when empty).
class Registrar {
 public:
  using WallClock = std::function<storage::UnixSeconds()>;

  Registrar(const directory::Directory& directory, LocationService& location,
            sip::RequestAuthenticator& auth, AuthThrottle& throttle,
            sip::ResponseFactory& responses, base::MetricsRegistry& metrics, RegistrarConfig config,
            base::Logger log, std::function<void(const BindingChange&)> on_change,
            WallClock wall_clock = {});

  // Updates the registrar_contacts gauge after the location service changed behind the
  // registrar's back (restored at start, an extension removed).
  void count_contacts() { contacts_.set(static_cast<std::int64_t>(location_.size())); }
  sip::Message handle(const sip::Message& request, const sip::Source& source);

 private:
  struct Planned;

  sip::Message update_bindings(const sip::Message& request, const sip::Source& source,
                               const storage::Tenant& tenant, const storage::Extension& extension);
  sip::Message remove_all(const sip::Message& request, const sip::Source& source,
                          const storage::Extension& extension, storage::UnixSeconds now);
  sip::Message ok_with_bindings(const sip::Message& request, storage::RowId extension_id,
                                storage::UnixSeconds now);
  // Frees a slot for a new contact when the extension is at max_contacts: removes the binding
  // closest to expiring among those this request did not touch.
  void make_room(const storage::Extension& extension, const std::vector<std::uint64_t>& touched,
                 storage::UnixSeconds now);
  sip::Message refuse(const sip::Message& request, const sip::Source& source, int status,
                      std::string_view reason, std::string_view why);
  void report(BindingChange::Kind kind, storage::ContactBinding binding);
  storage::UnixSeconds now() const;

  const directory::Directory& directory_;
  LocationService& location_;
  sip::RequestAuthenticator& auth_;
  AuthThrottle& throttle_;
  sip::ResponseFactory& responses_;
  RegistrarConfig config_;
  base::Logger log_;
  std::function<void(const BindingChange&)> on_change_;
  WallClock wall_clock_;
  base::Counter& registered_;
  base::Counter& refused_;
  base::Gauge& contacts_;
};

// The Date header value for a moment (RFC 3261 20.17, RFC 1123 form, always GMT and English):
// "Sat, 13 Nov 2010 23:29:00 GMT".
std::string sip_date(storage::UnixSeconds seconds);

}  // namespace kolokol::registrar
