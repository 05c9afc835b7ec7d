#pragma once
// One run of `meshdoctor serve`: read the cluster, diagnose, optionally plan the restarts in
// dry-run, and compute what /metrics exports. Reading the cluster is injected (the CLI opens the
// live source), so a run can be tested on hand-built facts.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "checks/finding.hpp"
#include "daemon/metrics.hpp"
#include "probe/facts.hpp"
#include "probe/kube_client.hpp"
#include "util/expected.hpp"

namespace meshdoctor::daemon {

// What reading the cluster returned: the facts and the client that read them (for --fix's owner
// lookups and the request count). client may be null (tests).
struct Collected {
  probe::Facts facts;
  std::unique_ptr<probe::KubeClient> client;
  int other_requests = 0;  // sent for this run by other clients (serve --watch: the watches since the last run)
};
using CollectFn = std::function<util::Expected<Collected>()>;

struct RunPolicy {
  checks::CheckContext context;
  bool fix = false;  // plan restart-stale-workloads in dry-run (never applied by serve)
};

// The result of a successful run: what /report.* and /metrics serve until the next one.
struct RunReport {
  checks::Diagnosis diagnosis;
  RunGauges gauges;
  int api_requests = 0;          // requests the run's kube client sent, plus Collected::other_requests
  long duration_ms = 0;          // set by the Runner
  util::Micros finished_at = 0;  // set by the Runner (wall clock)
};

// Why a live read is no diagnosis at all: no section of the API was collected and at least one
// ended in error (every request answered 5xx or timed out). A cluster that refuses everything
// (403) is a diagnosis: its checks are unknown, naming the permissions. nullopt when usable.
std::optional<std::string> nothing_collected(const probe::Facts& facts);

// Collects, diagnoses every check, plans the restarts with --fix (GETs only), and computes the
// gauges. Errors: the collection's (unreachable, 401) or "serve.nothing_collected".
util::Expected<RunReport> run_once(const CollectFn& collect, const RunPolicy& policy);

}  // namespace meshdoctor::daemon
