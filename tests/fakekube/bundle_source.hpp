#pragma once
// The bundle being served, and when to read it again: on request (SIGHUP), when --bundle is a
// symbolic link re-pointed elsewhere, or when the bundle's `.reload` marker file changes. A
// reload that fails keeps serving the previous bundle. Each reload bumps the generation, which
// expires outstanding continue tokens (410) as a compaction would, and discards every write
// (the objects are read again from the files).
#include <atomic>
#include <memory>
#include <mutex>
#include <string>

#include "bundle_index.hpp"
#include "util/expected.hpp"

namespace meshdoctor::fakekube {

class BundleSource {
 public:
  explicit BundleSource(std::string path) : m_path(std::move(path)) {}
  util::Status load();                       // the first read: failure is a startup error
  std::shared_ptr<Bundle> current();         // reloads first when something changed
  void request_reload() { m_reload_requested = true; }  // async-signal-safe

 private:
  std::string stamp() const;  // resolved path + marker mtime

  std::string m_path;
  std::mutex m_mutex;
  std::shared_ptr<Bundle> m_bundle;
  std::string m_stamp;
  std::atomic<bool> m_reload_requested{false};
};

}  // namespace meshdoctor::fakekube
