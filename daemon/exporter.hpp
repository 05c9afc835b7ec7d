#pragma once
// The /metrics registry of `meshdoctor serve`: the run gauges of daemon/metrics.hpp and the
// daemon's own counters in a prometheus-cpp Registry, rendered by its TextSerializer. A run's
// series replace the previous run's as a whole (a check that stops being a root cause loses its
// series), under a lock that a scrape also takes, so a scrape never mixes two runs.
#include <memory>
#include <string>

#include "daemon/runner.hpp"

namespace meshdoctor::daemon {

struct ExporterOptions {
  std::string version;  // meshdoctor_build_info{version}
  bool fix = false;     // --fix: remediations_total{action="restart",result="planned"} from 0
};

class Exporter {
 public:
  explicit Exporter(const ExporterOptions& options);
  ~Exporter();
  Exporter(const Exporter&) = delete;
  Exporter& operator=(const Exporter&) = delete;

  // Counts the run; a good one replaces the run gauges and counts its plan entries in
  // meshdoctor_remediations_total{action, result="planned"}. A failed one only counts an error.
  void record(const RunOutcome& outcome);

  // The exposition (text format 0.0.4).
  std::string text() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

}  // namespace meshdoctor::daemon
