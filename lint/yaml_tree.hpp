#pragma once
// A small YAML tree that remembers the line of every key and value: lint points at the file and
// line of the offending field, which the streaming bundle reader (probe/yaml_stream) does not
// keep. Rendered manifests are small, so one document is held at a time as a tree; nesting depth,
// node count and alias expansion are bounded so that hostile input cannot exhaust memory or stack.
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/expected.hpp"

namespace meshdoctor::lint {

struct Entry;

struct Node {
  enum class Type { null, scalar, mapping, sequence };
  Type type = Type::null;
  std::string text;            // scalar text as written, without quotes
  bool quoted = false;         // quoted or tagged !!str: stays a string ("true" is not a boolean)
  int line = 0;                // 1-based line where the value starts
  std::vector<Entry> entries;  // mapping, in document order
  std::vector<Node> items;     // sequence

  bool is_mapping() const { return type == Type::mapping; }
  bool is_sequence() const { return type == Type::sequence; }
  bool is_scalar() const { return type == Type::scalar; }
  // The entry of a mapping with this key, or null (also when this is not a mapping).
  const Entry* entry(std::string_view key) const;
  const Node* get(std::string_view key) const;
};

struct Entry {
  std::string key;
  int line = 0;  // line of the key
  Node value;
};

// One YAML document of an input (one object of a multi-document `helm template` output).
struct Document {
  std::string file;           // as reported: "charts/mesh/rendered.yaml", "stdin"
  int line = 0;               // first line of the root node
  std::string template_path;  // the `# Source: chart/templates/x.yaml` comment above it, if any
  Node root;
};

// Parses every document of `text` (named `name` in errors and in Document::file) and appends the
// non-empty ones to `out`. On a parse error the documents before it are kept and the error
// says "name:line:col: message"; `error_line` gets that line.
util::Status parse_documents(std::string_view text,
                             const std::string& name,
                             std::vector<Document>& out,
                             int* error_line = nullptr);

// ---- lookups -----------------------------------------------------------------------------------

// The node at a path of mapping keys, or null.
const Node* find(const Node& root, std::initializer_list<std::string_view> path);
// The scalar text at a path, or nullopt when absent or not a scalar.
std::optional<std::string> text_at(const Node& root, std::initializer_list<std::string_view> path);
// The line of the last key of the path that exists (the closest place to add a missing field);
// the root's line when not even the first key exists.
int nearest_line(const Node& root, std::initializer_list<std::string_view> path);
// A plain scalar read as YAML reads it: true/false (and the YAML 1.1 yes/no/on/off).
std::optional<bool> as_bool(const Node* node);
// The scalar's text for messages: "\"x\"", or "a mapping", "a list", "null".
std::string describe_value(const Node* node);

}  // namespace meshdoctor::lint
