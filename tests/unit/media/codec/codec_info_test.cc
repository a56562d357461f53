#include "media/codec/codec_info.h"

#include <gtest/gtest.h>

namespace kolokol::media {
namespace {

TEST(CodecInfo, FindsCodecsByRtpmapNameIgnoringCase) {
  EXPECT_EQ(*find_codec("PCMU", 8000), CodecId::Pcmu);
  EXPECT_EQ(*find_codec("pcmu", 8000), CodecId::Pcmu);
  EXPECT_EQ(*find_codec("PcmA", 8000), CodecId::Pcma);
  EXPECT_EQ(*find_codec("g722", 8000), CodecId::G722);
  EXPECT_EQ(*find_codec("OPUS", 48000), CodecId::Opus);
  EXPECT_EQ(*find_codec("G729", 8000), CodecId::G729);
  EXPECT_EQ(*find_codec("gsm", 8000), CodecId::Gsm);
}

TEST(CodecInfo, RefusesUnknownNamesAndWrongClockRates) {
  EXPECT_EQ(find_codec("speex", 8000).error(), CodecError::UnknownCodec);
  EXPECT_EQ(find_codec("", 8000).error(), CodecError::UnknownCodec);
  EXPECT_EQ(find_codec("PCMUX", 8000).error(), CodecError::UnknownCodec);
  EXPECT_EQ(find_codec("PCM", 8000).error(), CodecError::UnknownCodec);
  EXPECT_EQ(find_codec("G722", 16000).error(), CodecError::UnknownCodec);  // RFC 3551 says 8000
  EXPECT_EQ(find_codec("opus", 16000).error(), CodecError::UnknownCodec);  // RFC 7587: 48000
  EXPECT_EQ(find_codec("PCMU", 16000).error(), CodecError::UnknownCodec);
}

TEST(CodecInfo, FindsCodecsByStaticPayloadType) {
  EXPECT_EQ(*find_codec(std::uint8_t{0}), CodecId::Pcmu);
  EXPECT_EQ(*find_codec(std::uint8_t{3}), CodecId::Gsm);
  EXPECT_EQ(*find_codec(std::uint8_t{8}), CodecId::Pcma);
  EXPECT_EQ(*find_codec(std::uint8_t{9}), CodecId::G722);
  EXPECT_EQ(*find_codec(std::uint8_t{18}), CodecId::G729);
  for (std::uint8_t type : {1, 2, 4, 13, 96, 101, 111, 127}) {
    EXPECT_EQ(find_codec(type).error(), CodecError::UnknownCodec) << int{type};
  }
}

TEST(CodecInfo, DescribesRatesFramesAndFmtp) {
  const CodecInfo& g722 = codec_info(CodecId::G722);
  EXPECT_EQ(g722.clock_rate, 8000u);
  EXPECT_EQ(g722.sample_rate, 16000u);
  EXPECT_EQ(g722.samples_per_packet(), 320u);
  const CodecInfo& opus = codec_info(CodecId::Opus);
  EXPECT_FALSE(opus.static_payload_type);
  EXPECT_EQ(opus.clock_rate, 48000u);
  EXPECT_EQ(opus.rtpmap_channels, 2);
  EXPECT_EQ(opus.channels, 1);
  EXPECT_NE(opus.default_fmtp.find("useinbandfec=1"), std::string_view::npos);
  const CodecInfo& g729 = codec_info(CodecId::G729);
  EXPECT_EQ(g729.frame_ms, 10);
  EXPECT_EQ(g729.packet_ms, 20);
  EXPECT_EQ(g729.default_fmtp, "annexb=no");
  EXPECT_EQ(codec_info(CodecId::Pcmu).default_fmtp, "");
  EXPECT_EQ(codec_info(CodecId::Gsm).samples_per_packet(), 160u);

  // The table is indexed by id and every entry finds itself again.
  ASSERT_EQ(all_codecs().size(), 6u);
  for (const CodecInfo& codec : all_codecs()) {
    EXPECT_EQ(&codec_info(codec.id), &codec);
    EXPECT_EQ(*find_codec(codec.encoding_name, codec.clock_rate), codec.id);
    if (codec.static_payload_type) {
      EXPECT_EQ(*find_codec(*codec.static_payload_type), codec.id);
    }
    EXPECT_EQ(codec.channels, 1);
  }
}

}  // namespace
}  // namespace kolokol::media
