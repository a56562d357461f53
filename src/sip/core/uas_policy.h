#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sip/msg/method.h"

namespace kolokol::sip {

// What this UAS accepts, for the request checks of RFC 3261 8.2 and for the capability headers
// (Allow, Supported, Accept ...) of OPTIONS answers and error responses.
struct UasPolicy {
  // Hosts the Request-URI may name: domain names and IP literals (IPv6 with brackets), compared
  // case-insensitively. Empty means any host (a daemon started without a configuration).
  std::vector<std::string> domains;
  std::vector<Method> allowed_methods;
  std::vector<std::string> supported_option_tags;  // compared case-insensitively
  // Body types we can process. "multipart/mixed" is understood when one of its parts is.
  std::vector<std::string> accepted_body_types;
  std::vector<std::string> accepted_encodings;
  std::vector<std::string> accepted_languages;
  // Methods whose answer carries an SDP body, so an Accept without application/sdp gets 406.
  std::vector<Method> methods_answered_with_sdp;

  // The policy of this daemon: INVITE, ACK, BYE, CANCEL, OPTIONS, REGISTER, PRACK,
  // UPDATE, INFO, NOTIFY, SUBSCRIBE allowed (MESSAGE, PUBLISH, REFER not yet: 405); option tags
  // 100rel, timer; bodies application/sdp, multipart/mixed, application/dtmf-relay,
  // application/dtmf, message/sipfrag, text/plain; encoding identity; language en.
  static UasPolicy defaults();

  bool serves_host(std::string_view host) const;
  bool allows(Method method) const;
  bool supports_option(std::string_view tag) const;
  bool accepts_body_type(std::string_view media_type) const;  // exact type, lower-case
  bool accepts_encoding(std::string_view coding) const;

  // Header values listing the capabilities: "INVITE, ACK, ...", "application/sdp, ..." ...
  std::string allow_value() const;
  std::string supported_value() const;
  std::string accept_value() const;
  std::string accept_encoding_value() const;
  std::string accept_language_value() const;
};

}  // namespace kolokol::sip
