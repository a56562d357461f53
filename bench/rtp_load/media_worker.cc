#include "media_worker.h"

#include <arpa/inet.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <stdexcept>

namespace kolokol::rtpload {

namespace {

constexpr std::uint64_t kTimerTag = ~std::uint64_t{0};

void put16(std::uint8_t* at, std::uint16_t value) {
  at[0] = static_cast<std::uint8_t>(value >> 8);
  at[1] = static_cast<std::uint8_t>(value);
}

void put32(std::uint8_t* at, std::uint32_t value) {
  put16(at, static_cast<std::uint16_t>(value >> 16));
  put16(at + 2, static_cast<std::uint16_t>(value));
}

std::uint16_t get16(const std::uint8_t* at) {
  return static_cast<std::uint16_t>((at[0] << 8) | at[1]);
}

std::uint32_t get32(const std::uint8_t* at) {
  return (static_cast<std::uint32_t>(get16(at)) << 16) | get16(at + 2);
}

}  // namespace

std::int64_t monotonic_ns() {
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  return static_cast<std::int64_t>(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

ToneSet ToneSet::make() {
  return ToneSet{g711_sine_frame(0, 400, 0.3), g711_sine_frame(8, 400, 0.3),
                 g711_sine_frame(0, 800, 0.3), g711_sine_frame(8, 800, 0.3)};
}

const G711Frame& ToneSet::frame(bool caller_side, std::uint8_t payload_type) const {
  if (caller_side) return payload_type == 8 ? caller_alaw : caller_ulaw;
  return payload_type == 8 ? callee_alaw : callee_ulaw;
}

MediaWorker::MediaWorker(std::vector<Endpoint*> endpoints, const ToneSet& tones)
    : endpoints_(std::move(endpoints)), tones_(tones), receive_buffers_(kMaxBatch) {
  for (Endpoint* endpoint : endpoints_) by_phase_[endpoint->id % kPhases].push_back(endpoint);
  for (int i = 0; i < kMaxBatch; ++i) {
    send_iov_[i] = {send_buffers_[i].data(), kPacketSize};
    send_messages_[i].msg_hdr.msg_iov = &send_iov_[i];
    send_messages_[i].msg_hdr.msg_iovlen = 1;
    send_messages_[i].msg_hdr.msg_namelen = sizeof(sockaddr_in);
    receive_iov_[i] = {receive_buffers_[i].data(), kReceiveSize};
    receive_messages_[i].msg_hdr.msg_iov = &receive_iov_[i];
    receive_messages_[i].msg_hdr.msg_iovlen = 1;
  }
  epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
  timer_fd_ = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
  if (epoll_fd_ < 0 || timer_fd_ < 0) {
    throw std::runtime_error(std::string("epoll/timerfd: ") + std::strerror(errno));
  }
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.u64 = kTimerTag;
  epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, timer_fd_, &event);
  for (std::size_t i = 0; i < endpoints_.size(); ++i) {
    event.data.u64 = i;
    if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, endpoints_[i]->fd, &event) != 0) {
      throw std::runtime_error(std::string("epoll_ctl: ") + std::strerror(errno));
    }
  }
}

MediaWorker::~MediaWorker() {
  stop();
  if (timer_fd_ >= 0) close(timer_fd_);
  if (epoll_fd_ >= 0) close(epoll_fd_);
}

void MediaWorker::start() {
  // Absolute deadlines on a 5 ms grid: a late wake-up does not shift the following ones.
  const std::int64_t first = (monotonic_ns() / kTickNs + 1) * kTickNs;
  itimerspec spec{};
  spec.it_value = {static_cast<time_t>(first / 1'000'000'000), first % 1'000'000'000};
  spec.it_interval = {0, kTickNs};
  timerfd_settime(timer_fd_, TFD_TIMER_ABSTIME, &spec, nullptr);
  thread_ = std::thread([this] { run(); });
}

void MediaWorker::stop() {
  stop_.store(true, std::memory_order_relaxed);
  if (thread_.joinable()) thread_.join();
}

void MediaWorker::run() {
  std::array<epoll_event, 256> events{};
  while (!stop_.load(std::memory_order_relaxed)) {
    const int ready = epoll_wait(epoll_fd_, events.data(), static_cast<int>(events.size()), 50);
    for (int i = 0; i < ready; ++i) {
      if (events[i].data.u64 == kTimerTag) {
        std::uint64_t expirations = 0;
        if (read(timer_fd_, &expirations, sizeof expirations) == sizeof expirations) {
          on_ticks(expirations);
        }
      } else {
        receive(*endpoints_[events[i].data.u64]);
      }
    }
  }
}

void MediaWorker::on_ticks(std::uint64_t expirations) {
  if (expirations > kPhases) ++late_ticks_;
  std::array<int, kPhases> due{};
  for (std::uint64_t i = 0; i < expirations; ++i) ++due[++tick_ % kPhases];
  for (int phase = 0; phase < kPhases; ++phase) {
    if (due[phase] == 0) continue;
    for (Endpoint* endpoint : by_phase_[phase]) {
      if (endpoint->sending.load(std::memory_order_acquire)) send_due(*endpoint, due[phase]);
    }
  }
}

void MediaWorker::send_due(Endpoint& endpoint, int packets) {
  if (packets > kMaxBatch) {
    skipped_packets_ += packets - kMaxBatch;
    packets = kMaxBatch;
  }
  const G711Frame& tone = tones_.frame(endpoint.caller_side, endpoint.payload_type);
  auto& tx = endpoint.tx;
  for (int i = 0; i < packets; ++i) {
    std::uint8_t* packet = send_buffers_[i].data();
    packet[0] = 0x80;  // version 2, no padding, extension or CSRC
    packet[1] = static_cast<std::uint8_t>((tx.sent == 0 ? 0x80 : 0) | endpoint.payload_type);
    put16(packet + 2, tx.sequence++);
    put32(packet + 4, tx.timestamp);
    tx.timestamp += kSamplesPerFrame;
    put32(packet + 8, tx.ssrc);
    // The payload is audio except for its first 12 bytes: the send time (one host, one
    // monotonic clock) and who sent it, so the receiver measures latency and spots crossed calls.
    std::memcpy(packet + 12 + 12, tone.data() + 12, kSamplesPerFrame - 12);
    const std::int64_t now = monotonic_ns();
    std::memcpy(packet + 12, &now, sizeof now);
    std::memcpy(packet + 20, &endpoint.id, sizeof endpoint.id);
    send_messages_[i].msg_hdr.msg_name = &endpoint.remote;
    ++tx.sent;
  }
  const int sent = sendmmsg(endpoint.fd, send_messages_.data(), static_cast<unsigned>(packets), 0);
  if (sent < packets) tx.send_errors += static_cast<std::uint64_t>(packets - std::max(sent, 0));
}

void MediaWorker::receive(Endpoint& endpoint) {
  for (int round = 0; round < 4; ++round) {
    for (int i = 0; i < kMaxBatch; ++i) receive_messages_[i].msg_hdr.msg_namelen = 0;
    const int count =
        recvmmsg(endpoint.fd, receive_messages_.data(), kMaxBatch, MSG_DONTWAIT, nullptr);
    if (count <= 0) return;
    const std::int64_t arrival = monotonic_ns();
    for (int i = 0; i < count; ++i) {
      account(endpoint, receive_buffers_[i].data(), receive_messages_[i].msg_len, arrival);
    }
    if (count < kMaxBatch) return;
  }
}

void MediaWorker::account(Endpoint& endpoint, const std::uint8_t* data, std::size_t size,
                          std::int64_t arrival_ns) {
  auto& rx = endpoint.rx;
  if (size < 12 + 12 || (data[0] >> 6) != 2) {
    ++rx.malformed;
    return;
  }
  std::int64_t sent_ns = 0;
  std::uint32_t sender = 0;
  std::memcpy(&sent_ns, data + 12, sizeof sent_ns);
  std::memcpy(&sender, data + 20, sizeof sender);
  if (!rx.peer) {
    rx.peer = sender;
    rx.peer_ssrc = get32(data + 8);
  } else if (*rx.peer != sender) {
    ++rx.foreign;
    return;
  }
  rx.stats.on_packet(get16(data + 2), get32(data + 4), arrival_ns);
  latency_.add(arrival_ns - sent_ns);
}

}  // namespace kolokol::rtpload
