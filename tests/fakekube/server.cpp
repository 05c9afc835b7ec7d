// httplib glue. Every request goes through handle(): authenticate, pick a fault, answer (from
// the fault or the router), deliver (whole, truncated or stalled), record. A watch is answered
// by a stream that runs on the connection's thread after the handler returns.
#include "server.hpp"

#include <httplib.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <list>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "bundle_source.hpp"
#include "faults.hpp"
#include "recorder.hpp"
#include "rollouts.hpp"
#include "router.hpp"
#include "status.hpp"
#include "watch.hpp"

namespace meshdoctor::fakekube {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::size_t k_recorded_body_max = 64 * 1024;  // a record line stays readable
constexpr std::size_t k_pool_min_threads = 16;            // kept even when idle
constexpr std::size_t k_pool_max_threads = 4096;
constexpr auto k_pool_idle_exit = std::chrono::seconds(60);
// How long stop() waits for open watches to end before closing connections.
constexpr auto k_stop_grace = std::chrono::seconds(1);
// How often the served state is looked after without requests (reloads, pods due Ready).
constexpr auto k_tend_interval = std::chrono::milliseconds(500);

// httplib serves each connection on one pool thread until it closes: a keep-alive connection
// holds its thread up to 5 s idle, a watch for as long as it streams (up to its timeoutSeconds).
// With a fixed pool, requests would wait for those threads (httplib's default of 8 made a client
// that opened a few more connections wait seconds). An API server has no such limit: this pool
// starts a thread whenever no idle one is left, and a thread idle for a minute goes again.
class GrowingPool final : public httplib::TaskQueue {
 public:
  GrowingPool() {
    std::lock_guard lock(m_mutex);
    for (std::size_t i = 0; i < k_pool_min_threads; ++i) spawn();
  }
  ~GrowingPool() override { shutdown(); }

  void enqueue(std::function<void()> fn) override {
    std::lock_guard lock(m_mutex);
    for (auto& t : m_finished) t.join();  // retired threads, already out of work()
    m_finished.clear();
    m_jobs.push_back(std::move(fn));
    if (m_idle < m_jobs.size() && m_threads.size() < k_pool_max_threads) spawn();
    m_ready.notify_one();
  }

  void shutdown() override {  // runs the queued jobs, then joins every thread
    std::list<std::thread> all;
    {
      std::lock_guard lock(m_mutex);
      m_shutdown = true;
      all.splice(all.end(), m_threads);
      all.splice(all.end(), m_finished);
    }
    m_ready.notify_all();
    for (auto& t : all) t.join();
  }

 private:
  using Self = std::list<std::thread>::iterator;

  void spawn() {  // caller holds m_mutex: the thread reads its list node only under it
    const Self self = m_threads.emplace(m_threads.end());
    *self = std::thread(&GrowingPool::work, this, self);
  }

  void work(Self self) {
    std::unique_lock lock(m_mutex);
    for (;;) {
      ++m_idle;
      const bool woken = m_ready.wait_for(lock, k_pool_idle_exit, [this] { return m_shutdown || !m_jobs.empty(); });
      --m_idle;
      if (!m_jobs.empty()) {
        auto job = std::move(m_jobs.front());
        m_jobs.pop_front();
        lock.unlock();
        job();
        lock.lock();
        continue;
      }
      if (m_shutdown) return;
      if (!woken && m_threads.size() > k_pool_min_threads) {
        m_finished.splice(m_finished.end(), m_threads, self);  // joined by the next enqueue
        return;
      }
    }
  }

  std::mutex m_mutex;
  std::condition_variable m_ready;
  std::list<std::function<void()>> m_jobs;
  std::list<std::thread> m_threads, m_finished;
  std::size_t m_idle = 0;
  bool m_shutdown = false;
};

int port_of(const sockaddr_storage& address) {
  if (address.ss_family == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in&>(address).sin_port);
  if (address.ss_family == AF_INET6) return ntohs(reinterpret_cast<const sockaddr_in6&>(address).sin6_port);
  return -1;
}

std::string host_of(const sockaddr_storage& address, socklen_t length) {
  char host[NI_MAXHOST];
  if (getnameinfo(reinterpret_cast<const sockaddr*>(&address), length, host, sizeof host, nullptr, 0, NI_NUMERICHOST) != 0) {
    return "";
  }
  return host;
}

// The sockets whose local port is `port` (httplib exposes none of its descriptors): the
// listening one and its connections.
std::vector<int> sockets_on(int port) {
  std::vector<int> out;
  std::error_code ec;
  for (std::filesystem::directory_iterator it("/proc/self/fd", ec), end; !ec && it != end; it.increment(ec)) {
    const int fd = std::atoi(it->path().filename().c_str());
    sockaddr_storage local{};
    socklen_t length = sizeof local;
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&local), &length) == 0 && port_of(local) == port) out.push_back(fd);
  }
  return out;
}

// The peer of a connected socket as (numeric host, port); nullopt for a listening socket.
std::optional<std::pair<std::string, int>> peer_of(int fd) {
  sockaddr_storage peer{};
  socklen_t length = sizeof peer;
  if (getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &length) != 0) return std::nullopt;
  return std::make_pair(host_of(peer, length), port_of(peer));
}

// The request's connection: the socket whose two ends have the request's addresses; -1 when none.
int connection_socket(const httplib::Request& req) {
  for (int fd : sockets_on(req.local_port)) {
    if (peer_of(fd) == std::make_pair(req.remote_addr, req.remote_port)) return fd;
  }
  return -1;
}

// httplib listens with a backlog of 5: clients opening many connections at once (a watch per
// collection and namespace) overflow it, and each dropped SYN costs its client a second. Go's
// servers, the API server's among them, listen with the system's maximum; so does fakekube,
// listening again on httplib's socket once bound.
void raise_backlog(int port) {
  for (int fd : sockets_on(port)) {
    int listening = 0;
    socklen_t length = sizeof listening;
    if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &length) == 0 && listening) ::listen(fd, SOMAXCONN);
  }
}

// At stop: every connection stops reading, so that threads waiting for a keep-alive connection's
// next request (httplib waits up to 5 s, whatever the stop) end at once, as Go's Server.Shutdown
// closes idle connections. httplib then refuses to write to them: an answer being written at
// that moment is cut (watches end before, see stop()).
void end_connections(int port) {
  for (int fd : sockets_on(port)) {
    if (peer_of(fd)) ::shutdown(fd, SHUT_RD);
  }
}

// Whether the client still holds its end: a watch that only waits for events writes nothing
// that would fail, so it asks the socket (a peer's FIN shows as POLLRDHUP).
bool peer_open(int fd) {
  if (fd < 0) return true;
  pollfd p{fd, POLLRDHUP, 0};
  if (poll(&p, 1, 0) <= 0) return true;
  return (p.revents & (POLLRDHUP | POLLHUP | POLLERR | POLLNVAL)) == 0;
}

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
  std::mutex tend_mutex;
  std::condition_variable tend_wake;
  bool stopping = false;
  int port = 0;  // once bound
  std::mutex streams_mutex;
  std::condition_variable streams_done;
  int streams = 0;  // watches streaming

  explicit Impl(const ServerOptions& o) : options(o), source(o.bundle, o.watch_history) {}

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

  // Counts a watch while it streams: stop() lets them end before it closes connections.
  struct StreamCount {
    Impl& impl;
    explicit StreamCount(Impl& i) : impl(i) {
      std::lock_guard lock(impl.streams_mutex);
      ++impl.streams;
    }
    ~StreamCount() {
      std::lock_guard lock(impl.streams_mutex);
      if (--impl.streams == 0) impl.streams_done.notify_all();
    }
  };

  // Sets the response up as the watch's stream, or answers `out` when the watch cannot start.
  // A fault rule's delay applies before, `truncate` drops the connection after the replay.
  bool start_watch(const httplib::Request& req, const ApiRequest& request, const std::optional<FaultRule>& fault,
                   httplib::Response& res, ApiResponse& out) {
    if (fault && fault->delay_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(fault->delay_ms));
    std::shared_ptr<Bundle> bundle = source.current();
    auto opened = open_watch(*bundle, request);
    if (auto* refused = std::get_if<ApiResponse>(&opened)) {
      out = std::move(*refused);
      return false;
    }
    WatchSpec spec = std::get<WatchSpec>(std::move(opened));
    spec.cut = fault && fault->truncate;
    // Sent as written: the API server does not compress watches, and httplib would gzip the
    // stream for a client accepting gzip, holding events back until its buffer fills. The
    // request is httplib's own non-const object, handed over as const.
    const_cast<httplib::Request&>(req).headers.erase("Accept-Encoding");
    const int fd = connection_socket(req);
    const WatchSettings settings{std::chrono::milliseconds(options.bookmark_interval_ms)};
    res.status = 200;
    res.set_chunked_content_provider(
        "application/json", [this, bundle, spec, settings, fd](std::size_t, httplib::DataSink& data) {
          StreamCount counted(*this);
          WatchSink sink{[&data](const std::string& bytes) { return data.write(bytes.data(), bytes.size()); },
                         [fd] { return peer_open(fd); }};
          if (!run_watch(bundle, spec, settings, sink)) return false;  // drops the connection
          data.done();
          return true;
        });
    out.status = 200;
    return true;
  }

  void handle(const httplib::Request& req, httplib::Response& res) {
    const auto start = Clock::now();
    ApiRequest request{req.method, req.path, req.params, req.get_header_value("Content-Type"), req.body};
    const std::string query = raw_query(req.target);
    std::optional<FaultRule> fault;
    ApiResponse out;
    bool streaming = false;
    try {
      if (!authorized(req)) out = unauthorized();
      else {
        if (faults) fault = faults->match(request, query);
        if (is_watch(request) && !(fault && fault->status)) streaming = start_watch(req, request, fault, res, out);
        else out = answer(request, fault);
      }
    } catch (const std::exception& e) {
      out = status_response(500, "InternalError", std::string("fakekube: ") + e.what());
      fault.reset();
      streaming = false;
    }
    if (!streaming) deliver(out, fault, res);
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
    http->new_task_queue = [] { return new GrowingPool(); };
    auto handler = [this](const httplib::Request& req, httplib::Response& res) { handle(req, res); };
    http->Get(".*", handler).Post(".*", handler).Put(".*", handler).Patch(".*", handler).Delete(".*", handler);
    return util::ok();
  }

  // The served state moves without requests too: a client that only watches sends none, yet
  // sees a reload (.reload marker, re-pointed symlink, SIGHUP) end its watches, and pods turn
  // Ready when their --rollout-delay-ms is over. Runs on its own thread while serve() does.
  void tend() {
    std::unique_lock lock(tend_mutex);
    auto delay = std::chrono::duration_cast<std::chrono::milliseconds>(k_tend_interval);
    while (!tend_wake.wait_for(lock, delay, [this] { return stopping; })) {
      lock.unlock();
      std::shared_ptr<Bundle> bundle = source.current();
      if (pods_due(*bundle)) {
        std::unique_lock write(bundle->mutex);
        settle_ready_pods(*bundle);
      }
      delay = until_due(*bundle);
      lock.lock();
    }
  }

  static std::chrono::milliseconds until_due(const Bundle& bundle) {
    const auto interval = std::chrono::duration_cast<std::chrono::milliseconds>(k_tend_interval);
    const long long due = bundle.writes.next_due.load();
    if (due == 0) return interval;
    const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::system_clock::now().time_since_epoch());
    return std::clamp(std::chrono::milliseconds(due) - now, std::chrono::milliseconds(1), interval);
  }

  void stop() {
    {
      std::lock_guard lock(tend_mutex);
      stopping = true;
    }
    tend_wake.notify_all();
    source.events().stop();
    {
      // The watches write their last chunk first (a connection that stopped reading fails every
      // write in httplib).
      std::unique_lock lock(streams_mutex);
      streams_done.wait_for(lock, k_stop_grace, [this] { return streams == 0; });
    }
    http->stop();
    if (port > 0) end_connections(port);
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
  raise_backlog(port);
  m_impl->port = port;
  return port;
}

void Server::serve() {
  std::thread tending([this] { m_impl->tend(); });
  m_impl->http->listen_after_bind();
  {
    std::lock_guard lock(m_impl->tend_mutex);
    m_impl->stopping = true;  // serve() may end without stop(): the tending thread goes too
  }
  m_impl->tend_wake.notify_all();
  tending.join();
}

void Server::stop() { m_impl->stop(); }
void Server::request_reload() { m_impl->source.request_reload(); }

}  // namespace meshdoctor::fakekube
