// ztunnel checks (MD401–MD405): the ZTunnel CR, the ztunnel rollout, its connection to the
// istio-cni node agent (ZDS), its readiness tasks and its xDS connection to istiod.
#include <algorithm>
#include <variant>

#include "checks/catalogue.hpp"
#include "checks/check_util.hpp"

namespace meshdoctor::checks {

namespace {

constexpr const char* k_docs_troubleshoot =
    "https://istio.io/latest/docs/ambient/usage/troubleshoot-ztunnel/";
constexpr const char* k_docs_sail_ambient =
    "https://github.com/istio-ecosystem/sail-operator/blob/main/docs/common/"
    "istio-ambient-mode.adoc";

std::string zt_namespace(const probe::SailCr& zt) {
  return zt.target_namespace.empty() ? "ztunnel" : zt.target_namespace;
}

// ---- MD401 ztunnel-cr -------------------------------------------------------------------------

Finding missing_ztunnel(const probe::Facts& facts) {
  Finding f = make_finding("MD401", Status::fail, "ZTunnel/default does not exist");
  f.evidence.push_back(
      {"sailoperator.io ZTunnel default",
       "not found (" + std::to_string(facts.ztunnels.items.size()) + " ZTunnel collected)"});
  f.fix =
      "oc create namespace ztunnel\noc apply -f - <<'EOF'\napiVersion: sailoperator.io/v1\nkind: "
      "ZTunnel\n"
      "metadata:\n  name: default\nspec:\n  namespace: ztunnel\nEOF\n"
      "oc wait --for=condition=Ready ztunnel/default --timeout=3m";
  return f;
}

// Ready=False only because the DaemonSet rollout is incomplete: the CR itself is fine and the
// failure is MD402's (the ztunnel DaemonSet) seen through the CR, so it is linked as its
// consequence and never becomes a second root cause for the same fact.
bool rollout_only(const probe::SailCr& zt) {
  const auto* ready = probe::find_condition(zt.conditions, "Ready");
  if (!ready || ready->status != "False") return false;
  const auto* reconciled = probe::find_condition(zt.conditions, "Reconciled");
  if (reconciled && reconciled->status != "True") return false;
  return ready->reason == "DaemonSetNotReady" ||
         (ready->reason.empty() && zt.state == "DaemonSetNotReady");
}

Finding judge_ztunnel_ready(const probe::SailCr& zt, const std::string& api) {
  std::string ready_text = condition_text(zt.conditions, "Ready");
  if (condition_true(zt.conditions, "Ready")) {
    return make_finding("MD401", Status::pass, "ZTunnel/default (" + api + ") is Ready");
  }
  Finding f =
      make_finding("MD401", Status::fail, "ZTunnel/default is not Ready (" + ready_text + ")");
  f.objects.push_back(cr_ref(zt));
  if (rollout_only(zt)) {
    f.message = "ZTunnel/default is reconciled but not Ready (" + ready_text +
                "): its DaemonSet is not ready (MD402)";
    f.consequence_of.push_back("MD402");
  }
  f.fix = "oc describe ztunnel default\noc get ds ztunnel -n " + zt_namespace(zt) +
          "   # then follow MD402/MD403/MD404\noc wait --for=condition=Ready ztunnel/default "
          "--timeout=3m";
  return f;
}

Finding run_ztunnel_cr(const probe::Facts& facts, const CheckContext&) {
  if (auto u = require_source("MD401", "ZTunnel CRs", facts.ztunnels.source)) return *u;
  const auto* zt = find_named(facts.ztunnels, "default");
  if (!zt) return missing_ztunnel(facts);
  std::string api = zt->api_version.empty() ? zt->origin.api_version : zt->api_version;
  Finding f = judge_ztunnel_ready(*zt, api);
  f.evidence.push_back(
      {cr_source(*zt), "apiVersion " + api + ", spec.namespace " + zt_namespace(*zt)});
  f.evidence.push_back(
      {cr_source(*zt), condition_text(zt->conditions, "Ready") +
                           (zt->state.empty() ? "" : ", status.state " + zt->state)});
  if (api == "sailoperator.io/v1alpha1") {
    f.evidence.push_back(
        {cr_source(*zt),
         "v1alpha1 is deprecated: migrate to sailoperator.io/v1 (the profile field "
         "was removed in v1; drop spec.profile when converting)"});
  }
  return f;
}

// ---- MD402 ztunnel-daemonset-ready ------------------------------------------------------------

// The namespace of the ztunnel DaemonSet, or a finding that ends the check.
std::variant<std::string, Finding> ztunnel_ds_namespace(const probe::Facts& facts, Finding& f) {
  if (facts.ztunnels.source.ok()) {
    const auto* zt = find_named(facts.ztunnels, "default");
    if (!zt) return make_finding("MD402", Status::skipped, "no ZTunnel/default (see MD401)");
    return zt_namespace(*zt);
  }
  for (const auto& ds : facts.daemonsets.items) {
    if (ds.name == "ztunnel") {
      f.evidence.push_back(
          {"sailoperator.io ZTunnel default", std::string("not collected (") +
                                                  probe::to_string(facts.ztunnels.source.state) +
                                                  "); namespace taken from the DaemonSet"});
      return ds.ns;
    }
  }
  return unknown_from_source("MD402", "ZTunnel CRs", facts.ztunnels.source);
}

Finding run_ztunnel_daemonset(const probe::Facts& facts, const CheckContext&) {
  Finding f = make_finding("MD402", Status::pass, "");
  auto where = ztunnel_ds_namespace(facts, f);
  if (auto* done = std::get_if<Finding>(&where)) return *done;
  const std::string ns = std::get<std::string>(where);
  const auto* ds = find_daemonset(facts, ns, "ztunnel");
  if (auto u = require_daemonset("MD402", facts, ds, f)) return *u;
  std::optional<std::string> problem;
  if (!ds) {
    problem = "ztunnel DaemonSet not found in " + ns;
    f.evidence.push_back({"apps/v1 DaemonSet " + ns + "/ztunnel", "not found"});
  } else {
    f.evidence.push_back({object_source("apps/v1", "DaemonSet", ds->ns, ds->name, ds->origin),
                          daemonset_counts(*ds)});
    problem = daemonset_problem(*ds);
  }
  if (const auto* zt = find_named(facts.ztunnels, "default")) {
    f.evidence.push_back({cr_source(*zt), condition_text(zt->conditions, "Ready")});
  }
  if (!problem) {
    f.message = "ztunnel is ready on every scheduled node (" + std::to_string(ds->ready) + "/" +
                std::to_string(ds->desired) + ")";
    return f;
  }
  f.status = Status::fail;
  f.message = *problem;
  add_unready_pods(f, facts.ztunnel_pods, ns);
  f.fix = "oc get pods -n " + ns + " -l app=ztunnel -o wide\noc describe ds ztunnel -n " + ns +
          "\noc logs -n " + ns +
          " <ztunnel-pod> | grep -E 'CNI node agent|XDS client'   # see MD403/MD404/MD405";
  return f;
}

// ---- MD403 ztunnel-cni-connection -------------------------------------------------------------

struct AgentVerdict {
  Status status = Status::pass;
  Evidence evidence;
  probe::ZdsErrorKind kind = probe::ZdsErrorKind::none;
  std::string summary;  // for the message: "ztunnel-x on worker-1: socket absent: ..."
};

AgentVerdict plain(Status status, Evidence evidence) {
  AgentVerdict v;
  v.status = status;
  v.evidence = std::move(evidence);
  return v;
}

std::string zds_cause(probe::ZdsErrorKind kind, const std::string& node) {
  switch (kind) {
    case probe::ZdsErrorKind::not_found:
      return "socket absent: the istio-cni agent is not in ambient mode or not running on " + node;
    case probe::ZdsErrorKind::connection_refused:
      return "stale socket: the istio-cni agent on " + node + " is dead/restarting";
    default:
      return "cannot connect to the istio-cni node agent on " + node;
  }
}

bool ready_after(const AgentRef& a, const std::optional<probe::Micros>& t) {
  return a.pod && a.pod->ready && a.pod->ready_since && t && *a.pod->ready_since > *t;
}

AgentVerdict zds_verdict(const probe::Facts& facts, const AgentRef& a) {
  const auto* cur = find_log(facts.ztunnel_logs, a.ns, a.name, false);
  const auto* prev = find_log(facts.ztunnel_logs, a.ns, a.name, true);
  if (auto missing = log_unavailable(a, cur)) return plain(Status::unknown, *missing);
  const auto& s = cur->ztunnel;
  int earlier = prev && prev->source.ok() ? prev->ztunnel.zds_failures : 0;
  std::string src = log_source(*cur, s.last_zds_line ? &*s.last_zds_line : nullptr);
  if (s.zds_failures == 0) {
    return plain(
        Status::pass,
        {src, earlier ? std::to_string(earlier) +
                            " failures in the previous container; none in the current log"
                      : "no ZDS connect failures (" + std::to_string(s.lines) + " lines)"});
  }
  std::string count = std::to_string(s.zds_failures) + " ZDS connect failures";
  bool ordered = s.last_connected_time && s.last_zds_time;
  if ((ordered && *s.last_connected_time > *s.last_zds_time) || ready_after(a, s.last_zds_time)) {
    return plain(Status::pass, {src, count + ", then connected again (recovered)"});
  }
  if (s.zds_connected && !ordered) {
    return plain(Status::unknown,
                 {src, count + " and a later connection; their order is unknown (no timestamps)"});
  }
  std::string last = s.last_zds_line ? s.last_zds_line->text : "";
  return {Status::fail,
          {src, count + " (" + probe::to_string(s.last_zds_kind) + "); last: " + last},
          s.last_zds_kind,
          a.name + " on " + node_of(a) + ": " + zds_cause(s.last_zds_kind, node_of(a))};
}

std::string zds_fix(const probe::Facts& facts, probe::ZdsErrorKind kind, const std::string& node) {
  const auto* cni =
      facts.istio_cnis.source.ok() ? find_named(facts.istio_cnis, "default") : nullptr;
  std::string ns = cni && !cni->target_namespace.empty() ? cni->target_namespace : "istio-cni";
  if (kind == probe::ZdsErrorKind::not_found) {
    return "oc patch istiocni default --type merge -p '{\"spec\":{\"profile\":\"ambient\"}}'   # "
           "see MD301/MD304\n"
           "oc get pods -n " +
           ns + " -l k8s-app=istio-cni-node -o wide --field-selector spec.nodeName=" + node;
  }
  return "oc delete pod -n " + ns +
         " -l k8s-app=istio-cni-node --field-selector spec.nodeName=" + node +
         "\noc rollout status ds/istio-cni-node -n " + ns;
}

Finding run_cni_connection(const probe::Facts& facts, const CheckContext&) {
  if (auto u = require_source("MD403", "ztunnel logs", facts.ztunnel_logs.source)) return *u;
  auto agents = node_agents(facts.ztunnel_pods, facts.ztunnel_logs);
  if (agents.empty())
    return make_finding("MD403", Status::unknown, "no ztunnel pods to read logs from");
  std::vector<Evidence> failed, unknown, passed;
  std::vector<AgentVerdict> failures;
  Finding f = make_finding("MD403", Status::pass, "");
  for (const auto& a : agents) {
    AgentVerdict v = zds_verdict(facts, a);
    if (v.status == Status::fail) {
      failed.push_back(v.evidence);
      f.objects.push_back({"Pod", a.ns, a.name});
      if (failures.empty()) f.fix = zds_fix(facts, v.kind, node_of(a));
      failures.push_back(v);
    } else {
      (v.status == Status::unknown ? unknown : passed).push_back(v.evidence);
    }
  }
  std::string total = std::to_string(agents.size());
  if (!failures.empty()) {
    f.status = Status::fail;
    f.message = std::to_string(failures.size()) + " of " + total +
                " ztunnel pods cannot reach the istio-cni node agent; " + failures.front().summary;
  } else if (!unknown.empty()) {
    f.status = Status::unknown;
    f.message = "the ZDS connection could not be verified for " + std::to_string(unknown.size()) +
                " of " + total + " ztunnel pods";
  } else {
    f.message =
        "all " + total +
        " ztunnel pods reach the istio-cni node agent (no unrecovered ZDS connect failures)";
  }
  append_capped(f.evidence, failed, 10, "ztunnel logs with ZDS connect failures");
  append_capped(f.evidence, unknown, 10, "ztunnel logs not verified");
  append_capped(f.evidence, passed, f.status == Status::pass ? 5 : 2,
                "ztunnel logs without failures");
  return f;
}

// ---- MD404 ztunnel-readiness ------------------------------------------------------------------

enum class Pending { none, state_manager, workload_proxy_manager, other };

Pending classify_readiness(const probe::ZtunnelReadiness& r) {
  std::string body = r.body;
  while (!body.empty() && (body.back() == '\n' || body.back() == '\r' || body.back() == ' '))
    body.pop_back();
  if (body == "ready" && (r.http_status == 0 || r.http_status == 200)) return Pending::none;
  if (body.find("state manager") != std::string::npos) return Pending::state_manager;
  if (body.find("workload proxy manager") != std::string::npos)
    return Pending::workload_proxy_manager;
  return Pending::other;
}

// The scrape of the same pod, when the metrics were collected.
const probe::ZtunnelMetrics* find_metrics(const probe::Facts& facts, const std::string& ns,
                                          const std::string& pod) {
  if (!facts.ztunnel_metrics.source.ok()) return nullptr;
  for (const auto& m : facts.ztunnel_metrics.items) {
    if (m.pod == pod && (m.ns.empty() || m.ns == ns)) return &m;
  }
  return nullptr;
}

std::string number(double v) {
  std::string s = std::to_string(v);
  s.erase(s.find_last_not_of('0') + 1);
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

// "workload_manager_pending_proxy_count 2, workload_manager_active_proxy_count 5, ...": the
// series named as ztunnel exports them, so the reader can query them in Prometheus too.
Evidence metrics_evidence(const probe::ZtunnelMetrics& m) {
  std::vector<std::string> parts;
  if (m.pending_proxies) parts.push_back("workload_manager_pending_proxy_count " + number(*m.pending_proxies));
  if (m.active_proxies) parts.push_back("workload_manager_active_proxy_count " + number(*m.active_proxies));
  if (m.xds_connection_errors)
    parts.push_back("istio_xds_connection_terminations_total{reason=ConnectionError|Error} " +
                    number(*m.xds_connection_errors));
  std::string detail = parts.empty() ? "no workload_manager series (" + std::to_string(m.samples) + " samples)"
                                     : join(parts, ", ");
  if (m.http_status != 0 && (m.http_status < 200 || m.http_status > 299))
    detail = "HTTP " + std::to_string(m.http_status) + ": no metrics";
  return {m.ns + "/" + m.pod + " :15020/stats/prometheus" + (m.node.empty() ? "" : " (node " + m.node + ")"),
          detail};
}

// Without bodies MD404 stays unknown (the bodies decide), but the scrapes still say something.
void add_all_metrics(Finding& f, const probe::Facts& facts) {
  if (!facts.ztunnel_metrics.source.ok()) return;
  std::vector<Evidence> scrapes;
  for (const auto& m : facts.ztunnel_metrics.items) scrapes.push_back(metrics_evidence(m));
  append_capped(f.evidence, scrapes, 5, "ztunnel metrics");
}

Finding readiness_not_collected(const probe::Facts& facts) {
  const auto& src = facts.ztunnel_readiness.source;
  Finding f = src.state != probe::Obtained::not_found
                  ? unknown_from_source("MD404", "ztunnel readiness bodies", src)
                  : make_finding("MD404", Status::unknown,
                                 "readiness bodies are not in a plain inspect bundle; use meshdoctor "
                                 "collect or a live check");
  if (src.state == probe::Obtained::not_found)
    f.evidence.push_back(
        {"ztunnel :15021/healthz/ready", src.detail.empty() ? "not in the source" : src.detail});
  add_all_metrics(f, facts);
  return f;
}

// What the readiness bodies (and, where scraped, the metrics) of all ztunnel pods add up to.
struct ReadinessTally {
  int xds = 0, cni = 0, other = 0;
  // Pods pending only the workload proxy manager while their own scrape counts pending pod
  // proxies: "ztunnel-a (workload_manager_pending_proxy_count 2)".
  std::vector<std::string> stuck_proxies;
  std::vector<Evidence> bad, good, bad_metrics, good_metrics;
};

void tally_pod(const probe::Facts& facts, const probe::ZtunnelReadiness& r, ReadinessTally& t,
               Finding& f) {
  const Pending p = classify_readiness(r);
  const auto* m = find_metrics(facts, r.ns, r.pod);
  Evidence ev{r.ns + "/" + r.pod + " :15021/healthz/ready" +
                  (r.node.empty() ? "" : " (node " + r.node + ")"),
              "HTTP " + std::to_string(r.http_status) + ": " + r.body.substr(0, r.body.find('\n'))};
  if (p == Pending::none) {
    t.good.push_back(ev);
    if (m) t.good_metrics.push_back(metrics_evidence(*m));
    return;
  }
  (p == Pending::state_manager ? t.xds : p == Pending::workload_proxy_manager ? t.cni : t.other) += 1;
  t.bad.push_back(ev);
  if (m) t.bad_metrics.push_back(metrics_evidence(*m));
  f.objects.push_back({"Pod", r.ns, r.pod});
  if (p == Pending::workload_proxy_manager && m && m->pending_proxies && *m->pending_proxies > 0)
    t.stuck_proxies.push_back(r.pod + " (workload_manager_pending_proxy_count " + number(*m->pending_proxies) + ")");
}

// Pending workloads on a pod that waits only for the workload proxy manager: ztunnel did get its
// snapshot from the istio-cni agent (it knows the pods) but cannot start their proxies.
std::string stuck_proxy_message(const ReadinessTally& t) {
  std::string text = "pending workload proxy manager with pod proxies that cannot start on " +
                     join(t.stuck_proxies, ", ") +
                     ": a pod proxy fails to start (e.g. the [::1]:15053 DNS bind error when the "
                     "pod has no IPv6 loopback) rather than the CNI socket; see that ztunnel's log";
  const int rest = t.cni - static_cast<int>(t.stuck_proxies.size());
  if (rest > 0)
    text += "; " + std::to_string(rest) + " other pods have no ZDS connection to the istio-cni agent (see MD403)";
  return text;
}

std::string readiness_message(const ReadinessTally& t, size_t total) {
  std::string n = std::to_string(t.xds + t.cni + t.other) + " of " + std::to_string(total) +
                  " ztunnel pods are not ready: ";
  if (t.xds > 0) return n + "pending state manager (xDS from istiod not synced; see MD201/MD405)";
  if (!t.stuck_proxies.empty()) return n + stuck_proxy_message(t);
  if (t.cni > 0)
    return n +
           "pending workload proxy manager (no ZDS connection to the istio-cni agent or a pod "
           "proxy "
           "failing; see MD403)";
  return n + "unexpected readiness response";
}

// The verdict once every body is tallied: any pending task fails; bodies for fewer pods than
// exist cannot pass.
void judge_readiness(const probe::Facts& facts, const ReadinessTally& t, Finding& f) {
  const size_t read = facts.ztunnel_readiness.items.size();
  if (!t.bad.empty()) {
    f.status = Status::fail;
    f.message = readiness_message(t, read);
  } else if (facts.ztunnel_pods.source.ok() && facts.ztunnel_pods.items.size() > read) {
    f.status = Status::unknown;
    f.message = "readiness was read for " + std::to_string(read) + " of " +
                std::to_string(facts.ztunnel_pods.items.size()) +
                " ztunnel pods; all of those are ready";
  } else {
    f.message = "all " + std::to_string(read) + " ztunnel pods answer \"ready\"";
  }
}

Finding run_readiness(const probe::Facts& facts, const CheckContext&) {
  const auto& rs = facts.ztunnel_readiness;
  if (!rs.source.ok()) return readiness_not_collected(facts);
  if (rs.items.empty()) {
    Finding f = make_finding("MD404", Status::unknown, "no ztunnel readiness bodies were collected");
    add_all_metrics(f, facts);
    return f;
  }
  ReadinessTally t;
  Finding f = make_finding("MD404", Status::pass, "");
  for (const auto& r : rs.items) tally_pod(facts, r, t, f);
  judge_readiness(facts, t, f);
  append_capped(f.evidence, t.bad, 10, "ztunnel pods not ready");
  append_capped(f.evidence, t.bad_metrics, 10, "metrics of ztunnel pods not ready");
  append_capped(f.evidence, t.good, t.bad.empty() ? 5 : 2, "ztunnel pods ready");
  append_capped(f.evidence, t.good_metrics, t.bad.empty() ? 5 : 2, "metrics of ztunnel pods ready");
  return f;
}

// ---- MD405 ztunnel-xds ------------------------------------------------------------------------

AgentVerdict xds_verdict(const probe::Facts& facts, const AgentRef& a) {
  const auto* cur = find_log(facts.ztunnel_logs, a.ns, a.name, false);
  if (auto missing = log_unavailable(a, cur)) return plain(Status::unknown, *missing);
  const auto& s = cur->ztunnel;
  std::string src = log_source(*cur, s.last_xds_line ? &*s.last_xds_line : nullptr);
  if (s.xds_errors == 0)
    return plain(Status::pass,
                 {src, "no XDS client errors (" + std::to_string(s.lines) + " lines)"});
  std::string count = std::to_string(s.xds_errors) + " XDS client errors";
  if (ready_after(a, s.last_xds_time))
    return plain(Status::pass, {src, count + ", then the pod became Ready (recovered)"});
  std::string last = s.last_xds_line ? s.last_xds_line->text : "";
  return {Status::fail,
          {src, count + "; last: " + last},
          probe::ZdsErrorKind::none,
          a.name + " on " + node_of(a)};
}

Finding run_xds(const probe::Facts& facts, const CheckContext&) {
  if (auto u = require_source("MD405", "ztunnel logs", facts.ztunnel_logs.source)) return *u;
  auto agents = node_agents(facts.ztunnel_pods, facts.ztunnel_logs);
  if (agents.empty())
    return make_finding("MD405", Status::unknown, "no ztunnel pods to read logs from");
  std::vector<Evidence> failed, unknown, passed;
  std::vector<std::string> who;
  Finding f = make_finding("MD405", Status::pass, "");
  for (const auto& a : agents) {
    AgentVerdict v = xds_verdict(facts, a);
    if (v.status == Status::fail) {
      failed.push_back(v.evidence);
      who.push_back(v.summary);
      f.objects.push_back({"Pod", a.ns, a.name});
    } else {
      (v.status == Status::unknown ? unknown : passed).push_back(v.evidence);
    }
  }
  std::string total = std::to_string(agents.size());
  if (!failed.empty()) {
    f.status = Status::fail;
    f.message =
        std::to_string(failed.size()) + " of " + total +
        " ztunnel pods log \"XDS client connection error\" (" +
        join(std::vector<std::string>(who.begin(), who.begin() + std::min<size_t>(who.size(), 3)),
             ", ") +
        (who.size() > 3 ? ", ..." : "") + ")";
  } else if (!unknown.empty()) {
    f.status = Status::unknown;
    f.message = "xDS errors could not be checked for " + std::to_string(unknown.size()) + " of " +
                total + " ztunnel pods";
  } else {
    f.message = "no ztunnel pod logs an unrecovered XDS client connection error";
  }
  append_capped(f.evidence, failed, 10, "ztunnel logs with XDS errors");
  append_capped(f.evidence, unknown, 10, "ztunnel logs not verified");
  append_capped(f.evidence, passed, f.status == Status::pass ? 5 : 2,
                "ztunnel logs without XDS errors");
  return f;
}

}  // namespace

std::vector<CheckInfo> ztunnel_checks() {
  std::vector<CheckInfo> v;
  v.push_back({"MD401",
               "ztunnel-cr",
               "ztunnel",
               Severity::fail,
               {"MD101", "MD103"},
               "ZTunnel/default exists (sailoperator.io/v1 or v1alpha1) and is Ready",
               "no ztunnel DaemonSet; Istio shows ZTunnelNotFound or ZTunnelNotHealthy",
               "the ZTunnel CR was not created (its name must be default), its namespace is "
               "missing, or its "
               "DaemonSet is not ready",
               "oc apply -f - <<'EOF'\napiVersion: sailoperator.io/v1\nkind: ZTunnel\nmetadata:\n  "
               "name: default\n"
               "spec:\n  namespace: ztunnel\nEOF\noc wait --for=condition=Ready ztunnel/default "
               "--timeout=3m",
               k_docs_sail_ambient,
               run_ztunnel_cr});
  v.push_back({"MD402",
               "ztunnel-daemonset-ready",
               "ztunnel",
               Severity::fail,
               {"MD403", "MD404"},
               "DaemonSet ztunnel in the ZTunnel namespace has every scheduled pod ready",
               "ztunnel pods 0/N Ready (readiness probe HTTP 500); Istio DependenciesHealthy=False "
               "ZTunnelNotHealthy",
               "a ztunnel pod stays unready while a readiness task is pending: no xDS from istiod "
               "(state manager) "
               "or no ZDS connection to the istio-cni agent (workload proxy manager)",
               "oc get pods -n ztunnel -l app=ztunnel -o wide\noc describe ds ztunnel -n ztunnel\n"
               "oc logs -n ztunnel <ztunnel-pod>   # then follow MD403/MD404/MD405",
               k_docs_troubleshoot,
               run_ztunnel_daemonset});
  v.push_back(
      {"MD403",
       "ztunnel-cni-connection",
       "ztunnel",
       Severity::fail,
       {"MD301", "MD303", "MD304"},
       "no ztunnel logs an unrecovered \"failed to connect to the Istio CNI node agent\"",
       "ztunnel logs 'failed to connect to the Istio CNI node agent over "
       "\"/var/run/ztunnel/ztunnel.sock\", "
       "is the node agent healthy?' every few seconds and stays not ready",
       "NotFound: the socket does not exist (istio-cni not in ambient mode or not running on the "
       "node); "
       "ConnectionRefused: a stale socket from a dead or restarting istio-cni agent",
       "NotFound: oc patch istiocni default --type merge -p "
       "'{\"spec\":{\"profile\":\"ambient\"}}'\n"
       "ConnectionRefused: oc delete pod -n istio-cni -l k8s-app=istio-cni-node --field-selector "
       "spec.nodeName=<node>",
       k_docs_troubleshoot,
       run_cni_connection});
  v.push_back(
      {"MD404",
       "ztunnel-readiness",
       "ztunnel",
       Severity::fail,
       {"MD201", "MD403"},
       "each ztunnel pod's :15021/healthz/ready answers \"ready\"",
       "ztunnel readiness body \"not ready, pending: ...\"",
       "\"state manager\" pending: ztunnel never synced xDS from istiod; only \"workload proxy "
       "manager\" "
       "pending: no ZDS snapshot from the istio-cni agent or a pod proxy that cannot start",
       "oc get --raw /api/v1/namespaces/ztunnel/pods/<ztunnel-pod>:15021/proxy/healthz/ready\n"
       "state manager: oc get istio default && oc get pods -n istio-system -l app=istiod\n"
       "workload proxy manager: follow MD403 (oc logs -n ztunnel <ztunnel-pod> | grep 'CNI node "
       "agent')",
       k_docs_troubleshoot,
       run_readiness});
  v.push_back({"MD405",
               "ztunnel-xds",
               "ztunnel",
               Severity::fail,
               {"MD201", "MD202"},
               "no ztunnel logs an unrecovered \"XDS client connection error\"",
               "ztunnel logs \"XDS client connection error: ... retrying\"; workloads and "
               "certificates missing",
               "istiod unreachable or refusing ztunnel: istiod down, DNS failure, wrong "
               "XDS_ADDRESS/revision, or "
               "certificate trust (trustedZtunnelNamespace)",
               "oc get pods -n istio-system -l app=istiod\n"
               "oc logs -n ztunnel <ztunnel-pod> | grep 'XDS client'\n"
               "oc logs -n istio-system deploy/istiod | grep -i ztunnel",
               k_docs_troubleshoot,
               run_xds});
  return v;
}

}  // namespace meshdoctor::checks
