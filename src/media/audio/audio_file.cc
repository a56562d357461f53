#include "media/audio/audio_file.h"

#include "media/audio/speex_rate_converter.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <memory>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "media/audio/sndfile_handle.h"

namespace kolokol::media {
namespace {

namespace fs = std::filesystem;

// Frames decoded per read: small enough that a 192 kHz 8-channel file never needs a large
// source-rate buffer, large enough that the per-call overhead of libsndfile is noise.
constexpr sf_count_t kBlockFrames = 4096;
// libsndfile accepts files declaring any channel count; beyond this it is a hostile header.
constexpr int kMaxChannels = 64;
constexpr int kMaxSourceRate = 768000;

base::Unexpected<AudioError> fail(AudioErrorKind kind, const fs::path& path,
                                  std::string_view why = {}) {
  std::string detail = path.string();
  if (!why.empty()) {
    detail += ": ";
    detail += why;
  }
  return base::unexpected(AudioError{kind, std::move(detail)});
}

std::int16_t to_pcm16(float sample) {
  if (!std::isfinite(sample)) return 0;
  // 32768 (not 32767) so 16-bit sources come back bit-exact; +1.0 clips to 32767.
  const float scaled = std::clamp(sample * 32768.0f, -32768.0f, 32767.0f);
  return static_cast<std::int16_t>(std::lrint(scaled));
}

base::Expected<PromptClipPtr, AudioError> decode(const fs::path& path, int sample_rate,
                                                 const PromptLoadOptions& options) {
  if (sample_rate < kMinPromptSampleRate || sample_rate > kMaxPromptSampleRate) {
    return fail(AudioErrorKind::BadSampleRate, path, std::to_string(sample_rate) + " Hz");
  }
  std::error_code error;
  const fs::file_status status = fs::status(path, error);
  if (error || !fs::exists(status)) {
    return fail(AudioErrorKind::NotFound, path, error ? error.message() : "does not exist");
  }
  if (!fs::is_regular_file(status)) {
    return fail(AudioErrorKind::NotFound, path, "not a regular file");
  }
  if (fs::file_size(path, error) == 0 && !error) return fail(AudioErrorKind::Empty, path);

  SF_INFO info{};
  SndfileHandle file(sf_open(path.c_str(), SFM_READ, &info));
  if (!file) return fail(AudioErrorKind::Unreadable, path, sf_strerror(nullptr));
  if (info.channels <= 0 || info.channels > kMaxChannels || info.samplerate <= 0 ||
      info.samplerate > kMaxSourceRate) {
    return fail(AudioErrorKind::Unreadable, path, "implausible channel count or sample rate");
  }
  if (info.frames <= 0) return fail(AudioErrorKind::Empty, path);
  const sf_count_t max_frames =
      static_cast<sf_count_t>(options.max_duration.count()) * info.samplerate;
  if (info.frames > max_frames) {
    return fail(AudioErrorKind::TooLong, path,
                "over " + std::to_string(options.max_duration.count()) + " s");
  }

  std::unique_ptr<PcmRateConverter> converter;
  if (info.samplerate != sample_rate) {
    const PcmRateConverterFactory& factory = options.rate_converter;
    converter = factory ? factory(info.samplerate, sample_rate)
                        : speex_rate_converter_factory()(info.samplerate, sample_rate);
    if (!converter) return fail(AudioErrorKind::BadSampleRate, path, "no rate converter");
  }

  std::vector<std::int16_t> out;
  out.reserve(static_cast<std::size_t>(info.frames * sample_rate / info.samplerate + 1));
  std::vector<float> interleaved(static_cast<std::size_t>(kBlockFrames * info.channels));
  std::vector<std::int16_t> mono(static_cast<std::size_t>(kBlockFrames));
  sf_count_t total = 0;
  for (;;) {
    const sf_count_t frames = sf_readf_float(file.get(), interleaved.data(), kBlockFrames);
    if (frames <= 0) break;
    total += frames;
    // The header's frame count can lie; the cap holds on what is actually decoded.
    if (total > max_frames) {
      return fail(AudioErrorKind::TooLong, path,
                  "over " + std::to_string(options.max_duration.count()) + " s");
    }
    for (sf_count_t i = 0; i < frames; ++i) {
      const float* frame = &interleaved[static_cast<std::size_t>(i * info.channels)];
      float sum = 0.0f;
      for (int c = 0; c < info.channels; ++c) sum += frame[c];
      mono[static_cast<std::size_t>(i)] = to_pcm16(sum / static_cast<float>(info.channels));
    }
    const std::span<const std::int16_t> block(mono.data(), static_cast<std::size_t>(frames));
    if (converter) {
      converter->process(block, out);
    } else {
      out.insert(out.end(), block.begin(), block.end());
    }
  }
  if (sf_error(file.get()) != SF_ERR_NO_ERROR) {
    return fail(AudioErrorKind::Unreadable, path, sf_strerror(file.get()));
  }
  if (converter) converter->finish(out);
  if (out.empty()) return fail(AudioErrorKind::Empty, path);
  return std::make_shared<const PromptClip>(std::move(out), sample_rate, path.string());
}

}  // namespace

base::Expected<PromptClipPtr, AudioError> load_prompt(const fs::path& path, int sample_rate,
                                                      const PromptLoadOptions& options) {
  try {
    return decode(path, sample_rate, options);
  } catch (const std::exception& e) {
    // Allocation failure or a throwing rate converter: still an answer, not an escape.
    return fail(AudioErrorKind::Unreadable, path, e.what());
  }
}

}  // namespace kolokol::media
