#include "probe/list_page.hpp"

#include <simdjson.h>

#include <nlohmann/json.hpp>
#include <optional>

namespace meshdoctor::probe {
namespace {

using nlohmann::json;
using Shape = FieldFilter::Shape;
namespace dom = simdjson::dom;

// A filter that fits the value's type: a value of another type is kept whole.
const FieldFilter& fitting(const FieldFilter& filter, bool is_map) {
  const Shape shape = filter.shape();
  const bool fits = is_map ? (shape == Shape::map || shape == Shape::string_map) : shape == Shape::list;
  return fits ? filter : FieldFilter::keep_all();
}

// The nlohmann value of a simdjson element, as nlohmann's own parser would build it: integers
// that are not negative are unsigned, and the last of duplicate keys wins.
json to_json(dom::element e, const FieldFilter& filter) {
  switch (e.type()) {
    case dom::element_type::OBJECT: {
      const FieldFilter& f = fitting(filter, true);
      json out(json::value_t::object);
      for (dom::key_value_pair field : dom::object(e)) {
        if (f.keeps_all()) {
          out[std::string(field.key)] = to_json(field.value, f);
          continue;
        }
        const FieldFilter* child = f.child(field.key);
        if (!child) continue;
        if (child->shape() == Shape::non_string && field.value.is_string()) {
          if (!out.empty()) out.erase(std::string(field.key));  // a later duplicate still wins
          continue;
        }
        out[std::string(field.key)] = to_json(field.value, *child);
      }
      return out;
    }
    case dom::element_type::ARRAY: {
      const FieldFilter& f = fitting(filter, false);
      const FieldFilter& element = f.keeps_all() ? f : *f.element();
      json out(json::value_t::array);
      for (dom::element item : dom::array(e)) out.push_back(to_json(item, element));
      return out;
    }
    case dom::element_type::STRING: return std::string(std::string_view(e));
    case dom::element_type::INT64: {
      const std::int64_t v = std::int64_t(e);
      return v >= 0 ? json(static_cast<std::uint64_t>(v)) : json(v);
    }
    case dom::element_type::UINT64: return json(std::uint64_t(e));
    case dom::element_type::DOUBLE: return json(double(e));
    case dom::element_type::BOOL: return json(bool(e));
    case dom::element_type::NULL_VALUE: return json(nullptr);
  }
  return json(nullptr);
}

// The last value of `key` in an object, as nlohmann keeps it.
std::optional<dom::element> last_field(dom::object object, std::string_view key) {
  std::optional<dom::element> found;
  for (dom::key_value_pair field : object) {
    if (field.key == key) found = field.value;
  }
  return found;
}

std::string text_of(const std::optional<dom::element>& e) {
  return e && e->is_string() ? std::string(std::string_view(*e)) : std::string();
}

}  // namespace

struct ListPage::Impl {
  dom::parser parser;
  // The page read by simdjson...
  std::optional<dom::element> items;  // the items array (absent: null items)
  std::optional<dom::element> api_version;
  std::string kind;  // the list's kind without "List"
  std::string resource_version;
  // ...or, for a page only nlohmann's parser accepts, by nlohmann.
  std::optional<json> fallback;
};

ListPage::ListPage() : m_impl(std::make_unique<Impl>()) {}
ListPage::~ListPage() = default;

namespace {

util::Error not_a_list(const std::string& where, std::size_t bytes) {
  return util::make_error("kube.decode", "GET " + where + ": response is not a valid list (" +
                                             std::to_string(bytes) + " bytes)");
}

std::string list_kind(std::string kind) {
  if (kind.ends_with("List")) kind.resize(kind.size() - 4);
  return kind;
}

}  // namespace

util::Expected<std::string> ListPage::parse(const std::string& where, const std::string& body) {
  Impl& p = *m_impl;
  p.items.reset();
  p.api_version.reset();
  p.kind.clear();
  p.resource_version.clear();
  p.fallback.reset();
  dom::element root;
  if (p.parser.parse(body).get(root) != simdjson::SUCCESS) {
    json page = json::parse(body, nullptr, false);
    const auto items = page.is_object() ? page.find("items") : page.end();
    if (page.is_discarded() || !page.is_object() || items == page.end() || !(items->is_array() || items->is_null()))
      return not_a_list(where, body.size());
    const auto kind = page.find("kind");
    p.kind = list_kind(kind != page.end() && kind->is_string() ? kind->get<std::string>() : "");
    const auto metadata = page.find("metadata");
    std::string next;
    if (metadata != page.end() && metadata->is_object()) {
      const auto token = metadata->find("continue");
      if (token != metadata->end() && token->is_string()) next = token->get<std::string>();
      const auto rv = metadata->find("resourceVersion");
      if (rv != metadata->end() && rv->is_string()) p.resource_version = rv->get<std::string>();
    }
    p.fallback = std::move(page);
    return next;
  }
  if (!root.is_object()) return not_a_list(where, body.size());
  const dom::object page(root);
  const auto items = last_field(page, "items");
  if (!items || !(items->is_array() || items->is_null())) return not_a_list(where, body.size());
  if (items->is_array()) p.items = items;
  p.api_version = last_field(page, "apiVersion");
  p.kind = list_kind(text_of(last_field(page, "kind")));
  std::string next;
  if (const auto metadata = last_field(page, "metadata"); metadata && metadata->is_object()) {
    next = text_of(last_field(dom::object(*metadata), "continue"));
    p.resource_version = text_of(last_field(dom::object(*metadata), "resourceVersion"));
  }
  return next;
}

const std::string& ListPage::resource_version() const { return m_impl->resource_version; }

void ListPage::deliver(ItemFilter filter, const std::function<void(const json& item)>& on_item) {
  Impl& p = *m_impl;
  if (p.fallback) {
    const json api_version = p.fallback->value("apiVersion", json());
    json& items = (*p.fallback)["items"];
    if (!items.is_array()) return;
    for (json& item : items) {
      if (!item.is_object()) continue;
      if (!item.contains("apiVersion") && !api_version.is_null()) item["apiVersion"] = api_version;
      if (!item.contains("kind") && !p.kind.empty()) item["kind"] = p.kind;
      auto text = [&](const char* key) {
        const auto it = item.find(key);
        return it != item.end() && it->is_string() ? it->get<std::string>() : std::string();
      };
      apply_filter(item, filter(text("apiVersion"), text("kind")));
      on_item(item);
      item = json();  // the page's memory goes as it is read
    }
    return;
  }
  if (!p.items) return;
  const bool list_api = p.api_version && !p.api_version->is_null();
  for (dom::element element : dom::array(*p.items)) {
    if (!element.is_object()) continue;
    const dom::object object(element);
    const auto own_api = last_field(object, "apiVersion");
    const auto own_kind = last_field(object, "kind");
    const std::string api = own_api ? text_of(own_api) : list_api ? text_of(p.api_version) : "";
    const std::string kind = own_kind ? text_of(own_kind) : p.kind;
    json item = to_json(element, filter(api, kind));
    if (!own_api && list_api) item["apiVersion"] = to_json(*p.api_version, FieldFilter::keep_all());
    if (!own_kind && !p.kind.empty()) item["kind"] = p.kind;
    on_item(item);
  }
}

}  // namespace meshdoctor::probe
