// The state ConfigMap of --post-on change: data keys fingerprint, failing, postedAt, kind.
#include "report/sink_state.hpp"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "probe/kube_client.hpp"

namespace meshdoctor::report {

namespace {

using json = nlohmann::json;

constexpr const char* k_merge_patch = "application/merge-patch+json";

json state_data(const PostState& s, const std::string& kind, const std::string& posted_at) {
  std::string failing;
  for (const auto& id : s.failing) failing += (failing.empty() ? "" : ",") + id;
  return {{"fingerprint", s.fingerprint},
          {"failing", failing},
          {"postedAt", posted_at},
          {"kind", kind}};
}

std::vector<std::string> split_ids(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

bool dns1123(const std::string& s, std::size_t max, bool dots) {
  if (s.empty() || s.size() > max) return false;
  auto ok = [dots](unsigned char c) {
    return std::islower(c) || std::isdigit(c) || c == '-' || (dots && c == '.');
  };
  return std::all_of(s.begin(), s.end(), ok) &&
         std::isalnum(static_cast<unsigned char>(s.front())) &&
         std::isalnum(static_cast<unsigned char>(s.back()));
}

std::string rejection(const probe::HttpResponse& r) {
  try {
    auto status = json::parse(r.body);
    if (status.contains("message") && status["message"].is_string())
      return std::to_string(r.status) + " " + status["message"].get<std::string>();
  } catch (const json::exception&) {
  }
  return std::to_string(r.status);
}

}  // namespace

std::optional<PostState> parse_state_configmap(const std::string& object_json,
                                               std::string* resource_version) {
  json cm = json::parse(object_json, nullptr, false);
  if (!cm.is_object()) return std::nullopt;
  if (resource_version != nullptr) {
    // metadata may be anything in a hostile answer (found by tests/fuzz): look, never assume.
    const auto meta = cm.find("metadata");
    const json* rv = meta != cm.end() && meta->is_object() && meta->contains("resourceVersion")
                         ? &(*meta)["resourceVersion"]
                         : nullptr;
    *resource_version = rv && rv->is_string() ? rv->get<std::string>() : "";
  }
  const auto found = cm.find("data");
  const json data = found == cm.end() ? json::object() : *found;
  if (!data.is_object() || !data.contains("fingerprint") || !data["fingerprint"].is_string())
    return std::nullopt;
  PostState s;
  s.fingerprint = data["fingerprint"].get<std::string>();
  if (s.fingerprint.empty()) return std::nullopt;
  if (data.contains("failing") && data["failing"].is_string())
    s.failing = split_ids(data["failing"].get<std::string>());
  return s;
}

std::string state_patch(const PostState& s,
                        const std::string& kind,
                        const std::string& posted_at,
                        const std::string& resource_version) {
  json patch = {{"data", state_data(s, kind, posted_at)}};
  if (!resource_version.empty()) patch["metadata"] = {{"resourceVersion", resource_version}};
  return patch.dump();
}

std::string state_configmap(const std::string& ns,
                            const std::string& name,
                            const PostState& s,
                            const std::string& kind,
                            const std::string& posted_at) {
  json cm = {{"apiVersion", "v1"},
             {"kind", "ConfigMap"},
             {"metadata",
              {{"name", name},
               {"namespace", ns},
               {"labels", {{"app.kubernetes.io/managed-by", "meshdoctor"}}}}},
             {"data", state_data(s, kind, posted_at)}};
  return cm.dump();
}

bool split_configmap_ref(const std::string& ref, std::string* ns, std::string* name) {
  auto slash = ref.find('/');
  if (slash == std::string::npos) return false;
  std::string n = ref.substr(0, slash), m = ref.substr(slash + 1);
  if (!dns1123(n, 63, false) || !dns1123(m, 253, true)) return false;
  *ns = n;
  *name = m;
  return true;
}

namespace sink {

StateStore::StateStore(probe::KubeClient& client, std::string ns, std::string name)
    : m_client(client), m_ns(std::move(ns)), m_name(std::move(name)) {}

util::Expected<std::optional<PostState>> StateStore::load() {
  auto object = m_client.get("/api/v1/namespaces/" + m_ns + "/configmaps/" + m_name);
  if (!object) {
    if (object.error().code != "kube.not_found") {
      m_known = Known::unknown;
      return object.error();
    }
    m_known = Known::absent;
    m_resource_version.clear();
    return std::optional<PostState>{};
  }
  m_known = Known::present;
  return parse_state_configmap(*object, &m_resource_version);
}

util::Status StateStore::store(const PostState& s,
                               const std::string& kind,
                               const std::string& posted_at) {
  if (m_known == Known::absent) return create(state_configmap(m_ns, m_name, s, kind, posted_at));
  auto patched = patch(state_patch(s, kind, posted_at, m_resource_version));
  // Not read before (the read failed): it may not exist yet.
  if (!patched && patched.error().code == "kube.not_found" && m_known == Known::unknown)
    return create(state_configmap(m_ns, m_name, s, kind, posted_at));
  return patched;
}

util::Status StateStore::patch(const std::string& body) {
  auto r = m_client.send("PATCH", "/api/v1/namespaces/" + m_ns + "/configmaps/" + m_name,
                         k_merge_patch, body);
  if (!r) return r.error();
  if (r->status == 409) {
    return util::make_error(
        "post.state_conflict",
        "ConfigMap " + ref() + " changed since it was read (another run?): " + rejection(*r));
  }
  remember(r->body);
  return util::ok();
}

util::Status StateStore::create(const std::string& body) {
  auto r =
      m_client.send("POST", "/api/v1/namespaces/" + m_ns + "/configmaps", "application/json", body);
  if (!r) return r.error();
  if (r->status == 409) {
    return util::make_error("post.state_conflict",
                            "ConfigMap " + ref() + " was created by another run: " + rejection(*r));
  }
  remember(r->body);
  return util::ok();
}

// The answer is the object as written: its resourceVersion is the next write's precondition.
void StateStore::remember(const std::string& object_json) {
  m_known = Known::present;
  parse_state_configmap(object_json, &m_resource_version);
}

}  // namespace sink

}  // namespace meshdoctor::report
