#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <unordered_map>
#include <vector>

#include "base/expected.h"
#include "media/mix/mix_types.h"
#include "media/mix/talker_detector.h"

namespace kolokol::media {

// Mix-minus for one conference, on 16-bit linear PCM at one internal rate, one frame per tick.
//
// Who hears whom is described per speaker: a speaker is audible to everyone (the default; also
// "barge-in") or only to an explicit set of listeners ("supervisor whispers to the agent": the
// supervisor is audible only to {agent}, so the caller never hears the coaching). A speaker
// never hears itself. Muted and listen-only participants contribute nothing; deaf ones hear
// silence.
//
// Cost per tick: the everyone-audible speakers are summed once into a 32-bit frame, and each
// distinct whisper target set into its own. A listener's mix is the everyone-sum plus the sums
// of the sets it belongs to, minus its own contribution when that is in the everyone-sum. The
// listeners that contributed nothing to what they hear and belong to the same sets get the same
// frame, computed once and reported as one MixGroup so the engine encodes it once per codec.
// So 100 ordinary participants cost O(N) frame operations, not O(N^2) (see frame_operations()).
//
// Sums are 32-bit and hard-saturated to int16 when written out. Saturation rather than soft
// clipping: it is exact whenever the sum fits (the common case of one talker at a time), and a
// soft clipper would colour every loud frame; loudness belongs to a gain control upstream.
//
// Single-threaded; no allocation in submit()/mix(). Configuration calls (add, remove, options,
// audibility) may allocate and invalidate the spans returned by groups() and output().
class ConferenceMixer {
 public:
  static constexpr std::size_t kMaxParticipantsLimit = 2048;  // keeps the 32-bit sums safe
  static constexpr std::size_t kMaxAudibilitySets = 64;       // distinct whisper target sets

  static base::Expected<ConferenceMixer, MixError> create(const MixerConfig& config);

  std::size_t frame_samples() const { return frame_samples_; }
  std::size_t size() const { return participants_.size(); }
  bool contains(ParticipantId id) const { return index_.contains(id); }

  // Configuration: between ticks. nullopt means done.
  std::optional<MixError> add(ParticipantId id, const ParticipantOptions& options = {});
  std::optional<MixError> remove(ParticipantId id);
  std::optional<MixError> set_options(ParticipantId id, const ParticipantOptions& options);
  std::optional<MixError> set_audible_to_everyone(ParticipantId speaker);
  // Listeners that are not (yet) in the conference are remembered and take effect when added.
  std::optional<MixError> set_audible_only_to(ParticipantId speaker,
                                              std::span<const ParticipantId> listeners);

  // One tick: submit() the frames that arrived (a participant without a frame is absent this
  // tick), then mix(). mix() consumes the submitted frames.
  std::optional<MixError> submit(ParticipantId id, std::span<const std::int16_t> frame);
  void mix();

  // Results of the last mix(), valid until the next mix() or configuration change.
  std::span<const MixGroup> groups() const { return groups_; }
  std::span<const std::int16_t> output(ParticipantId id) const;  // empty when unknown
  bool talking(ParticipantId id) const;
  // Frames touched by the last mix() (scaled, summed, written): a cost measure for tests.
  std::size_t frame_operations() const { return frame_operations_; }

 private:
  struct Participant {
    ParticipantId id = 0;
    ParticipantOptions options;
    std::int32_t gain_q12 = 0;
    std::vector<ParticipantId> audible_to;  // sorted, without itself; used when !audible_to_all
    bool audible_to_all = true;
    int audibility_set = -1;  // index into sets_ when !audible_to_all and the set is non-empty
    std::vector<std::int16_t> input;
    bool has_input = false;
    std::vector<std::int32_t> contribution;  // input with gain applied, this tick
    bool contributes = false;                // this tick
    std::uint64_t heard_sets = 0;            // bit s: member of sets_[s]'s listeners
    std::size_t group = 0;                   // index into groups_ after mix()
    TalkerDetector talker;
  };

  struct AudibilitySet {
    std::vector<ParticipantId> listeners;  // sorted
    std::vector<std::size_t> listener_slots;
    std::vector<std::int32_t> sum;
    bool active = false;  // someone contributed to it this tick
  };

  ConferenceMixer(const MixerConfig& config, std::size_t frame_samples);
  Participant* find(ParticipantId id);
  const Participant* find(ParticipantId id) const;
  // Re-derives slot indices, audibility sets and the tick buffers after a configuration change.
  std::optional<MixError> rebuild();

  void gather_contributions();
  std::size_t profile_of(std::uint64_t heard_sets);
  void build_base(std::uint64_t heard_sets);
  std::span<std::int16_t> next_group_frame();
  void open_group();
  void add_member(std::size_t slot);
  void close_group(std::span<const std::int16_t> frame);

  MixerConfig config_;
  std::size_t frame_samples_ = 0;
  std::vector<Participant> participants_;
  std::unordered_map<ParticipantId, std::size_t> index_;
  std::vector<AudibilitySet> sets_;

  // Tick buffers, sized by rebuild().
  std::vector<std::int32_t> everyone_sum_;
  std::vector<std::int32_t> base_;
  std::vector<std::int16_t> silence_;
  std::vector<std::uint64_t> profiles_;        // distinct heard_sets values this tick
  std::vector<std::size_t> listener_profile_;  // per slot: profile index * 2 + contributes-to-it
  std::vector<std::size_t> bucket_start_;      // counting sort of listeners by that key
  std::vector<std::size_t> order_;
  std::vector<std::int16_t> group_frames_;
  std::vector<ParticipantId> group_members_;
  std::vector<MixGroup> groups_;
  std::size_t frames_used_ = 0;
  std::size_t members_used_ = 0;
  std::size_t group_first_member_ = 0;
  std::size_t frame_operations_ = 0;
};

}  // namespace kolokol::media
