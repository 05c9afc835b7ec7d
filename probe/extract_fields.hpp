#pragma once
// Type-checked, non-throwing field access on a Kubernetes object for the extractors. A field of
// the wrong type is skipped with a warning in Facts::warnings naming file:line and the field, so
// one odd object never aborts a bundle read.
#include <initializer_list>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "probe/facts.hpp"

namespace meshdoctor::probe {

using Path = std::initializer_list<std::string_view>;

class Fields {
 public:
  Fields(Facts& facts, const Origin& origin, std::string what)
      : m_facts(facts), m_origin(origin), m_what(std::move(what)) {}

  // The node at path, nullptr when absent (or null); warns when a step is not a map.
  const nlohmann::json* at(const nlohmann::json& obj, Path path);

  std::string str(const nlohmann::json& obj, Path path);
  std::optional<std::string> opt_str(const nlohmann::json& obj, Path path);
  std::optional<bool> opt_bool(const nlohmann::json& obj, Path path);
  int integer(const nlohmann::json& obj, Path path, int fallback = 0);
  std::optional<Micros> time(const nlohmann::json& obj, Path path);
  std::vector<std::string> strings(const nlohmann::json& obj, Path path);
  std::map<std::string, std::string> string_map(const nlohmann::json& obj, Path path);
  // The elements of a list field that are maps; warns about the others.
  std::vector<const nlohmann::json*> objects(const nlohmann::json& obj, Path path);
  std::vector<Condition> conditions(const nlohmann::json& obj, Path path);

  void warn(const std::string& message);
  void wrong_type(Path path, const char* expected, const nlohmann::json& got);
  const Origin& origin() const { return m_origin; }
  // The fields read so far that were present with the wrong type ("status.numberReady").
  const std::vector<std::string>& wrong_fields() const { return m_wrong; }

 private:
  Facts& m_facts;
  const Origin& m_origin;
  std::string m_what;
  std::vector<std::string> m_wrong;
};

// o[a] (or o[a][b]) when it is a string, else "": a silent lookup for routing objects (kind,
// metadata.name) where a wrong type simply means "not one of ours".
std::string text_at(const nlohmann::json& o, const char* a, const char* b = nullptr);

// The dotted path text ("spec.values.profile"), optionally only its first `steps` steps.
std::string path_text(Path path, std::size_t steps = static_cast<std::size_t>(-1));

}  // namespace meshdoctor::probe
