#include "lint/rule_util.hpp"

namespace meshdoctor::lint {

namespace {

checks::Evidence located(const Document& d, int line, const std::string& detail) {
  checks::Evidence e;
  e.file = d.file;
  e.line = line > 0 ? line : d.line;
  e.source = e.file + ":" + std::to_string(e.line);
  e.detail = detail;
  if (!d.template_path.empty()) e.detail += " (rendered from " + d.template_path + ")";
  return e;
}

const Node* metadata_map(const Node& root, std::string_view which, std::string_view key) {
  const Node* m = find(root, {"metadata", which});
  return m ? m->get(key) : nullptr;
}

}  // namespace

checks::Evidence hit(const Object& o, int line, const std::string& what) {
  return located(*o.doc, line, o.label() + ": " + what);
}

checks::Evidence hit(const Document& d,
                     int line,
                     const std::string& label,
                     const std::string& what) {
  return located(d, line, label + ": " + what);
}

std::string place(const Object& o, int line) {
  return o.doc->file + ":" + std::to_string(line > 0 ? line : o.doc->line);
}

std::string sail_target_namespace(const Object& o) {
  if (auto ns = text_at(o.root(), {"spec", "namespace"}); ns && !ns->empty()) return *ns;
  if (o.kind == "IstioCNI") return "istio-cni";
  if (o.kind == "ZTunnel") return "ztunnel";
  return "istio-system";
}

const Node* label_node(const Node& owner, std::string_view key) {
  return metadata_map(owner, "labels", key);
}

const Node* annotation_node(const Node& owner, std::string_view key) {
  return metadata_map(owner, "annotations", key);
}

checks::Finding make(const std::string& id, checks::Status status, std::string message) {
  return checks::make_finding(id, status, std::move(message));
}

checks::Finding skipped(const std::string& id, std::string why) {
  return checks::make_finding(id, checks::Status::skipped, std::move(why));
}

checks::Finding Verdict::finish(const std::string& pass_message,
                                const std::string& problem_message) {
  if (m_problems.empty()) {
    checks::Finding f = make(m_id, checks::Status::pass, pass_message);
    f.evidence = std::move(m_ok);
    return f;
  }
  const auto status = m_fails ? checks::Status::fail : checks::Status::warn;
  checks::Finding f = make(m_id, status, problem_message);
  f.evidence = std::move(m_problems);
  return f;
}

}  // namespace meshdoctor::lint
