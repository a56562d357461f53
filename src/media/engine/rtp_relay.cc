#include "media/engine/rtp_relay.h"

#include <netinet/in.h>

#include <algorithm>

#include "media/rtp/rtcp_packet.h"
#include "media/rtp/rtp_packet.h"

namespace kolokol::media {

namespace {

// tag = side * 2 + (rtcp socket ? 1 : 0)
constexpr std::uint32_t tag_of(RelaySide side, bool rtcp) {
  return static_cast<std::uint32_t>(index_of(side)) * 2 + (rtcp ? 1 : 0);
}

void bump(std::atomic<std::uint64_t>& counter, std::uint64_t n = 1) {
  counter.store(counter.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
}

std::uint32_t to_microseconds(std::uint32_t timestamp_units, std::uint32_t clock_rate) {
  if (clock_rate == 0) return 0;
  return static_cast<std::uint32_t>(std::uint64_t{timestamp_units} * 1'000'000 / clock_rate);
}

}  // namespace

RtpRelay::RtpRelay(MediaWorker& worker, PacketBatch& batch, std::array<RtpSocketPair, 2> sockets,
                   std::shared_ptr<std::array<RelayLegCounters, 2>> counters, RelayNotify notify,
                   Options options)
    : worker_(worker),
      batch_(batch),
      legs_{Leg{.digits = DigitTap(DigitTapConfig{.inband = options.inband_dtmf})},
            Leg{.digits = DigitTap(DigitTapConfig{.inband = options.inband_dtmf})}},
      counters_(std::move(counters)),
      notify_(std::move(notify)),
      options_(options) {
  legs_[0].sockets = std::move(sockets[0]);
  legs_[1].sockets = std::move(sockets[1]);
  notices_.reserve(16);
}

RtpRelay::~RtpRelay() {
  stop_recording();
  if (!attached_) return;
  worker_.remove_ticker(this);
  for (Leg& leg : legs_) {
    worker_.unwatch(leg.sockets.rtp.get());
    worker_.unwatch(leg.sockets.rtcp.get());
  }
}

bool RtpRelay::attach() {
  for (RelaySide side : {RelaySide::A, RelaySide::B}) {
    Leg& leg = legs_[index_of(side)];
    if (!worker_.watch(leg.sockets.rtp.get(), this, tag_of(side, false)) ||
        !worker_.watch(leg.sockets.rtcp.get(), this, tag_of(side, true))) {
      return false;
    }
    leg.last_heard = worker_.now();
  }
  worker_.add_ticker(this);
  attached_ = true;
  return true;
}

void RtpRelay::set_remote(RelaySide side, const RelayRemote& remote) {
  Leg& leg = legs_[index_of(side)];
  const int family = leg.sockets.family;
  RelayRemote converted = remote;
  converted.rtp = remote.rtp.to_family(family).value_or(UdpAddress{});
  converted.rtcp = remote.rtcp.to_family(family).value_or(UdpAddress{});
  // A new peer address (another fork's early media, a re-INVITE moving the media): learn the
  // source again. The same address again (a hold, a session refresh) keeps what was learnt.
  if (!leg.remote || !(leg.remote->rtp == converted.rtp)) {
    leg.rtp_latch = {};
    leg.rtcp_latch = {};
  }
  // Every new description of the leg (an answer after early media, a re-INVITE) re-arms its
  // RTP timeout: one reported while ringing would otherwise leave the answered call unwatched.
  const bool rearm = converted.sends;
  std::vector<PayloadFormat> formats;
  formats.reserve(converted.formats.size());
  for (const RelayFormat& f : converted.formats) {
    formats.push_back({f.payload_type, f.encoding_name, f.clock_rate, f.channels, {}});
  }
  leg.payloads = PayloadMap::from_formats(formats);
  leg.remote = std::move(converted);
  if (rearm) {
    leg.last_heard = worker_.now();
    leg.timeout_reported = false;
  }
}

void RtpRelay::set_transcoding(std::unique_ptr<TranscodingPath> from_a,
                               std::unique_ptr<TranscodingPath> from_b) {
  legs_[0].transcoding = std::move(from_a);
  legs_[1].transcoding = std::move(from_b);
}

void RtpRelay::start_recording(RecordingWriter& writer, CallRecorderConfig config) {
  stop_recording();
  auto started = CallRecorder::start(writer, std::move(config), now_ms());
  if (started) recorder_ = std::move(started.value());
}

void RtpRelay::stop_recording() {
  if (!recorder_) return;
  recorder_->stop(now_ms());
  recorder_.reset();
}

std::int64_t RtpRelay::now_ms() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(worker_.now().time_since_epoch())
      .count();
}

void RtpRelay::tap(RelaySide side, Leg& leg, const std::uint8_t* data, std::size_t size) {
  if (leg.remote && leg.remote->encrypted) return;  // SRTP: the payload is ciphertext
  auto packet = parse_rtp({data, size});
  if (!packet) return;
  const std::int64_t now = now_ms();
  if (leg.digits.on_packet(packet.value(), now, leg.payloads, notices_) > 0) report_digits(side);
  if (recorder_) recorder_->on_packet(side, packet.value(), leg.payloads, now);
}

void RtpRelay::report_digits(RelaySide side) {
  for (const DigitNotice& notice : notices_) {
    if (notice.phase != DigitPhase::Ended || !notify_) continue;
    RelayEvent event;
    event.kind = RelayEventKind::Digit;
    event.side = side;
    event.digit = notice.event.digit;
    event.duration_ms = notice.event.duration_ms;
    event.inband = notice.event.source == DigitSource::Inband;
    notify_(event);
  }
  notices_.clear();
}

void RtpRelay::on_readable(std::uint32_t tag) {
  receive(tag / 2 == 0 ? RelaySide::A : RelaySide::B, (tag & 1) != 0);
}

bool RtpRelay::accept_source(Latch& latch, const UdpAddress& source, const UdpAddress* expected) {
  const auto now = worker_.now();
  if (latch.latched && latch.source == source) {
    latch.last = now;
    return true;
  }
  const bool authoritative = expected && expected->valid() && *expected == source;
  // A NAT that rebinds keeps the phone's public address and changes the port; a phone that
  // really moves sends a re-INVITE, which resets the latch. So another host never takes over.
  const bool rebound = now - latch.last >= options_.relatch_after &&
                       (source.same_ip(latch.source) ||
                        (expected && expected->valid() && source.same_ip(*expected)));
  if (!latch.latched || authoritative || rebound) {
    latch.source = source;
    latch.latched = true;
    latch.last = now;
    return true;
  }
  return false;  // another source while the latched one is alive: RTP injection
}

bool RtpRelay::take_rtp(Leg& leg, RelayLegCounters& counters, const std::uint8_t* data,
                        std::size_t size) {
  // Only the fixed header is needed to relay: what follows is the endpoints' business.
  if (size < RtpPacket::kFixedHeaderSize || (data[0] >> 6) != 2) return false;
  const std::uint16_t sequence = static_cast<std::uint16_t>(data[2] << 8 | data[3]);
  const std::uint32_t timestamp = std::uint32_t{data[4]} << 24 | std::uint32_t{data[5]} << 16 |
                                  std::uint32_t{data[6]} << 8 | data[7];
  const std::uint32_t ssrc = std::uint32_t{data[8]} << 24 | std::uint32_t{data[9]} << 16 |
                             std::uint32_t{data[10]} << 8 | data[11];
  if (!leg.have_ssrc || ssrc != leg.ssrc) {
    if (leg.have_ssrc) {
      leg.lost_before += leg.receive.lost();
      counters.ssrc_changes.store(counters.ssrc_changes.load(std::memory_order_relaxed) + 1,
                                  std::memory_order_relaxed);
    }
    leg.receive.reset();
    leg.ssrc = ssrc;
    leg.have_ssrc = true;
  }
  const std::uint32_t clock_rate = leg.remote ? leg.remote->clock_rate : 8000;
  const auto since_epoch = worker_.now().time_since_epoch();
  const auto arrival = static_cast<std::uint32_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(since_epoch).count() * clock_rate /
      1'000'000);
  leg.receive.on_packet(sequence, timestamp, arrival);
  counters.lost_in.store(leg.lost_before + leg.receive.lost(), std::memory_order_relaxed);
  const std::uint32_t jitter = to_microseconds(leg.receive.jitter(), clock_rate);
  counters.jitter_in_us.store(jitter, std::memory_order_relaxed);
  if (jitter > counters.max_jitter_in_us.load(std::memory_order_relaxed)) {
    counters.max_jitter_in_us.store(jitter, std::memory_order_relaxed);
  }
  return true;
}

void RtpRelay::take_rtcp(const Leg& leg, RelayLegCounters& counters, const std::uint8_t* data,
                         std::size_t size) {
  auto compound = parse_rtcp({data, size});
  if (!compound) return;
  bump(counters.rtcp_in);
  // The leg reports on what it receives from us; one block per source it hears, the first is it.
  if (!compound.value().reports.empty()) {
    const RtcpReportBlock& block = compound.value().reports.front();
    counters.reported_lost.store(std::max<std::int32_t>(block.cumulative_lost, 0),
                                 std::memory_order_relaxed);
    // In timestamp units of the stream it receives from us: the leg's own codec clock.
    const std::uint32_t clock_rate = leg.remote ? leg.remote->clock_rate : 8000;
    counters.reported_jitter_us.store(to_microseconds(block.jitter, clock_rate),
                                      std::memory_order_relaxed);
  }
}

const UdpAddress* RtpRelay::rtp_destination(const Leg& leg) const {
  if (leg.rtp_latch.latched) return &leg.rtp_latch.source;
  if (leg.remote && leg.remote->rtp.valid() && leg.remote->rtp.port() != 0) return &leg.remote->rtp;
  return nullptr;
}

const UdpAddress* RtpRelay::rtcp_destination(const Leg& leg) const {
  if (!leg.remote) return nullptr;
  if (leg.remote->rtcp_mux) return rtp_destination(leg);
  if (leg.rtcp_latch.latched) return &leg.rtcp_latch.source;
  if (leg.remote->rtcp.valid() && leg.remote->rtcp.port() != 0) return &leg.remote->rtcp;
  return nullptr;
}

void RtpRelay::receive(RelaySide side, bool rtcp_socket) {
  Leg& from = legs_[index_of(side)];
  Leg& to = legs_[index_of(other_side(side))];
  RelayLegCounters& in = (*counters_)[index_of(side)];
  RelayLegCounters& out = (*counters_)[index_of(other_side(side))];
  const int fd = rtcp_socket ? from.sockets.rtcp.get() : from.sockets.rtp.get();
  // Drain the socket: a level-triggered epoll would call again anyway, but one more recvmmsg
  // is cheaper than one more epoll_wait.
  for (int round = 0; round < 4; ++round) {
    batch_.prepare_receive();
    const int received =
        ::recvmmsg(fd, batch_.received.data(), PacketBatch::kSize, MSG_DONTWAIT, nullptr);
    if (received <= 0) return;
    std::size_t rtp_count = 0;
    std::size_t rtcp_count = 0;
    // Packets to forward keep their order; RTP first, then RTCP, each with one sendmmsg.
    std::array<std::uint16_t, PacketBatch::kSize> rtp_index{};
    std::array<std::uint16_t, PacketBatch::kSize> rtcp_index{};
    std::uint64_t bytes = 0;
    std::size_t accepted = 0;
    for (int i = 0; i < received; ++i) {
      const mmsghdr& message = batch_.received[i];
      const std::size_t size = message.msg_len;
      const std::uint8_t* data = batch_.data[i].data();
      if (message.msg_hdr.msg_flags & MSG_TRUNC) {  // larger than any RTP over a 1500-byte MTU
        bump(in.dropped);
        continue;
      }
      const UdpAddress source = UdpAddress::from_sockaddr(
          reinterpret_cast<const sockaddr*>(&batch_.sources[i]), message.msg_hdr.msg_namelen);
      const bool is_rtcp = rtcp_socket || looks_like_rtcp({data, std::min<std::size_t>(size, 2)});
      if (is_rtcp) {
        Latch& latch = rtcp_socket ? from.rtcp_latch : from.rtp_latch;
        const UdpAddress* expected =
            from.remote ? (rtcp_socket ? &from.remote->rtcp : &from.remote->rtp) : nullptr;
        if (size < 8 || (data[0] >> 6) != 2 || !accept_source(latch, source, expected)) {
          bump(in.dropped);
          continue;
        }
        take_rtcp(from, in, data, size);
        rtcp_index[rtcp_count++] = static_cast<std::uint16_t>(i);
        continue;
      }
      if (!accept_source(from.rtp_latch, source, from.remote ? &from.remote->rtp : nullptr) ||
          !take_rtp(from, in, data, size)) {
        bump(in.dropped);
        continue;
      }
      ++accepted;
      bytes += size;
      tap(side, from, data, size);
      if (from.transcoding) {
        const std::size_t out = from.transcoding->transcode(batch_.data[i], size);
        if (out == 0) continue;  // buffering, or not audio of the negotiated codec
        batch_.received[i].msg_len = static_cast<unsigned>(out);
      }
      rtp_index[rtp_count++] = static_cast<std::uint16_t>(i);
    }
    bump(in.packets_in, accepted);
    bump(in.bytes_in, bytes);
    if (accepted) from.last_heard = worker_.now();

    auto forward = [&](const std::array<std::uint16_t, PacketBatch::kSize>& index,
                       std::size_t count, const UdpAddress* destination, int out_fd,
                       bool count_rtp) {
      if (count == 0) return;
      if (!destination) {
        bump(in.dropped, count);  // the other leg has no address yet (before its answer)
        return;
      }
      std::uint64_t sent_bytes = 0;
      for (std::size_t k = 0; k < count; ++k) {
        const std::size_t i = index[k];
        batch_.send_iov[k].iov_base = batch_.data[i].data();
        batch_.send_iov[k].iov_len = batch_.received[i].msg_len;
        batch_.outgoing[k] = {};
        batch_.outgoing[k].msg_hdr.msg_iov = &batch_.send_iov[k];
        batch_.outgoing[k].msg_hdr.msg_iovlen = 1;
        batch_.outgoing[k].msg_hdr.msg_name = const_cast<sockaddr*>(destination->data());
        batch_.outgoing[k].msg_hdr.msg_namelen = destination->length();
      }
      std::size_t done = 0;
      while (done < count) {
        const int sent = ::sendmmsg(out_fd, batch_.outgoing.data() + done,
                                    static_cast<unsigned>(count - done), MSG_DONTWAIT);
        if (sent <= 0) break;  // full send buffer or an ICMP error: the rest is lost
        for (int k = 0; k < sent; ++k) sent_bytes += batch_.outgoing[done + k].msg_len;
        done += static_cast<std::size_t>(sent);
      }
      if (done < count) bump(out.dropped, count - done);
      if (count_rtp) {
        bump(out.packets_out, done);
        bump(out.bytes_out, sent_bytes);
      }
    };
    forward(rtp_index, rtp_count, rtp_destination(to), to.sockets.rtp.get(), true);
    const UdpAddress* rtcp_to = rtcp_destination(to);
    const int rtcp_fd =
        to.remote && to.remote->rtcp_mux ? to.sockets.rtp.get() : to.sockets.rtcp.get();
    forward(rtcp_index, rtcp_count, rtcp_to, rtcp_fd, false);
    if (received < static_cast<int>(PacketBatch::kSize)) return;
  }
}

void RtpRelay::on_tick(MediaClock::time_point now) {
  const std::int64_t ms = now_ms();
  for (RelaySide side : {RelaySide::A, RelaySide::B}) {
    if (legs_[index_of(side)].digits.on_tick(ms, notices_) > 0) report_digits(side);
  }
  if (recorder_) recorder_->on_tick(ms);
  if (options_.rtp_timeout.count() <= 0 || !notify_) return;
  for (RelaySide side : {RelaySide::A, RelaySide::B}) {
    Leg& leg = legs_[index_of(side)];
    if (!leg.remote || !leg.remote->sends || leg.timeout_reported) continue;
    if (now - leg.last_heard < options_.rtp_timeout) continue;
    leg.timeout_reported = true;
    notify_({RelayEventKind::RtpTimeout, side});
  }
}

}  // namespace kolokol::media
