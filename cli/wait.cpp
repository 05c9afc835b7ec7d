// check --wait: the retry loop and its one-line progress on a TTY.
#include "cli/wait.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <thread>

#include "checks/catalogue.hpp"
#include "util/time.hpp"

namespace meshdoctor::cli {
namespace {

using Clock = std::chrono::steady_clock;

long ms_left(Clock::time_point deadline) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
}

std::string failing_ids(const checks::Diagnosis& d) {
  std::string out;
  for (const auto& f : d.findings) {
    if (f.status != checks::Status::fail) continue;
    out += (out.empty() ? "" : ", ") + f.id;
  }
  return out;
}

void show_progress(int n, const util::Expected<Attempt>& last, long left_ms, long next_ms) {
  if (::isatty(STDERR_FILENO) != 1) return;
  std::string what = last ? "failing: " + failing_ids(last->diagnosis) : "could not run: " + last.error().message;
  std::fprintf(stderr, "\r\033[Kwaiting: run %d %s; next in %s, %s left", n, what.substr(0, 60).c_str(),
               util::format_duration(next_ms * 1000).c_str(), util::format_duration(left_ms * 1000).c_str());
  std::fflush(stderr);
}

void clear_progress() {
  if (::isatty(STDERR_FILENO) == 1) std::fprintf(stderr, "\r\033[K");
}

}  // namespace

util::Expected<Attempt> run_until_no_fail(const AttemptFn& attempt, const WaitPolicy& policy) {
  const auto deadline = Clock::now() + std::chrono::milliseconds(policy.wait_ms);
  util::Expected<Attempt> last = attempt();
  for (int n = 1;; ++n) {
    if (!last && n == 1) break;
    if (last && checks::exit_code(last->diagnosis, policy.strict) != 1) break;
    const long left = ms_left(deadline);
    if (left <= 0) break;
    const long pause = std::min(policy.interval_ms, left);
    show_progress(n, last, left, pause);
    std::this_thread::sleep_for(std::chrono::milliseconds(pause));
    last = attempt();
  }
  clear_progress();
  return last;
}

}  // namespace meshdoctor::cli
