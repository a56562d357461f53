#include "sdp_text.h"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>

namespace kolokol::rtpload {

namespace {

std::vector<std::string_view> split_words(std::string_view text) {
  std::vector<std::string_view> words;
  while (!text.empty()) {
    const auto start = text.find_first_not_of(' ');
    if (start == std::string_view::npos) break;
    text.remove_prefix(start);
    const auto end = std::min(text.find(' '), text.size());
    words.push_back(text.substr(0, end));
    text.remove_prefix(end);
  }
  return words;
}

std::optional<int> to_int(std::string_view text) {
  int value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<in_addr> ipv4_of(std::string_view connection) {  // "IN IP4 127.0.0.1"
  const auto words = split_words(connection);
  if (words.size() < 3 || words[1] != "IP4") return std::nullopt;
  const std::string host(words[2].substr(0, words[2].find('/')));  // multicast TTL
  in_addr address{};
  if (inet_pton(AF_INET, host.c_str(), &address) != 1) return std::nullopt;
  return address;
}

const char* rtpmap_name(int payload_type) {
  return payload_type == 8 ? "PCMA" : "PCMU";
}

}  // namespace

std::string make_sdp(std::string_view user, std::uint64_t session_id, std::uint16_t port,
                     const std::vector<int>& payload_types) {
  const std::string id = std::to_string(session_id);
  std::string sdp = "v=0\r\no=" + std::string(user) + " " + id + " " + id +
                    " IN IP4 127.0.0.1\r\ns=rtp_load\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n" +
                    "m=audio " + std::to_string(port) + " RTP/AVP";
  for (int pt : payload_types) sdp += " " + std::to_string(pt);
  sdp += "\r\n";
  for (int pt : payload_types) {
    sdp += "a=rtpmap:" + std::to_string(pt) + " " + rtpmap_name(pt) + "/8000\r\n";
  }
  sdp += "a=ptime:20\r\na=sendrecv\r\n";
  return sdp;
}

std::optional<AudioOffer> read_audio(std::string_view sdp) {
  std::optional<in_addr> session_address;
  std::optional<in_addr> media_address;
  std::optional<AudioOffer> audio;
  bool in_audio = false;
  bool any_media = false;
  while (!sdp.empty()) {
    auto end = sdp.find('\n');
    std::string_view line = sdp.substr(0, end);
    sdp.remove_prefix(end == std::string_view::npos ? sdp.size() : end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.size() < 2 || line[1] != '=') continue;
    const std::string_view value = line.substr(2);
    if (line[0] == 'm') {
      if (audio) break;  // the first usable audio stream is complete
      any_media = true;
      const auto words = split_words(value);
      const auto port = words.size() >= 3 ? to_int(words[1]) : std::nullopt;
      in_audio = words.size() >= 3 && words[0] == "audio" && port && *port > 0 && *port < 65536;
      if (!in_audio) continue;
      audio.emplace();
      audio->address.sin_family = AF_INET;
      audio->address.sin_port = htons(static_cast<std::uint16_t>(*port));
      for (std::size_t i = 3; i < words.size(); ++i) {
        if (auto pt = to_int(words[i])) audio->payload_types.push_back(*pt);
      }
    } else if (line[0] == 'c') {
      if (in_audio) {
        media_address = ipv4_of(value);
      } else if (!any_media) {
        session_address = ipv4_of(value);
      }
    }
  }
  if (!audio) return std::nullopt;
  const auto address = media_address ? media_address : session_address;
  if (!address) return std::nullopt;
  audio->address.sin_addr = *address;
  return audio;
}

std::optional<int> choose_g711(const std::vector<int>& payload_types) {
  for (int wanted : {0, 8}) {
    if (std::find(payload_types.begin(), payload_types.end(), wanted) != payload_types.end()) {
      return wanted;
    }
  }
  return std::nullopt;
}

}  // namespace kolokol::rtpload
