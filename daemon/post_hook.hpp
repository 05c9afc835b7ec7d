#pragma once
// Posting after each good run of `meshdoctor serve` (--post and friends): one report::ReportPoster
// for the daemon's lifetime, so --post-on change compares with the last post even without a
// state ConfigMap. A failed post is logged; the daemon carries on and retries at the next run.
#include <memory>

#include "daemon/runner.hpp"
#include "report/sink.hpp"

namespace meshdoctor::daemon {

class PostHook {
 public:
  // state_client: the long-lived client behind --state-configmap (null: state in memory only).
  PostHook(report::PostOptions options, probe::KubeClient* state_client);
  ~PostHook();
  void operator()(const RunOutcome& outcome);

 private:
  bool m_required = false;
  std::unique_ptr<report::ReportPoster> m_poster;
};

}  // namespace meshdoctor::daemon
