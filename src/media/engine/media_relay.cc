#include "media/engine/media_relay.h"

#include "media/engine/media_engine.h"
#include "media/engine/rtp_relay.h"

namespace kolokol::media {

RelayLegStats snapshot(const RelayLegCounters& c) {
  constexpr auto relaxed = std::memory_order_relaxed;
  RelayLegStats s;
  s.packets_in = c.packets_in.load(relaxed);
  s.bytes_in = c.bytes_in.load(relaxed);
  s.packets_out = c.packets_out.load(relaxed);
  s.bytes_out = c.bytes_out.load(relaxed);
  s.lost_in = c.lost_in.load(relaxed);
  s.jitter_in_us = c.jitter_in_us.load(relaxed);
  s.max_jitter_in_us = c.max_jitter_in_us.load(relaxed);
  s.dropped = c.dropped.load(relaxed);
  s.rtcp_in = c.rtcp_in.load(relaxed);
  s.reported_lost = c.reported_lost.load(relaxed);
  s.reported_jitter_us = c.reported_jitter_us.load(relaxed);
  s.ssrc_changes = c.ssrc_changes.load(relaxed);
  return s;
}

MediaRelay::MediaRelay(MediaEngine& engine, MediaWorker& worker,
                       std::array<std::uint16_t, 2> local_ports,
                       std::shared_ptr<std::array<RelayLegCounters, 2>> counters,
                       std::shared_ptr<RtpRelay> relay)
    : engine_(engine),
      worker_(worker),
      local_ports_(local_ports),
      counters_(std::move(counters)),
      relay_(std::move(relay)) {}

MediaRelay::~MediaRelay() {
  engine_.relay_closed(*this);
  // The last reference goes on the worker, so the sockets leave its epoll set there.
  worker_.post([relay = std::move(relay_)]() mutable { relay.reset(); });
}

void MediaRelay::set_remote(RelaySide side, const RelayRemote& remote) {
  worker_.post([relay = relay_, side, remote] { relay->set_remote(side, remote); });
}

std::optional<std::string> MediaRelay::set_transcoding(
    std::optional<std::pair<LegCodec, LegCodec>> legs) {
  std::unique_ptr<TranscodingPath> from_a;
  std::unique_ptr<TranscodingPath> from_b;
  if (legs) {
    auto a_to_b = TranscodingPath::create(legs->first, legs->second);
    if (!a_to_b) return a_to_b.error();
    auto b_to_a = TranscodingPath::create(legs->second, legs->first);
    if (!b_to_a) return b_to_a.error();
    from_a = std::move(a_to_b.value());
    from_b = std::move(b_to_a.value());
  }
  // std::function needs a copyable task: the paths travel in a shared holder.
  auto paths = std::make_shared<
      std::pair<std::unique_ptr<TranscodingPath>, std::unique_ptr<TranscodingPath>>>(
      std::move(from_a), std::move(from_b));
  worker_.post([relay = relay_, paths] {
    relay->set_transcoding(std::move(paths->first), std::move(paths->second));
  });
  return std::nullopt;
}

void MediaRelay::start_recording(std::string path, RecordingFileFormat format) {
  CallRecorderConfig config;
  config.path = std::move(path);
  config.file_format = format;
  config.on_complete = engine_.recording_completion();
  worker_.post([relay = relay_, &writer = engine_.recordings_, config = std::move(config)] {
    relay->start_recording(writer, config);
  });
}

RelayLegStats MediaRelay::stats(RelaySide side) const {
  return snapshot((*counters_)[index_of(side)]);
}

}  // namespace kolokol::media
