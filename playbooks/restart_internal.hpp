#pragma once
// Small JSON helpers shared by the restart playbook's files.
#include <initializer_list>

#include <nlohmann/json.hpp>

namespace meshdoctor::playbooks {

// The value at a path of object keys, or nullptr when any step is missing or not an object.
inline const nlohmann::json* json_at(const nlohmann::json& obj, std::initializer_list<const char*> path) {
  const nlohmann::json* cur = &obj;
  for (const char* key : path) {
    if (!cur->is_object()) return nullptr;
    auto it = cur->find(key);
    if (it == cur->end()) return nullptr;
    cur = &*it;
  }
  return cur;
}

}  // namespace meshdoctor::playbooks
