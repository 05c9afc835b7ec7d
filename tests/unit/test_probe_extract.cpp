#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "probe/extract.hpp"
#include "probe/yaml_stream.hpp"

using namespace meshdoctor::probe;
using nlohmann::json;

namespace {

std::string reference(const char* name) {
  std::ifstream in(std::string(MESHDOCTOR_REFERENCE_DIR) + "/" + name);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Loads every object of a YAML text into fresh facts, as the bundle reader does.
Facts load(const std::string& yaml, const std::string& file = "test.yaml") {
  Facts facts;
  auto status = stream_yaml_text(yaml, file, [&](json& object, int line) {
    add_object(facts, object, Origin{"", file, line});
  });
  REQUIRE_MESSAGE(status.has_value(), (status ? "" : status.error().message));
  return facts;
}

bool has_warning(const Facts& facts, const std::string& needle) {
  for (const auto& w : facts.warnings) {
    if (w.find(needle) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

TEST_SUITE("probe::yaml_stream") {
  TEST_CASE("each document is one object with the line where it starts") {
    std::vector<std::pair<json, int>> seen;
    auto status = stream_yaml_text("# head\na: 1\n---\nb: x\n", "t.yaml",
                                   [&](json& o, int line) { seen.emplace_back(o, line); });
    REQUIRE(status);
    REQUIRE(seen.size() == 2);
    CHECK(seen[0].first["a"] == 1);
    CHECK(seen[0].second == 2);
    CHECK(seen[1].second == 4);
  }

  TEST_CASE("List items are streamed one by one and take the list kind when they lack one") {
    std::vector<std::pair<json, int>> seen;
    const char* yaml =
        "apiVersion: v1\n"
        "items:\n"
        "- metadata: {name: a}\n"
        "- apiVersion: v1\n"
        "  kind: Pod\n"
        "  metadata: {name: b}\n"
        "kind: PodList\n";
    REQUIRE(stream_yaml_text(yaml, "t.yaml", [&](json& o, int line) { seen.emplace_back(o, line); }));
    REQUIRE(seen.size() == 2);
    CHECK(seen[0].first["metadata"]["name"] == "b");  // complete items are not held back
    CHECK(seen[0].second == 4);
    CHECK(seen[1].first["kind"] == "Pod");
    CHECK(seen[1].first["apiVersion"] == "v1");
    CHECK(seen[1].second == 3);
  }

  TEST_CASE("plain scalars resolve to JSON types, quoted ones stay strings") {
    json got;
    REQUIRE(stream_yaml_text("a: true\nb: \"true\"\nc: 42\nd: '42'\ne: ~\nf: 1.5\ng: v1.27.3\nh: 0x10\ni: no\n",
                             "t", [&](json& o, int) { got = o; }));
    CHECK(got["a"] == true);
    CHECK(got["b"] == "true");
    CHECK(got["c"] == 42);
    CHECK(got["d"] == "42");
    CHECK(got["e"].is_null());
    CHECK(got["f"] == 1.5);
    CHECK(got["g"] == "v1.27.3");
    CHECK(got["h"] == 16);
    CHECK(got["i"] == false);
  }

  TEST_CASE("JSON input is read as YAML") {
    json got;
    REQUIRE(stream_yaml_text(R"({"kind":"List","items":[{"kind":"Namespace","metadata":{"name":"x"}}]})",
                             "t.json", [&](json& o, int) { got = o; }));
    CHECK(got["metadata"]["name"] == "x");
  }

  TEST_CASE("a parse error names file, line and column and does not throw") {
    int objects = 0;
    auto status = stream_yaml_text("a: 1\n---\nb: [1, 2\nc: d\n", "ns/core/pods.yaml",
                                   [&](json&, int) { ++objects; });
    REQUIRE_FALSE(status);
    CHECK(status.error().code == "yaml.parse");
    CHECK(status.error().message.rfind("ns/core/pods.yaml:", 0) == 0);
    CHECK(objects == 1);  // what came before the error was delivered
  }

  TEST_CASE("a NUL byte is refused at its line before libfyaml sees the text") {
    using namespace std::string_literals;
    int objects = 0;
    const std::string text = "a: 1\n---\n? ? o: \t\0\0\0kebc\n"s;  // crashed libfyaml 0.7.12's cleanup
    auto status = stream_yaml_text(text, "ns/core/pods.yaml", [&](json&, int) { ++objects; });
    REQUIRE_FALSE(status);
    CHECK(status.error().code == "yaml.parse");
    CHECK(status.error().message == "ns/core/pods.yaml:3: a NUL byte, which YAML text cannot contain");
    CHECK(objects == 0);
    const std::string file = "/tmp/meshdoctor-unit-nul.yaml";
    { std::ofstream(file, std::ios::binary) << text; }
    auto from_file = stream_yaml_file(file, "f.yaml", [&](json&, int) { ++objects; });
    std::remove(file.c_str());
    REQUIRE_FALSE(from_file);
    CHECK(from_file.error().message == "f.yaml:3: a NUL byte, which YAML text cannot contain");
  }

  TEST_CASE("a directive behind a byte order mark is checked like one at a line start") {
    auto status = check_yaml_directives("a: 1\n\xEF\xBB\xBF%apVsn: \xBFv1\n", "bom.yaml");  // hung libfyaml
    REQUIRE_FALSE(status);
    CHECK(status.error().message == "bom.yaml:2: malformed YAML directive (control or non-ASCII bytes after '%')");
    CHECK(check_yaml_directives("\xEF\xBB\xBF%YAML 1.2\n---\na: 1\n", "ok.yaml"));
    CHECK(check_yaml_directives("a: \"100%\"\n", "ok.yaml"));
  }

  TEST_CASE("a top-level boolean of an embedded YAML string") {
    auto v = yaml_top_level_bool("enableUserWorkload: true\n", "enableUserWorkload", "cm");
    REQUIRE(v);
    CHECK(*v == std::optional<bool>(true));
    auto absent = yaml_top_level_bool("prometheusK8s: {}\n", "enableUserWorkload", "cm");
    REQUIRE(absent);
    CHECK_FALSE(absent->has_value());
    CHECK_FALSE(yaml_top_level_bool("a: [\n", "a", "cm"));
  }
}

TEST_SUITE("probe::extract") {
  TEST_CASE("v1alpha1 and v1 ZTunnel CRs with OSSM 3.3 and 3.4 condition styles") {
    const Facts f = load(reference("sample_sail_ztunnel.yaml"));
    REQUIRE(f.ztunnels.items.size() == 4);
    const SailCr& alpha = f.ztunnels.items[0];
    CHECK(alpha.api_version == "sailoperator.io/v1alpha1");
    CHECK(alpha.profile == "ambient");
    CHECK(alpha.target_namespace == "ztunnel");
    CHECK(alpha.state == "Healthy");
    const Condition* ready = find_condition(alpha.conditions, "Ready");
    REQUIRE(ready);
    CHECK(ready->status == "True");
    CHECK(ready->reason.empty());  // OSSM <= 3.3 omits it
    CHECK(ready->last_transition == meshdoctor::util::parse_rfc3339("2025-12-10T09:17:35Z"));

    const SailCr& v1 = f.ztunnels.items[1];
    CHECK(v1.api_version == "sailoperator.io/v1");
    CHECK(v1.profile.empty());
    CHECK(find_condition(v1.conditions, "Ready")->reason == "DaemonSetNotReady");

    const SailCr& v134 = f.ztunnels.items[2];
    CHECK(v134.target_ref_kind == "Istio");
    CHECK(v134.target_ref_name == "default");
    CHECK(find_condition(v134.conditions, "Ready")->reason == "Ready");  // OSSM 3.4: reason == type
    CHECK(v134.origin.file == "test.yaml");
    CHECK(v134.origin.line > 0);
    CHECK(f.warnings.empty());
  }

  TEST_CASE("spec.namespace defaults apply per Sail kind") {
    const Facts f = load(
        "apiVersion: sailoperator.io/v1\nkind: Istio\nmetadata: {name: default}\n---\n"
        "apiVersion: sailoperator.io/v1\nkind: IstioCNI\nmetadata: {name: default}\n---\n"
        "apiVersion: sailoperator.io/v1\nkind: ZTunnel\nmetadata: {name: default}\n");
    CHECK(f.istios.items.at(0).target_namespace == "istio-system");
    CHECK(f.istio_cnis.items.at(0).target_namespace == "istio-cni");
    CHECK(f.ztunnels.items.at(0).target_namespace == "ztunnel");
  }

  TEST_CASE("Istio and IstioCNI fields from the reference samples") {
    const Facts istio = load(reference("sample_sail_istio.yaml"));
    REQUIRE_FALSE(istio.istios.items.empty());
    const SailCr& a = istio.istios.items[0];
    CHECK(a.profile == "ambient");
    CHECK(a.update_strategy == "InPlace");
    CHECK(a.pilot_trusted_ztunnel_namespace == "ztunnel");
    CHECK_FALSE(a.toplevel_trusted_ztunnel_namespace);
    CHECK(find_condition(istio.istios.items[1].conditions, "DependenciesHealthy")->reason ==
          "ZTunnelNotHealthy");

    const Facts cni = load(reference("sample_sail_istiocni.yaml"));
    REQUIRE(cni.istio_cnis.items.size() == 3);
    CHECK(cni.istio_cnis.items[0].reconcile_iptables_on_startup == true);
    CHECK(cni.istio_cnis.items[0].profile == "ambient");
    CHECK_FALSE(cni.istio_cnis.items[1].reconcile_iptables_on_startup);
  }

  TEST_CASE("OLM objects and the sailoperator CRD of a blocked TP-to-GA upgrade") {
    const Facts f = load(reference("sample_olm_tp2_to_ga_blocked.yaml"));
    REQUIRE(f.sail_crds.items.size() == 1);
    CHECK(f.sail_crds.items[0].stored_versions == std::vector<std::string>{"v1alpha1"});
    REQUIRE_FALSE(f.subscriptions.items.empty());
    const Subscription& s = f.subscriptions.items[0];
    CHECK(s.package == "servicemeshoperator3");
    CHECK(s.channel == "stable");
    CHECK(s.installed_csv == "servicemeshoperator3.v3.0.0-tp.2");
    CHECK(find_condition(s.conditions, "InstallPlanFailed")->message.find("risk of data loss") == 0);
    REQUIRE_FALSE(f.install_plans.items.empty());
    CHECK(f.install_plans.items[0].csv_names == std::vector<std::string>{"servicemeshoperator3.v3.0.0"});
  }

  TEST_CASE("monitoring, telemetry, waypoint, RBAC and Kiali objects") {
    const Facts f = load(reference("sample_monitoring_ossm_ambient.yaml"));
    REQUIRE(f.monitoring_config.value);
    CHECK(f.monitoring_config.value->enable_user_workload == true);
    REQUIRE(f.telemetries.items.size() == 2);
    CHECK(f.telemetries.items[0].metrics_providers == std::vector<std::string>{"prometheus"});
    CHECK_FALSE(f.telemetries.items[0].has_selector_or_target);
    CHECK(f.telemetries.items[1].has_selector_or_target);
    CHECK(f.pod_monitors.items.size() == 3);
    REQUIRE(f.gateways.items.size() == 1);
    CHECK(f.gateways.items[0].waypoint_for == "service");
    CHECK(f.gateways.items[0].listeners.at(0).port == 15008);
    CHECK(f.gateways.items[0].listeners.at(0).protocol == "HBONE");
    REQUIRE(f.cluster_role_bindings.items.size() == 1);
    CHECK(f.cluster_role_bindings.items[0].subjects.at(0).name == "kiali-service-account");
    REQUIRE(f.kialis.items.size() == 1);
    CHECK(f.kialis.items[0].use_kiali_token == true);
    CHECK(f.kialis.items[0].thanos_proxy_enabled == true);
    CHECK(f.kialis.items[0].prometheus_auth_type == "bearer");
  }

  TEST_CASE("platform objects: ClusterVersion falls back to the newest Completed history entry") {
    const Facts f = load(
        "apiVersion: config.openshift.io/v1\nkind: ClusterVersion\nmetadata: {name: version}\n"
        "spec: {channel: stable-4.19}\nstatus:\n  history:\n"
        "  - {state: Partial, version: 4.19.9, completionTime: null}\n"
        "  - {state: Completed, version: 4.19.3, completionTime: '2026-01-02T00:00:00Z'}\n"
        "  - {state: Completed, version: 4.18.20, completionTime: '2025-10-02T00:00:00Z'}\n"
        "---\napiVersion: operator.openshift.io/v1\nkind: Network\nmetadata: {name: cluster}\n"
        "spec: {defaultNetwork: {type: OVNKubernetes, ovnKubernetesConfig: {gatewayConfig: {routingViaHost: true}}}}\n");
    REQUIRE(f.cluster_version.value);
    CHECK(f.cluster_version.value->version == "4.19.3");
    CHECK(f.cluster_version.value->channel == "stable-4.19");
    REQUIRE(f.network.value);
    CHECK(f.network.value->network_type == "OVNKubernetes");
    CHECK(f.network.value->routing_via_host == true);
  }

  TEST_CASE("pods are classified as ztunnel, istio-cni-node or workload") {
    const Facts f = load(R"(apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Pod
  metadata:
    name: ztunnel-abcde
    namespace: ztunnel
    uid: u1
    ownerReferences: [{kind: DaemonSet, name: ztunnel, controller: true}]
  spec: {nodeName: worker-0}
  status:
    phase: Running
    startTime: "2026-11-20T10:00:00Z"
    conditions: [{type: Ready, status: "True", lastTransitionTime: "2026-11-20T10:00:30Z"}]
    containerStatuses:
    - {name: istio-proxy, restartCount: 2, state: {running: {startedAt: "2026-11-20T10:00:05Z"}}}
- apiVersion: v1
  kind: Pod
  metadata: {name: istio-cni-node-xk0q, namespace: istio-cni, labels: {k8s-app: istio-cni-node}}
  spec: {nodeName: worker-0}
  status:
    phase: Running
    containerStatuses:
    - {name: install-cni, restartCount: 1, state: {waiting: {reason: CrashLoopBackOff}}}
- apiVersion: v1
  kind: Pod
  metadata:
    name: productpage-v1-54bb874995-7xk2p
    namespace: bookinfo
    uid: u3
    creationTimestamp: "2026-11-20T09:00:00Z"
    deletionTimestamp: "2026-11-20T12:00:00Z"
    labels: {app: productpage, istio.io/dataplane-mode: ambient, istio.io/use-waypoint: waypoint}
    annotations: {ambient.istio.io/redirection: enabled, sidecar.istio.io/status: "{}"}
    ownerReferences:
    - {kind: Node, name: n, controller: false}
    - {kind: ReplicaSet, name: productpage-v1-54bb874995, controller: true}
  spec:
    nodeName: worker-1
    hostNetwork: true
    containers: [{name: app}, {name: istio-proxy}]
  status:
    phase: Running
    conditions: [{type: Ready, status: "False"}]
    containerStatuses:
    - {name: app, state: {running: {startedAt: "2026-11-20T09:00:10Z"}}}
    - {name: istio-proxy, state: {running: {startedAt: "2026-11-20T09:00:20Z"}}}
)");
    REQUIRE(f.ztunnel_pods.items.size() == 1);
    const NodeAgentPod& z = f.ztunnel_pods.items[0];
    CHECK(z.node == "worker-0");
    CHECK(z.ready);
    CHECK(z.ready_since == meshdoctor::util::parse_rfc3339("2026-11-20T10:00:30Z"));
    CHECK(z.container_start == meshdoctor::util::parse_rfc3339("2026-11-20T10:00:05Z"));
    CHECK(z.restarts == 2);
    CHECK(z.origin.line == 4);
    REQUIRE(f.cni_pods.items.size() == 1);
    CHECK(f.cni_pods.items[0].waiting_reason == "CrashLoopBackOff");
    CHECK_FALSE(f.cni_pods.items[0].ready);
    REQUIRE(f.pods.items.size() == 1);
    const WorkloadPod& p = f.pods.items[0];
    CHECK(p.owner_kind == "ReplicaSet");
    CHECK(p.owner_name == "productpage-v1-54bb874995");
    CHECK(p.redirection == "enabled");
    CHECK(p.has_sidecar_status);
    CHECK(p.has_istio_proxy_container);
    CHECK(p.dataplane_mode == "ambient");
    CHECK(p.use_waypoint == "waypoint");
    CHECK(p.host_network);
    CHECK(p.terminating);
    CHECK_FALSE(p.static_pod);
    CHECK_FALSE(p.ready);
    CHECK(p.container_start == meshdoctor::util::parse_rfc3339("2026-11-20T09:00:20Z"));
    CHECK(p.created == meshdoctor::util::parse_rfc3339("2026-11-20T09:00:00Z"));
  }

  TEST_CASE("only the mesh's DaemonSets and istiod Deployments are kept") {
    const Facts f = load(R"(apiVersion: apps/v1
kind: DaemonSet
metadata: {name: ztunnel, namespace: ztunnel}
status: {desiredNumberScheduled: 3, currentNumberScheduled: 3, numberReady: 1, numberUnavailable: 2}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: node-exporter, namespace: openshift-monitoring}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: istiod-default-v1-27-3, namespace: istio-system}
spec:
  template:
    spec:
      containers:
      - name: discovery
        env:
        - {name: CA_TRUSTED_NODE_ACCOUNTS, value: ztunnel/ztunnel}
        - {name: POD_NAME, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
status: {readyReplicas: 1}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: kiali, namespace: istio-system}
)");
    REQUIRE(f.daemonsets.items.size() == 1);
    CHECK(f.daemonsets.items[0].ready == 1);
    CHECK(f.daemonsets.items[0].unavailable == 2);
    REQUIRE(f.istiod.items.size() == 1);
    CHECK(f.istiod.items[0].env.at("CA_TRUSTED_NODE_ACCOUNTS") == "ztunnel/ztunnel");
    CHECK(f.istiod.items[0].env.count("POD_NAME") == 0);
    CHECK(f.istiod.items[0].replicas == 1);
  }

  TEST_CASE("wrong field types are skipped with a warning naming file and line, never thrown") {
    const Facts f = load(R"(apiVersion: sailoperator.io/v1
kind: IstioCNI
metadata: {name: default}
spec:
  profile: 42
  namespace: [a, b]
  values: [1, 2]
status:
  conditions: {type: Ready}
---
apiVersion: v1
kind: Namespace
metadata:
  name: bookinfo
  labels: [istio.io/dataplane-mode]
---
apiVersion: v1
kind: Pod
metadata: {name: p, namespace: bookinfo, annotations: {ambient.istio.io/redirection: 1}}
spec: "not a map"
status: {containerStatuses: [1, {restartCount: "x"}]}
---
apiVersion: v1
kind: Pod
metadata: {namespace: bookinfo}
---
apiVersion: v1
kind: Namespace
metadata: 7
)",
                           "bad.yaml");
    REQUIRE(f.istio_cnis.items.size() == 1);
    CHECK(f.istio_cnis.items[0].profile.empty());
    CHECK(f.istio_cnis.items[0].target_namespace == "istio-cni");
    CHECK(f.istio_cnis.items[0].conditions.empty());
    CHECK(has_warning(f, "bad.yaml:1: IstioCNI default: spec.profile: expected string, got number"));
    CHECK(has_warning(f, "spec.values: expected map, got array"));
    REQUIRE(f.namespaces.items.size() == 1);
    CHECK(f.namespaces.items[0].labels.empty());
    CHECK(has_warning(f, "bad.yaml:11: Namespace bookinfo: metadata.labels"));
    REQUIRE(f.pods.items.size() == 1);
    CHECK_FALSE(f.pods.items[0].redirection);
    CHECK(has_warning(f, "metadata.name missing; object skipped"));
  }
}
