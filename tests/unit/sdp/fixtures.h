#pragma once

#include <string>
#include <string_view>

// Real-world shaped SDP bodies (addresses from documentation ranges, keys from RFC examples).
namespace kolokol::sdp::fixtures {

// Body with CRLF line ends from lines written with '\n'.
inline std::string crlf(std::string_view lf_text) {
  std::string out;
  for (char c : lf_text) {
    if (c == '\n')
      out += "\r\n";
    else
      out.push_back(c);
  }
  return out;
}

// Asterisk chan_pjsip offer; canonical order, so serialize() gives it back byte for byte.
inline constexpr std::string_view kAsterisk =
    "v=0\n"
    "o=- 1234567890 1234567892 IN IP4 192.0.2.10\n"
    "s=Asterisk\n"
    "c=IN IP4 192.0.2.10\n"
    "t=0 0\n"
    "m=audio 10024 RTP/AVP 0 8 9 101\n"
    "a=rtpmap:0 PCMU/8000\n"
    "a=rtpmap:8 PCMA/8000\n"
    "a=rtpmap:9 G722/8000\n"
    "a=rtpmap:101 telephone-event/8000\n"
    "a=fmtp:101 0-16\n"
    "a=ptime:20\n"
    "a=maxptime:150\n"
    "a=sendrecv\n";

// FreeSWITCH: static payload types without rtpmap, opus, CN, a=rtcp with an address.
inline constexpr std::string_view kFreeSwitch =
    "v=0\n"
    "o=FreeSWITCH 1700000000 1700000001 IN IP4 198.51.100.5\n"
    "s=FreeSWITCH\n"
    "c=IN IP4 198.51.100.5\n"
    "t=0 0\n"
    "m=audio 24580 RTP/AVP 9 0 8 102 101 13\n"
    "a=rtpmap:102 opus/48000/2\n"
    "a=fmtp:102 useinbandfec=1; maxplaybackrate=48000; stereo=0\n"
    "a=rtpmap:101 telephone-event/8000\n"
    "a=fmtp:101 0-16\n"
    "a=rtpmap:13 CN/8000\n"
    "a=ptime:20\n"
    "a=sendrecv\n"
    "a=rtcp:24581 IN IP4 198.51.100.5\n";

// baresip 1.0: LF line ends (kept as LF on purpose), session-level a=tool, b=AS, a=ssrc, a=mid.
inline constexpr std::string_view kBaresipLf =
    "v=0\n"
    "o=- 1953811391 1622223232 IN IP4 127.0.0.1\n"
    "s=-\n"
    "c=IN IP4 127.0.0.1\n"
    "t=0 0\n"
    "a=tool:baresip 1.0.0\n"
    "m=audio 10000 RTP/AVP 0 8 101\n"
    "b=AS:96\n"
    "a=rtpmap:0 PCMU/8000\n"
    "a=rtpmap:8 PCMA/8000\n"
    "a=rtpmap:101 telephone-event/8000\n"
    "a=fmtp:101 0-15\n"
    "a=rtcp-rsize\n"
    "a=sendrecv\n"
    "a=label:1\n"
    "a=ssrc:1347826563 cname:sip:alice@127.0.0.1\n"
    "a=mid:1\n"
    "a=ptime:20\n";

// Polycom VVX: session-level direction, G.722.1, G.729 annexb=no, telephone-event on 127.
inline constexpr std::string_view kPolycom =
    "v=0\n"
    "o=- 1619712345 1619712345 IN IP4 10.0.0.21\n"
    "s=Polycom IP Phone\n"
    "c=IN IP4 10.0.0.21\n"
    "t=0 0\n"
    "a=sendrecv\n"
    "m=audio 2226 RTP/AVP 9 102 0 8 18 127\n"
    "a=rtpmap:9 G722/8000\n"
    "a=rtpmap:102 G7221/16000\n"
    "a=fmtp:102 bitrate=32000\n"
    "a=rtpmap:0 PCMU/8000\n"
    "a=rtpmap:8 PCMA/8000\n"
    "a=rtpmap:18 G729/8000\n"
    "a=fmtp:18 annexb=no\n"
    "a=rtpmap:127 telephone-event/8000\n";

// Yealink with SDES-SRTP (RTP/SAVP, two crypto lines; the first key is RFC 4568's example).
inline constexpr std::string_view kYealinkSrtp =
    "v=0\n"
    "o=- 20020 20020 IN IP4 10.0.0.22\n"
    "s=SDP data\n"
    "c=IN IP4 10.0.0.22\n"
    "t=0 0\n"
    "m=audio 11800 RTP/SAVP 0 8 18 9 101\n"
    "a=rtpmap:0 PCMU/8000\n"
    "a=rtpmap:8 PCMA/8000\n"
    "a=rtpmap:18 G729/8000\n"
    "a=fmtp:18 annexb=no\n"
    "a=rtpmap:9 G722/8000\n"
    "a=fmtp:101 0-15\n"
    "a=rtpmap:101 telephone-event/8000\n"
    "a=crypto:1 AES_CM_128_HMAC_SHA1_80 "
    "inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz|2^20|1:4\n"
    "a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:NzB4d1BINUAvLEw6UzF3WSJ+PSdFcGdUJShpX1Zj|2^20 "
    "KDR=1 UNENCRYPTED_SRTCP\n"
    "a=ptime:20\n"
    "a=sendrecv\n";

// Browser (WebRTC) offer: BUNDLE, ICE, DTLS fingerprint/setup, rtcp-mux, c=0.0.0.0 port 9.
inline constexpr std::string_view kWebRtc =
    "v=0\n"
    "o=- 4611731400430051336 2 IN IP4 127.0.0.1\n"
    "s=-\n"
    "t=0 0\n"
    "a=group:BUNDLE 0 1\n"
    "a=extmap-allow-mixed\n"
    "a=msid-semantic: WMS stream1\n"
    "m=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126\n"
    "c=IN IP4 0.0.0.0\n"
    "a=rtcp:9 IN IP4 0.0.0.0\n"
    "a=candidate:1467250027 1 udp 2122260223 192.168.0.196 46243 typ host generation 0\n"
    "a=ice-ufrag:6HHHdzzeIhkE0CKj\n"
    "a=ice-pwd:XYDGVpfvklQIEnZ6YnyLsAew\n"
    "a=ice-options:trickle\n"
    "a=fingerprint:sha-256 49:66:12:17:0D:1C:91:AE:57:4C:C6:36:DD:D5:97:D2:7D:62:C9:9A:7F:B9:"
    "A3:F4:70:03:E7:43:91:73:23:5E\n"
    "a=setup:actpass\n"
    "a=mid:0\n"
    "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level\n"
    "a=sendrecv\n"
    "a=msid:stream1 track1\n"
    "a=rtcp-mux\n"
    "a=rtpmap:111 opus/48000/2\n"
    "a=rtcp-fb:111 transport-cc\n"
    "a=fmtp:111 minptime=10;useinbandfec=1\n"
    "a=rtpmap:63 red/48000/2\n"
    "a=fmtp:63 111/111\n"
    "a=rtpmap:9 G722/8000\n"
    "a=rtpmap:0 PCMU/8000\n"
    "a=rtpmap:8 PCMA/8000\n"
    "a=rtpmap:13 CN/8000\n"
    "a=rtpmap:110 telephone-event/48000\n"
    "a=rtpmap:126 telephone-event/8000\n"
    "a=ssrc:3570614608 cname:4TOk42mSjXCkVIa6\n"
    "m=video 9 UDP/TLS/RTP/SAVPF 96 97\n"
    "c=IN IP4 0.0.0.0\n"
    "a=rtcp:9 IN IP4 0.0.0.0\n"
    "a=ice-ufrag:6HHHdzzeIhkE0CKj\n"
    "a=ice-pwd:XYDGVpfvklQIEnZ6YnyLsAew\n"
    "a=fingerprint:sha-256 49:66:12:17:0D:1C:91:AE:57:4C:C6:36:DD:D5:97:D2:7D:62:C9:9A:7F:B9:"
    "A3:F4:70:03:E7:43:91:73:23:5E\n"
    "a=setup:actpass\n"
    "a=mid:1\n"
    "a=sendrecv\n"
    "a=rtcp-mux\n"
    "a=rtcp-rsize\n"
    "a=rtpmap:96 VP8/90000\n"
    "a=rtcp-fb:96 nack pli\n"
    "a=rtpmap:97 rtx/90000\n"
    "a=fmtp:97 apt=96\n";

inline constexpr std::string_view kIpv6 =
    "v=0\n"
    "o=- 3724394400 3724394405 IN IP6 2001:db8::1\n"
    "s=-\n"
    "c=IN IP6 2001:db8::1\n"
    "t=0 0\n"
    "m=audio 49170 RTP/AVP 0 101\n"
    "a=rtpmap:101 telephone-event/8000\n"
    "a=fmtp:101 0-15\n";

// Linphone-like audio + video + a rejected text stream.
inline constexpr std::string_view kAudioVideoRejectedText =
    "v=0\n"
    "o=bob 123 456 IN IP4 203.0.113.9\n"
    "s=Talk\n"
    "c=IN IP4 203.0.113.9\n"
    "b=AS:380\n"
    "t=0 0\n"
    "a=rtcp-xr:rcvr-rtt=all:10000 stat-summary=loss,dup,jitt,TTL voip-metrics\n"
    "m=audio 7078 RTP/AVP 96 97 0 8 101\n"
    "a=rtpmap:96 opus/48000/2\n"
    "a=fmtp:96 useinbandfec=1\n"
    "a=rtpmap:97 speex/16000\n"
    "a=fmtp:97 vbr=on\n"
    "a=rtpmap:101 telephone-event/8000\n"
    "a=rtcp-fb:* trr-int 1000\n"
    "m=video 9078 RTP/AVP 96 97\n"
    "b=TIAS:1000000\n"
    "a=rtpmap:96 VP8/90000\n"
    "a=rtpmap:97 H264/90000\n"
    "a=fmtp:97 profile-level-id=42801F; packetization-mode=1\n"
    "a=rtcp-fb:* nack pli\n"
    "m=text 0 RTP/AVP 98\n"
    "a=rtpmap:98 t140/1000\n";

// Every line type of RFC 8866, multicast c= with TTL and counts, several t=, r=, z=, k=.
inline constexpr std::string_view kAllLineTypes =
    "v=0\n"
    "o=jdoe 3724394400 3724394405 IN IP4 198.51.100.1\n"
    "s=Call to John Smith\n"
    "i=SDP Offer #1\n"
    "u=http://www.jdoe.example.com/home.html\n"
    "e=Jane Doe <jane@jdoe.example.com>\n"
    "p=+1 617 555-6011\n"
    "c=IN IP4 198.51.100.1\n"
    "b=CT:128\n"
    "t=0 0\n"
    "t=3034423619 3042462419\n"
    "r=604800 3600 0 90000\n"
    "r=7d 1h 0 25h\n"
    "z=2882844526 -1h 2898848070 0\n"
    "k=clear:secret\n"
    "a=recvonly\n"
    "m=audio 49170 RTP/AVP 0\n"
    "i=voice\n"
    "c=IN IP4 233.252.0.1/127/3\n"
    "m=audio 49180 RTP/AVP 0\n"
    "m=video 51372/2 RTP/AVP 99\n"
    "c=IN IP6 ff00::db8:0:101/3\n"
    "b=AS:512\n"
    "k=prompt\n"
    "a=rtpmap:99 h263-1998/90000\n";

}  // namespace kolokol::sdp::fixtures
