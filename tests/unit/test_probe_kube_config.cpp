// Kubeconfig resolution (--kubeconfig, $KUBECONFIG merge, ~/.kube/config, in-cluster service
// account) and exec credential plugins run as real child processes.
#include <doctest/doctest.h>

#include "probe/kube_config.hpp"
#include "test_support_env.hpp"

using namespace meshdoctor;
using probe::KubeconfigOptions;

namespace {

// base64 of "-----BEGIN CERTIFICATE-----\nclient\n" and of "KEY\n" (content is opaque here).
constexpr const char* k_cert_b64 = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCmNsaWVudAo=";
constexpr const char* k_key_b64 = "S0VZCg==";

std::string two_context_config() {
  return std::string(R"(apiVersion: v1
kind: Config
current-context: admin
clusters:
- name: crc
  cluster:
    server: https://api.crc.testing:6443
    certificate-authority: certs/ca.crt
    tls-server-name: api.crc.internal
- name: lab
  cluster:
    server: https://api.lab.example:6443
    insecure-skip-tls-verify: true
contexts:
- name: admin
  context: {cluster: crc, user: admin, namespace: bookinfo}
- name: lab-dev
  context: {cluster: lab, user: dev}
users:
- name: admin
  user:
    token: sha256~admin-token
- name: dev
  user:
    client-certificate-data: )") +
         k_cert_b64 + "\n    client-key-data: " + k_key_b64 + "\n";
}

KubeconfigOptions options_for(const std::string& path, const std::string& context = "") {
  KubeconfigOptions options;
  options.path = path;
  options.context = context;
  return options;
}

struct KubeEnv {
  test::TempDir home;
  test::TempDir dir;
  test::EnvGuard env;
  KubeEnv() { test::isolate_kube_env(env, home); }
};

}  // namespace

TEST_SUITE("probe::kube_config") {
  TEST_CASE("the current context gives server, token, namespace and a CA path relative to the file") {
    KubeEnv k;
    const std::string path = k.dir.file("kube/config");
    test::write_file(path, two_context_config());
    auto auth = probe::load_kube_auth(options_for(path));
    REQUIRE_MESSAGE(auth.has_value(), auth.error().message);
    CHECK(auth->context == "admin");
    CHECK(auth->server == "https://api.crc.testing:6443");
    CHECK(auth->token == "sha256~admin-token");
    CHECK(auth->namespace_ == "bookinfo");
    CHECK(auth->tls.ca_file == k.dir.file("kube/certs/ca.crt"));
    CHECK(auth->tls.server_name == "api.crc.internal");
    CHECK_FALSE(auth->tls.insecure_skip_verify);
  }

  TEST_CASE("--context selects another context with client certificate data and insecure flag") {
    KubeEnv k;
    const std::string path = k.dir.file("config");
    test::write_file(path, two_context_config());
    auto auth = probe::load_kube_auth(options_for(path, "lab-dev"));
    REQUIRE_MESSAGE(auth.has_value(), auth.error().message);
    CHECK(auth->server == "https://api.lab.example:6443");
    CHECK(auth->tls.insecure_skip_verify);
    CHECK(auth->tls.client_cert_data == "-----BEGIN CERTIFICATE-----\nclient\n");
    CHECK(auth->tls.client_key_data == "KEY\n");
    CHECK(auth->token.empty());
    CHECK(auth->namespace_ == "default");
  }

  TEST_CASE("an unknown context is kubeconfig.context listing the known contexts") {
    KubeEnv k;
    const std::string path = k.dir.file("config");
    test::write_file(path, two_context_config());
    auto auth = probe::load_kube_auth(options_for(path, "prod"));
    REQUIRE_FALSE(auth.has_value());
    CHECK(auth.error().code == "kubeconfig.context");
    CHECK(auth.error().message.find("\"prod\"") != std::string::npos);
    CHECK(auth.error().message.find("admin, lab-dev") != std::string::npos);
  }

  TEST_CASE("$KUBECONFIG files merge first-wins per name and for current-context") {
    KubeEnv k;
    const std::string first = k.dir.file("first.yaml");
    const std::string second = k.dir.file("second.yaml");
    test::write_file(first, R"(users:
- name: admin
  user: {token: from-first}
)");
    test::write_file(second, two_context_config());
    k.env.set("KUBECONFIG", first + ":" + k.dir.file("missing.yaml") + ":" + second);
    auto auth = probe::load_kube_auth({});
    REQUIRE_MESSAGE(auth.has_value(), auth.error().message);
    CHECK(auth->context == "admin");  // current-context only set in the second file
    CHECK(auth->token == "from-first");
    CHECK(auth->server == "https://api.crc.testing:6443");
  }

  TEST_CASE("~/.kube/config is the fallback when nothing else is given") {
    KubeEnv k;
    test::write_file(k.home.file(".kube/config"), two_context_config());
    auto auth = probe::load_kube_auth({});
    REQUIRE_MESSAGE(auth.has_value(), auth.error().message);
    CHECK(auth->token == "sha256~admin-token");
  }

  TEST_CASE("without a kubeconfig the service account of the pod is used") {
    KubeEnv k;
    test::write_file(k.dir.file("sa/token"), "sa-token\n");
    test::write_file(k.dir.file("sa/ca.crt"), "CA");
    test::write_file(k.dir.file("sa/namespace"), "meshdoctor");
    k.env.set("MESHDOCTOR_SA_DIR", k.dir.file("sa"));
    k.env.set("KUBERNETES_SERVICE_HOST", "10.0.0.1");
    k.env.set("KUBERNETES_SERVICE_PORT", "443");
    auto auth = probe::load_kube_auth({});
    REQUIRE_MESSAGE(auth.has_value(), auth.error().message);
    CHECK(auth->context == "in-cluster");
    CHECK(auth->server == "https://10.0.0.1:443");
    CHECK(auth->token == "sa-token");
    CHECK(auth->token_file == k.dir.file("sa/token"));
    CHECK(auth->tls.ca_file == k.dir.file("sa/ca.crt"));
    CHECK(auth->namespace_ == "meshdoctor");
    KubeconfigOptions no_pod;
    no_pod.allow_in_cluster = false;
    CHECK_FALSE(probe::load_kube_auth(no_pod).has_value());
  }

  TEST_CASE("no kubeconfig and no pod is kubeconfig.not_found") {
    KubeEnv k;
    auto auth = probe::load_kube_auth({});
    REQUIRE_FALSE(auth.has_value());
    CHECK(auth.error().code == "kubeconfig.not_found");
    auto missing = probe::load_kube_auth(options_for(k.dir.file("nope")));
    REQUIRE_FALSE(missing.has_value());
    CHECK(missing.error().code == "kubeconfig.not_found");
  }

  TEST_CASE("broken YAML is kubeconfig.parse naming file and line") {
    KubeEnv k;
    const std::string path = k.dir.file("config");
    test::write_file(path, "clusters:\n- name: a\n  cluster: {server: [unclosed\n");
    auto auth = probe::load_kube_auth(options_for(path));
    REQUIRE_FALSE(auth.has_value());
    CHECK(auth.error().code == "kubeconfig.parse");
    CHECK(auth.error().message.find(path + ":") != std::string::npos);
  }

  TEST_CASE("tokenFile is read relative to the kubeconfig and kept for re-reading") {
    KubeEnv k;
    test::write_file(k.dir.file("token"), "file-token\n");
    const std::string path = k.dir.file("config");
    test::write_file(path, R"(current-context: c
clusters: [{name: k, cluster: {server: "https://k:6443"}}]
contexts: [{name: c, context: {cluster: k, user: u}}]
users: [{name: u, user: {tokenFile: token}}]
)");
    auto auth = probe::load_kube_auth(options_for(path));
    REQUIRE_MESSAGE(auth.has_value(), auth.error().message);
    CHECK(auth->token == "file-token");
    CHECK(auth->token_file == k.dir.file("token"));
  }

  TEST_CASE("an exec section keeps command, args and env; a relative command resolves") {
    KubeEnv k;
    const std::string path = k.dir.file("config");
    test::write_file(path, R"(current-context: c
clusters: [{name: k, cluster: {server: "https://k:6443"}}]
contexts: [{name: c, context: {cluster: k, user: u}}]
users:
- name: u
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: ./bin/login
      args: [get-token, --cluster, k]
      env: [{name: LOGIN_MODE, value: quiet}]
)");
    auto auth = probe::load_kube_auth(options_for(path));
    REQUIRE_MESSAGE(auth.has_value(), auth.error().message);
    REQUIRE(auth->exec.has_value());
    CHECK(auth->exec->command == k.dir.file("bin/login"));
    CHECK(auth->exec->args == std::vector<std::string>{"get-token", "--cluster", "k"});
    REQUIRE(auth->exec->env.size() == 1);
    CHECK(auth->exec->env[0].first == "LOGIN_MODE");
    CHECK(auth->exec->env[0].second == "quiet");
  }
}

namespace {

probe::KubeAuth auth_with_plugin(const std::string& script) {
  probe::KubeAuth auth;
  auth.server = "https://k:6443";
  auth.exec = probe::ExecCredential{"client.authentication.k8s.io/v1", script, {"arg1"}, {{"PLUGIN_VAR", "v"}}};
  return auth;
}

}  // namespace

TEST_SUITE("probe::kube_exec") {
  TEST_CASE("an exec plugin's token and expiry are returned; it sees args, env and exec info") {
    test::TempDir dir;
    const std::string script = dir.file("plugin.sh");
    test::write_file(script, "#!/bin/sh\nprintf '%s|%s|%s' \"$1\" \"$PLUGIN_VAR\" \"$KUBERNETES_EXEC_INFO\" > '" +
                                 dir.file("seen") + "'\n" +
                                 R"(echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential",)"
                                 R"("status":{"token":"exec-token","expirationTimestamp":"2030-01-01T00:00:00Z"}}')" "\n",
                     true);
    auto result = probe::run_exec_plugin_with_expiry(auth_with_plugin(script));
    REQUIRE_MESSAGE(result.has_value(), result.error().message);
    CHECK(result->auth.token == "exec-token");
    REQUIRE(result->expires_at.has_value());
    CHECK(*result->expires_at == 1893456000LL * 1000000);
    const std::string seen = test::read_file(dir.file("seen"));
    CHECK(seen.find("arg1|v|") == 0);
    CHECK(seen.find(R"("kind":"ExecCredential")") != std::string::npos);
    CHECK(seen.find(R"("interactive":false)") != std::string::npos);
  }

  TEST_CASE("an exec plugin may answer with a client certificate instead of a token") {
    test::TempDir dir;
    const std::string script = dir.file("plugin.sh");
    test::write_file(script, "#!/bin/sh\n"
                             R"(echo '{"kind":"ExecCredential","status":{"clientCertificateData":"CERT","clientKeyData":"KEY"}}')" "\n",
                     true);
    auto auth = probe::run_exec_plugin(auth_with_plugin(script));
    REQUIRE_MESSAGE(auth.has_value(), auth.error().message);
    CHECK(auth->tls.client_cert_data == "CERT");
    CHECK(auth->tls.client_key_data == "KEY");
  }

  TEST_CASE("a failing exec plugin is kubeconfig.exec with its status, never its stderr") {
    test::TempDir dir;
    const std::string script = dir.file("plugin.sh");
    test::write_file(script, "#!/bin/sh\necho 'password=hunter2' >&2\nexit 3\n", true);
    auto auth = probe::run_exec_plugin(auth_with_plugin(script));
    REQUIRE_FALSE(auth.has_value());
    CHECK(auth.error().code == "kubeconfig.exec");
    CHECK(auth.error().message.find("exited with status 3") != std::string::npos);
    CHECK(auth.error().message.find(script) != std::string::npos);
    CHECK(auth.error().message.find("hunter2") == std::string::npos);
  }

  TEST_CASE("a missing plugin or invalid output is kubeconfig.exec without echoing the output") {
    test::TempDir dir;
    auto missing = probe::run_exec_plugin(auth_with_plugin(dir.file("no-such-plugin")));
    REQUIRE_FALSE(missing.has_value());
    CHECK(missing.error().code == "kubeconfig.exec");
    const std::string script = dir.file("plugin.sh");
    test::write_file(script, "#!/bin/sh\necho 'not json: secret-value'\n", true);
    auto invalid = probe::run_exec_plugin(auth_with_plugin(script));
    REQUIRE_FALSE(invalid.has_value());
    CHECK(invalid.error().code == "kubeconfig.exec");
    CHECK(invalid.error().message.find("secret-value") == std::string::npos);
  }
}
