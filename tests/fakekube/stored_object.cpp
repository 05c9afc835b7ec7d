// Objects held as text, with their selector fields indexed.
#include "stored_object.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace meshdoctor::fakekube {
namespace {

using nlohmann::json;

const json* child(const json& o, const char* key) {
  if (!o.is_object()) return nullptr;
  auto it = o.find(key);
  return it == o.end() ? nullptr : &*it;
}

std::string text_at(const json& o, const char* outer, const char* inner) {
  const json* a = child(o, outer);
  const json* b = a ? child(*a, inner) : nullptr;
  return b && b->is_string() ? b->get<std::string>() : "";
}

}  // namespace

StoredObject::StoredObject(const json& object) { assign(object); }

json StoredObject::value() const { return json::parse(m_text); }

void StoredObject::assign(const json& object) {
  // Bundle files may hold invalid UTF-8: sent replaced, as a client would decode it anyway.
  m_text = object.dump(-1, ' ', false, json::error_handler_t::replace);
  m_labels.clear();
  const json* meta = child(object, "metadata");
  if (const json* labels = meta ? child(*meta, "labels") : nullptr; labels && labels->is_object()) {
    for (const auto& [key, value] : labels->items()) {
      if (value.is_string()) m_labels.emplace_back(key, value.get<std::string>());
    }
    std::sort(m_labels.begin(), m_labels.end());
  }
  m_name = text_at(object, "metadata", "name");
  m_namespace = text_at(object, "metadata", "namespace");
  m_node_name = text_at(object, "spec", "nodeName");
  m_phase = text_at(object, "status", "phase");
  m_uid = text_at(object, "metadata", "uid");
  m_resource_version = text_at(object, "metadata", "resourceVersion");
}

const std::string* StoredObject::label(std::string_view key) const {
  auto it = std::lower_bound(m_labels.begin(), m_labels.end(), key,
                             [](const auto& entry, std::string_view k) { return entry.first < k; });
  return it != m_labels.end() && it->first == key ? &it->second : nullptr;
}

const std::string& StoredObject::field(std::string_view path) const {
  static const std::string k_none;
  if (path == "metadata.name") return m_name;
  if (path == "metadata.namespace") return m_namespace;
  if (path == "spec.nodeName") return m_node_name;
  if (path == "status.phase") return m_phase;
  return k_none;
}

}  // namespace meshdoctor::fakekube
