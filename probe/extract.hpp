#pragma once
// Turns one Kubernetes object (as JSON, from a bundle YAML document or a live API list item) into
// the compact facts checks need. Shared by the bundle reader and the live collector so that
// checks never know the source. Objects of kinds meshdoctor does not use are ignored.
#include <nlohmann/json_fwd.hpp>

#include "probe/facts.hpp"

namespace meshdoctor::probe {

// Returns true when the object was used. Unusable objects (missing metadata.name, wrong field
// types) add a warning naming origin.file:origin.line and are skipped; never throws.
bool add_object(Facts& facts, const nlohmann::json& object, const Origin& origin);

}  // namespace meshdoctor::probe
