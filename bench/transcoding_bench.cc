// CPU per 20 ms packet of the transcoding path between two legs without a common codec
// (media/engine/transcoding_path.h), for the "calls per core" figure of docs/performance.md:
// a call sends 50 packets/s each way, so calls per core = 1 s / (50 * (a->b + b->a)).
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstring>
#include <numbers>
#include <vector>

#include "media/codec/codec_factory.h"
#include "media/engine/transcoding_path.h"

namespace {

using kolokol::media::CodecId;
using kolokol::media::LegCodec;

constexpr std::uint8_t kOpusType = 96;

// 50 RTP packets (1 s) of a 440 Hz tone in `codec` at `rate`.
std::vector<std::vector<std::uint8_t>> packets(CodecId codec, std::uint8_t type,
                                               std::uint32_t rate, std::uint32_t step) {
  kolokol::media::CodecOptions options;
  options.opus.sample_rate = rate;
  auto encoder = kolokol::media::make_encoder(codec, options).value();
  const std::size_t samples = rate / 50;
  std::vector<std::vector<std::uint8_t>> out;
  for (std::uint32_t n = 0; n < 50; ++n) {
    std::vector<std::int16_t> pcm(samples);
    for (std::size_t i = 0; i < samples; ++i) {
      pcm[i] = static_cast<std::int16_t>(
          8000 * std::sin(2 * std::numbers::pi * 440 * static_cast<double>(n * samples + i) / rate));
    }
    std::vector<std::uint8_t> payload(1500);
    payload.resize(encoder->encode(pcm, payload).value());
    std::vector<std::uint8_t> packet(12, 0);
    packet[0] = 0x80;
    packet[1] = type;
    packet[3] = static_cast<std::uint8_t>(n);
    const std::uint32_t ts = n * step;
    packet[4] = static_cast<std::uint8_t>(ts >> 24);
    packet[5] = static_cast<std::uint8_t>(ts >> 16);
    packet[6] = static_cast<std::uint8_t>(ts >> 8);
    packet[7] = static_cast<std::uint8_t>(ts);
    packet.insert(packet.end(), payload.begin(), payload.end());
    out.push_back(std::move(packet));
  }
  return out;
}

void run(benchmark::State& state, LegCodec from, LegCodec to,
         const std::vector<std::vector<std::uint8_t>>& input) {
  auto path = kolokol::media::TranscodingPath::create(from, to).value();
  std::vector<std::uint8_t> buffer(1500);
  std::size_t i = 0;
  for (auto _ : state) {
    const auto& packet = input[i++ % input.size()];
    std::memcpy(buffer.data(), packet.data(), packet.size());
    benchmark::DoNotOptimize(path->transcode(buffer, packet.size()));
  }
  state.SetItemsProcessed(state.iterations());
}

void PcmaToOpus(benchmark::State& state) {
  static const auto input = packets(CodecId::Pcma, 8, 8000, 160);
  run(state, {CodecId::Pcma, 8, std::nullopt}, {CodecId::Opus, kOpusType, std::nullopt}, input);
}
BENCHMARK(PcmaToOpus);

void OpusToPcma(benchmark::State& state) {
  static const auto input = packets(CodecId::Opus, kOpusType, 48000, 960);
  run(state, {CodecId::Opus, kOpusType, std::nullopt}, {CodecId::Pcma, 8, std::nullopt}, input);
}
BENCHMARK(OpusToPcma);

void PcmuToG722(benchmark::State& state) {
  static const auto input = packets(CodecId::Pcmu, 0, 8000, 160);
  run(state, {CodecId::Pcmu, 0, std::nullopt}, {CodecId::G722, 9, std::nullopt}, input);
}
BENCHMARK(PcmuToG722);

void PcmaToG729(benchmark::State& state) {
  static const auto input = packets(CodecId::Pcma, 8, 8000, 160);
  run(state, {CodecId::Pcma, 8, std::nullopt}, {CodecId::G729, 18, std::nullopt}, input);
}
BENCHMARK(PcmaToG729);

}  // namespace

BENCHMARK_MAIN();
