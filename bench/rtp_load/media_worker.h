#pragma once

#include <sys/socket.h>
#include <sys/uio.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <thread>
#include <vector>

#include "g711_tone.h"
#include "latency_histogram.h"
#include "rtp_endpoint.h"

namespace kolokol::rtpload {

// Frames of each law and side, chosen once so the hot path only copies.
struct ToneSet {
  G711Frame caller_ulaw, caller_alaw, callee_ulaw, callee_alaw;
  static ToneSet make();  // caller 400 Hz, callee 800 Hz
  const G711Frame& frame(bool caller_side, std::uint8_t payload_type) const;
};

// One media thread: it alone owns its endpoints' sockets. A timerfd ticks every 5 ms on
// absolute CLOCK_MONOTONIC deadlines; the endpoints are spread over the four ticks of a 20 ms
// frame (like phones whose clocks are not aligned) so the relay does not see one burst per
// frame. Each endpoint sends its due packets in one sendmmsg (more than one only when the
// thread fell behind) and drains its socket with recvmmsg.
class MediaWorker {
 public:
  MediaWorker(std::vector<Endpoint*> endpoints, const ToneSet& tones);
  ~MediaWorker();
  MediaWorker(const MediaWorker&) = delete;
  MediaWorker& operator=(const MediaWorker&) = delete;

  void start();
  void stop();  // joins; the counters below are stable afterwards

  const LatencyHistogram& latency() const { return latency_; }
  std::uint64_t late_ticks() const { return late_ticks_; }  // ticks served more than one frame late
  std::uint64_t skipped_packets() const { return skipped_packets_; }

 private:
  static constexpr int kPhases = 4;  // ticks per 20 ms frame
  static constexpr std::int64_t kTickNs = 5'000'000;
  static constexpr int kMaxBatch = 16;
  static constexpr std::size_t kPacketSize = 12 + kSamplesPerFrame;
  static constexpr std::size_t kReceiveSize = 2048;

  void run();
  void on_ticks(std::uint64_t expirations);
  void send_due(Endpoint& endpoint, int packets);
  void receive(Endpoint& endpoint);
  void account(Endpoint& endpoint, const std::uint8_t* data, std::size_t size,
               std::int64_t arrival_ns);

  std::vector<Endpoint*> endpoints_;
  std::array<std::vector<Endpoint*>, kPhases> by_phase_;
  const ToneSet& tones_;
  int epoll_fd_ = -1;
  int timer_fd_ = -1;
  std::uint64_t tick_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;

  LatencyHistogram latency_;
  std::uint64_t late_ticks_ = 0;
  std::uint64_t skipped_packets_ = 0;

  // Batch buffers, allocated once.
  std::array<std::array<std::uint8_t, kPacketSize>, kMaxBatch> send_buffers_{};
  std::array<iovec, kMaxBatch> send_iov_{};
  std::array<mmsghdr, kMaxBatch> send_messages_{};
  std::vector<std::array<std::uint8_t, kReceiveSize>> receive_buffers_;
  std::array<iovec, kMaxBatch> receive_iov_{};
  std::array<mmsghdr, kMaxBatch> receive_messages_{};
};

std::int64_t monotonic_ns();

}  // namespace kolokol::rtpload
