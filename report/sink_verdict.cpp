// What a verdict is for --post-on: its fingerprint, its failures, and whether to post it.
#include <openssl/evp.h>

#include <algorithm>
#include <cstdio>

#include "report/digest.hpp"
#include "report/sink.hpp"

namespace meshdoctor::report {

namespace {


// Fields are joined with bytes that never occur in IDs, statuses or Kubernetes names.
std::string object_key(const checks::ObjectRef& o) {
  return o.kind + '\x1f' + o.ns + '\x1f' + o.name;
}

}  // namespace

// Only what defines the verdict: messages and evidence carry counts, times and log lines that
// change between runs of the same broken cluster, so they are left out.
std::string fingerprint(const checks::Diagnosis& d) {
  std::vector<std::string> lines;
  for (const auto& f : d.findings) {
    if (f.status == checks::Status::pass) continue;
    std::vector<std::string> objects;
    for (const auto& o : f.objects) objects.push_back(object_key(o));
    std::sort(objects.begin(), objects.end());
    objects.erase(std::unique(objects.begin(), objects.end()), objects.end());
    std::string line = f.id + '\x1e' + checks::to_string(f.status);
    for (const auto& o : objects) line += '\x1e' + o;
    lines.push_back(std::move(line));
  }
  std::sort(lines.begin(), lines.end());
  std::string text = "meshdoctor-fingerprint/v1\n";
  for (const auto& l : lines) text += l + '\n';
  return sha256_hex(text);
}

std::vector<std::string> failing_ids(const checks::Diagnosis& d) {
  std::vector<std::string> out;
  for (const auto& f : d.findings) {
    if (f.status == checks::Status::fail) out.push_back(f.id);
  }
  return out;
}

PostDecision decide_post(PostOn on,
                         const checks::Diagnosis& d,
                         const std::optional<PostState>& last) {
  const bool failing = !failing_ids(d).empty();
  switch (on) {
    case PostOn::always:
      return {true, "report", ""};
    case PostOn::fail:
      if (!failing) return {false, "", "no failure"};
      return {true, "report", ""};
    case PostOn::change:
      break;
  }
  if (last && last->fingerprint == fingerprint(d)) return {false, "", "unchanged since last post"};
  if (!failing && last && !last->failing.empty()) return {true, "resolved", ""};
  return {true, "report", ""};
}

}  // namespace meshdoctor::report
