#pragma once
// The same Kubernetes object can reach the extractor twice: a bundle holds it in a List file and
// in its own file, a live run lists agent pods on their own and again with their namespace, and
// a list restarted after 410 Gone repeats its items. The first copy wins.
#include <string>
#include <unordered_set>

#include <nlohmann/json_fwd.hpp>

namespace meshdoctor::probe {

class ObjectDedupe {
 public:
  // True the first time an object is seen; keyed by apiVersion/kind/namespace/name and, when
  // present, by metadata.uid (the same object under another apiVersion is still one object).
  bool first_time(const nlohmann::json& object);

 private:
  std::unordered_set<std::string> m_keys, m_uids;
};

}  // namespace meshdoctor::probe
