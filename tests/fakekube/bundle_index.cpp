// Lookups on a loaded bundle.
#include "bundle_index.hpp"

#include <utility>

#include "resource_kinds.hpp"

namespace meshdoctor::fakekube {

bool ResourceEntry::collected_in(const std::string& ns) const {
  if (collected_everywhere || cluster_scoped) return true;
  return ns.empty() ? !namespaces.empty() : namespaces.count(ns) > 0;
}

std::string ResourceEntry::preferred_version() const {
  if (!versions.empty()) return *versions.rbegin();
  const ResourceType* t = known_resource(group, plural);
  return t ? t->version : "v1";
}

const ResourceEntry* Bundle::find(const std::string& group, const std::string& plural) const {
  auto it = resources.find(resource_key(group, plural));
  return it == resources.end() ? nullptr : &it->second;
}

const StoredObject* Bundle::find_object(const std::string& group, const std::string& plural,
                                        const std::string& ns, const std::string& name) const {
  const ResourceEntry* entry = find(group, plural);
  if (!entry) return nullptr;
  auto it = entry->objects.find({entry->cluster_scoped ? "" : ns, name});
  return it == entry->objects.end() ? nullptr : &it->second;
}

ResourceEntry* Bundle::find(const std::string& group, const std::string& plural) {
  return const_cast<ResourceEntry*>(std::as_const(*this).find(group, plural));
}

StoredObject* Bundle::find_object(const std::string& group, const std::string& plural, const std::string& ns,
                                  const std::string& name) {
  return const_cast<StoredObject*>(std::as_const(*this).find_object(group, plural, ns, name));
}

}  // namespace meshdoctor::fakekube
