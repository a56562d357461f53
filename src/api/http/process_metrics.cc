#include "api/http/process_metrics.h"

#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace kolokol::http {
namespace {

void append_family(std::string& out, const std::string& name, const char* type, const char* help) {
  out += "# HELP " + name + ' ' + help + "\n# TYPE " + name + ' ' + type + '\n';
}

void append(std::string& out, const std::string& name, const char* type, const char* help,
            const std::string& value) {
  append_family(out, name, type, help);
  out += name + ' ' + value + '\n';
}

std::string escape_label(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

struct Memory {
  long long resident = -1;
  long long virtual_size = -1;
};

Memory read_memory() {
  Memory memory;
  std::ifstream statm("/proc/self/statm");
  long long pages_virtual = 0;
  long long pages_resident = 0;
  if (statm >> pages_virtual >> pages_resident) {
    const long long page = ::sysconf(_SC_PAGESIZE);
    memory.virtual_size = pages_virtual * page;
    memory.resident = pages_resident * page;
  }
  return memory;
}

long long count_open_fds() {
  std::error_code ec;
  long long count = 0;
  for (std::filesystem::directory_iterator it("/proc/self/fd", ec), end; !ec && it != end;
       it.increment(ec)) {
    ++count;
  }
  return ec ? -1 : count - 1;  // minus the descriptor of the directory being listed
}

double read_cpu_seconds() {
  std::ifstream stat("/proc/self/stat");
  std::string line;
  if (!std::getline(stat, line)) return -1;
  // Fields after the command name, which is in parentheses and may itself hold spaces.
  const auto close = line.rfind(')');
  if (close == std::string::npos) return -1;
  std::istringstream fields(line.substr(close + 2));
  std::string field;
  unsigned long long utime = 0;
  unsigned long long stime = 0;
  // utime and stime are fields 14 and 15 of stat(5); the stream starts at field 3.
  for (int index = 3; index <= 15 && fields >> field; ++index) {
    if (index == 14) utime = std::stoull(field);
    if (index == 15) stime = std::stoull(field);
  }
  return static_cast<double>(utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

std::string number(double value) {
  std::ostringstream out;
  out.precision(15);
  out << value;
  return out.str();
}

}  // namespace

std::string render_process_metrics(const std::string& version,
                                   std::chrono::system_clock::time_point started_at) {
  std::string out;
  const Memory memory = read_memory();
  append(out, "process_resident_memory_bytes", "gauge", "Resident memory size in bytes.",
         std::to_string(memory.resident));
  append(out, "process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.",
         std::to_string(memory.virtual_size));
  append(out, "process_open_fds", "gauge", "Number of open file descriptors.",
         std::to_string(count_open_fds()));
  rlimit limit{};
  const long long max_fds =
      ::getrlimit(RLIMIT_NOFILE, &limit) == 0 ? static_cast<long long>(limit.rlim_cur) : -1;
  append(out, "process_max_fds", "gauge", "Maximum number of open file descriptors.",
         std::to_string(max_fds));
  append(out, "process_cpu_seconds_total", "counter", "Total user and system CPU time in seconds.",
         number(read_cpu_seconds()));
  const auto start = std::chrono::duration<double>(started_at.time_since_epoch()).count();
  append(out, "process_start_time_seconds", "gauge",
         "Start time of the process since the Unix epoch in seconds.", number(start));
  append_family(out, "kolokol_build_info", "gauge", "Build information; the value is always 1.");
  out += "kolokol_build_info{version=\"" + escape_label(version) + "\"} 1\n";
  return out;
}

}  // namespace kolokol::http
