// One serve run: collect → refuse an empty read → diagnose → dry-run plan (--fix) → gauges.
#include "daemon/run.hpp"

#include <spdlog/spdlog.h>

#include "checks/catalogue.hpp"
#include "playbooks/restart.hpp"

namespace meshdoctor::daemon {
namespace {

// The API sections a live read fills (extras such as Prometheus and the socket are not the API).
std::vector<const probe::SourceState*> api_sections(const probe::Facts& f) {
  return {&f.namespaces.source,
          &f.subscriptions.source,
          &f.install_plans.source,
          &f.csvs.source,
          &f.sail_crds.source,
          &f.istios.source,
          &f.istio_cnis.source,
          &f.ztunnels.source,
          &f.daemonsets.source,
          &f.cni_pods.source,
          &f.ztunnel_pods.source,
          &f.istiod.source,
          &f.pods.source,
          &f.telemetries.source,
          &f.pod_monitors.source,
          &f.gateways.source,
          &f.kialis.source,
          &f.cluster_role_bindings.source,
          &f.cluster_version.source,
          &f.network.source,
          &f.monitoring_config.source};
}

void plan_restarts(const Collected& c, const RunPolicy& policy, checks::Diagnosis& d) {
  playbooks::PlanOptions p;
  p.off_mesh_namespaces = policy.context.off_mesh_namespaces;
  playbooks::ObjectReader reader = [](const std::string& path) -> util::Expected<nlohmann::json> {
    return util::make_error("serve.no_client", "no cluster client to read " + path);
  };
  if (c.client) reader = playbooks::live_reader(*c.client);
  auto planned = playbooks::plan_restarts(c.facts, d, p, reader);
  planned.remediation.notes.push_back(
      "dry-run from serve --fix: serve never writes; run 'meshdoctor restart --apply' to restart");
  d.remediation = std::move(planned.remediation);
}

}  // namespace

std::optional<std::string> nothing_collected(const probe::Facts& facts) {
  const probe::SourceState* first_error = nullptr;
  for (const auto* s : api_sections(facts)) {
    if (s->ok()) return std::nullopt;
    if (s->state == probe::Obtained::error && first_error == nullptr) first_error = s;
  }
  if (first_error == nullptr) return std::nullopt;
  return "the API server answered no request: " + first_error->detail;
}

util::Expected<RunReport> run_once(const CollectFn& collect, const RunPolicy& policy) {
  auto collected = collect();
  if (!collected) return collected.error();
  if (auto why = nothing_collected(collected->facts))
    return util::make_error("serve.nothing_collected", *why);
  for (const auto& w : collected->facts.warnings) spdlog::debug("{}", w);
  RunReport r;
  r.diagnosis = checks::diagnose(collected->facts, policy.context, checks::Selection{});
  if (policy.fix) plan_restarts(*collected, policy, r.diagnosis);
  r.gauges = run_gauges(r.diagnosis, collected->facts);
  r.api_requests = collected->other_requests;
  if (collected->client) r.api_requests += collected->client->request_count();
  return r;
}

}  // namespace meshdoctor::daemon
