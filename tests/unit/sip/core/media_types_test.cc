#include "sip/core/media_types.h"

#include <gtest/gtest.h>

namespace kolokol::sip {
namespace {

TEST(MediaTypes, TypeAndParameters) {
  EXPECT_EQ(media_type_of("Application/SDP ; charset=utf-8"), "application/sdp");
  EXPECT_EQ(media_type_param("multipart/mixed;boundary=7a9c", "BOUNDARY"), "7a9c");
  EXPECT_EQ(media_type_param("multipart/mixed; boundary=\"a;b\"", "boundary"), "a;b");
  EXPECT_FALSE(media_type_param("multipart/mixed", "boundary"));
}

TEST(MediaTypes, AcceptRanges) {
  EXPECT_TRUE(accept_admits({"application/sdp"}, "application/sdp"));
  EXPECT_TRUE(accept_admits({"text/html", "application/*;q=0.5"}, "application/sdp"));
  EXPECT_TRUE(accept_admits({"*/*"}, "application/sdp"));
  EXPECT_FALSE(accept_admits({"text/*"}, "application/sdp"));
  EXPECT_FALSE(accept_admits({"application/sdp;q=0.0"}, "application/sdp"));
  EXPECT_FALSE(accept_admits({""}, "application/sdp"));
  EXPECT_FALSE(accept_admits({}, "application/sdp"));
}

TEST(MediaTypes, MultipartParts) {
  const std::string body =
      "preamble\r\n--b1\r\nContent-Type: text/plain\r\n\r\nHello\r\n"
      "--b1\r\nc: Application/SDP\r\n\r\nv=0\r\n"
      "--b1\r\n\r\nno headers\r\n--b1--\r\n";
  auto types = multipart_part_types(body, "b1");
  ASSERT_EQ(types.size(), 3u);
  EXPECT_EQ(types[0], "text/plain");
  EXPECT_EQ(types[1], "application/sdp");
  EXPECT_EQ(types[2], "text/plain");
  EXPECT_TRUE(multipart_part_types(body, "other").empty());
  EXPECT_TRUE(multipart_part_types(body, "").empty());
  std::string many;
  for (int i = 0; i < 100; ++i) many += "--b\r\n\r\nx\r\n";
  EXPECT_EQ(multipart_part_types(many, "b", 16).size(), 16u);
}

}  // namespace
}  // namespace kolokol::sip
