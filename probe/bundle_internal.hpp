#pragma once
// Internals of the bundle reader (bundle_*.cpp), split by concern: layout detection, object
// files, container logs, and the meshdoctor/ extras plus the collection time.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "probe/facts.hpp"
#include "util/expected.hpp"

namespace meshdoctor::probe::bundle {

namespace fs = std::filesystem;

// The bundle as found on disk.
struct Layout {
  fs::path top;                // the directory given (or the extracted archive)
  std::vector<fs::path> roots;  // inspect roots: folders holding namespaces/ or cluster-scoped-resources/
  std::string relative(const fs::path& p) const;  // bundle-relative path for evidence
};

// Finds the inspect roots: top itself, must-gather image folders below it, or either of those
// below one wrapping folder (archives). Sorted, so reading order is deterministic.
std::vector<fs::path> find_roots(const fs::path& top);

// Sorted entries of a directory (empty on error); files_only / dirs_only filter.
enum class EntryKind { files, dirs };
std::vector<fs::path> list_dir(const fs::path& dir, EntryKind kind);
bool is_dir(const fs::path& p);
bool is_file(const fs::path& p);

// Per resource ("group/resource", e.g. "sailoperator.io/istiocnis") how it was obtained.
struct LoadState {
  std::map<std::string, SourceState> resources;
  std::map<std::string, SourceState> namespace_pods;  // per namespace
  bool all_pods_collected = false;                    // collection.json lists core/pods
};

// Reads every wanted object file of every root into facts (deduplicated).
void load_objects(Facts& facts, const Layout& layout, LoadState& state);

// Turns LoadState into the section states of facts (collected / not_found / error).
void apply_section_states(Facts& facts, const LoadState& state);

// Scans the ztunnel and istio-cni-node container logs of the loaded node agent pods.
void load_logs(Facts& facts, const Layout& layout);

// meshdoctor/collection.json, ztunnel-readiness.json, prometheus.json, ztunnel-metrics/<pod>.txt
// (after load_objects: the scrapes take namespace and node from the ztunnel pods).
void load_extras(Facts& facts, const Layout& layout, LoadState& state);

// collection.json time, else the must-gather timestamp file, else the newest object time.
void set_collected_at(Facts& facts, const Layout& layout);

// Marks a resource collected unless an error was already recorded for it.
void mark_collected(std::map<std::string, SourceState>& states, const std::string& key,
                    const std::string& detail);
void mark_error(Facts& facts, std::map<std::string, SourceState>& states, const std::string& key,
                const std::string& message);

}  // namespace meshdoctor::probe::bundle
