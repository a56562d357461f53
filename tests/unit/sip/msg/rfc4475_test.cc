// Parses every RFC 4475 torture message and checks the parser's verdict against the RFC.

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "common/rfc4475_dir.h"
#include "sip/msg/message.h"

namespace kolokol::sip {
namespace {

enum class Verdict { Valid, Defect400, Defect505, Drop };

const std::map<std::string, Verdict>& expectations() {
  static const std::map<std::string, Verdict> table{
      {"wsinv", Verdict::Valid},          {"intmeth", Verdict::Valid},
      {"esc01", Verdict::Valid},          {"escnull", Verdict::Valid},
      {"esc02", Verdict::Valid},          {"lwsdisp", Verdict::Valid},
      {"longreq", Verdict::Valid},        {"dblreq", Verdict::Valid},
      {"semiuri", Verdict::Valid},        {"transports", Verdict::Valid},
      {"mpart01", Verdict::Valid},        {"unreason", Verdict::Valid},
      {"noreason", Verdict::Valid},       {"badinv01", Verdict::Defect400},
      {"clerr", Verdict::Defect400},      {"ncl", Verdict::Defect400},
      {"scalar02", Verdict::Defect400},   {"scalarlg", Verdict::Drop},
      {"quotbal", Verdict::Defect400},    {"ltgtruri", Verdict::Defect400},
      {"lwsruri", Verdict::Defect400},    {"lwsstart", Verdict::Defect400},
      {"trws", Verdict::Defect400},       {"escruri", Verdict::Defect400},
      {"baddate", Verdict::Valid},        {"regbadct", Verdict::Defect400},
      {"badaspec", Verdict::Defect400},   {"baddn", Verdict::Defect400},
      {"badvers", Verdict::Defect505},    {"mismatch01", Verdict::Defect400},
      {"mismatch02", Verdict::Defect400}, {"bigcode", Verdict::Drop},
      {"badbranch", Verdict::Valid},      {"insuf", Verdict::Defect400},
      {"unkscm", Verdict::Valid},         {"novelsc", Verdict::Valid},
      {"unksm2", Verdict::Valid},         {"bext01", Verdict::Valid},
      {"invut", Verdict::Valid},          {"regaut01", Verdict::Valid},
      {"multi01", Verdict::Defect400},    {"mcl01", Verdict::Defect400},
      {"bcast", Verdict::Valid},          {"zeromf", Verdict::Valid},
      {"cparam01", Verdict::Valid},       {"cparam02", Verdict::Valid},
      {"regescrt", Verdict::Valid},       {"sdp01", Verdict::Valid},
      {"inv2543", Verdict::Valid},
  };
  return table;
}

std::filesystem::path torture_dir() {
  return ::kolokol::testing::rfc4475_dir();
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

TEST(Rfc4475, TableCoversAll49Messages) {
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(torture_dir())) {
    if (entry.path().extension() != ".dat") continue;
    ++files;
    EXPECT_TRUE(expectations().contains(entry.path().stem().string())) << entry.path();
  }
  EXPECT_EQ(files, 49u);
  EXPECT_EQ(expectations().size(), 49u);
}

TEST(Rfc4475, EachMessageGetsTheVerdictOfTheRfc) {
  for (const auto& [name, verdict] : expectations()) {
    SCOPED_TRACE(name);
    const std::string bytes = read_file(torture_dir() / (name + ".dat"));
    ASSERT_FALSE(bytes.empty());
    auto parsed = parse_message(bytes);
    switch (verdict) {
      case Verdict::Valid:
        ASSERT_TRUE(parsed.has_value()) << parsed.error().reason;
        EXPECT_FALSE(parsed->defect().has_value()) << parsed->defect()->reason;
        break;
      case Verdict::Defect400:
      case Verdict::Defect505:
        ASSERT_TRUE(parsed.has_value()) << parsed.error().reason;
        ASSERT_TRUE(parsed->is_request());
        ASSERT_TRUE(parsed->defect().has_value());
        EXPECT_EQ(parsed->defect()->status, verdict == Verdict::Defect400 ? 400 : 505)
            << parsed->defect()->reason;
        break;
      case Verdict::Drop:
        if (parsed) {
          EXPECT_TRUE(parsed->defect().has_value());
        }
        break;
    }
  }
}

TEST(Rfc4475, ValidMessagesSurviveARoundTrip) {
  for (const auto& [name, verdict] : expectations()) {
    if (verdict != Verdict::Valid) continue;
    SCOPED_TRACE(name);
    auto first = parse_message(read_file(torture_dir() / (name + ".dat")));
    ASSERT_TRUE(first.has_value());
    const std::string wire = first->to_string();
    auto second = parse_message(wire);
    ASSERT_TRUE(second.has_value()) << wire;
    EXPECT_FALSE(second->defect().has_value()) << wire;
    EXPECT_EQ(second->to_string(), wire);
    EXPECT_EQ(second->body(), first->body());
    // inv2543 has no Content-Length; the serializer always writes one.
    EXPECT_EQ(second->headers().size() - second->count(HeaderId::ContentLength),
              first->headers().size() - first->count(HeaderId::ContentLength));
  }
}

TEST(Rfc4475, DefectiveRequestsKeepWhatAnAnswerNeeds) {
  for (const std::string name : {"badinv01", "clerr", "ncl", "lwsstart", "trws", "ltgtruri",
                                 "escruri", "badvers", "mismatch01", "multi01"}) {
    SCOPED_TRACE(name);
    auto parsed = parse_message(read_file(torture_dir() / (name + ".dat")));
    ASSERT_TRUE(parsed.has_value());
    Message response = make_response(*parsed, parsed->defect()->status, {}, "t1");
    EXPECT_GE(response.count(HeaderId::Via), 1u);
    EXPECT_NE(response.find(HeaderId::CallId), nullptr);
    EXPECT_NE(response.find(HeaderId::CSeq), nullptr);
  }
}

TEST(Rfc4475, DoubleRequestAnswersTheFirstOnly) {
  auto parsed = parse_message(read_file(torture_dir() / "dblreq.dat"));
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->method(), Method::Register);
  EXPECT_TRUE(parsed->body().empty());
}

}  // namespace
}  // namespace kolokol::sip
