#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <optional>
#include <span>
#include <thread>
#include <vector>

#include "media/engine/media_engine.h"
#include "media/rtp/rtcp_packet.h"

namespace kolokol::media {
namespace {

using namespace std::chrono_literals;

// A phone's media socket on 127.0.0.1.
class Peer {
 public:
  Peer() {
    fd_ = ::socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address);
    socklen_t length = sizeof address;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
  }
  ~Peer() { ::close(fd_); }
  std::uint16_t port() const { return port_; }
  UdpAddress address() const { return *UdpAddress::parse("127.0.0.1", port_); }

  void send_to(std::uint16_t port, const std::vector<std::uint8_t>& datagram) const {
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    to.sin_port = htons(port);
    ::sendto(fd_, datagram.data(), datagram.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof to);
  }
  // The next datagram within `wait`, or nullopt.
  std::optional<std::vector<std::uint8_t>> receive(std::chrono::milliseconds wait = 1000ms) const {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(wait.count())) <= 0) return std::nullopt;
    std::vector<std::uint8_t> buffer(2000);
    const ssize_t n = ::recv(fd_, buffer.data(), buffer.size(), 0);
    if (n < 0) return std::nullopt;
    buffer.resize(static_cast<std::size_t>(n));
    return buffer;
  }

 private:
  int fd_ = -1;
  std::uint16_t port_ = 0;
};

std::vector<std::uint8_t> rtp(std::uint16_t sequence, std::uint32_t ssrc = 0x11223344,
                              std::uint8_t fill = 0x55) {
  std::vector<std::uint8_t> packet(12 + 160, fill);
  packet[0] = 0x80;
  packet[1] = 0;  // PCMU
  packet[2] = static_cast<std::uint8_t>(sequence >> 8);
  packet[3] = static_cast<std::uint8_t>(sequence);
  const std::uint32_t timestamp = sequence * 160u;
  for (int i = 0; i < 4; ++i) {
    packet[4 + i] = static_cast<std::uint8_t>(timestamp >> (24 - 8 * i));
    packet[8 + i] = static_cast<std::uint8_t>(ssrc >> (24 - 8 * i));
  }
  return packet;
}

std::vector<std::uint8_t> receiver_report(std::int32_t lost) {
  RtcpReportBlock block;
  block.ssrc = 0x11223344;
  block.cumulative_lost = lost;
  block.jitter = 80;  // 10 ms at 8 kHz
  std::vector<std::uint8_t> out(64);
  out.resize(serialize_receiver_report(0xAABBCCDD, std::span(&block, 1), out));
  return out;
}

class RelayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    MediaEngineConfig config;
    config.bind_address = "127.0.0.1";
    config.port_min = 42000;
    config.port_max = 42099;
    config.workers = 2;
    config.rtp_timeout = 300ms;
    auto started = MediaEngine::start(config, base::Logger{}, metrics_);
    ASSERT_TRUE(started) << started.error();
    engine_ = std::move(started.value());
  }

  std::unique_ptr<MediaRelay> relay() {
    return engine_->create_relay([this](RelayEvent event) {
      std::lock_guard lock(mutex_);
      events_.push_back(event);
      changed_.notify_all();
    });
  }
  static RelayRemote remote(const Peer& peer, bool mux = false) {
    RelayRemote out;
    out.rtp = peer.address();
    out.rtcp = peer.address().with_port(peer.port() + 1);
    out.rtcp_mux = mux;
    return out;
  }
  bool wait_for_event(std::chrono::milliseconds wait) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, wait, [this] { return !events_.empty(); });
  }
  // set_remote is posted to the worker: a packet sent right after could overtake it.
  static void settle() { std::this_thread::sleep_for(30ms); }

  base::MetricsRegistry metrics_;
  std::unique_ptr<MediaEngine> engine_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<RelayEvent> events_;
};

TEST_F(RelayTest, CopiesPacketsBothWaysUnchanged) {
  Peer caller, callee;
  auto r = relay();
  ASSERT_TRUE(r);
  EXPECT_NE(r->local_port(RelaySide::A), r->local_port(RelaySide::B));
  EXPECT_EQ(r->local_port(RelaySide::A) % 2, 0);
  r->set_remote(RelaySide::A, remote(caller));
  r->set_remote(RelaySide::B, remote(callee));
  settle();
  for (std::uint16_t seq = 1; seq <= 50; ++seq) {
    caller.send_to(r->local_port(RelaySide::A), rtp(seq));
    auto got = callee.receive();
    ASSERT_TRUE(got) << "packet " << seq;
    EXPECT_EQ(*got, rtp(seq));
    callee.send_to(r->local_port(RelaySide::B), rtp(seq, 0x99, 0x66));
    auto back = caller.receive();
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, rtp(seq, 0x99, 0x66));
  }
  settle();  // counters are written after the send that the peer may already have read
  const RelayLegStats a = r->stats(RelaySide::A);
  EXPECT_EQ(a.packets_in, 50u);
  EXPECT_EQ(a.packets_out, 50u);
  EXPECT_EQ(a.lost_in, 0u);
  EXPECT_EQ(r->stats(RelaySide::B).packets_in, 50u);
}

TEST_F(RelayTest, SequenceGapsCountAsLossOfTheSendingLeg) {
  Peer caller, callee;
  auto r = relay();
  r->set_remote(RelaySide::A, remote(caller));
  r->set_remote(RelaySide::B, remote(callee));
  settle();
  for (std::uint16_t seq : {1, 2, 3, 6, 7, 10}) {
    caller.send_to(r->local_port(RelaySide::A), rtp(seq));
    ASSERT_TRUE(callee.receive());
  }
  settle();
  EXPECT_EQ(r->stats(RelaySide::A).lost_in, 4u);
  EXPECT_EQ(r->stats(RelaySide::A).packets_in, 6u);
}

TEST_F(RelayTest, LatchesToWhereMediaReallyComesFrom) {
  Peer caller, callee, callee_nat;  // the callee's SDP says one port, its NAT sends from another
  auto r = relay();
  r->set_remote(RelaySide::A, remote(caller));
  r->set_remote(RelaySide::B, remote(callee));
  settle();
  callee_nat.send_to(r->local_port(RelaySide::B), rtp(1, 7));
  ASSERT_TRUE(caller.receive());
  caller.send_to(r->local_port(RelaySide::A), rtp(1));
  EXPECT_TRUE(callee_nat.receive()) << "media goes back where it came from";
  EXPECT_FALSE(callee.receive(100ms)) << "not to the address of the SDP";
}

TEST_F(RelayTest, AStrangerCannotInjectIntoALatchedStream) {
  Peer caller, callee, stranger;
  auto r = relay();
  r->set_remote(RelaySide::A, remote(caller));
  r->set_remote(RelaySide::B, remote(callee));
  settle();
  caller.send_to(r->local_port(RelaySide::A), rtp(1));
  ASSERT_TRUE(callee.receive());
  stranger.send_to(r->local_port(RelaySide::A), rtp(2, 0xBAD));
  EXPECT_FALSE(callee.receive(100ms));
  EXPECT_EQ(r->stats(RelaySide::A).dropped, 1u);
  caller.send_to(r->local_port(RelaySide::A), rtp(2));
  EXPECT_TRUE(callee.receive());
}

TEST_F(RelayTest, MalformedDatagramsAreDroppedNotForwarded) {
  Peer caller, callee;
  auto r = relay();
  r->set_remote(RelaySide::A, remote(caller));
  r->set_remote(RelaySide::B, remote(callee));
  settle();
  caller.send_to(r->local_port(RelaySide::A), {0x80, 0x00, 0x01});                   // too short
  caller.send_to(r->local_port(RelaySide::A), std::vector<std::uint8_t>(40, 0x00));  // version 0
  caller.send_to(r->local_port(RelaySide::A), {});                                   // empty
  EXPECT_FALSE(callee.receive(150ms));
  EXPECT_EQ(r->stats(RelaySide::A).dropped, 3u);
  caller.send_to(r->local_port(RelaySide::A), rtp(1));
  EXPECT_TRUE(callee.receive());
}

TEST_F(RelayTest, RtcpIsRelayedAndItsReportsKept) {
  Peer caller, callee, callee_rtcp;
  auto r = relay();
  RelayRemote b = remote(callee);
  b.rtcp = callee_rtcp.address();
  r->set_remote(RelaySide::A, remote(caller, /*mux=*/true));
  r->set_remote(RelaySide::B, b);
  settle();
  // Muxed RTCP from the caller on the RTP port goes to the callee's separate RTCP port.
  caller.send_to(r->local_port(RelaySide::A), receiver_report(3));
  auto got = callee_rtcp.receive();
  ASSERT_TRUE(got);
  EXPECT_EQ(*got, receiver_report(3));
  EXPECT_EQ(r->stats(RelaySide::A).reported_lost, 3);
  EXPECT_EQ(r->stats(RelaySide::A).reported_jitter_us, 10000u);
  EXPECT_EQ(r->stats(RelaySide::A).packets_in, 0u) << "RTCP is not counted as RTP";
  // The callee's RTCP from its RTCP socket to ours (RTP port + 1) reaches the caller muxed.
  callee_rtcp.send_to(r->local_port(RelaySide::B) + 1, receiver_report(9));
  auto back = caller.receive();
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, receiver_report(9));
}

TEST_F(RelayTest, ReportedJitterCountsAtTheLegsClock) {
  Peer caller, callee;
  auto r = relay();
  RelayRemote opus = remote(caller, /*mux=*/true);
  opus.clock_rate = 48000;  // 80 units of jitter are 1.7 ms at 48 kHz, not 10 ms
  r->set_remote(RelaySide::A, opus);
  r->set_remote(RelaySide::B, remote(callee));
  settle();
  caller.send_to(r->local_port(RelaySide::A), receiver_report(0));
  settle();
  EXPECT_EQ(r->stats(RelaySide::A).rtcp_in, 1u);
  EXPECT_EQ(r->stats(RelaySide::A).reported_jitter_us, 80u * 1'000'000 / 48000);
}

TEST_F(RelayTest, ALegThatStopsSendingTimesOut) {
  Peer caller, callee;
  auto r = relay();
  r->set_remote(RelaySide::A, remote(caller));
  RelayRemote held = remote(callee);
  held.sends = false;  // on hold: silence is expected and never times out
  r->set_remote(RelaySide::B, held);
  settle();
  const auto until = std::chrono::steady_clock::now() + 600ms;
  std::uint16_t seq = 0;
  while (std::chrono::steady_clock::now() < until) {
    caller.send_to(r->local_port(RelaySide::A), rtp(++seq));
    std::this_thread::sleep_for(20ms);
  }
  {
    std::lock_guard lock(mutex_);
    EXPECT_TRUE(events_.empty()) << "the caller sends, the held callee is not expected to";
  }
  ASSERT_TRUE(wait_for_event(1500ms)) << "the caller stopped sending";
  std::lock_guard lock(mutex_);
  ASSERT_EQ(events_.size(), 1u);
  EXPECT_EQ(events_[0].kind, RelayEventKind::RtpTimeout);
  EXPECT_EQ(events_[0].side, RelaySide::A);
}

TEST_F(RelayTest, ANewDescriptionRearmsTheTimeout) {
  // Early media that stayed silent timed out while ringing (the call ignores that); the answer
  // describes the leg again and the answered call must be watched anew.
  Peer caller, callee;
  auto r = relay();
  r->set_remote(RelaySide::A, remote(callee));
  RelayRemote quiet = remote(caller);
  quiet.sends = false;
  r->set_remote(RelaySide::B, quiet);
  ASSERT_TRUE(wait_for_event(1500ms));
  {
    std::lock_guard lock(mutex_);
    events_.clear();
  }
  r->set_remote(RelaySide::A, remote(callee));  // the same address again
  ASSERT_TRUE(wait_for_event(1500ms)) << "the timeout was not re-armed";
  std::lock_guard lock(mutex_);
  EXPECT_EQ(events_.front().side, RelaySide::A);
}

TEST_F(RelayTest, PortsComeBackWhenRelaysClose) {
  // 100 ports hold 50 pairs: at most 25 relays. The other tests of this fixture may run at the
  // same time (ctest -j) and hold a few pairs of the range, so the capacity is measured: fill
  // the range, close everything, and the same number must fit again, three times over.
  std::size_t capacity = 0;
  for (int round = 0; round < 3; ++round) {
    std::vector<std::unique_ptr<MediaRelay>> relays;
    while (auto r = relay()) {
      relays.push_back(std::move(r));
      ASSERT_LE(relays.size(), 25u) << "more relays than the range has port pairs";
    }
    EXPECT_EQ(engine_->active_relays(), relays.size());
    if (round == 0) {
      capacity = relays.size();
      EXPECT_GE(capacity, 15u) << "most of the range should be free";
    } else {
      EXPECT_GE(relays.size() + 2, capacity) << "round " << round << ": ports did not come back";
    }
    relays.clear();
    settle();  // the sockets close on the workers
  }
  EXPECT_EQ(engine_->active_relays(), 0u);
}

TEST(UdpAddressTest, ParsesComparesAndMaps) {
  auto v4 = UdpAddress::parse("192.0.2.1", 4000);
  ASSERT_TRUE(v4);
  EXPECT_EQ(v4->to_string(), "192.0.2.1:4000");
  auto mapped = v4->to_family(AF_INET6);
  ASSERT_TRUE(mapped);
  EXPECT_TRUE(mapped->is_v4_mapped());
  EXPECT_EQ(mapped->ip(), "192.0.2.1");
  EXPECT_TRUE(*mapped == *v4);
  EXPECT_EQ(mapped->to_family(AF_INET)->to_string(), "192.0.2.1:4000");
  auto v6 = UdpAddress::parse("2001:db8::1", 5000);
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->to_string(), "[2001:db8::1]:5000");
  EXPECT_FALSE(v6->to_family(AF_INET));
  EXPECT_FALSE(UdpAddress::parse("example.com", 1));
  EXPECT_FALSE(UdpAddress::parse("", 1));
  EXPECT_FALSE(*v4 == v4->with_port(4001));
}

}  // namespace
}  // namespace kolokol::media
