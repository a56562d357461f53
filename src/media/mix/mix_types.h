#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace kolokol::media {

// The vocabulary shared by the conference mixer and its callers: who takes part, how the
// mixer is shaped, and what a tick hands back.
using ParticipantId = std::uint32_t;

enum class MixError : std::uint8_t {
  BadConfig,              // sample rate, frame length or participant limit out of range
  UnknownParticipant,     // no participant with that id
  DuplicateParticipant,   // add() of an id already present
  TooManyParticipants,    // add() beyond MixerConfig::max_participants
  WrongFrameSize,         // submit() of a frame that is not frame_samples() long
  BadGain,                // gain outside [kMinGainDb, kMaxGainDb] or not a number
  TooManyAudibilitySets,  // more distinct whisper target sets than the mixer tracks
};
std::string_view mix_error_name(MixError error);

struct MixerConfig {
  int sample_rate_hz = 8000;  // 8,000 to 48,000
  int frame_ms = 20;          // 10, 20, 30 or 40
  // Bounded so that the 32-bit sums cannot overflow even with every gain at its maximum.
  std::size_t max_participants = 256;
};

struct ParticipantOptions {
  bool muted = false;        // contributes nothing (still hears)
  bool deaf = false;         // hears nothing: receives silence (still contributes)
  bool listen_only = false;  // hears the conference, never contributes
  double gain_db = 0.0;      // applied to what this participant contributes
};

// Participants whose output is identical this tick, and that output. The engine encodes the
// frame once per group and codec. The spans point into the mixer and stay valid until the next
// mix() or configuration change.
struct MixGroup {
  std::span<const ParticipantId> members;
  std::span<const std::int16_t> frame;
};

}  // namespace kolokol::media
