// The serve schedule: single-flight runs, jittered waits, the last good result.
#include "daemon/runner.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <exception>
#include <random>

namespace meshdoctor::daemon {
namespace {

using Steady = std::chrono::steady_clock;

util::Micros wall_clock_micros() {
  using namespace std::chrono;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

long ms_since(Steady::time_point start) {
  return static_cast<long>(
      std::chrono::duration_cast<std::chrono::milliseconds>(Steady::now() - start).count());
}

util::Expected<RunReport> guarded(const Runner::RunFn& run) {
  try {
    return run();
  } catch (const std::exception& e) {
    return util::make_error("serve.internal", std::string("internal error: ") + e.what());
  } catch (...) {
    return util::make_error("serve.internal", "internal error");
  }
}

void log_outcome(const RunOutcome& o) {
  if (!o.ok()) {
    spdlog::error("run failed after {} ms (serving the last good result): {}", o.duration_ms,
                  o.error.message);
    return;
  }
  const auto& d = o.report->diagnosis;
  spdlog::info("run done in {} ms: {} root cause(s), {} fail, {} unknown, {} API requests",
               o.duration_ms, d.root_causes.size(), d.summary.fail, d.summary.unknown,
               o.report->api_requests);
}

}  // namespace

std::chrono::milliseconds jittered(const Schedule& s, double u) {
  const double jitter = std::clamp(s.jitter, 0.0, 1.0);
  const double factor = 1.0 + jitter * (2.0 * std::clamp(u, 0.0, 1.0) - 1.0);
  const auto ms = static_cast<long long>(static_cast<double>(s.interval.count()) * factor);
  return std::chrono::milliseconds(std::max(1LL, ms));
}

Runner::Runner(RunFn run, Schedule schedule, Observer observer)
    : m_run(std::move(run)), m_schedule(schedule), m_observer(std::move(observer)) {}

Runner::~Runner() {
  stop();
  if (m_thread.joinable()) m_thread.join();
}

bool Runner::run_now() {
  std::unique_lock<std::mutex> flight(m_flight, std::try_to_lock);
  if (!flight.owns_lock()) return false;
  const auto start = Steady::now();
  auto result = guarded(m_run);
  RunOutcome o;
  o.duration_ms = ms_since(start);
  o.finished_at = wall_clock_micros();
  if (result) {
    result->duration_ms = o.duration_ms;
    result->finished_at = o.finished_at;
    o.report = std::make_shared<const RunReport>(std::move(*result));
  } else {
    o.error = result.error();
  }
  {
    std::lock_guard<std::mutex> lock(m_mutex);
    ++m_runs;
    if (o.ok())
      m_latest = o.report;
    else
      ++m_failures;
  }
  log_outcome(o);
  if (m_observer) m_observer(o);
  return true;
}

void Runner::start() {
  m_thread = std::thread([this] { loop(); });
}

void Runner::stop() {
  {
    std::lock_guard<std::mutex> lock(m_mutex);
    m_stop = true;
  }
  m_wake.notify_all();
}

bool Runner::join(std::chrono::milliseconds grace) {
  if (!m_thread.joinable()) return true;
  std::unique_lock<std::mutex> lock(m_mutex);
  if (!m_wake.wait_for(lock, grace, [this] { return m_done; })) return false;
  lock.unlock();
  m_thread.join();
  return true;
}

bool Runner::stopping() const {
  std::lock_guard<std::mutex> lock(m_mutex);
  return m_stop;
}

// Waits are measured start to start; a run longer than its wait is followed by a whole wait,
// not by another run at once, so a slow API server is not read back to back.
void Runner::loop() {
  std::mt19937_64 rng(std::random_device{}());
  std::uniform_real_distribution<double> draw(0.0, 1.0);
  while (!stopping()) {
    const auto started = Steady::now();
    run_now();
    auto next = started + jittered(m_schedule, draw(rng));
    if (next <= Steady::now()) next = Steady::now() + jittered(m_schedule, draw(rng));
    std::unique_lock<std::mutex> lock(m_mutex);
    m_wake.wait_until(lock, next, [this] { return m_stop; });
  }
  {
    std::lock_guard<std::mutex> lock(m_mutex);
    m_done = true;
  }
  m_wake.notify_all();
}

std::shared_ptr<const RunReport> Runner::latest() const {
  std::lock_guard<std::mutex> lock(m_mutex);
  return m_latest;
}

int Runner::runs() const {
  std::lock_guard<std::mutex> lock(m_mutex);
  return m_runs;
}

int Runner::failures() const {
  std::lock_guard<std::mutex> lock(m_mutex);
  return m_failures;
}

}  // namespace meshdoctor::daemon
