// The MD305 probe of the ZDS socket (see socket_probe.hpp). The connect is non-blocking and
// bounded so that a wedged agent cannot hang `meshdoctor check --node-local`.
#include "probe/socket_probe.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <optional>
#include <thread>

namespace meshdoctor::probe {

namespace {

using Clock = std::chrono::steady_clock;

// Owns a file descriptor for the length of one probe.
class Fd {
 public:
  explicit Fd(int fd) : m_fd(fd) {}
  ~Fd() {
    if (m_fd >= 0) ::close(m_fd);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return m_fd; }

 private:
  int m_fd;
};

// A failed system call: which one and its errno.
struct SysError {
  const char* call = "";
  int err = 0;
};

std::string errno_text(const SysError& e) {
  return std::string(e.call) + ": " + std::strerror(e.err);
}

const char* file_type(mode_t mode) {
  if (S_ISREG(mode)) return "regular file";
  if (S_ISDIR(mode)) return "directory";
  if (S_ISFIFO(mode)) return "FIFO";
  if (S_ISCHR(mode)) return "character device";
  if (S_ISBLK(mode)) return "block device";
  if (S_ISLNK(mode)) return "symbolic link";
  return "unknown file type";
}

// absent / not_socket / error from stat; nullopt when the path is a socket.
std::optional<SocketProbe> check_file(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    SysError e{"stat", errno};
    bool missing = e.err == ENOENT || e.err == ENOTDIR;
    return SocketProbe{missing ? SocketState::absent : SocketState::error, errno_text(e), e.err};
  }
  if (!S_ISSOCK(st.st_mode))
    return SocketProbe{SocketState::not_socket, std::string("a ") + file_type(st.st_mode), 0};
  return std::nullopt;
}

int remaining_ms(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return left.count() > 0 ? static_cast<int>(left.count()) : 0;
}

// Waits for a connect in progress; its outcome is the socket's SO_ERROR.
SysError wait_connected(int fd, Clock::time_point deadline) {
  pollfd p{fd, POLLOUT, 0};
  int n = ::poll(&p, 1, remaining_ms(deadline));
  if (n == 0) return {"connect", ETIMEDOUT};
  if (n < 0) return {"poll", errno};
  int err = 0;
  socklen_t len = sizeof err;
  if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0) return {"getsockopt", errno};
  return {"connect", err};
}

// Connects a SOCK_SEQPACKET socket (the type ZDS uses); EAGAIN (listen backlog full) is retried
// until the deadline. err == 0 means accepted.
SysError connect_seqpacket(const sockaddr_un& addr, Clock::time_point deadline) {
  Fd fd(::socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (fd.get() < 0) return {"socket", errno};
  for (;;) {
    if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0)
      return {"connect", 0};
    int err = errno;
    if (err == EINPROGRESS) return wait_connected(fd.get(), deadline);
    if ((err != EAGAIN && err != EINTR) || remaining_ms(deadline) == 0) return {"connect", err};
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

// The outcome of a failed connect, with the cause in words where it is known.
SocketProbe connect_failure(const SysError& e, int timeout_ms) {
  std::string text = errno_text(e);
  switch (e.err) {
    case ECONNREFUSED:
      return {SocketState::refused, text + " (nothing listens: stale socket file)", e.err};
    case ENOENT:
      return {SocketState::absent, text + " (removed while probing)", e.err};
    case EPROTOTYPE:
      return {SocketState::error, text + " (the listener is not SOCK_SEQPACKET)", e.err};
    case ETIMEDOUT:
      return {SocketState::error,
              text + " (no answer within " + std::to_string(timeout_ms) + " ms)", e.err};
    default:
      return {SocketState::error, text, e.err};
  }
}

}  // namespace

const char* to_string(SocketState s) {
  switch (s) {
    case SocketState::unprobed:
      return "unprobed";
    case SocketState::absent:
      return "absent";
    case SocketState::not_socket:
      return "not-a-socket";
    case SocketState::refused:
      return "refused";
    case SocketState::accepted:
      return "accepted";
    case SocketState::error:
      return "error";
  }
  return "unknown";
}

SocketProbe probe_socket(const std::string& path, int timeout_ms) {
  if (auto early = check_file(path)) return *early;
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof addr.sun_path) {
    return {SocketState::error,
            "path longer than " + std::to_string(sizeof addr.sun_path - 1) +
                " bytes cannot be connected as a unix socket",
            ENAMETOOLONG};
  }
  std::memcpy(addr.sun_path, path.data(), path.size());
  SysError e = connect_seqpacket(addr, Clock::now() + std::chrono::milliseconds(timeout_ms));
  if (e.err == 0) return {SocketState::accepted, "SOCK_SEQPACKET connect accepted", 0};
  return connect_failure(e, timeout_ms);
}

void probe_ztunnel_socket(const std::string& path, Facts& facts) {
  facts.node_local = true;
  facts.socket_path = path.empty() ? k_default_ztunnel_socket : path;
  SocketProbe p = probe_socket(facts.socket_path);
  facts.socket_state = p.state;
  Obtained how = Obtained::collected;
  if (p.state == SocketState::error)
    how = (p.err == EACCES || p.err == EPERM) ? Obtained::forbidden : Obtained::error;
  facts.socket = {how, p.detail};
}

}  // namespace meshdoctor::probe
