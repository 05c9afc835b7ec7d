#pragma once
// Line-oriented builder of the text report: a 12-column gutter for labels ("  evidence  "),
// hanging-indent wrapping to the terminal width, and blank lines between blocks.
#include <string>
#include <string_view>
#include <vector>

#include "report/text_layout.hpp"

namespace meshdoctor::report {

class TextWriter {
 public:
  static constexpr int k_gutter = 12;

  explicit TextWriter(const RenderOptions& opt);

  const Style& style() const { return m_style; }
  int width() const { return m_width; }

  void line(const std::string& text);
  void blank();  // separates blocks; never doubled, never first
  // "ROOT CAUSE  ✖ MD301 istiocni-profile — ...": label in the gutter, wrapped after the symbol.
  void head(std::string_view label, const std::string& symbol, std::string_view text);
  // "  evidence  text" wrapped with a hanging indent; an empty label continues the previous one.
  void labelled(std::string_view label, std::string_view text);
  // "  applied   ✔ restarted ...": a symbol after the label, the text wrapped to hang after it.
  void marked(std::string_view label, const std::string& symbol, std::string_view text);
  // Like labelled, but never wrapped: shell commands must survive copy and paste.
  void labelled_verbatim(std::string_view label, std::string_view text);
  // Multi-line text under one label: long prose lines are wrapped; commands, URLs, indented
  // lines and here-documents are kept verbatim so they survive copy and paste.
  void block(std::string_view label, const std::string& text);
  // Atomic items packed onto lines under one label ("MD101 a, MD103 b"), never split.
  void items(std::string_view label, const std::vector<std::string>& items, std::string_view sep);
  std::string take();

 private:
  std::string gutter(std::string_view label) const;

  Style m_style;
  int m_width;
  std::string m_out;
  bool m_last_blank = true;
};

}  // namespace meshdoctor::report
