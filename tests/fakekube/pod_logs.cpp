// Pod logs served from the bundle files.
#include "pod_logs.hpp"

#include <charconv>
#include <fstream>
#include <optional>
#include <sstream>
#include <variant>

#include "status.hpp"

namespace meshdoctor::fakekube {
namespace {

std::optional<std::size_t> number_param(const ApiRequest& request, const char* key) {
  const std::string text = request.param(key);
  std::size_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// The container asked for, or the only one with logs; "" with an error response otherwise.
std::variant<std::string, ApiResponse> pick_container(const PodLogFiles* files, const std::string& pod,
                                                      const std::string& asked) {
  if (!asked.empty()) return asked;
  if (files && files->containers.size() == 1) return files->containers.begin()->first;
  std::string names;
  if (files) {
    for (const auto& [name, paths] : files->containers) names += (names.empty() ? "" : " ") + name;
  }
  return bad_request("a container name must be specified for pod " + pod + ", choose one of: [" + names + "]");
}

std::string log_path(const PodLogFiles* files, const std::string& container, bool previous) {
  if (!files) return "";
  auto it = files->containers.find(container);
  if (it == files->containers.end()) return "";
  return previous ? it->second.second : it->second.first;
}

}  // namespace

std::string tail_lines(const std::string& text, std::size_t lines) {
  if (lines == 0) return "";
  std::size_t pos = text.size();
  if (pos > 0 && text[pos - 1] == '\n') --pos;  // the final newline ends the last line
  for (std::size_t seen = 0; pos > 0; --pos) {
    if (text[pos - 1] == '\n' && ++seen == lines) break;
  }
  return text.substr(pos);
}

ApiResponse pod_log(const Bundle& bundle, const std::string& ns, const std::string& pod,
                    const ApiRequest& request) {
  auto it = bundle.logs.find({ns, pod});
  const PodLogFiles* files = it == bundle.logs.end() ? nullptr : &it->second;
  if (!files && !bundle.find_object("", "pods", ns, pod)) return not_found("pods", pod);
  auto container = pick_container(files, pod, request.param("container"));
  if (auto* error = std::get_if<ApiResponse>(&container)) return *error;
  const std::string& name = std::get<std::string>(container);
  const bool previous = request.param("previous") == "true";
  const std::string path = log_path(files, name, previous);
  if (path.empty()) {
    return status_response(404, "NotFound", std::string(previous ? "previous terminated " : "") + "container \"" +
                                                name + "\" in pod \"" + pod + "\" has no log in the bundle");
  }
  std::string text = read_file(path);
  if (auto n = number_param(request, "tailLines")) text = tail_lines(text, *n);
  if (auto n = number_param(request, "limitBytes"); n && *n < text.size()) text.resize(*n);
  return ApiResponse{200, "text/plain", std::move(text), {}};
}

}  // namespace meshdoctor::fakekube
