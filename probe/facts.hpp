#pragma once
// Facts: the compact, source-independent evidence that checks read. Filled by the bundle reader
// (offline) or the live collector; never whole Kubernetes objects. Every section records how it
// was obtained so that a check can say "unknown" (with the reason) instead of a false "pass".
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "util/time.hpp"

namespace meshdoctor::probe {

using util::Micros;

// How a section of facts was obtained.
//  collected  – the source answered; an empty list really means "none exist"
//               (live: a 404 on a CRD list is collected+empty with detail "CRD not installed").
//  not_found  – the source holds no data for it (bundle file/folder absent, log rotated away).
//  forbidden  – RBAC refused; detail names verb and resource ("list pods in bookinfo").
//  error      – the data exists but could not be read or parsed; detail names file:line / reason.
enum class Obtained { not_found, collected, forbidden, error };

struct SourceState {
  Obtained state = Obtained::not_found;
  std::string detail;  // reason, refused permission, or "file:line: message"; where it came from
  bool ok() const { return state == Obtained::collected; }
};

const char* to_string(Obtained o);

// A section of facts plus how it was obtained.
template <class T>
struct Section {
  SourceState source;
  std::vector<T> items;
};

template <class T>
struct Single {
  SourceState source;
  std::optional<T> value;  // empty with source collected = the object does not exist
};

struct Condition {
  std::string type;
  std::string status;  // "True" | "False" | "Unknown"
  std::string reason;  // OSSM <=3.3 leaves it empty on True conditions
  std::string message;
  std::optional<Micros> last_transition;
};

// Finds a condition by type; nullptr when absent.
const Condition* find_condition(const std::vector<Condition>& conditions, const std::string& type);

// Where a fact came from, for evidence lines: "sailoperator.io/v1 IstioCNI default",
// and the bundle file (with line) when read offline.
struct Origin {
  std::string api_version;  // "sailoperator.io/v1"
  std::string file;         // bundle-relative path, empty when live
  int line = 0;             // 1-based line of the object in the file, 0 when unknown
};

// ---- OLM ------------------------------------------------------------------------------------

struct Subscription {
  std::string ns, name;
  std::string package;  // spec.name
  std::string channel;  // spec.channel
  std::string source;   // spec.source
  std::string installed_csv, current_csv, state;
  std::vector<Condition> conditions;
  Origin origin;
};

struct InstallPlan {
  std::string ns, name;
  std::string phase, message;
  std::vector<std::string> csv_names;  // spec.clusterServiceVersionNames
  std::vector<Condition> conditions;
  Origin origin;
};

struct ClusterServiceVersion {
  std::string ns, name;
  std::string version;  // spec.version
  std::string phase, reason, message;
  Origin origin;
};

struct CustomResourceDefinition {
  std::string name;                          // "istios.sailoperator.io"
  std::vector<std::string> spec_versions;    // spec.versions[].name
  std::vector<std::string> stored_versions;  // status.storedVersions
  Origin origin;
};

// ---- Sail CRs (Istio, IstioCNI, ZTunnel; v1 and v1alpha1) -----------------------------------

struct SailCr {
  std::string kind;         // "Istio" | "IstioCNI" | "ZTunnel"
  std::string api_version;  // "sailoperator.io/v1" | "sailoperator.io/v1alpha1"
  std::string name;
  std::string target_namespace;  // spec.namespace (defaults applied: istio-system/istio-cni/ztunnel)
  std::string profile;           // spec.profile ("" when unset)
  std::string values_profile;    // spec.values.profile
  std::string version;           // spec.version
  std::string platform;          // spec.values.global.platform
  std::string state;             // status.state
  std::optional<std::string> update_strategy;  // Istio spec.updateStrategy.type
  std::vector<Condition> conditions;
  // Istio
  std::optional<std::string> pilot_trusted_ztunnel_namespace;     // spec.values.pilot.trustedZtunnelNamespace
  std::optional<std::string> toplevel_trusted_ztunnel_namespace;  // spec.values.trustedZtunnelNamespace (pruned!)
  std::optional<std::string> pilot_env_enable_ambient;            // spec.values.pilot.env.PILOT_ENABLE_AMBIENT
  // IstioCNI
  std::optional<bool> cni_ambient_enabled;            // spec.values.cni.ambient.enabled
  std::optional<bool> reconcile_iptables_on_startup;  // spec.values.cni.ambient.reconcileIptablesOnStartup
  std::vector<std::string> cni_exclude_namespaces;    // spec.values.cni.excludeNamespaces
  // ZTunnel
  std::string target_ref_kind, target_ref_name;  // spec.targetRef (v1, OSSM 3.4+)
  Origin origin;
};

// ---- Workloads of the mesh itself -----------------------------------------------------------

struct DaemonSet {
  std::string ns, name;
  int desired = 0;            // status.desiredNumberScheduled
  int current_scheduled = 0;  // status.currentNumberScheduled
  int ready = 0;              // status.numberReady
  int updated = 0;            // status.updatedNumberScheduled
  int available = 0;          // status.numberAvailable
  int unavailable = 0;        // status.numberUnavailable
  // Status fields present with the wrong type: the counts above are not the cluster's.
  std::vector<std::string> unreadable;
  Origin origin;
};

// A ztunnel or istio-cni-node pod (one per node).
struct NodeAgentPod {
  std::string ns, name, uid, node;
  std::string phase;
  bool ready = false;                     // Ready condition True
  std::optional<Micros> created;          // metadata.creationTimestamp
  std::optional<Micros> start_time;       // status.startTime
  std::optional<Micros> ready_since;      // Ready=True lastTransitionTime
  std::optional<Micros> not_ready_since;  // Ready!=True lastTransitionTime (when it stopped/never was)
  std::optional<Micros> container_start;  // latest containerStatuses[].state.running.startedAt
  int restarts = 0;                       // sum of containerStatuses[].restartCount
  std::string waiting_reason;             // e.g. CrashLoopBackOff, from any container
  Origin origin;
};

// ---- Workload pods in ambient-relevant namespaces --------------------------------------------

struct WorkloadPod {
  std::string ns, name, uid, node;
  std::string phase;  // Running, Pending, Succeeded, Failed
  bool ready = false;
  std::string owner_kind, owner_name;  // first controller ownerReference ("ReplicaSet", "rs-name")
  std::optional<Micros> created;
  std::optional<Micros> start_time;
  std::optional<Micros> container_start;  // latest running container startedAt
  std::optional<std::string> redirection;          // annotation ambient.istio.io/redirection
  bool has_sidecar_status = false;                 // annotation sidecar.istio.io/status present
  bool has_istio_proxy_container = false;          // a container named istio-proxy (sidecar)
  std::optional<std::string> dataplane_mode;       // pod label istio.io/dataplane-mode
  std::optional<std::string> use_waypoint;         // pod label istio.io/use-waypoint
  // Added for MD702: pod label istio.io/use-waypoint-namespace (waypoint in another namespace).
  std::optional<std::string> use_waypoint_namespace;
  bool host_network = false;
  bool terminating = false;                        // metadata.deletionTimestamp set
  bool static_pod = false;                         // annotation kubernetes.io/config.mirror
  Origin origin;
};

struct Namespace {
  std::string name;
  std::map<std::string, std::string> labels;
  std::string phase;
  SourceState pods;  // whether this namespace's pods were collected
  Origin origin;
};

struct Deployment {  // istiod only (CA_TRUSTED_NODE_ACCOUNTS)
  std::string ns, name;
  std::map<std::string, std::string> env;  // container "discovery" env (literal values only)
  int replicas = 0, ready_replicas = 0;
  Origin origin;
};

// ---- Log scans --------------------------------------------------------------------------------

struct LogLine {
  std::string file;  // bundle-relative path or "pods/<pod>/log"
  int line = 0;
  std::string text;  // trimmed to 300 chars
};

enum class ZdsErrorKind { none, not_found, connection_refused, other };
const char* to_string(ZdsErrorKind k);

// What the CNI scanner found in one istio-cni-node container log.
struct CniLogScan {
  std::optional<bool> ambient_enabled;  // from "AmbientEnabled: true|false"
  std::optional<LogLine> ambient_line;
  std::optional<std::string> ztunnel_uds_address;  // "ZtunnelUDSAddress: ..."
  int no_ztunnel_connection = 0;                   // "no ztunnel connection" errors
  std::optional<LogLine> first_error;
  std::optional<Micros> last_time;  // newest line timestamp (bundles: bounds the collection time)
  int lines = 0;
  bool truncated = false;  // last line without newline / cut mid-line
};

// What the ztunnel scanner found in one ztunnel container log.
struct ZtunnelLogScan {
  int zds_failures = 0;  // failed to connect to the Istio CNI node agent / to server
  ZdsErrorKind last_zds_kind = ZdsErrorKind::none;
  std::optional<LogLine> last_zds_line;
  std::optional<Micros> last_zds_time;
  bool zds_connected = false;  // "handling new stream" / "received snapshot sent" seen
  std::optional<Micros> last_connected_time;
  int xds_errors = 0;  // "XDS client connection error" / "XDS client error"
  std::optional<LogLine> last_xds_line;
  std::optional<Micros> last_xds_time;
  bool marked_ready = false;  // "marking server ready"
  std::optional<std::string> istio_version;  // from the version: BuildInfo line
  std::optional<Micros> last_time;           // newest line timestamp
  int lines = 0;
  bool truncated = false;
};

struct PodLog {
  std::string ns, pod, container, node;
  bool previous = false;  // previous.log (the crashed container) rather than current.log
  SourceState source;
  CniLogScan cni;
  ZtunnelLogScan ztunnel;
};

// ---- Observability, waypoints, Kiali, platform ------------------------------------------------

struct Telemetry {
  std::string ns, name;
  std::vector<std::string> metrics_providers;  // spec.metrics[].providers[].name
  bool has_selector_or_target = false;         // scoped to a workload/gateway
  Origin origin;
};

struct PodMonitor {
  std::string ns, name;
  Origin origin;
};

struct Listener {
  std::string name, protocol;
  int port = 0;
};

struct Gateway {
  std::string ns, name;
  std::string gateway_class;  // spec.gatewayClassName
  std::string waypoint_for;   // label istio.io/waypoint-for
  std::vector<Listener> listeners;
  std::vector<Condition> conditions;
  Origin origin;
};

struct Kiali {
  std::string ns, name;
  std::string prometheus_auth_type;          // external_services.prometheus.auth.type
  std::optional<bool> use_kiali_token;       // external_services.prometheus.auth.use_kiali_token
  std::optional<bool> thanos_proxy_enabled;  // external_services.prometheus.thanos_proxy.enabled
  std::string prometheus_url;
  Origin origin;
};

struct Subject {
  std::string kind, name, ns;
};

struct ClusterRoleBinding {
  std::string name;
  std::string role_kind, role_name;
  std::vector<Subject> subjects;
  Origin origin;
};

struct ClusterVersion {
  std::string version;  // status.desired.version, else latest Completed history entry
  std::string channel;
  Origin origin;
};

struct NetworkOperator {
  std::string network_type;               // spec.defaultNetwork.type
  std::optional<bool> routing_via_host;   // spec.defaultNetwork.ovnKubernetesConfig.gatewayConfig.routingViaHost
  Origin origin;
};

struct MonitoringConfig {
  std::optional<bool> enable_user_workload;  // data["config.yaml"] enableUserWorkload
  Origin origin;
};

// Extras that `meshdoctor collect` (or the live collector) adds; plain inspect bundles lack them.
struct ZtunnelReadiness {
  std::string ns, pod, node;
  int http_status = 0;
  std::string body;  // "ready\n" | "not ready, pending: ..."
};

// Added for MD404: what one ztunnel's :15020/stats/prometheus scrape says about its pod proxies
// and its xDS stream (probe/ztunnel_metrics.cpp). A value is empty when the scrape lacks it.
struct ZtunnelMetrics {
  std::string ns, pod, node;
  std::optional<double> pending_proxies;  // workload_manager_pending_proxy_count
  std::optional<double> active_proxies;   // workload_manager_active_proxy_count
  // Sum of istio_xds_connection_terminations_total{reason="ConnectionError"|"Error"}.
  std::optional<double> xds_connection_errors;
  int samples = 0;         // samples read from the scrape
  int malformed = 0;       // lines skipped as unreadable
  int http_status = 0;     // the pod proxy's answer (live); 0 when read from a bundle file
};

// MD305: what the node-local probe of the ZDS socket found (probe/socket_probe.cpp).
//  unprobed   – no probe ran (offline bundle, or --node-local not given).
//  absent     – nothing at the path (stat ENOENT): istio-cni is not in ambient mode or not running.
//  not_socket – the path exists but is another file type (regular file, directory, ...).
//  refused    – a socket file with no listener (ECONNREFUSED): stale socket, the agent is dead.
//  accepted   – a SOCK_SEQPACKET connect succeeded: the agent serves ZDS.
//  error      – the probe itself failed (permission denied, timeout, ...); detail names errno.
enum class SocketState { unprobed, absent, not_socket, refused, accepted, error };
const char* to_string(SocketState s);

struct PromSeriesResult {
  std::string query;
  int series = 0;
};

// ---- The whole --------------------------------------------------------------------------------

struct SourceInfo {
  std::string kind;     // "bundle" | "live"
  std::string path;     // bundle path as given
  std::string context;  // kube context (live)
  std::string root;     // detected inspect root inside the bundle (must-gather image folder)
};

struct Facts {
  SourceInfo source;
  std::optional<Micros> collected_at;  // the run's "now"
  std::string collected_at_origin;     // where it came from ("meshdoctor/collection.json", ...)
  bool node_local = false;             // running on a node (MD305)

  Section<Subscription> subscriptions;
  Section<InstallPlan> install_plans;
  Section<ClusterServiceVersion> csvs;
  Section<CustomResourceDefinition> sail_crds;  // *.sailoperator.io only

  Section<SailCr> istios;
  Section<SailCr> istio_cnis;
  Section<SailCr> ztunnels;

  Section<DaemonSet> daemonsets;        // istio-cni-node and ztunnel
  Section<NodeAgentPod> cni_pods;       // istio-cni-node pods
  Section<NodeAgentPod> ztunnel_pods;   // ztunnel pods
  Section<Deployment> istiod;           // istiod deployments
  Section<Namespace> namespaces;
  Section<WorkloadPod> pods;            // workload pods (per-namespace states in Namespace::pods)
  Section<PodLog> cni_logs;
  Section<PodLog> ztunnel_logs;

  Section<Telemetry> telemetries;
  Section<PodMonitor> pod_monitors;
  Section<Gateway> gateways;
  Section<Kiali> kialis;
  Section<ClusterRoleBinding> cluster_role_bindings;  // only bindings to cluster-monitoring-view
  Single<ClusterVersion> cluster_version;
  Single<NetworkOperator> network;
  Single<MonitoringConfig> monitoring_config;

  // Extras (collect / live only)
  Section<ZtunnelReadiness> ztunnel_readiness;
  Section<PromSeriesResult> prometheus;
  // Added for MD404: evidence next to the readiness bodies; inspect bundles never hold it.
  Section<ZtunnelMetrics> ztunnel_metrics{
      {Obtained::not_found, "not in a plain inspect bundle; use meshdoctor collect or a live check"}, {}};
  SourceState socket;  // MD305 node-local probe
  std::string socket_path;
  // Added for MD305: the probe's outcome; socket.detail carries the evidence (errno text,
  // file type). socket is collected whenever the probe could tell, error/forbidden otherwise.
  SocketState socket_state = SocketState::unprobed;

  // Non-fatal problems met while reading (each names file and line); shown in reports.
  std::vector<std::string> warnings;
};

}  // namespace meshdoctor::probe
