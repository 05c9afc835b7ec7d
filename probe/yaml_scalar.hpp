#pragma once
// Resolution of YAML plain scalars to JSON types, the way Kubernetes' Go YAML readers do it:
// YAML 1.2 core null/bool/int/float plus the YAML 1.1 yes/no/on/off booleans. Quoted scalars
// and anything not matching stay strings, so "v1.27.3" or "0600" quoted never change type.
#include <nlohmann/json_fwd.hpp>
#include <string_view>

namespace meshdoctor::probe {

nlohmann::json resolve_plain_scalar(std::string_view text);

// Whether resolve_plain_scalar(text) is a string, without building it.
bool plain_scalar_is_text(std::string_view text);

}  // namespace meshdoctor::probe
