#include "media/mix/conference_mixer.h"

#include <algorithm>
#include <bit>
#include <limits>
#include <utility>

#include "media/mix/pcm_gain.h"

namespace kolokol::media {
namespace {

constexpr std::size_t kDeafKey = std::numeric_limits<std::size_t>::max();

bool valid_config(const MixerConfig& config) {
  const bool rate_ok = config.sample_rate_hz >= 8000 && config.sample_rate_hz <= 48000;
  const bool frame_ok = config.frame_ms == 10 || config.frame_ms == 20 || config.frame_ms == 30 ||
                        config.frame_ms == 40;
  const bool whole_samples =
      rate_ok && frame_ok && (config.sample_rate_hz * config.frame_ms) % 1000 == 0;
  return whole_samples && config.max_participants >= 1 &&
         config.max_participants <= ConferenceMixer::kMaxParticipantsLimit;
}

void scale(std::span<const std::int16_t> in, std::int32_t gain_q12, std::span<std::int32_t> out) {
  if (gain_q12 == kUnityGainQ12) {
    std::copy(in.begin(), in.end(), out.begin());
    return;
  }
  for (std::size_t i = 0; i < in.size(); ++i) out[i] = (in[i] * gain_q12) >> 12;
}

void accumulate(std::span<const std::int32_t> in, std::span<std::int32_t> sum) {
  for (std::size_t i = 0; i < in.size(); ++i) sum[i] += in[i];
}

}  // namespace

base::Expected<ConferenceMixer, MixError> ConferenceMixer::create(const MixerConfig& config) {
  if (!valid_config(config)) return base::unexpected(MixError::BadConfig);
  const auto samples = static_cast<std::size_t>(config.sample_rate_hz * config.frame_ms / 1000);
  ConferenceMixer mixer(config, samples);
  mixer.rebuild();
  return mixer;
}

ConferenceMixer::ConferenceMixer(const MixerConfig& config, std::size_t frame_samples)
    : config_(config), frame_samples_(frame_samples) {}

ConferenceMixer::Participant* ConferenceMixer::find(ParticipantId id) {
  const auto it = index_.find(id);
  return it == index_.end() ? nullptr : &participants_[it->second];
}

const ConferenceMixer::Participant* ConferenceMixer::find(ParticipantId id) const {
  const auto it = index_.find(id);
  return it == index_.end() ? nullptr : &participants_[it->second];
}

std::optional<MixError> ConferenceMixer::add(ParticipantId id, const ParticipantOptions& options) {
  if (contains(id)) return MixError::DuplicateParticipant;
  if (participants_.size() >= config_.max_participants) return MixError::TooManyParticipants;
  const auto gain = gain_q12_from_db(options.gain_db);
  if (!gain) return MixError::BadGain;
  Participant participant;
  participant.id = id;
  participant.options = options;
  participant.gain_q12 = *gain;
  participant.input.assign(frame_samples_, 0);
  participant.contribution.assign(frame_samples_, 0);
  participants_.push_back(std::move(participant));
  return rebuild();
}

std::optional<MixError> ConferenceMixer::remove(ParticipantId id) {
  const auto it = index_.find(id);
  if (it == index_.end()) return MixError::UnknownParticipant;
  participants_.erase(participants_.begin() + static_cast<std::ptrdiff_t>(it->second));
  return rebuild();
}

std::optional<MixError> ConferenceMixer::set_options(ParticipantId id,
                                                     const ParticipantOptions& options) {
  Participant* participant = find(id);
  if (participant == nullptr) return MixError::UnknownParticipant;
  const auto gain = gain_q12_from_db(options.gain_db);
  if (!gain) return MixError::BadGain;
  participant->options = options;
  participant->gain_q12 = *gain;
  groups_.clear();  // the last tick's grouping no longer describes these flags
  return std::nullopt;
}

std::optional<MixError> ConferenceMixer::set_audible_to_everyone(ParticipantId speaker) {
  Participant* participant = find(speaker);
  if (participant == nullptr) return MixError::UnknownParticipant;
  participant->audible_to_all = true;
  participant->audible_to.clear();
  return rebuild();
}

std::optional<MixError> ConferenceMixer::set_audible_only_to(
    ParticipantId speaker, std::span<const ParticipantId> listeners) {
  Participant* participant = find(speaker);
  if (participant == nullptr) return MixError::UnknownParticipant;
  std::vector<ParticipantId> canonical(listeners.begin(), listeners.end());
  std::sort(canonical.begin(), canonical.end());
  canonical.erase(std::unique(canonical.begin(), canonical.end()), canonical.end());
  std::erase(canonical, speaker);  // a speaker never hears itself

  const bool old_all = participant->audible_to_all;
  std::vector<ParticipantId> old_listeners = std::exchange(participant->audible_to, canonical);
  participant->audible_to_all = false;
  if (auto error = rebuild()) {
    participant = find(speaker);
    participant->audible_to_all = old_all;
    participant->audible_to = std::move(old_listeners);
    rebuild();
    return error;
  }
  return std::nullopt;
}

std::optional<MixError> ConferenceMixer::rebuild() {
  const std::size_t n = participants_.size();
  index_.clear();
  for (std::size_t slot = 0; slot < n; ++slot) index_.emplace(participants_[slot].id, slot);

  sets_.clear();
  std::optional<MixError> error;
  for (Participant& participant : participants_) {
    participant.audibility_set = -1;
    if (participant.audible_to_all) continue;
    auto same = std::find_if(sets_.begin(), sets_.end(), [&](const AudibilitySet& set) {
      return set.listeners == participant.audible_to;
    });
    if (same == sets_.end()) {
      if (sets_.size() == kMaxAudibilitySets) {
        error = MixError::TooManyAudibilitySets;
        continue;
      }
      AudibilitySet set;
      set.listeners = participant.audible_to;
      set.sum.assign(frame_samples_, 0);
      sets_.push_back(std::move(set));
      same = sets_.end() - 1;
    }
    participant.audibility_set = static_cast<int>(same - sets_.begin());
  }
  for (AudibilitySet& set : sets_) {
    for (const ParticipantId listener : set.listeners) {
      if (const auto it = index_.find(listener); it != index_.end()) {
        set.listener_slots.push_back(it->second);
      }
    }
  }

  everyone_sum_.assign(frame_samples_, 0);
  base_.assign(frame_samples_, 0);
  silence_.assign(frame_samples_, 0);
  profiles_.clear();
  profiles_.reserve(n + 1);
  listener_profile_.assign(n, 0);
  bucket_start_.clear();
  bucket_start_.reserve(2 * (n + 1) + 1);
  order_.assign(n, 0);
  group_frames_.assign(std::max<std::size_t>(n, 1) * frame_samples_, 0);
  group_members_.assign(n, 0);
  groups_.clear();
  groups_.reserve(n + 1);
  return error;
}

std::optional<MixError> ConferenceMixer::submit(ParticipantId id,
                                                std::span<const std::int16_t> frame) {
  Participant* participant = find(id);
  if (participant == nullptr) return MixError::UnknownParticipant;
  if (frame.size() != frame_samples_) return MixError::WrongFrameSize;
  std::copy(frame.begin(), frame.end(), participant->input.begin());
  participant->has_input = true;
  return std::nullopt;
}

void ConferenceMixer::gather_contributions() {
  std::fill(everyone_sum_.begin(), everyone_sum_.end(), 0);
  ++frame_operations_;
  for (AudibilitySet& set : sets_) set.active = false;

  for (Participant& participant : participants_) {
    participant.talker.update(participant.has_input
                                  ? std::span<const std::int16_t>(participant.input)
                                  : std::span<const std::int16_t>());
    participant.contributes =
        participant.has_input && !participant.options.muted && !participant.options.listen_only;
    participant.has_input = false;
    participant.heard_sets = 0;
    if (!participant.contributes) continue;

    scale(participant.input, participant.gain_q12, participant.contribution);
    ++frame_operations_;
    if (participant.audible_to_all) {
      accumulate(participant.contribution, everyone_sum_);
    } else if (participant.audibility_set >= 0) {
      AudibilitySet& set = sets_[static_cast<std::size_t>(participant.audibility_set)];
      if (!set.active) std::fill(set.sum.begin(), set.sum.end(), 0);
      set.active = true;
      accumulate(participant.contribution, set.sum);
    }
    ++frame_operations_;
  }

  for (std::size_t s = 0; s < sets_.size(); ++s) {
    if (!sets_[s].active) continue;
    for (const std::size_t slot : sets_[s].listener_slots) {
      participants_[slot].heard_sets |= std::uint64_t{1} << s;
    }
  }
}

std::size_t ConferenceMixer::profile_of(std::uint64_t heard_sets) {
  // Distinct profiles are few (one without whispering), so a linear search beats hashing.
  for (std::size_t i = 0; i < profiles_.size(); ++i) {
    if (profiles_[i] == heard_sets) return i;
  }
  profiles_.push_back(heard_sets);
  return profiles_.size() - 1;
}

void ConferenceMixer::build_base(std::uint64_t heard_sets) {
  std::copy(everyone_sum_.begin(), everyone_sum_.end(), base_.begin());
  ++frame_operations_;
  for (std::uint64_t rest = heard_sets; rest != 0; rest &= rest - 1) {
    accumulate(sets_[static_cast<std::size_t>(std::countr_zero(rest))].sum, base_);
    ++frame_operations_;
  }
}

std::span<std::int16_t> ConferenceMixer::next_group_frame() {
  std::span<std::int16_t> frame(group_frames_.data() + frames_used_ * frame_samples_,
                                frame_samples_);
  ++frames_used_;
  ++frame_operations_;
  return frame;
}

void ConferenceMixer::open_group() {
  group_first_member_ = members_used_;
}

void ConferenceMixer::add_member(std::size_t slot) {
  participants_[slot].group = groups_.size();  // the index close_group() is about to use
  group_members_[members_used_++] = participants_[slot].id;
}

void ConferenceMixer::close_group(std::span<const std::int16_t> frame) {
  const std::span<const ParticipantId> members(group_members_.data() + group_first_member_,
                                               members_used_ - group_first_member_);
  groups_.push_back(MixGroup{members, frame});
}

void ConferenceMixer::mix() {
  frame_operations_ = 0;
  frames_used_ = 0;
  members_used_ = 0;
  groups_.clear();
  profiles_.clear();
  gather_contributions();

  // Key each listener by (what it hears, whether its own voice is in it), then counting-sort so
  // that listeners sharing a frame are adjacent.
  const std::size_t n = participants_.size();
  std::size_t deaf_count = 0;
  for (std::size_t slot = 0; slot < n; ++slot) {
    const Participant& participant = participants_[slot];
    if (participant.options.deaf) {
      listener_profile_[slot] = kDeafKey;
      ++deaf_count;
      continue;
    }
    const bool hears_itself = participant.contributes && participant.audible_to_all;
    listener_profile_[slot] = profile_of(participant.heard_sets) * 2 + (hears_itself ? 1 : 0);
  }
  const std::size_t keys = profiles_.size() * 2;
  bucket_start_.assign(keys + 1, 0);
  for (std::size_t slot = 0; slot < n; ++slot) {
    if (listener_profile_[slot] != kDeafKey) ++bucket_start_[listener_profile_[slot] + 1];
  }
  for (std::size_t key = 0; key < keys; ++key) bucket_start_[key + 1] += bucket_start_[key];
  for (std::size_t slot = 0; slot < n; ++slot) {
    const std::size_t key = listener_profile_[slot];
    if (key != kDeafKey) order_[bucket_start_[key]++] = slot;
  }
  // bucket_start_[key] is now the end of bucket `key`, i.e. the start of bucket key + 1.

  std::size_t position = 0;
  for (std::size_t profile = 0; profile < profiles_.size(); ++profile) {
    build_base(profiles_[profile]);
    const std::size_t shared_end = bucket_start_[profile * 2];
    const std::size_t own_end = bucket_start_[profile * 2 + 1];

    if (position < shared_end) {
      const std::span<std::int16_t> frame = next_group_frame();
      for (std::size_t i = 0; i < frame_samples_; ++i) frame[i] = saturate_to_int16(base_[i]);
      open_group();
      for (; position < shared_end; ++position) add_member(order_[position]);
      close_group(frame);
    }
    for (; position < own_end; ++position) {
      const std::span<const std::int32_t> own = participants_[order_[position]].contribution;
      const std::span<std::int16_t> frame = next_group_frame();
      for (std::size_t i = 0; i < frame_samples_; ++i) {
        frame[i] = saturate_to_int16(base_[i] - own[i]);
      }
      open_group();
      add_member(order_[position]);
      close_group(frame);
    }
  }

  if (deaf_count > 0) {
    open_group();
    for (std::size_t slot = 0; slot < n; ++slot) {
      if (participants_[slot].options.deaf) add_member(slot);
    }
    close_group(silence_);
  }
}

std::span<const std::int16_t> ConferenceMixer::output(ParticipantId id) const {
  const Participant* participant = find(id);
  if (participant == nullptr || participant->group >= groups_.size()) return {};
  return groups_[participant->group].frame;
}

bool ConferenceMixer::talking(ParticipantId id) const {
  const Participant* participant = find(id);
  return participant != nullptr && participant->talker.talking();
}

}  // namespace kolokol::media
