#pragma once

#include <string>

#include "api/http/router.h"
#include "base/log.h"

namespace kolokol::server {

class PbxStore;
class SipStack;

// What the admin API works with. Both objects must outlive the HTTP server the routes are given
// to, and that server must stop before either of them (handlers wait on their threads).
struct AdminContext {
  PbxStore& store;
  SipStack& sip;
  std::string token;  // the bearer token every /api/v1 route requires
  base::Logger log;
};

// The admin API under /api/v1 (docs/api.md): tenants; extensions (list, show, add, change,
// remove, new password); registrations; active calls; call records. Every route requires the
// bearer token. Handlers run on the HTTP thread and wait for the database thread and the SIP
// thread; after each committed write the live PBX is updated too, so a new extension can
// register at once and a removed one loses its registrations.
void add_admin_routes(http::Router& router, AdminContext context);

}  // namespace kolokol::server
