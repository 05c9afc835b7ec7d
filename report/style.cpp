// Symbols and ANSI colours of the text report.
#include <cctype>

#include "report/text_layout.hpp"

namespace meshdoctor::report {

Tone Style::tone(checks::Status s) const {
  switch (s) {
    case checks::Status::pass:
      return Tone::good;
    case checks::Status::warn:
      return Tone::warn;
    case checks::Status::fail:
      return Tone::bad;
    case checks::Status::unknown:
      return Tone::unknown;
    case checks::Status::skipped:
      return Tone::dim;
  }
  return Tone::unknown;
}

std::string Style::symbol(checks::Status s) const {
  const char* sym = "?";
  switch (s) {
    case checks::Status::pass:
      sym = m_unicode ? "✔" : "ok";
      break;
    case checks::Status::warn:
      sym = m_unicode ? "‼" : "!!";
      break;
    case checks::Status::fail:
      sym = m_unicode ? "✖" : "XX";
      break;
    case checks::Status::unknown:
      sym = m_unicode ? "?" : "??";
      break;
    case checks::Status::skipped:
      sym = m_unicode ? "-" : "--";
      break;
  }
  return paint(tone(s), sym);
}

std::string Style::paint(Tone t, std::string_view text) const {
  if (!m_color || text.empty()) return std::string(text);
  const char* code = "";
  switch (t) {
    case Tone::good:
      code = "\033[32m";
      break;
    case Tone::warn:
      code = "\033[33m";
      break;
    case Tone::bad:
      code = "\033[31m";
      break;
    case Tone::unknown:
      code = "\033[35m";
      break;
    case Tone::dim:
      code = "\033[2m";
      break;
    case Tone::bold:
      code = "\033[1m";
      break;
  }
  return std::string(code) + std::string(text) + "\033[0m";
}

std::string Style::status_word(checks::Status s) const {
  std::string word = checks::to_string(s);
  for (auto& c : word) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (!m_color) return word;
  return "\033[1m" + paint(tone(s), word) + "\033[0m";
}

const char* Style::branch(bool last) const {
  if (m_unicode) return last ? "└─ " : "├─ ";
  return last ? "`- " : "|- ";
}

const char* Style::stem(bool open) const {
  if (m_unicode) return open ? "│  " : "   ";
  return open ? "|  " : "   ";
}

}  // namespace meshdoctor::report
