#include "media/record/wav_header.h"

#include <algorithm>

namespace kolokol::media {
namespace {

void put16(std::uint8_t* out, std::uint32_t value) {
  out[0] = static_cast<std::uint8_t>(value);
  out[1] = static_cast<std::uint8_t>(value >> 8);
}

void put32(std::uint8_t* out, std::uint32_t value) {
  const auto bytes = le32(value);
  std::copy(bytes.begin(), bytes.end(), out);
}

void put_tag(std::uint8_t* out, const char (&tag)[5]) {
  std::copy(tag, tag + 4, out);
}

}  // namespace

std::array<std::uint8_t, 4> le32(std::uint32_t value) {
  return {static_cast<std::uint8_t>(value), static_cast<std::uint8_t>(value >> 8),
          static_cast<std::uint8_t>(value >> 16), static_cast<std::uint8_t>(value >> 24)};
}

std::uint32_t read_le32(const std::uint8_t* bytes) {
  return std::uint32_t{bytes[0]} | (std::uint32_t{bytes[1]} << 8) |
         (std::uint32_t{bytes[2]} << 16) | (std::uint32_t{bytes[3]} << 24);
}

std::uint16_t read_le16(const std::uint8_t* bytes) {
  return static_cast<std::uint16_t>(bytes[0] | (bytes[1] << 8));
}

std::array<std::uint8_t, kWavHeaderSize> wav_header(const AudioFormat& format,
                                                    std::uint32_t data_bytes) {
  const std::uint32_t block_align = format.channels * 2;
  std::array<std::uint8_t, kWavHeaderSize> header{};
  std::uint8_t* out = header.data();
  put_tag(out, "RIFF");
  put32(out + kWavRiffSizeOffset, data_bytes + 36);
  put_tag(out + 8, "WAVE");
  put_tag(out + 12, "fmt ");
  put32(out + 16, 16);
  put16(out + 20, 1);  // WAVE_FORMAT_PCM
  put16(out + 22, format.channels);
  put32(out + 24, format.sample_rate);
  put32(out + 28, format.sample_rate * block_align);
  put16(out + 32, block_align);
  put16(out + 34, 16);
  put_tag(out + 36, "data");
  put32(out + kWavDataSizeOffset, data_bytes);
  return header;
}

}  // namespace kolokol::media
