#pragma once
// The input of `meshdoctor lint`: rendered manifests (files, directories, stdin) split into
// Kubernetes objects and Validated Patterns value files, with every parse problem kept as
// file:line evidence rather than stopping the run.
#include <string>
#include <string_view>
#include <vector>

#include "lint/yaml_tree.hpp"
#include "util/expected.hpp"

namespace meshdoctor::lint {

// A file that could not be read as YAML: lint rules that needed it become unknown.
struct ParseProblem {
  std::string file;
  int line = 0;
  std::string message;  // "file:line:col: message"
};

// A Kubernetes object of the manifests, with the fields every rule names it by.
struct Object {
  const Document* doc = nullptr;
  std::string api_version, kind, name, ns;

  const Node& root() const { return doc->root; }
  std::string group() const;  // "sailoperator.io" of "sailoperator.io/v1"; "" for core
  std::string label() const;  // "IstioCNI default", "Gateway bookinfo/waypoint"
};

struct ManifestSet {
  std::vector<std::string> files;      // every file read, in reading order
  std::vector<Document> documents;     // Kubernetes objects (List items already unpacked)
  std::vector<Document> values_files;  // Validated Patterns values: top-level clusterGroup
  std::vector<ParseProblem> problems;

  // Objects of one kind, optionally restricted to an API group ("" = any group).
  std::vector<Object> objects(std::string_view kind, std::string_view group = "") const;
  std::vector<Object> all_objects() const;
};

// Adds the documents of one input text (a file's contents, or stdin) named `name`.
void add_text(ManifestSet& set, std::string_view text, const std::string& name);

// Reads files and directories (recursively: *.yaml, *.yml, *.json, in name order). A path that
// does not exist or cannot be read is an error (the CLI's exit 3); a file that does not parse is a
// ParseProblem in the set.
util::Status add_path(ManifestSet& set, const std::string& path);

// The largest input lint reads from one file or stdin.
inline constexpr std::size_t k_max_input_bytes = 64u << 20;

}  // namespace meshdoctor::lint
