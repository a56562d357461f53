#pragma once

#include <map>
#include <string>
#include <string_view>

#include "sip/dialog/dialog.h"
#include "sip/msg/message.h"

namespace kolokol::sip {

// The dialogs one INVITE of ours may create when a proxy forks it (RFC 3261 12.1.2, 13.2.2.4):
// every 1xx with a new To tag creates an early dialog; a 2xx confirms its dialog; a final
// non-2xx terminates the early ones.
class DialogSet {
 public:
  explicit DialogSet(Message request, bool sent_over_tls = false)
      : request_(std::move(request)), sent_over_tls_(sent_over_tls) {}

  const Message& request() const { return request_; }
  std::string_view call_id() const { return request_.call_id(); }

  // The dialog the response belongs to, created when new; nullptr when the response creates no
  // dialog (100, a 1xx without To tag, a 3xx-6xx; the latter terminates all early dialogs).
  Dialog* on_response(const Message& response);

  Dialog* find(std::string_view remote_tag);
  std::size_t size() const { return dialogs_.size(); }
  // A 2xx has confirmed some dialog of the set.
  bool has_confirmed() const;
  // Drops terminated dialogs.
  void prune();

 private:
  Message request_;
  bool sent_over_tls_;
  std::map<std::string, Dialog, std::less<>> dialogs_;  // by remote tag
};

}  // namespace kolokol::sip
