#include "sip/dialog/dialog_set.h"

namespace kolokol::sip {

Dialog* DialogSet::on_response(const Message& response) {
  const int status = response.status();
  if (status >= 300) {
    for (auto& [tag, dialog] : dialogs_) {
      if (dialog.state() == DialogState::Early) dialog.terminate();
    }
    return nullptr;
  }
  if (status <= 100) return nullptr;
  const NameAddr* to = response.to();
  if (!to) return nullptr;
  const auto tag = to->tag();
  if (!tag || tag->empty()) return nullptr;
  if (auto it = dialogs_.find(*tag); it != dialogs_.end()) {
    if (it->second.state() == DialogState::Terminated) return nullptr;
    it->second.update_from_response(Method::Invite, response);
    return &it->second;
  }
  auto created = Dialog::create_uac(request_, response, sent_over_tls_);
  if (!created) return nullptr;
  auto [it, inserted] = dialogs_.emplace(std::string(*tag), std::move(*created));
  return &it->second;
}

Dialog* DialogSet::find(std::string_view remote_tag) {
  auto it = dialogs_.find(remote_tag);
  return it == dialogs_.end() ? nullptr : &it->second;
}

bool DialogSet::has_confirmed() const {
  for (const auto& [tag, dialog] : dialogs_) {
    if (dialog.state() == DialogState::Confirmed) return true;
  }
  return false;
}

void DialogSet::prune() {
  std::erase_if(dialogs_,
                [](const auto& entry) { return entry.second.state() == DialogState::Terminated; });
}

}  // namespace kolokol::sip
