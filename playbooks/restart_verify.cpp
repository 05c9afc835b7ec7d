// --wait after an apply: each restarted workload's new pods must be Ready and enrolled in
// ambient (ambient.istio.io/redirection=enabled), and none of its old pods left running.
#include <algorithm>
#include <chrono>
#include <set>
#include <thread>

#include "playbooks/restart.hpp"
#include "playbooks/restart_internal.hpp"

namespace meshdoctor::playbooks {

using checks::VerifiedWorkload;
using nlohmann::json;

namespace {

long long number(const json& obj, std::initializer_list<const char*> path, long long fallback) {
  const json* v = json_at(obj, path);
  return v && v->is_number_integer() ? v->get<long long>() : fallback;
}

bool pod_ready(const json& pod) {
  const json* conds = json_at(pod, {"status", "conditions"});
  if (!conds || !conds->is_array()) return false;
  for (const auto& c : *conds) {
    if (c.is_object() && c.value("type", "") == "Ready") return c.value("status", "") == "True";
  }
  return false;
}

bool pod_enrolled(const json& pod) {
  const json* a = json_at(pod, {"metadata", "annotations", "ambient.istio.io/redirection"});
  return a && a->is_string() && a->get<std::string>() == "enabled";
}

// "app=reviews,version=v2" from spec.selector.matchLabels; empty when there is none.
std::string label_selector(const json& workload) {
  const json* labels = json_at(workload, {"spec", "selector", "matchLabels"});
  std::string out;
  if (!labels || !labels->is_object()) return out;
  for (const auto& [k, v] : labels->items()) {
    if (!v.is_string()) continue;
    out += (out.empty() ? "" : ",") + k + "=" + v.get<std::string>();
  }
  return out;
}

std::string api_path(const VerifiedWorkload& w) {
  std::string plural = w.kind == "Deployment" ? "deployments" : w.kind == "StatefulSet" ? "statefulsets" : "daemonsets";
  return "/apis/apps/v1/namespaces/" + w.ns + "/" + plural + "/" + w.name;
}

// One look at a workload and its pods; updates w in place.
void observe(VerifiedWorkload& w, probe::KubeClient& client, const std::set<std::string>& old_uids) {
  auto raw = client.get(api_path(w));
  if (!raw) {
    w.detail = raw.error().message;
    return;
  }
  json obj = json::parse(*raw, nullptr, false);
  w.desired = static_cast<int>(w.kind == "DaemonSet" ? number(obj, {"status", "desiredNumberScheduled"}, 0)
                                                     : number(obj, {"spec", "replicas"}, 1));
  const std::string selector = label_selector(obj);
  if (selector.empty()) {
    w.detail = "no spec.selector.matchLabels: its pods cannot be listed";
    return;
  }
  int ready = 0, enrolled = 0, old = 0;
  auto listed = client.list("/api/v1/namespaces/" + w.ns + "/pods", {selector, ""}, [&](const json& pod) {
    const std::string uid = pod.value("/metadata/uid"_json_pointer, "");
    const bool terminating = json_at(pod, {"metadata", "deletionTimestamp"}) != nullptr;
    if (old_uids.count(uid)) {
      if (!terminating) ++old;
      return;
    }
    if (terminating) return;
    if (pod_ready(pod)) ++ready;
    if (pod_enrolled(pod)) ++enrolled;
  });
  if (!listed) {
    w.detail = listed.error().message;
    return;
  }
  w.ready = ready;
  w.enrolled = enrolled;
  w.old_pods = old;
  w.done = old == 0 && ready >= w.desired && enrolled >= w.desired;
  // The counts are rendered next to the detail: say only what they do not.
  w.detail = old > 0 ? std::to_string(old) + " old pod(s) still running" : "";
}

}  // namespace

void verify_restarts(checks::Remediation& r, probe::KubeClient& client, const VerifyOptions& o) {
  checks::Verification v;
  for (const auto& a : r.applied) {
    if (a.result != "restarted") continue;
    v.workloads.push_back({a.kind, a.ns, a.name, false, 0, 0, 0, 0, "not observed yet"});
  }
  const std::set<std::string> old_uids(o.old_pod_uids.begin(), o.old_pod_uids.end());
  const auto start = std::chrono::steady_clock::now();
  const auto deadline = start + std::chrono::milliseconds(o.wait_ms);
  for (;;) {
    bool all = true;
    for (auto& w : v.workloads) {
      if (!w.done) observe(w, client, old_uids);
      all = all && w.done;
    }
    v.completed = all;
    const auto now = std::chrono::steady_clock::now();
    if (all || now >= deadline) break;
    // The last look is at the deadline itself, not one interval before it: --wait 3s waits 3 s.
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
        std::chrono::milliseconds(o.interval_ms), deadline - now));
  }
  v.waited_ms = static_cast<long>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count());
  r.verify = std::move(v);
}

}  // namespace meshdoctor::playbooks
