// The ML rules of `meshdoctor lint` on literal manifests: what fires, where (file:line), and what
// stays pass, skipped or unknown. The fixture sets of tests/lint run through the CLI test.
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "checks/catalogue.hpp"
#include "lint/lint.hpp"

using namespace meshdoctor;
using checks::Status;

namespace {

lint::ManifestSet set_of(const std::string& text, const std::string& name = "m.yaml") {
  lint::ManifestSet set;
  lint::add_text(set, text, name);
  return set;
}

checks::Finding rule(const lint::ManifestSet& set,
                     const std::string& id,
                     const lint::LintContext& ctx = {}) {
  checks::Diagnosis d = lint::lint(set, ctx, {}, {"m.yaml"});
  const checks::Finding* f = d.find(id);
  REQUIRE(f != nullptr);
  return *f;
}

std::set<int> lines(const checks::Finding& f) {
  std::set<int> out;
  for (const auto& e : f.evidence) out.insert(e.line);
  return out;
}

const std::string k_cni_head =
    "apiVersion: sailoperator.io/v1\n"  // 1
    "kind: IstioCNI\n"                  // 2
    "metadata:\n"                       // 3
    "  name: default\n"                 // 4
    "spec:\n";                          // 5

const std::string k_istio =
    "apiVersion: sailoperator.io/v1\n"           // 1
    "kind: Istio\n"                              // 2
    "metadata:\n"                                // 3
    "  name: default\n"                          // 4
    "spec:\n"                                    // 5
    "  namespace: istio-system\n"                // 6
    "  profile: ambient\n"                       // 7
    "  values:\n"                                // 8
    "    pilot:\n"                               // 9
    "      trustedZtunnelNamespace: ztunnel\n";  // 10

std::string ztunnel(const std::string& ns, const std::string& wave = "") {
  std::string out =
      "---\napiVersion: sailoperator.io/v1\nkind: ZTunnel\nmetadata:\n  name: default\n";
  if (!wave.empty()) out += "  annotations:\n    argocd.argoproj.io/sync-wave: \"" + wave + "\"\n";
  return out + "spec:\n  namespace: " + ns + "\n";
}

std::string ns(const std::string& name, const std::string& labels, const std::string& wave = "") {
  std::string out = "---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: " + name + "\n";
  if (!labels.empty()) out += "  labels:\n" + labels;
  if (!wave.empty()) out += "  annotations:\n    argocd.argoproj.io/sync-wave: \"" + wave + "\"\n";
  return out;
}

}  // namespace

TEST_SUITE("lint::rules") {
  TEST_CASE("every catalogue rule has an implementation, in ID order") {
    const auto& cat = checks::lint_catalogue();
    const auto& impl = lint::rules();
    REQUIRE(cat.size() == impl.size());
    for (std::size_t i = 0; i < cat.size(); ++i) {
      CHECK(cat[i].id == impl[i].id);
      CHECK(cat[i].category == "lint");
      CHECK_FALSE(cat[i].fix.empty());
      CHECK(checks::find_check(cat[i].id) == &cat[i]);
    }
  }

  TEST_CASE("ML001: spec.values.cni.ambient.enabled false overrides the ambient profile") {
    auto set =
        set_of(k_cni_head +
               "  profile: ambient\n  values:\n    cni:\n      ambient:\n        enabled: false\n");
    auto f = rule(set, "ML001");
    CHECK(f.status == Status::fail);
    CHECK(lines(f) == std::set<int>{10});
    CHECK(f.evidence[0].file == "m.yaml");
    CHECK(f.evidence[0].source == "m.yaml:10");
  }

  TEST_CASE("ML001 passes on spec.values.profile ambient; missing profile fails at spec") {
    CHECK(rule(set_of(k_cni_head + "  values:\n    profile: ambient\n"), "ML001").status ==
          Status::pass);
    auto f = rule(set_of(k_cni_head + "  namespace: istio-cni\n"), "ML001");
    CHECK(f.status == Status::fail);
    CHECK(lines(f) == std::set<int>{5});
  }

  TEST_CASE(
      "ML002: reconcileIptablesOnStartup false warns at its line; a quoted \"true\" is no "
      "boolean") {
    auto f = rule(set_of(k_cni_head + "  profile: ambient\n  values:\n    cni:\n      ambient:\n"
                                      "        reconcileIptablesOnStartup: false\n"),
                  "ML002");
    CHECK(f.status == Status::warn);
    CHECK(lines(f) == std::set<int>{10});
    auto q = rule(set_of(k_cni_head + "  values:\n    cni:\n      ambient:\n"
                                      "        reconcileIptablesOnStartup: \"true\"\n"),
                  "ML002");
    CHECK(q.status == Status::warn);
  }

  TEST_CASE("rules without their inputs are skipped, with the reason") {
    auto set = set_of("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n");
    auto d = lint::lint(set, {}, {}, {"m.yaml"});
    for (const auto& f : d.findings) {
      CHECK_MESSAGE(f.status == Status::skipped, f.id);
      CHECK_FALSE(f.message.empty());
    }
    CHECK(checks::exit_code(d, false) == 0);
  }

  TEST_CASE("ML004: istiod may keep the kube-system default only when ZTunnel runs there") {
    const std::string no_trust =
        "apiVersion: sailoperator.io/v1\nkind: Istio\nmetadata: {name: default}\n"
        "spec:\n  profile: ambient\n";
    CHECK(rule(set_of(no_trust + ztunnel("kube-system")), "ML004").status == Status::pass);
    auto f = rule(set_of(no_trust + ztunnel("ztunnel")), "ML004");
    CHECK(f.status == Status::fail);
    CHECK(lines(f) == std::set<int>{4});
  }

  TEST_CASE("ML004: a trusted namespace that differs from the ZTunnel's names both") {
    auto f = rule(set_of(k_istio + ztunnel("zt-system")), "ML004");
    CHECK(f.status == Status::fail);
    CHECK(lines(f) == std::set<int>{10});
    CHECK(f.evidence[0].detail.find("zt-system") != std::string::npos);
    CHECK(f.evidence[0].detail.find("m.yaml:17") != std::string::npos);
  }

  TEST_CASE("ML005: an IstioCNI not named default fails at metadata.name") {
    auto f =
        rule(set_of("apiVersion: sailoperator.io/v1\nkind: IstioCNI\nmetadata:\n  name: cni\n"),
             "ML005");
    CHECK(f.status == Status::fail);
    CHECK(lines(f) == std::set<int>{4});
  }

  TEST_CASE("ML006: a stray earlier-phase resource is blamed, not everything after it") {
    // Phase 1 namespaces at wave 1, but IstioCNI at wave 5, after Istio and ZTunnel (wave 2).
    std::string text =
        ns("istio-system", "", "1") + ns("istio-cni", "", "1") + ns("ztunnel", "", "1") +
        "---\napiVersion: sailoperator.io/v1\nkind: IstioCNI\nmetadata:\n  name: default\n"
        "  annotations:\n    argocd.argoproj.io/sync-wave: \"5\"\n"
        "---\napiVersion: sailoperator.io/v1\nkind: Istio\nmetadata:\n  name: default\n"
        "  annotations:\n    argocd.argoproj.io/sync-wave: \"2\"\n" +
        ztunnel("ztunnel", "2");
    auto f = rule(set_of(text), "ML006");
    CHECK(f.status == Status::fail);
    REQUIRE(f.evidence.size() == 1);
    CHECK(f.evidence[0].line == 28);
    CHECK(f.evidence[0].detail.find("IstioCNI default") == 0);
    CHECK(f.evidence[0].detail.find("at sync-wave 2") != std::string::npos);
  }

  TEST_CASE("ML006: no annotation means wave 0, and a non-integer wave is a finding") {
    std::string text = ns("istio-system", "", "1") +
                       ns("bookinfo", "    istio.io/dataplane-mode: ambient\n") +
                       ns("apps", "    istio.io/dataplane-mode: ambient\n", "soon");
    auto f = rule(set_of(text), "ML006");
    CHECK(f.status == Status::fail);
    CHECK(lines(f) == std::set<int>{11, 23});
  }

  TEST_CASE("ML007: the off-mesh list is configurable") {
    auto set =
        set_of(ns("stackrox", "    istio.io/dataplane-mode: ambient\n") + ns("payments", ""));
    lint::LintContext ctx;
    ctx.off_mesh_namespaces = {"payments"};
    auto f = rule(set, "ML007", ctx);
    CHECK(f.status == Status::warn);
    CHECK(lines(f) == std::set<int>{11});
    CHECK(rule(set, "ML007").status == Status::fail);
  }

  TEST_CASE("ML009: pod templates and use-waypoint-namespace are followed") {
    const std::string gw =
        "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\n"
        "metadata: {name: shared, namespace: mesh-gw}\n"
        "spec:\n  gatewayClassName: istio-waypoint\n";
    const std::string deploy =
        "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\n"
        "spec:\n  template:\n    metadata:\n      labels:\n"
        "        istio.io/use-waypoint: shared\n";
    auto f = rule(set_of(gw + deploy), "ML009");
    CHECK(f.status == Status::fail);
    CHECK(lines(f) == std::set<int>{14});
    auto ok =
        rule(set_of(gw + deploy + "        istio.io/use-waypoint-namespace: mesh-gw\n"), "ML009");
    CHECK(ok.status == Status::pass);
  }

  TEST_CASE("ML010: a Telemetry scoped to a waypoint does not make metrics mesh-wide") {
    const std::string tel =
        "---\napiVersion: telemetry.istio.io/v1\nkind: Telemetry\n"
        "metadata: {name: waypoint-metrics, namespace: istio-system}\n"
        "spec:\n  targetRefs:\n  - {kind: Gateway, name: waypoint}\n"
        "  metrics:\n  - providers:\n    - name: prometheus\n";
    auto f = rule(set_of(k_istio + tel), "ML010");
    CHECK(f.status == Status::fail);
    CHECK(lines(f) == std::set<int>{12});
  }

  TEST_CASE("ML012: external_services beside spec (the doc copy) is called out") {
    const std::string kiali =
        "apiVersion: kiali.io/v1alpha1\nkind: Kiali\nmetadata: {name: kiali, namespace: "
        "istio-system}\n"
        "spec: {}\n"
        "external_services:\n  prometheus:\n    auth: {use_kiali_token: true}\n";
    auto f = rule(set_of(kiali), "ML012");
    CHECK(f.status == Status::fail);
    CHECK(lines(f) == std::set<int>{4, 5});
  }

  TEST_CASE("ML013: the service account follows spec.deployment.instance_name") {
    const std::string kiali =
        "apiVersion: kiali.io/v1alpha1\nkind: Kiali\nmetadata: {name: k, namespace: mesh}\n"
        "spec:\n  deployment: {instance_name: ossm}\n"
        "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: "
        "b}\n"
        "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "
        "cluster-monitoring-view}\n"
        "subjects:\n- {kind: ServiceAccount, name: ossm-service-account, namespace: mesh}\n";
    CHECK(rule(set_of(kiali), "ML013").status == Status::pass);
  }

  TEST_CASE("ML014/ML015: disabled entries are ignored; an unset channel is the package default") {
    lint::ManifestSet set;
    lint::add_text(set,
                   "clusterGroup:\n  name: hub\n  subscriptions:\n    ossm:\n"
                   "      name: servicemeshoperator3\n      channel: stable\n",
                   "values-hub.yaml");
    lint::add_text(set,
                   "clusterGroup:\n  subscriptions:\n    ossm:\n      name: servicemeshoperator3\n"
                   "    old:\n      name: servicemeshoperator3\n      channel: candidates\n"
                   "      disabled: true\n",
                   "values-edge.yaml");
    auto d = lint::lint(set, {}, {}, {"values-hub.yaml", "values-edge.yaml"});
    CHECK(d.find("ML014")->status == Status::pass);
    CHECK(d.find("ML015")->status == Status::pass);
    lint::add_text(set,
                   "clusterGroup:\n  subscriptions:\n    ossm:\n      name: servicemeshoperator3\n"
                   "      channel: stable-3.1\n",
                   "values-factory.yaml");
    auto d2 = lint::lint(set, {}, {}, {});
    const auto* f = d2.find("ML015");
    CHECK(f->status == Status::fail);
    REQUIRE(f->evidence.size() == 1);
    CHECK(f->evidence[0].source == "values-factory.yaml:5");
    CHECK(f->evidence[0].detail.find("values-hub.yaml:6") != std::string::npos);
  }

  TEST_CASE("a file that does not parse turns silence into unknown, but keeps what failed") {
    lint::ManifestSet set = set_of(k_cni_head + "  profile: default\n");
    lint::add_text(set, "kind: [\n", "broken.yaml");
    auto d = lint::lint(set, {}, {}, {"m.yaml", "broken.yaml"});
    CHECK(d.find("ML001")->status == Status::fail);
    const auto* u = d.find("ML010");
    CHECK(u->status == Status::unknown);
    REQUIRE_FALSE(u->evidence.empty());
    CHECK(u->evidence[0].file == "broken.yaml");
    CHECK(u->evidence[0].detail.rfind("broken.yaml:", 0) == 0);
    CHECK(checks::exit_code(d, false) == 1);
  }

  TEST_CASE("the diagnosis names its source and honours --only") {
    auto set = set_of(k_cni_head + "  profile: default\n");
    auto d = lint::lint(set, {}, {{"ML002"}, {}}, {"a.yaml", "b/"});
    CHECK(d.source.kind == "manifests");
    CHECK(d.source.path == "a.yaml, b/");
    CHECK(d.find("ML001")->status == Status::skipped);
    CHECK(d.find("ML002")->status == Status::warn);
    CHECK(d.findings.size() == checks::lint_catalogue().size());
  }
}
