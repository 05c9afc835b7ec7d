// The webhook URL: where it comes from, and the only part of it messages may name (the host).
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "report/sink.hpp"

namespace meshdoctor::report {

namespace {

constexpr long k_max_retry_after_ms = 30000;

std::string trimmed(const std::string& text) {
  const char* space = " \t\r\n";
  auto start = text.find_first_not_of(space);
  if (start == std::string::npos) return "";
  return text.substr(start, text.find_last_not_of(space) - start + 1);
}

// Past "scheme://": the authority ends at the path, query or fragment.
std::string authority(const std::string& url) {
  auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return "";
  std::string rest = url.substr(scheme_end + 3);
  return rest.substr(0, rest.find_first_of("/?#"));
}

util::Expected<std::string> read_url_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return util::make_error("post.url_file",
                            "cannot read --post-url-file " + path + ": " + std::strerror(errno));
  }
  std::ostringstream text;
  text << in.rdbuf();
  std::string url = trimmed(text.str());
  if (url.empty())
    return util::make_error("post.url_file", "--post-url-file " + path + " is empty");
  if (!valid_post_url(url)) {
    return util::make_error(
        "post.url_file", "--post-url-file " + path + " does not hold an http:// or https:// URL");
  }
  return url;
}

}  // namespace

std::string endpoint_host(const std::string& url) {
  std::string host = authority(url);
  auto at = host.rfind('@');  // user info may hold a password
  if (at != std::string::npos) host.erase(0, at + 1);
  return host;
}

bool valid_post_url(const std::string& url) {
  std::string scheme = url.substr(0, url.find("://"));
  std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (url.find("://") == std::string::npos || (scheme != "http" && scheme != "https")) return false;
  const bool clean = std::none_of(
      url.begin(), url.end(), [](unsigned char c) { return std::isspace(c) || std::iscntrl(c); });
  return clean && !endpoint_host(url).empty();
}

util::Status resolve_post_url(PostOptions& opt) {
  if (!opt.url.empty()) {
    if (!valid_post_url(opt.url))
      return util::make_error("post.url", "--post: expected an http:// or https:// URL");
    return util::ok();
  }
  if (!opt.url_file.empty()) {
    auto url = read_url_file(opt.url_file);
    if (!url) return url.error();
    opt.url = std::move(*url);
    return util::ok();
  }
  const char* env = std::getenv("MESHDOCTOR_POST_URL");
  std::string url = env == nullptr ? "" : trimmed(env);
  if (url.empty()) return util::ok();
  if (!valid_post_url(url))
    return util::make_error("post.url", "$MESHDOCTOR_POST_URL is not an http:// or https:// URL");
  opt.url = std::move(url);
  return util::ok();
}

std::optional<long> retry_after_ms(const std::string& value) {
  std::string text = trimmed(value);
  if (text.empty() || !std::all_of(text.begin(), text.end(), ::isdigit)) return std::nullopt;
  if (text.size() > 6) return k_max_retry_after_ms;
  return std::min(std::strtol(text.c_str(), nullptr, 10) * 1000, k_max_retry_after_ms);
}

}  // namespace meshdoctor::report
