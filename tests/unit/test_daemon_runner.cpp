// daemon::Runner: the serve schedule. Single-flight, a failed run keeps the last good result, the
// first run at start, stop without waiting a whole interval, jitter within bounds.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "daemon/runner.hpp"

namespace {

using namespace meshdoctor;
using namespace std::chrono_literals;

daemon::RunReport report_with_nodes(int nodes) {
  daemon::RunReport r;
  r.diagnosis.nodes = nodes;
  return r;
}

bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds limit = 5000ms) {
  const auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    if (condition()) return true;
    std::this_thread::sleep_for(5ms);
  }
  return condition();
}

}  // namespace

TEST_SUITE("daemon::runner") {
  TEST_CASE("jitter keeps each wait within interval × (1 ± jitter)") {
    daemon::Schedule s{std::chrono::milliseconds(60000), 0.1};
    CHECK(daemon::jittered(s, 0.0) == 54000ms);
    CHECK(daemon::jittered(s, 0.5) == 60000ms);
    CHECK(daemon::jittered(s, 0.999999).count() <= 66000);
    CHECK(daemon::jittered(s, 0.999999).count() > 65990);
    s.jitter = 0;
    CHECK(daemon::jittered(s, 0.9) == 60000ms);
  }

  TEST_CASE("a run in progress makes run_now return at once: never two runs together") {
    std::atomic<int> in_flight{0}, max_in_flight{0}, started{0};
    std::atomic<bool> release{false};
    daemon::Runner runner(
        [&]() -> util::Expected<daemon::RunReport> {
          const int n = ++in_flight;
          max_in_flight = std::max(max_in_flight.load(), n);
          ++started;
          while (!release) std::this_thread::sleep_for(1ms);
          --in_flight;
          return report_with_nodes(1);
        },
        {1000ms, 0});
    std::thread first([&] { CHECK(runner.run_now()); });
    REQUIRE(eventually([&] { return started == 1; }));
    CHECK_FALSE(runner.run_now());
    CHECK_FALSE(runner.run_now());
    release = true;
    first.join();
    CHECK(max_in_flight == 1);
    CHECK(runner.runs() == 1);
    CHECK(runner.run_now());
    CHECK(runner.runs() == 2);
  }

  TEST_CASE("a failed run keeps the last good result and is counted") {
    int n = 0;
    std::vector<daemon::RunOutcome> seen;
    daemon::Runner runner(
        [&]() -> util::Expected<daemon::RunReport> {
          ++n;
          if (n == 2) return util::make_error("kube.unauthorized", "authentication failed");
          if (n == 3) throw std::runtime_error("boom");
          return report_with_nodes(n);
        },
        {1000ms, 0}, [&](const daemon::RunOutcome& o) { seen.push_back(o); });
    CHECK(runner.latest() == nullptr);
    runner.run_now();
    REQUIRE(runner.latest() != nullptr);
    CHECK(runner.latest()->diagnosis.nodes == 1);
    CHECK(runner.latest()->finished_at > 0);
    runner.run_now();
    runner.run_now();
    CHECK(runner.latest()->diagnosis.nodes == 1);
    CHECK(runner.failures() == 2);
    REQUIRE(seen.size() == 3);
    CHECK(seen[1].error.code == "kube.unauthorized");
    CHECK(seen[2].error.message.find("boom") != std::string::npos);
    runner.run_now();
    CHECK(runner.latest()->diagnosis.nodes == 4);
  }

  TEST_CASE("the schedule runs at once, repeats, and stops without waiting for the next run") {
    std::atomic<int> runs{0};
    daemon::Runner runner(
        [&]() -> util::Expected<daemon::RunReport> {
          ++runs;
          return report_with_nodes(0);
        },
        {150ms, 0.1});
    const auto start = std::chrono::steady_clock::now();
    runner.start();
    CHECK(eventually([&] { return runs >= 1; }, 1000ms));
    CHECK(eventually([&] { return runs >= 3; }, 3000ms));
    runner.stop();
    CHECK(runner.join(2000ms));
    const int after = runs;
    std::this_thread::sleep_for(400ms);
    CHECK(runs == after);
    CHECK(std::chrono::steady_clock::now() - start < 3000ms);
  }

  TEST_CASE("join gives up on a run that does not end within the grace period") {
    std::atomic<bool> release{false};
    std::atomic<bool> running{false};
    daemon::Runner runner(
        [&]() -> util::Expected<daemon::RunReport> {
          running = true;
          while (!release) std::this_thread::sleep_for(1ms);
          return report_with_nodes(0);
        },
        {60000ms, 0});
    runner.start();
    REQUIRE(eventually([&] { return running.load(); }));
    runner.stop();
    CHECK_FALSE(runner.join(100ms));
    release = true;
    CHECK(runner.join(2000ms));
  }
}
