#include "probe/extract_fields.hpp"

#include <nlohmann/json.hpp>

namespace meshdoctor::probe {

using nlohmann::json;

std::string path_text(Path path, std::size_t steps) {
  std::string out;
  for (auto step : path) {
    if (steps-- == 0) break;
    if (!out.empty()) out += '.';
    out += step;
  }
  return out;
}

const Condition* find_condition(const std::vector<Condition>& conditions, const std::string& type) {
  for (const auto& c : conditions) {
    if (c.type == type) return &c;
  }
  return nullptr;
}

void Fields::warn(const std::string& message) {
  std::string where = m_origin.file.empty() ? "" : m_origin.file;
  if (!where.empty() && m_origin.line > 0) where += ":" + std::to_string(m_origin.line);
  m_facts.warnings.push_back((where.empty() ? "" : where + ": ") + m_what + ": " + message);
}

void Fields::wrong_type(Path path, const char* expected, const json& got) {
  m_wrong.push_back(path_text(path));
  warn(path_text(path) + ": expected " + expected + ", got " + got.type_name() + "; field ignored");
}

const json* Fields::at(const json& obj, Path path) {
  const json* node = &obj;
  std::size_t depth = 0;
  for (auto step : path) {
    if (!node->is_object()) {
      if (!node->is_null()) {
        warn(path_text(path, depth) + ": expected map, got " + std::string(node->type_name()) +
             "; field ignored");
      }
      return nullptr;
    }
    auto it = node->find(step);
    if (it == node->end()) return nullptr;
    node = &*it;
    ++depth;
  }
  return node->is_null() ? nullptr : node;
}

std::optional<std::string> Fields::opt_str(const json& obj, Path path) {
  const json* node = at(obj, path);
  if (!node) return std::nullopt;
  if (!node->is_string()) {
    wrong_type(path, "string", *node);
    return std::nullopt;
  }
  return node->get<std::string>();
}

std::string Fields::str(const json& obj, Path path) { return opt_str(obj, path).value_or(""); }

// Kiali's CR is read by Ansible, which takes "true"/"false" strings as booleans; so do we.
std::optional<bool> Fields::opt_bool(const json& obj, Path path) {
  const json* node = at(obj, path);
  if (!node) return std::nullopt;
  if (node->is_boolean()) return node->get<bool>();
  if (node->is_string() && (*node == "true" || *node == "false")) return *node == "true";
  wrong_type(path, "boolean", *node);
  return std::nullopt;
}

int Fields::integer(const json& obj, Path path, int fallback) {
  const json* node = at(obj, path);
  if (!node) return fallback;
  if (!node->is_number_integer()) {
    wrong_type(path, "integer", *node);
    return fallback;
  }
  return static_cast<int>(node->get<std::int64_t>());
}

std::optional<Micros> Fields::time(const json& obj, Path path) {
  auto text = opt_str(obj, path);
  if (!text) return std::nullopt;
  auto t = util::parse_rfc3339(*text);
  if (!t) warn(path_text(path) + ": not an RFC3339 time: \"" + *text + "\"; field ignored");
  return t;
}

std::vector<std::string> Fields::strings(const json& obj, Path path) {
  std::vector<std::string> out;
  const json* node = at(obj, path);
  if (!node) return out;
  if (!node->is_array()) {
    wrong_type(path, "list", *node);
    return out;
  }
  for (const auto& item : *node) {
    if (item.is_string()) out.push_back(item.get<std::string>());
    else wrong_type(path, "list of strings", item);
  }
  return out;
}

std::map<std::string, std::string> Fields::string_map(const json& obj, Path path) {
  std::map<std::string, std::string> out;
  const json* node = at(obj, path);
  if (!node) return out;
  if (!node->is_object()) {
    wrong_type(path, "map", *node);
    return out;
  }
  for (const auto& [key, value] : node->items()) {
    if (value.is_string()) out[key] = value.get<std::string>();
    else warn(path_text(path) + "." + key + ": expected string, got " + value.type_name() + "; ignored");
  }
  return out;
}

std::vector<const json*> Fields::objects(const json& obj, Path path) {
  std::vector<const json*> out;
  const json* node = at(obj, path);
  if (!node) return out;
  if (!node->is_array()) {
    wrong_type(path, "list", *node);
    return out;
  }
  for (const auto& item : *node) {
    if (item.is_object()) out.push_back(&item);
    else wrong_type(path, "list of maps", item);
  }
  return out;
}

// OSSM <= 3.3 omits the reason of True conditions and 3.4 sets it to the type; both are kept as
// written so checks see exactly what the operator wrote.
std::vector<Condition> Fields::conditions(const json& obj, Path path) {
  std::vector<Condition> out;
  for (const json* c : objects(obj, path)) {
    Condition cond;
    cond.type = str(*c, {"type"});
    if (cond.type.empty()) continue;
    cond.status = str(*c, {"status"});
    cond.reason = str(*c, {"reason"});
    cond.message = str(*c, {"message"});
    cond.last_transition = time(*c, {"lastTransitionTime"});
    out.push_back(std::move(cond));
  }
  return out;
}

std::string text_at(const nlohmann::json& o, const char* a, const char* b) {
  auto it = o.find(a);
  if (it == o.end()) return "";
  if (b) {
    if (!it->is_object()) return "";
    auto jt = it->find(b);
    return jt != it->end() && jt->is_string() ? jt->get<std::string>() : "";
  }
  return it->is_string() ? it->get<std::string>() : "";
}

}  // namespace meshdoctor::probe
