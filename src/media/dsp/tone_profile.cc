#include "media/dsp/tone_profile.h"

#include <algorithm>

namespace kolokol::media {
namespace {

// Russia: GOST R 45.223 and the E.180 supplement entry for the Russian Federation; all single
// 425 Hz. Ringback here is 1 s / 4 s as Russian exchanges play it.
constexpr ToneProfile kRussia{
    "ru",
    Tone{tone_on(425, 0, 0)},
    Tone{tone_on(425, 0, 1000), tone_off(4000)},
    Tone{tone_on(425, 0, 350), tone_off(350)},
    Tone{tone_on(425, 0, 175), tone_off(175)},
    Tone{tone_on(425, 0, 200), tone_off(5000)},
};

// North America (Precise Tone Plan).
constexpr ToneProfile kUnitedStates{
    "us",
    Tone{tone_on(350, 440, 0)},
    Tone{tone_on(440, 480, 2000), tone_off(4000)},
    Tone{tone_on(480, 620, 500), tone_off(500)},
    Tone{tone_on(480, 620, 250), tone_off(250)},
    Tone{tone_on(440, 0, 300), tone_off(9700)},
};

// United Kingdom (BT SIN 350).
constexpr ToneProfile kUnitedKingdom{
    "gb",
    Tone{tone_on(350, 440, 0)},
    Tone{tone_on(400, 450, 400), tone_off(200), tone_on(400, 450, 400), tone_off(2000)},
    Tone{tone_on(400, 0, 375), tone_off(375)},
    Tone{tone_on(400, 0, 400), tone_off(350), tone_on(400, 0, 225), tone_off(525)},
    Tone{tone_on(400, 0, 100), tone_off(4000)},
};

// Germany (1TR110 / E.180).
constexpr ToneProfile kGermany{
    "de",
    Tone{tone_on(425, 0, 0)},
    Tone{tone_on(425, 0, 1000), tone_off(4000)},
    Tone{tone_on(425, 0, 480), tone_off(480)},
    Tone{tone_on(425, 0, 240), tone_off(240)},
    Tone{tone_on(425, 0, 200), tone_off(200), tone_on(425, 0, 200), tone_off(5000)},
};

// France.
constexpr ToneProfile kFrance{
    "fr",
    Tone{tone_on(440, 0, 0)},
    Tone{tone_on(440, 0, 1500), tone_off(3500)},
    Tone{tone_on(440, 0, 500), tone_off(500)},
    Tone{tone_on(440, 0, 250), tone_off(250)},
    Tone{tone_on(440, 0, 300), tone_off(10000)},
};

constexpr std::array<const ToneProfile*, 5> kProfiles = {&kRussia, &kUnitedStates, &kUnitedKingdom,
                                                         &kGermany, &kFrance};
constexpr std::array<std::string_view, 5> kCountries = {"ru", "us", "gb", "de", "fr"};

char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

}  // namespace

const Tone& ToneProfile::tone(CallProgressTone which) const {
  switch (which) {
    case CallProgressTone::Dial:
      return dial;
    case CallProgressTone::Ringback:
      return ringback;
    case CallProgressTone::Busy:
      return busy;
    case CallProgressTone::Congestion:
      return congestion;
    case CallProgressTone::CallWaiting:
      return call_waiting;
  }
  return dial;
}

std::string_view tone_profile_error_name(ToneProfileError error) {
  switch (error) {
    case ToneProfileError::UnknownCountry:
      return "no call-progress tones for that country code (known: ru, us, gb, de, fr)";
  }
  return "unknown";
}

base::Expected<ToneProfile, ToneProfileError> find_tone_profile(std::string_view country) {
  if (country.size() != 2) return base::unexpected(ToneProfileError::UnknownCountry);
  std::array<char, 2> code = {lower(country[0]), lower(country[1])};
  std::string_view key(code.data(), code.size());
  if (key == "uk") key = "gb";
  const auto it = std::find_if(kProfiles.begin(), kProfiles.end(),
                               [&](const ToneProfile* profile) { return profile->country == key; });
  if (it == kProfiles.end()) return base::unexpected(ToneProfileError::UnknownCountry);
  return **it;
}

ToneProfile default_tone_profile() {
  return kRussia;
}

std::span<const std::string_view> tone_profile_countries() {
  return kCountries;
}

}  // namespace kolokol::media
