#pragma once

#include "directory/directory.h"
#include "sip/core/request_authenticator.h"

namespace kolokol::registrar {

// The RequestAuthenticator's account lookup over the directory: the realm names the tenant, the
// user name its extension; the secret is the extension's stored HA1 values. Disabled extensions
// and unknown users have none (the authenticator answers both with the same 403). The
// directory must outlive the returned function.
sip::AccountLookup directory_account_lookup(const directory::Directory& directory);

}  // namespace kolokol::registrar
