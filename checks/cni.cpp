// CNI checks (MD301–MD305): IstioCNI in the ambient profile, iptables reconciliation on agent
// start, the istio-cni-node rollout, the agent's own "AmbientEnabled" startup line, the ZDS socket.
#include "checks/catalogue.hpp"
#include "checks/check_util.hpp"

namespace meshdoctor::checks {

namespace {

constexpr const char* k_docs_ambient =
    "https://github.com/openshift/openshift-docs/blob/main/modules/"
    "ossm-installing-istio-ambient-mode.adoc";
constexpr const char* k_docs_redirection =
    "https://istio.io/latest/docs/ambient/architecture/traffic-redirection/";

std::string cni_namespace(const probe::SailCr& cni) {
  return cni.target_namespace.empty() ? "istio-cni" : cni.target_namespace;
}

std::string ztunnel_ns(const probe::Facts& facts) {
  const auto* zt = facts.ztunnels.source.ok() ? find_named(facts.ztunnels, "default") : nullptr;
  return zt && !zt->target_namespace.empty() ? zt->target_namespace : "ztunnel";
}

std::string profile_fix(const probe::Facts& facts, const std::string& cni_ns) {
  return "oc patch istiocni default --type merge -p '{\"spec\":{\"profile\":\"ambient\"}}'\n"
         "oc rollout status ds/istio-cni-node -n " +
         cni_ns + "\noc rollout status ds/ztunnel -n " + ztunnel_ns(facts);
}

// ---- MD301 istiocni-profile -------------------------------------------------------------------

Finding missing_istiocni(const probe::Facts& facts) {
  Finding f = make_finding("MD301", Status::fail, "IstioCNI/default does not exist");
  f.evidence.push_back(
      {"sailoperator.io IstioCNI default",
       "not found (" + std::to_string(facts.istio_cnis.items.size()) + " IstioCNI collected)"});
  f.fix =
      "oc create namespace istio-cni\noc apply -f - <<'EOF'\napiVersion: sailoperator.io/v1\nkind: "
      "IstioCNI\n"
      "metadata:\n  name: default\nspec:\n  namespace: istio-cni\n  profile: ambient\n  values:\n  "
      "  cni:\n"
      "      ambient:\n        reconcileIptablesOnStartup: true\nEOF\n"
      "oc wait --for=condition=Ready istiocnis/default --timeout=3m";
  return f;
}

Finding run_cni_profile(const probe::Facts& facts, const CheckContext&) {
  if (auto u = require_source("MD301", "IstioCNI CRs", facts.istio_cnis.source)) return *u;
  const auto* cni = find_named(facts.istio_cnis, "default");
  if (!cni) return missing_istiocni(facts);
  Finding f = make_finding("MD301", Status::pass, "IstioCNI/default uses the ambient profile");
  f.evidence.push_back({cr_source(*cni), field_value("spec.profile", cni->profile)});
  if (!cni->values_profile.empty())
    f.evidence.push_back(
        {cr_source(*cni), field_value("spec.values.profile", cni->values_profile)});
  if (cni->cni_ambient_enabled) {
    f.evidence.push_back({cr_source(*cni), std::string("spec.values.cni.ambient.enabled is ") +
                                               (*cni->cni_ambient_enabled ? "true" : "false")});
  }
  if (cni->cni_ambient_enabled == false) {
    f.status = Status::fail;
    f.message =
        "IstioCNI/default disables ambient: spec.values.cni.ambient.enabled is false (overrides "
        "the profile)";
    f.fix =
        "oc patch istiocni default --type json -p "
        "'[{\"op\":\"remove\",\"path\":\"/spec/values/cni/ambient/enabled\"}]'\n" +
        profile_fix(facts, cni_namespace(*cni));
  } else if (!is_ambient_profile(*cni) && cni->cni_ambient_enabled != true) {
    f.status = Status::fail;
    f.message = "IstioCNI/default is not in the ambient profile (" +
                field_value("spec.profile", cni->profile) + ")";
    f.fix = profile_fix(facts, cni_namespace(*cni));
  } else if (!is_ambient_profile(*cni)) {
    f.message = "IstioCNI/default enables ambient through spec.values.cni.ambient.enabled";
  }
  if (f.status == Status::fail) f.objects.push_back(cr_ref(*cni));
  return f;
}

// ---- MD302 cni-reconcile-iptables -------------------------------------------------------------

Finding run_reconcile_iptables(const probe::Facts& facts, const CheckContext&) {
  if (auto u = require_source("MD302", "IstioCNI CRs", facts.istio_cnis.source)) return *u;
  const auto* cni = find_named(facts.istio_cnis, "default");
  if (!cni) return make_finding("MD302", Status::skipped, "no IstioCNI/default (see MD301)");
  const std::string path = "spec.values.cni.ambient.reconcileIptablesOnStartup";
  const std::string caveat =
      "; it does not repair pods that started before ztunnel was ready (see MD504)";
  Finding f = make_finding("MD302", Status::pass, "");
  const auto& set = cni->reconcile_iptables_on_startup;
  auto v = parse_version(cni->version);
  if (set) {
    f.evidence.push_back({cr_source(*cni), path + " is " + (*set ? "true" : "false")});
    f.status = *set ? Status::pass : Status::fail;
    f.message = *set ? "the CNI agent reconciles in-pod iptables rules on startup" + caveat
                     : "iptables reconciliation on CNI agent startup is disabled" + caveat;
  } else if (v && (v->major > 1 || (v->major == 1 && v->minor >= 29))) {
    f.evidence.push_back(
        {cr_source(*cni),
         path + " is not set; defaults to true from 1.29 (spec.version " + cni->version + ")"});
    f.message = "iptables reconciliation on startup defaults to true for " + cni->version + caveat;
  } else {
    f.evidence.push_back(
        {cr_source(*cni), path + " is not set; the chart default is false in Istio ≤1.28 (" +
                              field_value("spec.version", cni->version) + ")"});
    f.status = Status::fail;
    f.message =
        "iptables reconciliation on CNI agent startup is off (chart default false up to 1.28)" +
        caveat;
  }
  if (f.status == Status::fail) f.objects.push_back(cr_ref(*cni));
  return f;
}

// ---- MD303 cni-daemonset-ready ----------------------------------------------------------------

Finding run_cni_daemonset(const probe::Facts& facts, const CheckContext&) {
  if (auto u = require_source("MD303", "IstioCNI CRs", facts.istio_cnis.source)) return *u;
  const auto* cni = find_named(facts.istio_cnis, "default");
  if (!cni) return make_finding("MD303", Status::skipped, "no IstioCNI/default (see MD301)");
  std::string ns = cni_namespace(*cni);
  const auto* ds = find_daemonset(facts, ns, "istio-cni-node");
  std::vector<std::string> problems;
  Finding f = make_finding("MD303", Status::pass, "");
  if (auto u = require_daemonset("MD303", facts, ds, f)) return *u;
  if (!ds) {
    problems.push_back("istio-cni-node DaemonSet not found in " + ns);
    f.evidence.push_back({"apps/v1 DaemonSet " + ns + "/istio-cni-node", "not found"});
  } else {
    f.evidence.push_back({object_source("apps/v1", "DaemonSet", ds->ns, ds->name, ds->origin),
                          daemonset_counts(*ds)});
    if (auto p = daemonset_problem(*ds)) problems.push_back(*p);
  }
  f.evidence.push_back({cr_source(*cni), condition_text(cni->conditions, "Ready")});
  if (!condition_true(cni->conditions, "Ready"))
    problems.push_back("IstioCNI/default is not Ready");
  if (problems.empty()) {
    f.message = "istio-cni-node is ready on every scheduled node (" + std::to_string(ds->ready) +
                "/" + std::to_string(ds->desired) + ")";
    return f;
  }
  f.status = Status::fail;
  f.message = join(problems, "; ");
  add_unready_pods(f, facts.cni_pods, ns);
  f.fix = "oc get pods -n " + ns +
          " -l k8s-app=istio-cni-node -o wide\noc describe ds istio-cni-node -n " + ns +
          "\noc logs -n " + ns +
          " <istio-cni-node-pod> --previous\noc wait --for=condition=Ready istiocnis/default "
          "--timeout=3m";
  return f;
}

// ---- MD304 cni-ambient-enabled ----------------------------------------------------------------

// pass/fail/unknown for one agent, with its evidence line.
std::pair<Status, Evidence> ambient_line_of(const probe::Facts& facts, const AgentRef& a) {
  const auto* log = find_log(facts.cni_logs, a.ns, a.name, false);
  if (auto missing = log_unavailable(a, log)) return {Status::unknown, *missing};
  const auto& scan = log->cni;
  if (!scan.ambient_enabled) {
    return {Status::unknown,
            {log_source(*log, nullptr),
             "no \"AmbientEnabled:\" line (startup lines rotated away or log truncated)"}};
  }
  const probe::LogLine* line = scan.ambient_line ? &*scan.ambient_line : nullptr;
  std::string text =
      line ? line->text
           : std::string("AmbientEnabled: ") + (*scan.ambient_enabled ? "true" : "false");
  return {*scan.ambient_enabled ? Status::pass : Status::fail, {log_source(*log, line), text}};
}

Finding run_cni_ambient_enabled(const probe::Facts& facts, const CheckContext&) {
  if (auto u = require_source("MD304", "istio-cni-node logs", facts.cni_logs.source)) return *u;
  auto agents = node_agents(facts.cni_pods, facts.cni_logs);
  if (agents.empty())
    return make_finding("MD304", Status::unknown, "no istio-cni-node pods to read logs from");
  std::vector<Evidence> failed, unknown, passed;
  std::vector<std::string> failed_nodes;
  Finding f;
  for (const auto& a : agents) {
    auto [st, ev] = ambient_line_of(facts, a);
    if (st == Status::fail) {
      failed.push_back(ev);
      failed_nodes.push_back(node_of(a));
      f.objects.push_back({"Pod", a.ns, a.name});
    } else {
      (st == Status::unknown ? unknown : passed).push_back(ev);
    }
  }
  std::string total = std::to_string(agents.size());
  if (!failed.empty()) {
    f.status = Status::fail;
    f.message = "istio-cni-node reports AmbientEnabled: false on " + std::to_string(failed.size()) +
                " of " + total + " nodes (" + join(failed_nodes, ", ") + ")";
  } else if (!unknown.empty()) {
    f.status = Status::unknown;
    f.message = "AmbientEnabled could not be read for " + std::to_string(unknown.size()) + " of " +
                total + " istio-cni-node pods";
  } else {
    f.status = Status::pass;
    f.message = "all " + total + " istio-cni-node pods report AmbientEnabled: true";
  }
  append_capped(f.evidence, failed, 10, "istio-cni-node logs with AmbientEnabled: false");
  append_capped(f.evidence, unknown, 10, "istio-cni-node logs without the line");
  append_capped(f.evidence, passed, f.status == Status::pass ? 5 : 2,
                "istio-cni-node logs with AmbientEnabled: true");
  if (f.status == Status::fail) {
    const auto* cni =
        facts.istio_cnis.source.ok() ? find_named(facts.istio_cnis, "default") : nullptr;
    f.fix = profile_fix(facts, cni ? cni_namespace(*cni) : "istio-cni");
  }
  return f;
}

// ---- MD305 ztunnel-socket ---------------------------------------------------------------------

Finding run_socket(const probe::Facts& facts, const CheckContext&) {
  if (!facts.node_local)
    return make_finding("MD305", Status::skipped, "not on a node (use --node-local)");
  using probe::SocketState;
  const std::string path =
      facts.socket_path.empty() ? "/var/run/ztunnel/ztunnel.sock" : facts.socket_path;
  const std::string& detail = facts.socket.detail;
  if (auto u = require_source("MD305", "node socket " + path, facts.socket)) {
    u->message =
        "the ZDS socket " + path + " could not be probed" + (detail.empty() ? "" : ": " + detail);
    return *u;
  }
  Finding f = make_finding("MD305", Status::fail, "");
  f.evidence.push_back({"node socket " + path, std::string(probe::to_string(facts.socket_state)) +
                                                   (detail.empty() ? "" : ": " + detail)});
  switch (facts.socket_state) {
    case SocketState::accepted:
      f.status = Status::pass;
      f.message = "the ZDS socket " + path + " accepts a SOCK_SEQPACKET connection";
      break;
    case SocketState::absent:
      f.message = "no ZDS socket at " + path +
                  ": istio-cni is not in ambient mode or not running on this node";
      break;
    case SocketState::not_socket:
      f.message = path + " is " + detail + ", not a socket: istio-cni cannot serve ZDS there";
      break;
    case SocketState::refused:
      f.message = "the ZDS socket " + path +
                  " refuses connections: stale socket, the istio-cni agent on this node is dead";
      break;
    default:
      f.status = Status::unknown;
      f.message =
          "the ZDS socket " + path + " was not probed" + (detail.empty() ? "" : ": " + detail);
  }
  return f;
}

}  // namespace

std::vector<CheckInfo> cni_checks() {
  std::vector<CheckInfo> v;
  v.push_back(
      {"MD301",
       "istiocni-profile",
       "cni",
       Severity::fail,
       {"MD101", "MD103"},
       "IstioCNI/default exists with spec.profile: ambient",
       "ztunnel pods 0/N ready, logging \"failed to connect to the Istio CNI node agent\" "
       "(NotFound); "
       "Istio shows ZTunnelNotHealthy; no pod is enrolled",
       "without the ambient profile the CNI chart keeps cni.ambient.enabled=false: the agent never "
       "opens /var/run/ztunnel/ztunnel.sock and never redirects pod traffic",
       "oc patch istiocni default --type merge -p '{\"spec\":{\"profile\":\"ambient\"}}'\n"
       "oc rollout status ds/istio-cni-node -n istio-cni\n"
       "oc rollout status ds/ztunnel -n ztunnel",
       k_docs_ambient,
       run_cni_profile});
  v.push_back(
      {"MD302",
       "cni-reconcile-iptables",
       "cni",
       Severity::warn,
       {"MD301"},
       "spec.values.cni.ambient.reconcileIptablesOnStartup is true",
       "after an istio-cni upgrade or restart, already-enrolled pods keep stale in-pod iptables "
       "rules",
       "the chart default is false in Istio 1.25–1.28 (true from 1.29); Red Hat's ambient "
       "procedure sets it "
       "explicitly. It only refreshes rules of enrolled pods: it does not repair pods that started "
       "before "
       "ztunnel was ready",
       "oc patch istiocni default --type merge -p "
       "'{\"spec\":{\"values\":{\"cni\":{\"ambient\":{\"reconcileIptablesOnStartup\":true}}}}}'\n"
       "oc rollout status ds/istio-cni-node -n istio-cni",
       k_docs_ambient,
       run_reconcile_iptables});
  v.push_back(
      {"MD303",
       "cni-daemonset-ready",
       "cni",
       Severity::fail,
       {"MD301"},
       "DaemonSet istio-cni-node has every scheduled pod ready and IstioCNI/default is Ready",
       "IstioCNI STATUS DaemonSetNotReady; new ambient pods fail sandbox creation; ztunnel on "
       "those nodes "
       "logs ConnectionRefused",
       "istio-cni-node pods crash or cannot schedule (SELinux/privileges, image pull, node "
       "resources), or "
       "the DaemonSet was never rendered",
       "oc get pods -n istio-cni -l k8s-app=istio-cni-node -o wide\n"
       "oc describe ds istio-cni-node -n istio-cni\n"
       "oc logs -n istio-cni <istio-cni-node-pod> --previous",
       k_docs_ambient,
       run_cni_daemonset});
  v.push_back(
      {"MD304",
       "cni-ambient-enabled",
       "cni",
       Severity::fail,
       {"MD301"},
       "every istio-cni-node log shows the startup line AmbientEnabled: true",
       "istio-cni-node is Running but ztunnel cannot find ztunnel.sock; pods are never enrolled",
       "the running agent was started without ambient enabled (IstioCNI profile not ambient, or "
       "spec.values.cni.ambient.enabled false), so it serves no ZDS socket",
       "oc patch istiocni default --type merge -p '{\"spec\":{\"profile\":\"ambient\"}}'\n"
       "oc rollout status ds/istio-cni-node -n istio-cni\n"
       "oc rollout status ds/ztunnel -n ztunnel",
       k_docs_redirection,
       run_cni_ambient_enabled});
  v.push_back(
      {"MD305",
       "ztunnel-socket",
       "cni",
       Severity::fail,
       {"MD301", "MD303"},
       "on this node the ZDS socket /var/run/ztunnel/ztunnel.sock accepts a SOCK_SEQPACKET connect",
       "ztunnel on this node logs NotFound or ConnectionRefused for ztunnel.sock",
       "the istio-cni agent on this node is not in ambient mode (no socket) or dead (stale socket)",
       "oc get pods -n istio-cni -l k8s-app=istio-cni-node -o wide --field-selector "
       "spec.nodeName=<node>\n"
       "oc delete pod -n istio-cni <istio-cni-node-pod-on-node>",
       k_docs_redirection,
       run_socket});
  return v;
}

}  // namespace meshdoctor::checks
