#include "media/audio/pcm_rate_converter.h"

#include <cmath>

namespace kolokol::media {
namespace {

// Output sample k sits at input position k * in_rate / out_rate. Positions are kept as exact
// integer fractions so long files do not drift the way an accumulated double step would.
class LinearRateConverter final : public PcmRateConverter {
 public:
  LinearRateConverter(int in_rate, int out_rate) : in_rate_(in_rate), out_rate_(out_rate) {}

  void process(std::span<const std::int16_t> in, std::vector<std::int16_t>& out) override {
    if (in.empty()) return;
    const std::int64_t available = consumed_ + static_cast<std::int64_t>(in.size());
    const auto at = [&](std::int64_t index) {
      // The one sample before this block is the previous block's last.
      return index >= consumed_ ? in[static_cast<std::size_t>(index - consumed_)] : previous_;
    };
    for (;;) {
      const std::int64_t position = next_output_ * in_rate_;
      const std::int64_t index = position / out_rate_;
      if (index + 1 >= available) break;
      const double fraction = static_cast<double>(position % out_rate_) / out_rate_;
      const double a = at(index);
      const double b = at(index + 1);
      out.push_back(static_cast<std::int16_t>(std::lround(a + (b - a) * fraction)));
      ++next_output_;
    }
    previous_ = in.back();
    consumed_ = available;
  }

  void finish(std::vector<std::int16_t>& out) override {
    // Positions past the last pair of samples hold the last sample.
    while (next_output_ * in_rate_ < consumed_ * out_rate_) {
      out.push_back(previous_);
      ++next_output_;
    }
  }

 private:
  std::int64_t in_rate_;
  std::int64_t out_rate_;
  std::int64_t consumed_ = 0;     // input samples seen so far
  std::int64_t next_output_ = 0;  // index of the next output sample
  std::int16_t previous_ = 0;     // the last input sample seen
};

}  // namespace

std::unique_ptr<PcmRateConverter> make_linear_rate_converter(int in_rate, int out_rate) {
  return std::make_unique<LinearRateConverter>(in_rate, out_rate);
}

PcmRateConverterFactory linear_rate_converter_factory() {
  return &make_linear_rate_converter;
}

}  // namespace kolokol::media
