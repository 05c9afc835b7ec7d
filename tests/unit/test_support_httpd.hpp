#pragma once
// A real HTTP(S) server for the live-access tests: cpp-httplib bound to a free loopback port and
// served from a background thread for the lifetime of the object.
#ifndef CPPHTTPLIB_OPENSSL_SUPPORT
#define CPPHTTPLIB_OPENSSL_SUPPORT
#endif
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>

namespace meshdoctor::test {

class ServerThread {
 public:
  explicit ServerThread(httplib::Server& server, const std::string& scheme = "http")
      : m_server(server) {
    m_port = m_server.bind_to_any_port("127.0.0.1");
    m_thread = std::thread([this] { m_server.listen_after_bind(); });
    for (int i = 0; i < 2000 && !m_server.is_running(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    m_url = scheme + "://127.0.0.1:" + std::to_string(m_port);
  }
  ~ServerThread() {
    m_server.stop();
    if (m_thread.joinable()) m_thread.join();
  }
  ServerThread(const ServerThread&) = delete;
  ServerThread& operator=(const ServerThread&) = delete;
  int port() const { return m_port; }
  const std::string& url() const { return m_url; }

 private:
  httplib::Server& m_server;
  int m_port = 0;
  std::thread m_thread;
  std::string m_url;
};

// A loopback port nobody listens on: bound, then closed, so connecting is refused.
inline int closed_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

// Answers with a Content-Length larger than the bytes it sends, then drops the connection: the
// shape of a response cut by a proxy or a crashed API server.
inline void serve_truncated(httplib::Response& res, const std::string& partial) {
  res.set_content_provider(
      partial.size() + 1000, "application/json",
      [partial](size_t offset, size_t, httplib::DataSink& sink) {
        if (offset == 0) sink.write(partial.data(), partial.size());
        return false;  // abort: httplib closes the socket mid-body
      });
}

}  // namespace meshdoctor::test
