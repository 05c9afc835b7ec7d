// Prometheus text exposition, one line at a time with a cursor over a string_view: no regex (its
// backtracking is not linear on hostile input) and no exceptions (std::from_chars).
#include "probe/prom_text.hpp"

#include <charconv>
#include <cmath>
#include <limits>

namespace meshdoctor::probe {
namespace {

bool name_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
}
bool name_char(char c) { return name_start(c) || (c >= '0' && c <= '9'); }
bool blank(char c) { return c == ' ' || c == '\t'; }

// A cursor over one line; every step checks the end, so no input can read past it.
struct Cursor {
  std::string_view s;
  std::size_t i = 0;
  bool done() const { return i >= s.size(); }
  char peek() const { return done() ? '\0' : s[i]; }
  void skip_blanks() {
    while (!done() && blank(s[i])) ++i;
  }
  bool eat(char c) {
    if (peek() != c || done()) return false;
    ++i;
    return true;
  }
};

// A metric name, or a label name when `label` (label names take no colon).
std::optional<std::string> read_name(Cursor& c, bool label) {
  const std::size_t start = c.i;
  if (c.done() || !name_start(c.peek()) || (label && c.peek() == ':')) return std::nullopt;
  while (!c.done() && name_char(c.peek()) && !(label && c.peek() == ':')) ++c.i;
  return std::string(c.s.substr(start, c.i - start));
}

// A quoted label value with the format's three escapes; any other escape is kept as written,
// which is what Prometheus itself does with a stray backslash.
std::optional<std::string> read_quoted(Cursor& c) {
  if (!c.eat('"')) return std::nullopt;
  std::string out;
  while (!c.done()) {
    const char ch = c.s[c.i++];
    if (ch == '"') return out;
    if (ch != '\\' || c.done()) {
      out += ch;
      continue;
    }
    const char esc = c.s[c.i++];
    if (esc == 'n')
      out += '\n';
    else if (esc == '"' || esc == '\\')
      out += esc;
    else
      out += std::string{'\\', esc};
  }
  return std::nullopt;  // unterminated: the line was cut
}

// One `name="value"` pair into `labels`; a repeated name makes the line malformed.
bool read_label(Cursor& c, std::map<std::string, std::string>& labels) {
  auto name = read_name(c, true);
  if (!name) return false;
  c.skip_blanks();
  if (!c.eat('=')) return false;
  c.skip_blanks();
  auto value = read_quoted(c);
  return value && labels.emplace(std::move(*name), std::move(*value)).second;
}

// `{a="1", b="2",}`: spaces around separators and a trailing comma are allowed.
bool read_labels(Cursor& c, std::map<std::string, std::string>& labels) {
  if (!c.eat('{')) return true;  // no label set
  for (;;) {
    c.skip_blanks();
    if (c.eat('}')) return true;
    if (!read_label(c, labels)) return false;
    c.skip_blanks();
    if (c.eat('}')) return true;
    if (!c.eat(',')) return false;
  }
}

std::string_view read_token(Cursor& c) {
  const std::size_t start = c.i;
  while (!c.done() && !blank(c.peek())) ++c.i;
  return c.s.substr(start, c.i - start);
}

// A float as the format writes it: Go/Rust spellings of infinity and NaN, a leading '+', or
// anything std::from_chars reads in full.
std::optional<double> parse_number(std::string_view t) {
  if (t == "+Inf" || t == "Inf" || t == "+inf" || t == "inf")
    return std::numeric_limits<double>::infinity();
  if (t == "-Inf" || t == "-inf") return -std::numeric_limits<double>::infinity();
  if (t == "NaN" || t == "nan") return std::numeric_limits<double>::quiet_NaN();
  if (!t.empty() && t.front() == '+') {
    t.remove_prefix(1);
    if (!t.empty() && (t.front() == '+' || t.front() == '-')) return std::nullopt;
  }
  double v = 0;
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (ec != std::errc() || end != t.data() + t.size() || std::isnan(v) || std::isinf(v))
    return std::nullopt;
  return v;
}

// `value [timestamp] [# exemplar]` after the name and labels.
bool read_value_and_time(Cursor& c, PromSample& sample) {
  if (!blank(c.peek())) return false;  // the value must be separated from the name
  c.skip_blanks();
  auto value = parse_number(read_token(c));
  if (!value) return false;
  sample.value = *value;
  c.skip_blanks();
  if (c.done() || c.peek() == '#') return true;  // an OpenMetrics exemplar follows a '#'
  auto time = parse_number(read_token(c));
  if (!time) return false;
  sample.timestamp = time;
  c.skip_blanks();
  return c.done() || c.peek() == '#';
}

std::optional<PromSample> parse_sample(std::string_view line) {
  Cursor c{line};
  PromSample sample;
  auto name = read_name(c, false);
  if (!name) return std::nullopt;
  sample.name = std::move(*name);
  const std::size_t after_name = c.i;
  c.skip_blanks();
  if (c.peek() != '{') c.i = after_name;  // the blanks separate the value, not a label set
  if (!read_labels(c, sample.labels)) return std::nullopt;
  if (!read_value_and_time(c, sample)) return std::nullopt;
  return sample;
}

std::string_view trimmed(std::string_view line) {
  while (!line.empty() && (blank(line.back()) || line.back() == '\r')) line.remove_suffix(1);
  while (!line.empty() && blank(line.front())) line.remove_prefix(1);
  return line;
}

bool is_eof(std::string_view line) {
  line.remove_prefix(1);  // the '#'
  return trimmed(line) == "EOF";
}

bool labels_match(const PromSample& s, const std::map<std::string, std::string>& match) {
  for (const auto& [key, value] : match) {
    auto it = s.labels.find(key);
    if (it == s.labels.end() || it->second != value) return false;
  }
  return true;
}

}  // namespace

PromText parse_prom_text(std::string_view text) {
  PromText out;
  int number = 0;
  for (std::size_t pos = 0; pos < text.size();) {
    const std::size_t nl = text.find('\n', pos);
    const std::size_t end = nl == std::string_view::npos ? text.size() : nl;
    const std::string_view line = trimmed(text.substr(pos, end - pos));
    pos = end + 1;
    ++number;
    if (line.empty()) continue;
    if (line.front() == '#') {
      if (is_eof(line)) break;
      continue;  // HELP, TYPE, UNIT and free comments carry nothing a check reads
    }
    if (out.samples.size() >= k_prom_max_samples) {
      out.truncated = true;
      break;
    }
    if (auto sample = parse_sample(line)) {
      out.samples.push_back(std::move(*sample));
    } else if (++out.malformed == 1) {
      out.first_malformed_line = number;
    }
  }
  return out;
}

std::optional<double> prom_sum(const PromText& text,
                               std::string_view name,
                               const std::map<std::string, std::string>& match) {
  std::optional<double> sum;
  for (const auto& s : text.samples) {
    if (s.name == name && labels_match(s, match)) sum = sum.value_or(0) + s.value;
  }
  return sum;
}

}  // namespace meshdoctor::probe
