// Endpoint answers: health, readiness, the report in JSON, Markdown or HTML, the exposition.
#include "daemon/pages.hpp"

#include "report/render.hpp"

namespace meshdoctor::daemon {
namespace {

constexpr const char* k_text = "text/plain; charset=utf-8";

report::Format format_of(ReportView view) {
  switch (view) {
    case ReportView::json:
      return report::Format::json;
    case ReportView::markdown:
      return report::Format::markdown;
    case ReportView::html:
      return report::Format::html;
  }
  return report::Format::json;
}

const char* content_type_of(ReportView view) {
  switch (view) {
    case ReportView::json:
      return "application/json";
    case ReportView::markdown:
      return "text/markdown; charset=utf-8";
    case ReportView::html:
      return "text/html; charset=utf-8";
  }
  return k_text;
}

}  // namespace

Page health_page() { return {200, k_text, "ok\n"}; }

Page readiness_page(const RunReport* latest) {
  if (latest == nullptr) return {503, k_text, "not ready: no run has completed yet\n"};
  return {200, k_text, "ready\n"};
}

Page report_page(ReportView view, const RunReport* latest) {
  if (latest == nullptr) {
    return {503, k_text, "no report yet: the first run has not completed (see /readyz)\n"};
  }
  report::RenderOptions opt;  // no colour; a browser and a file both take UTF-8 symbols
  opt.duration_ms = latest->duration_ms;
  return {200, content_type_of(view), report::render(format_of(view), latest->diagnosis, opt)};
}

Page metrics_page(std::string exposition) {
  return {200, k_metrics_content_type, std::move(exposition)};
}

}  // namespace meshdoctor::daemon
