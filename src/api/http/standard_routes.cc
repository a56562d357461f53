#include "api/http/standard_routes.h"

#include "api/http/process_metrics.h"

namespace kolokol::http {

void add_standard_routes(Router& router, const HealthState& health,
                         const base::MetricsRegistry& metrics) {
  router.add("GET", "/health", [&health](const Request&) {
    Response response;
    const auto phase = health.phase();
    const char* status = phase == HealthState::Phase::Ready      ? "\"ok\""
                         : phase == HealthState::Phase::Starting ? "\"starting\""
                                                                 : "\"draining\"";
    response.status = phase == HealthState::Phase::Ready ? 200 : 503;
    response.content_type = "application/json";
    response.body = std::string("{\"status\":") + status +
                    ",\"version\":" + json_string(health.version()) +
                    ",\"uptime_s\":" + std::to_string(health.uptime().count()) + "}";
    response.headers.emplace_back("Cache-Control", "no-store");
    return response;
  });
  router.add("GET", "/metrics", [&health, &metrics](const Request&) {
    Response response;
    response.content_type = "text/plain; version=0.0.4; charset=utf-8";
    response.body =
        metrics.render_prometheus() + render_process_metrics(health.version(), health.started_at());
    return response;
  });
}

}  // namespace kolokol::http
