#include "report/text_layout.hpp"

#include <algorithm>
#include <cctype>

namespace meshdoctor::report {

namespace {

bool is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// Length in bytes of the longest prefix of `text` that fits in `width` columns.
std::size_t prefix_bytes(std::string_view text, int width) {
  std::size_t i = 0;
  int cols = 0;
  while (i < text.size()) {
    if (!is_continuation(static_cast<unsigned char>(text[i]))) {
      if (cols == width) break;
      ++cols;
    }
    ++i;
  }
  return i;
}

std::vector<std::string> split_words(std::string_view text) {
  std::vector<std::string> words;
  std::string current;
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      if (!current.empty()) words.push_back(std::move(current));
      current.clear();
    } else {
      current += c;
    }
  }
  if (!current.empty()) words.push_back(std::move(current));
  return words;
}

}  // namespace

int display_width(std::string_view text) {
  int cols = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == 0x1B) {  // CSI sequence: ESC [ ... final byte in @..~
      ++i;
      if (i < text.size() && text[i] == '[') {
        while (i + 1 < text.size() && !(text[i + 1] >= '@' && text[i + 1] <= '~')) ++i;
        ++i;
      }
      continue;
    }
    if (!is_continuation(c)) ++cols;
  }
  return cols;
}

std::vector<std::string> wrap(std::string_view text, int width) {
  width = std::max(width, 10);
  std::vector<std::string> lines;
  std::string line;
  for (std::string word : split_words(text)) {
    while (display_width(word) > width) {  // a word that fits no line is cut
      if (!line.empty()) lines.push_back(std::move(line));
      line.clear();
      std::size_t cut = prefix_bytes(word, width);
      lines.push_back(word.substr(0, cut));
      word.erase(0, cut);
    }
    if (word.empty()) continue;
    if (!line.empty() && display_width(line) + 1 + display_width(word) > width) {
      lines.push_back(std::move(line));
      line.clear();
    }
    line += line.empty() ? word : " " + word;
  }
  if (!line.empty() || lines.empty()) lines.push_back(std::move(line));
  return lines;
}

std::vector<std::string> pack(const std::vector<std::string>& items,
                              std::string_view sep,
                              int width) {
  std::vector<std::string> lines;
  std::string line;
  int sep_width = display_width(sep);
  for (const auto& item : items) {
    if (!line.empty() && display_width(line) + sep_width + display_width(item) > width) {
      lines.push_back(std::move(line));
      line.clear();
    }
    if (!line.empty()) line += sep;
    line += item;
  }
  if (!line.empty()) lines.push_back(std::move(line));
  return lines;
}

namespace {

// Length of the UTF-8 sequence starting with `lead`, 0 when `lead` cannot start one.
std::size_t sequence_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead & 0xE0) == 0xC0) return 2;
  if ((lead & 0xF0) == 0xE0) return 3;
  if ((lead & 0xF8) == 0xF0) return 4;
  return 0;
}

std::string_view ascii_for(std::string_view ch) {
  static const std::pair<std::string_view, std::string_view> k_map[] = {
      {"—", "-"},  {"–", "-"},      {"→", "->"}, {"←", "<-"}, {"…", "..."}, {"≥", ">="},
      {"≤", "<="}, {"·", "-"},      {"‘", "'"},  {"’", "'"},  {"“", "\""},  {"”", "\""},
      {"×", "x"},  {"\u00a0", " "}, {"✔", "ok"}, {"✖", "XX"}, {"‼", "!!"}};
  for (const auto& [from, to] : k_map) {
    if (ch == from) return to;
  }
  return "?";
}

}  // namespace

std::string to_ascii(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    std::size_t len = sequence_length(static_cast<unsigned char>(text[i]));
    bool valid = len > 0 && i + len <= text.size();
    for (std::size_t k = 1; valid && k < len; ++k) {
      valid = is_continuation(static_cast<unsigned char>(text[i + k]));
    }
    if (!valid) {
      out += '?';
      ++i;
      continue;
    }
    out += len == 1 ? text.substr(i, 1) : ascii_for(text.substr(i, len));
    i += len;
  }
  return out;
}

std::string pad_right(std::string_view text, int width) {
  std::string out(text);
  int w = display_width(text);
  if (w < width) out.append(static_cast<std::size_t>(width - w), ' ');
  return out;
}

std::string truncate(std::string_view text, int width, const Style& style) {
  if (display_width(text) <= width) return std::string(text);
  std::string_view ell = style.ellipsis();
  int keep = std::max(0, width - display_width(ell));
  std::string out(text.substr(0, prefix_bytes(text, keep)));
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out + std::string(ell);
}

}  // namespace meshdoctor::report
