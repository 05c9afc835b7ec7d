#pragma once
// Watches (README.md, "Watches"), as kube-apiserver serves them:
//   * EventLog: the cluster's resourceVersion counter (one number for every resource, only
//     growing, across reloads too) and the last N events of the writes, for watches to follow
//     and to replay from a resourceVersion. A reload starts it again: every open watch is told
//     "410 Expired", as a compacted etcd would tell it.
//   * open_watch / run_watch: one `GET <collection>?watch=1` as a stream of JSON lines
//     {"type":"ADDED|MODIFIED|DELETED|BOOKMARK|ERROR","object":{...}}, filtered by the watch's
//     namespace and selectors (an object leaving the selector is DELETED, entering it ADDED).
// No HTTP here: the server hands run_watch a sink that writes to the connection.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "api_types.hpp"
#include "bundle_index.hpp"
#include "selectors.hpp"
#include "stored_object.hpp"

namespace meshdoctor::fakekube {

enum class EventType { added, modified, deleted };

struct WatchEvent {
  std::uint64_t resource_version = 0;
  std::string resource;  // resource_key(group, plural)
  EventType type = EventType::modified;
  std::shared_ptr<const StoredObject> object;    // as written (DELETED: the last state)
  std::shared_ptr<const StoredObject> previous;  // MODIFIED: as it was before; else null
};

class EventLog {
 public:
  explicit EventLog(std::size_t capacity) : m_capacity(capacity) {}

  // The counter's value: what lists answer as metadata.resourceVersion.
  std::uint64_t current() const { return m_counter.load(); }
  // Takes the next value for a write.
  std::uint64_t next() { return ++m_counter; }

  // A bundle (re)loaded as `generation`: events forgotten, every open watch expired, the counter
  // moved above every value it gave before and above `largest_loaded` (so 1 at the least).
  void restart(int generation, std::uint64_t largest_loaded);
  // Keeps a write of bundle `generation` (ignored when a reload replaced that bundle meanwhile).
  void append(int generation, WatchEvent event);
  // Server stop: every open watch ends.
  void stop();

  struct Wait {
    enum class State { events, idle, expired, stopped } state = State::idle;
    std::vector<std::shared_ptr<const WatchEvent>> events;  // resourceVersion > after, in order
    std::uint64_t floor = 0;  // expired: events up to here are gone
  };
  // Waits until `until` for events of `generation` after resourceVersion `after`; expired when
  // some of them were dropped (or the bundle was reloaded).
  Wait wait(int generation, std::uint64_t after, std::chrono::steady_clock::time_point until);
  // The resourceVersion of the last event kept (or the floor): under the bundle's lock, every
  // write of the bundle is in the log up to here.
  std::uint64_t last() const;

 private:
  bool expired(int generation, std::uint64_t after) const;

  const std::size_t m_capacity;
  std::atomic<std::uint64_t> m_counter{0};
  mutable std::mutex m_mutex;
  std::condition_variable m_changed;
  int m_generation = 0;
  std::uint64_t m_floor = 0;  // events up to this resourceVersion are not kept
  std::uint64_t m_last = 0;
  bool m_stopped = false;
  std::deque<std::shared_ptr<const WatchEvent>> m_events;
};

// Records a write of an object of `entry` (its resourceVersion stamped by next_resource_version)
// in the bundle's event log. Caller holds the bundle's lock alone.
void record_event(Bundle& bundle, const ResourceEntry& entry, EventType type, const StoredObject& object,
                  const StoredObject* previous = nullptr);

// The largest numeric metadata.resourceVersion of the bundle's objects (0 when none).
std::uint64_t largest_resource_version(const Bundle& bundle);

// A watch request, checked: what it follows and how.
struct WatchSpec {
  std::string group, plural, version, ns;  // ns "" = every namespace / cluster scope
  std::string kind;                        // of the objects (bookmarks name it)
  std::vector<LabelRequirement> labels;
  std::vector<FieldRequirement> fields;
  std::optional<std::uint64_t> from;       // nullopt: ADDED for every object first
  std::chrono::seconds timeout{1800};
  bool bookmarks = false;
  bool cut = false;                        // fault `truncate`: the connection drops after the replay
};

struct WatchSettings {
  std::chrono::milliseconds bookmark_interval{60000};
};

// Where a watch writes; both return false once the client is gone.
struct WatchSink {
  std::function<bool(const std::string& bytes)> write;
  std::function<bool()> connected;  // asked while the watch idles (at most every second)
};

// `GET <collection>?watch=1|true`.
bool is_watch(const ApiRequest& request);

// The answer when the request cannot start (403/500 as a list would get, 400 for a bad
// parameter), else what to stream. Takes the bundle's lock shared.
std::variant<ApiResponse, WatchSpec> open_watch(const Bundle& bundle, const ApiRequest& request);

// Streams the watch until its timeout, a reload or too old a resourceVersion (a 410 ERROR event),
// the server's stop, or the client leaving. Returns false when the connection must be dropped
// (the client left, or the spec's `cut`), true after a clean end.
bool run_watch(const std::shared_ptr<Bundle>& bundle, const WatchSpec& spec, const WatchSettings& settings,
               WatchSink& sink);

}  // namespace meshdoctor::fakekube
