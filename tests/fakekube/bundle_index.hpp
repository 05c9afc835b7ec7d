#pragma once
// A bundle held in memory as an API server would hold it: objects per resource, ordered by
// namespace and name, with the record of which resources (and in which namespaces) the bundle
// collected at all — the difference between "none exist" and "not collected".
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "util/expected.hpp"

namespace meshdoctor::fakekube {

struct ResourceEntry {
  std::string group;  // "" = core
  std::string plural;
  std::string kind;
  std::set<std::string> versions;      // from the objects' apiVersion (or the table)
  bool cluster_scoped = false;
  bool collected_everywhere = false;   // cluster-scoped folder, or listed in collection.json
  std::set<std::string> namespaces;    // namespaces whose list the bundle holds
  std::map<std::pair<std::string, std::string>, nlohmann::json> objects;  // (namespace, name)
  // Files of this resource that failed to parse, by namespace ("" = cluster scope): served as a
  // 500 so a live read of the same bundle is as incomplete as the offline one.
  std::map<std::string, std::string> unreadable;

  // The bundle answers for this namespace ("" = every namespace / cluster scope).
  bool collected_in(const std::string& ns) const;
  std::string preferred_version() const;
};

// Container logs of one pod: container → {current.log, previous.log} paths ("" = absent).
struct PodLogFiles {
  std::map<std::string, std::pair<std::string, std::string>> containers;
};

struct ReadinessAnswer {
  int status = 0;
  std::string body;
};

struct PromAnswer {
  std::string query;
  int series = 0;
};

struct Bundle {
  int generation = 1;                 // bumped on every reload; part of continue tokens
  std::string source;                 // the resolved path that was read
  std::map<std::string, ResourceEntry> resources;                   // key: resource_key()
  std::map<std::pair<std::string, std::string>, PodLogFiles> logs;  // (namespace, pod)
  std::optional<std::map<std::pair<std::string, std::string>, ReadinessAnswer>> readiness;
  std::optional<std::vector<PromAnswer>> prometheus;
  std::string metrics_dir;            // meshdoctor/ztunnel-metrics, "" when absent
  std::string collected_at;           // from collection.json, "" when absent
  std::vector<std::string> warnings;  // files that could not be parsed
  std::shared_ptr<void> keep_alive;   // the temporary copy of an unpacked archive

  const ResourceEntry* find(const std::string& group, const std::string& plural) const;
  const nlohmann::json* find_object(const std::string& group, const std::string& plural,
                                    const std::string& ns, const std::string& name) const;
};

// Reads a bundle directory (inspect, must-gather, or a `meshdoctor collect` output) or archive.
util::Expected<std::shared_ptr<Bundle>> load_bundle(const std::string& path, int generation);

}  // namespace meshdoctor::fakekube
