#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/expected.h"
#include "base/log.h"
#include "base/metrics.h"
#include "media/engine/media_engine_config.h"
#include "media/engine/media_relay.h"
#include "media/engine/media_worker.h"
#include "media/engine/packet_batch.h"
#include "media/engine/port_allocator.h"
#include "media/record/recording_writer.h"

namespace kolokol::media {

// The media engine: worker threads, the RTP port range, and the relays of anchored calls.
// Knows nothing of calls or SIP: whoever anchors a call asks for a relay, tells it where each
// leg's media goes, and destroys it when the call ends.
class MediaEngine {
 public:
  static base::Expected<std::unique_ptr<MediaEngine>, std::string> start(
      MediaEngineConfig config, base::Logger log, base::MetricsRegistry& metrics);
  ~MediaEngine();  // closes every relay and joins the workers
  MediaEngine(const MediaEngine&) = delete;
  MediaEngine& operator=(const MediaEngine&) = delete;

  // A relay with a socket pair per leg, placed on the least loaded worker. Null when the port
  // range is exhausted (logged). `notify` runs on the worker: post it to the owner's thread.
  std::unique_ptr<MediaRelay> create_relay(RelayNotify notify);

  // The address to write into SDP for a leg whose media peer (or signalling peer, before its
  // SDP is known) is `peer_ip`.
  std::string advertised_address_for(const std::string& peer_ip) const;

  const MediaEngineConfig& config() const { return config_; }
  std::size_t active_relays() const { return active_.load(std::memory_order_relaxed); }

 private:
  MediaEngine(MediaEngineConfig config, UdpAddress bind, base::Logger log,
              base::MetricsRegistry& metrics);
  friend class MediaRelay;
  void relay_closed(const MediaRelay& relay);
  RecordingCompletion recording_completion();

  MediaEngineConfig config_;
  UdpAddress bind_;
  base::Logger log_;
  PortAllocator ports_;
  std::vector<std::unique_ptr<MediaWorker>> workers_;
  std::vector<std::unique_ptr<PacketBatch>> batches_;  // one per worker
  RecordingWriter recordings_;                         // the one thread that writes recording files
  std::atomic<std::size_t> active_{0};
  base::Gauge& active_gauge_;
  base::Counter& created_;
  base::Counter& exhausted_;
  base::Counter& packets_;
  base::Counter& lost_;
  base::Counter& dropped_;
  base::Counter& timeouts_;
  base::Counter& rfc4733_digits_;
  base::Counter& inband_digits_;
  base::Counter& recordings_done_;
  base::Counter& recordings_failed_;
};

}  // namespace kolokol::media
