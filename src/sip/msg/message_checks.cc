#include "sip/msg/message_checks.h"

#include <array>
#include <limits>
#include <string>

#include "sip/msg/message_impl.h"
#include "sip/msg/scan.h"

namespace kolokol::sip {
namespace {

constexpr std::size_t kIdCount = static_cast<std::size_t>(HeaderId::Count_);

std::string describe(HeaderId id, std::string_view problem) {
  std::string out(problem);
  out += ' ';
  out += canonical_header_name(id);
  return out;
}

// Parses every line of a list header into slot; the first malformed line is a defect.
template <typename T, typename Parse>
void check_list(detail::MessageData& d, detail::Lazy<std::vector<T>>& slot, HeaderId id,
                Parse parse) {
  slot.value.clear();
  slot.ready = true;
  for (const Header& h : d.headers) {
    if (h.id != id) continue;
    auto parsed = parse(h.value);
    if (!parsed) {
      d.set_defect(400, describe(id, "malformed") + ": " + parsed.error().reason);
      return;
    }
    if (slot.value.empty()) {
      slot.value = std::move(*parsed);
    } else {
      for (auto& item : *parsed) slot.value.push_back(std::move(item));
    }
  }
}

template <typename T, typename Parse>
void check_single(detail::MessageData& d, const Header* h, detail::Lazy<std::optional<T>>& slot,
                  HeaderId id, Parse parse) {
  slot.value.reset();
  slot.ready = true;
  if (h == nullptr) return;
  auto parsed = parse(h->value);
  if (!parsed) {
    d.set_defect(400, describe(id, "malformed") + ": " + parsed.error().reason);
    return;
  }
  slot.value = std::move(*parsed);
}

bool valid_call_id(std::string_view value) {
  if (value.empty()) return false;
  for (char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f) return false;
  }
  return true;
}

}  // namespace

void check_message(Message& message) {
  detail::MessageData& d = MessageAccess::data(message);
  std::array<const Header*, kIdCount> first{};
  std::array<std::uint16_t, kIdCount> count{};
  for (const Header& h : d.headers) {
    const auto i = static_cast<std::size_t>(h.id);
    if (first[i] == nullptr) first[i] = &h;
    if (count[i] < std::numeric_limits<std::uint16_t>::max()) ++count[i];
  }
  auto header = [&](HeaderId id) { return first[static_cast<std::size_t>(id)]; };

  for (HeaderId id :
       {HeaderId::Via, HeaderId::From, HeaderId::To, HeaderId::CallId, HeaderId::CSeq}) {
    if (header(id) == nullptr) d.set_defect(400, describe(id, "missing"));
  }
  for (std::size_t i = 1; i < kIdCount; ++i) {
    const auto id = static_cast<HeaderId>(i);
    if (count[i] > 1 && header_is_single(id)) d.set_defect(400, describe(id, "repeated"));
  }

  check_list(d, d.parsed.vias, HeaderId::Via, parse_via_list);
  check_single(d, header(HeaderId::From), d.parsed.from, HeaderId::From, parse_name_addr);
  check_single(d, header(HeaderId::To), d.parsed.to, HeaderId::To, parse_name_addr);
  check_single(d, header(HeaderId::CSeq), d.parsed.cseq, HeaderId::CSeq, parse_cseq);
  check_list(d, d.parsed.contacts, HeaderId::Contact, parse_name_addr_list);

  if (const Header* h = header(HeaderId::CallId); h && !valid_call_id(h->value)) {
    d.set_defect(400, "malformed Call-ID");
  }
  if (const Header* h = header(HeaderId::MaxForwards); h && !detail::parse_decimal(h->value, 255)) {
    d.set_defect(400, "malformed Max-Forwards");
  }
  if (const Header* h = header(HeaderId::Expires);
      h && !detail::parse_decimal(h->value, std::numeric_limits<std::uint32_t>::max())) {
    d.set_defect(400, "malformed Expires");
  }
  if (d.request && d.parsed.cseq.value && d.parsed.cseq.value->method_text != d.method_text) {
    d.set_defect(400, "CSeq method does not match the request method");
  }
}

}  // namespace kolokol::sip
