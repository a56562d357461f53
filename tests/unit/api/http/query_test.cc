#include "api/http/query.h"

#include <gtest/gtest.h>

namespace kolokol::http {
namespace {

Request with_query(std::string query) {
  Request request;
  request.method = "GET";
  request.path = "/r";
  request.query = std::move(query);
  request.target = "/r?" + request.query;
  return request;
}

// The status and field of the ProblemError `make` throws; {0, ""} when it throws none.
template <typename F>
std::pair<int, std::string> problem_of(F make) {
  try {
    make();
  } catch (const ProblemError& e) {
    return {e.status(), e.field()};
  }
  return {0, ""};
}

TEST(QueryParams, DecodesNamesAndValues) {
  const QueryParams query(with_query("tenant=acme%2Dsouth&number=10+01&flag"),
                          {"tenant", "number", "flag", "limit"});
  EXPECT_EQ(query.get("tenant"), "acme-south");
  EXPECT_EQ(query.get("number"), "10 01");
  EXPECT_EQ(query.get("flag"), "");
  EXPECT_EQ(query.get("limit"), std::nullopt);
}

TEST(QueryParams, EmptyQueryAndEmptyPairs) {
  const QueryParams none(with_query(""), {"a"});
  EXPECT_EQ(none.get("a"), std::nullopt);
  const QueryParams gaps(with_query("&a=1&&"), {"a"});
  EXPECT_EQ(gaps.get("a"), "1");
}

TEST(QueryParams, UnknownRepeatedAndMalformedAre400NamingTheParameter) {
  EXPECT_EQ(problem_of([] { QueryParams(with_query("tenat=acme"), {"tenant"}); }),
            (std::pair<int, std::string>{400, "tenat"}));
  EXPECT_EQ(problem_of([] { QueryParams(with_query("a=1&a=2"), {"a"}); }),
            (std::pair<int, std::string>{400, "a"}));
  EXPECT_EQ(problem_of([] { QueryParams(with_query("a=%zz"), {"a"}).get("a"); }).first, 400);
  EXPECT_EQ(problem_of([] { QueryParams(with_query("x=1"), {}); }).first, 400);
}

TEST(QueryParams, IntegerWithinBounds) {
  const QueryParams query(with_query("limit=1000&low=0&word=ten&neg=-5&big=99999999999999999999&"
                                     "plus=%2B5&empty="),
                          {"limit", "low", "word", "neg", "big", "plus", "empty", "none"});
  EXPECT_EQ(query.integer("limit", 1, 1000), 1000);
  EXPECT_EQ(query.integer("none", 1, 1000), std::nullopt);
  for (const char* name : {"low", "word", "neg", "big", "plus", "empty"}) {
    EXPECT_EQ(problem_of([&] { query.integer(name, 1, 1000); }),
              (std::pair<int, std::string>{400, name}))
        << name;
  }
}

}  // namespace
}  // namespace kolokol::http
