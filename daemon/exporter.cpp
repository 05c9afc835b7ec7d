// The prometheus-cpp side of /metrics: families, series replacement, serialization.
#include "daemon/exporter.hpp"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <map>
#include <mutex>

namespace meshdoctor::daemon {
namespace {

using prometheus::Counter;
using prometheus::Family;
using prometheus::Gauge;

// A gauge family whose series are replaced as a whole by each run.
class GaugeSet {
 public:
  GaugeSet(prometheus::Registry& registry, const std::string& name, const std::string& help)
      : m_family(prometheus::BuildGauge().Name(name).Help(help).Register(registry)) {}

  void replace(const std::vector<Sample>& samples) {
    std::map<Labels, Gauge*> next;
    for (const auto& s : samples) {
      auto& g = m_family.Add(s.labels);
      g.Set(s.value);
      next[s.labels] = &g;
    }
    for (const auto& [labels, gauge] : m_series) {
      if (next.find(labels) == next.end()) m_family.Remove(gauge);
    }
    m_series = std::move(next);
  }

  void set(double value) { replace({Sample{{}, value}}); }

 private:
  Family<Gauge>& m_family;
  std::map<Labels, Gauge*> m_series;
};

std::vector<Sample> optional_sample(const std::optional<int>& v) {
  if (!v) return {};
  return {Sample{{}, static_cast<double>(*v)}};
}

}  // namespace

struct Exporter::Impl {
  explicit Impl(const ExporterOptions& o)
      : build_info(registry, "meshdoctor_build_info", "meshdoctor version; always 1"),
        check_status(registry,
                     "meshdoctor_check_status",
                     "Status of each check in the last good run: 0 pass, 1 warn, 2 fail, 3 "
                     "unknown, 4 skipped"),
        root_cause(
            registry,
            "meshdoctor_root_cause",
            "1 for each failing check that no failing upstream check explains (last good run)"),
        ambient_pods(
            registry,
            "meshdoctor_ambient_pods",
            "Pods the ambient selector picks, by node and ambient.istio.io/redirection state"),
        ztunnel_ready(
            registry, "meshdoctor_ztunnel_ready_pods", "Ready pods of the ztunnel DaemonSet"),
        ztunnel_desired(registry,
                        "meshdoctor_ztunnel_desired_pods",
                        "Pods the ztunnel DaemonSet should run (desiredNumberScheduled)"),
        socket_state(registry,
                     "meshdoctor_ztunnel_socket_state",
                     "Node-local ZDS socket probe: 1 for the current state, 0 for the others"),
        last_run(registry,
                 "meshdoctor_last_run_timestamp_seconds",
                 "When the last good run finished (Unix time)"),
        duration(registry, "meshdoctor_run_duration_seconds", "How long the last good run took"),
        api_requests(registry,
                     "meshdoctor_api_requests_last_run",
                     "Kubernetes API requests the last good run sent"),
        runs(prometheus::BuildCounter()
                 .Name("meshdoctor_runs_total")
                 .Help("Runs started since the daemon started, failed ones included")
                 .Register(registry)
                 .Add({})),
        errors(prometheus::BuildCounter()
                   .Name("meshdoctor_run_errors_total")
                   .Help("Runs that failed (cluster unreachable, authentication, no answer)")
                   .Register(registry)
                   .Add({})),
        remediations(
            prometheus::BuildCounter()
                .Name("meshdoctor_remediations_total")
                .Help("restart-stale-workloads plan entries (serve --fix plans in dry-run only)")
                .Register(registry)) {
    build_info.replace({Sample{{{"version", o.version}}, 1}});
    if (o.fix) remediations.Add({{"action", "restart"}, {"result", "planned"}});
  }

  void record_good(const RunReport& r) {
    check_status.replace(r.gauges.check_status);
    root_cause.replace(r.gauges.root_causes);
    ambient_pods.replace(r.gauges.ambient_pods);
    ztunnel_ready.replace(optional_sample(r.gauges.ztunnel_ready));
    ztunnel_desired.replace(optional_sample(r.gauges.ztunnel_desired));
    if (!r.gauges.socket_state.empty()) socket_state.replace(r.gauges.socket_state);
    last_run.set(static_cast<double>(r.finished_at) / 1e6);
    duration.set(static_cast<double>(r.duration_ms) / 1e3);
    api_requests.set(r.api_requests);
    if (!r.diagnosis.remediation) return;
    for (const auto& entry : r.diagnosis.remediation->plan) {
      remediations.Add({{"action", checks::to_string(entry.action)}, {"result", "planned"}})
          .Increment();
    }
  }

  mutable std::mutex mutex;
  prometheus::Registry registry;
  GaugeSet build_info, check_status, root_cause, ambient_pods, ztunnel_ready, ztunnel_desired,
      socket_state, last_run, duration, api_requests;
  Counter& runs;
  Counter& errors;
  Family<Counter>& remediations;
};

Exporter::Exporter(const ExporterOptions& options) : m_impl(std::make_unique<Impl>(options)) {}

Exporter::~Exporter() = default;

void Exporter::record(const RunOutcome& outcome) {
  std::lock_guard<std::mutex> lock(m_impl->mutex);
  m_impl->runs.Increment();
  if (outcome.ok())
    m_impl->record_good(*outcome.report);
  else
    m_impl->errors.Increment();
}

std::string Exporter::text() const {
  std::lock_guard<std::mutex> lock(m_impl->mutex);
  return prometheus::TextSerializer().Serialize(m_impl->registry.Collect());
}

}  // namespace meshdoctor::daemon
