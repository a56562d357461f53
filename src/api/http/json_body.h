#pragma once

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "api/http/message.h"
#include "base/expected.h"

namespace kolokol::http {

// JSON request bodies and responses for API handlers. Every helper that rejects input throws
// ProblemError, which the Router turns into the problem response; the detail and the "field"
// member name the offending input.

// "application/json", any case, with or without parameters ("; charset=utf-8").
bool is_json_media_type(std::string_view content_type);

// The body as a JSON object whose members are all in `allowed`; an empty body reads as {}.
// 415 for a body of another Content-Type, 400 for one that is not JSON (saying where it broke)
// or not an object, 422 naming the first member not in `allowed`: a misspelt field is an error,
// never silently ignored.
nlohmann::json read_json_object(const Request& request,
                                std::initializer_list<std::string_view> allowed);

// Member `field` of `object`; nullopt when absent. 422 naming the field when it has another
// type, null included (leave a member out to leave its value alone).
std::optional<std::string> optional_string(const nlohmann::json& object, std::string_view field);
std::optional<bool> optional_bool(const nlohmann::json& object, std::string_view field);
// As optional_string, and 422 "missing" when absent.
std::string required_string(const nlohmann::json& object, std::string_view field);

// The value a parser accepted, or 422 "<field>: <reason>" naming the field.
template <typename T>
T valid_field(std::string_view field, base::Expected<T, std::string> parsed) {
  if (!parsed) {
    throw ProblemError(422, std::string(field) + ": " + parsed.error(), std::string(field));
  }
  return std::move(*parsed);
}

// `body` as application/json. Text that is not UTF-8 is replaced (U+FFFD), never thrown on:
// names may come from older data.
Response json_response(const nlohmann::json& body, int status = 200);

}  // namespace kolokol::http
