#pragma once
// Where the Kubernetes API is and how to authenticate: kubeconfig ($KUBECONFIG list,
// ~/.kube/config, --kubeconfig, --context) or in-cluster service account.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "probe/http.hpp"
#include "util/expected.hpp"

namespace meshdoctor::probe {

struct ExecCredential {  // client.authentication.k8s.io exec plugin (e.g. oc-style login helpers)
  std::string api_version;
  std::string command;
  std::vector<std::string> args;
  std::vector<std::pair<std::string, std::string>> env;
};

struct KubeAuth {
  std::string server;        // https://api.cluster:6443
  std::string context;       // context name, "in-cluster" for the service account
  std::string namespace_;    // context default namespace
  TlsConfig tls;
  std::string token;         // bearer token (never logged)
  std::string token_file;    // re-read on 401 (service-account token rotation)
  std::string username, password;  // basic auth, rarely used
  std::optional<ExecCredential> exec;
};

struct KubeconfigOptions {
  std::string path;     // --kubeconfig; empty → $KUBECONFIG (':'-separated, merged) → ~/.kube/config
  std::string context;  // --context; empty → current-context
  bool allow_in_cluster = true;  // fall back to the service account when no kubeconfig exists
};

// Errors (exit 3): kubeconfig.not_found, kubeconfig.parse (file:line), kubeconfig.context
// (unknown context, listing the known ones), kubeconfig.exec (plugin failed; its stderr is NOT
// echoed when it may hold secrets — only the exit status and the command name).
util::Expected<KubeAuth> load_kube_auth(const KubeconfigOptions& options);

// The names of every context in the kubeconfig that load_kube_auth reads (options.path, else the
// merged $KUBECONFIG list, else ~/.kube/config), sorted; `check --all-contexts` runs them all.
// Errors as for load_kube_auth: kubeconfig.not_found (also when there is no file at all: the
// in-cluster fallback has no contexts to list), kubeconfig.parse.
util::Expected<std::vector<std::string>> list_kube_contexts(const KubeconfigOptions& options);

// Runs the exec plugin and returns the token from its ExecCredential status (token, or client
// certificate data which is put into auth.tls). Cached by the caller until expirationTimestamp.
util::Expected<KubeAuth> run_exec_plugin(const KubeAuth& auth);

// run_exec_plugin plus the credential's status.expirationTimestamp, which KubeAuth has no field
// for: µs since the epoch (util::Micros), nullopt when the plugin gave none (cache for the run).
struct ExecResult {
  KubeAuth auth;
  std::optional<std::int64_t> expires_at;
};
util::Expected<ExecResult> run_exec_plugin_with_expiry(const KubeAuth& auth);

}  // namespace meshdoctor::probe
