#pragma once

#include <chrono>
#include <string>

namespace kolokol::http {

// Process-level series in Prometheus text format, read from /proc on each scrape:
// process_resident_memory_bytes, process_virtual_memory_bytes, process_open_fds,
// process_max_fds, process_cpu_seconds_total, process_start_time_seconds and
// kolokol_build_info{version="..."} 1.
std::string render_process_metrics(const std::string& version,
                                   std::chrono::system_clock::time_point started_at);

}  // namespace kolokol::http
