#pragma once
// The HTTP side of `meshdoctor serve` (cpp-httplib, kept out of this header): /metrics,
// /healthz, /readyz, /report.json, /report.md and the HTML report at /. Handlers read a snapshot
// through the Sources, so they never wait for a run.
#include <functional>
#include <memory>
#include <string>

#include "daemon/run.hpp"
#include "util/expected.hpp"

namespace meshdoctor::daemon {

struct ListenAddress {
  std::string host;  // "0.0.0.0" when the address gave none (":9090")
  int port = 0;      // 0: any free port
};

// ":9090", "127.0.0.1:0", "[::1]:9090", "localhost:8080". Errors: code "usage.listen".
util::Expected<ListenAddress> parse_listen_address(const std::string& text);

struct Sources {
  std::function<std::shared_ptr<const RunReport>()> latest;  // null before the first good run
  std::function<std::string()> metrics;                      // the exposition
};

class HttpServer {
 public:
  explicit HttpServer(Sources sources);
  ~HttpServer();  // stops
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds the socket; returns the port (the chosen one for port 0). Error code "serve.listen".
  util::Expected<int> bind(const ListenAddress& address);
  // Serves on background threads until stop().
  void start();
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

}  // namespace meshdoctor::daemon
