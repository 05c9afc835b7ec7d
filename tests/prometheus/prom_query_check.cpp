// prom_query_check <prometheus-url> <expected MD603 status> [<expected istio_tcp_* series>]
// Collects the MD603/MD703 Prometheus facts from a real Prometheus, runs MD603 and exits 0 when
// its status (and series count, if given) is as expected. Used by test_md603.sh.
#include <cstdio>
#include <string>

#include "checks/catalogue.hpp"
#include "probe/prometheus.hpp"

using namespace meshdoctor;

namespace {

int tcp_series(const probe::Facts& facts) {
  for (const auto& q : facts.prometheus.items)
    if (q.query.find("istio_tcp_") != std::string::npos) return q.series;
  return -1;
}

void print(const probe::Facts& facts, const checks::Finding& f) {
  std::printf("prometheus: %s %s\n", probe::to_string(facts.prometheus.source.state),
              facts.prometheus.source.detail.c_str());
  for (const auto& q : facts.prometheus.items)
    std::printf("  %d <- %s\n", q.series, q.query.c_str());
  std::printf("MD603 %s: %s\n", checks::to_string(f.status), f.message.c_str());
  for (const auto& e : f.evidence) std::printf("  %s: %s\n", e.source.c_str(), e.detail.c_str());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3 || argc > 4) {
    std::fprintf(stderr, "usage: %s <prometheus-url> <pass|fail|unknown> [<series>]\n", argv[0]);
    return 64;
  }
  probe::PrometheusOptions options;
  options.url = argv[1];
  options.timeout_ms = 5000;
  auto client = probe::make_curl_client(options.tls);
  probe::Facts facts;
  probe::collect_prometheus(*client, options, facts);
  auto finding = checks::find_check("MD603")->run(facts, checks::CheckContext{});
  print(facts, finding);
  bool ok = std::string(checks::to_string(finding.status)) == argv[2];
  if (argc == 4 && tcp_series(facts) != std::stoi(argv[3])) {
    std::printf("expected %s istio_tcp_* series, got %d\n", argv[3], tcp_series(facts));
    ok = false;
  }
  std::printf("%s\n", ok ? "OK" : "MISMATCH");
  return ok ? 0 : 1;
}
