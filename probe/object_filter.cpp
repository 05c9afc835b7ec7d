#include "probe/object_filter.hpp"

#include <deque>
#include <mutex>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace meshdoctor::probe {

// Filters live for the whole process: they are built once from the extractors' field lists.
struct FilterArena {
  static FieldFilter* make(FieldFilter::Shape shape) {
    static std::mutex mutex;
    static std::deque<FieldFilter> pool;
    std::lock_guard<std::mutex> lock(mutex);
    FieldFilter& f = pool.emplace_back();
    f.m_shape = shape;
    return &f;
  }

  static void add_child(FieldFilter& parent, std::string key, const FieldFilter* child) {
    parent.m_children.emplace_back(std::move(key), child);
  }

  static void set_element(FieldFilter& parent, const FieldFilter* element) { parent.m_element = element; }
};

namespace {

using Shape = FieldFilter::Shape;

bool is_delimiter(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '{' || c == '}' || c == '[' || c == ']' || c == '<' ||
         c == '>';
}

void skip_space(std::string_view& text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t' || text.front() == '\n'))
    text.remove_prefix(1);
}

std::string_view take_name(std::string_view& text) {
  std::size_t n = 0;
  while (n < text.size() && !is_delimiter(text[n])) ++n;
  const std::string_view name = text.substr(0, n);
  text.remove_prefix(n);
  return name;
}

[[noreturn]] void bad_filter(std::string_view rest) {
  throw std::logic_error("field filter: cannot read at \"" + std::string(rest.substr(0, 40)) + "\"");
}

// Keys up to `close` (or the end when close is 0) into a map filter.
const FieldFilter* parse_map(std::string_view& text, char close) {
  FieldFilter* map = FilterArena::make(Shape::map);
  while (true) {
    skip_space(text);
    if (text.empty()) {
      if (close != 0) bad_filter(text);
      return map;
    }
    if (text.front() == close) {
      text.remove_prefix(1);
      return map;
    }
    const std::string_view name = take_name(text);
    if (name.empty()) bad_filter(text);
    const FieldFilter* child = &FieldFilter::keep_all();
    if (!text.empty() && text.front() == '{') {
      text.remove_prefix(1);
      child = parse_map(text, '}');
    } else if (!text.empty() && text.front() == '[') {
      text.remove_prefix(1);
      FieldFilter* list = FilterArena::make(Shape::list);
      FilterArena::set_element(*list, parse_map(text, ']'));
      child = list;
    } else if (!text.empty() && text.front() == '<') {
      text.remove_prefix(1);
      FieldFilter* strings = FilterArena::make(Shape::string_map);
      while (true) {
        skip_space(text);
        if (text.empty()) bad_filter(text);
        if (text.front() == '>') {
          text.remove_prefix(1);
          break;
        }
        const std::string_view key = take_name(text);
        if (key.empty()) bad_filter(text);
        FilterArena::add_child(*strings, std::string(key), &FieldFilter::keep_all());
      }
      child = strings;
    }
    FilterArena::add_child(*map, std::string(name), child);
  }
}

bool is_text(const nlohmann::json& value) { return value.is_string(); }

}  // namespace

const FieldFilter& FieldFilter::keep_all() {
  static const FieldFilter* all = FilterArena::make(Shape::all);
  return *all;
}

const FieldFilter& FieldFilter::non_string() {
  static const FieldFilter* f = FilterArena::make(Shape::non_string);
  return *f;
}

const FieldFilter* FieldFilter::child(std::string_view key) const {
  if (m_shape == Shape::map) {
    for (const auto& [name, filter] : m_children) {
      if (name == key) return filter;
    }
    return nullptr;
  }
  if (m_shape == Shape::string_map) {
    for (const auto& entry : m_children) {
      if (entry.first == key) return &keep_all();
    }
    return &non_string();
  }
  return nullptr;
}

const FieldFilter& FieldFilter::parse(std::string_view text) { return *parse_map(text, 0); }

const FieldFilter& FieldFilter::merge(const FieldFilter& a, const FieldFilter& b) {
  if (&a == &b) return a;
  if (a.m_shape != b.m_shape || a.m_shape == Shape::all || a.m_shape == Shape::non_string) return keep_all();
  FieldFilter* out = FilterArena::make(a.m_shape);
  if (a.m_shape == Shape::list) {
    FilterArena::set_element(*out, &merge(*a.m_element, *b.m_element));
    return *out;
  }
  for (const auto& [name, filter] : a.m_children) {
    const FieldFilter* merged = filter;
    for (const auto& [other_name, other] : b.m_children) {
      if (other_name == name) merged = &merge(*filter, *other);
    }
    FilterArena::add_child(*out, name, merged);
  }
  for (const auto& [name, filter] : b.m_children) {
    bool known = false;
    for (const auto& entry : a.m_children) known = known || entry.first == name;
    if (!known) FilterArena::add_child(*out, name, filter);
  }
  return *out;
}

void apply_filter(nlohmann::json& value, const FieldFilter& filter) {
  switch (filter.shape()) {
    case Shape::all:
    case Shape::non_string: return;
    case Shape::list:
      if (!value.is_array()) return;
      for (auto& element : value) apply_filter(element, *filter.element());
      return;
    case Shape::map:
    case Shape::string_map:
      if (!value.is_object()) return;
      for (auto it = value.begin(); it != value.end();) {
        const FieldFilter* child = filter.child(it.key());
        const bool drop = !child || (child->shape() == Shape::non_string && is_text(*it));
        if (drop) {
          it = value.erase(it);
        } else {
          apply_filter(*it, *child);
          ++it;
        }
      }
      return;
  }
}

}  // namespace meshdoctor::probe
