#pragma once
// What fakekube knows about resources before reading a bundle: kind, preferred version and scope
// of the resources meshdoctor reads (and a few more), for lists and discovery of resources that
// a bundle names without holding any object of.
#include <string>
#include <vector>

namespace meshdoctor::fakekube {

struct ResourceType {
  std::string group;  // "" = core
  std::string plural;
  std::string kind;
  std::string version;
  bool namespaced = true;
};

// nullptr when the resource is not in the table.
const ResourceType* known_resource(const std::string& group, const std::string& plural);
const std::vector<ResourceType>& known_resources();

// "core" (inspect's folder name for the core group) → "", any other group unchanged.
std::string api_group(const std::string& folder_group);
// "" → "core": the key form used by inspect folders and meshdoctor/collection.json.
std::string resource_key(const std::string& group, const std::string& plural);

// "v1" for core, "group/version" otherwise.
std::string group_version(const std::string& group, const std::string& version);

// Best-effort kind for a plural that is in no table and has no object: "widgets" → "Widget".
std::string guess_kind(const std::string& plural);

}  // namespace meshdoctor::fakekube
