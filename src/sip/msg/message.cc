#include <limits>
#include <utility>

#include "sip/msg/message_impl.h"
#include "sip/msg/scan.h"

namespace kolokol::sip {

void detail::ParsedHeaders::invalidate(HeaderId id) {
  switch (id) {
    case HeaderId::Via:
      vias.ready = false;
      break;
    case HeaderId::From:
      from.ready = false;
      break;
    case HeaderId::To:
      to.ready = false;
      break;
    case HeaderId::CSeq:
      cseq.ready = false;
      break;
    case HeaderId::Contact:
      contacts.ready = false;
      break;
    case HeaderId::Route:
      routes.ready = false;
      break;
    case HeaderId::RecordRoute:
      record_routes.ready = false;
      break;
    case HeaderId::ContentType:
      content_type.ready = false;
      break;
    default:
      break;
  }
}

void split_values(std::string_view value, std::vector<std::string_view>& out) {
  detail::split_top_level(value, ',', [&](std::string_view piece) {
    if (!piece.empty()) out.push_back(piece);
  });
}

namespace {

// Header values set through the API are one line: CR/LF become spaces so a value taken from
// elsewhere (a display name, a config string) cannot inject header lines.
std::string_view keep_value(detail::MessageData& d, std::string_view value) {
  value = detail::trim(value);
  if (value.find_first_of("\r\n") == std::string_view::npos) return d.keep(value);
  std::string line(value);
  for (char& c : line) {
    if (c == '\r' || c == '\n') c = ' ';
  }
  return d.keep(std::move(line));
}

// Unknown header names must stay tokens for the same reason.
std::string_view keep_name(detail::MessageData& d, std::string_view name) {
  std::string token(detail::trim(name));
  for (char& c : token) {
    if (!detail::is_token_char(c)) c = '-';
  }
  if (token.empty()) token = "X";
  return d.keep(std::move(token));
}

}  // namespace

Message::Message(Impl* impl) : impl_(impl) {}
Message::Message(Message&& other) noexcept : impl_(std::exchange(other.impl_, nullptr)) {}
Message& Message::operator=(Message&& other) noexcept {
  std::swap(impl_, other.impl_);
  return *this;
}
Message::~Message() {
  delete impl_;
}

Message Message::request(Method method, Uri request_uri) {
  Message m = MessageAccess::make();
  m.impl_->method = method;
  m.impl_->method_text = method_name(method);
  m.impl_->request_uri = std::move(request_uri);
  return m;
}

Message Message::request(std::string_view method_text, Uri request_uri) {
  Message m = MessageAccess::make();
  m.impl_->method = method_from_name(method_text);
  m.impl_->method_text = m.impl_->keep(method_text);
  m.impl_->request_uri = std::move(request_uri);
  return m;
}

Message Message::response(int status, std::string_view reason) {
  Message m = MessageAccess::make();
  m.impl_->request = false;
  m.set_status(status, reason);
  return m;
}

Message Message::clone() const {
  Message copy = MessageAccess::make();
  Impl& d = *copy.impl_;
  d.request = impl_->request;
  d.method = impl_->method;
  d.method_text = d.keep(impl_->method_text);
  d.request_uri = impl_->request_uri;
  d.request_uri_text = d.keep(impl_->request_uri_text);
  d.status = impl_->status;
  d.reason = d.keep(impl_->reason);
  d.headers.reserve(impl_->headers.size());
  for (const Header& h : impl_->headers) {
    const std::string_view name = h.id == HeaderId::Other ? d.keep(h.name) : h.name;
    d.headers.push_back(Header{h.id, name, d.keep(h.value)});
  }
  d.body = impl_->body;
  d.defect = impl_->defect;
  return copy;
}

bool Message::is_request() const {
  return impl_->request;
}
std::string_view Message::version() const {
  return "SIP/2.0";
}

Method Message::method() const {
  return impl_->method;
}
std::string_view Message::method_text() const {
  return impl_->method_text;
}
const Uri& Message::request_uri() const {
  return impl_->request_uri;
}
void Message::set_request_uri(Uri uri) {
  impl_->request_uri = std::move(uri);
  impl_->request_uri_text = {};
}

int Message::status() const {
  return impl_->status;
}
std::string_view Message::reason() const {
  return impl_->reason;
}
void Message::set_status(int status, std::string_view reason) {
  impl_->status = status;
  impl_->reason = reason.empty() ? default_reason(status) : keep_value(*impl_, reason);
}

const std::vector<Header>& Message::headers() const {
  return impl_->headers;
}

const Header* Message::find(HeaderId id) const {
  for (const Header& h : impl_->headers) {
    if (h.id == id) return &h;
  }
  return nullptr;
}

const Header* Message::find(std::string_view name) const {
  const HeaderId id = header_id_from_name(name);
  if (id != HeaderId::Other) return find(id);
  for (const Header& h : impl_->headers) {
    if (h.id == HeaderId::Other && detail::iequals(h.name, name)) return &h;
  }
  return nullptr;
}

std::size_t Message::count(HeaderId id) const {
  std::size_t n = 0;
  for (const Header& h : impl_->headers) n += h.id == id ? 1 : 0;
  return n;
}

std::vector<std::string_view> Message::values(HeaderId id) const {
  std::vector<std::string_view> out;
  const bool list = header_is_list(id);
  for (const Header& h : impl_->headers) {
    if (h.id != id) continue;
    if (list) {
      split_values(h.value, out);
    } else {
      out.push_back(h.value);
    }
  }
  return out;
}

std::vector<std::string_view> Message::values(std::string_view name) const {
  const HeaderId id = header_id_from_name(name);
  if (id != HeaderId::Other) return values(id);
  std::vector<std::string_view> out;
  for (const Header& h : impl_->headers) {
    if (h.id == HeaderId::Other && detail::iequals(h.name, name)) out.push_back(h.value);
  }
  return out;
}

void Message::add_header(HeaderId id, std::string_view value) {
  impl_->headers.push_back(Header{id, canonical_header_name(id), keep_value(*impl_, value)});
  impl_->parsed.invalidate(id);
}

void Message::add_header(std::string_view name, std::string_view value) {
  const HeaderId id = header_id_from_name(name);
  const std::string_view stored_name =
      id == HeaderId::Other ? keep_name(*impl_, name) : canonical_header_name(id);
  impl_->headers.push_back(Header{id, stored_name, keep_value(*impl_, value)});
  impl_->parsed.invalidate(id);
}

void Message::push_front_header(HeaderId id, std::string_view value) {
  auto& headers = impl_->headers;
  auto pos = headers.begin();
  for (auto it = headers.begin(); it != headers.end(); ++it) {
    if (it->id == id) {
      pos = it;
      break;
    }
  }
  headers.insert(pos, Header{id, canonical_header_name(id), keep_value(*impl_, value)});
  impl_->parsed.invalidate(id);
}

void Message::set_header(HeaderId id, std::string_view value) {
  auto& headers = impl_->headers;
  const Header replacement{id, canonical_header_name(id), keep_value(*impl_, value)};
  std::size_t first = headers.size();
  for (std::size_t i = 0; i < headers.size(); ++i) {
    if (headers[i].id == id) {
      first = i;
      break;
    }
  }
  if (first == headers.size()) {
    headers.push_back(replacement);
  } else {
    headers[first] = replacement;
    std::erase_if(headers, [&](const Header& h) { return h.id == id && &h != &headers[first]; });
  }
  impl_->parsed.invalidate(id);
}

std::size_t Message::remove_headers(HeaderId id) {
  impl_->parsed.invalidate(id);
  return std::erase_if(impl_->headers, [&](const Header& h) { return h.id == id; });
}

std::size_t Message::remove_headers(std::string_view name) {
  const HeaderId id = header_id_from_name(name);
  if (id != HeaderId::Other) return remove_headers(id);
  return std::erase_if(impl_->headers, [&](const Header& h) {
    return h.id == HeaderId::Other && detail::iequals(h.name, name);
  });
}

void Message::pop_front_value(HeaderId id) {
  auto& headers = impl_->headers;
  for (auto it = headers.begin(); it != headers.end(); ++it) {
    if (it->id != id) continue;
    const std::size_t comma = detail::find_top_level(it->value, ',');
    const std::string_view rest = comma == std::string_view::npos
                                      ? std::string_view()
                                      : detail::trim(it->value.substr(comma + 1));
    if (rest.empty()) {
      headers.erase(it);
    } else {
      it->value = rest;  // a tail of the same storage
    }
    impl_->parsed.invalidate(id);
    return;
  }
}

namespace {

template <typename T, typename Parse>
const T& lazy_list(const Message& m, detail::Lazy<T>& slot, HeaderId id, Parse parse) {
  if (!slot.ready) {
    slot.value.clear();
    for (const Header& h : m.headers()) {
      if (h.id != id) continue;
      auto parsed = parse(h.value);
      if (!parsed) break;  // keep the well-formed prefix (the top Via still routes a 400)
      for (auto& item : *parsed) slot.value.push_back(std::move(item));
    }
    slot.ready = true;
  }
  return slot.value;
}

template <typename T, typename Parse>
const T* lazy_single(const Message& m, detail::Lazy<std::optional<T>>& slot, HeaderId id,
                     Parse parse) {
  if (!slot.ready) {
    slot.value.reset();
    if (const Header* h = m.find(id)) {
      auto parsed = parse(h->value);
      if (parsed) slot.value = std::move(*parsed);
    }
    slot.ready = true;
  }
  return slot.value ? &*slot.value : nullptr;
}

}  // namespace

const std::vector<Via>& Message::vias() const {
  return lazy_list(*this, impl_->parsed.vias, HeaderId::Via, parse_via_list);
}

const Via* Message::top_via() const {
  const auto& all = vias();
  return all.empty() ? nullptr : &all.front();
}

const NameAddr* Message::from() const {
  return lazy_single(*this, impl_->parsed.from, HeaderId::From, parse_name_addr);
}

const NameAddr* Message::to() const {
  return lazy_single(*this, impl_->parsed.to, HeaderId::To, parse_name_addr);
}

std::string_view Message::call_id() const {
  const Header* h = find(HeaderId::CallId);
  return h ? h->value : std::string_view();
}

const CSeq* Message::cseq() const {
  return lazy_single(*this, impl_->parsed.cseq, HeaderId::CSeq, parse_cseq);
}

std::optional<int> Message::max_forwards() const {
  const Header* h = find(HeaderId::MaxForwards);
  if (h == nullptr) return std::nullopt;
  const auto value = detail::parse_decimal(h->value, 255);
  if (!value) return std::nullopt;
  return static_cast<int>(*value);
}

std::optional<std::size_t> Message::content_length() const {
  const Header* h = find(HeaderId::ContentLength);
  if (h == nullptr) return std::nullopt;
  const auto value = detail::parse_decimal(h->value, std::numeric_limits<std::uint32_t>::max());
  if (!value) return std::nullopt;
  return static_cast<std::size_t>(*value);
}

std::string_view Message::content_type() const {
  auto& slot = impl_->parsed.content_type;
  if (!slot.ready) {
    slot.value.clear();
    if (const Header* h = find(HeaderId::ContentType)) {
      std::string_view type = h->value.substr(0, h->value.find(';'));
      std::string lowered;
      for (char c : type) {
        if (!detail::is_lws(c)) lowered.push_back(detail::ascii_lower(c));
      }
      slot.value = std::move(lowered);
    }
    slot.ready = true;
  }
  return slot.value;
}

const std::vector<NameAddr>& Message::contacts() const {
  return lazy_list(*this, impl_->parsed.contacts, HeaderId::Contact, parse_name_addr_list);
}

const std::vector<NameAddr>& Message::routes() const {
  return lazy_list(*this, impl_->parsed.routes, HeaderId::Route, parse_name_addr_list);
}

const std::vector<NameAddr>& Message::record_routes() const {
  return lazy_list(*this, impl_->parsed.record_routes, HeaderId::RecordRoute, parse_name_addr_list);
}

std::optional<std::uint32_t> Message::expires() const {
  const Header* h = find(HeaderId::Expires);
  if (h == nullptr) return std::nullopt;
  const auto value = detail::parse_decimal(h->value, std::numeric_limits<std::uint32_t>::max());
  if (!value) return std::nullopt;
  return static_cast<std::uint32_t>(*value);
}

void Message::set_top_via(const Via& via) {
  auto& headers = impl_->headers;
  for (Header& h : headers) {
    if (h.id != HeaderId::Via) continue;
    std::string value = via.to_string();
    const std::size_t comma = detail::find_top_level(h.value, ',');
    if (comma != std::string_view::npos) {
      value += ", ";
      value += detail::trim(h.value.substr(comma + 1));
    }
    h.value = impl_->keep(std::move(value));
    impl_->parsed.invalidate(HeaderId::Via);
    return;
  }
  push_front_header(HeaderId::Via, via.to_string());
}

void Message::set_from(const NameAddr& from) {
  set_header(HeaderId::From, from.to_string());
}
void Message::set_to(const NameAddr& to) {
  set_header(HeaderId::To, to.to_string());
}

void Message::set_to_tag(std::string_view tag) {
  if (const NameAddr* current = to()) {
    NameAddr updated = *current;
    set_param(updated.params, "tag", tag);
    set_to(updated);
    return;
  }
  if (const Header* h = find(HeaderId::To)) {
    std::string value(h->value);
    value += ";tag=";
    value += tag;
    set_header(HeaderId::To, value);
  }
}

void Message::set_cseq(const CSeq& cseq) {
  set_header(HeaderId::CSeq, cseq.to_string());
}

const std::string& Message::body() const {
  return impl_->body;
}

void Message::set_body(std::string_view content_type, std::string body) {
  impl_->body = std::move(body);
  if (content_type.empty()) {
    remove_headers(HeaderId::ContentType);
  } else {
    set_header(HeaderId::ContentType, content_type);
  }
  set_header(HeaderId::ContentLength, std::to_string(impl_->body.size()));
}

void Message::clear_body() {
  impl_->body.clear();
  remove_headers(HeaderId::ContentType);
  set_header(HeaderId::ContentLength, "0");
}

const std::optional<ParseError>& Message::defect() const {
  return impl_->defect;
}

}  // namespace kolokol::sip
