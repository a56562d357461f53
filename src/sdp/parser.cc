#include "sdp/parser.h"

#include <string>

#include "sdp/text.h"

namespace kolokol::sdp {

namespace {

using text::parse_unsigned;
using text::split_fields;

// One SDP body being read line by line. Each line is looked at once, so the work is linear.
class Parser {
 public:
  explicit Parser(const ParseLimits& limits) : limits_(limits) { sdp_.timings.clear(); }

  base::Expected<SessionDescription, ParseError> run(std::string_view body) {
    if (body.size() > limits_.max_bytes) {
      return fail_body("body of " + std::to_string(body.size()) + " bytes exceeds the limit of " +
                       std::to_string(limits_.max_bytes));
    }
    std::size_t pos = 0;
    while (pos < body.size()) {
      std::size_t end = body.find('\n', pos);
      if (end == std::string_view::npos) end = body.size();
      std::string_view line = body.substr(pos, end - pos);
      pos = end + 1;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (++line_no_ > limits_.max_lines) {
        return fail_body("more than " + std::to_string(limits_.max_lines) + " lines");
      }
      if (line.empty()) continue;
      if (auto error = take(line)) return base::unexpected(std::move(*error));
    }
    if (!seen_version_) return fail_body("empty body or no v= line");
    if (!seen_origin_) return fail_body("missing o= line");
    if (sdp_.timings.empty()) sdp_.timings.emplace_back();
    return std::move(sdp_);
  }

 private:
  using Error = std::optional<ParseError>;

  base::Unexpected<ParseError> fail_body(std::string reason) const {
    return base::unexpected(ParseError{0, std::move(reason)});
  }

  Error fail(std::string_view line, std::string_view why) const {
    std::string reason = "line " + std::to_string(line_no_);
    if (line.size() >= 2 && line[1] == '=') reason += " (" + std::string(line.substr(0, 2)) + ")";
    reason += ": ";
    reason += why;
    reason += ": " + text::quote(line);
    return ParseError{line_no_, std::move(reason)};
  }

  Error take(std::string_view line) {
    for (char c : line) {
      if (c == '\0' || c == '\r') return fail(line, "NUL or CR inside the line");
    }
    if (line.size() < 2 || line[1] != '=') return fail(line, "not a <type>=<value> line");
    const char type = line[0];
    const std::string_view value = line.substr(2);
    if (!seen_version_) {
      if (type != 'v') return fail(line, "an SDP body must start with v=0");
      if (text::trim(value) != "0") return fail(line, "unsupported SDP version");
      seen_version_ = true;
      return std::nullopt;
    }
    if (in_media_) return take_media_line(line, type, value);
    return take_session_line(line, type, value);
  }

  Error take_session_line(std::string_view line, char type, std::string_view value) {
    switch (type) {
      case 'o':
        if (seen_origin_) return fail(line, "duplicate o= line");
        seen_origin_ = true;
        return parse_origin(line, value);
      case 's':
        if (seen_name_) return fail(line, "duplicate s= line");
        seen_name_ = true;
        sdp_.name = std::string(value);
        return std::nullopt;
      case 'i':
        return set_once(line, sdp_.information, value);
      case 'u':
        return set_once(line, sdp_.uri, value);
      case 'e':
        sdp_.emails.emplace_back(value);
        return std::nullopt;
      case 'p':
        sdp_.phones.emplace_back(value);
        return std::nullopt;
      case 'c': {
        if (sdp_.connection) return fail(line, "duplicate session-level c= line");
        Connection c;
        if (auto error = parse_connection(line, value, c)) return error;
        sdp_.connection = std::move(c);
        return std::nullopt;
      }
      case 'b':
        return parse_bandwidth(line, value, sdp_.bandwidths);
      case 't':
        return parse_timing(line, value);
      case 'r':
        return parse_repeat(line, value);
      case 'z':
        return parse_zone(line, value);
      case 'k':
        return set_once(line, sdp_.key, value);
      case 'a':
        return parse_attribute(line, value, sdp_.attributes);
      case 'm':
        return parse_media(line, value);
      case 'v':
        return fail(line, "duplicate v= line");
      default:
        return fail(line, "unknown line type");
    }
  }

  Error take_media_line(std::string_view line, char type, std::string_view value) {
    switch (type) {
      case 'm':
        return parse_media(line, value);
      case 'i':
        return set_once(line, current_media().title, value);
      case 'c': {
        Connection c;
        if (auto error = parse_connection(line, value, c)) return error;
        current_media().connections.push_back(std::move(c));
        return std::nullopt;
      }
      case 'b':
        return parse_bandwidth(line, value, current_media().bandwidths);
      case 'k':
        return set_once(line, current_media().key, value);
      case 'a':
        return parse_attribute(line, value, current_media().attributes);
      case 'v':
      case 'o':
      case 's':
      case 'u':
      case 'e':
      case 'p':
      case 't':
      case 'r':
      case 'z':
        return fail(line, "session-level line inside a media section");
      default:
        return fail(line, "unknown line type");
    }
  }

  MediaDescription& current_media() { return sdp_.media.back(); }

  Error set_once(std::string_view line, std::optional<std::string>& field, std::string_view value) {
    if (field) return fail(line, "duplicate line");
    field = std::string(value);
    return std::nullopt;
  }

  Error parse_origin(std::string_view line, std::string_view value) {
    const auto f = split_fields(value);
    if (f.size() != 6) return fail(line, "o= needs 6 fields");
    const auto version = parse_unsigned<std::uint64_t>(f[2]);
    if (!version) return fail(line, "session version is not a 64-bit number");
    if (!text::is_digits(f[1])) return fail(line, "session id is not a number");
    if (!text::is_token(f[3]) || !text::is_token(f[4])) return fail(line, "bad network type");
    sdp_.origin = Origin{std::string(f[0]), std::string(f[1]), *version,
                         std::string(f[3]), std::string(f[4]), std::string(f[5])};
    return std::nullopt;
  }

  Error parse_connection(std::string_view line, std::string_view value, Connection& c) {
    const auto f = split_fields(value);
    if (f.size() != 3) return fail(line, "c= needs 3 fields");
    if (!text::is_token(f[0]) || !text::is_token(f[1])) return fail(line, "bad network type");
    c.net_type = std::string(f[0]);
    c.addr_type = std::string(f[1]);
    std::string_view address = f[2];
    if (c.addr_type != "IP4" && c.addr_type != "IP6") {
      c.address = std::string(address);
      return std::nullopt;
    }
    std::vector<std::uint32_t> suffixes;
    std::size_t slash = address.find('/');
    c.address = std::string(address.substr(0, slash));
    while (slash != std::string_view::npos) {
      const std::size_t next = address.find('/', slash + 1);
      const auto n = parse_unsigned<std::uint32_t>(address.substr(slash + 1, next - slash - 1));
      if (!n) return fail(line, "bad /ttl or /count suffix");
      suffixes.push_back(*n);
      slash = next;
    }
    if (c.address.empty()) return fail(line, "empty address");
    const std::size_t allowed = c.addr_type == "IP4" ? 2 : 1;
    if (suffixes.size() > allowed) return fail(line, "too many / suffixes");
    if (c.addr_type == "IP4" && !suffixes.empty()) c.ttl = suffixes[0];
    if (c.addr_type == "IP4" && suffixes.size() == 2) c.address_count = suffixes[1];
    if (c.addr_type == "IP6" && !suffixes.empty()) c.address_count = suffixes[0];
    return std::nullopt;
  }

  Error parse_bandwidth(std::string_view line, std::string_view value,
                        std::vector<Bandwidth>& out) {
    value = text::trim(value);
    const std::size_t colon = value.find(':');
    if (colon == std::string_view::npos) return fail(line, "b= needs <type>:<value>");
    const std::string_view type = value.substr(0, colon);
    const auto amount = parse_unsigned<std::uint64_t>(value.substr(colon + 1));
    if (!text::is_token(type)) return fail(line, "bad bandwidth type");
    if (!amount) return fail(line, "bandwidth is not a number");
    out.push_back(Bandwidth{std::string(type), *amount});
    return std::nullopt;
  }

  Error parse_timing(std::string_view line, std::string_view value) {
    const auto f = split_fields(value);
    if (f.size() != 2) return fail(line, "t= needs 2 fields");
    const auto start = parse_unsigned<std::uint64_t>(f[0]);
    const auto stop = parse_unsigned<std::uint64_t>(f[1]);
    if (!start || !stop) return fail(line, "start or stop time is not a number");
    sdp_.timings.push_back(Timing{*start, *stop, {}, {}});
    return std::nullopt;
  }

  Error parse_repeat(std::string_view line, std::string_view value) {
    if (sdp_.timings.empty()) return fail(line, "r= before any t= line");
    const auto f = split_fields(value);
    if (f.size() < 3) return fail(line, "r= needs at least 3 fields");
    for (std::string_view field : f) {
      if (!text::is_typed_time(field)) return fail(line, "bad typed time");
    }
    RepeatTime r{std::string(f[0]), std::string(f[1]), {}};
    for (std::size_t i = 2; i < f.size(); ++i) r.offsets.emplace_back(f[i]);
    sdp_.timings.back().repeats.push_back(std::move(r));
    return std::nullopt;
  }

  Error parse_zone(std::string_view line, std::string_view value) {
    if (sdp_.timings.empty()) return fail(line, "z= before any t= line");
    const auto f = split_fields(value);
    if (f.empty() || f.size() % 2 != 0) return fail(line, "z= needs <time> <offset> pairs");
    for (std::size_t i = 0; i < f.size(); i += 2) {
      if (!text::is_digits(f[i]) || f[i].size() > 20 || !text::is_typed_time(f[i + 1], true)) {
        return fail(line, "bad time zone adjustment");
      }
      sdp_.timings.back().zone_adjustments.push_back(
          ZoneAdjustment{std::string(f[i]), std::string(f[i + 1])});
    }
    return std::nullopt;
  }

  Error parse_attribute(std::string_view line, std::string_view value, Attributes& out) {
    // Trailing blanks are noise some stacks add; they never carry meaning.
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
    const std::size_t colon = value.find(':');
    const std::string_view name = value.substr(0, colon);
    if (!text::is_token(name)) return fail(line, "bad attribute name");
    Attribute a{std::string(name), std::nullopt};
    if (colon != std::string_view::npos) a.value = std::string(value.substr(colon + 1));
    out.push_back(std::move(a));
    return std::nullopt;
  }

  static bool is_proto(std::string_view proto) {
    std::size_t start = 0;
    while (true) {
      const std::size_t slash = proto.find('/', start);
      if (!text::is_token(proto.substr(start, slash - start))) return false;
      if (slash == std::string_view::npos) return true;
      start = slash + 1;
    }
  }

  Error parse_media(std::string_view line, std::string_view value) {
    if (sdp_.media.size() >= limits_.max_media) {
      return fail(line, "more than " + std::to_string(limits_.max_media) + " media sections");
    }
    const auto f = split_fields(value);
    if (f.size() < 3) return fail(line, "m= needs <media> <port> <proto> <fmt>...");
    if (!text::is_token(f[0])) return fail(line, "bad media type");
    MediaDescription m;
    m.media = std::string(f[0]);
    const std::string_view port_field = f[1];
    const std::size_t slash = port_field.find('/');
    const auto port = parse_unsigned<std::uint16_t>(port_field.substr(0, slash));
    if (!port) return fail(line, "port is not a number in 0-65535");
    m.port = *port;
    if (slash != std::string_view::npos) {
      const auto count = parse_unsigned<std::uint16_t>(port_field.substr(slash + 1));
      if (!count || *count == 0) return fail(line, "bad number of ports");
      m.port_count = *count;
    }
    if (!is_proto(f[2])) return fail(line, "bad transport protocol");
    m.proto = std::string(f[2]);
    for (std::size_t i = 3; i < f.size(); ++i) {
      if (!text::is_token(f[i])) return fail(line, "bad media format");
      m.formats.emplace_back(f[i]);
    }
    sdp_.media.push_back(std::move(m));
    in_media_ = true;
    return std::nullopt;
  }

  const ParseLimits& limits_;
  SessionDescription sdp_;
  bool in_media_ = false;  // lines now belong to sdp_.media.back()
  std::size_t line_no_ = 0;
  bool seen_version_ = false;
  bool seen_origin_ = false;
  bool seen_name_ = false;
};

}  // namespace

base::Expected<SessionDescription, ParseError> parse(std::string_view text,
                                                     const ParseLimits& limits) {
  return Parser(limits).run(text);
}

}  // namespace kolokol::sdp
