#pragma once
// The text pieces every chat payload shares: headline, context and summary lines, the root
// causes and what each explains. Internal to the sink_*.cpp files.
#include <cstddef>
#include <string>
#include <vector>

#include "report/sink.hpp"

namespace meshdoctor::report::sink {

inline constexpr std::size_t k_max_sections = 20;  // root causes shown; the rest are counted

// "meshdoctor: FAIL · 1 root cause · context prod", "meshdoctor: RESOLVED · bundle x".
std::string headline(const checks::Diagnosis& d, const PayloadContext& ctx);
// "meshdoctor 0.1.0 · bundle x · collected 2026-11-20 12:30 UTC · 3 nodes, 41 pods"
std::string context_line(const checks::Diagnosis& d);
// "FAIL · 7 fail (1 root cause) · 24 pass · 1 warn · 3 unknown · 1 skipped · exit 1"
std::string summary_line(const checks::Diagnosis& d, const RenderOptions& opt);
// "The failures reported before have cleared: MD301, MD304." (or without the list).
std::string resolved_line(const PayloadContext& ctx);

struct RootCause {
  std::string id, name, message, fix;  // fix: its first line only
  std::vector<std::string> explains;   // transitively, tree order
};
std::vector<RootCause> root_causes(const checks::Diagnosis& d);
// Findings of one status, as "MD302 cni-reconcile-iptables".
std::vector<std::string> labelled_ids(const checks::Diagnosis& d, checks::Status status);

std::string join(const std::vector<std::string>& items, const std::string& sep);
// At most max_bytes of UTF-8, cut on a character boundary, "…" appended when cut.
std::string truncate(const std::string& text, std::size_t max_bytes);

}  // namespace meshdoctor::report::sink
