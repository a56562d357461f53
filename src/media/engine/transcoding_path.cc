#include "media/engine/transcoding_path.h"

#include <algorithm>
#include <cstring>
#include <random>
#include <string>

#include "media/codec/codec_factory.h"
#include "media/rtp/rtp_packet.h"

namespace kolokol::media {

namespace {

// The PCM rate both ends of a direction work at: opus decodes and encodes at any of its rates,
// so it takes the other codec's and the conversion disappears (PCMA <-> opus: all at 8 kHz).
std::uint32_t pcm_rate_for(CodecId codec, CodecId other) {
  if (codec != CodecId::Opus) return codec_info(codec).sample_rate;
  if (other == CodecId::Opus) return 48000;
  return codec_info(other).sample_rate;
}

void write32(std::uint8_t* p, std::uint32_t v) {
  p[0] = static_cast<std::uint8_t>(v >> 24);
  p[1] = static_cast<std::uint8_t>(v >> 16);
  p[2] = static_cast<std::uint8_t>(v >> 8);
  p[3] = static_cast<std::uint8_t>(v);
}

}  // namespace

base::Expected<std::unique_ptr<TranscodingPath>, std::string> TranscodingPath::create(LegCodec from,
                                                                                      LegCodec to) {
  CodecOptions decode_options;
  decode_options.opus.sample_rate = pcm_rate_for(from.codec, to.codec);
  auto decoder = make_decoder(from.codec, decode_options);
  if (!decoder) {
    return base::unexpected("no decoder for " + std::string(codec_info(from.codec).encoding_name) +
                            ": " + std::string(codec_error_name(decoder.error())));
  }
  CodecOptions encode_options;
  encode_options.opus.sample_rate = pcm_rate_for(to.codec, from.codec);
  auto encoder = make_encoder(to.codec, encode_options);
  if (!encoder) {
    return base::unexpected("no encoder for " + std::string(codec_info(to.codec).encoding_name) +
                            ": " + std::string(codec_error_name(encoder.error())));
  }
  std::optional<Resampler> resampler;
  const std::uint32_t in_rate = decoder.value()->sample_rate();
  const std::uint32_t out_rate = encoder.value()->sample_rate();
  if (in_rate != out_rate) {
    auto made = Resampler::create(in_rate, out_rate);
    if (!made) {
      return base::unexpected("no resampler " + std::to_string(in_rate) + " -> " +
                              std::to_string(out_rate));
    }
    resampler.emplace(std::move(made.value()));
  }
  return std::unique_ptr<TranscodingPath>(new TranscodingPath(
      from, to, std::move(decoder.value()), std::move(encoder.value()), std::move(resampler)));
}

TranscodingPath::TranscodingPath(LegCodec from, LegCodec to, AudioDecoderPtr decoder,
                                 AudioEncoderPtr encoder, std::optional<Resampler> resampler)
    : from_(from),
      to_(to),
      in_clock_(codec_info(from.codec).clock_rate),
      out_clock_(codec_info(to.codec).clock_rate),
      decoder_(std::move(decoder)),
      encoder_(std::move(encoder)),
      resampler_(std::move(resampler)),
      ssrc_(std::random_device{}()) {
  // Room for the longest packet a decoder accepts (opus: 120 ms at 48 kHz) and what the
  // resampler makes of it, plus one output packet still pending.
  decoded_.resize(48000 / 1000 * 120);
  const std::size_t converted =
      resampler_ ? resampler_->max_output_size(decoded_.size()) : decoded_.size();
  pending_.resize(converted + encoder_->samples_per_frame());
  encoded_.resize(
      std::max<std::size_t>(encoder_->max_payload_size(encoder_->samples_per_frame()), 1500));
}

std::uint32_t TranscodingPath::output_timestamp(std::uint32_t input_timestamp) {
  if (!started_) {
    started_ = true;
    in_base_ = input_timestamp;
    out_base_ = ssrc_ * 2654435761u;  // a random start, as RFC 3550 5.1 asks
  }
  // Signed distance from the first packet, so that a reordered packet maps before it.
  const auto delta = static_cast<std::int32_t>(input_timestamp - in_base_);
  const std::int64_t scaled = std::int64_t{delta} * out_clock_ / in_clock_;
  return out_base_ + static_cast<std::uint32_t>(scaled);
}

std::size_t TranscodingPath::pass_event(std::span<std::uint8_t> buffer, std::size_t size) {
  if (!to_.telephone_event_type) return 0;
  auto packet = parse_rtp({buffer.data(), size});
  if (!packet || packet.value().payload.size() < 4) return 0;
  std::uint8_t* p = buffer.data();
  p[1] = static_cast<std::uint8_t>((p[1] & 0x80) | *to_.telephone_event_type);
  write32(p + 4, output_timestamp(packet.value().timestamp));
  write32(p + 8, ssrc_);
  // The event's duration counts in the clock of its stream.
  std::uint8_t* payload = p + (packet.value().payload.data() - buffer.data());
  const std::uint32_t duration = std::uint32_t{payload[2]} << 8 | payload[3];
  const std::uint64_t scaled = std::min<std::uint64_t>(
      std::uint64_t{duration} * to_.telephone_event_rate / std::max(from_.telephone_event_rate, 1u),
      0xFFFF);
  payload[2] = static_cast<std::uint8_t>(scaled >> 8);
  payload[3] = static_cast<std::uint8_t>(scaled);
  return size;
}

std::size_t TranscodingPath::transcode(std::span<std::uint8_t> buffer, std::size_t size) {
  auto packet = parse_rtp({buffer.data(), size});
  if (!packet) {
    ++refused_;
    return 0;
  }
  const RtpPacket& in = packet.value();
  if (from_.telephone_event_type && in.payload_type == *from_.telephone_event_type) {
    return pass_event(buffer, size);
  }
  if (in.payload_type != from_.payload_type) return 0;  // comfort noise, another codec: dropped
  auto decoded = decoder_->decode(in.payload, decoded_);
  if (!decoded) {
    ++refused_;
    return 0;
  }
  std::span<const std::int16_t> pcm(decoded_.data(), decoded.value());
  if (pending_size_ == 0) pending_start_ = in.timestamp;
  const std::size_t room = pending_.size() - pending_size_;
  if (resampler_) {
    if (resampler_->max_output_size(pcm.size()) > room) {
      pending_size_ = 0;  // cannot happen with the sizes above; start over rather than overflow
    }
    auto converted = resampler_->process(
        pcm, {pending_.data() + pending_size_, pending_.size() - pending_size_});
    if (!converted) {
      ++refused_;
      return 0;
    }
    pending_size_ += converted.value();
  } else {
    const std::size_t take = std::min(pcm.size(), room);
    std::copy_n(pcm.begin(), take, pending_.begin() + static_cast<std::ptrdiff_t>(pending_size_));
    pending_size_ += take;
  }
  const std::size_t frame = encoder_->samples_per_frame();
  if (pending_size_ < frame) return 0;
  // One packet out per packet in: all the whole 20 ms frames pending (a 40 ms packet in gives a
  // 40 ms packet out) when the encoder takes that length, else as many as it does.
  std::size_t take = pending_size_ / frame * frame;
  while (take > frame && encoder_->max_payload_size(take) == 0) take -= frame;
  auto encoded = encoder_->encode({pending_.data(), take}, encoded_);
  // The packet starts where pending_ did; what stays pending starts `take` samples later (in
  // input clock units: the encoder's PCM rate may differ from the input's RTP clock).
  const std::uint32_t timestamp = output_timestamp(pending_start_);
  pending_start_ +=
      static_cast<std::uint32_t>(std::uint64_t{take} * in_clock_ / encoder_->sample_rate());
  std::copy(pending_.begin() + static_cast<std::ptrdiff_t>(take),
            pending_.begin() + static_cast<std::ptrdiff_t>(pending_size_), pending_.begin());
  pending_size_ -= take;
  if (!encoded || encoded.value() == 0) return 0;
  const std::size_t out_size = RtpPacket::kFixedHeaderSize + encoded.value();
  if (out_size > buffer.size()) {
    ++refused_;
    return 0;
  }
  std::uint8_t* p = buffer.data();
  const std::uint16_t sequence = in.sequence;
  const bool marker = in.marker;
  p[0] = 0x80;  // no padding, extension or CSRCs in what we send
  p[1] = static_cast<std::uint8_t>((marker ? 0x80 : 0) | to_.payload_type);
  p[2] = static_cast<std::uint8_t>(sequence >> 8);
  p[3] = static_cast<std::uint8_t>(sequence);
  write32(p + 4, timestamp);
  write32(p + 8, ssrc_);
  std::memcpy(p + RtpPacket::kFixedHeaderSize, encoded_.data(), encoded.value());
  return out_size;
}

}  // namespace kolokol::media
