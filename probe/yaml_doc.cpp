// Small YAML strings embedded in objects (ConfigMap values) are parsed with libfyaml's document
// API: they are a few lines, so a DOM is the simple and safe choice here.
#include <optional>

#include "probe/fyaml_handles.hpp"
#include "probe/yaml_scalar.hpp"
#include "probe/yaml_stream.hpp"

#include <nlohmann/json.hpp>

namespace meshdoctor::probe {

util::Expected<std::optional<bool>> yaml_top_level_bool(std::string_view text,
                                                        const std::string& key,
                                                        const std::string& name) {
  if (auto checked = check_yaml_directives(text, name); !checked) return checked.error();
  fyaml::DiagPtr diag = fyaml::make_quiet_diag();
  fy_parse_cfg cfg{};
  cfg.flags = FYPCF_QUIET;
  cfg.diag = diag.get();
  fyaml::DocumentPtr doc(fy_document_build_from_string(&cfg, text.data(), text.size()));
  if (!doc) return util::make_error("yaml.parse", fyaml::first_error(diag.get(), name));
  fy_node* root = fy_document_root(doc.get());
  if (!root || fy_node_get_type(root) != FYNT_MAPPING) return std::optional<bool>();
  fy_node* value = fy_node_mapping_lookup_by_string(root, key.c_str(), key.size());
  if (!value || !fy_node_is_scalar(value)) return std::optional<bool>();
  size_t len = 0;
  const char* raw = fy_node_get_scalar(value, &len);
  if (!raw || fy_node_get_style(value) != FYNS_PLAIN) return std::optional<bool>();
  const nlohmann::json resolved = resolve_plain_scalar(std::string_view(raw, len));
  if (!resolved.is_boolean()) return std::optional<bool>();
  return std::optional<bool>(resolved.get<bool>());
}

}  // namespace meshdoctor::probe
