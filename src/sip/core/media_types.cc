#include "sip/core/media_types.h"

namespace kolokol::sip {
namespace {

char to_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = to_lower(c);
  return out;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (to_lower(a[i]) != to_lower(b[i])) return false;
  }
  return true;
}

// Splits "a/b; p=1; q=\"x;y\"" at semicolons outside quotes.
std::vector<std::string_view> split_params(std::string_view value) {
  std::vector<std::string_view> out;
  bool quoted = false;
  std::size_t start = 0;
  for (std::size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    if (c == '"') quoted = !quoted;
    if (c == '\\' && quoted) {
      ++i;
      continue;
    }
    if (c == ';' && !quoted) {
      out.push_back(trim(value.substr(start, i - start)));
      start = i + 1;
    }
  }
  out.push_back(trim(value.substr(start)));
  return out;
}

std::optional<std::string> param_of(const std::vector<std::string_view>& parts,
                                    std::string_view name) {
  for (std::size_t i = 1; i < parts.size(); ++i) {
    const std::size_t eq = parts[i].find('=');
    if (eq == std::string_view::npos) continue;
    if (!equal_ignoring_case(trim(parts[i].substr(0, eq)), name)) continue;
    std::string_view value = trim(parts[i].substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    return std::string(value);
  }
  return std::nullopt;
}

// Header lines of one MIME part, up to the blank line; returns the Content-Type value.
std::string part_content_type(std::string_view part) {
  std::size_t pos = 0;
  while (pos < part.size()) {
    std::size_t end = part.find('\n', pos);
    if (end == std::string_view::npos) end = part.size();
    const std::string_view line = trim(part.substr(pos, end - pos));
    if (line.empty()) break;
    const std::size_t colon = line.find(':');
    if (colon != std::string_view::npos) {
      const std::string_view name = trim(line.substr(0, colon));
      if (equal_ignoring_case(name, "Content-Type") || equal_ignoring_case(name, "c")) {
        return media_type_of(line.substr(colon + 1));
      }
    }
    pos = end + 1;
  }
  return "text/plain";
}

}  // namespace

std::string media_type_of(std::string_view content_type) {
  return lower(split_params(content_type).front());
}

std::optional<std::string> media_type_param(std::string_view content_type, std::string_view name) {
  return param_of(split_params(content_type), name);
}

bool accept_admits(const std::vector<std::string_view>& accept_values,
                   std::string_view media_type) {
  const std::size_t slash = media_type.find('/');
  const std::string_view type = media_type.substr(0, slash);
  for (std::string_view value : accept_values) {
    const auto parts = split_params(value);
    const std::string range = lower(parts.front());
    if (range.empty()) continue;
    if (auto q = param_of(parts, "q"); q && !q->empty()) {
      bool zero = true;
      for (char c : *q) zero = zero && (c == '0' || c == '.');
      if (zero) continue;
    }
    if (range == "*/*" || equal_ignoring_case(range, media_type)) return true;
    if (range.size() > 2 && range.ends_with("/*") &&
        equal_ignoring_case(std::string_view(range).substr(0, range.size() - 2), type)) {
      return true;
    }
  }
  return false;
}

std::vector<std::string> multipart_part_types(std::string_view body, std::string_view boundary,
                                              std::size_t max_parts) {
  std::vector<std::string> types;
  if (boundary.empty()) return types;
  const std::string delimiter = "--" + std::string(boundary);
  std::size_t pos = body.find(delimiter);
  while (pos != std::string_view::npos && types.size() < max_parts) {
    std::size_t after = pos + delimiter.size();
    if (body.substr(after, 2) == "--") break;  // close delimiter
    const std::size_t line_end = body.find('\n', after);
    if (line_end == std::string_view::npos) break;
    const std::size_t next = body.find(delimiter, line_end + 1);
    const std::string_view part =
        body.substr(line_end + 1,
                    next == std::string_view::npos ? std::string_view::npos : next - line_end - 1);
    types.push_back(part_content_type(part));
    pos = next;
  }
  return types;
}

}  // namespace kolokol::sip
