#pragma once
// The --post-on change state in a ConfigMap, read and written through the kube client, so that
// the runs of a CronJob remember what was posted last. Internal to report/sink_*.cpp.
#include <optional>
#include <string>

#include "report/sink.hpp"

namespace meshdoctor::report::sink {

class StateStore {
 public:
  StateStore(probe::KubeClient& client, std::string ns, std::string name);
  // The state stored last; nullopt when the ConfigMap (or its fingerprint) is absent.
  util::Expected<std::optional<PostState>> load();
  // Creates the ConfigMap (POST) or merge-patches its data, with the resourceVersion read by
  // load() as precondition so that two runs do not silently overwrite each other.
  util::Status store(const PostState& s, const std::string& kind, const std::string& posted_at);
  std::string ref() const { return m_ns + "/" + m_name; }

 private:
  enum class Known { unknown, absent, present };
  util::Status patch(const std::string& body);
  util::Status create(const std::string& body);
  void remember(const std::string& object_json);

  probe::KubeClient& m_client;
  std::string m_ns, m_name;
  Known m_known = Known::unknown;
  std::string m_resource_version;
};

}  // namespace meshdoctor::report::sink
