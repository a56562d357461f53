#include "api/http/json_body.h"

#include <gtest/gtest.h>

namespace kolokol::http {
namespace {

Request post(std::string body, std::string content_type = "application/json") {
  Request request;
  request.method = "POST";
  request.path = request.target = "/r";
  if (!content_type.empty()) request.headers.emplace_back("Content-Type", content_type);
  request.body = std::move(body);
  return request;
}

struct Thrown {
  int status = 0;
  std::string field;
  std::string detail;
};

template <typename F>
Thrown problem_of(F run) {
  try {
    run();
  } catch (const ProblemError& e) {
    return {e.status(), e.field(), e.what()};
  }
  return {};
}

TEST(JsonBody, ReadsAnObjectWithKnownMembers) {
  const auto body =
      read_json_object(post(R"({"number":"2001","enabled":false})"), {"number", "name", "enabled"});
  EXPECT_EQ(required_string(body, "number"), "2001");
  EXPECT_EQ(optional_string(body, "name"), std::nullopt);
  EXPECT_EQ(optional_bool(body, "enabled"), false);
}

TEST(JsonBody, EmptyBodyIsAnEmptyObjectWhateverTheType) {
  EXPECT_TRUE(read_json_object(post("", ""), {"a"}).empty());
  EXPECT_TRUE(read_json_object(post("", "text/plain"), {"a"}).empty());
}

TEST(JsonBody, MediaTypeMayCarryParametersAndAnyCase) {
  EXPECT_TRUE(is_json_media_type("application/json"));
  EXPECT_TRUE(is_json_media_type("Application/JSON; charset=utf-8"));
  EXPECT_TRUE(is_json_media_type(" application/json ;charset=UTF-8"));
  EXPECT_FALSE(is_json_media_type("application/jsonx"));
  EXPECT_FALSE(is_json_media_type("text/json"));
  EXPECT_FALSE(is_json_media_type(""));
}

TEST(JsonBody, OtherContentTypeIs415) {
  EXPECT_EQ(problem_of([] {
              read_json_object(post("number=1", "application/x-www-form-urlencoded"), {"number"});
            }).status,
            415);
  EXPECT_EQ(problem_of([] { read_json_object(post("{}", ""), {}); }).status, 415);
}

TEST(JsonBody, MalformedJsonIs400SayingWhere) {
  const Thrown thrown = problem_of([] { read_json_object(post(R"({"number": )"), {"number"}); });
  EXPECT_EQ(thrown.status, 400);
  EXPECT_NE(thrown.detail.find("not valid JSON"), std::string::npos) << thrown.detail;
  EXPECT_NE(thrown.detail.find("column"), std::string::npos) << thrown.detail;
  EXPECT_EQ(thrown.detail.find("json.exception"), std::string::npos) << thrown.detail;
}

TEST(JsonBody, NonObjectIs400) {
  EXPECT_EQ(problem_of([] { read_json_object(post("[1,2]"), {}); }).status, 400);
  EXPECT_EQ(problem_of([] { read_json_object(post("\"x\""), {}); }).status, 400);
}

TEST(JsonBody, UnknownMemberIs422NamingIt) {
  const Thrown thrown =
      problem_of([] { read_json_object(post(R"({"number":"1","pasword":"x"})"), {"number"}); });
  EXPECT_EQ(thrown.status, 422);
  EXPECT_EQ(thrown.field, "pasword");
  EXPECT_NE(thrown.detail.find("unknown field pasword"), std::string::npos) << thrown.detail;
}

TEST(JsonBody, WrongTypesAre422NamingTheField) {
  const auto body = nlohmann::json::parse(R"({"number":2001,"enabled":"yes","name":null})");
  Thrown thrown = problem_of([&] { required_string(body, "number"); });
  EXPECT_EQ(thrown.status, 422);
  EXPECT_EQ(thrown.field, "number");
  EXPECT_EQ(thrown.detail, "number: expected a string, got a number");
  EXPECT_EQ(problem_of([&] { optional_bool(body, "enabled"); }).field, "enabled");
  EXPECT_EQ(problem_of([&] { optional_string(body, "name"); }).detail,
            "name: expected a string, got null");
  thrown = problem_of([&] { required_string(body, "password"); });
  EXPECT_EQ(thrown.status, 422);
  EXPECT_EQ(thrown.detail, "password: missing");
}

TEST(JsonBody, ValidFieldPassesOrNamesTheField) {
  using Parsed = base::Expected<std::string, std::string>;
  EXPECT_EQ(valid_field("number", Parsed("2001")), "2001");
  const Thrown thrown =
      problem_of([] { valid_field("number", Parsed(base::unexpected(std::string("too short")))); });
  EXPECT_EQ(thrown.status, 422);
  EXPECT_EQ(thrown.field, "number");
  EXPECT_EQ(thrown.detail, "number: too short");
}

TEST(JsonResponse, SerialisesWithReplacementForBadUtf8) {
  const Response response = json_response({{"name", std::string("a\xff")}}, 201);
  EXPECT_EQ(response.status, 201);
  EXPECT_EQ(response.content_type, "application/json");
  EXPECT_EQ(response.body, "{\"name\":\"a\xef\xbf\xbd\"}");
}

}  // namespace
}  // namespace kolokol::http
