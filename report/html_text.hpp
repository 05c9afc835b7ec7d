#pragma once
// HTML building blocks for the HTML report: escaping, status badges, element ids and time
// labels. Everything that came from the cluster goes through escape(). Internal to report/.
#include <optional>
#include <string>
#include <string_view>

#include "checks/finding.hpp"
#include "util/time.hpp"

namespace meshdoctor::report::html {

// Text or attribute value: & < > " ' become entities; control characters other than newline and
// tab are dropped (they are not allowed in HTML).
std::string escape(std::string_view text);

// A fragment identifier made of [A-Za-z0-9_-] only ("MD504" stays "MD504").
std::string anchor(std::string_view text);

// <span class="badge fail">FAIL</span>, the word always spelled out (not colour alone).
std::string badge(checks::Status s);

// "fail", "pass", ...: the CSS class of a status.
const char* status_class(checks::Status s);

// <a href> for http(s) URLs, escaped text otherwise.
std::string link_or_text(const std::string& url);

// "2026-11-20 11:45:03" (UTC, seconds), or "unknown".
std::string stamp(const std::optional<util::Micros>& t);

// A list item per evidence line: source in bold, detail as code; long lists end in a <details>.
std::string evidence_list(const checks::Finding& f);

}  // namespace meshdoctor::report::html
