#include "lint/yaml_tree.hpp"

#include <map>
#include <memory>
#include <nlohmann/json.hpp>

#include "probe/fyaml_handles.hpp"
#include "probe/yaml_scalar.hpp"
#include "probe/yaml_stream.hpp"

namespace meshdoctor::lint {

namespace {

// Kubernetes objects nest a few dozen levels at most; the bound keeps the recursive destructor
// and lookups of a tree far from the stack limit whatever the input.
constexpr std::size_t k_max_depth = 200;
// Per input text: about 100 MiB of tree at most. A rendered chart, CRDs included, stays far below.
constexpr std::size_t k_max_nodes = 1'000'000;
// Nodes copied by aliases, per input text: a "billion laughs" document stops here. Helm output
// rarely has an alias at all.
constexpr std::size_t k_max_alias_nodes = 100'000;

std::string_view token_text(fy_token* token) {
  size_t len = 0;
  const char* text = token ? fy_token_get_text(token, &len) : nullptr;
  return text ? std::string_view(text, len) : std::string_view();
}

int event_line(fy_event* event) {
  const fy_mark* mark = fy_event_start_mark(event);
  return mark ? mark->line + 1 : 0;
}

bool is_null_text(std::string_view t) {
  return t.empty() || t == "~" || t == "null" || t == "Null" || t == "NULL";
}

std::size_t count_nodes(const Node& n) {
  std::size_t total = 1;
  for (const auto& e : n.entries) total += count_nodes(e.value);
  for (const auto& i : n.items) total += count_nodes(i);
  return total;
}

// Builds one Node tree per document from parser events.
class TreeBuilder {
 public:
  TreeBuilder(const std::string& name, std::vector<Document>& out) : m_name(name), m_out(out) {}

  util::Status on_event(fy_event* event) {
    switch (event->type) {
      case FYET_DOCUMENT_START:
        m_stack.clear();
        m_anchors.clear();
        return util::ok();
      case FYET_MAPPING_START:
        return open(event, Node::Type::mapping, event->mapping_start.anchor);
      case FYET_SEQUENCE_START:
        return open(event, Node::Type::sequence, event->sequence_start.anchor);
      case FYET_MAPPING_END:
      case FYET_SEQUENCE_END:
        return close();
      case FYET_SCALAR:
        return on_scalar(event);
      case FYET_ALIAS:
        return on_alias(event);
      default:
        return util::ok();
    }
  }

 private:
  struct Frame {
    Node node;
    std::string anchor;
    std::string key;
    int key_line = 0;
    bool expect_key = true;
  };

  util::Status limit_error(int line, const std::string& what) const {
    return util::make_error("yaml.limit", m_name + ":" + std::to_string(line) + ": " + what);
  }

  util::Status count(int line, std::size_t n) {
    m_nodes += n;
    if (m_nodes > k_max_nodes) {
      return limit_error(line, "more than " + std::to_string(k_max_nodes) +
                                   " YAML nodes; refusing to read further");
    }
    return util::ok();
  }

  util::Status open(fy_event* event, Node::Type type, fy_token* anchor) {
    const int line = event_line(event);
    if (m_stack.size() >= k_max_depth) {
      return limit_error(line, "nesting deeper than " + std::to_string(k_max_depth) + " levels");
    }
    if (auto counted = count(line, 1); !counted) return counted;
    Frame f;
    f.node.type = type;
    f.node.line = line;
    f.anchor = std::string(token_text(anchor));
    m_stack.push_back(std::move(f));
    return util::ok();
  }

  util::Status close() {
    if (m_stack.empty()) return util::ok();
    Frame f = std::move(m_stack.back());
    m_stack.pop_back();
    if (auto kept = remember(f.anchor, f.node); !kept) return kept;
    deliver(std::move(f.node));
    return util::ok();
  }

  util::Status on_scalar(fy_event* event) {
    const int line = event_line(event);
    if (auto counted = count(line, 1); !counted) return counted;
    fy_token* value = event->scalar.value;
    Node n;
    n.line = line;
    n.text = std::string(token_text(value));
    const std::string_view tag = token_text(event->scalar.tag);
    const bool str_tag = tag.size() >= 3 && tag.substr(tag.size() - 3) == "str";
    n.quoted = str_tag || fy_token_scalar_style(value) != FYSS_PLAIN;
    n.type = !n.quoted && is_null_text(n.text) ? Node::Type::null : Node::Type::scalar;
    if (auto kept = remember(std::string(token_text(event->scalar.anchor)), n); !kept) return kept;
    deliver(std::move(n));
    return util::ok();
  }

  util::Status on_alias(fy_event* event) {
    const int line = event_line(event);
    auto it = m_anchors.find(std::string(token_text(event->alias.anchor)));
    if (it == m_anchors.end()) {
      Node n;
      n.line = line;
      deliver(std::move(n));
      return util::ok();
    }
    m_alias_nodes += it->second.second;
    if (m_alias_nodes > k_max_alias_nodes) {
      return limit_error(line, "aliases expand to more than " + std::to_string(k_max_alias_nodes) +
                                   " YAML nodes; refusing to read further");
    }
    if (auto counted = count(line, it->second.second); !counted) return counted;
    Node copy = it->second.first;
    copy.line = line;
    deliver(std::move(copy));
    return util::ok();
  }

  // The anchor keeps a copy of its node, counted like parsed nodes: nested anchors copy their
  // subtrees again and must not escape the bound.
  util::Status remember(const std::string& anchor, const Node& n) {
    if (anchor.empty()) return util::ok();
    const std::size_t size = count_nodes(n);
    if (auto counted = count(n.line, size); !counted) return counted;
    m_anchors[anchor] = {n, size};
    return util::ok();
  }

  // Places a completed node into its parent, or hands out the root of the document.
  void deliver(Node n) {
    if (m_stack.empty()) return finish_root(std::move(n));
    Frame& parent = m_stack.back();
    if (parent.node.is_sequence()) return parent.node.items.push_back(std::move(n));
    if (parent.expect_key) {
      // A complex key (a mapping as key) has no text: it can never match a field name.
      parent.key = n.is_scalar() || n.type == Node::Type::null ? n.text : std::string();
      parent.key_line = n.line;
      parent.expect_key = false;
      return;
    }
    parent.node.entries.push_back(Entry{std::move(parent.key), parent.key_line, std::move(n)});
    parent.expect_key = true;
  }

  void finish_root(Node n) {
    if (n.type == Node::Type::null) return;  // an empty document (`---` with nothing after)
    Document d;
    d.file = m_name;
    d.line = n.line;
    d.root = std::move(n);
    m_out.push_back(std::move(d));
  }

  const std::string& m_name;
  std::vector<Document>& m_out;
  std::vector<Frame> m_stack;
  std::map<std::string, std::pair<Node, std::size_t>> m_anchors;
  std::size_t m_nodes = 0, m_alias_nodes = 0;
};

struct EventFree {
  fy_parser* parser;
  void operator()(fy_event* e) const { fy_parser_event_free(parser, e); }
};

// "name:line:col: message" of the first collected error, and its line.
util::Error parse_error(fy_diag* diag, const std::string& name, int* error_line) {
  void* iter = nullptr;
  const fy_diag_error* err = diag ? fy_diag_errors_iterate(diag, &iter) : nullptr;
  if (error_line) *error_line = err ? err->line : 0;
  return util::make_error("yaml.parse", probe::fyaml::first_error(diag, name));
}

// `# Source: chart/templates/x.yaml` lines (helm template) with their 1-based line numbers.
std::vector<std::pair<int, std::string>> source_comments(std::string_view text) {
  constexpr std::string_view k_prefix = "# Source: ";
  std::vector<std::pair<int, std::string>> out;
  int line = 1;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view l = text.substr(pos, end - pos);
    if (l.starts_with(k_prefix)) {
      l.remove_prefix(k_prefix.size());
      while (!l.empty() && (l.back() == '\r' || l.back() == ' ')) l.remove_suffix(1);
      out.emplace_back(line, std::string(l));
    }
    pos = end + 1;
    ++line;
  }
  return out;
}

// Each document takes the last Source comment between the previous document and itself.
void attach_templates(std::string_view text, std::vector<Document>& docs, std::size_t first) {
  auto comments = source_comments(text);
  if (comments.empty()) return;
  int previous = 0;
  std::size_t c = 0;
  for (std::size_t i = first; i < docs.size(); ++i) {
    while (c < comments.size() && comments[c].first < docs[i].line) {
      if (comments[c].first > previous) docs[i].template_path = comments[c].second;
      ++c;
    }
    previous = docs[i].line;
  }
}

}  // namespace

const Entry* Node::entry(std::string_view key) const {
  if (!is_mapping()) return nullptr;
  // The last occurrence wins, as in the Go YAML readers Kubernetes tools use.
  for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
    if (it->key == key) return &*it;
  }
  return nullptr;
}

const Node* Node::get(std::string_view key) const {
  const Entry* e = entry(key);
  return e ? &e->value : nullptr;
}

util::Status parse_documents(std::string_view text,
                             const std::string& name,
                             std::vector<Document>& out,
                             int* error_line) {
  if (error_line) *error_line = 0;
  if (auto checked = probe::check_yaml_directives(text, name); !checked) {
    // The message is "name:line: ..."; the line is the number after the name.
    if (error_line) *error_line = std::atoi(checked.error().message.c_str() + name.size() + 1);
    return checked;
  }
  probe::fyaml::DiagPtr diag = probe::fyaml::make_quiet_diag();
  fy_parse_cfg cfg{};
  cfg.flags = FYPCF_QUIET;
  cfg.diag = diag.get();
  probe::fyaml::ParserPtr parser(fy_parser_create(&cfg));
  if (!parser || fy_parser_set_string(parser.get(), text.data(), text.size()) != 0) {
    return util::make_error("yaml.parse", name + ": cannot create YAML parser");
  }
  const std::size_t first = out.size();
  TreeBuilder builder(name, out);
  util::Status status = util::ok();
  while (status) {
    std::unique_ptr<fy_event, EventFree> event(fy_parser_parse(parser.get()),
                                               EventFree{parser.get()});
    if (!event) break;
    status = builder.on_event(event.get());
  }
  attach_templates(text, out, first);
  if (!status) {
    if (error_line) {
      const std::string& m = status.error().message;
      *error_line = std::atoi(m.c_str() + name.size() + 1);
    }
    return status;
  }
  if (fy_parser_get_stream_error(parser.get())) return parse_error(diag.get(), name, error_line);
  return util::ok();
}

const Node* find(const Node& root, std::initializer_list<std::string_view> path) {
  const Node* n = &root;
  for (auto key : path) {
    n = n->get(key);
    if (!n) return nullptr;
  }
  return n;
}

std::optional<std::string> text_at(const Node& root, std::initializer_list<std::string_view> path) {
  const Node* n = find(root, path);
  if (!n || !n->is_scalar()) return std::nullopt;
  return n->text;
}

int nearest_line(const Node& root, std::initializer_list<std::string_view> path) {
  const Node* n = &root;
  int line = root.line;
  for (auto key : path) {
    const Entry* e = n->entry(key);
    if (!e) break;
    line = e->line;
    n = &e->value;
  }
  return line;
}

std::optional<bool> as_bool(const Node* node) {
  if (!node || !node->is_scalar() || node->quoted) return std::nullopt;
  const nlohmann::json v = probe::resolve_plain_scalar(node->text);
  if (!v.is_boolean()) return std::nullopt;
  return v.get<bool>();
}

std::string describe_value(const Node* node) {
  if (!node) return "not set";
  switch (node->type) {
    case Node::Type::null:
      return "null";
    case Node::Type::mapping:
      return "a mapping";
    case Node::Type::sequence:
      return "a list";
    case Node::Type::scalar:
      break;
  }
  return "\"" + node->text + "\"";
}

}  // namespace meshdoctor::lint
