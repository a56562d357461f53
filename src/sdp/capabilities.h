#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sdp/attributes.h"
#include "sdp/codec.h"
#include "sdp/session_description.h"

namespace kolokol::sdp {

// What we can do for one stream. Used both to build an offer (one m= line each) and to answer
// one (each offered m= line takes the first unused entry of its media type and transport that
// has a codec in common with it).
struct MediaCapabilities {
  std::string media = "audio";
  std::string proto = "RTP/AVP";
  std::uint16_t port = 0;     // our RTP port; 0 offers the stream as disabled
  std::vector<Codec> codecs;  // local preference order; telephone-event / CN are listed here too
  Direction direction = Direction::SendRecv;
  std::optional<std::uint32_t> ptime;
  std::optional<std::uint32_t> maxptime;
  bool rtcp_mux = false;                 // offer a=rtcp-mux / accept an offered one
  std::optional<Connection> connection;  // this stream's own c=, when not the session's
  std::vector<Bandwidth> bandwidths;
  Attributes attributes;  // written as given after ours: crypto, setup, fingerprint, rtcp...
};

struct LocalCapabilities {
  // o= of the first description of a session; later ones keep the o= of the previous one.
  std::string username = "-";
  std::string session_id = "0";
  std::uint64_t session_version = 0;
  std::string session_name = "-";
  Connection connection;       // session-level c=
  std::string origin_address;  // o= address; connection.address when empty
  std::vector<MediaCapabilities> media;
  bool write_sendrecv = false;  // spell out a=sendrecv (the default) on every stream
};

}  // namespace kolokol::sdp
