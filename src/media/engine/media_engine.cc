#include "media/engine/media_engine.h"

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <thread>

#include "media/engine/rtp_relay.h"

namespace kolokol::media {

namespace {

unsigned worker_count(unsigned configured) {
  if (configured > 0) return configured;
  return std::max(1u, std::thread::hardware_concurrency() / 2);
}

bool is_wildcard(const UdpAddress& address) {
  return address.ip() == "0.0.0.0" || address.ip() == "::";
}

}  // namespace

base::Expected<std::unique_ptr<MediaEngine>, std::string> MediaEngine::start(
    MediaEngineConfig config, base::Logger log, base::MetricsRegistry& metrics) {
  auto bind = UdpAddress::parse(config.bind_address, 0);
  if (!bind)
    return base::unexpected("media.address: not a numeric IP address: " + config.bind_address);
  if (config.port_min >= config.port_max || config.port_max - config.port_min < 3) {
    return base::unexpected(std::string("media.rtp_ports: the range holds no RTP/RTCP pair"));
  }
  // "::" is dual stack, but only where the host has IPv6 at all.
  if (bind->family() == AF_INET6) {
    const int probe = ::socket(AF_INET6, SOCK_DGRAM, 0);
    if (probe < 0) {
      if (config.bind_address != "::") {
        return base::unexpected("media.address: IPv6 is not available for " + config.bind_address);
      }
      bind = UdpAddress::parse("0.0.0.0", 0);
    } else {
      ::close(probe);
    }
  }
  std::unique_ptr<MediaEngine> engine(new MediaEngine(std::move(config), *bind, log, metrics));
  const unsigned count = worker_count(engine->config_.workers);
  for (unsigned i = 0; i < count; ++i) {
    auto worker = std::make_unique<MediaWorker>("k-media-" + std::to_string(i));
    if (!worker->start()) return base::unexpected(std::string("media worker failed to start"));
    engine->workers_.push_back(std::move(worker));
    engine->batches_.push_back(std::make_unique<PacketBatch>());
  }
  log.info("media: {} worker(s), RTP ports {}-{} on {} ({} relay sides)", count,
           engine->config_.port_min, engine->config_.port_max, engine->bind_.ip(),
           engine->ports_.pair_count());
  return engine;
}

MediaEngine::MediaEngine(MediaEngineConfig config, UdpAddress bind, base::Logger log,
                         base::MetricsRegistry& metrics)
    : config_(std::move(config)),
      bind_(bind),
      log_(std::move(log)),
      ports_(bind_, config_.port_min, config_.port_max, config_.socket_buffer_bytes),
      active_gauge_(metrics.gauge("media_relays_active", "Anchored calls relaying media now")),
      created_(metrics.counter("media_relays_total", "Relays created for anchored calls")),
      exhausted_(
          metrics.counter("media_ports_exhausted_total", "Calls that found no free RTP port pair")),
      packets_(metrics.counter("media_rtp_packets_total",
                               "RTP packets received on relays (counted when a relay closes)")),
      lost_(metrics.counter("media_rtp_lost_total",
                            "RTP packets the legs' sequence numbers show lost before the PBX")),
      dropped_(metrics.counter("media_dropped_total",
                               "Datagrams a relay did not forward: malformed, from an unlatched "
                               "source, no destination yet, or a full send buffer")),
      timeouts_(metrics.counter("media_rtp_timeouts_total",
                                "Legs that stopped sending RTP for media.rtp_timeout")),
      rfc4733_digits_(metrics.counter("media_dtmf_digits_total", "Key presses detected",
                                      {{"source", "rfc4733"}})),
      inband_digits_(metrics.counter("media_dtmf_digits_total", "Key presses detected",
                                     {{"source", "inband"}})),
      recordings_done_(metrics.counter("media_recordings_total", "Call recordings finished",
                                       {{"result", "ok"}})),
      recordings_failed_(metrics.counter("media_recordings_total", "Call recordings finished",
                                         {{"result", "failed"}})) {
  recordings_.start();
}

RecordingCompletion MediaEngine::recording_completion() {
  return [log = log_, done = &recordings_done_,
          failed = &recordings_failed_](const RecordingResult& result) {
    if (result.error) {
      failed->inc();
      log.error("recording {} failed: {}", result.path, result.error->describe());
      return;
    }
    done->inc();
    log.info("recording {} finished: {} ms, {} bytes{}", result.path, result.duration.count(),
             result.bytes,
             result.dropped_blocks
                 ? fmt::format(", {} blocks lost (writer behind)", result.dropped_blocks)
                 : std::string());
  };
}

MediaEngine::~MediaEngine() {
  // Relays still alive belong to their owners; stopping the workers runs their pending
  // commands, which close the sockets of relays already released.
  for (auto& worker : workers_) worker->stop();
  recordings_.stop();  // after the workers: relays closed by them finish their recordings
}

std::unique_ptr<MediaRelay> MediaEngine::create_relay(RelayNotify notify) {
  auto a = ports_.allocate();
  auto b = a ? ports_.allocate() : std::nullopt;
  if (!a || !b) {
    exhausted_.inc();
    log_.warn("media: no free RTP port pair in {}-{}; the call is refused", config_.port_min,
              config_.port_max);
    return nullptr;
  }
  std::size_t chosen = 0;
  for (std::size_t i = 1; i < workers_.size(); ++i) {
    if (workers_[i]->load() < workers_[chosen]->load()) chosen = i;
  }
  MediaWorker& worker = *workers_[chosen];
  worker.add_load(1);
  const std::array<std::uint16_t, 2> ports{a->rtp_port, b->rtp_port};
  auto counters = std::make_shared<std::array<RelayLegCounters, 2>>();
  RtpRelay::Options options;
  options.rtp_timeout = config_.rtp_timeout;
  options.inband_dtmf = config_.inband_dtmf;
  RelayNotify counted = [this, notify = std::move(notify)](RelayEvent event) {
    if (event.kind == RelayEventKind::RtpTimeout) timeouts_.inc();
    if (event.kind == RelayEventKind::Digit)
      (event.inband ? inband_digits_ : rfc4733_digits_).inc();
    if (notify) notify(event);
  };
  auto relay = std::make_shared<RtpRelay>(
      worker, *batches_[chosen], std::array<RtpSocketPair, 2>{std::move(*a), std::move(*b)},
      counters, std::move(counted), options);
  base::Logger log = log_;
  worker.post([relay, log] {
    if (!relay->attach()) log.error("media: a relay's sockets could not be watched");
  });
  active_.fetch_add(1, std::memory_order_relaxed);
  active_gauge_.add(1);
  created_.inc();
  return std::make_unique<MediaRelay>(*this, worker, ports, counters, std::move(relay));
}

void MediaEngine::relay_closed(const MediaRelay& relay) {
  for (RelaySide side : {RelaySide::A, RelaySide::B}) {
    const RelayLegStats stats = relay.stats(side);
    packets_.inc(stats.packets_in);
    lost_.inc(stats.lost_in);
    dropped_.inc(stats.dropped);
  }
  relay.worker_.add_load(-1);
  active_.fetch_sub(1, std::memory_order_relaxed);
  active_gauge_.add(-1);
}

std::string MediaEngine::advertised_address_for(const std::string& peer_ip) const {
  if (!config_.advertised_address.empty()) return config_.advertised_address;
  if (!is_wildcard(bind_)) return bind_.ip();
  // Ask the kernel which source address it would use towards the peer (no packet is sent).
  auto peer = UdpAddress::parse(peer_ip, 9);
  if (!peer) return bind_.family() == AF_INET6 ? "::1" : "127.0.0.1";
  const int fd = ::socket(peer->family(), SOCK_DGRAM | SOCK_CLOEXEC, 0);
  std::string chosen;
  if (fd >= 0) {
    if (::connect(fd, peer->data(), peer->length()) == 0) {
      sockaddr_storage local{};
      socklen_t length = sizeof local;
      if (::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &length) == 0) {
        chosen = UdpAddress::from_sockaddr(reinterpret_cast<sockaddr*>(&local), length).ip();
      }
    }
    ::close(fd);
  }
  if (chosen.empty()) chosen = peer->is_ipv6() ? "::1" : "127.0.0.1";
  return chosen;
}

}  // namespace kolokol::media
