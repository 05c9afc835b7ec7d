// The table of resource types fakekube serves even when a bundle holds none of their objects.
#include "resource_kinds.hpp"

#include <cctype>

namespace meshdoctor::fakekube {

const std::vector<ResourceType>& known_resources() {
  static const std::vector<ResourceType> table = {
      {"", "pods", "Pod", "v1", true},
      {"", "namespaces", "Namespace", "v1", false},
      {"", "configmaps", "ConfigMap", "v1", true},
      {"", "services", "Service", "v1", true},
      {"", "nodes", "Node", "v1", false},
      {"", "events", "Event", "v1", true},
      {"", "serviceaccounts", "ServiceAccount", "v1", true},
      {"", "endpoints", "Endpoints", "v1", true},
      {"apps", "daemonsets", "DaemonSet", "v1", true},
      {"apps", "deployments", "Deployment", "v1", true},
      {"apps", "replicasets", "ReplicaSet", "v1", true},
      {"apps", "statefulsets", "StatefulSet", "v1", true},
      {"operators.coreos.com", "subscriptions", "Subscription", "v1alpha1", true},
      {"operators.coreos.com", "installplans", "InstallPlan", "v1alpha1", true},
      {"operators.coreos.com", "clusterserviceversions", "ClusterServiceVersion", "v1alpha1", true},
      {"apiextensions.k8s.io", "customresourcedefinitions", "CustomResourceDefinition", "v1", false},
      {"sailoperator.io", "istios", "Istio", "v1", false},
      {"sailoperator.io", "istiocnis", "IstioCNI", "v1", false},
      {"sailoperator.io", "ztunnels", "ZTunnel", "v1", false},
      {"sailoperator.io", "istiorevisions", "IstioRevision", "v1", false},
      {"telemetry.istio.io", "telemetries", "Telemetry", "v1", true},
      {"monitoring.coreos.com", "podmonitors", "PodMonitor", "v1", true},
      {"monitoring.coreos.com", "servicemonitors", "ServiceMonitor", "v1", true},
      {"gateway.networking.k8s.io", "gateways", "Gateway", "v1", true},
      {"kiali.io", "kialis", "Kiali", "v1alpha1", true},
      {"rbac.authorization.k8s.io", "clusterrolebindings", "ClusterRoleBinding", "v1", false},
      {"rbac.authorization.k8s.io", "rolebindings", "RoleBinding", "v1", true},
      {"config.openshift.io", "clusterversions", "ClusterVersion", "v1", false},
      {"operator.openshift.io", "networks", "Network", "v1", false},
  };
  return table;
}

const ResourceType* known_resource(const std::string& group, const std::string& plural) {
  for (const auto& t : known_resources()) {
    if (t.group == group && t.plural == plural) return &t;
  }
  return nullptr;
}

std::string api_group(const std::string& folder_group) { return folder_group == "core" ? "" : folder_group; }

std::string resource_key(const std::string& group, const std::string& plural) {
  return (group.empty() ? "core" : group) + "/" + plural;
}

std::string group_version(const std::string& group, const std::string& version) {
  return group.empty() ? version : group + "/" + version;
}

std::string guess_kind(const std::string& plural) {
  std::string kind = plural;
  if (kind.size() > 3 && kind.ends_with("ies")) kind = kind.substr(0, kind.size() - 3) + "y";
  else if (kind.size() > 1 && kind.ends_with("s")) kind.pop_back();
  if (!kind.empty()) kind[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(kind[0])));
  return kind;
}

}  // namespace meshdoctor::fakekube
