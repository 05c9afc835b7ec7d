#include "report/describe.hpp"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "checks/catalogue.hpp"
#include "util/time.hpp"

namespace meshdoctor::report {

CheckMeta check_meta(const std::string& id) {
  CheckMeta m;
  m.id = id;
  const checks::CheckInfo* info = checks::find_check(id);
  if (info == nullptr) {
    m.name = id;
    m.category = "other";
    return m;
  }
  m.known = true;
  m.name = info->name.empty() ? id : info->name;
  m.category = info->category.empty() ? "other" : info->category;
  m.title = info->title;
  m.symptom = info->symptom;
  m.cause = info->cause;
  m.fix = info->fix;
  m.docs = info->docs;
  m.severity = info->severity;
  m.upstream = info->upstream;
  return m;
}

std::string effective_fix(const checks::Finding& f) {
  if (!f.fix.empty()) return f.fix;
  return check_meta(f.id).fix;
}

std::string category_label(const std::string& category) {
  std::string out = category;
  std::replace(out.begin(), out.end(), '-', ' ');
  return out;
}

std::vector<std::string> categories_in_order(const checks::Diagnosis& d) {
  std::vector<std::string> order;
  for (const auto& f : d.findings) {
    std::string c = check_meta(f.id).category;
    if (std::find(order.begin(), order.end(), c) == order.end()) order.push_back(c);
  }
  return order;
}

namespace {

// Places each consequence under the parent on its longest chain from the root, so that
// MD301 -> MD304 -> MD403 shows MD403 under MD304 rather than directly under MD301.
class TreeBuilder {
 public:
  TreeBuilder(const checks::Diagnosis& d, const checks::Finding& root) : m_d(d), m_root(root) {
    collect(root);
  }

  std::vector<TreeLine> lines() {
    std::vector<TreeLine> out;
    emit(m_root.id, 0, {}, out);
    return out;
  }

 private:
  void collect(const checks::Finding& f) {
    for (const auto& id : f.explains) {
      const checks::Finding* child = m_d.find(id);
      if (child != nullptr && id != m_root.id && m_reached.insert(id).second) collect(*child);
    }
  }

  // Longest chain from the root; a cycle (never expected in the catalogue) counts as 1.
  int depth(const std::string& id) {
    if (id == m_root.id) return 0;
    if (auto it = m_depth.find(id); it != m_depth.end()) return it->second;
    m_depth[id] = 1;
    int best = 1;
    for (const auto& p : m_d.find(id)->explained_by) {
      if (p == m_root.id || m_reached.count(p)) best = std::max(best, depth(p) + 1);
    }
    return m_depth[id] = best;
  }

  std::vector<const checks::Finding*> children(const std::string& parent) {
    std::vector<const checks::Finding*> out;
    for (const auto& f : m_d.findings) {  // catalogue order
      if (!m_reached.count(f.id) || m_placed.count(f.id)) continue;
      for (const auto& p : f.explained_by) {
        if (p == parent && depth(f.id) == depth(parent) + 1) {
          out.push_back(&f);
          break;
        }
      }
    }
    for (const auto* f : out) m_placed.insert(f->id);
    return out;
  }

  void emit(const std::string& parent,
            int level,
            std::vector<bool> open,
            std::vector<TreeLine>& out) {
    auto kids = children(parent);
    for (std::size_t i = 0; i < kids.size(); ++i) {
      bool last = i + 1 == kids.size();
      out.push_back(TreeLine{kids[i], level, open, last});
      auto child_open = open;
      child_open.push_back(!last);
      emit(kids[i]->id, level + 1, child_open, out);
    }
  }

  const checks::Diagnosis& m_d;
  const checks::Finding& m_root;
  std::set<std::string> m_reached, m_placed;
  std::map<std::string, int> m_depth;
};

}  // namespace

std::vector<TreeLine> explained_tree(const checks::Diagnosis& d, const checks::Finding& root) {
  return TreeBuilder(d, root).lines();
}

int explained_failures(const checks::Diagnosis& d) {
  int n = 0;
  for (const auto& f : d.findings) {
    if (f.status == checks::Status::fail && !f.explained_by.empty()) ++n;
  }
  return n;
}

std::string source_label(const checks::Diagnosis& d) {
  if (d.source.kind == "live") {
    return "context " + (d.source.context.empty() ? std::string("(current)") : d.source.context);
  }
  if (d.source.kind == "manifests") {
    // source.path lists the linted paths, ", "-separated.
    const std::string& all = d.source.path;
    const auto more = static_cast<int>(std::count(all.begin(), all.end(), ','));
    const std::string first = more > 0 ? all.substr(0, all.find(", ")) : all;
    return "manifests " + (first.empty() ? std::string("(none)") : first) +
           (more > 0 ? " +" + std::to_string(more) + " more" : "");
  }
  std::filesystem::path p(d.source.path);
  std::string name = p.has_filename() ? p.filename().string() : p.parent_path().filename().string();
  if (name.empty()) name = d.source.path;
  return "bundle " + (name.empty() ? std::string("(unnamed)") : name);
}

std::string collected_label(const checks::Diagnosis& d) {
  if (!d.collected_at) return "";
  std::string human = util::format_human(*d.collected_at);
  return human.empty() ? util::format_rfc3339(*d.collected_at) : human;
}

std::string scope_label(const checks::Diagnosis& d, const std::string& sep) {
  if (d.source.kind == "manifests") return "";
  std::string when = collected_label(d);
  auto count = [](int n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
  };
  return (when.empty() ? "collection time unknown" : "collected " + when) + sep +
         count(d.nodes, "node", "nodes") + ", " + count(d.pods, "pod", "pods");
}

}  // namespace meshdoctor::report
