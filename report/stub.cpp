// Placeholder; replaced by report/text.cpp, report/json.cpp, report/markdown.cpp.
#include "report/render.hpp"

namespace meshdoctor::report {

std::string render_text(const checks::Diagnosis&, const RenderOptions&) { return ""; }
std::string render_json(const checks::Diagnosis&, const RenderOptions&) { return "{}"; }
std::string render_markdown(const checks::Diagnosis&, const RenderOptions&) { return ""; }
std::string render(Format f, const checks::Diagnosis& d, const RenderOptions& o) {
  switch (f) {
    case Format::text: return render_text(d, o);
    case Format::json: return render_json(d, o);
    case Format::markdown: return render_markdown(d, o);
  }
  return "";
}

}  // namespace meshdoctor::report
