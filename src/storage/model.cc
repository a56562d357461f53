#include "storage/model.h"

#include <array>
#include <chrono>
#include <string_view>
#include <utility>

namespace kolokol::storage {
namespace {

constexpr std::array<std::pair<Disposition, const char*>, 8> kDispositionNames{{
    {Disposition::Answered, "answered"},
    {Disposition::Busy, "busy"},
    {Disposition::NoAnswer, "no-answer"},
    {Disposition::Cancelled, "cancelled"},
    {Disposition::NotFound, "not-found"},
    {Disposition::Unavailable, "unavailable"},
    {Disposition::Rejected, "rejected"},
    {Disposition::Failed, "failed"},
}};

}  // namespace

UnixSeconds unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

const char* disposition_name(Disposition disposition) {
  for (const auto& [value, name] : kDispositionNames) {
    if (value == disposition) return name;
  }
  return "failed";
}

std::optional<Disposition> disposition_from_name(std::string_view name) {
  for (const auto& [value, text] : kDispositionNames) {
    if (name == text) return value;
  }
  return std::nullopt;
}

}  // namespace kolokol::storage
