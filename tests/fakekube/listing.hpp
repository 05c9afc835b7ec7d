#pragma once
// List responses: `{"apiVersion","kind":"<Kind>List","metadata":{"resourceVersion","continue"},
// "items":[...]}` filtered by label and field selectors and paged by limit/continue. The
// resourceVersion is the cluster's counter (watch.hpp), where a watch continues from. A continue
// token names the bundle generation it was issued for (after a reload it answers 410 Expired)
// and the last object sent: the next page starts after it, in (namespace, name) order.
#include <cstddef>
#include <string>

#include "api_types.hpp"
#include "bundle_index.hpp"

namespace meshdoctor::fakekube {

struct ListTarget {
  const ResourceEntry* entry = nullptr;
  std::string version;  // as requested
  std::string ns;       // "" = all namespaces / cluster scope
};

// page_size_cap: the largest page ever sent (0 = unlimited); smaller than limit, or without
// limit, it forces pagination.
ApiResponse list_objects(const Bundle& bundle, const ListTarget& target, const ApiRequest& request,
                         std::size_t page_size_cap);

}  // namespace meshdoctor::fakekube
