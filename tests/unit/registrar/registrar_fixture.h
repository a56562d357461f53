#pragma once

// A Registrar over a real DigestServer and directory, with REGISTERs answered by a real
// DigestClient: what the registrar tests share.

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "base/metrics.h"
#include "base/timer_service.h"
#include "directory/directory.h"
#include "registrar/account_lookup.h"
#include "registrar/registrar.h"
#include "sip/auth/digest_algorithm.h"
#include "sip/auth/digest_client.h"
#include "sip/auth/digest_server.h"
#include "sip/msg/message.h"

namespace kolokol::registrar::testing {

using namespace std::chrono_literals;

inline sip::Message parse_text(const std::string& text) {
  auto parsed = sip::parse_message(text);
  if (!parsed) {
    ADD_FAILURE() << "unparsable: " << text;
    return sip::Message::response(500);
  }
  return std::move(*parsed);
}

inline storage::Extension make_extension(storage::RowId id, storage::RowId tenant_id,
                                         const std::string& number, const std::string& realm,
                                         const std::string& password) {
  storage::Extension extension{id, tenant_id, number, "", "", "", true};
  extension.ha1_md5 = sip::compute_ha1(sip::DigestAlgorithm::Md5, number, realm, password);
  extension.ha1_sha256 = sip::compute_ha1(sip::DigestAlgorithm::Sha256, number, realm, password);
  return extension;
}

// What one REGISTER carries besides the mandatory headers.
struct RegisterSpec {
  std::string user = "1001";
  std::string domain = "pbx.test";        // To/From host
  std::string request_host = "pbx.test";  // Request-URI host
  std::string contacts;                   // Contact value(s); empty: no Contact
  std::string extra;                      // further header lines, each ending in \r\n
};

class RegistrarTest : public ::testing::Test {
 protected:
  RegistrarTest() {
    // The DigestServer's own realm is neither tenant's: every challenge must name the tenant's.
    storage::Tenant pbx{1, "pbx", "pbx.test", {"pbx.test"}, true};
    storage::Tenant acme{2, "acme", "acme.realm", {"acme.test"}, false};
    directory.replace({pbx, acme}, {make_extension(10, 1, "1001", "pbx.test", "alice-pw"),
                                    make_extension(11, 1, "1002", "pbx.test", "bob-pw"),
                                    make_extension(20, 2, "1001", "acme.realm", "carol-pw")});
    directory.set_local_hosts({"127.0.0.1"});
    config.max_contacts = 3;
  }

  std::string request_text(const RegisterSpec& spec, int cseq) const {
    std::string text = "REGISTER sip:" + spec.request_host +
                       " SIP/2.0\r\n"
                       "Via: SIP/2.0/UDP 192.0.2.5:5062;branch=z9hG4bK" +
                       std::to_string(cseq) + "x" + std::to_string(call_serial_) +
                       "\r\n"
                       "From: <sip:" +
                       spec.user + "@" + spec.domain +
                       ">;tag=abc\r\n"
                       "To: <sip:" +
                       spec.user + "@" + spec.domain +
                       ">\r\n"
                       "Call-ID: " +
                       call_id +
                       "\r\n"
                       "CSeq: " +
                       std::to_string(cseq) +
                       " REGISTER\r\n"
                       "Max-Forwards: 70\r\n";
    if (!spec.contacts.empty()) text += "Contact: " + spec.contacts + "\r\n";
    return text + spec.extra + "Content-Length: 0\r\n\r\n";
  }

  // REGISTER, 401, REGISTER with credentials (as `auth_user`): the final response.
  sip::Message do_register(const RegisterSpec& spec, const std::string& password,
                           const sip::Source& from = phone(), const std::string& auth_user = {}) {
    ++call_serial_;
    sip::Message first = parse_text(request_text(spec, ++cseq));
    sip::Message challenge = registrar().handle(first, from);
    last_challenge = challenge.clone();
    if (challenge.status() != 401) return challenge;
    sip::DigestClient client(auth_user.empty() ? spec.user : auth_user, password);
    client.on_challenge(challenge);
    sip::Message second = parse_text(request_text(spec, ++cseq));
    client.authorize(second);
    return registrar().handle(second, from);
  }
  sip::Message do_register(const std::string& contacts, const std::string& extra = {},
                           const std::string& password = "alice-pw") {
    RegisterSpec spec;
    spec.contacts = contacts;
    spec.extra = extra;
    return do_register(spec, password);
  }

  Registrar& registrar() {
    if (!registrar_) {
      registrar_ = std::make_unique<Registrar>(
          directory, location, auth, throttle, responses, metrics, config, base::Logger{},
          [this](const BindingChange& change) { changes.push_back(change); },
          [this] { return wall; });
    }
    return *registrar_;
  }

  std::vector<std::string> contact_values(const sip::Message& response) const {
    std::vector<std::string> out;
    for (auto value : response.values(sip::HeaderId::Contact)) out.emplace_back(value);
    return out;
  }

  static sip::Source phone() {
    return {{sip::Transport::Udp, "192.0.2.5", 5062}, {sip::Transport::Udp, "127.0.0.1", 5060}, 0};
  }
  static sip::Source phone_at(std::string address) {
    sip::Source source = phone();
    source.remote.address = std::move(address);
    return source;
  }

  base::ManualTimerService timers;
  base::MetricsRegistry metrics;
  directory::Directory directory;
  LocationService location;
  sip::DigestServer digest{sip::DigestServer::Config{"server.realm"}, timers};
  sip::RequestAuthenticator auth{digest, directory_account_lookup(directory)};
  AuthThrottle throttle{AuthThrottle::Config{3, 60s, 300s, 100}, timers, base::Logger{}};
  sip::ResponseFactory responses{"test", "test"};
  RegistrarConfig config;
  std::vector<BindingChange> changes;
  storage::UnixSeconds wall = 1'000'000;
  std::string call_id = "reg-1@192.0.2.5";
  int cseq = 0;
  sip::Message last_challenge = sip::Message::response(100);

 private:
  int call_serial_ = 0;
  std::unique_ptr<Registrar> registrar_;
};

}  // namespace kolokol::registrar::testing
