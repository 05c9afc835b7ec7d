#include "checks/check_util.hpp"

#include <algorithm>
#include <cctype>

namespace meshdoctor::checks {

namespace {

std::string basename(const std::string& path) {
  auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// Reads a decimal number at `pos`, advancing it; -1 when there is no digit.
int read_number(std::string_view text, size_t& pos) {
  if (pos >= text.size() || !std::isdigit(static_cast<unsigned char>(text[pos]))) return -1;
  int n = 0;
  while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos])) && n < 100000) {
    n = n * 10 + (text[pos] - '0');
    ++pos;
  }
  return n;
}

}  // namespace

std::string object_source(std::string_view api_version,
                          std::string_view kind,
                          std::string_view ns,
                          std::string_view name,
                          const probe::Origin& origin) {
  std::string s;
  if (!api_version.empty()) s.append(api_version).append(" ");
  s.append(kind).append(" ");
  if (!ns.empty()) s.append(ns).append("/");
  s.append(name);
  if (!origin.file.empty()) {
    s += " (" + origin.file;
    if (origin.line > 0) s += ":" + std::to_string(origin.line);
    s += ")";
  }
  return s;
}

std::string cr_source(const probe::SailCr& cr) {
  std::string api = cr.api_version.empty() ? cr.origin.api_version : cr.api_version;
  return object_source(api, cr.kind, "", cr.name, cr.origin);
}

std::string log_source(const probe::PodLog& log, const probe::LogLine* line) {
  std::string s = log.ns + "/" + log.pod + " log";
  std::string file = line ? basename(line->file) : "";
  if (file.empty() || file == "log") file = log.previous ? "previous.log" : "current.log";
  if (line && line->line > 0) return s + " (" + file + ":" + std::to_string(line->line) + ")";
  return s + " (" + file + ")";
}

std::string format_condition(const probe::Condition& c) {
  std::string s = c.type + "=" + (c.status.empty() ? "?" : c.status);
  if (!c.reason.empty() && !c.message.empty()) return s + " (" + c.reason + ": " + c.message + ")";
  if (!c.reason.empty()) return s + " (" + c.reason + ")";
  if (!c.message.empty()) return s + " (" + c.message + ")";
  return s;
}

std::string condition_text(const std::vector<probe::Condition>& conditions,
                           const std::string& type) {
  const probe::Condition* c = probe::find_condition(conditions, type);
  return c ? format_condition(*c) : type + " condition not reported";
}

bool condition_true(const std::vector<probe::Condition>& conditions, const std::string& type) {
  const probe::Condition* c = probe::find_condition(conditions, type);
  return c && c->status == "True";
}

std::string quoted(const std::string& s) { return "\"" + s + "\""; }

std::string field_value(const std::string& path, const std::optional<std::string>& value) {
  if (!value || value->empty()) return path + " is not set";
  return path + " is " + quoted(*value);
}

std::string join(const std::vector<std::string>& parts, const std::string& sep) {
  std::string s;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) s += sep;
    s += parts[i];
  }
  return s;
}

std::string describe_pod(const probe::NodeAgentPod& pod) {
  std::string s = "node " + (pod.node.empty() ? std::string("?") : pod.node) + ": ";
  s += pod.ready ? "ready" : "not ready";
  if (!pod.phase.empty() && pod.phase != "Running") s += ", " + pod.phase;
  if (!pod.waiting_reason.empty()) s += ", " + pod.waiting_reason;
  s += ", " + std::to_string(pod.restarts) + (pod.restarts == 1 ? " restart" : " restarts");
  return s;
}

ObjectRef cr_ref(const probe::SailCr& cr) { return {cr.kind, "", cr.name}; }
ObjectRef pod_ref(const probe::NodeAgentPod& pod) { return {"Pod", pod.ns, pod.name}; }

const probe::SailCr* find_named(const probe::Section<probe::SailCr>& section,
                                const std::string& name) {
  for (const auto& cr : section.items) {
    if (cr.name == name) return &cr;
  }
  return nullptr;
}

const probe::SailCr* find_preferred(const probe::Section<probe::SailCr>& section,
                                    const std::string& name) {
  if (const auto* cr = find_named(section, name)) return cr;
  return section.items.empty() ? nullptr : &section.items.front();
}

bool is_ambient_profile(const probe::SailCr& cr) {
  return cr.profile == "ambient" || cr.profile == "openshift-ambient" ||
         cr.values_profile == "ambient";
}

const probe::Subscription* find_ossm_subscription(const probe::Facts& facts) {
  for (const auto& s : facts.subscriptions.items) {
    if (s.package == k_ossm_package) return &s;
  }
  return nullptr;
}

const probe::ClusterServiceVersion* find_csv(const probe::Facts& facts,
                                             const std::string& name,
                                             const std::string& preferred_ns) {
  const probe::ClusterServiceVersion* any = nullptr;
  for (const auto& c : facts.csvs.items) {
    if (c.name != name) continue;
    if (c.ns == preferred_ns) return &c;
    if (!any) any = &c;
  }
  return any;
}

std::optional<Version> parse_version(std::string_view text) {
  auto dot_v = text.find(".v");
  if (dot_v != std::string_view::npos) text.remove_prefix(dot_v + 2);
  if (!text.empty() && (text.front() == 'v' || text.front() == 'V')) text.remove_prefix(1);
  size_t pos = 0;
  Version v;
  v.major = read_number(text, pos);
  if (v.major < 0 || pos >= text.size() || text[pos] != '.') return std::nullopt;
  ++pos;
  v.minor = read_number(text, pos);
  if (v.minor < 0) return std::nullopt;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    v.patch = std::max(0, read_number(text, pos));
  }
  v.tech_preview = text.substr(pos).find("-tp") != std::string_view::npos;
  return v;
}

std::optional<OperatorVersion> installed_operator(const probe::Facts& facts) {
  const auto* sub = find_ossm_subscription(facts);
  if (!sub || sub->installed_csv.empty()) return std::nullopt;
  if (const auto* csv = find_csv(facts, sub->installed_csv, sub->ns)) {
    if (auto v = parse_version(csv->version)) {
      return OperatorVersion{*v, csv->version,
                             "CSV " + csv->ns + "/" + csv->name + " spec.version " + csv->version};
    }
  }
  auto v = parse_version(sub->installed_csv);
  if (!v) return std::nullopt;
  auto dot_v = sub->installed_csv.find(".v");
  std::string text =
      dot_v == std::string::npos ? sub->installed_csv : sub->installed_csv.substr(dot_v + 2);
  return OperatorVersion{
      *v, text,
      "Subscription " + sub->ns + "/" + sub->name + " status.installedCSV " + sub->installed_csv};
}

const probe::DaemonSet* find_daemonset(const probe::Facts& facts,
                                       const std::string& ns,
                                       const std::string& name) {
  for (const auto& ds : facts.daemonsets.items) {
    if (ds.ns == ns && ds.name == name) return &ds;
  }
  return nullptr;
}

std::optional<Finding> require_daemonset(const std::string& id,
                                         const probe::Facts& facts,
                                         const probe::DaemonSet* ds,
                                         Finding& f) {
  const auto& src = facts.daemonsets.source;
  if (ds && !ds->unreadable.empty()) {  // counts that fell back to 0 would read as "not ready"
    std::string fields;
    for (const auto& field : ds->unreadable) fields += (fields.empty() ? "" : ", ") + field;
    Finding u = make_finding(id, Status::unknown,
                             "the " + ds->name + " DaemonSet's status cannot be read");
    u.evidence.push_back({object_source("apps/v1", "DaemonSet", ds->ns, ds->name, ds->origin),
                          "wrong type in " + fields + "; the counts are unknown"});
    return u;
  }
  if (src.ok()) return std::nullopt;
  if (!ds) return unknown_from_source(id, "istio-cni-node/ztunnel DaemonSets", src);
  f.evidence.push_back({"istio-cni-node/ztunnel DaemonSets",
                        std::string("partly unreadable (") + probe::to_string(src.state) +
                            (src.detail.empty() ? "" : ": " + src.detail) + "); " + ds->name +
                            " was read"});
  return std::nullopt;
}

std::string daemonset_counts(const probe::DaemonSet& ds) {
  return std::to_string(ds.ready) + "/" + std::to_string(ds.desired) + " ready (" +
         std::to_string(ds.current_scheduled) + " scheduled, " + std::to_string(ds.updated) +
         " up to date)";
}

std::optional<std::string> daemonset_problem(const probe::DaemonSet& ds) {
  if (ds.desired <= 0 || ds.current_scheduled <= 0) {
    return "no " + ds.name + " pods are currently scheduled";
  }
  if (ds.ready < ds.desired || ds.current_scheduled != ds.desired) {
    return "not all " + ds.name + " pods are ready: " + std::to_string(ds.ready) + "/" +
           std::to_string(ds.desired) + " ready";
  }
  return std::nullopt;
}

void add_unready_pods(Finding& f,
                      const probe::Section<probe::NodeAgentPod>& pods,
                      const std::string& ns) {
  if (!pods.source.ok()) {
    f.evidence.push_back(
        {"pods in " + ns, std::string("not collected: ") + probe::to_string(pods.source.state)});
    return;
  }
  std::vector<Evidence> items;
  for (const auto& p : pods.items) {
    if (p.ns != ns || p.ready) continue;
    items.push_back({object_source("v1", "Pod", p.ns, p.name, p.origin), describe_pod(p)});
    f.objects.push_back(pod_ref(p));
  }
  append_capped(f.evidence, items, 10, "not-ready pods in " + ns);
}

std::vector<AgentRef> node_agents(const probe::Section<probe::NodeAgentPod>& pods,
                                  const probe::Section<probe::PodLog>& logs) {
  std::vector<AgentRef> agents;
  if (pods.source.ok()) {
    for (const auto& p : pods.items) agents.push_back({p.ns, p.name, p.node, &p});
    return agents;
  }
  for (const auto& l : logs.items) {
    if (!l.previous) agents.push_back({l.ns, l.pod, l.node, nullptr});
  }
  return agents;
}

const probe::PodLog* find_log(const probe::Section<probe::PodLog>& logs,
                              const std::string& ns,
                              const std::string& pod,
                              bool previous) {
  for (const auto& l : logs.items) {
    if (l.previous == previous && l.ns == ns && l.pod == pod) return &l;
  }
  return nullptr;
}

std::string node_of(const AgentRef& a) { return a.node.empty() ? a.name : a.node; }

std::optional<Evidence> log_unavailable(const AgentRef& a, const probe::PodLog* log) {
  std::string src = a.ns + "/" + a.name + " log";
  if (!log) return Evidence{src, "current log not collected"};
  if (log->source.ok()) return std::nullopt;
  return Evidence{src, std::string(probe::to_string(log->source.state)) +
                           (log->source.detail.empty() ? "" : ": " + log->source.detail)};
}

void append_capped(std::vector<Evidence>& out,
                   const std::vector<Evidence>& items,
                   size_t cap,
                   const std::string& what) {
  for (size_t i = 0; i < items.size() && i < cap; ++i) out.push_back(items[i]);
  if (items.size() > cap) {
    out.push_back({what, "... and " + std::to_string(items.size() - cap) + " more"});
  }
}

std::optional<Finding> require_source(const std::string& id,
                                      const std::string& what,
                                      const probe::SourceState& source) {
  if (source.ok()) return std::nullopt;
  return unknown_from_source(id, what, source);
}

}  // namespace meshdoctor::checks
