#include "probe/log_line.hpp"

#include <cctype>

namespace meshdoctor::probe {
namespace {

constexpr std::size_t k_excerpt_max = 300;

bool is_space(char c) { return c == ' ' || c == '\t'; }

std::string_view trim_left(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  return s;
}

std::string_view first_token(std::string_view s) {
  std::size_t end = 0;
  while (end < s.size() && !is_space(s[end])) ++end;
  return s.substr(0, end);
}

// Finds a leading RFC3339 stamp, allowing up to two prefix words before it ("pod container "
// from `oc logs --prefix`). Returns the rest of the line after the stamp.
std::optional<std::string_view> strip_stamp(std::string_view s, int max_words,
                                            std::optional<util::Micros>& time) {
  std::string_view rest = trim_left(s);
  for (int word = 0; word < max_words && !rest.empty(); ++word) {
    const std::string_view token = first_token(rest);
    if (token.size() >= 20 && token[4] == '-') {
      if (auto t = util::parse_rfc3339(token)) {
        if (!time) time = t;
        return trim_left(rest.substr(token.size()));
      }
    }
    if (token.empty() || token.front() == '{') break;
    rest = trim_left(rest.substr(token.size()));
  }
  return std::nullopt;
}

bool is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

}  // namespace

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  }
  return true;
}

std::string_view json_string_field(std::string_view line, std::string_view key) {
  const std::string needle = "\"" + std::string(key) + "\":";
  std::size_t pos = line.find(needle);
  if (pos == std::string_view::npos) return {};
  pos += needle.size();
  while (pos < line.size() && is_space(line[pos])) ++pos;
  if (pos >= line.size() || line[pos] != '"') return {};
  const std::size_t end = line.find('"', pos + 1);
  return end == std::string_view::npos ? std::string_view() : line.substr(pos + 1, end - pos - 1);
}

ParsedLogLine parse_log_line(std::string_view line) {
  ParsedLogLine out;
  std::string_view body = line;
  // Inspect may add its own stamp in front of the log's stamp: strip up to two.
  if (auto rest = strip_stamp(body, 3, out.time)) {
    body = *rest;
    if (auto again = strip_stamp(body, 1, out.time)) body = *again;
  }
  body = trim_left(body);
  out.body = body;
  if (!body.empty() && body.front() == '{') {
    out.json = true;
    out.level = json_string_field(body, "level");
    if (!out.time) {
      const std::string_view t = json_string_field(body, "time");
      if (!t.empty()) out.time = util::parse_rfc3339(t);
    }
    return out;
  }
  out.level = first_token(body);
  return out;
}

std::string excerpt(std::string_view text, std::size_t pos) {
  if (text.size() <= k_excerpt_max) return std::string(text);
  std::size_t start = 0;
  if (pos + 100 > k_excerpt_max) start = std::min(pos > 100 ? pos - 100 : 0, text.size() - k_excerpt_max);
  std::size_t len = k_excerpt_max;
  while (start > 0 && start < text.size() && is_continuation(static_cast<unsigned char>(text[start]))) {
    ++start;
    --len;
  }
  while (len > 0 && start + len < text.size() &&
         is_continuation(static_cast<unsigned char>(text[start + len]))) {
    --len;
  }
  return std::string(text.substr(start, len));
}

}  // namespace meshdoctor::probe
