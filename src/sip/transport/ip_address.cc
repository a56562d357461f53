#include "sip/transport/ip_address.h"

namespace kolokol::sip {

std::optional<boost::asio::ip::address> parse_ip_literal(std::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
    if (host.find(':') == std::string_view::npos) return std::nullopt;  // "[1.2.3.4]"
  }
  if (host.empty() || host.size() > 64) return std::nullopt;
  boost::system::error_code ec;
  auto address = boost::asio::ip::make_address(std::string(host), ec);
  if (ec) return std::nullopt;
  if (address.is_v6() && address.to_v6().scope_id() != 0) return std::nullopt;  // "fe80::1%eth0"
  return address;
}

std::string canonical_address(std::string_view host) {
  auto address = parse_ip_literal(host);
  return address ? address->to_string() : std::string(host);
}

std::string host_for_header(const boost::asio::ip::address& address) {
  return address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
}

bool is_forbidden_destination(const boost::asio::ip::address& address) {
  if (address.is_unspecified() || address.is_multicast()) return true;
  if (address.is_v4()) return address.to_v4().to_uint() == 0xFFFFFFFFu;
  const auto v6 = address.to_v6();
  if (v6.is_v4_mapped()) {
    return is_forbidden_destination(
        boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, v6));
  }
  return false;
}

}  // namespace kolokol::sip
