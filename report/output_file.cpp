#include "report/output_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace meshdoctor::report {

namespace {

// Owns a file descriptor; closes it unless released by an explicit close().
class Fd {
 public:
  explicit Fd(int fd) : m_fd(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (m_fd >= 0) ::close(m_fd);
  }
  int get() const { return m_fd; }
  bool close() {
    int fd = m_fd;
    m_fd = -1;
    return ::close(fd) == 0;
  }

 private:
  int m_fd;
};

util::Error failure(const std::string& path, const std::string& what) {
  return util::make_error("output.write",
                          "cannot write " + path + ": " + what + ": " + std::strerror(errno));
}

bool write_all(int fd, std::string_view content) {
  while (!content.empty()) {
    ssize_t n = ::write(fd, content.data(), content.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    content.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

// Best effort: makes the rename itself durable.
void sync_directory(const std::string& dir) {
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() >= 0) ::fsync(fd.get());
}

std::string directory_of(const std::string& path) {
  std::string dir = std::filesystem::path(path).parent_path().string();
  return dir.empty() ? "." : dir;
}

// Fills and closes the temporary file; the caller renames or removes it.
util::Status fill(Fd& fd, const std::string& path, std::string_view content) {
  if (!write_all(fd.get(), content)) return failure(path, "write");
  if (::fchmod(fd.get(), 0644) != 0) return failure(path, "chmod");
  if (::fsync(fd.get()) != 0) return failure(path, "fsync");
  if (!fd.close()) return failure(path, "close");
  return util::ok();
}

}  // namespace

util::Status write_file_atomic(const std::string& path, std::string_view content) {
  if (path.empty()) return util::make_error("output.write", "no output file name given");
  std::string dir = directory_of(path);
  std::string name = std::filesystem::path(path).filename().string();
  std::string tmp = dir + "/." + name + ".tmp.XXXXXX";
  Fd fd(::mkstemp(tmp.data()));
  if (fd.get() < 0) return failure(path, "create a temporary file in " + dir);
  util::Status filled = fill(fd, path, content);
  if (!filled) {
    ::unlink(tmp.c_str());
    return filled;
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    util::Error e = failure(path, "rename");
    ::unlink(tmp.c_str());
    return e;
  }
  sync_directory(dir);
  return util::ok();
}

}  // namespace meshdoctor::report
