#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "call/call_types.h"
#include "registrar/location_service.h"
#include "storage/model.h"

namespace kolokol::server {

// The JSON the admin API shows for each kind of object (docs/api.md). Instants are RFC 3339 UTC
// text ("2024-05-01T12:00:00Z"); names stand in for row ids, which are nobody's business.

std::string utc_text(storage::UnixSeconds seconds);

nlohmann::json tenant_view(const storage::Tenant& tenant);
// Never the HA1 hashes: with them anyone can register as the extension.
nlohmann::json extension_view(const storage::Extension& extension, const std::string& tenant);
nlohmann::json registration_view(const registrar::Binding& binding, const std::string& tenant,
                                 const std::string& number, storage::UnixSeconds now);
nlohmann::json call_view(const call::CallInfo& call, const std::string& tenant,
                         storage::UnixSeconds now);
nlohmann::json call_record_view(const storage::CallRecord& record, const std::string& tenant);

}  // namespace kolokol::server
