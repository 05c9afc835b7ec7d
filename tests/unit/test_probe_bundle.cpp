#include <archive.h>
#include <archive_entry.h>
#include <doctest/doctest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "probe/bundle_reader.hpp"

using namespace meshdoctor::probe;
namespace fs = std::filesystem;

namespace {

// A scratch directory per test case, removed afterwards.
class Scratch {
 public:
  Scratch() {
    std::string pattern = (fs::temp_directory_path() / "md-bundle-test-XXXXXX").string();
    REQUIRE(mkdtemp(pattern.data()));
    m_dir = pattern;
  }
  ~Scratch() { fs::remove_all(m_dir); }
  const fs::path& dir() const { return m_dir; }
  void write(const fs::path& rel, const std::string& text) const {
    fs::create_directories((m_dir / rel).parent_path());
    std::ofstream(m_dir / rel) << text;
  }

 private:
  fs::path m_dir;
};

const char* k_istiocni = R"(apiVersion: sailoperator.io/v1
kind: IstioCNI
metadata: {name: default}
spec: {namespace: istio-cni, profile: ambient}
status:
  conditions:
  - {type: Ready, status: "True", lastTransitionTime: "2026-11-20T09:00:00Z"}
)";

const char* k_ztunnel_pod = R"(  apiVersion: v1
  kind: Pod
  metadata:
    name: ztunnel-abc
    namespace: ztunnel
    uid: 11111111-aaaa
    ownerReferences: [{kind: DaemonSet, name: ztunnel, controller: true}]
  spec: {nodeName: worker-0}
  status:
    phase: Running
    startTime: "2026-11-20T10:00:00Z"
)";

std::string list_of(const std::string& item) {
  return "apiVersion: v1\nkind: List\nitems:\n-" + item.substr(1) + "metadata: {}\n";
}

std::string single(const std::string& item) {
  std::string out;
  std::istringstream in(item);
  for (std::string line; std::getline(in, line);) out += line.substr(2) + "\n";
  return out;
}

const char* k_cni_pods = R"(apiVersion: v1
items:
- metadata:
    name: istio-cni-node-x
    namespace: istio-cni
    labels: {k8s-app: istio-cni-node}
  spec: {nodeName: worker-0}
kind: PodList
)";

const char* k_ztunnel_log =
    "2026-11-20T10:00:01.000000000Z 2026-11-20T10:00:01.000000Z\twarn\tinpod::workloadmanager\t"
    "failed to connect to the Istio CNI node agent over \"/var/run/ztunnel/ztunnel.sock\", is the node "
    "agent healthy? details: Os { code: 2, kind: NotFound, message: \"No such file or directory\" }. "
    "retrying in 20ms\n";

// Writes an inspect layout below `root` (relative to the scratch dir).
void write_inspect(const Scratch& s, const fs::path& root) {
  s.write(root / "cluster-scoped-resources/sailoperator.io/istiocnis/default.yaml", k_istiocni);
  s.write(root / "namespaces/ztunnel/ztunnel.yaml",
          "apiVersion: v1\nkind: Namespace\nmetadata: {name: ztunnel}\nstatus: {phase: Active}\n");
  s.write(root / "namespaces/ztunnel/core/pods.yaml", list_of(k_ztunnel_pod));
  s.write(root / "namespaces/ztunnel/pods/ztunnel-abc/ztunnel-abc.yaml", single(k_ztunnel_pod));
  s.write(root / "namespaces/ztunnel/pods/ztunnel-abc/istio-proxy/istio-proxy/logs/current.log",
          k_ztunnel_log);
  s.write(root / "namespaces/ztunnel/pods/ztunnel-abc/istio-proxy/istio-proxy/logs/previous.log",
          "2026-11-20T09:59:00Z\tinfo\treadiness\tTask 'workload proxy manager' complete (1ms), marking "
          "server ready");
  s.write(root / "namespaces/ztunnel/apps/daemonsets.yaml", "apiVersion: v1\nkind: List\nitems: []\n");
  s.write(root / "namespaces/istio-cni/core/pods.yaml", k_cni_pods);
  s.write(root / "namespaces/istio-cni/core/configmaps.yaml", "this: [is not read\n");
}

void check_inspect_facts(const Facts& f) {
  CHECK(f.source.kind == "bundle");
  CHECK(f.istio_cnis.source.state == Obtained::collected);
  REQUIRE(f.istio_cnis.items.size() == 1);
  CHECK(f.ztunnels.source.state == Obtained::not_found);
  CHECK(f.ztunnels.source.detail == "cluster-scoped-resources/sailoperator.io/ztunnels/ not in bundle");
  CHECK(f.daemonsets.source.state == Obtained::collected);  // an empty List still counts
  CHECK(f.daemonsets.items.empty());
  CHECK(f.ztunnel_pods.source.state == Obtained::collected);
  REQUIRE(f.ztunnel_pods.items.size() == 1);  // List and its own file: read once
  REQUIRE(f.cni_pods.items.size() == 1);
  CHECK(f.cni_pods.items[0].name == "istio-cni-node-x");
  REQUIRE(f.namespaces.items.size() == 1);
  CHECK(f.namespaces.items[0].pods.state == Obtained::collected);
  CHECK(f.ztunnel_readiness.source.state == Obtained::not_found);
  CHECK(f.ztunnel_readiness.source.detail.find("not in a plain inspect bundle") != std::string::npos);

  REQUIRE(f.ztunnel_logs.items.size() == 2);
  const PodLog& current = f.ztunnel_logs.items[0];
  CHECK_FALSE(current.previous);
  CHECK(current.container == "istio-proxy");
  CHECK(current.node == "worker-0");
  CHECK(current.source.state == Obtained::collected);
  CHECK(current.ztunnel.zds_failures == 1);
  CHECK(current.ztunnel.last_zds_kind == ZdsErrorKind::not_found);
  const PodLog& previous = f.ztunnel_logs.items[1];
  CHECK(previous.previous);
  CHECK(previous.ztunnel.marked_ready);
  CHECK(previous.ztunnel.truncated);
  REQUIRE(f.cni_logs.items.size() == 1);
  CHECK(f.cni_logs.items[0].source.state == Obtained::not_found);
  CHECK(f.cni_logs.items[0].source.detail == "no log for pod istio-cni/istio-cni-node-x in bundle");
  CHECK(f.warnings.empty());
}

struct ArchiveWriteDeleter {
  void operator()(archive* a) const { archive_write_free(a); }
};

struct Entry {
  std::string name, content;
  mode_t type = AE_IFREG;
  std::string link;
};

void write_tar_gz(const fs::path& file, const std::vector<Entry>& entries) {
  std::unique_ptr<archive, ArchiveWriteDeleter> a(archive_write_new());
  archive_write_add_filter_gzip(a.get());
  archive_write_set_format_pax_restricted(a.get());
  REQUIRE(archive_write_open_filename(a.get(), file.c_str()) == ARCHIVE_OK);
  for (const auto& e : entries) {
    archive_entry* entry = archive_entry_new();
    archive_entry_set_pathname(entry, e.name.c_str());
    archive_entry_set_filetype(entry, e.type);
    archive_entry_set_perm(entry, e.type == AE_IFDIR ? 0755 : 0644);
    archive_entry_set_size(entry, static_cast<la_int64_t>(e.content.size()));
    if (e.type == AE_IFLNK) archive_entry_set_symlink(entry, e.link.c_str());
    archive_write_header(a.get(), entry);
    if (!e.content.empty()) archive_write_data(a.get(), e.content.data(), e.content.size());
    archive_entry_free(entry);
  }
  archive_write_close(a.get());
}

// Packs a directory tree as a tar.gz with the given path prefix.
void pack(const fs::path& dir, const fs::path& file, const std::string& prefix) {
  std::vector<Entry> entries;
  for (const auto& p : fs::recursive_directory_iterator(dir)) {
    const std::string rel = prefix + fs::relative(p.path(), dir).generic_string();
    if (p.is_directory()) {
      entries.push_back({rel + "/", "", AE_IFDIR, ""});
    } else {
      std::ifstream in(p.path());
      entries.push_back({rel, std::string(std::istreambuf_iterator<char>(in), {}), AE_IFREG, ""});
    }
  }
  write_tar_gz(file, entries);
}

}  // namespace

TEST_SUITE("probe::bundle_reader") {
  TEST_CASE("an oc adm inspect directory is read with section states, dedupe and logs") {
    Scratch s;
    write_inspect(s, "inspect.local.1");
    auto facts = read_bundle((s.dir() / "inspect.local.1").string());
    REQUIRE_MESSAGE(facts, (facts ? "" : facts.error().message));
    CHECK(facts->source.root == ".");
    check_inspect_facts(*facts);
    CHECK(facts->ztunnel_pods.items[0].origin.file == "namespaces/ztunnel/core/pods.yaml");
    CHECK(facts->ztunnel_pods.items[0].origin.line == 4);
    // No collection.json or timestamp file: the newest object or log line time keeps replays
    // deterministic (here the ztunnel log's last line, one second after the newest object).
    CHECK(facts->collected_at == meshdoctor::util::parse_rfc3339("2026-11-20T10:00:01Z"));
  }

  TEST_CASE("a must-gather directory: the image folder is found and its timestamp used") {
    Scratch s;
    const fs::path mg = "must-gather.local.5538";
    write_inspect(s, mg / "quay-io-openshift-service-mesh-must-gather-sha256-abc");
    s.write(mg / "timestamp", "2026-11-20 12:30:01.123456789 +0000 UTC m=+0.011\n2026-11-20 12:31:00 +0000 UTC\n");
    auto facts = read_bundle((s.dir() / mg).string());
    REQUIRE_MESSAGE(facts, (facts ? "" : facts.error().message));
    CHECK(facts->source.root == "quay-io-openshift-service-mesh-must-gather-sha256-abc");
    check_inspect_facts(*facts);
    CHECK(facts->collected_at == meshdoctor::util::parse_rfc3339("2026-11-20T12:30:01.123456Z"));
    CHECK(facts->collected_at_origin == "timestamp");
  }

  TEST_CASE("a tar.gz archive with a wrapping folder is extracted privately and cleaned up") {
    Scratch s;
    write_inspect(s, "tree");
    pack(s.dir() / "tree", s.dir() / "bundle.tar.gz", "inspect.local.7/");
    fs::create_directories(s.dir() / "tmp");
    const char* old = std::getenv("TMPDIR");
    const std::string saved = old ? old : "";
    setenv("TMPDIR", (s.dir() / "tmp").c_str(), 1);
    auto facts = read_bundle((s.dir() / "bundle.tar.gz").string());
    if (old) setenv("TMPDIR", saved.c_str(), 1);
    else unsetenv("TMPDIR");
    REQUIRE_MESSAGE(facts, (facts ? "" : facts.error().message));
    CHECK(facts->source.root == "inspect.local.7");
    check_inspect_facts(*facts);
    CHECK(fs::is_empty(s.dir() / "tmp"));
  }

  TEST_CASE("archive entries escaping the bundle are refused") {
    Scratch s;
    write_tar_gz(s.dir() / "dotdot.tgz", {{"b/namespaces/x.yaml", "a: 1\n", AE_IFREG, ""}, {"b/../../evil.yaml", "x", AE_IFREG, ""}});
    auto dotdot = read_bundle((s.dir() / "dotdot.tgz").string());
    REQUIRE_FALSE(dotdot);
    CHECK(dotdot.error().code == "archive.unsafe");
    CHECK(dotdot.error().message.find("path contains ..") != std::string::npos);
    CHECK_FALSE(fs::exists(s.dir().parent_path() / "evil.yaml"));

    write_tar_gz(s.dir() / "abs.tar.gz", {{"/tmp/md-evil.yaml", "x", AE_IFREG, ""}});
    auto absolute = read_bundle((s.dir() / "abs.tar.gz").string());
    REQUIRE_FALSE(absolute);
    CHECK(absolute.error().code == "archive.unsafe");

    write_tar_gz(s.dir() / "link.tar.gz", {{"b/namespaces/", "", AE_IFDIR, ""},
                                           {"b/namespaces/passwd.yaml", "", AE_IFLNK, "../../../etc/passwd"}});
    auto link = read_bundle((s.dir() / "link.tar.gz").string());
    REQUIRE_FALSE(link);
    CHECK(link.error().message.find("symbolic link points outside") != std::string::npos);
  }

  TEST_CASE("missing path, empty directory and non-bundle file are fatal errors") {
    Scratch s;
    auto missing = read_bundle((s.dir() / "nope").string());
    REQUIRE_FALSE(missing);
    CHECK(missing.error().message == "bundle not found: " + (s.dir() / "nope").string());

    fs::create_directories(s.dir() / "empty");
    auto empty = read_bundle((s.dir() / "empty").string());
    REQUIRE_FALSE(empty);
    CHECK(empty.error().message == (s.dir() / "empty").string() +
                                       ": no namespaces/ or cluster-scoped-resources/ folder: not an oc "
                                       "adm inspect or must-gather bundle");

    s.write("notes.txt", "hello, this is not a tar archive\n");
    auto text = read_bundle((s.dir() / "notes.txt").string());
    REQUIRE_FALSE(text);
    CHECK(text.error().code == "bundle.unreadable");
  }

  TEST_CASE("a malformed YAML file marks its section error with file and line; the rest loads") {
    Scratch s;
    write_inspect(s, "b");
    s.write("b/namespaces/istio-cni/core/pods.yaml", "apiVersion: v1\nkind: List\nitems:\n- metadata: {name: [x\n");
    auto facts = read_bundle((s.dir() / "b").string());
    REQUIRE(facts);
    CHECK(facts->istio_cnis.source.state == Obtained::collected);
    CHECK(facts->cni_pods.source.state == Obtained::error);
    CHECK(facts->cni_pods.source.detail.rfind("namespaces/istio-cni/core/pods.yaml:", 0) == 0);
    CHECK(facts->ztunnel_pods.items.size() == 1);
    REQUIRE(facts->warnings.size() == 1);
    CHECK(facts->warnings[0].rfind("namespaces/istio-cni/core/pods.yaml:", 0) == 0);
  }

  TEST_CASE("meshdoctor/ extras: collection time, listed resources and readiness bodies") {
    Scratch s;
    write_inspect(s, "b");
    s.write("b/meshdoctor/collection.json",
            R"({"collectedAt":"2026-11-20T12:30:00Z","collected":["sailoperator.io/ztunnels"]})");
    s.write("b/meshdoctor/ztunnel-readiness.json",
            R"([{"namespace":"ztunnel","pod":"ztunnel-abc","node":"worker-0","status":500,"body":"not ready, pending: workload proxy manager\n"}])");
    auto facts = read_bundle((s.dir() / "b").string());
    REQUIRE(facts);
    CHECK(facts->collected_at == meshdoctor::util::parse_rfc3339("2026-11-20T12:30:00Z"));
    CHECK(facts->collected_at_origin == "meshdoctor/collection.json");
    CHECK(facts->ztunnels.source.state == Obtained::collected);
    CHECK(facts->ztunnels.items.empty());
    REQUIRE(facts->ztunnel_readiness.items.size() == 1);
    CHECK(facts->ztunnel_readiness.source.state == Obtained::collected);
    CHECK(facts->ztunnel_readiness.items[0].http_status == 500);
    CHECK(facts->ztunnel_readiness.items[0].body == "not ready, pending: workload proxy manager\n");
    CHECK(facts->prometheus.source.state == Obtained::not_found);
    CHECK(facts->ztunnel_metrics.source.state == Obtained::not_found);
    CHECK(facts->ztunnel_metrics.source.detail.find("not in a plain inspect bundle") != std::string::npos);
  }

  TEST_CASE("meshdoctor/ztunnel-metrics: one scrape per pod, namespace and node from the pod") {
    Scratch s;
    write_inspect(s, "b");
    s.write("b/meshdoctor/ztunnel-metrics/ztunnel-abc.txt",
            "workload_manager_pending_proxy_count 3\nworkload_manager_active_proxy_count 0\nbroken{\n");
    s.write("b/meshdoctor/ztunnel-metrics/README", "not a scrape\n");
    auto facts = read_bundle((s.dir() / "b").string());
    REQUIRE(facts);
    CHECK(facts->ztunnel_metrics.source.state == Obtained::collected);
    CHECK(facts->ztunnel_metrics.source.detail == "meshdoctor/ztunnel-metrics");
    REQUIRE(facts->ztunnel_metrics.items.size() == 1);
    const auto& m = facts->ztunnel_metrics.items[0];
    CHECK(m.ns == "ztunnel");
    CHECK(m.pod == "ztunnel-abc");
    CHECK(m.node == "worker-0");
    CHECK(m.pending_proxies == 3.0);
    CHECK(m.active_proxies == 0.0);
    CHECK(m.malformed == 1);
    CHECK(facts->warnings.back() == "meshdoctor/ztunnel-metrics/ztunnel-abc.txt: 1 unreadable lines skipped");
  }
}
