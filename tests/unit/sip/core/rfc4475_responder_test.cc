// The status our validator + default responder give each RFC 4475 torture message, with the
// domains of the messages served (see /work/shared/conformance/rfc4475/INDEX.md). 0 = no answer
// (a response, or nothing to answer).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/timer_service.h"
#include "common/rfc4475_dir.h"
#include "sip/core/default_responder.h"
#include "test_messages.h"

namespace kolokol::sip {
namespace {

std::filesystem::path torture_dir() {
  return ::kolokol::testing::rfc4475_dir();
}

struct Expectation {
  const char* name;
  int status;
  HeaderId required_header = HeaderId::Other;  // must be in the response
};

const Expectation kTable[] = {
    {"wsinv", 480},                               // 3.1.1.1 valid INVITE: nobody to reach yet
    {"intmeth", 501},                             // 3.1.1.2 unknown method
    {"esc01", 480},                               // 3.1.1.3
    {"escnull", 401, HeaderId::WwwAuthenticate},  // 3.1.1.4 REGISTER
    {"esc02", 501},                               // 3.1.1.5 RE%47IST%45R is not REGISTER
    {"lwsdisp", 200},                             // 3.1.1.6 OPTIONS
    {"longreq", 480},                             // 3.1.1.7
    {"dblreq", 401, HeaderId::WwwAuthenticate},   // 3.1.1.8 the first request (REGISTER) only
    {"semiuri", 200},                             // 3.1.1.9
    {"transports", 200},                          // 3.1.1.10
    {"mpart01", 405, HeaderId::Allow},            // 3.1.1.11 MESSAGE not offered yet
    {"unreason", 0},                              // 3.1.1.12 response
    {"noreason", 0},                              // 3.1.1.13 response
    {"badinv01", 400},                            // 3.1.2.1
    {"clerr", 400},                               // 3.1.2.2
    {"ncl", 400},                                 // 3.1.2.3
    {"scalar02", 400},                            // 3.1.2.4
    {"scalarlg", 0},                              // 3.1.2.5 response
    {"quotbal", 400},                             // 3.1.2.6
    {"ltgtruri", 400},                            // 3.1.2.7
    {"lwsruri", 400},                             // 3.1.2.8
    {"lwsstart", 400},                            // 3.1.2.9
    {"trws", 400},                                // 3.1.2.10
    {"escruri", 400},                             // 3.1.2.11
    {"baddate", 480},                             // 3.1.2.12 the Date is ignored, as the RFC allows
    {"regbadct", 400},                            // 3.1.2.13
    {"badaspec", 400},                            // 3.1.2.14
    {"baddn", 400},                               // 3.1.2.15
    {"badvers", 505},                             // 3.1.2.16
    {"mismatch01", 400},                          // 3.1.2.17
    {"mismatch02", 400},                          // 3.1.2.18
    {"bigcode", 0},                               // 3.1.2.19 response
    {"badbranch", 200},                           // 3.2.1
    {"insuf", 400},                               // 3.3.1
    {"unkscm", 416},                              // 3.3.2
    {"novelsc", 416},                             // 3.3.3
    {"unksm2", 401, HeaderId::WwwAuthenticate},   // 3.3.4
    {"bext01", 420, HeaderId::Unsupported},       // 3.3.5
    {"invut", 415, HeaderId::Accept},             // 3.3.6
    {"regaut01", 401, HeaderId::WwwAuthenticate},  // 3.3.7
    {"multi01", 400},                              // 3.3.8
    {"mcl01", 400},                                // 3.3.9
    {"bcast", 0},                                  // 3.3.10 response
    {"zeromf", 200},                               // 3.3.11 we are the target: answered normally
    {"cparam01", 401, HeaderId::WwwAuthenticate},  // 3.3.12
    {"cparam02", 401, HeaderId::WwwAuthenticate},  // 3.3.13
    {"regescrt", 401, HeaderId::WwwAuthenticate},  // 3.3.14
    {"sdp01", 406},                                // 3.3.15
    {"inv2543", 480},                              // 3.4.1
};

class Rfc4475Responder : public ::testing::TestWithParam<Expectation> {
 protected:
  static DigestServer::Config digest_config() {
    DigestServer::Config config;
    config.realm = "example.com";
    return config;
  }

  base::ManualTimerService timers_;
  DigestServer digest_{digest_config(), timers_};
  RequestAuthenticator auth_{digest_, nullptr};
  ResponseFactory responses_{"Kolokol/test", "kolokol", IdGenerator(1)};
  DefaultResponder responder_{testing::test_policy(), responses_, auth_};
};

TEST_P(Rfc4475Responder, Answers) {
  const Expectation& expected = GetParam();
  const auto path = torture_dir() / (std::string(expected.name) + ".dat");
  std::ifstream file(path, std::ios::binary);
  ASSERT_TRUE(file) << "missing " << path << " (set KOLOKOL_RFC4475_DIR)";
  std::stringstream bytes;
  bytes << file.rdbuf();

  auto message = parse_message(bytes.str());
  std::optional<Message> response;
  if (message) response = responder_.respond(*message);
  const int status = response ? response->status() : 0;
  EXPECT_EQ(status, expected.status)
      << expected.name
      << (message && message->defect() ? " defect: " + message->defect()->reason : "")
      << (response ? "\n" + response->to_string() : "");
  if (response && expected.required_header != HeaderId::Other) {
    EXPECT_NE(response->find(expected.required_header), nullptr)
        << canonical_header_name(expected.required_header);
  }
  if (response) {
    // Whatever we answer must itself parse back cleanly.
    auto reparsed = parse_message(response->to_string());
    ASSERT_TRUE(reparsed) << response->to_string();
    EXPECT_EQ(reparsed->status(), status);
  }
}

INSTANTIATE_TEST_SUITE_P(Rfc4475, Rfc4475Responder, ::testing::ValuesIn(kTable),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(Rfc4475Table, CoversAllRequestsAndResponses) {
  EXPECT_EQ(std::size(kTable), 49u);
  const auto dir = torture_dir();
  ASSERT_TRUE(std::filesystem::exists(dir)) << "missing " << dir << " (set KOLOKOL_RFC4475_DIR)";
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".dat") ++files;
  }
  EXPECT_EQ(files, std::size(kTable));
}

}  // namespace
}  // namespace kolokol::sip
