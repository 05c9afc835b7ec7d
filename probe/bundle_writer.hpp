#pragma once
// Writes what a live run read as a bundle the bundle reader accepts (DESIGN.md §5): the
// `oc adm inspect` layout (objects as JSON, which is YAML, in .yaml files; namespaced resources as
// one List per namespace; container logs) plus meshdoctor/collection.json, ztunnel-readiness.json
// and prometheus.json. Never a Secret; metadata.managedFields stripped. Atomic: everything goes
// into DIR.tmp-XXXXXX beside DIR and is renamed into place by commit(); a writer destroyed
// without commit removes its temporary directory.
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "probe/live_collector.hpp"

namespace meshdoctor::probe {

class BundleWriter : public ObjectSink {
 public:
  // Errors (exit 3): collect.exists (DIR exists and is not empty, without force; or is not a
  // directory), collect.io (the temporary directory cannot be created).
  static util::Expected<std::unique_ptr<BundleWriter>> create(const std::string& target, bool force);
  ~BundleWriter() override;

  void object(const ResourceKey& resource, const std::string& listed_ns, const nlohmann::json& object) override;
  void finished(const ResourceKey& resource, const std::string& listed_ns, const SourceState& state) override;
  void pod_log(const PodLog& log, const std::string& text) override;
  void pod_metrics(const ZtunnelMetrics& metrics, const std::string& text) override;

  // Writes the meshdoctor/ extras from facts, closes the lists and moves the bundle into place.
  util::Status commit(const Facts& facts);

  int objects_written() const { return m_objects; }
  int logs_written() const { return m_logs; }

 private:
  BundleWriter(std::filesystem::path target, std::filesystem::path temp, bool replace);
  using Batch = std::pair<std::string, std::string>;  // resource key, listed namespace
  void write_batch(const ResourceKey& resource, const std::string& listed_ns, std::vector<nlohmann::json>& items);
  void write_file(const std::filesystem::path& rel, const std::string& text);
  void append_to_list(const std::filesystem::path& rel, const nlohmann::json* item);
  void close_lists();
  void write_extras(const Facts& facts);
  util::Status move_into_place();

  std::filesystem::path m_target, m_temp;
  bool m_replace = false;
  bool m_committed = false;
  std::mutex m_mutex;
  std::map<Batch, std::vector<nlohmann::json>> m_pending;
  std::map<std::string, int> m_lists;               // list file → items written so far
  std::map<std::string, bool> m_resource_ok;        // resource key → every read of it succeeded
  std::vector<std::string> m_forbidden;             // refused reads, as described by the collector
  std::vector<std::string> m_errors;                // write failures (reported by commit)
  int m_objects = 0, m_logs = 0;
};

}  // namespace meshdoctor::probe
