#include "server/admin_views.h"

#include <ctime>

namespace kolokol::server {

std::string utc_text(storage::UnixSeconds seconds) {
  const std::time_t time = static_cast<std::time_t>(seconds);
  std::tm parts{};
  if (::gmtime_r(&time, &parts) == nullptr) return std::to_string(seconds);
  char text[32];
  const std::size_t length = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return length == 0 ? std::to_string(seconds) : std::string(text, length);
}

nlohmann::json tenant_view(const storage::Tenant& tenant) {
  return {{"name", tenant.name},
          {"realm", tenant.realm},
          {"domains", tenant.domains},
          {"default", tenant.is_default}};
}

nlohmann::json extension_view(const storage::Extension& extension, const std::string& tenant) {
  return {{"tenant", tenant},
          {"number", extension.number},
          {"name", extension.display_name},
          {"enabled", extension.enabled}};
}

nlohmann::json registration_view(const registrar::Binding& binding, const std::string& tenant,
                                 const std::string& number, storage::UnixSeconds now) {
  const storage::ContactBinding& record = binding.record;
  return {{"tenant", tenant},
          {"number", number},
          {"contact", record.contact},
          {"instance_id", record.instance_id},
          {"expires_at", utc_text(record.expires_at)},
          {"expires_in", record.expires_at > now ? record.expires_at - now : 0},
          {"q", record.q},
          {"path", record.path},
          {"received", record.received},
          {"local", record.local},
          {"user_agent", record.user_agent},
          {"reachable", binding.reachable}};
}

nlohmann::json call_view(const call::CallInfo& call, const std::string& tenant,
                         storage::UnixSeconds now) {
  nlohmann::json view = {{"call_id", call.call_id},
                         {"chain_id", call.chain_id},
                         {"tenant", tenant},
                         {"caller", call.caller},
                         {"callee", call.callee},
                         {"state", call.state},
                         {"start", utc_text(call.start)},
                         {"answer", nullptr},
                         {"duration_s", 0},
                         {"forks", call.forks},
                         {"caller_digits", call.caller_digits},
                         {"callee_digits", call.callee_digits}};
  if (call.answer) {
    view["answer"] = utc_text(*call.answer);
    view["duration_s"] = now > *call.answer ? now - *call.answer : 0;
  }
  return view;
}

namespace {

nlohmann::json media_quality_view(const storage::MediaQuality& quality) {
  return {{"rtp_packets", quality.packets},
          {"rtp_lost", quality.lost},
          {"jitter_ms", quality.jitter_ms},
          {"reported_lost", quality.reported_lost < 0 ? nlohmann::json(nullptr)
                                                      : nlohmann::json(quality.reported_lost)}};
}

}  // namespace

nlohmann::json call_record_view(const storage::CallRecord& record, const std::string& tenant) {
  nlohmann::json view = {
      {"call_id", record.call_id},
      {"chain_id", record.chain_id},
      {"tenant", tenant},
      {"caller", record.caller},
      {"caller_name", record.caller_name},
      {"callee", record.callee},
      {"start", utc_text(record.start)},
      {"answer", record.answer ? nlohmann::json(utc_text(*record.answer)) : nullptr},
      {"end", utc_text(record.end)},
      {"duration_ms", record.duration_ms},
      {"disposition", storage::disposition_name(record.disposition)},
      {"sip_status", record.sip_status},
      {"ended_by", record.ended_by},
      {"end_reason", record.end_reason},
      {"media", record.media_anchored ? "anchored" : "direct"}};
  if (record.media_anchored) {
    view["caller_media"] = media_quality_view(record.caller_media);
    view["callee_media"] = media_quality_view(record.callee_media);
  }
  return view;
}

}  // namespace kolokol::server
