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
