#pragma once
// The HTTP(S) server around the router: bearer-token check, faults, request recording, and the
// transport-level faults (delays, truncated and stalled bodies). The only part of fakekube that
// knows the HTTP library; usable in-process (bind, serve on a thread, stop). Watches are streamed
// from the connection's thread; the thread pool grows so that none waits for another to end.
#include <cstddef>
#include <memory>
#include <string>

#include "util/expected.hpp"

namespace meshdoctor::fakekube {

struct ServerOptions {
  std::string bundle;
  std::string host = "127.0.0.1";
  int port = 0;                  // 0 = a free port
  std::string tls_cert, tls_key; // both set = HTTPS
  std::string client_ca;         // set = client certificates required
  std::string token;             // set = "Authorization: Bearer <token>" required
  std::string faults_file;
  std::string record_file;
  std::size_t page_size_cap = 0;
  std::string prometheus_upstream;  // http(s)://host:port[/prefix]
  bool simulate_rollouts = false;   // a workload PATCH changing its pod template replaces its pods
  int rollout_delay_ms = 0;         // the new pods stay NotReady this long
  std::size_t watch_history = 10000;  // events kept for watches to replay
  int bookmark_interval_ms = 60000;   // between BOOKMARK events (allowWatchBookmarks=true)
};

class Server {
 public:
  static util::Expected<std::unique_ptr<Server>> create(const ServerOptions& options);
  ~Server();
  util::Expected<int> bind();  // the port actually bound
  void serve();                // blocks until stop()
  void stop();                 // open watches end (within a second), then serve() returns
  void request_reload();       // async-signal-safe

 private:
  struct Impl;
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> m_impl;
};

}  // namespace meshdoctor::fakekube
