#include "report/render.hpp"

namespace meshdoctor::report {

std::string render(Format f, const checks::Diagnosis& d, const RenderOptions& opt) {
  switch (f) {
    case Format::text:
      return render_text(d, opt);
    case Format::json:
      return render_json(d, opt);
    case Format::markdown:
      return render_markdown(d, opt);
  }
  return render_text(d, opt);
}

}  // namespace meshdoctor::report
