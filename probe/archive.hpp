#pragma once
// Safe extraction of a bundle archive (.tar, .tar.gz, .tgz; whatever libarchive recognises) into
// a private temporary directory that is removed again when the owner goes out of scope.
#include <string>

#include "util/expected.hpp"

namespace meshdoctor::probe {

class TempDir {
 public:
  // mkdtemp under $TMPDIR (else /tmp); mode 0700.
  static util::Expected<TempDir> create(const std::string& prefix);
  TempDir(TempDir&& other) noexcept : m_path(std::move(other.m_path)) { other.m_path.clear(); }
  TempDir& operator=(TempDir&&) = delete;
  TempDir(const TempDir&) = delete;
  ~TempDir();
  const std::string& path() const { return m_path; }

 private:
  explicit TempDir(std::string path) : m_path(std::move(path)) {}
  std::string m_path;
};

struct ArchiveLimits {
  unsigned long long max_total_bytes = 4ULL << 30;  // a zip bomb stops here, not at a full disk
};

// Refuses absolute paths, `..` components, links that point outside the destination and device,
// FIFO or socket entries: any of them fails the whole extraction ("archive.unsafe").
util::Status extract_archive(const std::string& archive, const std::string& dest,
                             const ArchiveLimits& limits = {});

}  // namespace meshdoctor::probe
