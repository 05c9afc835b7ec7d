#include "report/markdown_text.hpp"

#include <algorithm>

namespace meshdoctor::report::markdown {

namespace {

std::string escape(std::string_view text, std::string_view specials) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\n' || c == '\r' || c == '\t') {
      out += ' ';
      continue;
    }
    if (specials.find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

std::size_t longest_backtick_run(std::string_view text) {
  std::size_t longest = 0, run = 0;
  for (char c : text) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  return longest;
}

}  // namespace

std::string inline_text(std::string_view text) { return escape(text, "\\`*_<>[]"); }

std::string table_cell(std::string_view text) { return escape(text, "\\`*_<>[]|"); }

std::string code_span(std::string_view text) {
  std::string flat = escape(text, "");
  if (flat.empty()) return "";
  std::string fence(longest_backtick_run(flat) + 1, '`');
  bool pad = flat.front() == '`' || flat.back() == '`';
  return fence + (pad ? " " : "") + flat + (pad ? " " : "") + fence;
}

std::string fenced(std::string_view language, std::string_view body) {
  std::string fence(std::max<std::size_t>(3, longest_backtick_run(body) + 1), '`');
  std::string out = fence + std::string(language) + "\n" + std::string(body);
  if (out.back() != '\n') out += '\n';
  return out + fence + "\n";
}

}  // namespace meshdoctor::report::markdown
