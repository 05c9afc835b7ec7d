// Reading for facts keeps only what the extractors read (probe/object_filter.hpp). These tests
// hold that to its promise: every object of every scenario bundle, every fuzz seed relabelled as
// each routed kind, and hand-made odd shapes give the same facts and the same warnings whether
// add_object sees the whole object or the filtered one — from the YAML event builder, from
// apply_filter and from the live list page reader.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <utility>
#include <vector>

#include "probe/extract.hpp"
#include "probe/list_page.hpp"
#include "probe/object_filter.hpp"
#include "probe/yaml_stream.hpp"

using namespace meshdoctor::probe;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// ---- A text form of everything add_object can put into Facts --------------------------------

struct Text {
  std::ostringstream out;
  Text& operator<<(const std::string& s) {
    out << '"' << s << "\" ";
    return *this;
  }
  Text& operator<<(const char* s) {
    out << s << ' ';
    return *this;
  }
  Text& operator<<(int i) {
    out << i << ' ';
    return *this;
  }
  Text& operator<<(long i) {
    out << i << ' ';
    return *this;
  }
  Text& operator<<(long long i) {
    out << i << ' ';
    return *this;
  }
  Text& operator<<(bool b) {
    out << (b ? "true " : "false ");
    return *this;
  }
  template <class T>
  Text& operator<<(const std::optional<T>& o) {
    if (!o) return *this << "none";
    return *this << *o;
  }
  template <class T>
  Text& operator<<(const std::vector<T>& v) {
    out << "[ ";
    for (const auto& x : v) *this << x;
    out << "] ";
    return *this;
  }
  template <class K, class V>
  Text& operator<<(const std::map<K, V>& m) {
    out << "{ ";
    for (const auto& [k, v] : m) *this << k << v;
    out << "} ";
    return *this;
  }
  Text& operator<<(const Origin& o) { return *this << o.api_version << o.file << o.line; }
  Text& operator<<(const SourceState& s) { return *this << to_string(s.state) << s.detail; }
  Text& operator<<(const Condition& c) { return *this << c.type << c.status << c.reason << c.message << c.last_transition; }
  Text& operator<<(const Subscription& s) {
    return *this << s.ns << s.name << s.package << s.channel << s.source << s.installed_csv << s.current_csv
                 << s.state << s.conditions << s.origin;
  }
  Text& operator<<(const InstallPlan& p) { return *this << p.ns << p.name << p.phase << p.message << p.csv_names << p.conditions << p.origin; }
  Text& operator<<(const ClusterServiceVersion& c) {
    return *this << c.ns << c.name << c.version << c.phase << c.reason << c.message << c.origin;
  }
  Text& operator<<(const CustomResourceDefinition& c) { return *this << c.name << c.spec_versions << c.stored_versions << c.origin; }
  Text& operator<<(const SailCr& c) {
    return *this << c.kind << c.api_version << c.name << c.target_namespace << c.profile << c.values_profile << c.version
                 << c.platform << c.state << c.update_strategy << c.conditions << c.pilot_trusted_ztunnel_namespace
                 << c.toplevel_trusted_ztunnel_namespace << c.pilot_env_enable_ambient << c.cni_ambient_enabled
                 << c.reconcile_iptables_on_startup << c.cni_exclude_namespaces << c.target_ref_kind << c.target_ref_name
                 << c.origin;
  }
  Text& operator<<(const DaemonSet& d) {
    return *this << d.ns << d.name << d.desired << d.current_scheduled << d.ready << d.updated << d.available
                 << d.unavailable << d.origin;
  }
  Text& operator<<(const NodeAgentPod& p) {
    return *this << p.ns << p.name << p.uid << p.node << p.phase << p.ready << p.created << p.start_time << p.ready_since
                 << p.not_ready_since << p.container_start << p.restarts << p.waiting_reason << p.origin;
  }
  Text& operator<<(const WorkloadPod& p) {
    return *this << p.ns << p.name << p.uid << p.node << p.phase << p.ready << p.owner_kind << p.owner_name << p.created
                 << p.start_time << p.container_start << p.redirection << p.has_sidecar_status
                 << p.has_istio_proxy_container << p.dataplane_mode << p.use_waypoint << p.use_waypoint_namespace
                 << p.host_network << p.terminating << p.static_pod << p.origin;
  }
  Text& operator<<(const Namespace& n) { return *this << n.name << n.labels << n.phase << n.pods << n.origin; }
  Text& operator<<(const Deployment& d) { return *this << d.ns << d.name << d.env << d.replicas << d.ready_replicas << d.origin; }
  Text& operator<<(const Telemetry& t) { return *this << t.ns << t.name << t.metrics_providers << t.has_selector_or_target << t.origin; }
  Text& operator<<(const PodMonitor& m) { return *this << m.ns << m.name << m.origin; }
  Text& operator<<(const Listener& l) { return *this << l.name << l.protocol << l.port; }
  Text& operator<<(const Gateway& g) {
    return *this << g.ns << g.name << g.gateway_class << g.waypoint_for << g.listeners << g.conditions << g.origin;
  }
  Text& operator<<(const Kiali& k) {
    return *this << k.ns << k.name << k.prometheus_auth_type << k.use_kiali_token << k.thanos_proxy_enabled
                 << k.prometheus_url << k.origin;
  }
  Text& operator<<(const Subject& s) { return *this << s.kind << s.name << s.ns; }
  Text& operator<<(const ClusterRoleBinding& b) { return *this << b.name << b.role_kind << b.role_name << b.subjects << b.origin; }
  Text& operator<<(const ClusterVersion& v) { return *this << v.version << v.channel << v.origin; }
  Text& operator<<(const NetworkOperator& n) { return *this << n.network_type << n.routing_via_host << n.origin; }
  Text& operator<<(const MonitoringConfig& m) { return *this << m.enable_user_workload << m.origin; }
  template <class T>
  Text& operator<<(const Section<T>& s) {
    return *this << s.source << s.items;
  }
  template <class T>
  Text& operator<<(const Single<T>& s) {
    return *this << s.source << s.value;
  }
};

std::string text_of(const Facts& f) {
  Text t;
  t << "subscriptions" << f.subscriptions << "installplans" << f.install_plans << "csvs" << f.csvs << "crds"
    << f.sail_crds << "istios" << f.istios << "cnis" << f.istio_cnis << "ztunnels" << f.ztunnels << "daemonsets"
    << f.daemonsets << "cni_pods" << f.cni_pods << "ztunnel_pods" << f.ztunnel_pods << "istiod" << f.istiod
    << "namespaces" << f.namespaces << "pods" << f.pods << "telemetries" << f.telemetries << "podmonitors"
    << f.pod_monitors << "gateways" << f.gateways << "kialis" << f.kialis << "bindings" << f.cluster_role_bindings
    << "version" << f.cluster_version << "network" << f.network << "monitoring" << f.monitoring_config << "warnings"
    << f.warnings;
  return t.out.str();
}

// ---- Readers --------------------------------------------------------------------------------

struct Read {
  std::string facts;
  std::vector<int> lines;
  std::string status;
};

Read read_yaml(const std::string& text, const std::string& name, YamlObjects objects) {
  Facts facts;
  Read r;
  auto status = stream_yaml_text(
      text, name,
      [&](json& object, int line) {
        r.lines.push_back(line);
        add_object(facts, object, Origin{"", name, line});
      },
      objects);
  r.status = status ? "ok" : status.error().message;
  r.facts = text_of(facts);
  return r;
}

void same_yaml_reading(const std::string& text, const std::string& name) {
  const Read whole = read_yaml(text, name, YamlObjects::whole);
  const Read filtered = read_yaml(text, name, YamlObjects::for_facts);
  CHECK_MESSAGE(whole.facts == filtered.facts, name);
  CHECK_MESSAGE(whole.lines == filtered.lines, name);
  CHECK_MESSAGE(whole.status == filtered.status, name);
}

std::string facts_of(const std::vector<json>& objects) {
  Facts facts;
  for (const json& o : objects) add_object(facts, o, Origin{"", "t.json", 1});
  return text_of(facts);
}

std::string field_text(const json& o, const char* key) {
  const auto it = o.find(key);
  return it != o.end() && it->is_string() ? it->get<std::string>() : "";
}

json filtered_copy(const json& o) {
  json copy = o;
  if (copy.is_object()) apply_filter(copy, filter_for_object(field_text(o, "apiVersion"), field_text(o, "kind")));
  return copy;
}

// The items of a list page through ListPage, as the live collector reads them.
std::vector<json> page_items(const json& page) {
  ListPage reader;
  auto next = reader.parse("/test", page.dump());
  REQUIRE_MESSAGE(next.has_value(), next.error().message);
  std::vector<json> out;
  reader.deliver(filter_for_object, [&](const json& item) { out.push_back(item); });
  return out;
}

// What KubeClient::list hands out for the same page: every item, apiVersion and kind filled.
std::vector<json> whole_items(const json& page) {
  std::vector<json> out;
  std::string kind = field_text(page, "kind");
  if (kind.ends_with("List")) kind.resize(kind.size() - 4);
  const json api = page.value("apiVersion", json());
  for (json item : page.at("items")) {
    if (!item.is_object()) continue;
    if (!item.contains("apiVersion") && !api.is_null()) item["apiVersion"] = api;
    if (!item.contains("kind") && !kind.empty()) item["kind"] = kind;
    out.push_back(item);
  }
  return out;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<fs::path> files_under(const fs::path& dir, bool object_files_only) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    const std::string ext = it->path().extension().string();
    if (!object_files_only || ext == ".yaml" || ext == ".yml" || ext == ".json") out.push_back(it->path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

const fs::path k_source = MESHDOCTOR_SOURCE_DIR;

const std::vector<std::pair<const char*, const char*>> k_kinds = {
    {"operators.coreos.com/v1alpha1", "Subscription"}, {"operators.coreos.com/v1alpha1", "InstallPlan"},
    {"operators.coreos.com/v1alpha1", "ClusterServiceVersion"}, {"apiextensions.k8s.io/v1", "CustomResourceDefinition"},
    {"sailoperator.io/v1", "Istio"}, {"sailoperator.io/v1", "IstioCNI"}, {"sailoperator.io/v1alpha1", "ZTunnel"},
    {"apps/v1", "DaemonSet"}, {"apps/v1", "Deployment"}, {"v1", "Pod"}, {"v1", "Namespace"}, {"v1", "ConfigMap"},
    {"telemetry.istio.io/v1", "Telemetry"}, {"monitoring.coreos.com/v1", "PodMonitor"},
    {"gateway.networking.k8s.io/v1", "Gateway"}, {"kiali.io/v1alpha1", "Kiali"},
    {"rbac.authorization.k8s.io/v1", "ClusterRoleBinding"}, {"config.openshift.io/v1", "ClusterVersion"},
    {"operator.openshift.io/v1", "Network"}, {"example.com/v1", "Unknown"},
};

// One object as each routed kind: the whole object, apply_filter's copy and a list page's item
// give the same facts.
void same_for_every_kind(json object, const std::string& what) {
  if (!object.is_object()) return;
  if (!object.contains("metadata")) object["metadata"] = {{"name", "istiod"}, {"namespace", "openshift-monitoring"}};
  for (const auto& [api, kind] : k_kinds) {
    object["apiVersion"] = api;
    object["kind"] = kind;
    const std::string whole = facts_of({object});
    CHECK_MESSAGE(whole == facts_of({filtered_copy(object)}), what, " as ", kind);
    json page = {{"apiVersion", "v1"}, {"kind", "List"}, {"metadata", json::object()}, {"items", json::array({object})}};
    CHECK_MESSAGE(whole == facts_of(page_items(page)), what, " as ", kind, " in a list page");
  }
}

}  // namespace

TEST_SUITE("probe::object_filter") {
  TEST_CASE("every object file of every scenario and example bundle reads the same filtered") {
    int files = 0;
    for (const fs::path& dir : {k_source / "tests/scenarios", k_source / "examples"}) {
      for (const fs::path& file : files_under(dir, true)) {
        if (file.string().find("/bundle") == std::string::npos) continue;
        same_yaml_reading(slurp(file), fs::relative(file, k_source).string());
        ++files;
      }
    }
    CHECK(files > 50);
  }

  TEST_CASE("the YAML fuzz seeds read the same filtered") {
    for (const fs::path& file : files_under(k_source / "tests/fuzz/corpus/fuzz_yaml_stream", false))
      same_yaml_reading(slurp(file), file.filename().string());
    for (const fs::path& file : files_under(k_source / "tests/fuzz/regressions/fuzz_yaml_stream", false))
      same_yaml_reading(slurp(file), file.filename().string());
  }

  TEST_CASE("every scenario object as a live list item reads the same filtered") {
    for (const fs::path& file : files_under(k_source / "tests/scenarios", true)) {
      if (file.string().find("/bundle") == std::string::npos) continue;
      std::vector<json> objects;
      (void)stream_yaml_text(slurp(file), file.string(), [&](json& o, int) { objects.push_back(o); });
      if (objects.empty()) continue;
      // As the API server sends a PodList: items without kind and apiVersion.
      const std::string kind = field_text(objects[0], "kind");
      json page = {{"kind", kind + "List"}, {"apiVersion", field_text(objects[0], "apiVersion")},
                   {"metadata", {{"resourceVersion", "1"}}}, {"items", json::array()}};
      for (json o : objects) {
        if (field_text(o, "kind") == kind) {
          o.erase("kind");
          o.erase("apiVersion");
        }
        page["items"].push_back(o);
      }
      CHECK_MESSAGE(facts_of(whole_items(page)) == facts_of(page_items(page)), file.string());
    }
  }

  // Nesting depth, without recursion.
  int depth_of(const json& root) {
    int deepest = 0;
    std::vector<std::pair<const json*, int>> todo{{&root, 1}};
    while (!todo.empty()) {
      const auto [node, depth] = todo.back();
      todo.pop_back();
      deepest = std::max(deepest, depth);
      if (node->is_structured()) {
        for (const auto& child : *node) todo.emplace_back(&child, depth + 1);
      }
    }
    return deepest;
  }

  TEST_CASE("every object fuzz seed, as every kind, reads the same filtered") {
    int seeds = 0;
    for (const fs::path& file : files_under(k_source / "tests/fuzz/corpus/fuzz_extract", false)) {
      const json object = json::parse(slurp(file), nullptr, false);
      if (object.is_discarded()) continue;
      // The corpus holds arrays nested thousands deep: this comparison copies objects
      // recursively, which overflows the stack under AddressSanitizer. The extractor itself reads
      // them in fuzz.fuzz_extract.
      if (depth_of(object) > 200) continue;
      same_for_every_kind(object, file.filename().string());
      ++seeds;
    }
    CHECK(seeds > 10);
  }

  TEST_CASE("values of an unexpected type are kept whole, so their warnings stay") {
    const char* shapes[] = {
        R"({"metadata":["x"],"spec":1,"status":"s"})",
        R"({"metadata":{"name":"p","namespace":"n","labels":["a"],"annotations":{"x":1,"y":{"z":2},"ambient.istio.io/redirection":true},
            "ownerReferences":{"kind":"ReplicaSet"},"creationTimestamp":"not a time","deletionTimestamp":{}},
            "spec":{"containers":{"name":"istio-proxy"},"initContainers":[1,"two",[3],{"name":"istio-proxy","image":"i"}],
                    "nodeName":7,"hostNetwork":"true"},
            "status":{"conditions":[null,{"type":"Ready","status":"True","lastTransitionTime":"bad"},{"type":7}],
                      "containerStatuses":[{"restartCount":"2","state":{"running":"yes","waiting":{"reason":4}}}],
                      "phase":["Running"],"startTime":3}})",
        R"({"metadata":{"name":"istiod","labels":{"istio.io/waypoint-for":1,"a":"b"}},
            "spec":{"template":{"spec":{"containers":[{"name":"discovery","env":[{"name":"A","value":1},{"name":"B","valueFrom":{}},"x"]}]}},
                    "replicas":"3","listeners":[{"port":"80"}],"values":{"cni":{"ambient":"yes","excludeNamespaces":[1,"a"]},
                    "pilot":{"env":{"PILOT_ENABLE_AMBIENT":true}}},"external_services":{"prometheus":"url"},
                    "metrics":[{"providers":"p"},{"providers":[{"name":1},{"name":"prometheus"}]}],"versions":[{"name":2}],
                    "defaultNetwork":{"ovnKubernetesConfig":{"gatewayConfig":[]}}},
            "status":{"history":[{"state":"Completed","completionTime":"x","version":1}],"desired":[],"conditions":"c"},
            "data":{"config.yaml":"enableUserWorkload: [\n"},"roleRef":{"name":"cluster-monitoring-view","kind":1},
            "subjects":[{"kind":"ServiceAccount","name":"kiali","namespace":"istio-system"},"s"]})",
    };
    for (const char* shape : shapes) same_for_every_kind(json::parse(shape), shape);
  }

  TEST_CASE("anchors and aliases read the same, wherever they are defined") {
    same_yaml_reading(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: n\n"
        "  annotations: &ann\n    other: x\n    ambient.istio.io/redirection: enabled\n"
        "  labels: *ann\n"
        "spec:\n  volumes: &vols\n  - name: istio-proxy\n  containers: *vols\n"
        "  affinity:\n    deep: &deep {name: istio-proxy}\n    scalar: &s Running\n"
        "  initContainers:\n  - *deep\nstatus:\n  phase: *s\n",
        "anchors.yaml");
    same_yaml_reading("items:\n- &pod\n  apiVersion: v1\n  kind: Pod\n  metadata: {name: a, namespace: n}\n- *pod\n",
                      "alias-item.yaml");
    same_yaml_reading("&root\napiVersion: v1\nkind: Namespace\nmetadata: {name: a, labels: {x: y}}\n", "root.yaml");
  }

  TEST_CASE("the first of duplicate keys wins in YAML, filtered or not") {
    same_yaml_reading(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: n\n"
        "  annotations:\n    x: text\n    x: 1\n    y: 2\n    y: text\n"
        "  labels: {app: a, app: b}\nkind: Namespace\n",
        "duplicates.yaml");
  }

  TEST_CASE("the last of duplicate keys wins in a JSON page, filtered or not") {
    const std::string body =
        R"({"kind":"PodList","apiVersion":"v1","metadata":{},"items":[{"metadata":{"name":"p","namespace":"n",)"
        R"("annotations":{"x":"text","x":1,"y":2,"y":"text"},"labels":{"app":"a","app":"b"}},"kind":"Pod","kind":"Namespace"}]})";
    const json page = json::parse(body);
    ListPage reader;
    REQUIRE(reader.parse("/test", body).has_value());
    std::vector<json> items;
    reader.deliver(filter_for_object, [&](const json& item) { items.push_back(item); });
    CHECK(facts_of(whole_items(page)) == facts_of(items));
  }

  TEST_CASE("kind and apiVersion after the other fields, or only on the list, read the same") {
    same_yaml_reading(
        "metadata:\n  name: p\n  namespace: n\n  labels: {app: ztunnel}\nspec: {nodeName: w1}\n"
        "status: {phase: Running}\nkind: Pod\napiVersion: v1\n",
        "late-kind.yaml");
    same_yaml_reading(
        "apiVersion: v1\nitems:\n- metadata: {name: a, namespace: n, annotations: {sidecar.istio.io/status: x}}\n"
        "  spec: {containers: [{name: istio-proxy, image: i}]}\nkind: PodList\nmetadata: {resourceVersion: '1'}\n",
        "late-list-kind.yaml");
  }

  TEST_CASE("a filtered pod keeps only what the pod extractor reads") {
    const json pod = json::parse(R"({"apiVersion":"v1","kind":"Pod",
      "metadata":{"name":"p","namespace":"n","uid":"u","managedFields":[{"manager":"m"}],
                  "labels":{"app":"a","pod-template-hash":"h"},"annotations":{"openshift.io/scc":"restricted"}},
      "spec":{"containers":[{"name":"c","image":"i","env":[{"name":"A","value":"B"}]}],"volumes":[{}]},
      "status":{"phase":"Running","podIP":"10.0.0.1"}})");
    const json kept = filtered_copy(pod);
    CHECK(kept == json::parse(R"({"apiVersion":"v1","kind":"Pod",
      "metadata":{"name":"p","namespace":"n","uid":"u","labels":{"app":"a"},"annotations":{}},
      "spec":{"containers":[{"name":"c"}]},"status":{"phase":"Running"}})"));
  }

  TEST_CASE("a page simdjson refuses is read by nlohmann's parser when that accepts it") {
    const std::string body =
        R"({"kind":"PodList","apiVersion":"v1","metadata":{"continue":"next"},"items":[)"
        R"({"metadata":{"name":"p","namespace":"n","big":123456789012345678901234567890}}]})";
    ListPage reader;
    auto next = reader.parse("/test", body);
    REQUIRE_MESSAGE(next.has_value(), next.error().message);
    CHECK(*next == "next");
    std::vector<json> items;
    reader.deliver(filter_for_object, [&](const json& item) { items.push_back(item); });
    REQUIRE(items.size() == 1);
    CHECK(items[0] == json::parse(R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"n"}})"));
  }

  TEST_CASE("a page that is not a list is kube.decode naming the path") {
    for (const char* body : {R"({"kind":"PodList","items":[)", R"({"kind":"PodList"})", R"({"items":{}})", "[]",
                             "", R"({"items":[]} trailing)", "{\"items\":[\"\x01\"]}"}) {
      ListPage reader;
      auto next = reader.parse("/api/v1/pods", body);
      REQUIRE_FALSE(next.has_value());
      CHECK(next.error().code == "kube.decode");
      CHECK(next.error().message.find("/api/v1/pods") != std::string::npos);
    }
    ListPage reader;
    auto empty = reader.parse("/api/v1/pods", R"({"kind":"PodList","items":null})");
    REQUIRE(empty.has_value());
    CHECK(empty->empty());
  }
}
