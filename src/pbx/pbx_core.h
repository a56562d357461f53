#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/log.h"
#include "base/metrics.h"
#include "base/timer_service.h"
#include "call/b2bua.h"
#include "directory/directory.h"
#include "registrar/auth_throttle.h"
#include "registrar/location_service.h"
#include "registrar/qualifier.h"
#include "registrar/registrar.h"
#include "sip/auth/digest_server.h"
#include "sip/core/default_responder.h"
#include "sip/core/request_authenticator.h"
#include "sip/core/response_factory.h"
#include "sip/core/uas_policy.h"
#include "sip/dialog/session_manager.h"
#include "sip/transport/transport_layer.h"
#include "sip/txn/transaction_layer.h"
#include "sip/txn/transaction_user.h"
#include "storage/model.h"

namespace kolokol::pbx {

struct PbxSettings {
  registrar::RegistrarConfig registrar;
  registrar::AuthThrottle::Config throttle;
  call::B2buaConfig calls;
  sip::InviteSessionConfig sessions;
  sip::UasPolicy policy = sip::UasPolicy::defaults();
};

// What the PBX hands to storage; the daemon runs these on its database thread.
struct PbxPersistence {
  std::function<void(const registrar::BindingChange&)> binding_changed;
  std::function<void(storage::CallRecord)> call_ended;
};

// The PBX on top of the SIP stack, as the transaction layer's user: checks every new request
// (RFC 3261 8.2), hands REGISTER to the registrar, authenticates every new INVITE (407 digest
// challenge in the tenant's realm, brute-force throttle) before the B2BUA sees it, routes the
// dialled number to the callee's reachable contacts, passes in-dialog requests to the dialog
// layer and answers everything else like the plain daemon did (OPTIONS 200, 405, 481 ...).
// Single-threaded: the SIP thread.
class PbxCore final : public sip::TransactionUser {
 public:
  PbxCore(sip::TransactionLayer& transactions, sip::TransportLayer& transport,
          base::TimerService& timers, base::MetricsRegistry& metrics, base::LogHub& logs,
          sip::DigestServer& digest, sip::ResponseFactory& responses, PbxSettings settings,
          PbxPersistence persistence);
  ~PbxCore() override;
  PbxCore(const PbxCore&) = delete;
  PbxCore& operator=(const PbxCore&) = delete;

  // The data the PBX starts with (from the database), and the hosts the default tenant answers
  // for besides its domains.
  void load(std::vector<storage::Tenant> tenants, std::vector<storage::Extension> extensions,
            std::vector<storage::ContactBinding> bindings, std::vector<std::string> local_hosts);
  // Graceful stop: every call is hung up (BYE/CANCEL), so each writes its record. (Refusing
  // new requests meanwhile is the stack's job.)
  void drain();

  directory::Directory& directory() { return directory_; }
  registrar::LocationService& location() { return location_; }
  call::B2bua& calls() { return *b2bua_; }
  // An extension was removed from the database: its registrations go too.
  void extension_removed(storage::RowId extension_id);

  // sip::TransactionUser
  void on_request(sip::ServerTransaction txn, const sip::Message& request,
                  const sip::Source& source) override;
  void on_ack(const sip::Message& ack, const sip::Source& source) override;
  void on_cancel(sip::ServerTransaction invite, const sip::Message& cancel,
                 const sip::Source& source) override;
  void on_stray_response(const sip::Message& response, const sip::Source& source) override;
  void on_server_failure(sip::ServerTransaction txn, sip::TransactionFailure failure) override;

 private:
  void on_invite(sip::ServerTransaction txn, const sip::Message& request,
                 const sip::Source& source);
  call::RouteDecision route(const call::CallerIdentity& caller, const sip::Message& invite);
  std::optional<call::ForkTarget> fork_target(const registrar::Binding& binding);
  sip::NameAddr contact_towards(const sip::Endpoint& local, const std::string& remote);

  sip::TransactionLayer& transactions_;
  sip::TransportLayer& transport_;
  base::TimerService& timers_;
  base::Logger log_;
  sip::DigestServer& digest_;
  sip::ResponseFactory& responses_;
  PbxSettings settings_;
  PbxPersistence persistence_;
  directory::Directory directory_;
  sip::RequestAuthenticator authenticator_;
  std::unique_ptr<sip::DefaultResponder> fallback_;
  registrar::AuthThrottle throttle_;
  registrar::LocationService location_;
  std::unique_ptr<registrar::Registrar> registrar_;
  std::unique_ptr<registrar::Qualifier> qualifier_;
  std::unique_ptr<sip::SessionManager> sessions_;
  std::unique_ptr<call::B2bua> b2bua_;
  base::Counter& invite_challenges_;
  base::Counter& invite_refused_;
};

}  // namespace kolokol::pbx
