#include "probe/archive.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <vector>

namespace meshdoctor::probe {
namespace {

namespace fs = std::filesystem;

struct ReadDeleter {
  void operator()(archive* a) const { archive_read_free(a); }
};
struct WriteDeleter {
  void operator()(archive* a) const { archive_write_free(a); }
};
using ReadPtr = std::unique_ptr<archive, ReadDeleter>;
using WritePtr = std::unique_ptr<archive, WriteDeleter>;

std::string error_text(archive* a) {
  const char* text = archive_error_string(a);
  return text ? text : "unknown archive error";
}

util::Error unsafe(const std::string& archive_path, const std::string& entry, const std::string& why) {
  return util::make_error("archive.unsafe", archive_path + ": entry \"" + entry + "\" refused: " + why);
}

// Lexically normalised path components; false when it climbs above the starting directory.
bool stays_inside(const fs::path& relative) {
  int depth = 0;
  for (const auto& part : relative) {
    const std::string p = part.string();
    if (p == "..") --depth;
    else if (p != "." && !p.empty()) ++depth;
    if (depth < 0) return false;
  }
  return true;
}

bool has_dotdot(const std::string& name) {
  for (const auto& part : fs::path(name)) {
    if (part == "..") return true;
  }
  return false;
}

// Checks one entry; returns an error message when it must be refused.
std::optional<std::string> entry_problem(archive_entry* entry) {
  const char* raw = archive_entry_pathname(entry);
  const std::string name = raw ? raw : "";
  if (name.empty()) return "empty path";
  if (name.front() == '/') return "absolute path";
  if (has_dotdot(name)) return "path contains ..";
  const mode_t type = archive_entry_filetype(entry);
  if (type != AE_IFREG && type != AE_IFDIR && type != AE_IFLNK) return "device, FIFO or socket entry";
  if (const char* hard = archive_entry_hardlink(entry)) {
    if (hard[0] == '/' || has_dotdot(hard)) return "hard link points outside the bundle";
  }
  if (type == AE_IFLNK) {
    const char* target = archive_entry_symlink(entry);
    if (!target || target[0] == '/' ||
        !stays_inside(fs::path(name).parent_path() / fs::path(target))) {
      return "symbolic link points outside the bundle";
    }
  }
  return std::nullopt;
}

// Rewrites the entry's paths to live under dest.
void relocate(archive_entry* entry, const std::string& dest) {
  archive_entry_copy_pathname(entry, (dest + "/" + archive_entry_pathname(entry)).c_str());
  if (const char* hard = archive_entry_hardlink(entry)) {
    archive_entry_copy_hardlink(entry, (dest + "/" + hard).c_str());
  }
  // Never restore owners, set-id bits or odd permissions from an untrusted archive.
  archive_entry_set_perm(entry, archive_entry_filetype(entry) == AE_IFDIR ? 0700 : 0600);
}

util::Status copy_data(archive* in, archive* out, const std::string& archive_path,
                       unsigned long long& total, const ArchiveLimits& limits) {
  const void* buf = nullptr;
  size_t size = 0;
  la_int64_t offset = 0;
  while (true) {
    const int r = archive_read_data_block(in, &buf, &size, &offset);
    if (r == ARCHIVE_EOF) return util::ok();
    if (r < ARCHIVE_WARN) {
      return util::make_error("archive.read", archive_path + ": " + error_text(in));
    }
    total += size;
    if (total > limits.max_total_bytes) {
      return util::make_error("archive.too_large",
                              archive_path + ": extracted size exceeds the limit of " +
                                  std::to_string(limits.max_total_bytes >> 20) + " MiB");
    }
    if (archive_write_data_block(out, buf, size, offset) < ARCHIVE_WARN) {
      return util::make_error("archive.write", archive_path + ": " + error_text(out));
    }
  }
}

ReadPtr open_reader(const std::string& path) {
  ReadPtr in(archive_read_new());
  archive_read_support_filter_all(in.get());
  archive_read_support_format_tar(in.get());
  archive_read_support_format_gnutar(in.get());
  if (archive_read_open_filename(in.get(), path.c_str(), 64 * 1024) != ARCHIVE_OK) return nullptr;
  return in;
}

WritePtr open_writer() {
  WritePtr out(archive_write_disk_new());
  // Entries are relocated under an absolute temporary directory, so libarchive's absolute-path
  // guard cannot be used; entry_problem() has already refused absolute names.
  archive_write_disk_set_options(out.get(),
                                 ARCHIVE_EXTRACT_SECURE_NODOTDOT | ARCHIVE_EXTRACT_SECURE_SYMLINKS);
  return out;
}

}  // namespace

util::Expected<TempDir> TempDir::create(const std::string& prefix) {
  const char* base = std::getenv("TMPDIR");
  std::string pattern = std::string(base && *base ? base : "/tmp") + "/" + prefix + "XXXXXX";
  std::vector<char> buf(pattern.begin(), pattern.end());
  buf.push_back('\0');
  if (!mkdtemp(buf.data())) {
    return util::make_error("bundle.tempdir", "cannot create a temporary directory in " + pattern);
  }
  return TempDir(std::string(buf.data()));
}

TempDir::~TempDir() {
  if (m_path.empty()) return;
  std::error_code ec;
  fs::remove_all(m_path, ec);  // remove_all does not follow symbolic links
}

util::Status extract_archive(const std::string& archive_path, const std::string& dest,
                             const ArchiveLimits& limits) {
  ReadPtr in = open_reader(archive_path);
  if (!in) {
    return util::make_error("bundle.unreadable",
                            archive_path + ": not a directory or a readable .tar/.tar.gz archive");
  }
  WritePtr out = open_writer();
  unsigned long long total = 0;
  archive_entry* entry = nullptr;
  int r = ARCHIVE_OK;
  while ((r = archive_read_next_header(in.get(), &entry)) == ARCHIVE_OK || r == ARCHIVE_WARN) {
    if (auto problem = entry_problem(entry)) {
      return unsafe(archive_path, archive_entry_pathname(entry) ? archive_entry_pathname(entry) : "",
                    *problem);
    }
    relocate(entry, dest);
    if (archive_write_header(out.get(), entry) < ARCHIVE_WARN) {
      return util::make_error("archive.write", archive_path + ": " + error_text(out.get()));
    }
    if (archive_entry_size(entry) > 0 || archive_entry_filetype(entry) == AE_IFREG) {
      auto copied = copy_data(in.get(), out.get(), archive_path, total, limits);
      if (!copied) return copied.error();
    }
    archive_write_finish_entry(out.get());
  }
  if (r != ARCHIVE_EOF) {
    return util::make_error("bundle.unreadable", archive_path +
                                                     ": not a directory or a readable .tar/.tar.gz "
                                                     "archive (" + error_text(in.get()) + ")");
  }
  return util::ok();
}

}  // namespace meshdoctor::probe
