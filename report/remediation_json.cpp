// The remediation object of the JSON report and the reviewed-plan file
// (schema meshdoctor/restart-plan/v1): written by `meshdoctor restart --plan-out`, read back by
// `--from-plan`. Plan entries have the same shape in both.
#include "report/remediation_json.hpp"

#include <algorithm>

#include "report/render.hpp"
#include "util/time.hpp"

namespace meshdoctor::report {

namespace {

using json = nlohmann::ordered_json;

constexpr const char* k_plan_schema = "meshdoctor/restart-plan/v1";

json time_json(const std::optional<util::Micros>& t) {
  if (!t) return nullptr;
  return util::format_rfc3339(*t);
}

json pod_json(const checks::RemediationPod& p) {
  return {{"namespace", p.ns},
          {"name", p.name},
          {"node", p.node},
          {"check", p.check},
          {"ztunnelPod", p.ztunnel_pod},
          {"podStart", time_json(p.pod_start)},
          {"ztunnelReadyAt", time_json(p.ztunnel_ready_at)},
          {"detail", p.detail}};
}

json entry_json(const checks::PlanEntry& e) {
  json pods = json::array();
  for (const auto& p : e.pods) pods.push_back(pod_json(p));
  return {{"kind", e.kind},
          {"namespace", e.ns},
          {"name", e.name},
          {"uid", e.uid},
          {"resourceVersion", e.resource_version},
          {"apiPath", e.api_path},
          {"command", e.command},
          {"action", checks::to_string(e.action)},
          {"guard", e.guard},
          {"reason", e.reason},
          {"checks", e.checks},
          {"pods", std::move(pods)}};
}

json plan_json(const std::vector<checks::PlanEntry>& plan) {
  json out = json::array();
  for (const auto& e : plan) out.push_back(entry_json(e));
  return out;
}

json applied_json(const checks::AppliedAction& a) {
  return {{"kind", a.kind},
          {"namespace", a.ns},
          {"name", a.name},
          {"action", a.action},
          {"result", a.result},
          {"detail", a.detail},
          {"httpStatus", a.http_status},
          {"at", time_json(a.at)},
          {"resourceVersionBefore", a.resource_version_before},
          {"resourceVersionAfter", a.resource_version_after},
          {"restartedAt", a.restarted_at},
          {"event", a.event}};
}

json verify_json(const std::optional<checks::Verification>& v) {
  if (!v) return nullptr;
  json workloads = json::array();
  for (const auto& w : v->workloads) {
    workloads.push_back({{"kind", w.kind},
                         {"namespace", w.ns},
                         {"name", w.name},
                         {"done", w.done},
                         {"desired", w.desired},
                         {"ready", w.ready},
                         {"enrolled", w.enrolled},
                         {"oldPods", w.old_pods},
                         {"detail", w.detail}});
  }
  json before = json::object();
  for (const auto& [id, status] : v->before) before[id] = status;
  json after = json::object();
  for (const auto& [id, status] : v->after) after[id] = status;
  return {{"completed", v->completed},
          {"waitedMs", v->waited_ms},
          {"workloads", std::move(workloads)},
          {"before", std::move(before)},
          {"after", std::move(after)}};
}

json summary_json(const checks::Remediation& r) {
  using checks::PlanAction;
  int ok = static_cast<int>(
      std::count_if(r.applied.begin(), r.applied.end(), [](const auto& a) { return a.ok(); }));
  return {{"restart", r.count(PlanAction::restart)},
          {"delete", r.count(PlanAction::remove)},
          {"skip", r.count(PlanAction::skip)},
          {"defer", r.count(PlanAction::defer)},
          {"applied", ok},
          {"failed", static_cast<int>(r.applied.size()) - ok}};
}

// ---- reading a plan file ------------------------------------------------------------------------

using in_json = nlohmann::json;

util::Error invalid(const std::string& message) { return util::make_error("plan.invalid", message); }

// Reads the fields of one object, naming the object ("entries[2]") in every error.
class Fields {
 public:
  Fields(const in_json& object, std::string where) : m_obj(object), m_where(std::move(where)) {}

  const std::string& error() const { return m_error; }
  bool failed() const { return !m_error.empty(); }

  // A string field; `required` also refuses an empty string.
  std::string text(const char* key, bool required) {
    auto it = m_obj.find(key);
    if (it == m_obj.end() || it->is_null()) {
      if (required) fail(std::string("missing ") + key);
      return "";
    }
    if (!it->is_string()) {
      fail(std::string(key) + " is not a string");
      return "";
    }
    std::string value = it->get<std::string>();
    if (required && value.empty()) fail(std::string("missing ") + key);
    return value;
  }

  // An RFC3339 time or null.
  std::optional<util::Micros> time(const char* key) {
    auto it = m_obj.find(key);
    if (it == m_obj.end() || it->is_null()) return std::nullopt;
    std::optional<util::Micros> t;
    if (it->is_string()) t = util::parse_rfc3339(it->get<std::string>());
    if (!t) fail(std::string(key) + " is not an RFC3339 time");
    return t;
  }

  std::vector<std::string> strings(const char* key) {
    std::vector<std::string> out;
    auto it = m_obj.find(key);
    if (it == m_obj.end() || it->is_null()) return out;
    if (!it->is_array()) {
      fail(std::string(key) + " is not an array of strings");
      return out;
    }
    for (const auto& v : *it) {
      if (!v.is_string()) {
        fail(std::string(key) + " is not an array of strings");
        return {};
      }
      out.push_back(v.get<std::string>());
    }
    return out;
  }

  // An array of objects (possibly absent: empty).
  const in_json* objects(const char* key) {
    auto it = m_obj.find(key);
    if (it == m_obj.end() || it->is_null()) return nullptr;
    if (!it->is_array()) {
      fail(std::string(key) + " is not an array");
      return nullptr;
    }
    return &*it;
  }

  void fail(const std::string& what) {
    if (m_error.empty()) m_error = m_where.empty() ? what : m_where + ": " + what;
  }

 private:
  const in_json& m_obj;
  std::string m_where;
  std::string m_error;
};

std::optional<checks::PlanAction> action_named(const std::string& name) {
  for (auto a : {checks::PlanAction::restart, checks::PlanAction::remove, checks::PlanAction::skip,
                 checks::PlanAction::defer}) {
    if (name == checks::to_string(a)) return a;
  }
  return std::nullopt;
}

util::Expected<checks::RemediationPod> parse_pod(const in_json& j, const std::string& where) {
  if (!j.is_object()) return invalid(where + ": not an object");
  Fields f(j, where);
  checks::RemediationPod p;
  p.ns = f.text("namespace", false);
  p.name = f.text("name", false);
  p.node = f.text("node", false);
  p.check = f.text("check", false);
  p.ztunnel_pod = f.text("ztunnelPod", false);
  p.pod_start = f.time("podStart");
  p.ztunnel_ready_at = f.time("ztunnelReadyAt");
  p.detail = f.text("detail", false);
  if (f.failed()) return invalid(f.error());
  return p;
}

util::Expected<checks::PlanEntry> parse_entry(const in_json& j, const std::string& where) {
  if (!j.is_object()) return invalid(where + ": not an object");
  Fields f(j, where);
  checks::PlanEntry e;
  e.kind = f.text("kind", true);
  e.ns = f.text("namespace", true);
  e.name = f.text("name", true);
  std::string action = f.text("action", true);
  if (f.failed()) return invalid(f.error());
  auto a = action_named(action);
  if (!a) {
    return invalid(where + ": unknown action \"" + action + "\" (restart, delete, skip or defer)");
  }
  e.action = *a;
  // A write needs its precondition and target exactly as planned.
  bool restart = e.action == checks::PlanAction::restart;
  bool remove = e.action == checks::PlanAction::remove;
  e.uid = f.text("uid", remove);
  e.resource_version = f.text("resourceVersion", restart);
  e.api_path = f.text("apiPath", restart || remove);
  e.command = f.text("command", false);
  e.guard = f.text("guard", false);
  e.reason = f.text("reason", false);
  e.checks = f.strings("checks");
  const in_json* pods = f.objects("pods");
  if (f.failed()) return invalid(f.error());
  if (pods) {
    for (std::size_t i = 0; i < pods->size(); ++i) {
      auto p = parse_pod((*pods)[i], where + ".pods[" + std::to_string(i) + "]");
      if (!p) return p.error();
      e.pods.push_back(std::move(*p));
    }
  }
  return e;
}

// "[json.exception.parse_error.101] parse error at line 3, column 7: ..." → from "parse error".
std::string parser_message(const nlohmann::json::parse_error& e) {
  std::string what = e.what();
  std::size_t at = what.find("] ");
  return at == std::string::npos ? what : what.substr(at + 2);
}

}  // namespace

json empty_remediation_json() { return {{"plan", json::array()}, {"applied", json::array()}}; }

json remediation_json(const checks::Remediation& r) {
  json applied = json::array();
  for (const auto& a : r.applied) applied.push_back(applied_json(a));
  return {{"playbook", r.playbook},
          {"mode", r.apply ? "apply" : "dry-run"},
          {"fromPlan", r.from_plan},
          {"maxRestarts", r.max_restarts},
          {"summary", summary_json(r)},
          {"plan", plan_json(r.plan)},
          {"applied", std::move(applied)},
          {"verify", verify_json(r.verify)},
          {"notes", r.notes}};
}

std::string render_plan_file(const checks::Remediation& r,
                             const std::string& server,
                             const std::string& context,
                             util::Micros created_at) {
  json doc = {{"schemaVersion", k_plan_schema},
              {"createdAt", util::format_rfc3339(created_at)},
              {"cluster", {{"server", server}, {"context", context}}},
              {"maxRestarts", r.max_restarts},
              {"entries", plan_json(r.plan)}};
  return doc.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

util::Expected<checks::Remediation> parse_plan_file(const std::string& text,
                                                    std::string* server,
                                                    std::string* context) {
  in_json doc;
  try {
    doc = in_json::parse(text);
  } catch (const in_json::parse_error& e) {
    return invalid("not valid JSON: " + parser_message(e));
  } catch (const in_json::exception& e) {  // e.g. a number out of range (found by tests/fuzz)
    return invalid(std::string("not valid JSON: ") + e.what());
  }
  if (!doc.is_object()) return invalid("not a JSON object");

  Fields top(doc, "");
  std::string schema = top.text("schemaVersion", true);
  if (top.failed()) return invalid(top.error());
  if (schema != k_plan_schema) {
    return invalid("schemaVersion \"" + schema + "\" is not " + k_plan_schema);
  }
  if (!top.time("createdAt") && !top.failed()) top.fail("missing createdAt");
  if (top.failed()) return invalid(top.error());

  auto cluster = doc.find("cluster");
  if (cluster == doc.end() || cluster->is_null()) return invalid("missing cluster");
  if (!cluster->is_object()) return invalid("cluster is not an object");
  Fields c(*cluster, "cluster");
  std::string cluster_server = c.text("server", false);
  std::string cluster_context = c.text("context", false);
  if (c.failed()) return invalid(c.error());

  checks::Remediation r;
  r.from_plan = true;
  auto max = doc.find("maxRestarts");
  if (max == doc.end() || max->is_null()) return invalid("missing maxRestarts");
  if (!max->is_number_integer() || max->get<long long>() < 0 ||
      max->get<long long>() > 1'000'000) {
    return invalid("maxRestarts is not a non-negative integer");
  }
  r.max_restarts = max->get<int>();

  auto entries = doc.find("entries");
  if (entries == doc.end() || entries->is_null()) return invalid("missing entries");
  if (!entries->is_array()) return invalid("entries is not an array");
  for (std::size_t i = 0; i < entries->size(); ++i) {
    auto e = parse_entry((*entries)[i], "entries[" + std::to_string(i) + "]");
    if (!e) return e.error();
    r.plan.push_back(std::move(*e));
  }
  if (server) *server = cluster_server;
  if (context) *context = cluster_context;
  return r;
}

}  // namespace meshdoctor::report
