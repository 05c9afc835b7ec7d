#pragma once
// Streaming YAML/JSON reader for bundle files. Pod lists of large clusters run to hundreds of MB,
// so the file is never held as a DOM: libfyaml events build one Kubernetes object at a time
// (each document, or each element of a List's `items:`), the sink consumes it, and it is dropped.
#include <functional>
#include <optional>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

#include "util/expected.hpp"

namespace meshdoctor::probe {

// Receives one object and the 1-based line where it starts. It may move from the object.
using ObjectSink = std::function<void(nlohmann::json& object, int line)>;

// What each delivered object holds: everything, or only the fields the extractors read
// (probe/object_filter.hpp; add_object makes the same facts of it, at a fraction of the cost).
enum class YamlObjects { whole, for_facts };

// `name` is what errors call the input (the bundle-relative path): "name:line:col: message".
// Objects before a parse error have already been delivered when the error is returned.
util::Status stream_yaml_file(const std::string& path, const std::string& name,
                              const ObjectSink& sink, YamlObjects objects = YamlObjects::whole);
util::Status stream_yaml_text(std::string_view text, const std::string& name,
                              const ObjectSink& sink, YamlObjects objects = YamlObjects::whole);

// Refuses text with a `%` directive line holding control or non-ASCII bytes, on which libfyaml
// never returns, and text holding a NUL byte, after which it can crash freeing its parser (both
// found by tests/fuzz). Every libfyaml entry point checks it first.
util::Status check_yaml_directives(std::string_view text, const std::string& name);

// Reads a top-level boolean of a small YAML document held in a string (a ConfigMap value such
// as cluster-monitoring-config's config.yaml). nullopt value: key absent or not a boolean.
util::Expected<std::optional<bool>> yaml_top_level_bool(std::string_view text,
                                                        const std::string& key,
                                                        const std::string& name);

}  // namespace meshdoctor::probe
