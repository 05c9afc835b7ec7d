// A live run: one clock read, the first request alone (it decides whether the cluster can be
// reached), then the independent resources, what they locate, the node agents' logs and
// readiness. Sections are sorted at the end so reports do not depend on answer order.
#include "probe/live_collector.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <numeric>

#include "probe/live_internal.hpp"
#include "probe/malloc_arenas.hpp"

namespace meshdoctor::probe {
namespace {

Micros clock_now() {
  using namespace std::chrono;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

// A stable sort that needs no second copy of the items (150,000 pods are 80 MB): the order is
// sorted as indices, then applied in place, cycle by cycle.
template <class T, class Key>
void sort_by(Section<T>& s, Key key) {
  std::vector<T>& items = s.items;
  auto less = [&](const T& a, const T& b) { return key(a) < key(b); };
  if (std::is_sorted(items.begin(), items.end(), less)) return;
  std::vector<std::uint32_t> order(items.size());
  std::iota(order.begin(), order.end(), 0U);
  std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) { return less(items[a], items[b]); });
  std::vector<bool> placed(items.size());
  for (std::size_t start = 0; start < items.size(); ++start) {
    if (placed[start]) continue;
    T first = std::move(items[start]);
    std::size_t at = start;
    while (order[at] != start) {
      items[at] = std::move(items[order[at]]);
      placed[at] = true;
      at = order[at];
    }
    items[at] = std::move(first);
    placed[at] = true;
  }
}

void sort_sections(Facts& f) {
  auto ns_name = [](const auto& x) { return std::tie(x.ns, x.name); };
  auto name = [](const auto& x) { return std::tie(x.name); };
  sort_by(f.subscriptions, ns_name), sort_by(f.install_plans, ns_name), sort_by(f.csvs, ns_name);
  sort_by(f.sail_crds, name), sort_by(f.istios, name), sort_by(f.istio_cnis, name), sort_by(f.ztunnels, name);
  sort_by(f.daemonsets, ns_name), sort_by(f.cni_pods, ns_name), sort_by(f.ztunnel_pods, ns_name);
  sort_by(f.istiod, ns_name), sort_by(f.namespaces, name), sort_by(f.pods, ns_name);
  auto log_key = [](const PodLog& l) { return std::tie(l.ns, l.pod, l.previous); };
  sort_by(f.cni_logs, log_key), sort_by(f.ztunnel_logs, log_key);
  sort_by(f.telemetries, ns_name), sort_by(f.pod_monitors, ns_name), sort_by(f.gateways, ns_name);
  sort_by(f.kialis, ns_name), sort_by(f.cluster_role_bindings, name);
  sort_by(f.ztunnel_readiness, [](const ZtunnelReadiness& r) { return std::tie(r.ns, r.pod); });
}

Facts initial_facts(const KubeClient& client, const LiveOptions& options) {
  Facts facts;
  facts.source.kind = "live";
  facts.source.context = options.context.empty() ? client.auth().context : options.context;
  facts.collected_at = options.now ? *options.now : clock_now();
  facts.collected_at_origin = "live: the time the run started";
  facts.prometheus.source = {Obtained::not_found, "Prometheus was not queried"};
  facts.socket = {Obtained::not_found, "not running on a node (use --node-local on a cluster node)"};
  return facts;
}

}  // namespace

bool is_fatal_connection_error(const util::Error& error) {
  for (const char* code : {"kube.unauthorized", "kube.deadline", "http.connect", "http.dns", "http.tls", "http.timeout"}) {
    if (error.code == code) return true;
  }
  return false;
}

util::Expected<Facts> collect_live(KubeClient& client, const LiveOptions& options) {
  limit_malloc_arenas();
  Facts facts = initial_facts(client, options);
  live::Run run(client, options, facts);
  if (auto reached = live::collect_namespaces(run); !reached) return reached.error();
  live::collect_cluster(run);
  live::collect_workloads(run);
  run.settle();
  live::collect_logs(run);
  live::collect_readiness(run);
  sort_sections(facts);
  run.progress("");
  return facts;
}

}  // namespace meshdoctor::probe
