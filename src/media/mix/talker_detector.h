#pragma once

#include <cstdint>
#include <span>

namespace kolokol::media {

// Who is speaking, for the conference UI: frame energy against a threshold, with an attack
// (a click is not speech) and a hangover (the gaps between words are not the end of speech).
// Not a VAD for the codec: it only has to agree with what a person sees on a screen.
class TalkerDetector {
 public:
  struct Config {
    double threshold_dbfs = -40.0;  // mean power of the frame relative to a full-scale square
    int attack_frames = 2;          // loud frames in a row before "talking"
    int hangover_frames = 15;       // quiet frames in a row before "not talking" (300 ms)
  };

  TalkerDetector() : TalkerDetector(Config{}) {}
  explicit TalkerDetector(const Config& config);

  // One call per tick: the participant's frame, or an empty span when it sent nothing.
  void update(std::span<const std::int16_t> frame);
  bool talking() const { return talking_; }
  // Level of the last frame in dBFS (-inf for digital silence or no frame).
  double level_dbfs() const;

 private:
  double threshold_power_ = 0;  // mean square at the threshold
  int attack_frames_ = 0;
  int hangover_frames_ = 0;
  double last_power_ = 0;
  int loud_run_ = 0;
  int quiet_run_ = 0;
  bool talking_ = false;
};

}  // namespace kolokol::media
