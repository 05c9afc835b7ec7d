// cpp-httplib routes for serve: each endpoint answers a daemon/pages.hpp Page.
#include "daemon/http_server.hpp"

#include <httplib.h>
#include <sys/socket.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include "daemon/pages.hpp"

namespace meshdoctor::daemon {
namespace {

util::Error bad_listen(const std::string& text) {
  return util::make_error(
      "usage.listen", "\"" + text + "\" is not ADDR:PORT (e.g. :9090, 127.0.0.1:0, [::1]:9090)");
}

void answer(httplib::Response& res, const Page& page) {
  res.status = page.status;
  res.set_content(page.body, page.content_type.c_str());
}

}  // namespace

util::Expected<ListenAddress> parse_listen_address(const std::string& text) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos) return bad_listen(text);
  std::string host = text.substr(0, colon);
  const std::string port = text.substr(colon + 1);
  if (port.empty() || port.size() > 5) return bad_listen(text);
  for (char c : port) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return bad_listen(text);
  }
  const int number = std::stoi(port);
  if (number > 65535) return bad_listen(text);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  else if (host.find(':') != std::string::npos)
    return bad_listen(text);  // IPv6 needs brackets
  return ListenAddress{host.empty() ? "0.0.0.0" : host, number};
}

struct HttpServer::Impl {
  httplib::Server server;
  Sources sources;
  std::thread thread;

  const RunReport* latest(std::shared_ptr<const RunReport>& hold) const {
    hold = sources.latest();
    return hold.get();
  }

  void route() {
    server.Get("/healthz",
               [](const httplib::Request&, httplib::Response& res) { answer(res, health_page()); });
    server.Get("/readyz", [this](const httplib::Request&, httplib::Response& res) {
      std::shared_ptr<const RunReport> hold;
      answer(res, readiness_page(latest(hold)));
    });
    server.Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
      answer(res, metrics_page(sources.metrics()));
    });
    report("/report.json", ReportView::json);
    report("/report.md", ReportView::markdown);
    report("/", ReportView::html);
  }

  void report(const std::string& path, ReportView view) {
    server.Get(path, [this, view](const httplib::Request&, httplib::Response& res) {
      std::shared_ptr<const RunReport> hold;
      answer(res, report_page(view, latest(hold)));
    });
  }
};

HttpServer::HttpServer(Sources sources) : m_impl(std::make_unique<Impl>()) {
  m_impl->sources = std::move(sources);
  m_impl->server.set_read_timeout(10, 0);
  m_impl->server.set_write_timeout(10, 0);
  // httplib's default is SO_REUSEPORT, which lets a second daemon bind the same port silently.
  m_impl->server.set_socket_options([](int sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  m_impl->route();
}

HttpServer::~HttpServer() { stop(); }

util::Expected<int> HttpServer::bind(const ListenAddress& address) {
  errno = 0;
  int port = address.port;
  if (port == 0) {
    port = m_impl->server.bind_to_any_port(address.host);
  } else if (!m_impl->server.bind_to_port(address.host, port)) {
    port = -1;
  }
  if (port <= 0) {
    const std::string why = errno != 0 ? std::strerror(errno) : "bind failed";
    return util::make_error("serve.listen", "cannot listen on " + address.host + ":" +
                                                std::to_string(address.port) + ": " + why);
  }
  return port;
}

// Returns once the server accepts: a stop() before that point would be lost and the thread
// would serve forever.
void HttpServer::start() {
  m_impl->thread = std::thread([this] { m_impl->server.listen_after_bind(); });
  for (int i = 0; i < 5000 && !m_impl->server.is_running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

void HttpServer::stop() {
  m_impl->server.stop();
  if (m_impl->thread.joinable()) m_impl->thread.join();
}

}  // namespace meshdoctor::daemon
