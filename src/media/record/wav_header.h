#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "media/record/recording_sink.h"

namespace kolokol::media {

// The canonical 44-byte RIFF/WAVE header for 16-bit PCM: "RIFF", "fmt " (16 bytes), then the
// "data" chunk, which runs to the end of the file. The two sizes sit at fixed offsets so the
// writer can patch them in place as the file grows.
inline constexpr std::size_t kWavHeaderSize = 44;
inline constexpr std::size_t kWavRiffSizeOffset = 4;
inline constexpr std::size_t kWavDataSizeOffset = 40;
// The RIFF size (data + 36) must fit in 32 bits.
inline constexpr std::uint64_t kWavMaxDataBytes = 0xffffffffull - 36;

std::array<std::uint8_t, kWavHeaderSize> wav_header(const AudioFormat& format,
                                                    std::uint32_t data_bytes);

std::array<std::uint8_t, 4> le32(std::uint32_t value);
std::uint32_t read_le32(const std::uint8_t* bytes);
std::uint16_t read_le16(const std::uint8_t* bytes);

}  // namespace kolokol::media
