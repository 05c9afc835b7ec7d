#pragma once
// Terminal layout for the text report: widths that ignore ANSI escapes and count UTF-8 code
// points, word wrapping with hanging indents, and the symbols/colours of one rendering.
#include <string>
#include <string_view>
#include <vector>

#include "checks/finding.hpp"
#include "report/render.hpp"

namespace meshdoctor::report {

// Columns the text occupies: one per code point, ANSI escape sequences excluded.
int display_width(std::string_view text);

// Word-wraps to `width` columns; a word longer than a line is cut at a code-point boundary.
std::vector<std::string> wrap(std::string_view text, int width);

// Packs atomic items (never split) into lines of `width`, separated by `sep`.
std::vector<std::string> pack(const std::vector<std::string>& items,
                              std::string_view sep,
                              int width);

// Replaces every non-ASCII character: common punctuation by an ASCII look-alike ("≥" -> ">=",
// "—" -> "-"), anything else (and invalid UTF-8) by '?'. For terminals without UTF-8.
std::string to_ascii(std::string_view text);

// Pads with spaces to `width` columns.
std::string pad_right(std::string_view text, int width);

enum class Tone { good, warn, bad, unknown, dim, bold };

// Symbols and colours for one rendering (unicode or ASCII, with or without ANSI colour).
class Style {
 public:
  explicit Style(const RenderOptions& opt) : m_color(opt.color), m_unicode(opt.unicode) {}

  std::string symbol(checks::Status s) const;  // painted ✔ ‼ ✖ ? -  or  ok !! XX ?? --
  std::string paint(Tone tone, std::string_view text) const;
  std::string status_word(checks::Status s) const;  // painted "FAIL", "PASS", ...
  Tone tone(checks::Status s) const;
  const char* dot() const { return m_unicode ? " · " : " - "; }
  const char* dash() const { return m_unicode ? " — " : " - "; }
  const char* ellipsis() const { return m_unicode ? "…" : "..."; }
  const char* branch(bool last) const;  // tree glyph in front of a child
  const char* stem(bool open) const;    // tree glyph under an ancestor
  bool unicode() const { return m_unicode; }

 private:
  bool m_color;
  bool m_unicode;
};

// Cuts to `width` columns, ending with the style's ellipsis when something was dropped.
std::string truncate(std::string_view text, int width, const Style& style);

}  // namespace meshdoctor::report
