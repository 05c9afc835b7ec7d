#include "probe/yaml_stream.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <vector>

#include "probe/fyaml_handles.hpp"
#include "probe/object_filter.hpp"
#include "probe/yaml_scalar.hpp"

namespace meshdoctor::probe {
namespace {

using nlohmann::json;

std::string_view token_text(fy_token* token) {
  size_t len = 0;
  const char* text = token ? fy_token_get_text(token, &len) : nullptr;
  return text ? std::string_view(text, len) : std::string_view();
}

int event_line(fy_event* event) {
  const fy_mark* mark = fy_event_start_mark(event);
  return mark ? mark->line + 1 : 0;
}

json scalar_value(fy_event* event) {
  fy_token* value = event->scalar.value;
  const std::string_view text = token_text(value);
  // An explicit !!str tag or any quoting keeps the text a string ("true" stays "true").
  const std::string_view tag = token_text(event->scalar.tag);
  const bool is_str_tag = tag.size() >= 3 && tag.substr(tag.size() - 3) == "str";
  if (is_str_tag || fy_token_scalar_style(value) != FYSS_PLAIN) return std::string(text);
  return resolve_plain_scalar(text);
}

bool scalar_is_text(fy_event* event) {
  const std::string_view tag = token_text(event->scalar.tag);
  const bool is_str_tag = tag.size() >= 3 && tag.substr(tag.size() - 3) == "str";
  if (is_str_tag || fy_token_scalar_style(event->scalar.value) != FYSS_PLAIN) return true;
  return plain_scalar_is_text(token_text(event->scalar.value));
}

using Shape = FieldFilter::Shape;

// A filter that fits the value's type: a value of another type is kept whole.
const FieldFilter* fitting(const FieldFilter* filter, bool is_map) {
  const Shape shape = filter->shape();
  const bool fits = is_map ? (shape == Shape::map || shape == Shape::string_map) : shape == Shape::list;
  return fits ? filter : &FieldFilter::keep_all();
}

// Builds JSON values from parser events. A root-level `items:` sequence is not kept: each of its
// elements goes to the sink as soon as it is complete, so a List costs one item of memory.
// Reading for facts, each object keeps only what its kind's extractor reads (FieldFilter): the
// events of the other values are consumed without building anything.
class ObjectBuilder {
 public:
  ObjectBuilder(const ObjectSink& sink, YamlObjects objects)
      : m_sink(sink), m_filtered(objects == YamlObjects::for_facts) {}

  void on_event(fy_event* event) {
    if (m_skip_depth > 0) return skip(event);
    if (m_drop_depth > 0) return drop(event);
    switch (event->type) {
      case FYET_DOCUMENT_START: start_document(); break;
      case FYET_MAPPING_START: open(event, json::object(), event->mapping_start.anchor); break;
      case FYET_SEQUENCE_START: open(event, json::array(), event->sequence_start.anchor); break;
      case FYET_MAPPING_END:
      case FYET_SEQUENCE_END: close(); break;
      case FYET_SCALAR: on_scalar(event); break;
      case FYET_ALIAS: on_alias(event); break;
      default: break;
    }
  }

 private:
  struct Frame {
    json value;
    const FieldFilter* filter = nullptr;  // what of this value is kept; fits its type
    const FieldFilter* prune = nullptr;   // built whole for its anchor, filtered when complete
    int line = 0;
    int saved_drop = -1;  // >= 0: built only for its anchor, inside a dropped value
    std::string anchor;
    std::string key;
    bool expect_key = true;     // mappings alternate key, value
    bool stream_items = false;  // the root `items:` sequence of a List
    bool object_root = false;   // an object whose apiVersion and kind narrow its filter
    bool seen_api = false, seen_kind = false;
    std::string api_version, kind;
  };

  void start_document() {
    m_stack.clear();
    m_anchors.clear();
    m_pending.clear();
    m_streamed = false;
    m_skip_depth = 0;
    m_drop_depth = 0;
  }

  const FieldFilter* object_filter() const {
    return m_filtered ? &any_object_filter() : &FieldFilter::keep_all();
  }

  // The filter of the next value of the top frame; nullptr when that value is dropped.
  const FieldFilter* slot_filter() const {
    if (m_stack.empty() || m_stack.back().stream_items) return object_filter();
    const Frame& parent = m_stack.back();
    const FieldFilter* filter = parent.filter;
    if (filter->keeps_all()) return filter;
    if (parent.value.is_array()) return filter->element();
    if (parent.expect_key) return &FieldFilter::keep_all();  // a complex key is built whole
    return filter->child(parent.key);
  }

  void open(fy_event* event, json value, fy_token* anchor) {
    if (!m_stack.empty() && is_skipped_value(m_stack.back())) {
      m_skip_depth = 1;
      return;
    }
    Frame frame;
    frame.line = event_line(event);
    frame.anchor = std::string(token_text(anchor));
    if (m_stack.size() == 1 && value.is_array() && m_stack[0].value.is_object() &&
        !m_stack[0].expect_key && m_stack[0].key == "items") {
      frame.stream_items = true;
      frame.filter = &FieldFilter::keep_all();
      m_streamed = true;
    } else if (const FieldFilter* slot = slot_filter(); !slot) {
      if (frame.anchor.empty()) {
        m_drop_depth = 1;
        return;
      }
      frame.filter = &FieldFilter::keep_all();
      frame.saved_drop = 0;
    } else {
      const bool object_root = m_filtered && (m_stack.empty() || m_stack.back().stream_items);
      slot = fitting(slot, value.is_object());
      if (!frame.anchor.empty() && !slot->keeps_all()) {
        frame.prune = slot;
        slot = &FieldFilter::keep_all();
      }
      frame.filter = slot;
      frame.object_root = object_root && value.is_object() && !frame.prune;
      if (slot->shape() == Shape::string_map) m_dropped_count = 0;
    }
    frame.value = std::move(value);
    m_stack.push_back(std::move(frame));
  }

  void close() {
    if (m_stack.empty()) return;
    Frame frame = std::move(m_stack.back());
    m_stack.pop_back();
    remember_anchor(frame.anchor, frame.value);
    if (frame.saved_drop >= 0) {
      m_drop_depth = frame.saved_drop;
      if (m_drop_depth == 0) value_dropped();
      return;
    }
    if (frame.prune) apply_filter(frame.value, *frame.prune);
    deliver(std::move(frame.value), frame.line);
  }

  void on_scalar(fy_event* event) {
    fy_token* anchor = event->scalar.anchor;
    // Keys are a third of all events: take their text without building a JSON value.
    if (!m_stack.empty() && m_stack.back().value.is_object() && m_stack.back().expect_key && !anchor) {
      m_stack.back().key.assign(token_text(event->scalar.value));
      m_stack.back().expect_key = false;
      return;
    }
    const FieldFilter* slot = slot_filter();
    if (!slot || (slot->shape() == Shape::non_string && scalar_is_text(event))) {
      if (anchor) remember_anchor(std::string(token_text(anchor)), scalar_value(event));
      return slot ? text_entry_dropped() : value_dropped();
    }
    json value = scalar_value(event);
    remember_anchor(std::string(token_text(anchor)), value);
    deliver(std::move(value), event_line(event));
  }

  void on_alias(fy_event* event) {
    const FieldFilter* slot = slot_filter();
    if (!slot) return value_dropped();
    auto it = m_anchors.find(std::string(token_text(event->alias.anchor)));
    json value = it == m_anchors.end() ? json(nullptr) : it->second;
    if (slot->shape() == Shape::non_string && value.is_string()) return text_entry_dropped();
    apply_filter(value, *slot);
    deliver(std::move(value), event_line(event));
  }

  // metadata.managedFields is often the largest part of an object and no check reads it: its
  // events are consumed without building anything.
  static bool is_skipped_value(const Frame& parent) {
    return parent.value.is_object() && !parent.expect_key && parent.key == "managedFields";
  }

  void skip(fy_event* event) {
    const auto type = event->type;
    if (type == FYET_MAPPING_START || type == FYET_SEQUENCE_START) ++m_skip_depth;
    if (type == FYET_MAPPING_END || type == FYET_SEQUENCE_END) --m_skip_depth;
    if (m_skip_depth == 0) m_stack.back().expect_key = true;
  }

  // Inside a dropped value only anchors are kept: an alias elsewhere may name them.
  void drop(fy_event* event) {
    switch (event->type) {
      case FYET_MAPPING_START:
      case FYET_SEQUENCE_START: {
        const bool map = event->type == FYET_MAPPING_START;
        fy_token* anchor = map ? event->mapping_start.anchor : event->sequence_start.anchor;
        if (!anchor) {
          ++m_drop_depth;
          return;
        }
        Frame frame;
        frame.line = event_line(event);
        frame.anchor = std::string(token_text(anchor));
        frame.filter = &FieldFilter::keep_all();
        frame.saved_drop = m_drop_depth;
        frame.value = map ? json::object() : json::array();
        m_drop_depth = 0;
        m_stack.push_back(std::move(frame));
        return;
      }
      case FYET_MAPPING_END:
      case FYET_SEQUENCE_END:
        if (--m_drop_depth == 0) value_dropped();
        return;
      case FYET_SCALAR:
        if (event->scalar.anchor) remember_anchor(std::string(token_text(event->scalar.anchor)), scalar_value(event));
        return;
      default: return;
    }
  }

  // The value of the top frame's current key went unkept.
  void value_dropped() {
    if (!m_stack.empty() && m_stack.back().value.is_object()) m_stack.back().expect_key = true;
  }

  // A string map's unlisted entry with a text value: dropped, and so is any later entry of the
  // same key (the first entry of a key wins).
  void text_entry_dropped() {
    Frame& parent = m_stack.back();
    if (m_dropped_count == m_dropped.size()) m_dropped.emplace_back();
    m_dropped[m_dropped_count++].assign(parent.key);
    parent.expect_key = true;
  }

  bool was_dropped(const std::string& key) const {
    for (std::size_t i = 0; i < m_dropped_count; ++i) {
      if (m_dropped[i] == key) return true;
    }
    return false;
  }

  void remember_anchor(const std::string& anchor, const json& value) {
    if (!anchor.empty()) m_anchors[anchor] = value;
  }

  // The first apiVersion and kind of an object pick its own filter instead of the union.
  static void note_identity(Frame& object, const json& value) {
    std::string* field = nullptr;
    if (object.key == "apiVersion" && !object.seen_api) {
      object.seen_api = true;
      field = &object.api_version;
    } else if (object.key == "kind" && !object.seen_kind) {
      object.seen_kind = true;
      field = &object.kind;
    } else {
      return;
    }
    if (value.is_string()) *field = value.get<std::string>();
    if (object.seen_api && object.seen_kind) object.filter = &filter_for_object(object.api_version, object.kind);
  }

  // Places a completed value into its parent, or hands it out when it is an object of the file.
  void deliver(json value, int line) {
    if (m_stack.empty()) return finish_root(std::move(value), line);
    Frame& parent = m_stack.back();
    if (parent.stream_items) return emit_item(std::move(value), line);
    if (parent.value.is_array()) return parent.value.push_back(std::move(value));
    if (parent.expect_key) {
      // Keys are text in JSON; a complex key keeps its serialized form rather than failing.
      parent.key = value.is_string() ? value.get<std::string>() : value.dump();
      parent.expect_key = false;
      return;
    }
    parent.expect_key = true;
    if (parent.object_root) note_identity(parent, value);
    if (m_dropped_count > 0 && parent.filter->shape() == Shape::string_map && was_dropped(parent.key)) return;
    parent.value.emplace(std::move(parent.key), std::move(value));
  }

  // An item without kind (a typed PodList from the API) takes it from the list's own kind; it
  // waits for the end of the document only when `kind:` comes after `items:`.
  void emit_item(json item, int line) {
    if (!item.is_object()) return;
    if (!item.contains("kind")) {
      if (!m_stack[0].value.contains("kind")) return m_pending.push_back({std::move(item), line});
      fill_kind(item, m_stack[0].value);
    }
    m_sink(item, line);
  }

  static void fill_kind(json& item, const json& list) {
    const auto kind = list.find("kind");
    if (kind != list.end() && kind->is_string()) {
      std::string k = kind->get<std::string>();
      if (k.size() > 4 && k.ends_with("List")) item["kind"] = k.substr(0, k.size() - 4);
    }
    const auto api = list.find("apiVersion");
    if (api != list.end() && !item.contains("apiVersion")) item["apiVersion"] = *api;
  }

  void finish_root(json root, int line) {
    if (!root.is_object()) return;
    if (!m_streamed) return m_sink(root, line);
    for (auto& [item, item_line] : m_pending) {
      fill_kind(item, root);
      m_sink(item, item_line);
    }
    m_pending.clear();
  }

  const ObjectSink& m_sink;
  const bool m_filtered;
  std::vector<Frame> m_stack;
  std::map<std::string, json> m_anchors;
  std::vector<std::pair<json, int>> m_pending;
  std::vector<std::string> m_dropped;  // unlisted text entries of the open string map
  std::size_t m_dropped_count = 0;
  bool m_streamed = false;
  int m_skip_depth = 0;
  int m_drop_depth = 0;
};

struct EventFree {
  fy_parser* parser;
  void operator()(fy_event* e) const { fy_parser_event_free(parser, e); }
};

// Drives the parser to the end of the stream or the first error.
util::Status run_parser(fy_parser* parser, fy_diag* diag, const std::string& name,
                        const ObjectSink& sink, YamlObjects objects) {
  ObjectBuilder builder(sink, objects);
  try {
    while (true) {
      std::unique_ptr<fy_event, EventFree> event(fy_parser_parse(parser), EventFree{parser});
      if (!event) break;
      builder.on_event(event.get());
    }
  } catch (const std::exception& e) {
    // Only a sink or allocation failure lands here; the parser itself never throws.
    return util::make_error("yaml.parse", name + ": " + e.what());
  }
  if (fy_parser_get_stream_error(parser)) {
    return util::make_error("yaml.parse", fyaml::first_error(diag, name));
  }
  return util::ok();
}

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

// Member order matters: the parser goes first, then its diagnostics, then the file it reads.
struct Session {
  std::unique_ptr<std::FILE, FileCloser> file;
  fyaml::DiagPtr diag;
  fyaml::ParserPtr parser;
};

Session make_session() {
  Session s;
  s.diag = fyaml::make_quiet_diag();
  fy_parse_cfg cfg{};
  // JSON_AUTO: .json files (inspect writes some) get JSON rules; YAML 1.2 would accept most anyway.
  // DISABLE_MMAP_OPT with a FILE input makes libfyaml read in chunks: a mapped 500 MB pod list
  // would otherwise count fully towards the resident size.
  cfg.flags = static_cast<fy_parse_cfg_flags>(FYPCF_QUIET | FYPCF_JSON_AUTO | FYPCF_DISABLE_MMAP_OPT);
  cfg.diag = s.diag.get();
  s.parser.reset(fy_parser_create(&cfg));
  return s;
}

// libfyaml (Debian 0.8) never returns from a `%` directive line holding control or non-ASCII
// bytes (found by tests/fuzz). Kubernetes YAML has no such directives, so such a file is refused
// before the parser sees it. Scans in chunks: a bundle file may be hundreds of MB.
class DirectiveScan {
 public:
  // Returns the 1-based line of the first malformed directive, 0 while none. Only lines that
  // start with '%' are looked at, found with memchr: this pass reads every byte of the file.
  // A NUL byte is never YAML text (libfyaml 0.7.12 can crash cleaning up after one, in some
  // nestings): the first one makes the whole input malformed, reported at its line.
  int feed(std::string_view chunk) {
    if (m_bad_line) return m_bad_line;
    const auto nul = chunk.find('\0');
    if (nul == std::string_view::npos) return scan(chunk);
    if (scan(chunk.substr(0, nul))) return m_bad_line;
    m_nul = true;
    m_bad_line = m_line;
    return m_bad_line;
  }
  bool nul() const { return m_nul; }

 private:
  int scan(std::string_view chunk) {
    const char* p = chunk.data();
    const char* const end = p + chunk.size();
    const char* counted = p;  // the newlines before `counted` are in m_line
    while (p < end && !m_bad_line) {
      if (m_in_directive) {
        for (; p < end && *p != '\n' && *p != '\r'; ++p) {  // YAML breaks lines at CR too
          const auto c = static_cast<unsigned char>(*p);
          if ((c < 0x20 && c != '\t') || c >= 0x7f) {
            m_line += static_cast<int>(std::count(counted, p, '\n'));
            m_bad_line = m_line;
            return m_bad_line;
          }
        }
        if (p == end) break;
        m_in_directive = false;
        m_at_line_start = true;
        ++p;
        continue;
      }
      if (m_at_line_start && *p == '%') {
        m_in_directive = true;
        m_at_line_start = false;
        ++p;
        continue;
      }
      const auto* percent = static_cast<const char*>(std::memchr(p, '%', static_cast<std::size_t>(end - p)));
      if (!percent) {
        m_at_line_start = end[-1] == '\n' || end[-1] == '\r';
        p = end;
        break;
      }
      m_at_line_start = (percent > p && (percent[-1] == '\n' || percent[-1] == '\r')) ||
                        follows_bom(chunk, percent);
      p = m_at_line_start ? percent : percent + 1;
    }
    if (!m_bad_line) m_line += static_cast<int>(std::count(counted, end, '\n'));
    m_tail = (m_tail + std::string(chunk.substr(chunk.size() > 3 ? chunk.size() - 3 : 0)));
    m_tail.erase(0, m_tail.size() > 3 ? m_tail.size() - 3 : 0);
    return m_bad_line;
  }

  // libfyaml reads "\xEF\xBB\xBF%..." as a directive wherever the byte order mark is (a hang found
  // by tests/fuzz), so a '%' right after one is checked as if it started a line.
  bool follows_bom(std::string_view chunk, const char* percent) const {
    const auto at = static_cast<std::size_t>(percent - chunk.data());
    const std::string before = at >= 3 ? std::string(chunk.substr(at - 3, 3)) : m_tail + std::string(chunk.substr(0, at));
    return before.size() >= 3 && before.compare(before.size() - 3, 3, "\xEF\xBB\xBF") == 0;
  }

  std::string m_tail;  // the last bytes of the chunks before
  int m_line = 1, m_bad_line = 0;
  bool m_at_line_start = true, m_in_directive = false, m_nul = false;
};

util::Error malformed(const std::string& name, int line, const DirectiveScan& scan) {
  return util::make_error("yaml.parse", name + ":" + std::to_string(line) +
                                            (scan.nul() ? ": a NUL byte, which YAML text cannot contain"
                                                        : ": malformed YAML directive (control or non-ASCII bytes after '%')"));
}

util::Status check_directives_in_file(std::FILE* file, const std::string& name) {
  DirectiveScan scan;
  constexpr std::size_t k_chunk = 256 * 1024;
  const std::unique_ptr<char[]> buf(new char[k_chunk]);  // not zeroed: every byte read is written first
  while (size_t n = std::fread(buf.get(), 1, k_chunk, file)) {
    if (int line = scan.feed(std::string_view(buf.get(), n))) return malformed(name, line, scan);
  }
  std::rewind(file);
  return util::ok();
}

}  // namespace

util::Status stream_yaml_file(const std::string& path, const std::string& name,
                              const ObjectSink& sink, YamlObjects objects) {
  Session s = make_session();
  if (!s.parser) return util::make_error("yaml.parse", name + ": cannot create YAML parser");
  s.file.reset(std::fopen(path.c_str(), "rb"));
  if (!s.file) return util::make_error("yaml.read", name + ": cannot open file");
  if (auto checked = check_directives_in_file(s.file.get(), name); !checked) return checked;
  if (fy_parser_set_input_fp(s.parser.get(), name.c_str(), s.file.get()) != 0) {
    return util::make_error("yaml.read", name + ": cannot open file");
  }
  return run_parser(s.parser.get(), s.diag.get(), name, sink, objects);
}

util::Status check_yaml_directives(std::string_view text, const std::string& name) {
  DirectiveScan scan;
  if (int line = scan.feed(text)) return malformed(name, line, scan);
  return util::ok();
}

util::Status stream_yaml_text(std::string_view text, const std::string& name,
                              const ObjectSink& sink, YamlObjects objects) {
  if (auto checked = check_yaml_directives(text, name); !checked) return checked;
  Session s = make_session();
  if (!s.parser) return util::make_error("yaml.parse", name + ": cannot create YAML parser");
  if (fy_parser_set_string(s.parser.get(), text.data(), text.size()) != 0) {
    return util::make_error("yaml.read", name + ": cannot read text");
  }
  return run_parser(s.parser.get(), s.diag.get(), name, sink, objects);
}

}  // namespace meshdoctor::probe
