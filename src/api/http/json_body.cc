#include "api/http/json_body.h"

#include <algorithm>

#include "base/text.h"

namespace kolokol::http {
namespace {

const char* type_name(const nlohmann::json& value) {
  if (value.is_string()) return "a string";
  if (value.is_boolean()) return "true or false";
  if (value.is_number()) return "a number";
  if (value.is_null()) return "null";
  if (value.is_array()) return "an array";
  return "an object";
}

// The member, nullptr when absent; 422 when present with a type `is_type` refuses.
const nlohmann::json* member(const nlohmann::json& object, std::string_view field,
                             bool (nlohmann::json::*is_type)() const noexcept,
                             const char* expected) {
  const auto found = object.find(field);
  if (found == object.end()) return nullptr;
  if (!((*found).*is_type)()) {
    throw ProblemError(422,
                       std::string(field) + ": expected " + expected + ", got " + type_name(*found),
                       std::string(field));
  }
  return &*found;
}

// nlohmann's parse_error text without its "[json.exception.parse_error.101] " prefix.
std::string parse_error_text(const std::string& what) {
  const auto bracket = what.find("] ");
  return bracket != std::string::npos && what.front() == '[' ? what.substr(bracket + 2) : what;
}

}  // namespace

bool is_json_media_type(std::string_view content_type) {
  const auto semicolon = content_type.find(';');
  std::string_view type = content_type.substr(0, semicolon);
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
  while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.remove_prefix(1);
  return base::iequals(type, "application/json");
}

nlohmann::json read_json_object(const Request& request,
                                std::initializer_list<std::string_view> allowed) {
  if (request.body.empty()) return nlohmann::json::object();
  const std::string_view content_type = request.header("Content-Type");
  if (!is_json_media_type(content_type)) {
    throw ProblemError(415,
                       content_type.empty()
                           ? std::string("the body needs Content-Type: application/json")
                           : "the body must be application/json, not " + std::string(content_type));
  }
  nlohmann::json body;
  try {
    body = nlohmann::json::parse(request.body);
  } catch (const nlohmann::json::parse_error& e) {
    throw ProblemError(400, "the body is not valid JSON: " + parse_error_text(e.what()));
  }
  if (!body.is_object()) {
    throw ProblemError(400, std::string("the body must be a JSON object, got ") + type_name(body));
  }
  for (const auto& [name, value] : body.items()) {
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      std::string known;
      for (const auto& each : allowed) known += (known.empty() ? "" : ", ") + std::string(each);
      throw ProblemError(422, "unknown field " + name + " (known: " + known + ")", name);
    }
  }
  return body;
}

std::optional<std::string> optional_string(const nlohmann::json& object, std::string_view field) {
  const auto* value = member(object, field, &nlohmann::json::is_string, "a string");
  if (!value) return std::nullopt;
  return value->get<std::string>();
}

std::optional<bool> optional_bool(const nlohmann::json& object, std::string_view field) {
  const auto* value = member(object, field, &nlohmann::json::is_boolean, "true or false");
  if (!value) return std::nullopt;
  return value->get<bool>();
}

std::string required_string(const nlohmann::json& object, std::string_view field) {
  auto value = optional_string(object, field);
  if (!value) throw ProblemError(422, std::string(field) + ": missing", std::string(field));
  return std::move(*value);
}

Response json_response(const nlohmann::json& body, int status) {
  Response response;
  response.status = status;
  response.content_type = "application/json";
  response.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return response;
}

}  // namespace kolokol::http
