#pragma once
// One object as fakekube holds it: the compact JSON text that GETs and lists send as is (a page
// is a copy of bytes, not a serialization, and 150,000 pods fit in a few hundred MB), plus the
// fields that label and field selectors match on. The JSON value is parsed only when a write or
// a simulated controller changes the object: value() returns a copy, assign() stores it back.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace meshdoctor::fakekube {

class StoredObject {
 public:
  explicit StoredObject(const nlohmann::json& object);

  const std::string& text() const { return m_text; }
  nlohmann::json value() const;
  void assign(const nlohmann::json& object);

  // metadata.labels[key] when it is a string, else nullptr.
  const std::string* label(std::string_view key) const;
  // A field selector's field: metadata.name, metadata.namespace, spec.nodeName or status.phase
  // ("" when absent or another field).
  const std::string& field(std::string_view path) const;
  const std::string& uid() const { return m_uid; }
  const std::string& resource_version() const { return m_resource_version; }

 private:
  std::string m_text;
  std::vector<std::pair<std::string, std::string>> m_labels;  // sorted by key
  std::string m_name, m_namespace, m_node_name, m_phase, m_uid, m_resource_version;
};

}  // namespace meshdoctor::fakekube
