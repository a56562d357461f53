#pragma once

#include "api/http/health.h"
#include "api/http/router.h"
#include "base/metrics.h"

namespace kolokol::http {

// GET /health: 200 {"status":"ok","version":...,"uptime_s":...} when ready; 503 with status
// "starting" before, "draining" once a graceful stop began.
// GET /metrics: the registry's series plus the process ones, Prometheus text format 0.0.4.
// Both objects must outlive the server the router is given to.
void add_standard_routes(Router& router, const HealthState& health,
                         const base::MetricsRegistry& metrics);

}  // namespace kolokol::http
