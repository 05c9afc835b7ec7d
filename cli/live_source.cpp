// meshdoctor on a live cluster: flags, kube client, live collector, Prometheus, socket probe.
#include "cli/live_source.hpp"

#include <spdlog/spdlog.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cctype>
#include <fstream>
#include <map>
#include <mutex>

#include "probe/kube_client.hpp"
#include "probe/kube_config.hpp"
#include "probe/prometheus.hpp"
#include "probe/socket_probe.hpp"

namespace meshdoctor::cli {
namespace {

long unit_ms(const std::string& unit) {
  if (unit == "ms") return 1;
  if (unit == "s" || unit.empty()) return 1000;
  if (unit == "m") return 60 * 1000;
  if (unit == "h") return 3600 * 1000;
  return -1;
}

// A CLI11 option whose value is a duration, stored in milliseconds.
void add_duration(CLI::App& cmd, const std::string& name, long& target, const std::string& help) {
  cmd.add_option_function<std::string>(
         name,
         [&target, name](const std::string& text) {
           auto ms = parse_duration_ms(text);
           if (!ms) throw CLI::ValidationError(name, ms.error().message);
           target = *ms;
         },
         help)
      ->type_name("DURATION");
}

std::string read_secret_file(const std::string& path) {
  std::ifstream in(path);
  std::string token;
  std::getline(in, token);
  while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back()))) token.pop_back();
  return token;
}

// 401, unreachable server, TLS: what went wrong and what to do, naming the server.
std::string fatal_message(const probe::KubeAuth& auth, const util::Error& e) {
  spdlog::debug("first request failed: {} {}", e.code, e.message);
  if (e.code == "kube.unauthorized")
    return "authentication failed: log in again (oc login) or check the token (server " + auth.server + ")";
  if (e.code == "http.tls") return "TLS failure talking to " + auth.server + ": " + e.message;
  return "cannot connect to " + auth.server + ": " + e.message;
}

constexpr const char* k_sa_token = "/var/run/secrets/kubernetes.io/serviceaccount/token";
constexpr const char* k_service_ca = "/var/run/secrets/kubernetes.io/serviceaccount/service-ca.crt";

// --prometheus-url, else on OpenShift the Thanos Querier behind the API server's service proxy.
probe::PrometheusOptions prometheus_options(const LiveAccessOptions& opt, const probe::KubeAuth& auth,
                                            const probe::Facts& facts) {
  probe::PrometheusOptions p;
  p.timeout_ms = opt.request_timeout_ms;
  if (!opt.prometheus_url.empty()) {
    p.url = opt.prometheus_url;
    if (!opt.prometheus_token_file.empty()) p.bearer_token = read_secret_file(opt.prometheus_token_file);
    p.tls.ca_file = opt.prometheus_ca_file;
  } else if (facts.cluster_version.value && auth.context == "in-cluster") {
    // In a pod: the service itself, with the service account's token and the service CA that
    // OpenShift mounts next to it (the API server's service proxy drops Authorization headers).
    p.url = "https://thanos-querier.openshift-monitoring.svc:9091";
    p.bearer_token = read_secret_file(auth.token_file.empty() ? k_sa_token : auth.token_file);
    p.tls.ca_file = k_service_ca;
  } else if (facts.cluster_version.value) {
    p.url = probe::openshift_thanos_url(auth.server);
    p.bearer_token = auth.token;
    p.tls = auth.tls;
  }
  return p;
}

void add_prometheus(const LiveAccessOptions& opt, const probe::KubeAuth& auth, probe::Facts& facts) {
  auto p = prometheus_options(opt, auth, facts);
  if (p.url.empty()) {
    facts.prometheus.source = {probe::Obtained::not_found,
                               "no --prometheus-url given and not OpenShift (no ClusterVersion)"};
    return;
  }
  auto http = probe::make_curl_client(p.tls);
  probe::collect_prometheus(*http, p, facts);
}

// --timeout, --request-timeout and the Prometheus flags (everything but --kubeconfig/--context).
void add_access_flags(CLI::App& cmd, LiveAccessOptions& opt) {
  add_duration(cmd, "--timeout", opt.timeout_ms, "Give up on the cluster after this long (default 120s)");
  add_duration(cmd, "--request-timeout", opt.request_timeout_ms, "Timeout of one API request (default 15s)");
  cmd.add_option("--prometheus-url", opt.prometheus_url,
                 "Prometheus/Thanos base URL (default on OpenShift: thanos-querier via the API server)")
      ->type_name("URL");
  cmd.add_option("--prometheus-token-file", opt.prometheus_token_file, "Bearer token for --prometheus-url")
      ->type_name("FILE");
  cmd.add_option("--prometheus-ca-file", opt.prometheus_ca_file, "CA bundle for --prometheus-url")
      ->type_name("FILE");
}

probe::KubeClientOptions client_options(const LiveAccessOptions& opt) {
  probe::KubeClientOptions k;
  k.request_timeout_ms = opt.request_timeout_ms;
  k.overall_timeout_ms = opt.timeout_ms;
  return k;
}

}  // namespace

util::Expected<long> parse_duration_ms(const std::string& text) {
  long total = 0;
  size_t i = 0;
  while (i < text.size()) {
    size_t digits = i;
    while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
    size_t end = digits;
    while (end < text.size() && std::isalpha(static_cast<unsigned char>(text[end]))) ++end;
    const long unit = unit_ms(text.substr(digits, end - digits));
    if (digits == i || unit < 0 || digits - i > 9)
      return util::make_error("usage.duration", "\"" + text + "\" is not a duration (e.g. 90s, 2m, 1h30m, 500ms)");
    total += std::stol(text.substr(i, digits - i)) * unit;
    i = end;
  }
  if (text.empty()) return util::make_error("usage.duration", "empty duration");
  return total;
}

void add_format_option(CLI::App& cmd, report::Format& format) {
  static const std::map<std::string, report::Format> formats{{"text", report::Format::text},
                                                             {"json", report::Format::json},
                                                             {"markdown", report::Format::markdown},
                                                             {"html", report::Format::html},
                                                             {"sarif", report::Format::sarif},
                                                             {"junit", report::Format::junit}};
  cmd.add_option("-o,--output", format, "Report format: text, json, markdown, html, sarif or junit")
      ->transform(CLI::CheckedTransformer(formats, CLI::ignore_case).description(""))
      ->type_name("FORMAT")
      ->default_str("text");
}

void add_off_mesh_flag(CLI::App& cmd, std::vector<std::string>& names, bool& given, const std::string& help) {
  cmd.add_option_function<std::vector<std::string>>(
         "--off-mesh-namespaces",
         [&names, &given](const std::vector<std::string>& values) {
           given = true;
           for (const auto& n : values) {
             if (!n.empty()) names.push_back(n);
           }
         },
         help + " (default: stackrox,industrial-edge-data-lake)")
      ->delimiter(',')
      ->type_name("LIST");
}

void add_cluster_flags(CLI::App& cmd, LiveAccessOptions& opt) {
  cmd.add_option("--kubeconfig", opt.kubeconfig, "Kubeconfig file (default: $KUBECONFIG, ~/.kube/config)")
      ->type_name("FILE");
  cmd.add_option("--context", opt.context, "Kubeconfig context (default: the current one)")->type_name("NAME");
  add_access_flags(cmd, opt);
}

void add_cluster_flags(CLI::App& cmd, LiveAccessOptions& opt, std::vector<std::string>& contexts) {
  cmd.add_option("--kubeconfig", opt.kubeconfig, "Kubeconfig file (default: $KUBECONFIG, ~/.kube/config)")
      ->type_name("FILE");
  cmd.add_option_function<std::vector<std::string>>(
         "--context",
         [&opt, &contexts](const std::vector<std::string>& names) {
           contexts = names;
           if (!names.empty()) opt.context = names.front();
         },
         "Kubeconfig context (default: the current one); repeat it to check a fleet in parallel")
      ->type_name("NAME");
  add_access_flags(cmd, opt);
}

void add_node_flags(CLI::App& cmd, LiveAccessOptions& opt) {
  cmd.add_flag("--node-local", opt.node_local, "Running on a cluster node: probe the ztunnel ZDS socket (MD305)");
  cmd.add_option_function<std::string>(
         "--socket",
         [&opt](const std::string& path) {
           opt.socket = path;
           opt.node_local = true;
         },
         "ZDS socket path for --node-local (default /var/run/ztunnel/ztunnel.sock)")
      ->type_name("PATH");
}

util::Expected<LiveSession> connect_live(const LiveAccessOptions& opt) {
  auto auth = probe::load_kube_auth({opt.kubeconfig, opt.context, true});
  if (!auth) return auth.error();
  LiveSession s;
  s.auth = *auth;
  s.client = std::make_unique<probe::KubeClient>(*auth, probe::make_curl_client(auth->tls), client_options(opt));
  return s;
}

util::Expected<LiveSession> open_live_session(const LiveAccessOptions& opt, const LiveRun& run) {
  auto session = connect_live(opt);
  if (!session) return session.error();
  const auto& auth = session->auth;
  spdlog::info("reading cluster {} (context {})", auth.server, auth.context);
  probe::LiveOptions live;
  live.context = auth.context;
  live.sink = run.sink;
  live.cache = run.cache;
  if (run.progress == Progress::tty) live.progress = tty_progress();
  if (!run.off_mesh_namespaces.empty()) live.off_mesh_namespaces = run.off_mesh_namespaces;
  auto facts = probe::collect_live(*session->client, live);
  if (!facts) return util::make_error(facts.error().code, fatal_message(auth, facts.error()));
  add_prometheus(opt, auth, *facts);
  if (opt.node_local) probe::probe_ztunnel_socket(opt.socket, *facts);
  spdlog::info("{} API requests", session->client->request_count());
  session->facts = std::move(*facts);
  return session;
}

util::Expected<probe::Facts> open_live(const LiveAccessOptions& opt, const LiveRun& run) {
  auto session = open_live_session(opt, run);
  if (!session) return session.error();
  return std::move(session->facts);
}

std::function<void(const std::string&)> tty_progress() {
  if (::isatty(STDERR_FILENO) != 1) return {};
  auto lock = std::make_shared<std::mutex>();
  return [lock](const std::string& line) {
    std::lock_guard<std::mutex> guard(*lock);
    winsize ws{};
    const size_t width = ::ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 1 ? ws.ws_col - 1 : 79;
    std::fprintf(stderr, "\r\033[K%s", line.substr(0, width).c_str());
    std::fflush(stderr);
  };
}

}  // namespace meshdoctor::cli
