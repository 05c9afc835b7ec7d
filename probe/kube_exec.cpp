// Exec credential plugins (client.authentication.k8s.io): the kubeconfig names a command that
// prints an ExecCredential with a token or a client certificate. The plugin is untrusted output
// and may print secrets on stderr, so stderr goes to /dev/null and errors name only the command
// and its exit status.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <map>
#include <nlohmann/json.hpp>

#include "probe/kube_config.hpp"
#include "util/time.hpp"

extern char** environ;

namespace meshdoctor::probe {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr std::size_t k_max_output_bytes = std::size_t{1} << 20;
constexpr auto k_plugin_timeout = std::chrono::seconds(30);
constexpr const char* k_default_api_version = "client.authentication.k8s.io/v1";

class UniqueFd {
 public:
  explicit UniqueFd(int fd = -1) : m_fd(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : m_fd(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    reset(other.release());
    return *this;
  }
  ~UniqueFd() { reset(); }
  int get() const { return m_fd; }
  int release() { return std::exchange(m_fd, -1); }
  void reset(int fd = -1) {
    if (m_fd >= 0) ::close(m_fd);
    m_fd = fd;
  }

 private:
  int m_fd;
};

struct SpawnActions {
  posix_spawn_file_actions_t actions;
  SpawnActions() { posix_spawn_file_actions_init(&actions); }
  ~SpawnActions() { posix_spawn_file_actions_destroy(&actions); }
  SpawnActions(const SpawnActions&) = delete;
  SpawnActions& operator=(const SpawnActions&) = delete;
};

util::Error exec_error(const ExecCredential& plugin, const std::string& what) {
  return util::make_error("kubeconfig.exec", "exec plugin " + plugin.command + " " + what);
}

std::string exec_info(const ExecCredential& plugin) {
  const std::string api = plugin.api_version.empty() ? k_default_api_version : plugin.api_version;
  return json{{"apiVersion", api},
              {"kind", "ExecCredential"},
              {"spec", {{"interactive", false}}}}
      .dump();
}

// The parent's environment, then the kubeconfig's env entries, then KUBERNETES_EXEC_INFO.
std::vector<std::string> plugin_environment(const ExecCredential& plugin) {
  std::map<std::string, std::string> vars;
  for (char** entry = environ; entry && *entry; ++entry) {
    const std::string text(*entry);
    const auto eq = text.find('=');
    if (eq != std::string::npos) vars[text.substr(0, eq)] = text.substr(eq + 1);
  }
  for (const auto& [name, value] : plugin.env) vars[name] = value;
  vars["KUBERNETES_EXEC_INFO"] = exec_info(plugin);
  std::vector<std::string> out;
  for (const auto& [name, value] : vars) out.push_back(name + "=" + value);
  return out;
}

std::vector<char*> c_strings(std::vector<std::string>& texts) {
  std::vector<char*> out;
  for (auto& text : texts) out.push_back(text.data());
  out.push_back(nullptr);
  return out;
}

struct Child {
  pid_t pid = -1;
  UniqueFd stdout_fd;
};

util::Expected<Child> spawn_plugin(const ExecCredential& plugin) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return exec_error(plugin, "could not be started (pipe)");
  UniqueFd read_end(fds[0]), write_end(fds[1]);
  SpawnActions spawn;
  posix_spawn_file_actions_addopen(&spawn.actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&spawn.actions, write_end.get(), STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&spawn.actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  std::vector<std::string> argv_text{plugin.command};
  argv_text.insert(argv_text.end(), plugin.args.begin(), plugin.args.end());
  std::vector<std::string> env_text = plugin_environment(plugin);
  auto argv = c_strings(argv_text);
  auto envp = c_strings(env_text);
  Child child;
  const int rc = ::posix_spawnp(&child.pid, plugin.command.c_str(), &spawn.actions, nullptr,
                                argv.data(), envp.data());
  if (rc != 0) return exec_error(plugin, std::string("could not be started: ") + std::strerror(rc));
  child.stdout_fd = std::move(read_end);
  return child;
}

int wait_for(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

// Reads stdout to EOF within the time and size bounds; kills the plugin when it overruns.
util::Expected<std::string> read_output(const ExecCredential& plugin, Child& child) {
  std::string out;
  const auto deadline = Clock::now() + k_plugin_timeout;
  char buffer[8192];
  while (true) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    pollfd pfd{child.stdout_fd.get(), POLLIN, 0};
    const int ready = left.count() > 0 ? ::poll(&pfd, 1, static_cast<int>(left.count())) : 0;
    if (ready < 0 && errno == EINTR) continue;
    const ssize_t n = ready > 0 ? ::read(child.stdout_fd.get(), buffer, sizeof buffer) : -1;
    if (n == 0) return out;
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 || out.size() + static_cast<std::size_t>(n) > k_max_output_bytes) {
      ::kill(child.pid, SIGKILL);
      wait_for(child.pid);
      if (ready == 0) return exec_error(plugin, "timed out after 30 s");
      return exec_error(plugin, n < 0 ? "output could not be read" : "printed too much output");
    }
    out.append(buffer, static_cast<std::size_t>(n));
  }
}

std::string string_field(const json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

util::Expected<ExecResult> parse_credential(const ExecCredential& plugin,
                                            const std::string& output,
                                            const KubeAuth& auth) {
  // The output holds the credential itself: errors never quote it.
  const json doc = json::parse(output, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("status") ||
      !doc["status"].is_object())
    return exec_error(plugin, "did not print an ExecCredential with a status");
  const json& status = doc["status"];
  ExecResult result{auth, std::nullopt};
  result.auth.token = string_field(status, "token");
  const std::string cert = string_field(status, "clientCertificateData");
  const std::string key = string_field(status, "clientKeyData");
  if (!cert.empty() && !key.empty()) {
    result.auth.tls.client_cert_data = cert;
    result.auth.tls.client_key_data = key;
    result.auth.tls.client_cert_file.clear();
    result.auth.tls.client_key_file.clear();
  }
  if (result.auth.token.empty() && (cert.empty() || key.empty()))
    return exec_error(plugin, "returned neither a token nor a client certificate and key");
  const std::string expiry = string_field(status, "expirationTimestamp");
  if (!expiry.empty()) result.expires_at = util::parse_rfc3339(expiry);
  return result;
}

}  // namespace

util::Expected<ExecResult> run_exec_plugin_with_expiry(const KubeAuth& auth) {
  if (!auth.exec || auth.exec->command.empty())
    return util::make_error("kubeconfig.exec", "no exec plugin configured for " + auth.context);
  const ExecCredential& plugin = *auth.exec;
  auto child = spawn_plugin(plugin);
  if (!child) return child.error();
  auto output = read_output(plugin, *child);
  if (!output) return output.error();
  const int status = wait_for(child->pid);
  if (WIFSIGNALED(status))
    return exec_error(plugin, "was killed by signal " + std::to_string(WTERMSIG(status)));
  if (WEXITSTATUS(status) != 0)
    return exec_error(plugin, "exited with status " + std::to_string(WEXITSTATUS(status)));
  return parse_credential(plugin, *output, auth);
}

util::Expected<KubeAuth> run_exec_plugin(const KubeAuth& auth) {
  auto result = run_exec_plugin_with_expiry(auth);
  if (!result) return result.error();
  return std::move(result->auth);
}

}  // namespace meshdoctor::probe
