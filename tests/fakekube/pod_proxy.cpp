// Pod proxy answers for ztunnel readiness and metrics.
#include "pod_proxy.hpp"

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include "status.hpp"

namespace meshdoctor::fakekube {
namespace {

struct ProxyTarget {
  std::string pod;
  std::string port;
};

ProxyTarget split_target(const std::string& target) {
  const auto last = target.rfind(':');
  if (last == std::string::npos) return {target, ""};
  std::string head = target.substr(0, last);
  const auto scheme = head.find(':');
  if (scheme != std::string::npos) head = head.substr(scheme + 1);
  return {head, target.substr(last + 1)};
}

ApiResponse text(int status, std::string body) { return ApiResponse{status, "text/plain", std::move(body), {}}; }

ApiResponse no_endpoints(const std::string& ns, const std::string& pod) {
  return status_response(503, "ServiceUnavailable",
                         "error trying to reach service: no endpoints for pod \"" + ns + "/" + pod + "\"");
}

std::optional<std::string> metrics_file(const Bundle& bundle, const std::string& pod) {
  if (bundle.metrics_dir.empty()) return std::nullopt;
  const std::filesystem::path file = std::filesystem::path(bundle.metrics_dir) / (pod + ".txt");
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

ApiResponse metrics(const Bundle& bundle, const std::string& ns, const std::string& pod) {
  if (auto file = metrics_file(bundle, pod)) return text(200, *file);
  if (!bundle.readiness) return forbidden({"get", "", "pods/proxy", ns, pod});
  auto it = bundle.readiness->find({ns, pod});
  if (it == bundle.readiness->end()) return no_endpoints(ns, pod);
  return text(200, synthetic_metrics(pod, it->second.status == 200));
}

ApiResponse readiness(const Bundle& bundle, const std::string& ns, const std::string& pod) {
  if (!bundle.readiness) return forbidden({"get", "", "pods/proxy", ns, pod});
  auto it = bundle.readiness->find({ns, pod});
  if (it == bundle.readiness->end()) return no_endpoints(ns, pod);
  return text(it->second.status, it->second.body);
}

}  // namespace

std::string synthetic_metrics(const std::string& pod, bool ready) {
  std::string out =
      "# HELP istio_build Istio component build info\n"
      "# TYPE istio_build gauge\n"
      "istio_build{component=\"ztunnel\",tag=\"1.24.0\"} 1\n";
  if (!ready) return out;
  const std::string labels = "{reporter=\"destination\",source_workload=\"productpage-v1\","
                             "destination_workload=\"reviews-v1\",pod=\"" + pod + "\"}";
  out += "# HELP istio_tcp_connections_opened_total The total number of TCP connections opened.\n"
         "# TYPE istio_tcp_connections_opened_total counter\n"
         "istio_tcp_connections_opened_total" + labels + " 42\n"
         "# HELP istio_tcp_received_bytes_total The size of total bytes received during request in case of a TCP connection.\n"
         "# TYPE istio_tcp_received_bytes_total counter\n"
         "istio_tcp_received_bytes_total" + labels + " 123456\n"
         "# HELP istio_tcp_sent_bytes_total The size of total bytes sent during response in case of a TCP connection.\n"
         "# TYPE istio_tcp_sent_bytes_total counter\n"
         "istio_tcp_sent_bytes_total" + labels + " 654321\n";
  return out;
}

ApiResponse pod_proxy(const Bundle& bundle, const std::string& ns, const std::string& target,
                      const std::string& subpath) {
  const ProxyTarget t = split_target(target);
  if (t.port == "15021" && subpath == "healthz/ready") return readiness(bundle, ns, t.pod);
  if (t.port == "15020" && subpath == "stats/prometheus") return metrics(bundle, ns, t.pod);
  return text(404, "404 page not found\n");
}

}  // namespace meshdoctor::fakekube
