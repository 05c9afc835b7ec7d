#pragma once
// One page of a Kubernetes list read for facts (KubeClient::list_filtered): simdjson validates
// the whole page and builds its index at several hundred MB/s, then each item becomes a small
// nlohmann object holding only what the extractors read (probe/object_filter.hpp). A page
// simdjson refuses (a number beyond 64 bits, nesting deeper than 1024) is read again with
// nlohmann's parser, which then decides whether it is valid, so both readers accept the same
// pages.
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "probe/object_filter.hpp"
#include "util/expected.hpp"

namespace meshdoctor::probe {

// The filter for an item of that apiVersion and kind (filter_for_object, as add_object routes).
using ItemFilter = const FieldFilter& (*)(std::string_view api_version, std::string_view kind);

class ListPage {
 public:
  ListPage();
  ~ListPage();
  ListPage(const ListPage&) = delete;
  ListPage& operator=(const ListPage&) = delete;

  // Reads a page body. kube.decode (naming `where`) when it is not valid JSON or not a list
  // (an object whose items is a list or null); else the continue token ("" on the last page).
  // The body is not needed afterwards.
  util::Expected<std::string> parse(const std::string& where, const std::string& body);

  // Each item of the page read last that is an object, with apiVersion and kind taken from the
  // list when it lacks them (as KubeClient::list fills them), reduced by filter.
  void deliver(ItemFilter filter, const std::function<void(const nlohmann::json& item)>& on_item);

  // The page's metadata.resourceVersion ("" when absent or not a string): where a watch of the
  // list starts.
  const std::string& resource_version() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

}  // namespace meshdoctor::probe
