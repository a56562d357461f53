#include "api/http/bearer_auth.h"

#include <gtest/gtest.h>

namespace kolokol::http {
namespace {

Response call(const Handler& handler, std::string authorization) {
  Request request;
  request.method = "GET";
  request.path = request.target = "/api/v1/tenants";
  if (!authorization.empty()) request.headers.emplace_back("Authorization", authorization);
  return handler(request);
}

std::string header(const Response& response, const std::string& name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) return value;
  }
  return "";
}

Handler guarded() {
  return require_bearer(std::make_shared<const std::string>("s3cret-token-value"),
                        [](const Request&) {
                          return Response{200, "text/plain", "inside", {}};
                        });
}

TEST(ConstantTimeEqual, ComparesContentAndLength) {
  EXPECT_TRUE(constant_time_equal("abc", "abc"));
  EXPECT_TRUE(constant_time_equal("", ""));
  EXPECT_FALSE(constant_time_equal("abc", "abd"));
  EXPECT_FALSE(constant_time_equal("abc", "ab"));
  EXPECT_FALSE(constant_time_equal("ab", "abc"));
  EXPECT_FALSE(constant_time_equal("", "a"));
  EXPECT_FALSE(constant_time_equal(std::string_view("a\0", 2), "a"));
}

TEST(RequireBearer, RightTokenReachesTheHandler) {
  EXPECT_EQ(call(guarded(), "Bearer s3cret-token-value").body, "inside");
  EXPECT_EQ(call(guarded(), "bearer  s3cret-token-value ").body, "inside");  // scheme any case
}

TEST(RequireBearer, MissingAuthorizationIs401WithChallenge) {
  const Response response = call(guarded(), "");
  EXPECT_EQ(response.status, 401);
  EXPECT_EQ(response.content_type, "application/problem+json");
  EXPECT_EQ(header(response, "WWW-Authenticate"), "Bearer realm=\"kolokol\"");
}

TEST(RequireBearer, WrongTokenIs401InvalidToken) {
  for (const char* wrong :
       {"Bearer s3cret-token-valuf", "Bearer s3cret-token-value2", "Bearer ", "Bearer s3cret"}) {
    const Response response = call(guarded(), wrong);
    EXPECT_EQ(response.status, 401) << wrong;
    EXPECT_EQ(header(response, "WWW-Authenticate"),
              "Bearer realm=\"kolokol\", error=\"invalid_token\"")
        << wrong;
  }
}

TEST(RequireBearer, OtherSchemeIs401) {
  EXPECT_EQ(call(guarded(), "Basic YWRtaW46czNjcmV0").status, 401);
  EXPECT_EQ(call(guarded(), "Bearers3cret-token-value").status, 401);
}

}  // namespace
}  // namespace kolokol::http
