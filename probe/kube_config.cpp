// Kubeconfig loading the way kubectl/oc resolve it: --kubeconfig, else the $KUBECONFIG list merged
// first-wins per name, else ~/.kube/config, else the pod's service account. The YAML is read with
// the same libfyaml streaming reader as bundles, so scalars get the same typing rules.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <tuple>

#include "probe/kube_config.hpp"
#include "probe/yaml_stream.hpp"

namespace meshdoctor::probe {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

constexpr const char* k_default_sa_dir = "/var/run/secrets/kubernetes.io/serviceaccount";

// A named cluster, user or context and where it came from (relative paths resolve against it).
struct Entry {
  json body;
  std::string dir;
  std::string file;
};

struct MergedConfig {
  std::map<std::string, Entry> clusters, users, contexts;
  std::string current_context;
  std::vector<std::string> files;
};

std::string env_or_empty(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

// Kubeconfig scalars are typed by YAML rules: a plain `token: 12345` arrives as a number.
std::string text_of(const json& object, const char* key) {
  if (!object.is_object()) return {};
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return {};
  return it->is_string() ? it->get<std::string>() : it->dump();
}

bool flag_of(const json& object, const char* key) {
  const auto it = object.is_object() ? object.find(key) : object.end();
  if (it == object.end()) return false;
  return it->is_boolean() ? it->get<bool>() : (it->is_string() && *it == "true");
}

std::string resolve_path(const std::string& dir, const std::string& path) {
  if (path.empty() || fs::path(path).is_absolute() || dir.empty()) return path;
  return (fs::path(dir) / path).lexically_normal().string();
}

util::Expected<std::string> read_text_file(const std::string& path, const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return util::make_error("kubeconfig.not_found", what + " " + path + ": cannot be read");
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

int base64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+' || c == '-') return 62;
  if (c == '/' || c == '_') return 63;
  return -1;
}

// *-data fields are base64 PEM; YAML folding may leave whitespace inside them.
std::optional<std::string> decode_base64(const std::string& text) {
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (char c : text) {
    if (c == '=') break;
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
    const int value = base64_value(c);
    if (value < 0) return std::nullopt;
    buffer = (buffer << 6) | static_cast<unsigned>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xFF));
    }
  }
  return out;
}

}  // namespace

namespace {

util::Expected<json> read_kubeconfig(const std::string& path) {
  json first;
  bool seen = false;
  auto status = stream_yaml_file(path, path, [&](json& object, int) {
    if (!seen) first = std::move(object);
    seen = true;
  });
  if (!status) return util::make_error("kubeconfig.parse", status.error().message);
  if (!seen) return json::object();  // kubectl accepts an empty file as an empty config
  return first;
}

// clusters/users/contexts are lists of {name, <body_key>: {...}}; the first file naming an
// entry wins, as with kubectl's merge of $KUBECONFIG.
util::Status merge_section(const json& doc,
                           const char* section,
                           const char* body_key,
                           const std::string& file,
                           std::map<std::string, Entry>& into) {
  const auto it = doc.find(section);
  if (it == doc.end() || it->is_null()) return util::ok();
  if (!it->is_array())
    return util::make_error("kubeconfig.parse", file + ": " + section + " is not a list");
  for (std::size_t i = 0; i < it->size(); ++i) {
    const json& element = (*it)[i];
    const std::string name = text_of(element, "name");
    if (name.empty()) {
      return util::make_error("kubeconfig.parse", file + ": " + section + "[" +
                                                      std::to_string(i) + "] has no name");
    }
    const json body = element.contains(body_key) ? element.at(body_key) : json::object();
    into.try_emplace(name, Entry{body, fs::path(file).parent_path().string(), file});
  }
  return util::ok();
}

util::Status merge_file(const std::string& file, MergedConfig& merged) {
  auto doc = read_kubeconfig(file);
  if (!doc) return doc.error();
  if (!doc->is_object())
    return util::make_error("kubeconfig.parse", file + ": not a kubeconfig mapping");
  for (auto [section, key, map] : {std::tuple{"clusters", "cluster", &merged.clusters},
                                   std::tuple{"users", "user", &merged.users},
                                   std::tuple{"contexts", "context", &merged.contexts}}) {
    auto status = merge_section(*doc, section, key, file, *map);
    if (!status) return status;
  }
  if (merged.current_context.empty()) merged.current_context = text_of(*doc, "current-context");
  merged.files.push_back(file);
  return util::ok();
}

// The files to merge, in precedence order; empty when none exists.
util::Expected<std::vector<std::string>> kubeconfig_files(const KubeconfigOptions& options) {
  if (!options.path.empty()) {
    if (!fs::exists(options.path))
      return util::make_error("kubeconfig.not_found", "kubeconfig " + options.path + " not found");
    return std::vector<std::string>{options.path};
  }
  std::vector<std::string> files;
  std::stringstream list(env_or_empty("KUBECONFIG"));
  for (std::string item; std::getline(list, item, ':');) {
    if (!item.empty() && fs::exists(item)) files.push_back(item);
  }
  if (!files.empty() || !env_or_empty("KUBECONFIG").empty()) return files;
  const std::string home = env_or_empty("HOME");
  if (!home.empty() && fs::exists(home + "/.kube/config")) files.push_back(home + "/.kube/config");
  return files;
}

std::string known_contexts(const MergedConfig& merged) {
  std::string names;
  for (const auto& [name, entry] : merged.contexts) names += (names.empty() ? "" : ", ") + name;
  return names.empty() ? "none" : names;
}

}  // namespace

namespace {

// Reads a `<field>-data` (base64) or `<field>` (path) pair into data/file.
util::Status read_pem_pair(const Entry& entry,
                           const std::string& field,
                           std::string& data,
                           std::string& file) {
  const std::string encoded = text_of(entry.body, (field + "-data").c_str());
  if (!encoded.empty()) {
    auto decoded = decode_base64(encoded);
    if (!decoded)
      return util::make_error("kubeconfig.parse",
                              entry.file + ": " + field + "-data is not valid base64");
    data = std::move(*decoded);
    return util::ok();
  }
  file = resolve_path(entry.dir, text_of(entry.body, field.c_str()));
  return util::ok();
}

util::Status apply_cluster(const Entry& cluster, const std::string& name, KubeAuth& auth) {
  auth.server = text_of(cluster.body, "server");
  if (auth.server.empty())
    return util::make_error("kubeconfig.parse",
                            cluster.file + ": cluster \"" + name + "\" has no server");
  auth.tls.insecure_skip_verify = flag_of(cluster.body, "insecure-skip-tls-verify");
  auth.tls.server_name = text_of(cluster.body, "tls-server-name");
  return read_pem_pair(cluster, "certificate-authority", auth.tls.ca_data, auth.tls.ca_file);
}

ExecCredential parse_exec(const json& exec, const std::string& dir) {
  ExecCredential plugin;
  plugin.api_version = text_of(exec, "apiVersion");
  plugin.command = text_of(exec, "command");
  // kubectl resolves "./bin/login" against the kubeconfig's folder; bare names go through $PATH.
  if (plugin.command.find('/') != std::string::npos)
    plugin.command = resolve_path(dir, plugin.command);
  if (exec.contains("args") && exec["args"].is_array()) {
    for (const auto& arg : exec["args"]) plugin.args.push_back(arg.is_string() ? arg.get<std::string>() : arg.dump());
  }
  if (exec.contains("env") && exec["env"].is_array()) {
    for (const auto& var : exec["env"])
      plugin.env.emplace_back(text_of(var, "name"), text_of(var, "value"));
  }
  return plugin;
}

util::Status apply_user(const Entry& user, KubeAuth& auth) {
  auto status = read_pem_pair(user, "client-certificate", auth.tls.client_cert_data,
                              auth.tls.client_cert_file);
  if (status) status = read_pem_pair(user, "client-key", auth.tls.client_key_data,
                                     auth.tls.client_key_file);
  if (!status) return status;
  auth.token = text_of(user.body, "token");
  auth.token_file = resolve_path(user.dir, text_of(user.body, "tokenFile"));
  if (auth.token.empty() && !auth.token_file.empty()) {
    auto token = read_text_file(auth.token_file, "tokenFile");
    if (!token) return token.error();
    auth.token = trim(*token);
  }
  auth.username = text_of(user.body, "username");
  auth.password = text_of(user.body, "password");
  if (user.body.contains("exec") && user.body["exec"].is_object()) {
    auth.exec = parse_exec(user.body["exec"], user.dir);
    if (auth.exec->command.empty())
      return util::make_error("kubeconfig.parse", user.file + ": exec has no command");
  }
  return util::ok();
}

util::Expected<KubeAuth> auth_for_context(const MergedConfig& merged, const std::string& wanted) {
  const std::string name = wanted.empty() ? merged.current_context : wanted;
  if (name.empty())
    return util::make_error("kubeconfig.context", "no current-context in kubeconfig; pick one with "
                                                  "--context (known contexts: " +
                                                      known_contexts(merged) + ")");
  const auto context = merged.contexts.find(name);
  if (context == merged.contexts.end())
    return util::make_error("kubeconfig.context", "context \"" + name + "\" not found in kubeconfig "
                                                  "(known contexts: " + known_contexts(merged) + ")");
  KubeAuth auth;
  auth.context = name;
  auth.namespace_ = text_of(context->second.body, "namespace");
  if (auth.namespace_.empty()) auth.namespace_ = "default";
  const std::string cluster_name = text_of(context->second.body, "cluster");
  const auto cluster = merged.clusters.find(cluster_name);
  if (cluster == merged.clusters.end())
    return util::make_error("kubeconfig.context", "context \"" + name +
                                                      "\" refers to unknown cluster \"" +
                                                      cluster_name + "\"");
  if (auto status = apply_cluster(cluster->second, cluster_name, auth); !status)
    return status.error();
  const std::string user_name = text_of(context->second.body, "user");
  if (user_name.empty()) return auth;  // anonymous access is legal
  const auto user = merged.users.find(user_name);
  if (user == merged.users.end())
    return util::make_error("kubeconfig.context", "context \"" + name +
                                                      "\" refers to unknown user \"" + user_name +
                                                      "\"");
  if (auto status = apply_user(user->second, auth); !status) return status.error();
  return auth;
}

}  // namespace

namespace {

// Inside a pod: the API server from the service environment, credentials from the mounted
// service account. MESHDOCTOR_SA_DIR lets tests point at a fake mount.
util::Expected<KubeAuth> in_cluster_auth() {
  const std::string host = env_or_empty("KUBERNETES_SERVICE_HOST");
  const std::string port = env_or_empty("KUBERNETES_SERVICE_PORT");
  std::string dir = env_or_empty("MESHDOCTOR_SA_DIR");
  if (dir.empty()) dir = k_default_sa_dir;
  KubeAuth auth;
  const bool ipv6 = host.find(':') != std::string::npos;
  auth.server = "https://" + (ipv6 ? "[" + host + "]" : host) + ":" + port;
  auth.context = "in-cluster";
  auth.token_file = dir + "/token";
  auto token = read_text_file(auth.token_file, "service account token");
  if (!token) return token.error();
  auth.token = trim(*token);
  if (fs::exists(dir + "/ca.crt")) auth.tls.ca_file = dir + "/ca.crt";
  auto ns = read_text_file(dir + "/namespace", "service account namespace");
  auth.namespace_ = ns && !trim(*ns).empty() ? trim(*ns) : "default";
  return auth;
}

}  // namespace

util::Expected<KubeAuth> load_kube_auth(const KubeconfigOptions& options) {
  auto files = kubeconfig_files(options);
  if (!files) return files.error();
  if (files->empty()) {
    const bool in_pod = !env_or_empty("KUBERNETES_SERVICE_HOST").empty() &&
                        !env_or_empty("KUBERNETES_SERVICE_PORT").empty();
    if (options.allow_in_cluster && in_pod) return in_cluster_auth();
    return util::make_error("kubeconfig.not_found",
                            "no kubeconfig found ($KUBECONFIG, ~/.kube/config) and not running in "
                            "a pod; log in with oc login or pass --kubeconfig");
  }
  MergedConfig merged;
  for (const auto& file : *files) {
    if (auto status = merge_file(file, merged); !status) return status.error();
  }
  return auth_for_context(merged, options.context);
}

util::Expected<std::vector<std::string>> list_kube_contexts(const KubeconfigOptions& options) {
  auto files = kubeconfig_files(options);
  if (!files) return files.error();
  if (files->empty()) {
    return util::make_error("kubeconfig.not_found",
                            "no kubeconfig found ($KUBECONFIG, ~/.kube/config) to list contexts "
                            "from; pass --kubeconfig");
  }
  MergedConfig merged;
  for (const auto& file : *files) {
    if (auto status = merge_file(file, merged); !status) return status.error();
  }
  std::vector<std::string> names;
  for (const auto& [name, entry] : merged.contexts) names.push_back(name);
  return names;
}

}  // namespace meshdoctor::probe
