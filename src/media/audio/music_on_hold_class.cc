#include "media/audio/music_on_hold_class.h"

#include <algorithm>
#include <utility>

namespace kolokol::media {

std::string_view moh_error_kind_name(MohErrorKind kind) {
  switch (kind) {
    case MohErrorKind::FolderMissing:
      return "music on hold folder missing";
    case MohErrorKind::NoPlayableFiles:
      return "no playable music on hold files";
    case MohErrorKind::BadTrack:
      return "bad music on hold track";
    case MohErrorKind::BadFrameDuration:
      return "bad frame duration";
  }
  return "unknown";
}

std::string MohError::describe() const {
  std::string out(moh_error_kind_name(kind));
  if (!detail.empty()) {
    out += ": ";
    out += detail;
  }
  return out;
}

base::Expected<std::unique_ptr<MusicOnHoldClass>, MohError> MusicOnHoldClass::create(
    std::string name, std::vector<PromptClipPtr> tracks, int sample_rate,
    base::Duration frame_duration) {
  if (tracks.empty()) return base::unexpected(MohError{MohErrorKind::NoPlayableFiles, name});
  for (const PromptClipPtr& track : tracks) {
    if (!track || track->samples().empty() || track->sample_rate() != sample_rate) {
      return base::unexpected(
          MohError{MohErrorKind::BadTrack, track ? track->source() : std::string("(null)")});
    }
  }
  const std::int64_t samples_times_1000 =
      static_cast<std::int64_t>(sample_rate) * frame_duration.count();
  if (frame_duration.count() <= 0 || frame_duration.count() > 1000 ||
      samples_times_1000 % 1000 != 0 || sample_rate <= 0) {
    return base::unexpected(MohError{MohErrorKind::BadFrameDuration, name});
  }
  const auto frame_samples = static_cast<std::size_t>(samples_times_1000 / 1000);
  return std::unique_ptr<MusicOnHoldClass>(new MusicOnHoldClass(
      std::move(name), std::move(tracks), sample_rate, frame_duration, frame_samples));
}

MusicOnHoldClass::MusicOnHoldClass(std::string name, std::vector<PromptClipPtr> tracks,
                                   int sample_rate, base::Duration frame_duration,
                                   std::size_t frame_samples)
    : name_(std::move(name)),
      tracks_(std::move(tracks)),
      sample_rate_(sample_rate),
      frame_duration_(frame_duration),
      frame_(frame_samples, 0) {}

void MusicOnHoldClass::tick(base::TimePoint now) {
  if (!started_) {
    started_ = true;
    render();
    next_due_ = now + frame_duration_;
    return;
  }
  if (now < next_due_) return;
  const std::int64_t due = (now - next_due_) / frame_duration_ + 1;
  if (due > kMaxCatchUpFrames) {
    // The worker stalled (or the clock jumped): play on from here rather than skip ahead.
    render();
    next_due_ = now + frame_duration_;
    return;
  }
  skip(static_cast<std::size_t>(due - 1) * frame_.size());
  frame_number_ += static_cast<std::uint64_t>(due - 1);
  render();
  next_due_ += frame_duration_ * due;
}

void MusicOnHoldClass::skip(std::size_t samples) {
  while (samples > 0) {
    const std::size_t left = tracks_[track_index_]->samples().size() - offset_in_track_;
    const std::size_t step = std::min(samples, left);
    offset_in_track_ += step;
    samples -= step;
    if (offset_in_track_ == tracks_[track_index_]->samples().size()) {
      track_index_ = (track_index_ + 1) % tracks_.size();
      offset_in_track_ = 0;
    }
  }
}

void MusicOnHoldClass::render() {
  std::size_t written = 0;
  while (written < frame_.size()) {
    const auto samples = tracks_[track_index_]->samples();
    const std::size_t step = std::min(frame_.size() - written, samples.size() - offset_in_track_);
    std::copy_n(samples.begin() + static_cast<std::ptrdiff_t>(offset_in_track_), step,
                frame_.begin() + static_cast<std::ptrdiff_t>(written));
    written += step;
    skip(step);
  }
  ++frame_number_;
}

}  // namespace kolokol::media
