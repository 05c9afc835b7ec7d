#include "probe/object_dedupe.hpp"

#include <nlohmann/json.hpp>

#include "probe/extract_fields.hpp"

namespace meshdoctor::probe {

bool ObjectDedupe::first_time(const nlohmann::json& o) {
  const std::string uid = text_at(o, "metadata", "uid");
  const std::string key = text_at(o, "apiVersion") + "|" + text_at(o, "kind") + "|" +
                          text_at(o, "metadata", "namespace") + "|" + text_at(o, "metadata", "name");
  const bool seen = m_keys.count(key) > 0 || (!uid.empty() && m_uids.count(uid) > 0);
  m_keys.insert(key);
  if (!uid.empty()) m_uids.insert(uid);
  return !seen;
}

}  // namespace meshdoctor::probe
