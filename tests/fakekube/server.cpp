// httplib glue. Every request goes through handle(): authenticate, pick a fault, answer (from
// the fault or the router), deliver (whole, truncated or stalled), record.
#include "server.hpp"

#include <httplib.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "bundle_source.hpp"
#include "faults.hpp"
#include "recorder.hpp"
#include "router.hpp"
#include "status.hpp"

namespace meshdoctor::fakekube {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::size_t k_recorded_body_max = 64 * 1024;  // a record line stays readable
constexpr std::size_t k_server_threads = 64;

std::string raw_query(const std::string& target) {
  const auto q = target.find('?');
  return q == std::string::npos ? "" : target.substr(q + 1);
}

// Sends half of the body, then either closes (truncate) or stalls and finishes (stallMs).
httplib::ContentProvider partial_provider(std::shared_ptr<std::string> body, const FaultRule& fault) {
  const std::size_t half = body->size() / 2;
  const bool truncate = fault.truncate;
  const int stall_ms = fault.stall_ms;
  return [body, half, truncate, stall_ms](std::size_t offset, std::size_t, httplib::DataSink& sink) {
    if (offset < half) return sink.write(body->data(), half);
    if (truncate) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(stall_ms));
    return sink.write(body->data() + offset, body->size() - offset);
  };
}

// --prometheus-upstream: the same query sent to a real Prometheus.
PrometheusForwarder make_forwarder(const std::string& url) {
  if (url.empty()) return nullptr;
  const auto scheme_end = url.find("://");
  const auto path_at = url.find('/', scheme_end == std::string::npos ? 0 : scheme_end + 3);
  const std::string origin = url.substr(0, path_at);
  const std::string prefix = path_at == std::string::npos ? "" : url.substr(path_at);
  return [origin, prefix](const ApiRequest& request) -> std::optional<ApiResponse> {
    httplib::Client client(origin);
    client.set_connection_timeout(5);
    client.set_read_timeout(30);
    httplib::Params params{{"query", request.param("query")}};
    auto res = client.Get(prefix + "/api/v1/query", params, httplib::Headers{});
    if (!res) {
      return status_response(502, "BadGateway", "prometheus upstream " + origin + ": " + httplib::to_string(res.error()));
    }
    return ApiResponse{res->status, res->get_header_value("Content-Type"), res->body, {}};
  };
}

}  // namespace

struct Server::Impl {
  ServerOptions options;
  BundleSource source;
  std::unique_ptr<FaultSet> faults;
  Recorder recorder;
  RouterOptions router;
  std::unique_ptr<httplib::Server> http;

  explicit Impl(const ServerOptions& o) : options(o), source(o.bundle) {}

  bool authorized(const httplib::Request& req) const {
    return options.token.empty() || req.get_header_value("Authorization") == "Bearer " + options.token;
  }

  ApiResponse answer(const ApiRequest& request, const std::optional<FaultRule>& fault) {
    if (fault && fault->delay_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(fault->delay_ms));
    ApiResponse out = fault && fault->status ? fault_response(*fault, request)
                                             : serve_request(*source.current(), request, router);
    if (fault && fault->retry_after >= 0) out.headers.emplace_back("Retry-After", std::to_string(fault->retry_after));
    if (fault && fault->invalid_json) out.body = corrupt_json(out.body);
    return out;
  }

  static void deliver(const ApiResponse& out, const std::optional<FaultRule>& fault, httplib::Response& res) {
    res.status = out.status;
    for (const auto& [name, value] : out.headers) res.set_header(name.c_str(), value);
    if (!fault || (!fault->truncate && fault->stall_ms <= 0) || out.body.size() < 2) {
      res.set_content(out.body, out.content_type.c_str());
      return;
    }
    auto body = std::make_shared<std::string>(out.body);
    res.set_content_provider(body->size(), out.content_type.c_str(), partial_provider(body, *fault));
  }

  void handle(const httplib::Request& req, httplib::Response& res) {
    const auto start = Clock::now();
    ApiRequest request{req.method, req.path, req.params, req.get_header_value("Content-Type"), req.body};
    const std::string query = raw_query(req.target);
    std::optional<FaultRule> fault;
    ApiResponse out;
    try {
      if (!authorized(req)) out = unauthorized();
      else {
        if (faults) fault = faults->match(request, query);
        out = answer(request, fault);
      }
    } catch (const std::exception& e) {
      out = status_response(500, "InternalError", std::string("fakekube: ") + e.what());
      fault.reset();
    }
    deliver(out, fault, res);
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
    std::optional<std::string> body;
    if (req.method != "GET") body = req.body.substr(0, k_recorded_body_max);
    recorder.record({req.method, req.path, query, out.status, ms, req.has_header("Authorization"),
                     request.content_type, std::move(body)});
  }

  util::Status make_http() {
    if (options.tls_cert.empty() != options.tls_key.empty()) {
      return util::make_error("usage", "--tls-cert and --tls-key go together");
    }
    if (options.tls_cert.empty()) {
      http = std::make_unique<httplib::Server>();
    } else {
      http = std::make_unique<httplib::SSLServer>(options.tls_cert.c_str(), options.tls_key.c_str(),
                                                  options.client_ca.empty() ? nullptr : options.client_ca.c_str());
    }
    if (!http->is_valid()) return util::make_error("tls", "cannot load the TLS certificate, key or client CA");
    // As a real API server (Go sets TCP_NODELAY): without it a small answer written in two
    // pieces waits ~40 ms for the client's delayed ACK. And keep connections open for many
    // requests, as it does, rather than httplib's default of five.
    http->set_tcp_nodelay(true);
    http->set_keep_alive_max_count(10000);
    // httplib serves each connection on one pool thread until it closes (a keep-alive connection
    // holds its thread up to 5 s idle): with its default of 8 threads, a client that opens a few
    // more connections than that waits seconds for a thread. An API server has no such limit.
    http->new_task_queue = [] { return new httplib::ThreadPool(k_server_threads); };
    auto handler = [this](const httplib::Request& req, httplib::Response& res) { handle(req, res); };
    http->Get(".*", handler).Post(".*", handler).Put(".*", handler).Patch(".*", handler).Delete(".*", handler);
    return util::ok();
  }

  util::Status init() {
    if (auto s = source.load(); !s) return s;
    if (!options.faults_file.empty()) {
      faults = std::make_unique<FaultSet>(options.faults_file);
      if (auto s = faults->load(); !s) return s;
    }
    if (!options.record_file.empty()) {
      if (auto s = recorder.open(options.record_file); !s) return s;
    }
    router.page_size_cap = options.page_size_cap;
    router.prometheus_upstream = make_forwarder(options.prometheus_upstream);
    router.writes = WriteOptions{options.simulate_rollouts, options.rollout_delay_ms};
    return make_http();
  }
};

Server::Server(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
Server::~Server() = default;

util::Expected<std::unique_ptr<Server>> Server::create(const ServerOptions& options) {
  auto impl = std::make_unique<Impl>(options);
  if (auto s = impl->init(); !s) return s.error();
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

util::Expected<int> Server::bind() {
  auto& http = *m_impl->http;
  const auto& o = m_impl->options;
  const int port = o.port == 0 ? http.bind_to_any_port(o.host) : (http.bind_to_port(o.host, o.port) ? o.port : -1);
  if (port <= 0) return util::make_error("bind", "cannot listen on " + o.host + ":" + std::to_string(o.port));
  return port;
}

void Server::serve() { m_impl->http->listen_after_bind(); }
void Server::stop() { m_impl->http->stop(); }
void Server::request_reload() { m_impl->source.request_reload(); }

}  // namespace meshdoctor::fakekube
