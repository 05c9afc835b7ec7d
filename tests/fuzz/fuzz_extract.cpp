// One Kubernetes object (JSON) → Facts via add_object: the object as given, then re-labelled as
// each kind the extractor routes, so every extractor sees every shape. add_object promises to
// never throw; a throw out of it ends the fuzzer (libFuzzer reports the uncaught exception).
#include <array>
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string_view>

#include "probe/extract.hpp"

namespace {

struct Kind {
  std::string_view api_version, kind;
};

// The routes of probe/extract.cpp (group/version + kind).
constexpr std::array k_kinds = {
    Kind{"operators.coreos.com/v1alpha1", "Subscription"},
    Kind{"operators.coreos.com/v1alpha1", "InstallPlan"},
    Kind{"operators.coreos.com/v1alpha1", "ClusterServiceVersion"},
    Kind{"apiextensions.k8s.io/v1", "CustomResourceDefinition"},
    Kind{"sailoperator.io/v1", "Istio"},
    Kind{"sailoperator.io/v1", "IstioCNI"},
    Kind{"sailoperator.io/v1", "ZTunnel"},
    Kind{"apps/v1", "DaemonSet"},
    Kind{"apps/v1", "Deployment"},
    Kind{"v1", "Pod"},
    Kind{"v1", "Namespace"},
    Kind{"v1", "ConfigMap"},
    Kind{"telemetry.istio.io/v1", "Telemetry"},
    Kind{"monitoring.coreos.com/v1", "PodMonitor"},
    Kind{"gateway.networking.k8s.io/v1", "Gateway"},
    Kind{"kiali.io/v1alpha1", "Kiali"},
    Kind{"rbac.authorization.k8s.io/v1", "ClusterRoleBinding"},
    Kind{"config.openshift.io/v1", "ClusterVersion"},
    Kind{"operator.openshift.io/v1", "Network"},
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace meshdoctor::probe;
  using nlohmann::json;
  // No exceptions: invalid JSON is a discarded value.
  json object = json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
  if (object.is_discarded()) return 0;

  Facts facts;
  const Origin origin{"", "fuzz/object.json", 1};
  (void)add_object(facts, object, origin);  // any value: arrays, scalars, unknown kinds
  if (!object.is_object()) return 0;

  json relabelled = object;
  // When the input names no object, give it one so the extractors get past metadata.name.
  if (!relabelled.contains("metadata")) relabelled["metadata"] = {{"name", "fuzz"}, {"namespace", "ns"}};
  for (const Kind& k : k_kinds) {
    relabelled["apiVersion"] = k.api_version;
    relabelled["kind"] = k.kind;
    Facts per_kind;
    (void)add_object(per_kind, relabelled, origin);
    (void)add_object(facts, relabelled, origin);  // and accumulated, as a bundle would
  }
  return 0;
}
