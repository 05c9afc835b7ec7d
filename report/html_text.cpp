#include "report/html_text.hpp"

#include <cctype>

namespace meshdoctor::report::html {

namespace {

// Evidence lines shown before the rest folds into a <details> (MD503 lists one line per node).
constexpr std::size_t k_evidence_shown = 12;

std::string evidence_item(const checks::Evidence& e) {
  std::string out = "<li>";
  if (!e.source.empty()) out += "<span class=\"src\">" + escape(e.source) + "</span> ";
  return out + "<code>" + escape(e.detail) + "</code></li>\n";
}

}  // namespace

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') break;
        if (c == 0x7f) break;
        out += c;
    }
  }
  return out;
}

std::string anchor(std::string_view text) {
  std::string out;
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    out += (std::isalnum(u) || c == '-' || c == '_') ? c : '-';
  }
  return out.empty() ? "x" : out;
}

const char* status_class(checks::Status s) { return checks::to_string(s); }

std::string badge(checks::Status s) {
  std::string word = checks::to_string(s);
  for (auto& c : word) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return std::string("<span class=\"badge ") + status_class(s) + "\">" + word + "</span>";
}

std::string link_or_text(const std::string& url) {
  bool web = url.rfind("https://", 0) == 0 || url.rfind("http://", 0) == 0;
  if (!web) return escape(url);
  return "<a href=\"" + escape(url) + "\">" + escape(url) + "</a>";
}

std::string stamp(const std::optional<util::Micros>& t) {
  if (!t) return "unknown";
  std::string text = util::format_rfc3339(*t);  // 2026-11-20T11:45:03[.5]Z
  if (text.size() < 19) return text;
  text = text.substr(0, 19);
  text[10] = ' ';
  return text;
}

std::string evidence_list(const checks::Finding& f) {
  if (f.evidence.empty()) return "";
  std::string out = "<h4>Evidence</h4>\n<ul class=\"evidence\">\n";
  std::size_t shown = std::min(k_evidence_shown, f.evidence.size());
  for (std::size_t i = 0; i < shown; ++i) out += evidence_item(f.evidence[i]);
  out += "</ul>\n";
  if (f.evidence.size() > shown) {
    out += "<details class=\"more\"><summary>" + std::to_string(f.evidence.size() - shown) +
           " more evidence lines</summary>\n<ul class=\"evidence\">\n";
    for (std::size_t i = shown; i < f.evidence.size(); ++i) out += evidence_item(f.evidence[i]);
    out += "</ul></details>\n";
  }
  return out;
}

}  // namespace meshdoctor::report::html
