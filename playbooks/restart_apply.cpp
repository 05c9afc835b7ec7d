// Applying a restart plan: the `kubectl rollout restart` patch with a resourceVersion
// precondition, one Event per restarted workload, every attempt recorded with its result.
#include <spdlog/spdlog.h>

#include "playbooks/restart.hpp"
#include "playbooks/restart_internal.hpp"
#include "util/time.hpp"

namespace meshdoctor::playbooks {

using checks::AppliedAction;
using checks::PlanAction;
using checks::PlanEntry;
using nlohmann::json;

namespace {

std::string text(const json& obj, std::initializer_list<const char*> path) {
  const json* v = json_at(obj, path);
  return v && v->is_string() ? v->get<std::string>() : "";
}

// The HTTP status an error code stands for (the client turns most non-2xx answers into errors).
int status_of(const util::Error& e) {
  if (e.code == "kube.forbidden") return 403;
  if (e.code == "kube.not_found") return 404;
  if (e.code == "kube.unauthorized") return 401;
  if (e.code == "kube.throttled") return 429;
  if (e.code == "kube.gone") return 410;
  return 0;
}

std::string result_of(const util::Error& e) {
  if (e.code == "kube.forbidden") return "forbidden";
  if (e.code == "kube.not_found") return "not-found";
  return "error";
}

// A write whose answer never came may still have been applied: say so, never "failed".
std::string failure_detail(const util::Error& e, const PlanEntry& entry) {
  const bool unanswered = e.code == "http.timeout" || e.code == "http.truncated" || e.code == "kube.deadline" ||
                          e.code == "http.other";
  if (!unanswered) return e.message;
  const std::string check = entry.action == PlanAction::remove
                                ? "oc get pod " + entry.name + " -n " + entry.ns
                                : "oc get " + entry.kind + " " + entry.name + " -n " + entry.ns +
                                      " -o jsonpath='{.spec.template.metadata.annotations}'";
  return "no answer (" + e.message + "): the change may have been applied; not retried; check with " + check;
}

std::string seconds_rfc3339(util::Micros t) { return util::format_rfc3339(t - t % 1000000); }

std::string api_version_of(const std::string& kind) { return kind == "Pod" ? "v1" : "apps/v1"; }

std::string event_body(const PlanEntry& e, const AppliedAction& a, const ApplyOptions& o) {
  const std::string now = seconds_rfc3339(o.now);
  // Event names are <object>.<unique suffix>, as the API server's own recorders make them.
  char suffix[32];
  std::snprintf(suffix, sizeof suffix, "%llx", static_cast<unsigned long long>(o.now));
  std::string what = e.action == PlanAction::remove ? "Deleted" : "Restarted";
  json ev = {{"apiVersion", "v1"},
             {"kind", "Event"},
             {"metadata", {{"name", e.name + "." + suffix}, {"namespace", e.ns}}},
             {"involvedObject",
              {{"apiVersion", api_version_of(e.kind)},
               {"kind", e.kind},
               {"namespace", e.ns},
               {"name", e.name},
               {"uid", e.uid}}},
             {"reason", "MeshdoctorRestart"},
             {"message", what + " by meshdoctor (restart-stale-workloads): " + e.reason},
             {"type", "Normal"},
             {"source", {{"component", "meshdoctor"}}},
             {"reportingComponent", "meshdoctor"},
             {"reportingInstance", o.reporting_instance},
             {"firstTimestamp", now},
             {"lastTimestamp", now},
             {"count", 1}};
  if (!a.resource_version_after.empty()) ev["involvedObject"]["resourceVersion"] = a.resource_version_after;
  return ev.dump();
}

void record_event(const PlanEntry& e, AppliedAction& a, probe::KubeClient& client, const ApplyOptions& o) {
  auto sent = client.send("POST", "/api/v1/namespaces/" + e.ns + "/events", "application/json", event_body(e, a, o));
  if (!sent) {
    a.event = (sent.error().code == "kube.forbidden" ? "" : "error: ") + sent.error().message;
  } else if (sent->status == 409) {
    a.event = "error: an event of that name exists";
  } else {
    a.event = "recorded";
  }
}

// --from-plan: the object must still be the one that was reviewed. Empty result = unchanged.
std::optional<AppliedAction> changed_since_plan(const PlanEntry& e, AppliedAction a, probe::KubeClient& client) {
  auto current = client.get(e.api_path);
  if (!current) {
    a.result = result_of(current.error());
    a.http_status = status_of(current.error());
    a.detail = current.error().message + "; nothing sent";
    return a;
  }
  json obj = json::parse(*current, nullptr, false);
  const std::string rv = text(obj, {"metadata", "resourceVersion"});
  const std::string uid = text(obj, {"metadata", "uid"});
  if (rv != e.resource_version || (!e.uid.empty() && uid != e.uid)) {
    a.result = "changed-since-plan";
    a.detail = "resourceVersion " + e.resource_version + " in the plan, " + (rv.empty() ? "?" : rv) +
               " now" + (uid != e.uid && !e.uid.empty() ? " (uid changed: recreated)" : "") +
               "; nothing sent: review a new plan";
    return a;
  }
  return std::nullopt;
}

// The common part of a write's answer: an error or a 409 ends the action (true), with the
// result and detail filled; otherwise the caller records its success.
bool answered_with_failure(const util::Expected<probe::HttpResponse>& sent, const PlanEntry& e,
                           const std::string& conflict, AppliedAction& a) {
  if (!sent) {
    a.result = result_of(sent.error());
    a.http_status = status_of(sent.error());
    a.detail = failure_detail(sent.error(), e);
    return true;
  }
  a.http_status = sent->status;
  if (sent->status != 409) return false;
  a.result = "conflict";
  a.detail = conflict;
  return true;
}

AppliedAction send_restart(const PlanEntry& e, AppliedAction a, probe::KubeClient& client, const ApplyOptions& o) {
  a.restarted_at = seconds_rfc3339(o.now);
  auto sent = client.send("PATCH", e.api_path + "?fieldManager=" + o.field_manager,
                          "application/strategic-merge-patch+json",
                          restart_patch_body(e.resource_version, a.restarted_at));
  const std::string conflict =
      "changed since it was read (resourceVersion " + e.resource_version + "): not touched; plan again";
  if (answered_with_failure(sent, e, conflict, a)) return a;
  json obj = json::parse(sent->body, nullptr, false);
  a.resource_version_after = text(obj, {"metadata", "resourceVersion"});
  a.result = "restarted";
  a.detail = "restartedAt " + a.restarted_at;
  return a;
}

AppliedAction send_delete(const PlanEntry& e, AppliedAction a, probe::KubeClient& client) {
  json options = {{"apiVersion", "v1"}, {"kind", "DeleteOptions"}, {"preconditions", {{"uid", e.uid}}}};
  auto sent = client.send("DELETE", e.api_path, "application/json", options.dump());
  if (answered_with_failure(sent, e, "pod uid changed since it was read (" + e.uid + "): not deleted", a)) return a;
  a.result = "deleted";
  a.detail = "deleted with preconditions.uid " + e.uid;
  return a;
}

}  // namespace

std::string restart_patch_body(const std::string& resource_version, const std::string& restarted_at) {
  json body = {{"spec", {{"template", {{"metadata", {{"annotations", {{"kubectl.kubernetes.io/restartedAt", restarted_at}}}}}}}}}};
  if (!resource_version.empty()) body["metadata"] = {{"resourceVersion", resource_version}};
  return body.dump();
}

void apply_plan(checks::Remediation& r, probe::KubeClient& client, const ApplyOptions& o) {
  r.apply = true;
  int sent = 0;
  for (auto& e : r.plan) {
    if (e.action != PlanAction::restart && e.action != PlanAction::remove) continue;
    if (sent >= o.max_restarts) {
      e.action = PlanAction::defer;
      e.guard = "budget";
      e.reason = "--max-restarts " + std::to_string(o.max_restarts) + " reached; " + e.reason;
      continue;
    }
    AppliedAction a;
    a.kind = e.kind;
    a.ns = e.ns;
    a.name = e.name;
    a.action = e.action == PlanAction::remove ? "delete" : "restart";
    a.at = o.now;
    a.resource_version_before = e.resource_version;
    if (o.recheck_resource_version) {
      if (auto refused = changed_since_plan(e, a, client)) {
        r.applied.push_back(*refused);
        if (o.on_action) o.on_action(r.applied.back());
        continue;
      }
    }
    ++sent;
    a = e.action == PlanAction::remove ? send_delete(e, a, client) : send_restart(e, a, client, o);
    if (a.ok()) record_event(e, a, client, o);
    r.applied.push_back(a);
    if (o.on_action) o.on_action(r.applied.back());
  }
}

}  // namespace meshdoctor::playbooks
