#pragma once
// The bundle being served, and when to read it again: on request (SIGHUP), when --bundle is a
// symbolic link re-pointed elsewhere, or when the bundle's `.reload` marker file changes. A
// reload that fails keeps serving the previous bundle. Each reload bumps the generation, which
// expires outstanding continue tokens (410) as a compaction would, discards every write (the
// objects are read again from the files) and restarts the event log: open watches get 410, the
// resourceVersion counter moves on.
#include <atomic>
#include <memory>
#include <mutex>
#include <string>

#include "bundle_index.hpp"
#include "util/expected.hpp"

namespace meshdoctor::fakekube {

class BundleSource {
 public:
  // watch_history: how many events the log keeps for watches to replay.
  BundleSource(std::string path, std::size_t watch_history);
  util::Status load();                       // the first read: failure is a startup error
  std::shared_ptr<Bundle> current();         // reloads first when something changed
  void request_reload() { m_reload_requested = true; }  // async-signal-safe
  EventLog& events() { return *m_events; }

 private:
  std::string stamp() const;  // resolved path + marker mtime
  void publish(std::shared_ptr<Bundle> bundle);  // caller holds m_mutex

  std::string m_path;
  std::mutex m_mutex;
  std::shared_ptr<Bundle> m_bundle;
  std::string m_stamp;
  std::atomic<bool> m_reload_requested{false};
  std::shared_ptr<EventLog> m_events;
};

}  // namespace meshdoctor::fakekube
