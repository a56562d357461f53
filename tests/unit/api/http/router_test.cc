#include "api/http/router.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace kolokol::http {
namespace {

Request get(std::string path, std::string method = "GET") {
  Request request;
  request.method = std::move(method);
  request.path = path;
  request.target = std::move(path);
  return request;
}

TEST(Router, DispatchesByMethodAndPath) {
  Router router;
  router.add("GET", "/a", [](const Request&) { return Response{200, "text/plain", "get a", {}}; });
  router.add("POST", "/a", [](const Request&) {
    return Response{201, "text/plain", "post a", {}};
  });
  EXPECT_EQ(router.dispatch(get("/a")).body, "get a");
  EXPECT_EQ(router.dispatch(get("/a", "POST")).status, 201);
}

TEST(Router, UnknownPathIs404ProblemJson) {
  Router router;
  const Response response = router.dispatch(get("/nope"));
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(response.content_type, "application/problem+json");
  EXPECT_EQ(
      response.body,
      R"({"type":"about:blank","title":"Not Found","status":404,"detail":"no resource at /nope"})");
}

TEST(Router, KnownPathOtherMethodIs405WithAllow) {
  Router router;
  router.add("GET", "/a", [](const Request&) { return Response{}; });
  router.add("PUT", "/a", [](const Request&) { return Response{}; });
  const Response response = router.dispatch(get("/a", "DELETE"));
  EXPECT_EQ(response.status, 405);
  ASSERT_EQ(response.headers.size(), 1u);
  EXPECT_EQ(response.headers[0], (std::pair<std::string, std::string>{"Allow", "GET, PUT"}));
}

TEST(Router, ThrowingHandlerIs500) {
  Router router;
  router.add("GET", "/boom", [](const Request&) -> Response { throw std::runtime_error("boom"); });
  const Response response = router.dispatch(get("/boom"));
  EXPECT_EQ(response.status, 500);
  EXPECT_NE(response.body.find("\"detail\":\"boom\""), std::string::npos);
}

Response echo_params(const Request& request) {
  std::string body;
  for (const auto& [name, value] : request.path_params) body += name + "=" + value + ";";
  return Response{200, "text/plain", body, {}};
}

TEST(RouterTemplates, BindsParametersPercentDecoded) {
  Router router;
  router.add("GET", "/api/v1/extensions/{tenant}/{number}", echo_params);
  EXPECT_EQ(router.dispatch(get("/api/v1/extensions/acme/1001")).body, "number=1001;tenant=acme;");
  EXPECT_EQ(router.dispatch(get("/api/v1/extensions/a%2Fb%20c/1001")).body,
            "number=1001;tenant=a/b c;");
}

TEST(RouterTemplates, SegmentCountAndLiteralsMustMatch) {
  Router router;
  router.add("GET", "/x/{a}", echo_params);
  EXPECT_EQ(router.dispatch(get("/x/1/2")).status, 404);
  EXPECT_EQ(router.dispatch(get("/x")).status, 404);
  EXPECT_EQ(router.dispatch(get("/y/1")).status, 404);
  EXPECT_EQ(router.dispatch(get("/x/")).status, 404);  // a parameter is never empty
}

TEST(RouterTemplates, ExactPathWinsOverTemplate) {
  Router router;
  router.add("GET", "/x/{a}", echo_params);
  router.add("GET", "/x/special", [](const Request&) {
    return Response{200, "text/plain", "exact", {}};
  });
  EXPECT_EQ(router.dispatch(get("/x/special")).body, "exact");
  EXPECT_EQ(router.dispatch(get("/x/other")).body, "a=other;");
}

TEST(RouterTemplates, LiteralSegmentWinsOverParameter) {
  Router router;
  // Added least specific first: the order of add() must not matter.
  router.add("POST", "/e/{t}/{n}/{action}", echo_params);
  router.add("POST", "/e/{t}/{n}/password", [](const Request& request) {
    return Response{200, "text/plain", "password of " + request.path_param("n"), {}};
  });
  EXPECT_EQ(router.dispatch(get("/e/acme/1001/password", "POST")).body, "password of 1001");
  EXPECT_EQ(router.dispatch(get("/e/acme/1001/other", "POST")).body, "action=other;n=1001;t=acme;");
}

TEST(RouterTemplates, OtherMethodOnTemplateIs405WithAllow) {
  Router router;
  router.add("GET", "/e/{t}/{n}", echo_params);
  router.add("DELETE", "/e/{t}/{n}", echo_params);
  const Response response = router.dispatch(get("/e/acme/1001", "POST"));
  EXPECT_EQ(response.status, 405);
  ASSERT_EQ(response.headers.size(), 1u);
  EXPECT_EQ(response.headers[0].second, "DELETE, GET");
}

TEST(RouterTemplates, MethodFoundOnLessSpecificMatch) {
  Router router;
  router.add("GET", "/x/special", [](const Request&) { return Response{}; });
  router.add("DELETE", "/x/{a}", echo_params);
  EXPECT_EQ(router.dispatch(get("/x/special", "DELETE")).body, "a=special;");
  const Response response = router.dispatch(get("/x/special", "PUT"));
  EXPECT_EQ(response.status, 405);
  ASSERT_EQ(response.headers.size(), 1u);
  EXPECT_EQ(response.headers[0].second, "DELETE, GET");
}

TEST(RouterTemplates, MalformedEscapeIs400) {
  Router router;
  router.add("GET", "/x/{a}", echo_params);
  const Response response = router.dispatch(get("/x/%zz"));
  EXPECT_EQ(response.status, 400);
  EXPECT_NE(response.body.find("%zz"), std::string::npos);
}

TEST(RouterTemplates, MalformedTemplatesAreRefused) {
  Router router;
  EXPECT_THROW(router.add("GET", "/x/a{b}", echo_params), std::invalid_argument);
  EXPECT_THROW(router.add("GET", "/x/{}", echo_params), std::invalid_argument);
  EXPECT_THROW(router.add("GET", "/x/{a}/{a}", echo_params), std::invalid_argument);
  router.add("GET", "/y/{a}", echo_params);
  EXPECT_THROW(router.add("PUT", "/y/{b}", echo_params), std::invalid_argument);
  EXPECT_NO_THROW(router.add("PUT", "/y/{a}", echo_params));
  EXPECT_EQ(router.dispatch(get("/y/1", "PUT")).body, "a=1;");
}

TEST(RouterTemplates, PathParamOfAnotherNameThrowsAndIs500) {
  Router router;
  router.add("GET", "/x/{a}", [](const Request& request) {
    return Response{200, "text/plain", request.path_param("b"), {}};
  });
  EXPECT_EQ(router.dispatch(get("/x/1")).status, 500);
}

TEST(Router, ProblemErrorBecomesItsProblemWithField) {
  Router router;
  router.add("POST", "/a", [](const Request&) -> Response {
    throw ProblemError(422, "number: expected 2 to 15 digits", "number");
  });
  const Response response = router.dispatch(get("/a", "POST"));
  EXPECT_EQ(response.status, 422);
  EXPECT_EQ(response.content_type, "application/problem+json");
  EXPECT_EQ(response.body, R"({"type":"about:blank","title":"Unprocessable Content","status":422,)"
                           R"("detail":"number: expected 2 to 15 digits","field":"number"})");
}

TEST(SplitPath, KeepsEmptySegments) {
  EXPECT_EQ(split_path("/a/b/"), (std::vector<std::string>{"a", "b", ""}));
  EXPECT_EQ(split_path("/"), (std::vector<std::string>{""}));
  EXPECT_EQ(split_path("/a//b"), (std::vector<std::string>{"a", "", "b"}));
}

TEST(PercentDecode, DecodesEscapesAndOptionallyPlus) {
  EXPECT_EQ(percent_decode("a%20b+c%2b", false), "a b+c+");
  EXPECT_EQ(percent_decode("a%20b+c", true), "a b c");
  EXPECT_EQ(percent_decode("%41%4a%4A", false), "AJJ");
  EXPECT_EQ(percent_decode("%", false), std::nullopt);
  EXPECT_EQ(percent_decode("%4", false), std::nullopt);
  EXPECT_EQ(percent_decode("%4g", false), std::nullopt);
}

TEST(Json, EscapesQuotesBackslashesAndControls) {
  EXPECT_EQ(json_string("a\"b\\c\n\x01"), R"("a\"b\\c\n\u0001")");
}

TEST(Request, HeaderLookupIgnoresCase) {
  Request request;
  request.headers = {{"Content-Type", "text/plain"}};
  EXPECT_EQ(request.header("content-type"), "text/plain");
  EXPECT_EQ(request.header("accept"), "");
}

}  // namespace
}  // namespace kolokol::http
