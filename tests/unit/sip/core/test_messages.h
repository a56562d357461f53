#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <string_view>

#include "sip/core/uas_policy.h"
#include "sip/msg/message.h"

namespace kolokol::sip::testing {

// Parses a message written with "\n" line ends (turned into CRLF); fails the test when the
// parser gives nothing back.
inline Message parse_text(std::string_view text) {
  std::string wire;
  for (char c : text) {
    if (c == '\n')
      wire += "\r\n";
    else
      wire.push_back(c);
  }
  auto message = parse_message(wire);
  EXPECT_TRUE(message) << (message ? "" : message.error().reason) << "\n" << text;
  return message ? std::move(*message) : Message::response(500);
}

inline std::string request_text(std::string_view request_line, std::string_view extra_headers = {},
                                std::string_view body = {}) {
  std::string text(request_line);
  std::string method(request_line.substr(0, request_line.find(' ')));
  text +=
      "\nVia: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK776asdhds\n"
      "Max-Forwards: 70\n"
      "To: <sip:bob@example.com>\n"
      "From: <sip:alice@example.net>;tag=1928301774\n"
      "Call-ID: a84b4c76e66710@pc33.example.net\n"
      "CSeq: 314159 " +
      method + "\n";
  text += extra_headers;
  text += "Content-Length: " +
          std::to_string(body.size() + std::count(body.begin(), body.end(), '\n')) + "\n\n";
  text += body;
  return text;
}

inline UasPolicy test_policy() {
  UasPolicy policy = UasPolicy::defaults();
  policy.domains = {"example.com", "example.org", "example.net", "chair-dnrc.example.com",
                    "company.com", "127.0.0.1"};
  return policy;
}

}  // namespace kolokol::sip::testing
