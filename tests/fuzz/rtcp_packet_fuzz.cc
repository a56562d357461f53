// libFuzzer target for what the PBX reads of its peers' RTCP and of their RTP sequence numbers:
// parse_rtcp must never read outside the datagram, the report blocks it finds must survive a
// receiver report round trip unchanged, and RtpReceiveStats must keep its counts coherent
// whatever order, duplication or wrap the packets come in.
// Build and run: scripts/fuzz.sh 60 rtcp_packet_fuzz
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

#include "media/rtp/rtcp_packet.h"
#include "media/rtp/rtp_receive_stats.h"

namespace {

using namespace kolokol::media;

void require(bool condition) {
  if (!condition) std::abort();
}

bool same_block(const RtcpReportBlock& a, const RtcpReportBlock& b) {
  return a.ssrc == b.ssrc && a.fraction_lost == b.fraction_lost &&
         a.cumulative_lost == b.cumulative_lost &&
         a.extended_highest_sequence == b.extended_highest_sequence && a.jitter == b.jitter &&
         a.last_sr == b.last_sr && a.delay_since_last_sr == b.delay_since_last_sr;
}

// A receiver report holds at most 31 blocks, so a compound with more goes out in several.
void check_report_round_trip(const RtcpCompound& compound) {
  constexpr std::size_t kMaxBlocks = 31;
  const std::span<const RtcpReportBlock> all(compound.reports);
  std::size_t done = 0;
  do {
    const std::span<const RtcpReportBlock> chunk =
        all.subspan(done, std::min(kMaxBlocks, all.size() - done));
    std::array<std::uint8_t, 8 + kMaxBlocks * 24> buffer{};
    const std::size_t written = serialize_receiver_report(compound.sender_ssrc, chunk, buffer);
    require(written == 8 + chunk.size() * 24);
    // Too small a buffer is refused rather than overrun.
    require(serialize_receiver_report(compound.sender_ssrc, chunk,
                                      std::span(buffer).first(written - 1)) == 0);
    auto again = parse_rtcp(std::span<const std::uint8_t>(buffer).first(written));
    require(again.has_value());
    require(again->sender_ssrc == compound.sender_ssrc);
    require(!again->sender_info.has_value() && !again->bye);
    require(again->reports.size() == chunk.size());
    for (std::size_t i = 0; i < chunk.size(); ++i) require(same_block(again->reports[i], chunk[i]));
    done += chunk.size();
  } while (done < all.size());
  // 32 blocks do not fit one receiver report's 5-bit count.
  if (all.size() > kMaxBlocks) {
    std::vector<std::uint8_t> big(8 + all.size() * 24);
    require(serialize_receiver_report(compound.sender_ssrc, all.first(kMaxBlocks + 1), big) == 0);
  }
}

void check_parse(std::span<const std::uint8_t> datagram) {
  auto compound = parse_rtcp(datagram);
  if (!compound) {
    (void)rtcp_error_name(compound.error());
    return;
  }
  // Every block took 24 bytes of the datagram; none was made up.
  require(compound->reports.size() * 24 + 8 <= datagram.size());
  check_report_round_trip(*compound);
}

std::uint32_t read32(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
         p[3];
}

// The same bytes as (sequence, timestamp, arrival) triples of one RTP source.
void check_receive_stats(std::span<const std::uint8_t> bytes) {
  constexpr std::size_t kTriple = 10;
  RtpReceiveStats stats;
  std::uint64_t fed = 0;
  for (std::size_t at = 0; at + kTriple <= bytes.size(); at += kTriple) {
    const std::uint8_t* p = bytes.data() + at;
    const auto sequence = static_cast<std::uint16_t>((p[0] << 8) | p[1]);
    stats.on_packet(sequence, read32(p + 2), read32(p + 6));
    ++fed;
    require(stats.started());
    // Late packets count as received too (RFC 3550 A.3), the newest's duplicates do not;
    // unconfirmed jumps count as neither.
    require(stats.received() <= fed && stats.duplicates_or_late() <= fed);
    require(stats.received() >= 1);
    const std::uint64_t expected = stats.expected();
    require(expected >= 1);
    // No underflow: at most one wrap per accepted packet, so expected stays within reach.
    require(expected <= (stats.received() + 1) * 0x10000);
    require(stats.lost() <= expected);
    require(stats.lost() == (expected > stats.received() ? expected - stats.received() : 0));
    (void)stats.jitter();
  }
  if (fed == 0) {
    require(!stats.started() && stats.expected() == 0 && stats.lost() == 0);
  }
  stats.reset();
  require(!stats.started() && stats.received() == 0 && stats.expected() == 0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> bytes(data, size);
  check_parse(bytes);
  check_receive_stats(bytes);
  return 0;
}
