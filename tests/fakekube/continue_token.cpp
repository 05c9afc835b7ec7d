// Continue token encoding: hex of "fk2|<generation>|<offset>|<namespace>|<name>|<list>" (names and
// namespaces never hold "|"; the list identity, last, may).
#include "continue_token.hpp"

#include <charconv>

namespace meshdoctor::fakekube {
namespace {

constexpr const char* k_hex = "0123456789abcdef";

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

std::optional<std::string> unhex(const std::string& text) {
  if (text.size() % 2 != 0) return std::nullopt;
  std::string out;
  for (std::size_t i = 0; i < text.size(); i += 2) {
    const int hi = hex_value(text[i]), lo = hex_value(text[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
  }
  return out;
}

template <class T>
bool parse_number(const std::string& text, T& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

}  // namespace

std::string encode_continue(const ContinuePosition& p) {
  const std::string plain = "fk2|" + std::to_string(p.generation) + "|" + std::to_string(p.offset) + "|" +
                            p.after_ns + "|" + p.after_name + "|" + p.list;
  std::string out;
  for (unsigned char c : plain) {
    out += k_hex[c >> 4];
    out += k_hex[c & 15];
  }
  return out;
}

std::optional<ContinuePosition> decode_continue(const std::string& token) {
  auto plain = unhex(token);
  if (!plain || !plain->starts_with("fk2|")) return std::nullopt;
  std::string fields[4];
  std::size_t at = 4;
  for (auto& field : fields) {
    const auto bar = plain->find('|', at);
    if (bar == std::string::npos) return std::nullopt;
    field = plain->substr(at, bar - at);
    at = bar + 1;
  }
  ContinuePosition p;
  if (!parse_number(fields[0], p.generation) || !parse_number(fields[1], p.offset)) return std::nullopt;
  p.after_ns = fields[2];
  p.after_name = fields[3];
  p.list = plain->substr(at);
  return p;
}

}  // namespace meshdoctor::fakekube
