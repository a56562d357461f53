#include "sip/transport/stream_framer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace kolokol::sip {
namespace {

const std::string kOptions =
    "OPTIONS sip:bob@example.com SIP/2.0\r\n"
    "Via: SIP/2.0/TCP 10.0.0.1:5060;branch=z9hG4bK1\r\n"
    "Content-Length: 0\r\n"
    "\r\n";
const std::string kMessageWithBody =
    "MESSAGE sip:bob@example.com SIP/2.0\r\n"
    "Via: SIP/2.0/TCP 10.0.0.1:5060;branch=z9hG4bK2\r\n"
    "Content-Type: text/plain\r\n"
    "Content-Length: 11\r\n"
    "\r\n"
    "hello\r\n\r\nxx";

// Everything the framer yields, as strings; "PING" for keep-alives, "ERROR: ..." for errors.
std::vector<std::string> drain(StreamFramer& framer) {
  std::vector<std::string> out;
  while (true) {
    auto frame = framer.next();
    switch (frame.kind) {
      case StreamFramer::Kind::NeedMore:
        return out;
      case StreamFramer::Kind::Message:
        out.emplace_back(frame.bytes);
        break;
      case StreamFramer::Kind::Ping:
        out.emplace_back("PING");
        break;
      case StreamFramer::Kind::Error:
        out.push_back("ERROR: " + frame.error);
        return out;
    }
  }
}

TEST(StreamFramer, SplitAtEveryByteBoundary) {
  const std::string stream = "\r\n" + kOptions + kMessageWithBody + "\r\n\r\n" + kOptions;
  const std::vector<std::string> expected{kOptions, kMessageWithBody, "PING", kOptions};
  for (std::size_t cut = 0; cut <= stream.size(); ++cut) {
    StreamFramer framer(64 * 1024);
    framer.append(std::string_view(stream).substr(0, cut));
    auto frames = drain(framer);
    framer.append(std::string_view(stream).substr(cut));
    auto rest = drain(framer);
    frames.insert(frames.end(), rest.begin(), rest.end());
    EXPECT_EQ(frames, expected) << "cut at " << cut;
    EXPECT_EQ(framer.buffered(), 0u);
  }
}

TEST(StreamFramer, ByteByByte) {
  const std::string stream = kMessageWithBody + kOptions;
  StreamFramer framer(64 * 1024);
  std::vector<std::string> frames;
  for (char c : stream) {
    framer.append(std::string_view(&c, 1));
    auto got = drain(framer);
    frames.insert(frames.end(), got.begin(), got.end());
  }
  EXPECT_EQ(frames, (std::vector<std::string>{kMessageWithBody, kOptions}));
}

TEST(StreamFramer, TwoMessagesInOneRead) {
  StreamFramer framer(64 * 1024);
  framer.append(kOptions + kOptions);
  EXPECT_EQ(drain(framer), (std::vector<std::string>{kOptions, kOptions}));
}

TEST(StreamFramer, DoubleCrlfIsAPingAndLoneCrlfIsSkipped) {
  StreamFramer framer(1024);
  framer.append("\r\n\r\n");
  EXPECT_EQ(drain(framer), std::vector<std::string>{"PING"});
  framer.append("\r\n");
  EXPECT_TRUE(drain(framer).empty());  // maybe half a ping: wait
  framer.append(kOptions);
  EXPECT_EQ(drain(framer), std::vector<std::string>{kOptions});
  framer.append("\r\n\r\n\r\n\r\n");
  EXPECT_EQ(drain(framer), (std::vector<std::string>{"PING", "PING"}));
}

TEST(StreamFramer, MissingContentLengthMeansNoBody) {
  const std::string head =
      "BYE sip:a@b SIP/2.0\r\n"
      "Via: SIP/2.0/TCP h;branch=z9hG4bK3\r\n"
      "\r\n";
  StreamFramer framer(1024);
  framer.append(head + kOptions);
  EXPECT_EQ(drain(framer), (std::vector<std::string>{head, kOptions}));
}

TEST(StreamFramer, CompactFoldedAndSpacedContentLength) {
  const std::string message =
      "MESSAGE sip:a@b SIP/2.0\r\n"
      "l  :\r\n   4\r\n"
      "\r\n"
      "abcd";
  StreamFramer framer(1024);
  framer.append(message + kOptions);
  EXPECT_EQ(drain(framer), (std::vector<std::string>{message, kOptions}));
}

TEST(StreamFramer, HeaderBlockOverLimitIsAnError) {
  StreamFramer framer(100);
  framer.append("INVITE sip:a@b SIP/2.0\r\n" + std::string(200, 'X'));
  auto frames = drain(framer);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].rfind("ERROR", 0), 0u);
  EXPECT_EQ(framer.next().kind, StreamFramer::Kind::Error);  // stays failed
}

TEST(StreamFramer, BodyOverLimitIsAnErrorBeforeItArrives) {
  StreamFramer framer(1000);
  framer.append("MESSAGE sip:a@b SIP/2.0\r\nContent-Length: 5000\r\n\r\n");
  auto frames = drain(framer);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_NE(frames[0].find("exceeds"), std::string::npos);
}

TEST(StreamFramer, MalformedOrConflictingContentLengthIsAnError) {
  for (const char* header :
       {"Content-Length: abc\r\n", "Content-Length: -1\r\n", "Content-Length: 99999999999\r\n",
        "Content-Length: 1\r\nl: 2\r\n", "Content-Length:\r\n"}) {
    StreamFramer framer(1000);
    framer.append(std::string("MESSAGE sip:a@b SIP/2.0\r\n") + header + "\r\nxx");
    auto frames = drain(framer);
    ASSERT_EQ(frames.size(), 1u) << header;
    EXPECT_EQ(frames[0], "ERROR: malformed Content-Length") << header;
  }
}

TEST(StreamFramer, RepeatedEqualContentLengthIsAccepted) {
  const std::string message = "MESSAGE sip:a@b SIP/2.0\r\nContent-Length: 2\r\nl: 2\r\n\r\nxy";
  StreamFramer framer(1000);
  framer.append(message);
  EXPECT_EQ(drain(framer), std::vector<std::string>{message});
}

TEST(StreamFramer, GarbageWithoutBlankLineErrorsAtTheLimit) {
  StreamFramer framer(4096);
  std::string garbage(1000, '\x7f');
  for (int i = 0; i < 4; ++i) {
    framer.append(garbage);
    EXPECT_TRUE(drain(framer).empty());
  }
  framer.append(garbage);
  auto frames = drain(framer);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].rfind("ERROR", 0), 0u);
}

TEST(FrameContentLength, Values) {
  EXPECT_EQ(frame_content_length("INVITE sip:a@b SIP/2.0"), 0u);
  EXPECT_EQ(frame_content_length("INVITE sip:a@b SIP/2.0\r\ncontent-length: 12"), 12u);
  EXPECT_EQ(frame_content_length("INVITE sip:a@b SIP/2.0\r\nL:7"), 7u);
  EXPECT_EQ(frame_content_length("INVITE sip:a@b SIP/2.0\r\nX-Content-Length: 7"), 0u);
  EXPECT_EQ(frame_content_length("INVITE sip:a@b SIP/2.0\r\nContent-Length: 1 2"), std::nullopt);
}

}  // namespace
}  // namespace kolokol::sip
