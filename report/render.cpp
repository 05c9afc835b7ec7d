#include "report/render.hpp"

#include "checks/catalogue.hpp"
#include "report/markdown_text.hpp"
#include "report/text_sections.hpp"

namespace meshdoctor::report {

std::string render(Format f, const checks::Diagnosis& d, const RenderOptions& opt) {
  switch (f) {
    case Format::text:
      return render_text(d, opt);
    case Format::json:
      return render_json(d, opt);
    case Format::markdown:
      return render_markdown(d, opt);
    case Format::html:
      return render_html(d, opt);
    case Format::sarif:
      return render_sarif(d, opt);
    case Format::junit:
      return render_junit(d, opt);
  }
  return render_text(d, opt);
}

std::string render_remediation(Format f, const checks::Diagnosis& d, const RenderOptions& opt) {
  switch (f) {
    case Format::text:
      return text::restart_report(d, opt);
    case Format::json:
      return render_json(d, opt);
    case Format::markdown:
      return markdown::restart_report(d, opt);
    case Format::html:
      return render_html(d, opt);
    case Format::sarif:
      return render_sarif(d, opt);
    case Format::junit:
      return render_junit(d, opt);
  }
  return text::restart_report(d, opt);
}

int printed_exit_code(const checks::Diagnosis& d, const RenderOptions& opt) {
  return opt.exit_zero ? 0 : checks::exit_code(d, opt.strict);
}

}  // namespace meshdoctor::report
