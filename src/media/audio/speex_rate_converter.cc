#include "media/audio/speex_rate_converter.h"

#include <algorithm>

#include "media/dsp/resampler.h"

namespace kolokol::media {

namespace {

class SpeexRateConverter final : public PcmRateConverter {
 public:
  SpeexRateConverter(Resampler resampler, int in_rate, int out_rate)
      : resampler_(std::move(resampler)),
        in_rate_(in_rate),
        out_rate_(out_rate),
        // The filter delays the output by input_latency() input samples: drop that much output.
        skip_(static_cast<std::size_t>(resampler_.input_latency()) * out_rate / in_rate) {}

  void process(std::span<const std::int16_t> in, std::vector<std::int16_t>& out) override {
    consumed_ += in.size();
    convert(in, out);
  }

  void finish(std::vector<std::int16_t>& out) override {
    // Push the held-back tail out with silence, then cut to the input's exact duration.
    const std::vector<std::int16_t> flush(static_cast<std::size_t>(resampler_.input_latency()) + 1,
                                          0);
    convert(flush, out);
    const std::size_t wanted =
        (consumed_ * static_cast<std::size_t>(out_rate_) + static_cast<std::size_t>(in_rate_) - 1) /
        static_cast<std::size_t>(in_rate_);
    if (produced_ > wanted) {
      out.resize(out.size() - (produced_ - wanted));
      produced_ = wanted;
    }
  }

 private:
  void convert(std::span<const std::int16_t> in, std::vector<std::int16_t>& out) {
    scratch_.resize(resampler_.max_output_size(in.size()));
    auto written = resampler_.process(in, scratch_);
    if (!written) return;
    std::size_t from = 0;
    if (skip_ > 0) {
      from = std::min(skip_, written.value());
      skip_ -= from;
    }
    out.insert(out.end(), scratch_.begin() + static_cast<std::ptrdiff_t>(from),
               scratch_.begin() + static_cast<std::ptrdiff_t>(written.value()));
    produced_ += written.value() - from;
  }

  Resampler resampler_;
  int in_rate_;
  int out_rate_;
  std::size_t skip_;
  std::size_t consumed_ = 0;
  std::size_t produced_ = 0;
  std::vector<std::int16_t> scratch_;
};

}  // namespace

PcmRateConverterFactory speex_rate_converter_factory() {
  return [](int in_rate, int out_rate) -> std::unique_ptr<PcmRateConverter> {
    if (in_rate > 0 && out_rate > 0) {
      auto resampler = Resampler::create(static_cast<std::uint32_t>(in_rate),
                                         static_cast<std::uint32_t>(out_rate));
      if (resampler) {
        return std::make_unique<SpeexRateConverter>(std::move(resampler.value()), in_rate,
                                                    out_rate);
      }
    }
    return make_linear_rate_converter(in_rate, out_rate);
  };
}

}  // namespace kolokol::media
