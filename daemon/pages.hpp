#pragma once
// What each endpoint of `meshdoctor serve` answers, without any HTTP: status, content type and
// body from the last good run (or none yet). daemon/http_server.cpp only routes to these.
#include <string>

#include "daemon/run.hpp"

namespace meshdoctor::daemon {

struct Page {
  int status = 200;
  std::string content_type;
  std::string body;
};

inline constexpr const char* k_metrics_content_type = "text/plain; version=0.0.4; charset=utf-8";

enum class ReportView { json, markdown, html };

Page health_page();                            // /healthz: 200 "ok", always
Page readiness_page(const RunReport* latest);  // /readyz: 503 until the first good run
Page report_page(ReportView view,
                 const RunReport* latest);  // /report.json, /report.md, /: 503 before it
Page metrics_page(std::string exposition);  // /metrics

}  // namespace meshdoctor::daemon
