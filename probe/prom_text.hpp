#pragma once
// The Prometheus text exposition format (and the OpenMetrics text that ztunnel's :15020 serves),
// parsed into samples. Pure: the text comes from the pod proxy or a bundle file, so the parser
// must take any byte sequence without throwing, in time linear in its length. A line it cannot
// read is skipped and counted, so that one odd series never hides the rest of a scrape.
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace meshdoctor::probe {

struct PromSample {
  std::string name;                           // "workload_manager_pending_proxy_count"
  std::map<std::string, std::string> labels;  // unescaped values
  double value = 0;                           // NaN and ±Inf as written
  std::optional<double> timestamp;            // as written (ms in Prometheus, s in OpenMetrics)
};

struct PromText {
  std::vector<PromSample> samples;
  int malformed = 0;             // lines skipped because they are not a sample or a comment
  int first_malformed_line = 0;  // 1-based, 0 when none: for evidence and warnings
  bool truncated = false;        // stopped at k_prom_max_samples
};

// A cap on what one scrape may hold, so a hostile or runaway endpoint cannot exhaust memory.
inline constexpr std::size_t k_prom_max_samples = 200000;

// Parses the whole text; stops at an OpenMetrics "# EOF" line (what follows is not the scrape).
PromText parse_prom_text(std::string_view text);

// The sum of every sample named `name` whose labels include each of `match` (empty = all);
// nullopt when no such sample exists.
std::optional<double> prom_sum(const PromText& text,
                               std::string_view name,
                               const std::map<std::string, std::string>& match = {});

}  // namespace meshdoctor::probe
