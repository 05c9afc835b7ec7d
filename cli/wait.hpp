#pragma once
// check --wait: re-run a diagnosis every interval until nothing fails or the time is up (for a
// runbook step right after a fix: "wait until the mesh is healthy").
#include <functional>
#include <memory>

#include "checks/finding.hpp"
#include "util/expected.hpp"

namespace meshdoctor::cli {

struct Attempt {
  checks::Diagnosis diagnosis;
  long duration_ms = 0;
  std::shared_ptr<probe::Facts> facts;  // kept when check --fix plans from them
};

using AttemptFn = std::function<util::Expected<Attempt>()>;

struct WaitPolicy {
  long wait_ms = 0;
  long interval_ms = 5000;
  bool strict = false;  // a warning counts as failing, as in the exit code
};

// Returns the first attempt without a fail, or the last one when the time is up. An error on the
// first attempt (bad kubeconfig, unreadable bundle) ends the wait at once; later errors are
// retried (a cluster or bundle in the middle of a change).
util::Expected<Attempt> run_until_no_fail(const AttemptFn& attempt, const WaitPolicy& policy);

}  // namespace meshdoctor::cli
