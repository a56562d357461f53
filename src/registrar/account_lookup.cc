#include "registrar/account_lookup.h"

namespace kolokol::registrar {

sip::AccountLookup directory_account_lookup(const directory::Directory& directory) {
  return [&directory](std::string_view username,
                      std::string_view realm) -> std::optional<sip::DigestSecret> {
    const storage::Tenant* tenant = directory.tenant_for_realm(realm);
    if (!tenant) return std::nullopt;
    const storage::Extension* extension = directory.extension(tenant->id, username);
    if (!extension || !extension->enabled) return std::nullopt;
    if (extension->ha1_md5.empty() && extension->ha1_sha256.empty()) return std::nullopt;
    sip::DigestSecret secret;
    if (!extension->ha1_md5.empty()) secret.ha1_md5 = extension->ha1_md5;
    if (!extension->ha1_sha256.empty()) secret.ha1_sha256 = extension->ha1_sha256;
    return secret;
  };
}

}  // namespace kolokol::registrar
