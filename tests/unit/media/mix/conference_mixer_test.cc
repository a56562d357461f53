#include "media/mix/conference_mixer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <vector>

#include "tone_measure.h"

namespace kolokol::media {
namespace {

using test::Tone;
using test::tone_amplitude;

constexpr int kRate = 8000;
constexpr double kAmplitude = 8000;
// Multiples of 50 Hz: whole cycles in a 20 ms frame, so the Goertzel bins do not leak.
constexpr double kCallerHz = 400;
constexpr double kAgentHz = 700;
constexpr double kSupervisorHz = 1100;

// Drives a mixer for a number of ticks: the participants in `tones` send their tone every tick,
// and everyone's output is recorded end to end.
class Harness {
 public:
  explicit Harness(MixerConfig config = {}) : mixer_(*ConferenceMixer::create(config)) {}

  ConferenceMixer& mixer() { return mixer_; }
  void speak(ParticipantId id, double hz) { tones_.emplace(id, Tone(hz, kAmplitude, kRate)); }
  void silence(ParticipantId id) { tones_.erase(id); }

  void run(int ticks) {
    heard_.clear();
    for (int t = 0; t < ticks; ++t) {
      for (auto& [id, tone] : tones_) {
        if (mixer_.contains(id)) {
          ASSERT_FALSE(mixer_.submit(id, tone.next(mixer_.frame_samples())));
        }
      }
      mixer_.mix();
      for (const MixGroup& group : mixer_.groups()) {
        for (const ParticipantId id : group.members) {
          auto& out = heard_[id];
          out.insert(out.end(), group.frame.begin(), group.frame.end());
        }
      }
    }
  }

  // Amplitude of `hz` in what `listener` heard during the last run().
  double heard(ParticipantId listener, double hz) {
    return tone_amplitude(heard_[listener], hz, kRate);
  }
  const std::vector<std::int16_t>& recording(ParticipantId listener) { return heard_[listener]; }

 private:
  ConferenceMixer mixer_;
  std::map<ParticipantId, Tone> tones_;
  std::map<ParticipantId, std::vector<std::int16_t>> heard_;
};

bool hears(double amplitude) {
  return std::abs(amplitude - kAmplitude) < 0.02 * kAmplitude;
}
bool absent(double amplitude) {
  return amplitude < 0.002 * kAmplitude;
}

TEST(ConferenceMixer, EachOfThreeHearsTheOtherTwoButNotItself) {
  Harness h;
  for (ParticipantId id : {1u, 2u, 3u}) ASSERT_FALSE(h.mixer().add(id));
  h.speak(1, kCallerHz);
  h.speak(2, kAgentHz);
  h.speak(3, kSupervisorHz);
  h.run(10);

  EXPECT_TRUE(absent(h.heard(1, kCallerHz)));
  EXPECT_TRUE(hears(h.heard(1, kAgentHz)));
  EXPECT_TRUE(hears(h.heard(1, kSupervisorHz)));
  EXPECT_TRUE(hears(h.heard(2, kCallerHz)));
  EXPECT_TRUE(absent(h.heard(2, kAgentHz)));
  EXPECT_TRUE(hears(h.heard(2, kSupervisorHz)));
  EXPECT_TRUE(hears(h.heard(3, kCallerHz)));
  EXPECT_TRUE(hears(h.heard(3, kAgentHz)));
  EXPECT_TRUE(absent(h.heard(3, kSupervisorHz)));
  // Everyone talks, so every output is different: three groups of one.
  EXPECT_EQ(h.mixer().groups().size(), 3u);
}

TEST(ConferenceMixer, MutedParticipantIsNotHeardButStillHears) {
  Harness h;
  ASSERT_FALSE(h.mixer().add(1));
  ASSERT_FALSE(h.mixer().add(2, {.muted = true}));
  ASSERT_FALSE(h.mixer().add(3));
  h.speak(1, kCallerHz);
  h.speak(2, kAgentHz);
  h.run(10);

  EXPECT_TRUE(absent(h.heard(1, kAgentHz)));
  EXPECT_TRUE(absent(h.heard(3, kAgentHz)));
  EXPECT_TRUE(hears(h.heard(2, kCallerHz)));
  EXPECT_TRUE(hears(h.heard(3, kCallerHz)));

  ASSERT_FALSE(h.mixer().set_options(2, {}));  // unmuted
  h.run(10);
  EXPECT_TRUE(hears(h.heard(1, kAgentHz)));
}

TEST(ConferenceMixer, DeafParticipantHearsSilenceButIsHeard) {
  Harness h;
  ASSERT_FALSE(h.mixer().add(1));
  ASSERT_FALSE(h.mixer().add(2, {.deaf = true}));
  ASSERT_FALSE(h.mixer().add(3));
  h.speak(1, kCallerHz);
  h.speak(2, kAgentHz);
  h.speak(3, kSupervisorHz);
  h.run(5);

  const auto& deaf = h.recording(2);
  ASSERT_EQ(deaf.size(), 5 * h.mixer().frame_samples());
  EXPECT_TRUE(std::all_of(deaf.begin(), deaf.end(), [](std::int16_t s) { return s == 0; }));
  EXPECT_TRUE(hears(h.heard(1, kAgentHz)));
  EXPECT_TRUE(hears(h.heard(3, kAgentHz)));
}

TEST(ConferenceMixer, ListenOnlyIsHeardByNobody) {
  Harness h;
  ASSERT_FALSE(h.mixer().add(1));
  ASSERT_FALSE(h.mixer().add(2));
  ASSERT_FALSE(h.mixer().add(3, {.listen_only = true}));
  h.speak(1, kCallerHz);
  h.speak(2, kAgentHz);
  h.speak(3, kSupervisorHz);  // sends audio anyway: it must be dropped
  h.run(10);

  EXPECT_TRUE(absent(h.heard(1, kSupervisorHz)));
  EXPECT_TRUE(absent(h.heard(2, kSupervisorHz)));
  EXPECT_TRUE(hears(h.heard(3, kCallerHz)));
  EXPECT_TRUE(hears(h.heard(3, kAgentHz)));
}

TEST(ConferenceMixer, WhisperIsHeardOnlyByItsTargetAndBargeInByEveryone) {
  constexpr ParticipantId kCaller = 1, kAgent = 2, kSupervisor = 3, kListener = 4;
  Harness h;
  for (ParticipantId id : {kCaller, kAgent, kSupervisor, kListener}) {
    ASSERT_FALSE(h.mixer().add(id));
  }
  const ParticipantId targets[] = {kAgent};
  ASSERT_FALSE(h.mixer().set_audible_only_to(kSupervisor, targets));
  h.speak(kCaller, kCallerHz);
  h.speak(kAgent, kAgentHz);
  h.speak(kSupervisor, kSupervisorHz);
  h.run(10);

  EXPECT_TRUE(hears(h.heard(kAgent, kSupervisorHz)));
  EXPECT_TRUE(hears(h.heard(kAgent, kCallerHz)));
  EXPECT_TRUE(absent(h.heard(kCaller, kSupervisorHz)));
  EXPECT_TRUE(hears(h.heard(kCaller, kAgentHz)));
  EXPECT_TRUE(absent(h.heard(kListener, kSupervisorHz)));
  // The supervisor hears the whole call but not itself.
  EXPECT_TRUE(hears(h.heard(kSupervisor, kCallerHz)));
  EXPECT_TRUE(hears(h.heard(kSupervisor, kAgentHz)));
  EXPECT_TRUE(absent(h.heard(kSupervisor, kSupervisorHz)));

  // Barge-in: the supervisor becomes audible to everyone.
  ASSERT_FALSE(h.mixer().set_audible_to_everyone(kSupervisor));
  h.run(10);
  EXPECT_TRUE(hears(h.heard(kCaller, kSupervisorHz)));
  EXPECT_TRUE(hears(h.heard(kListener, kSupervisorHz)));
  EXPECT_TRUE(hears(h.heard(kAgent, kSupervisorHz)));
}

TEST(ConferenceMixer, WhisperTargetAddedLaterHearsIt) {
  Harness h;
  ASSERT_FALSE(h.mixer().add(1));
  ASSERT_FALSE(h.mixer().add(3));
  const ParticipantId targets[] = {2};
  ASSERT_FALSE(h.mixer().set_audible_only_to(3, targets));
  h.speak(3, kSupervisorHz);
  h.run(3);
  EXPECT_TRUE(absent(h.heard(1, kSupervisorHz)));

  ASSERT_FALSE(h.mixer().add(2));
  h.run(10);
  EXPECT_TRUE(hears(h.heard(2, kSupervisorHz)));
  EXPECT_TRUE(absent(h.heard(1, kSupervisorHz)));
}

TEST(ConferenceMixer, ListenersOfTheSameWhisperShareAGroup) {
  Harness h;
  for (ParticipantId id = 1; id <= 6; ++id) ASSERT_FALSE(h.mixer().add(id));
  const ParticipantId targets[] = {4, 5};
  ASSERT_FALSE(h.mixer().set_audible_only_to(1, targets));
  h.speak(1, kSupervisorHz);
  h.speak(2, kCallerHz);
  h.run(1);
  // 1 (whisperer) hears the room without itself: same as 3 and 6 (silent, not targets) ->
  // {1,3,6}; 2 hears only what others say (own voice removed) -> {2}; 4 and 5 hear the room and
  // the whisper -> {4,5}.
  ASSERT_EQ(h.mixer().groups().size(), 3u);
  std::vector<std::vector<ParticipantId>> groups;
  for (const MixGroup& group : h.mixer().groups()) {
    groups.emplace_back(group.members.begin(), group.members.end());
    std::sort(groups.back().begin(), groups.back().end());
  }
  std::sort(groups.begin(), groups.end());
  EXPECT_EQ(groups, (std::vector<std::vector<ParticipantId>>{{1, 3, 6}, {2}, {4, 5}}));
}

TEST(ConferenceMixer, FullScaleSumsSaturateInsteadOfWrapping) {
  Harness h;
  for (ParticipantId id : {1u, 2u, 3u, 4u}) ASSERT_FALSE(h.mixer().add(id));
  const std::size_t n = h.mixer().frame_samples();
  std::vector<std::int16_t> high(n), low(n);
  for (std::size_t i = 0; i < n; ++i) {
    high[i] = (i % 2 == 0) ? 32767 : -32768;
    low[i] = (i % 2 == 0) ? 1000 : -1000;
  }
  ASSERT_FALSE(h.mixer().submit(1, high));
  ASSERT_FALSE(h.mixer().submit(2, high));
  ASSERT_FALSE(h.mixer().submit(3, low));
  h.mixer().mix();

  const auto listener = h.mixer().output(4);  // hears 1 + 2 + 3: far beyond int16
  ASSERT_EQ(listener.size(), n);
  for (std::size_t i = 0; i < n; ++i) {
    EXPECT_EQ(listener[i], (i % 2 == 0) ? 32767 : -32768) << i;
  }
  // Mix-minus is taken before saturation, so 3 hears exactly 1 + 2 saturated, and 1 hears
  // exactly 2 + 3 saturated: the loud sum does not leak into the subtraction.
  const auto one = h.mixer().output(1);
  for (std::size_t i = 0; i < n; ++i) {
    EXPECT_EQ(one[i], (i % 2 == 0) ? 32767 : -32768) << i;
  }
  ASSERT_FALSE(h.mixer().submit(1, high));
  ASSERT_FALSE(h.mixer().submit(2, low));
  ASSERT_FALSE(h.mixer().submit(3, low));
  h.mixer().mix();
  const auto two = h.mixer().output(2);  // 32767 + 1000 -> saturated; 3 hears 1 + 2 -> same
  const auto high_listener = h.mixer().output(1);  // 1000 + 1000: exact
  for (std::size_t i = 0; i < n; ++i) {
    EXPECT_EQ(two[i], (i % 2 == 0) ? 32767 : -32768) << i;
    EXPECT_EQ(high_listener[i], (i % 2 == 0) ? 2000 : -2000) << i;
  }
}

TEST(ConferenceMixer, FiftyListenOnlyParticipantsFormOneGroup) {
  Harness h({.max_participants = 64});
  ASSERT_FALSE(h.mixer().add(1));
  ASSERT_FALSE(h.mixer().add(2));
  for (ParticipantId id = 100; id < 150; ++id) {
    ASSERT_FALSE(h.mixer().add(id, {.listen_only = true}));
  }
  h.speak(1, kCallerHz);
  h.speak(2, kAgentHz);
  h.run(1);

  ASSERT_EQ(h.mixer().groups().size(), 3u);
  const MixGroup* listeners = nullptr;
  for (const MixGroup& group : h.mixer().groups()) {
    if (group.members.size() > 1) listeners = &group;
  }
  ASSERT_NE(listeners, nullptr);
  EXPECT_EQ(listeners->members.size(), 50u);
  for (const ParticipantId id : listeners->members) {
    EXPECT_GE(id, 100u);
    EXPECT_EQ(h.mixer().output(id).data(), listeners->frame.data());
  }
  h.run(10);
  EXPECT_TRUE(hears(h.heard(120, kCallerHz)));
  EXPECT_TRUE(hears(h.heard(120, kAgentHz)));
}

TEST(ConferenceMixer, HundredParticipantsCostLinearFrameOperations) {
  Harness h({.max_participants = 128});
  for (ParticipantId id = 0; id < 100; ++id) ASSERT_FALSE(h.mixer().add(id));
  for (ParticipantId id = 0; id < 100; ++id) h.speak(id, 400 + 50.0 * (id % 20));
  h.run(1);
  // Everyone talks: 100 distinct outputs. Per talker: scale, sum, write; plus two per tick.
  EXPECT_EQ(h.mixer().groups().size(), 100u);
  EXPECT_LE(h.mixer().frame_operations(), 3u * 100 + 2);

  // Ten talk, ninety are silent this tick: the ninety share one frame.
  for (ParticipantId id = 10; id < 100; ++id) h.silence(id);
  h.run(1);
  EXPECT_EQ(h.mixer().groups().size(), 11u);
  EXPECT_LE(h.mixer().frame_operations(), 3u * 10 + 3);
  // And that shared frame is the sum of the ten talkers.
  std::vector<std::int32_t> expected(h.mixer().frame_samples(), 0);
  for (ParticipantId id = 0; id < 10; ++id) {
    Tone tone(400 + 50.0 * id, kAmplitude, kRate);
    const auto frame = tone.next(h.mixer().frame_samples());
    for (std::size_t i = 0; i < frame.size(); ++i) expected[i] += frame[i];
  }
  const auto silent = h.mixer().output(50);
  ASSERT_EQ(silent.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(silent[i], std::clamp<std::int32_t>(expected[i], -32768, 32767)) << i;
  }
}

TEST(ConferenceMixer, AddAndRemoveBetweenTicks) {
  Harness h;
  ASSERT_FALSE(h.mixer().add(1));
  ASSERT_FALSE(h.mixer().add(2));
  h.speak(1, kCallerHz);
  h.speak(2, kAgentHz);
  h.run(5);
  EXPECT_TRUE(hears(h.heard(1, kAgentHz)));

  ASSERT_FALSE(h.mixer().add(3));
  h.speak(3, kSupervisorHz);
  h.run(5);
  EXPECT_TRUE(hears(h.heard(1, kSupervisorHz)));
  EXPECT_TRUE(hears(h.heard(3, kAgentHz)));

  ASSERT_FALSE(h.mixer().remove(2));
  EXPECT_TRUE(h.mixer().output(2).empty());
  h.run(5);
  EXPECT_TRUE(absent(h.heard(1, kAgentHz)));
  EXPECT_TRUE(hears(h.heard(1, kSupervisorHz)));
  EXPECT_TRUE(h.mixer().output(2).empty());
  EXPECT_EQ(h.mixer().remove(2), MixError::UnknownParticipant);
  EXPECT_EQ(h.mixer().size(), 2u);
}

TEST(ConferenceMixer, GainScalesTheContribution) {
  Harness h;
  ASSERT_FALSE(h.mixer().add(1, {.gain_db = -6.0206}));
  ASSERT_FALSE(h.mixer().add(2));
  h.speak(1, kCallerHz);
  h.run(10);
  EXPECT_NEAR(h.heard(2, kCallerHz), kAmplitude / 2, 0.01 * kAmplitude);
}

TEST(ConferenceMixer, AbsentSpeakerHearsTheFullMixLikeAListener) {
  Harness h;
  for (ParticipantId id : {1u, 2u, 3u}) ASSERT_FALSE(h.mixer().add(id));
  h.speak(1, kCallerHz);  // 2 and 3 send nothing this tick
  h.run(1);
  ASSERT_EQ(h.mixer().groups().size(), 2u);
  EXPECT_EQ(h.mixer().output(2).data(), h.mixer().output(3).data());
}

TEST(ConferenceMixer, RefusesBadInput) {
  EXPECT_FALSE(ConferenceMixer::create({.sample_rate_hz = 7000}));
  EXPECT_FALSE(ConferenceMixer::create({.frame_ms = 25}));
  EXPECT_FALSE(ConferenceMixer::create({.max_participants = 0}));
  EXPECT_FALSE(ConferenceMixer::create({.max_participants = 5000}));
  auto created = ConferenceMixer::create({.sample_rate_hz = 16000, .max_participants = 2});
  ASSERT_TRUE(created);
  ConferenceMixer& mixer = *created;
  EXPECT_EQ(mixer.frame_samples(), 320u);

  EXPECT_FALSE(mixer.add(1));
  EXPECT_EQ(mixer.add(1), MixError::DuplicateParticipant);
  EXPECT_EQ(mixer.add(2, {.gain_db = 30}), MixError::BadGain);
  EXPECT_EQ(mixer.add(2, {.gain_db = std::nan("")}), MixError::BadGain);
  EXPECT_FALSE(mixer.add(2));
  EXPECT_EQ(mixer.add(3), MixError::TooManyParticipants);

  const std::vector<std::int16_t> short_frame(160, 100);
  EXPECT_EQ(mixer.submit(1, short_frame), MixError::WrongFrameSize);
  EXPECT_EQ(mixer.submit(1, {}), MixError::WrongFrameSize);
  EXPECT_EQ(mixer.submit(9, std::vector<std::int16_t>(320)), MixError::UnknownParticipant);
  EXPECT_EQ(mixer.set_options(9, {}), MixError::UnknownParticipant);
  EXPECT_EQ(mixer.set_audible_to_everyone(9), MixError::UnknownParticipant);
  EXPECT_TRUE(mixer.output(9).empty());
  mixer.mix();  // nothing submitted: everyone hears silence, nothing breaks
  for (const std::int16_t s : mixer.output(1)) EXPECT_EQ(s, 0);
}

TEST(ConferenceMixer, TooManyDistinctWhisperSetsIsRefusedAndLeavesStateIntact) {
  auto created = ConferenceMixer::create({.max_participants = 200});
  ASSERT_TRUE(created);
  ConferenceMixer& mixer = *created;
  for (ParticipantId id = 0; id < 70; ++id) ASSERT_FALSE(mixer.add(id));
  for (ParticipantId id = 0; id < ConferenceMixer::kMaxAudibilitySets; ++id) {
    const ParticipantId target[] = {id + 1};
    ASSERT_FALSE(mixer.set_audible_only_to(id, target));
  }
  const ParticipantId target[] = {0};
  EXPECT_EQ(mixer.set_audible_only_to(65, target), MixError::TooManyAudibilitySets);
  // 65 is still audible to everyone.
  const std::vector<std::int16_t> frame(mixer.frame_samples(), 1000);
  ASSERT_FALSE(mixer.submit(65, frame));
  mixer.mix();
  EXPECT_EQ(mixer.output(69)[0], 1000);
}

TEST(ConferenceMixer, TalkingFollowsTheParticipantsEnergy) {
  Harness h;
  ASSERT_FALSE(h.mixer().add(1));
  ASSERT_FALSE(h.mixer().add(2));
  h.speak(1, kCallerHz);
  h.run(3);
  EXPECT_TRUE(h.mixer().talking(1));
  EXPECT_FALSE(h.mixer().talking(2));
  h.silence(1);
  h.run(30);
  EXPECT_FALSE(h.mixer().talking(1));
}

}  // namespace
}  // namespace kolokol::media
