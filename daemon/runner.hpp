#pragma once
// The schedule of `meshdoctor serve`: a run at start, then one every interval ± jitter, never
// two at once. A failed run is logged and counted; the last good result stays served. Results
// are shared as immutable snapshots, so HTTP handlers read them while the next run is going.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "daemon/run.hpp"
#include "util/expected.hpp"

namespace meshdoctor::daemon {

struct Schedule {
  std::chrono::milliseconds interval{60000};
  double jitter = 0.1;  // each wait is interval × (1 ± jitter), spread uniformly
};

// The wait before the next run for a uniform draw u in [0, 1):
// interval × (1 + jitter × (2u − 1)).
std::chrono::milliseconds jittered(const Schedule& s, double u);

// What one run ended with, for the observer (metrics, posting).
struct RunOutcome {
  std::shared_ptr<const RunReport> report;  // null when the run failed
  util::Error error;                        // why it failed
  long duration_ms = 0;
  util::Micros finished_at = 0;
  bool ok() const { return report != nullptr; }
};

class Runner {
 public:
  using RunFn = std::function<util::Expected<RunReport>()>;
  using Observer = std::function<void(const RunOutcome&)>;

  // observer is called on the runner's thread after every run, before the next one starts.
  Runner(RunFn run, Schedule schedule, Observer observer = {});
  ~Runner();  // stops, and waits for the run in progress
  Runner(const Runner&) = delete;
  Runner& operator=(const Runner&) = delete;

  // Runs now unless a run is in progress (then returns false at once). A run that throws counts
  // as failed: the daemon never dies of a run.
  bool run_now();
  // Starts the schedule on a background thread: the first run at once.
  void start();
  // No new run starts; the scheduler wakes up and ends after the run in progress, if any.
  void stop();
  // Waits up to `grace` for the scheduler to end. false: a run is still in progress (stuck on
  // the API server); the thread still uses this Runner, which must then outlive the process.
  bool join(std::chrono::milliseconds grace);

  // The last successful run; null before the first one.
  std::shared_ptr<const RunReport> latest() const;
  int runs() const;
  int failures() const;

 private:
  void loop();
  bool stopping() const;

  RunFn m_run;
  Schedule m_schedule;
  Observer m_observer;
  std::mutex m_flight;  // held for the whole of a run: single-flight
  mutable std::mutex m_mutex;
  std::condition_variable m_wake;
  bool m_stop = false;
  bool m_done = false;
  std::shared_ptr<const RunReport> m_latest;
  int m_runs = 0, m_failures = 0;
  std::thread m_thread;
};

}  // namespace meshdoctor::daemon
