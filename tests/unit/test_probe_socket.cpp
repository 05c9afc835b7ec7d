// The MD305 node-local probe against real unix sockets in a temp dir, and MD305's verdict on
// what it found.
#include <doctest/doctest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <vector>

#include "checks/catalogue.hpp"
#include "probe/socket_probe.hpp"

using namespace meshdoctor;
using checks::Status;
using probe::SocketState;

namespace {

// A private directory under /tmp (short, so socket paths fit sun_path), removed afterwards.
struct TempDir {
  std::filesystem::path path;
  TempDir() {
    char tmpl[] = "/tmp/md-sock-XXXXXX";
    REQUIRE(::mkdtemp(tmpl) != nullptr);
    path = tmpl;
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  std::string file(const char* name) const { return (path / name).string(); }
};

// A bound, listening unix socket of the given type; closing it leaves the socket file behind.
struct Listener {
  int fd = -1;
  Listener(const std::string& path, int type, int backlog = 16) {
    fd = ::socket(AF_UNIX, type | SOCK_CLOEXEC, 0);
    REQUIRE(fd >= 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    REQUIRE(::listen(fd, backlog) == 0);
  }
  ~Listener() { close(); }
  void close() {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
};

checks::Finding md305_after_probe(const std::string& path) {
  probe::Facts facts;
  probe::probe_ztunnel_socket(path, facts);
  CHECK(facts.node_local);
  CHECK(facts.socket_path == path);
  return checks::find_check("MD305")->run(facts, checks::CheckContext{});
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_SUITE("probe::socket_probe") {
  TEST_CASE("a SOCK_SEQPACKET listener accepts the probe and MD305 passes") {
    TempDir dir;
    Listener agent(dir.file("ztunnel.sock"), SOCK_SEQPACKET);
    auto p = probe::probe_socket(dir.file("ztunnel.sock"));
    CHECK(p.state == SocketState::accepted);
    auto f = md305_after_probe(dir.file("ztunnel.sock"));
    CHECK(f.status == Status::pass);
    CHECK(contains(f.message, "accepts a SOCK_SEQPACKET connection"));
  }

  TEST_CASE("a missing path is absent: istio-cni not in ambient mode, MD305 fails") {
    TempDir dir;
    auto p = probe::probe_socket(dir.file("ztunnel.sock"));
    CHECK(p.state == SocketState::absent);
    CHECK(p.detail == "stat: No such file or directory");
    auto f = md305_after_probe(dir.file("ztunnel.sock"));
    CHECK(f.status == Status::fail);
    CHECK(contains(f.message, "not in ambient mode or not running on this node"));
    REQUIRE(!f.evidence.empty());
    CHECK(f.evidence[0].detail == "absent: stat: No such file or directory");
  }

  TEST_CASE("a missing parent directory is absent too") {
    TempDir dir;
    CHECK(probe::probe_socket(dir.file("no-such-dir") + "/ztunnel.sock").state ==
          SocketState::absent);
  }

  TEST_CASE("a regular file or a directory is not a socket, and MD305 names its type") {
    TempDir dir;
    std::ofstream(dir.file("ztunnel.sock")) << "not a socket\n";
    auto p = probe::probe_socket(dir.file("ztunnel.sock"));
    CHECK(p.state == SocketState::not_socket);
    CHECK(p.detail == "a regular file");
    auto f = md305_after_probe(dir.file("ztunnel.sock"));
    CHECK(f.status == Status::fail);
    CHECK(contains(f.message, "is a regular file, not a socket"));
    CHECK(probe::probe_socket(dir.path.string()).detail == "a directory");
  }

  TEST_CASE("a socket file whose listener closed is refused: the agent is dead, MD305 fails") {
    TempDir dir;
    Listener agent(dir.file("ztunnel.sock"), SOCK_SEQPACKET);
    agent.close();
    auto p = probe::probe_socket(dir.file("ztunnel.sock"));
    CHECK(p.state == SocketState::refused);
    CHECK(contains(p.detail, "Connection refused"));
    CHECK(contains(p.detail, "stale socket"));
    auto f = md305_after_probe(dir.file("ztunnel.sock"));
    CHECK(f.status == Status::fail);
    CHECK(contains(f.message, "the istio-cni agent on this node is dead"));
  }

  TEST_CASE("a stream listener is a probe error naming the socket type; MD305 is unknown") {
    TempDir dir;
    Listener other(dir.file("ztunnel.sock"), SOCK_STREAM);
    auto p = probe::probe_socket(dir.file("ztunnel.sock"));
    CHECK(p.state == SocketState::error);
    CHECK(contains(p.detail, "not SOCK_SEQPACKET"));
    auto f = md305_after_probe(dir.file("ztunnel.sock"));
    CHECK(f.status == Status::unknown);
    CHECK(contains(f.message, "could not be probed"));
  }

  TEST_CASE("a listener with a full backlog ends the probe at the timeout instead of hanging") {
    TempDir dir;
    Listener busy(dir.file("ztunnel.sock"), SOCK_SEQPACKET, 0);
    // Fill the backlog: connects that are never accepted, until the kernel says EAGAIN.
    std::vector<int> queued;
    for (int i = 0; i < 64; ++i) {
      int fd = ::socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
      sockaddr_un addr{};
      addr.sun_family = AF_UNIX;
      std::strncpy(addr.sun_path, dir.file("ztunnel.sock").c_str(), sizeof addr.sun_path - 1);
      queued.push_back(fd);
      if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) break;
    }
    auto start = std::chrono::steady_clock::now();
    auto p = probe::probe_socket(dir.file("ztunnel.sock"), 200);
    auto elapsed = std::chrono::steady_clock::now() - start;
    for (int fd : queued) ::close(fd);
    CHECK(p.state == SocketState::error);
    CHECK(contains(p.detail, "Resource temporarily unavailable"));
    CHECK(elapsed < std::chrono::seconds(1));
  }

  TEST_CASE("a path too long for sun_path is a probe error, not a truncated connect") {
    TempDir dir;
    std::string name(150, 's');
    std::string path = dir.file(name.c_str());
    Listener unused(dir.file("ztunnel.sock"), SOCK_SEQPACKET);
    // The file must exist for the length check to be reached.
    std::filesystem::create_symlink(dir.file("ztunnel.sock"), path);
    auto p = probe::probe_socket(path);
    CHECK(p.state == SocketState::error);
    CHECK(contains(p.detail, "cannot be connected as a unix socket"));
  }

  TEST_CASE("an unreadable parent directory is forbidden and MD305 is unknown") {
    if (::geteuid() == 0) {  // root bypasses directory permissions
      MESSAGE("not checked: running as root");
      return;
    }
    TempDir dir;
    std::filesystem::create_directory(dir.path / "locked");
    std::filesystem::permissions(dir.path / "locked", std::filesystem::perms::none);
    probe::Facts facts;
    probe::probe_ztunnel_socket(dir.file("locked") + "/ztunnel.sock", facts);
    std::filesystem::permissions(dir.path / "locked", std::filesystem::perms::owner_all);
    CHECK(facts.socket.state == probe::Obtained::forbidden);
    CHECK(checks::find_check("MD305")->run(facts, {}).status == Status::unknown);
  }

  TEST_CASE("probe_ztunnel_socket defaults to the ZDS path and MD305 is skipped off-node") {
    probe::Facts facts;
    CHECK(checks::find_check("MD305")->run(facts, {}).status == Status::skipped);
    probe::probe_ztunnel_socket("", facts);
    CHECK(facts.socket_path == "/var/run/ztunnel/ztunnel.sock");
    CHECK(facts.socket_state != SocketState::unprobed);
    CHECK(std::string(probe::to_string(SocketState::not_socket)) == "not-a-socket");
  }
}
