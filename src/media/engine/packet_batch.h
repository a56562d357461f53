#pragma once

#include <sys/socket.h>

#include <array>
#include <cstddef>
#include <cstdint>

namespace kolokol::media {

// Buffers for one recvmmsg and one sendmmsg of up to kSize datagrams. One per worker, reused by
// every relay of it (a relay handles its batch completely before the next one starts).
struct PacketBatch {
  static constexpr std::size_t kSize = 64;
  static constexpr std::size_t kMaxDatagram = 1500;

  PacketBatch() {
    for (std::size_t i = 0; i < kSize; ++i) {
      receive_iov[i].iov_base = data[i].data();
      receive_iov[i].iov_len = kMaxDatagram;
    }
  }
  void prepare_receive() {
    for (std::size_t i = 0; i < kSize; ++i) {
      received[i] = {};
      received[i].msg_hdr.msg_iov = &receive_iov[i];
      received[i].msg_hdr.msg_iovlen = 1;
      received[i].msg_hdr.msg_name = &sources[i];
      received[i].msg_hdr.msg_namelen = sizeof(sockaddr_storage);
    }
  }

  std::array<std::array<std::uint8_t, kMaxDatagram>, kSize> data{};
  std::array<iovec, kSize> receive_iov{};
  std::array<sockaddr_storage, kSize> sources{};
  std::array<mmsghdr, kSize> received{};
  std::array<iovec, kSize> send_iov{};
  std::array<mmsghdr, kSize> outgoing{};
};

}  // namespace kolokol::media
