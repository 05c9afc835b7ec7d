#include "report/text_writer.hpp"

#include <algorithm>
#include <cctype>

namespace meshdoctor::report {

TextWriter::TextWriter(const RenderOptions& opt) : m_style(opt), m_width(std::max(opt.width, 40)) {}

void TextWriter::line(const std::string& text) {
  std::string trimmed = text;
  while (!trimmed.empty() && trimmed.back() == ' ') trimmed.pop_back();
  m_out += trimmed;
  m_out += '\n';
  m_last_blank = false;
}

void TextWriter::blank() {
  if (m_last_blank) return;
  m_out += '\n';
  m_last_blank = true;
}

std::string TextWriter::gutter(std::string_view label) const {
  if (label.empty()) return std::string(k_gutter, ' ');
  return "  " + pad_right(m_style.paint(Tone::dim, label), k_gutter - 2);
}

void TextWriter::head(std::string_view label, const std::string& symbol, std::string_view text) {
  std::string first = pad_right(m_style.paint(Tone::bold, label), k_gutter) + symbol + " ";
  int hang = display_width(first);
  auto lines = wrap(text, m_width - hang);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    line((i == 0 ? first : std::string(static_cast<std::size_t>(hang), ' ')) + lines[i]);
  }
}

void TextWriter::labelled(std::string_view label, std::string_view text) {
  auto lines = wrap(text, m_width - k_gutter);
  for (std::size_t i = 0; i < lines.size(); ++i) line(gutter(i == 0 ? label : "") + lines[i]);
}

void TextWriter::marked(std::string_view label, const std::string& symbol, std::string_view text) {
  std::string first = gutter(label) + symbol + " ";
  int hang = k_gutter + display_width(symbol) + 1;
  auto lines = wrap(text, m_width - hang);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    line((i == 0 ? first : std::string(static_cast<std::size_t>(hang), ' ')) + lines[i]);
  }
}

void TextWriter::labelled_verbatim(std::string_view label, std::string_view text) {
  line(gutter(label) + std::string(text));
}

namespace {

// Lines a reader will copy: commands, URLs, indented (YAML) lines.
bool keep_verbatim(std::string_view line) {
  if (!line.empty() && (line.front() == ' ' || line.front() == '\t')) return true;
  for (std::string_view p : {"oc ", "kubectl ", "istioctl ", "meshdoctor ", "helm ", "curl ", "$ ",
                             "http://", "https://"}) {
    if (line.substr(0, p.size()) == p) return true;
  }
  return false;
}

// The terminator of a here-document opened on this line (<<EOF, <<'EOF', <<-"END"), or "".
std::string heredoc_terminator(std::string_view line) {
  std::size_t at = line.find("<<");
  if (at == std::string_view::npos) return "";
  std::string word;
  for (char c : line.substr(at + 2)) {
    if (c == '-' && word.empty()) continue;
    if (c == '\'' || c == '"') continue;
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') break;
    word += c;
  }
  return word;
}

}  // namespace

void TextWriter::block(std::string_view label, const std::string& text) {
  std::string_view rest = text;
  std::string terminator;  // inside a here-document until this line
  bool first = true;
  while (!rest.empty()) {
    std::size_t nl = rest.find('\n');
    std::string_view piece = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
    if (!piece.empty() && piece.back() == '\r') piece.remove_suffix(1);
    bool fits = display_width(piece) <= m_width - k_gutter;
    if (fits || !terminator.empty() || keep_verbatim(piece)) {
      labelled_verbatim(first ? label : "", piece);
    } else {
      labelled(first ? label : "", piece);
    }
    if (!terminator.empty() && piece == terminator) {
      terminator.clear();
    } else if (terminator.empty()) {
      terminator = heredoc_terminator(piece);
    }
    first = false;
  }
}

void TextWriter::items(std::string_view label,
                       const std::vector<std::string>& items,
                       std::string_view sep) {
  auto lines = pack(items, sep, m_width - k_gutter);
  for (std::size_t i = 0; i < lines.size(); ++i) line(gutter(i == 0 ? label : "") + lines[i]);
}

std::string TextWriter::take() { return std::move(m_out); }

}  // namespace meshdoctor::report
