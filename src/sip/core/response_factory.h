#pragma once

#include <string>
#include <string_view>

#include "sip/core/request_validator.h"
#include "sip/msg/ids.h"
#include "sip/msg/message.h"

namespace kolokol::sip {

// Builds the responses this UAS sends itself (RFC 3261 8.2.6): make_response() plus our Server
// header and a To tag on every response but 100 (8.2.6.2). A caller that sends several
// responses in one dialog (180 then 200) passes the same to_tag to each.
class ResponseFactory {
 public:
  // server: the Server header value ("Kolokol/0.1"), empty for none. warn_agent: the host name
  // or pseudonym of Warning headers (RFC 3261 20.43).
  ResponseFactory(std::string server, std::string warn_agent, IdGenerator ids = IdGenerator());

  Message make(const Message& request, int status, std::string_view reason = {},
               std::string_view to_tag = {});
  // A response carrying what the rejection asks for (Warning, Allow, Unsupported ...).
  Message reject(const Message& request, const Rejection& rejection);

  // 399 <agent> "<text>" with the text made safe for a quoted-string.
  std::string warning_value(std::string_view text) const;
  std::string new_tag() { return ids_.tag(); }

 private:
  std::string server_;
  std::string warn_agent_;
  IdGenerator ids_;
};

}  // namespace kolokol::sip
