// Where the inspect data sits inside a bundle: `oc adm inspect` writes namespaces/ and
// cluster-scoped-resources/ at its top; `oc adm must-gather` nests that inside one folder per
// gather image; an archive may add one more wrapping folder.
#include <algorithm>

#include "probe/bundle_internal.hpp"

namespace meshdoctor::probe::bundle {
namespace {

bool has_inspect_layout(const fs::path& dir) {
  return is_dir(dir / "namespaces") || is_dir(dir / "cluster-scoped-resources");
}

void collect_roots(const fs::path& dir, int depth, std::vector<fs::path>& out) {
  if (has_inspect_layout(dir)) {
    out.push_back(dir);
    return;
  }
  if (depth == 0) return;
  for (const auto& child : list_dir(dir, EntryKind::dirs)) collect_roots(child, depth - 1, out);
}

}  // namespace

std::string Layout::relative(const fs::path& p) const {
  std::error_code ec;
  const fs::path rel = fs::relative(p, top, ec);
  return ec || rel.empty() ? p.string() : rel.generic_string();
}

bool is_dir(const fs::path& p) {
  std::error_code ec;
  return fs::is_directory(fs::symlink_status(p, ec));
}

bool is_file(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(fs::symlink_status(p, ec));
}

// Symbolic links are not followed: a bundle must not make meshdoctor read outside of it.
std::vector<fs::path> list_dir(const fs::path& dir, EntryKind kind) {
  std::vector<fs::path> out;
  std::error_code ec;
  fs::directory_iterator it(dir, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    const fs::path& p = it->path();
    if (kind == EntryKind::dirs ? is_dir(p) : is_file(p)) out.push_back(p);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<fs::path> find_roots(const fs::path& top) {
  std::vector<fs::path> roots;
  collect_roots(top, 2, roots);  // top, image folder, wrapper + image folder
  std::sort(roots.begin(), roots.end());
  return roots;
}

}  // namespace meshdoctor::probe::bundle
