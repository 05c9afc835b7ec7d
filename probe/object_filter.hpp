#pragma once
// The parts of a Kubernetes object that the extractors (extract_*.cpp) read. Readers of large
// inputs (live list pages, bundle YAML) keep only these while parsing, so a pod costs its few
// dozen relevant fields instead of its whole tree (managedFields, env, volumes...). add_object
// makes the same facts and the same warnings of the filtered object as of the whole one: a value
// whose type is not the one a filter expects is kept whole, and so is every entry of a string
// map whose value is not a string (its warning names it).
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace meshdoctor::probe {

class FieldFilter {
 public:
  enum class Shape : unsigned char {
    all,         // keep the value whole
    map,         // keep the listed keys, each with its own filter; a value that is not a map stays whole
    list,        // filter every element with element(); a value that is not a list stays whole
    string_map,  // keep the listed keys, and every entry whose value is not a string
    non_string,  // an unlisted entry of a string map: dropped when its value is a string, else whole
  };

  Shape shape() const { return m_shape; }
  bool keeps_all() const { return m_shape == Shape::all; }
  // map: the child's filter, nullptr when it is dropped. string_map: the keep-all filter for a
  // listed key, the non_string filter otherwise. Other shapes: nullptr.
  const FieldFilter* child(std::string_view key) const;
  // list: the filter of each element (a map filter: elements that are not maps stay whole).
  const FieldFilter* element() const { return m_element; }

  // A filter from its text: space-separated keys, each optionally followed by {...} (a map of
  // these), [...] (a list whose map elements keep these) or <k1 k2> (a string map keeping k1, k2).
  // A key alone keeps its value whole. Example: "metadata{name labels<app>} spec{containers[name]}".
  static const FieldFilter& parse(std::string_view text);
  // The union: what either keeps (a shape mismatch keeps the value whole).
  static const FieldFilter& merge(const FieldFilter& a, const FieldFilter& b);
  static const FieldFilter& keep_all();
  static const FieldFilter& non_string();

 private:
  Shape m_shape = Shape::all;
  std::vector<std::pair<std::string, const FieldFilter*>> m_children;  // map and string_map keys
  const FieldFilter* m_element = nullptr;                              // list
  friend struct FilterArena;
};

// The filter of one object, chosen as add_object routes it (group of apiVersion, kind); kinds no
// extractor reads keep what identifies them (apiVersion, kind, metadata name, namespace, uid).
// Defined next to the routes in extract.cpp.
const FieldFilter& filter_for_object(std::string_view api_version, std::string_view kind);
// What any routed kind reads: for an object whose apiVersion and kind are not known yet.
const FieldFilter& any_object_filter();

// Drops from a value built whole what `filter` does not keep (YAML anchors and aliases). A value
// the non_string filter drops entirely is the caller's to drop.
void apply_filter(nlohmann::json& value, const FieldFilter& filter);

}  // namespace meshdoctor::probe
