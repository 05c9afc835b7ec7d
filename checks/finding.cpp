#include "checks/finding.hpp"

namespace meshdoctor::checks {

const char* to_string(Status s) {
  switch (s) {
    case Status::pass: return "pass";
    case Status::warn: return "warn";
    case Status::fail: return "fail";
    case Status::unknown: return "unknown";
    case Status::skipped: return "skipped";
  }
  return "unknown";
}

Finding make_finding(const std::string& id, Status status, std::string message) {
  Finding f;
  f.id = id;
  f.status = status;
  f.message = std::move(message);
  return f;
}

Finding unknown_from_source(const std::string& id, const std::string& what,
                            const probe::SourceState& source) {
  std::string why;
  switch (source.state) {
    case probe::Obtained::not_found: why = "not in the source"; break;
    case probe::Obtained::forbidden: why = "access refused (RBAC)"; break;
    case probe::Obtained::error: why = "could not be read"; break;
    case probe::Obtained::collected: why = "collected"; break;
  }
  Finding f = make_finding(id, Status::unknown, what + ": " + why);
  f.evidence.push_back({what, source.detail.empty() ? why : source.detail});
  return f;
}

const Finding* Diagnosis::find(const std::string& id) const {
  for (const auto& f : findings) {
    if (f.id == id) return &f;
  }
  return nullptr;
}

}  // namespace meshdoctor::checks

namespace meshdoctor::probe {

const char* to_string(Obtained o) {
  switch (o) {
    case Obtained::not_found: return "not_found";
    case Obtained::collected: return "collected";
    case Obtained::forbidden: return "forbidden";
    case Obtained::error: return "error";
  }
  return "error";
}

}  // namespace meshdoctor::probe
