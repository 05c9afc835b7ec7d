#!/usr/bin/env python3
"""One cell of the fault matrix: one meshdoctor command against fakekube with one fault.

    run_cell.py --meshdoctor BIN --fakekube BIN --source SRC --build BUILD COMMAND FAULT
    run_cell.py --list          (the cells, one "COMMAND FAULT" per line)

COMMAND is check, collect, restart or serve; FAULT one of FAULTS below. The cell starts fakekube
(tests/fakekube) with the fault's rules, runs the command under /usr/bin/time, and asserts:
a bounded wall time, the exit code of DESIGN.md section 4, the affected checks `unknown` with
evidence naming the fault, no crash (signal exit, sanitizer report), no token in any output,
for collect a bundle that is either complete or absent (no DIR.tmp-* left), for serve a daemon
that keeps serving and never reports healthy. It appends one row to
BUILD/artifacts/fault-matrix/COMMAND.FAULT.md (table.py prints them all).
Exit 0 pass, 1 fail, 125 skipped (a prerequisite is missing).
"""
import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "secrets"))
import scratch  # noqa: E402  (BUILD/test-output/<test>, kept for secrets.suite_grep)

COMMANDS = ["check", "collect", "restart", "serve"]
FAULTS = ["refused", "dns", "tls-handshake", "expired-cert", "unauthorized", "forbidden", "crd-missing",
          "continue-gone", "throttled-retry-after", "throttled", "server-error", "stall", "truncated",
          "invalid-json", "wrong-type", "huge-log"]

HUGE_LOG_BYTES = 200 * 1024 * 1024
# What meshdoctor may hold for a 200 MB log: far less than the log (it keeps a bounded slice).
HUGE_LOG_MAX_RSS_MB = 120
# The most of one log a collected bundle may hold; istio-cni's head (limitBytes) is 256 KiB.
HUGE_LOG_MAX_WRITTEN = 32 * 1024 * 1024
CNI_LOG_LIMIT_BYTES = 256 * 1024
SANITIZER = re.compile(r"AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:|"
                       r"terminate called|Segmentation fault|core dumped")

# The four workloads the restart-stale-workloads scenario restarts, by API path.
RESTARTS = {
    "bookinfo/Deployment/details-v1": "/apis/apps/v1/namespaces/bookinfo/deployments/details-v1",
    "bookinfo/Deployment/reviews-v2": "/apis/apps/v1/namespaces/bookinfo/deployments/reviews-v2",
    "payments/StatefulSet/ledger": "/apis/apps/v1/namespaces/payments/statefulsets/ledger",
    "shop/Deployment/cart": "/apis/apps/v1/namespaces/shop/deployments/cart",
}


class Skip(Exception):
    pass


# ---------------------------------------------------------------------------------------------
# The faults. Each returns a Plan: how fakekube runs, what meshdoctor is given, what must happen.
# Reads are faulted the same way for check, collect and serve (on the healthy scenario, so that
# anything but "healthy" comes from the fault); restart runs on restart-stale-workloads and, where
# the fault can hit a write, with --apply --yes and the fault on one PATCH.
# ---------------------------------------------------------------------------------------------

class Plan:
    def __init__(self, **kw):
        self.scenario = "healthy"
        self.rules = []             # fakekube --faults rules (or a function of the cell: late rules)
        self.fk_args = []
        self.server = "fakekube"    # fakekube | refused | dns
        self.tls = None             # None | "wrong-ca" | "expired"
        self.wrong_token = False
        self.args = []              # extra meshdoctor arguments
        self.apply = False          # restart: --apply --yes
        self.fatal = None           # regex the stderr of a could-not-run must match
        self.exit = None            # expected exit code of check/restart
        self.unknown = {}           # check ID -> regex its evidence must match (status unknown)
        self.status = {}            # check ID -> (status, evidence regex)
        self.applied = {}           # restart: "ns/Kind/name" -> (result, detail regex)
        self.no_writes = False      # restart: nothing may be written
        self.patches = {}           # restart: API path -> how many PATCHes fakekube must see
        self.max_s = 20.0           # wall-time bound of the command
        self.min_s = 0.0            # and a floor, where waits must be honoured
        self.max_rss_mb = None
        self.huge_log = False
        self.collect_exit = None    # collect: default 2 for partial faults, 3 for fatal ones
        self.__dict__.update(kw)


def fatal_plan(message, **kw):
    return Plan(fatal=message, exit=3, max_s=10.0, **kw)


def plan_for(command, fault, cell):
    restart = command == "restart"
    rsw = "restart-stale-workloads"
    if fault == "refused":
        return fatal_plan(r"cannot connect to http://127\.0\.0\.1:\d+", server="refused",
                          scenario=rsw if restart else "healthy")
    if fault == "dns":
        return fatal_plan(r"cannot connect to https://nonexistent\.invalid:6443.*(resolve|host)", server="dns",
                          scenario=rsw if restart else "healthy")
    if fault == "tls-handshake":
        return fatal_plan(r"TLS failure talking to https://127\.0\.0\.1:\d+.*(certificate|verif)", tls="wrong-ca",
                          scenario=rsw if restart else "healthy")
    if fault == "expired-cert":
        return fatal_plan(r"TLS failure talking to https://127\.0\.0\.1:\d+.*expired", tls="expired",
                          scenario=rsw if restart else "healthy")
    if fault == "unauthorized":
        return fatal_plan(r"authentication failed: log in again \(oc login\)", wrong_token=True,
                          scenario=rsw if restart else "healthy")
    if restart:
        return restart_plan(fault, cell)
    return read_plan(fault, cell)


def read_plan(fault, cell):
    """Faults on reads, for check, collect and serve on the healthy scenario."""
    if fault == "forbidden":
        # pods/log refused in one namespace: the CNI log check cannot see AmbientEnabled.
        return Plan(rules=[{"path": r"^/api/v1/namespaces/istio-cni/pods/[^/]+/log$", "status": 403}],
                    exit=2, unknown={"MD304": r"pods/log.*istio-cni|istio-cni.*pods/log"})
    if fault == "crd-missing":
        # The operator is not installed for IstioCNI: the list and the CRD answer 404. That is
        # evidence (the CR cannot exist), not a gap: MD301 fails naming the missing CRD.
        return Plan(rules=[{"path": r"^/apis/sailoperator\.io/[^/]+/istiocnis$", "status": 404},
                           {"path": r"/customresourcedefinitions/istiocnis\.sailoperator\.io$", "status": 404}],
                    exit=1, status={"MD301": ("fail", r"(?i)istiocni")}, collect_exit=0)
    if fault == "continue-gone":
        # Every continue of a pod list expires: one restart of the list, then the gap is reported.
        return Plan(rules=[{"path": r"/pods$", "onContinue": True}], fk_args=["--page-size-cap", "2"],
                    exit=2, unknown={"MD503": r"410|[Ee]xpired|Gone", "MD304": r"istio-cni.*(410|Gone)",
                                     "MD404": r"ztunnel.*(410|Gone)"})
    if fault == "throttled-retry-after":
        # 429 with Retry-After: 1 on every DaemonSet list; the retries wait as told, then give up.
        return Plan(rules=[{"path": r"/daemonsets$", "status": 429, "retryAfter": 1}],
                    exit=2, unknown={"MD303": r"429", "MD402": r"429"}, min_s=3.5, max_s=20.0)
    if fault == "throttled":
        return Plan(rules=[{"path": r"/ztunnels$", "status": 429}],
                    exit=2, unknown={"MD401": r"429"}, max_s=20.0)
    if fault == "server-error":
        return Plan(rules=[{"path": r"^/apis/sailoperator\.io/[^/]+/istios$", "status": 500}],
                    exit=2, unknown={"MD201": r"500"}, max_s=20.0)
    if fault == "stall":
        # The istio-cni pod list stalls mid-body longer than --request-timeout.
        return Plan(rules=[{"path": r"^/api/v1/namespaces/istio-cni/pods$", "stallMs": 6000}],
                    args=["--request-timeout", "2s"], exit=2,
                    unknown={"MD304": r"(?i)istio-cni.*timed? ?out"}, max_s=30.0)
    if fault == "truncated":
        return Plan(rules=[{"path": r"^/api/v1/namespaces/ztunnel/pods$", "truncate": True}],
                    exit=2, unknown={"MD504": r"(?i)pods in namespace ztunnel.*(closed|truncat|partial)"})
    if fault == "invalid-json":
        return Plan(rules=[{"path": r"/subscriptions$", "invalidJson": True}],
                    exit=2, unknown={"MD101": r"(?i)subscriptions.*(not a valid|json|decode|parse)"})
    if fault == "wrong-type":
        # A DaemonSet whose status.numberReady is a string: MD402 cannot count ready pods. collect
        # read everything the server sent (exit 0, with a warning naming the field); the bundle
        # keeps the object as served, so its offline check finds the same unknown.
        return Plan(rules=wrong_type_rules, exit=2, collect_exit=0, unknown={"MD402": r"numberReady"})
    if fault == "huge-log":
        # The AmbientEnabled line is at the head of every istio-cni log: MD304 still has its evidence.
        return Plan(huge_log=True, rules=huge_log_rules, exit=0, max_rss_mb=HUGE_LOG_MAX_RSS_MB, max_s=30.0,
                    collect_exit=0, status={"MD304": ("pass", r"AmbientEnabled: true")})
    raise SystemExit("unknown fault " + fault)


def restart_plan(fault, cell):
    """Faults for `meshdoctor restart` on restart-stale-workloads: writes where a fault can hit one."""
    p = Plan(scenario="restart-stale-workloads")
    ok = {k: ("restarted", "") for k in RESTARTS}
    if fault == "forbidden":
        p.__dict__.update(apply=True, exit=1,
                          rules=[{"path": "^" + RESTARTS["shop/Deployment/cart"] + "$", "method": "PATCH", "status": 403}],
                          applied=dict(ok, **{"shop/Deployment/cart": ("forbidden", r"patch.*deployments")}))
    elif fault == "crd-missing":
        # The restart decision rests on MD504 (pods and ztunnel), which a missing IstioCNI CRD does
        # not touch: the plan is made, MD301 fails beside it.
        p.__dict__.update(exit=0, status={"MD301": ("fail", r"(?i)istiocni")},
                          rules=[{"path": r"^/apis/sailoperator\.io/[^/]+/istiocnis$", "status": 404},
                                 {"path": r"/customresourcedefinitions/istiocnis\.sailoperator\.io$", "status": 404}])
    elif fault == "continue-gone":
        p.__dict__.update(apply=True, exit=2, no_writes=True, fk_args=["--page-size-cap", "2"],
                          rules=[{"path": r"/pods$", "onContinue": True}], unknown={"MD504": r"410|[Ee]xpired|Gone"})
    elif fault == "throttled-retry-after":
        # A write is never sent twice (test_restart_safe_writes.sh): a 429 on a PATCH, even with
        # Retry-After, is reported for that workload and the others proceed.
        path = RESTARTS["bookinfo/Deployment/details-v1"]
        p.__dict__.update(apply=True, exit=1, patches={path: 1},
                          applied=dict(ok, **{"bookinfo/Deployment/details-v1": ("error", r"429")}),
                          rules=[{"path": "^" + path + "$", "method": "PATCH", "status": 429, "retryAfter": 1}])
    elif fault == "throttled":
        # Reads are retried: the ztunnel pods list throttled for good leaves MD504 unknown, so
        # nothing is planned and nothing written, even with --apply --yes.
        p.__dict__.update(apply=True, exit=2, no_writes=True, max_s=20.0, unknown={"MD504": r"429"},
                          rules=[{"path": r"^/api/v1/namespaces/ztunnel/pods$", "status": 429}])
    elif fault == "server-error":
        # A 500 on a write may have been applied: reported, never re-sent.
        path = RESTARTS["payments/StatefulSet/ledger"]
        p.__dict__.update(apply=True, exit=1, patches={path: 1},
                          applied=dict(ok, **{"payments/StatefulSet/ledger": ("error", r"500")}),
                          rules=[{"path": "^" + path + "$", "method": "PATCH", "status": 500}])
    elif fault == "stall":
        path = RESTARTS["shop/Deployment/cart"]
        p.__dict__.update(apply=True, exit=1, args=["--request-timeout", "2s"], patches={path: 1}, max_s=30.0,
                          applied=dict(ok, **{"shop/Deployment/cart": ("error", r"may have been applied")}),
                          rules=[{"path": "^" + path + "$", "method": "PATCH", "stallMs": 6000}])
    elif fault == "truncated":
        path = RESTARTS["bookinfo/Deployment/reviews-v2"]
        p.__dict__.update(apply=True, exit=1, patches={path: 1},
                          applied=dict(ok, **{"bookinfo/Deployment/reviews-v2": ("error", r"may have been applied")}),
                          rules=[{"path": "^" + path + "$", "method": "PATCH", "truncate": True}])
    elif fault == "invalid-json":
        # A 200 whose body is not JSON: the server applied the patch; the new resourceVersion is
        # unknown but the restart happened.
        path = RESTARTS["bookinfo/Deployment/details-v1"]
        p.__dict__.update(apply=True, exit=0, applied=ok, patches={path: 1},
                          rules=[{"path": "^" + path + "$", "method": "PATCH", "invalidJson": True}])
    elif fault == "wrong-type":
        # The Deployment read for the plan has a numeric resourceVersion: without the precondition
        # it cannot be patched safely, so it is not planned (and nothing is written).
        p.__dict__.update(apply=True, exit=2, rules=wrong_type_restart_rules,
                          applied={k: v for k, v in ok.items() if k != "shop/Deployment/cart"},
                          patches={RESTARTS["shop/Deployment/cart"]: 0})
    elif fault == "huge-log":
        p.__dict__.update(huge_log=True, rules=huge_log_rules, exit=0, max_rss_mb=HUGE_LOG_MAX_RSS_MB, max_s=30.0)
    else:
        raise SystemExit("unknown fault " + fault)
    return p


def huge_log_rules(cell):
    """A server that ignores limitBytes: one istio-cni pod (not the one with the 200 MB file)
    answers its log with the real head followed by 8 MB more."""
    pods = cell.fk_get("/api/v1/namespaces/istio-cni/pods").get("items") or []
    names = sorted(p["metadata"]["name"] for p in pods if p.get("metadata", {}).get("name") != cell.huge_cni_pod)
    if not names:
        raise RuntimeError("no second istio-cni pod to answer with a log larger than asked")
    path = "/api/v1/namespaces/istio-cni/pods/%s/log" % names[0]
    head = cell.fk_get(path + "?container=install-cni", raw=True)
    line = "2026-11-20T11:00:01Z info cni padding " + "z" * 90 + "\n"
    cell.limitbytes_ignored = names[0]
    cell.notes.append("limitBytes ignored for %s (8 MB answer)" % names[0])
    return [{"path": "^" + path + "$", "query": "limitBytes", "status": 200,
             "body": head + line * ((8 << 20) // len(line))}]


def wrong_type_rules(cell):
    """A 200 answer of the ztunnel DaemonSet list with status.numberReady as a string."""
    body = cell.fk_get("/apis/apps/v1/namespaces/ztunnel/daemonsets")
    for item in body.get("items") or []:
        item.setdefault("status", {})["numberReady"] = "three"
    return [{"path": r"^/apis/apps/v1/namespaces/ztunnel/daemonsets$", "status": 200, "body": body}]


def wrong_type_restart_rules(cell):
    """cart as read for the plan: metadata.resourceVersion a number, spec.paused a string."""
    path = RESTARTS["shop/Deployment/cart"]
    body = cell.fk_get(path)
    meta = body.setdefault("metadata", {})
    meta["resourceVersion"] = int(re.sub(r"\D", "", str(meta.get("resourceVersion", "1"))) or 1)
    body.setdefault("spec", {})["paused"] = "false"
    return [{"path": "^" + path + "$", "method": "GET", "status": 200, "body": body}]


# ---------------------------------------------------------------------------------------------
# The cell.
# ---------------------------------------------------------------------------------------------

class Cell:
    def __init__(self, args):
        self.a = args
        self.command, self.fault = args.command, args.fault
        self.name = "%s.%s" % (self.command, self.fault)
        self.work = scratch.scratch_dir(args.build, "faults." + self.name)
        self.token = "tok-fault-%s-%d" % (self.fault, os.getpid())
        scratch.register_secret(self.work, self.token, "wrong-" + self.token)
        self.runs = 0
        self.problems = []
        self.notes = []             # what was observed, for the matrix row
        self.fk = None
        self.huge_cni_pod = self.limitbytes_ignored = None
        self.port = None
        self.rc = None
        self.wall = None
        self.rss_kb = None
        self.out = self.err = ""

    def bad(self, msg):
        self.problems.append(msg)

    def path(self, *parts):
        return os.path.join(self.work, *parts)

    # -- fakekube -----------------------------------------------------------------------------

    def start_fakekube(self, plan, bundle):
        args = [self.a.fakekube, "--bundle", bundle, "--port", "0", "--token", self.token,
                "--record", self.path("requests.jsonl"), "--ready-file", self.path("fk.ready"),
                "--faults", self.path("faults.json")] + plan.fk_args
        if plan.tls:
            args += ["--tls-cert", self.path("tls", "server.crt"), "--tls-key", self.path("tls", "server.key")]
        if not callable(plan.rules):
            write_json(self.path("faults.json"), plan.rules)
        self.fk = subprocess.Popen(args, stdout=open(self.path("fk.out"), "w"), stderr=open(self.path("fk.err"), "w"),
                                   stdin=subprocess.DEVNULL)
        self.port = wait_for_word(self.path("fk.ready"), "PORT", 10)
        if not self.port:
            raise RuntimeError("fakekube did not start: " + read(self.path("fk.err"))[:500])
        if callable(plan.rules):
            # Rules built from fakekube's own answers; fakekube re-reads the file on change.
            write_json(self.path("faults.json"), plan.rules(self))

    def fk_get(self, path, raw=False):
        req = urllib.request.Request("http://127.0.0.1:%s%s" % (self.port, path),
                                     headers={"Authorization": "Bearer " + self.token})
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.read().decode(errors="replace") if raw else json.load(r)

    def requests(self):
        try:
            return [json.loads(l) for l in open(self.path("requests.jsonl")) if l.strip()]
        except OSError:
            return []

    def stop_fakekube(self):
        if self.fk and self.fk.poll() is None:
            self.fk.send_signal(signal.SIGTERM)
            try:
                self.fk.wait(5)
            except subprocess.TimeoutExpired:
                self.fk.kill()
                self.fk.wait()

    # -- inputs -------------------------------------------------------------------------------

    def make_certs(self, plan):
        if not shutil.which("openssl"):
            raise Skip("openssl needed for the TLS faults")
        d = self.path("tls")
        os.makedirs(os.path.join(d, "db"))
        ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]

        def ssl(*argv):
            r = subprocess.run(["openssl"] + list(argv), cwd=d, capture_output=True, text=True)
            if r.returncode != 0:
                raise RuntimeError("openssl %s: %s" % (argv[0], r.stderr[-400:]))

        for ca in ("ca", "other-ca"):
            ssl("req", "-x509", *ec, "-keyout", ca + ".key", "-out", ca + ".crt", "-subj", "/CN=fault-" + ca,
                "-days", "30")
        ssl("req", *ec, "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1")
        open(os.path.join(d, "db", "index.txt"), "w").close()
        open(os.path.join(d, "db", "serial"), "w").write("01\n")
        open(os.path.join(d, "ca.cnf"), "w").write(
            "[ca]\ndefault_ca = fault\n[fault]\ndatabase = db/index.txt\nserial = db/serial\nnew_certs_dir = db\n"
            "certificate = ca.crt\nprivate_key = ca.key\ndefault_md = sha256\npolicy = pol\n"
            "[pol]\ncommonName = supplied\n[ext]\nsubjectAltName = IP:127.0.0.1,DNS:localhost\n")
        # expired: valid for one day in 2020; wrong CA: valid now, but the kubeconfig trusts another CA.
        dates = ["-startdate", "20200101000000Z", "-enddate", "20200102000000Z"] if plan.tls == "expired" else ["-days", "30"]
        ssl("ca", "-batch", "-config", "ca.cnf", "-in", "server.csr", "-out", "server.crt", "-extensions", "ext",
            "-notext", *dates)
        return os.path.join(d, "ca.crt" if plan.tls == "expired" else "other-ca.crt")

    def make_huge_bundle(self, scenario_dir):
        """A copy of the scenario whose first ztunnel pod logs 200 MB on one line (a tail of any
        number of lines is all of it) and whose first istio-cni pod logs 200 MB of lines."""
        bundle = self.path("bundle")
        shutil.copytree(scenario_dir, bundle)
        logs = sorted(os.path.join(dp, f) for dp, _, fs in os.walk(bundle) for f in fs if f == "current.log")
        zt = [l for l in logs if "/istio-proxy/" in l]
        cni = [l for l in logs if "/install-cni/" in l]
        if not zt or not cni:
            raise RuntimeError("the scenario has no ztunnel or istio-cni log to grow")
        chunk = b"x" * (1 << 20)
        with open(zt[0], "ab") as f:          # keep its lines, then one 200 MB line
            for _ in range(HUGE_LOG_BYTES >> 20):
                f.write(chunk)
        line = b"2026-11-20T11:00:00Z info cni noise " + b"y" * 90 + b"\n"
        with open(cni[0], "ab") as f:
            block = line * ((1 << 20) // len(line))
            for _ in range(HUGE_LOG_BYTES >> 20):
                f.write(block)
        pod_of = lambda log: log.split(os.sep + "pods" + os.sep, 1)[1].split(os.sep)[0]
        self.huge_cni_pod = pod_of(cni[0])
        self.notes.append("200 MB logs: %s, %s" % (pod_of(zt[0]), self.huge_cni_pod))
        return bundle

    def kubeconfig(self, plan):
        if plan.server == "refused":
            server = "http://127.0.0.1:%d" % closed_port()
        elif plan.server == "dns":
            server = "https://nonexistent.invalid:6443"
        else:
            server = "%s://127.0.0.1:%s" % ("https" if plan.tls else "http", self.port)
        token = ("wrong-" + self.token) if plan.wrong_token else self.token
        ca = ""
        if plan.tls:
            ca = ", certificate-authority: %s" % json.dumps(self.ca_file)
        kc = self.path("kubeconfig")
        open(kc, "w").write(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: fake\n  cluster: {server: %s%s}\n"
            "contexts:\n- name: fake\n  context: {cluster: fake, user: fake}\ncurrent-context: fake\n"
            "users:\n- name: fake\n  user: {token: %s}\n" % (json.dumps(server), ca, json.dumps(token)))
        self.server = server
        return kc

    # -- running meshdoctor -------------------------------------------------------------------

    def timed(self, argv, limit):
        """Runs meshdoctor under /usr/bin/time; sets rc, wall, rss_kb, out, err."""
        rss = self.path("rss")
        cmd = ["/usr/bin/time", "-f", "%M", "-o", rss, self.a.meshdoctor] + argv
        start = time.monotonic()
        # Its own process group: a hung meshdoctor (a child of time) is killed with it.
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                             start_new_session=True)
        try:
            out, err = p.communicate(timeout=limit + 30)
            self.rc = p.returncode
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            out, err = p.communicate()
            self.rc = "hung"
        self.wall = time.monotonic() - start
        self.out, self.err = out.decode(errors="replace"), err.decode(errors="replace")
        self.runs += 1
        for ext, data in (("out", out), ("err", err)):
            with open(self.path("meshdoctor-%d.%s" % (self.runs, ext)), "wb") as f:
                f.write(data)
        try:
            self.rss_kb = int(read(rss).strip().splitlines()[-1])
        except (ValueError, IndexError):
            self.rss_kb = None
        # /usr/bin/time reports a signal as "Command terminated by signal N" and exits 128+N.
        m = re.search(r"Command terminated by signal (\d+)", read(rss))
        if m:
            self.rc = -int(m.group(1))

    def common_args(self, plan):
        args = ["--kubeconfig", self.kc, "--timeout", "20s"]
        if "--request-timeout" not in plan.args:
            args += ["--request-timeout", "5s"]
        return args + plan.args

    # -- assertions shared by every command ---------------------------------------------------

    def assert_process(self, plan, texts):
        if self.rc == "hung":
            self.bad("did not finish within %.0f s (hung past its deadline)" % (plan.max_s + 30))
        elif isinstance(self.rc, int) and (self.rc < 0 or self.rc >= 128):
            self.bad("crashed: exit %s" % self.rc)
        if SANITIZER.search(self.err):
            self.bad("sanitizer or crash report on stderr: " + SANITIZER.search(self.err).group(0))
        if self.wall is not None and self.wall > plan.max_s:
            self.bad("took %.1f s, bound %.0f s" % (self.wall, plan.max_s))
        if self.wall is not None and self.wall < plan.min_s:
            self.bad("took %.1f s: a wait the server asked for (%.1f s) was not honoured" % (self.wall, plan.min_s))
        for label, text in texts:
            if self.token in text:
                self.bad("the token appears in " + label)
        if plan.max_rss_mb and self.rss_kb and self.rss_kb > plan.max_rss_mb * 1024:
            self.bad("max RSS %d MB, bound %d MB" % (self.rss_kb // 1024, plan.max_rss_mb))

    def assert_fatal(self, plan, err):
        if not re.search(plan.fatal, err, re.S):
            self.bad("stderr does not say why it could not run (want /%s/): %s" % (plan.fatal, err.strip()[:300]))

    def assert_report(self, plan, report, what):
        """Statuses and evidence of the findings the fault touches; never healthy."""
        if not isinstance(report, dict) or "findings" not in report:
            self.bad("%s: no JSON report" % what)
            return
        by = {f.get("id"): f for f in report.get("findings") or []}
        for cid, rx in plan.unknown.items():
            f = by.get(cid) or {}
            if f.get("status") != "unknown":
                self.bad("%s: %s is %s, want unknown" % (what, cid, f.get("status")))
            elif rx and not re.search(rx, evidence(f), re.S):
                self.bad("%s: %s evidence does not name the fault (/%s/): %s" % (what, cid, rx, evidence(f)[:300]))
        for cid, (status, rx) in plan.status.items():
            f = by.get(cid) or {}
            if f.get("status") != status:
                self.bad("%s: %s is %s, want %s" % (what, cid, f.get("status"), status))
            elif rx and not re.search(rx, evidence(f) + " " + str(f.get("title", "")), re.S):
                self.bad("%s: %s evidence lacks /%s/: %s" % (what, cid, rx, evidence(f)[:300]))
        passes = [i for i, f in by.items() if f.get("status") == "pass" and not (f.get("evidence") or [])]
        if passes:
            self.bad("%s: pass without evidence: %s" % (what, ", ".join(sorted(passes))))
        if plan.unknown or any(st != "pass" for st, _ in plan.status.values()):
            if (report.get("summary") or {}).get("status") in ("pass", "ok", "healthy"):
                self.bad("%s: reports healthy despite the fault" % what)
        unknown = sorted(i for i, f in by.items() if f.get("status") == "unknown")
        failing = sorted(i for i, f in by.items() if f.get("status") == "fail")
        return unknown, failing

    # -- the commands -------------------------------------------------------------------------

    def run_check(self, plan):
        self.timed(["check"] + self.common_args(plan) + ["-o", "json"], plan.max_s)
        self.assert_process(plan, [("stdout", self.out), ("stderr", self.err)])
        self.expect_exit(plan.exit)
        if plan.fatal:
            self.assert_fatal(plan, self.err)
            if self.out.strip():
                self.bad("a run that could not start printed a report")
            self.notes.insert(0, "could not run: " + first_line(self.err))
            return
        report = parse_json(self.out)
        res = self.assert_report(plan, report, "report")
        if res:
            self.notes.insert(0, describe(res, plan))

    def run_restart(self, plan):
        argv = ["restart"] + self.common_args(plan) + ["-o", "json"]
        if plan.apply:
            argv += ["--apply", "--yes"]
        self.timed(argv, plan.max_s)
        self.assert_process(plan, [("stdout", self.out), ("stderr", self.err)])
        self.expect_exit(plan.exit)
        reqs = self.requests()
        writes = [q for q in reqs if q.get("method") not in ("GET", "HEAD")]
        if plan.fatal:
            self.assert_fatal(plan, self.err)
            if writes:
                self.bad("wrote although it could not run: %s" % summary(writes))
            self.notes.insert(0, "could not run: " + first_line(self.err))
            return
        report = parse_json(self.out)
        res = self.assert_report(plan, report, "report") if (plan.unknown or plan.status) else None
        rem = (report or {}).get("remediation") or {}
        plan_entries = rem.get("plan") or []
        applied = {key(e): e for e in rem.get("applied") or []}
        restarts = [key(e) for e in plan_entries if e.get("action") == "restart"]
        if plan.no_writes:
            if writes:
                self.bad("wrote with an incomplete plan: %s" % summary(writes))
            if restarts:
                self.bad("planned restarts from an incomplete diagnosis: %s" % restarts)
        for k, (result, rx) in plan.applied.items():
            a = applied.get(k) or {}
            if a.get("result") != result:
                self.bad("applied %s: result %r (%s), want %s" % (k, a.get("result"), a.get("detail", ""), result))
            elif rx and not re.search(rx, a.get("detail") or "", re.S):
                self.bad("applied %s: detail %r lacks /%s/" % (k, a.get("detail"), rx))
        if plan.applied:
            extra = sorted(set(applied) - set(plan.applied))
            if extra:
                self.bad("unexpected writes for %s" % extra)
        for path, n in plan.patches.items():
            got = len([q for q in writes if q.get("method") == "PATCH" and q.get("path") == path])
            if got != n:
                self.bad("%d PATCH(es) of %s, want %d" % (got, path, n))
        if not plan.apply and writes:
            self.bad("a dry-run wrote: %s" % summary(writes))
        results = {}
        for a in applied.values():
            results[a.get("result")] = results.get(a.get("result"), 0) + 1
        note = "plan %d restart(s)" % len(restarts)
        if plan.apply:
            note += "; applied " + (", ".join("%d %s" % (v, k) for k, v in sorted(results.items())) or "nothing")
            failed = [a for a in applied.values() if a.get("result") != "restarted"]
            if failed:
                note += " (%s: %s)" % (failed[0].get("name"), short(failed[0].get("detail") or "", 70))
        if res:
            note = describe(res, plan) + "; " + note
        self.notes.insert(0, note)

    def run_collect(self, plan):
        out_dir = self.path("out", "bundle")
        os.makedirs(os.path.dirname(out_dir))
        self.timed(["collect"] + self.common_args(plan) + ["--output", out_dir], plan.max_s)
        texts = [("stdout", self.out), ("stderr", self.err)]
        if os.path.isdir(out_dir):
            texts += [(p, read(p)) for p in files_under(out_dir) if os.path.getsize(p) < (64 << 20)]
        self.assert_process(plan, texts)
        leftovers = [n for n in os.listdir(os.path.dirname(out_dir)) if ".tmp-" in n]
        if leftovers:
            self.bad("temporary directories left beside the bundle: %s" % leftovers)
        want = plan.collect_exit if plan.collect_exit is not None else (3 if plan.fatal else 2)
        self.expect_exit(want)
        if plan.fatal:
            self.assert_fatal(plan, self.err)
            if os.path.exists(out_dir):
                self.bad("a partial bundle was left at the output path")
            self.notes.insert(0, "could not run, no bundle: " + first_line(self.err))
            return
        if not os.path.isfile(os.path.join(out_dir, "meshdoctor", "collection.json")):
            self.bad("no complete bundle (meshdoctor/collection.json missing)")
            return
        if plan.huge_log:
            biggest = max((os.path.getsize(p) for p in files_under(out_dir) if p.endswith(".log")), default=0)
            if biggest > HUGE_LOG_MAX_WRITTEN:
                self.bad("a log of %d MB was written (bound %d MB)" % (biggest >> 20, HUGE_LOG_MAX_WRITTEN >> 20))
            # The head asked for (limitBytes), not the whole answer of a server that ignored it.
            ignored = [p for p in files_under(out_dir)
                       if p.endswith("current.log") and os.sep + self.limitbytes_ignored + os.sep in p]
            if not ignored:
                self.bad("no log written for %s" % self.limitbytes_ignored)
            elif os.path.getsize(ignored[0]) > CNI_LOG_LIMIT_BYTES:
                self.bad("%s: %d bytes written, more than the %d asked for" %
                         (self.limitbytes_ignored, os.path.getsize(ignored[0]), CNI_LOG_LIMIT_BYTES))
            self.notes.append("largest log written %.1f MB" % (biggest / 1048576.0))
        # The bundle must tell what the live run could not read: its offline check finds the gap.
        replay = subprocess.run([self.a.meshdoctor, "check", "--bundle", out_dir, "-o", "json"],
                                capture_output=True, timeout=120)
        report = parse_json(replay.stdout.decode(errors="replace"))
        res = self.assert_replay(plan, report)
        if replay.returncode != plan.exit:
            self.bad("offline check of the bundle: exit %d, want %d" % (replay.returncode, plan.exit))
        gaps = [l for l in self.err.splitlines() if "not collected" in l]
        if want == 2 and not gaps:
            self.bad("collect does not say on stderr what it could not read")
        note = "bundle written"
        if gaps:
            note += ", %d gap(s) on stderr (%s)" % (len(gaps), short(gaps[0].split("not collected:", 1)[-1].strip(), 60))
        note += "; offline check exit %d" % replay.returncode
        if res:
            note += ", " + describe(res, plan)
        self.notes.insert(0, note)

    def assert_replay(self, plan, report):
        """The offline check of the written bundle: the same statuses (its evidence speaks of files)."""
        saved = plan.unknown, plan.status
        plan.unknown = {k: "" for k in plan.unknown}
        plan.status = {k: (v[0], "") for k, v in plan.status.items()}
        try:
            return self.assert_report(plan, report, "offline check of the bundle")
        finally:
            plan.unknown, plan.status = saved

    def run_serve(self, plan):
        ready = self.path("serve.ready")
        argv = ["serve"] + self.common_args(plan) + ["--listen", "127.0.0.1:0", "--ready-file", ready,
                                                    "--interval", "60s", "--jitter", "0"]
        texts = []
        start = time.monotonic()
        # Run directly (SIGTERM must reach serve itself); its peak RSS is read from /proc.
        proc = subprocess.Popen([self.a.meshdoctor] + argv,
                                stdout=open(self.path("serve.out"), "w"), stderr=open(self.path("serve.err"), "w"),
                                stdin=subprocess.DEVNULL)
        try:
            port = wait_for_word(ready, "LISTEN", 10)
            if not port:
                self.bad("serve did not start listening")
                return
            base = "http://127.0.0.1:%s" % port
            # The first run starts at once; wait for it to end (good or failed).
            deadline = start + plan.max_s
            metrics = ""
            while time.monotonic() < deadline:
                metrics = http_get(base + "/metrics")[1]
                if metric(metrics, "meshdoctor_runs_total") >= 1:
                    break
                time.sleep(0.2)
            run_s = time.monotonic() - start
            if metric(metrics, "meshdoctor_runs_total") < 1:
                self.bad("no run finished within %.0f s" % plan.max_s)
            healthz = http_get(base + "/healthz")
            readyz = http_get(base + "/readyz")
            rep_code, rep_body = http_get(base + "/report.json")
            if healthz[0] != 200:
                self.bad("/healthz answered %s" % healthz[0])
            if not metrics:
                self.bad("/metrics not reachable")
            errors = metric(metrics, "meshdoctor_run_errors_total")
            texts += [("/metrics", metrics), ("/report.json", rep_body)]
            if plan.fatal:
                if errors < 1:
                    self.bad("meshdoctor_run_errors_total is %s after a run that could not reach the cluster" % errors)
                if readyz[0] != 503 or rep_code != 503:
                    self.bad("/readyz %s, /report.json %s: want 503 before any good run" % (readyz[0], rep_code))
                if status_series(metrics):
                    self.bad("check statuses exported without a good run")
                self.notes.insert(0, "run failed, counted (run_errors_total %d); /readyz 503, /report.json 503" % errors)
            else:
                if readyz[0] != 200 or rep_code != 200:
                    self.bad("/readyz %s, /report.json %s after a run that read the cluster" % (readyz[0], rep_code))
                report = parse_json(rep_body)
                res = self.assert_report(plan, report, "/report.json")
                statuses = status_series(metrics)
                for cid in plan.unknown:
                    if statuses.get(cid) != 3:
                        self.bad("meshdoctor_check_status{id=%s} is %s, want 3 (unknown)" % (cid, statuses.get(cid)))
                for cid, (st, _) in plan.status.items():
                    want = {"pass": 0, "warn": 1, "fail": 2, "unknown": 3, "skipped": 4}[st]
                    if statuses.get(cid) != want:
                        self.bad("meshdoctor_check_status{id=%s} is %s, want %d" % (cid, statuses.get(cid), want))
                if res:
                    self.notes.insert(0, "run done in %.1f s; /readyz 200; %s" % (run_s, describe(res, plan)))
        finally:
            self.rss_kb = peak_rss_kb(proc.pid)
            if proc.poll() is not None:
                self.bad("serve exited on its own (exit %s) instead of serving until SIGTERM" % proc.returncode)
            t0 = time.monotonic()
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(8)
            except subprocess.TimeoutExpired:
                self.bad("SIGTERM: still running after 8 s")
                proc.kill()
                proc.wait()
            stop_s = time.monotonic() - t0
            self.wall = time.monotonic() - start
            self.rc = proc.returncode
            self.out, self.err = read(self.path("serve.out")), read(self.path("serve.err"))
            if self.rc != 0:
                self.bad("serve exit %s after SIGTERM, want 0" % self.rc)
            if stop_s > 5:
                self.bad("SIGTERM took %.1f s" % stop_s)
            serve_plan = Plan(**dict(plan.__dict__, max_s=plan.max_s + 15, min_s=0))
            self.assert_process(serve_plan, [("stdout", self.out), ("stderr", self.err)] + texts)
            if plan.fatal and not re.search(plan.fatal, self.err, re.S):
                self.bad("the failed run is not logged with its reason (/%s/): %s" % (plan.fatal, self.err.strip()[:300]))

    def expect_exit(self, want):
        if self.rc != want and self.rc != "hung":
            self.bad("exit %s, want %s" % (self.rc, want))

    # -- the whole cell -----------------------------------------------------------------------

    def run(self):
        plan = plan_for(self.command, self.fault, self)
        scenario = os.path.join(self.a.source, "tests", "scenarios", plan.scenario, "bundle")
        bundle = self.make_huge_bundle(scenario) if plan.huge_log else scenario
        if plan.tls:
            self.ca_file = self.make_certs(plan)
        if plan.server == "fakekube":
            self.start_fakekube(plan, bundle)
        self.kc = self.kubeconfig(plan)
        getattr(self, "run_" + self.command)(plan)
        if plan.huge_log and self.rss_kb:
            self.notes.append("max RSS %d MB" % (self.rss_kb // 1024))

    def row(self):
        verdict = "ok" if not self.problems else "FAIL: " + "; ".join(self.problems)
        observed = "; ".join(n for n in self.notes if n) or "-"
        return "| %s | %s | %s | %s | %.1f | %s |\n" % (
            self.command, self.fault, md(observed), self.rc, self.wall or 0.0, md(verdict))

    def cleanup(self):
        self.stop_fakekube()
        shutil.rmtree(self.path("bundle"), ignore_errors=True)  # the 200 MB input copy of huge-log
        scratch.cleanup(self.work)


# ---------------------------------------------------------------------------------------------
# Helpers.
# ---------------------------------------------------------------------------------------------

def read(path):
    try:
        with open(path, errors="replace") as f:
            return f.read()
    except OSError:
        return ""


def write_json(path, value):
    tmp = path + ".new"
    with open(tmp, "w") as f:
        json.dump(value, f)
    os.replace(tmp, path)


def wait_for_word(path, word, seconds):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        for line in read(path).splitlines():
            parts = line.split()
            if len(parts) == 2 and parts[0] == word:
                return parts[1]
        time.sleep(0.05)
    return None


def peak_rss_kb(pid):
    for line in read("/proc/%d/status" % pid).splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return None


def closed_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def http_get(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.status, r.read().decode(errors="replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(errors="replace")
    except (urllib.error.URLError, OSError):
        return None, ""


def metric(text, name):
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] == name:
            try:
                return float(parts[1])
            except ValueError:
                return 0
    return 0


def status_series(text):
    out = {}
    for m in re.finditer(r'^meshdoctor_check_status\{([^}]*)\}\s+(\S+)$', text, re.M):
        labels = dict(re.findall(r'(\w+)="([^"]*)"', m.group(1)))
        out[labels.get("id")] = int(float(m.group(2)))
    return out


def parse_json(text):
    try:
        return json.loads(text)
    except ValueError:
        return None


def evidence(finding):
    return " | ".join("%s: %s" % (e.get("source", ""), e.get("detail", "")) for e in finding.get("evidence") or [])


def key(e):
    return "%s/%s/%s" % (e.get("namespace"), e.get("kind"), e.get("name"))


def summary(writes):
    return ", ".join("%s %s -> %s" % (q.get("method"), q.get("path"), q.get("status")) for q in writes)


def files_under(root):
    return [os.path.join(dp, f) for dp, _, fs in os.walk(root) for f in fs]


def first_line(text):
    for line in text.splitlines():
        if line.strip():
            line = re.sub(r"\b(GET|PATCH|POST|DELETE) [a-z]+://\S+: ", "", line.strip())
            return short(line.replace("meshdoctor: error: ", ""), 120)
    return "(nothing on stderr)"


def short(text, n):
    return text if len(text) <= n else text[: n - 1] + "…"


def md(text):
    return text.replace("|", "\\|").replace("\n", " ")


def describe(res, plan):
    unknown, failing = res
    parts = []
    if unknown:
        parts.append("unknown: " + ",".join(unknown[:6]) + ("…" if len(unknown) > 6 else ""))
    if failing:
        parts.append("fail: " + ",".join(failing[:6]) + ("…" if len(failing) > 6 else ""))
    return "; ".join(parts) or "all checks pass"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--meshdoctor")
    ap.add_argument("--fakekube")
    ap.add_argument("--source")
    ap.add_argument("--build")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("command", nargs="?", choices=COMMANDS)
    ap.add_argument("fault", nargs="?", choices=FAULTS)
    a = ap.parse_args()
    if a.list:
        for c in COMMANDS:
            for f in FAULTS:
                print(c, f)
        return 0
    if not (a.meshdoctor and a.fakekube and a.source and a.build and a.command and a.fault):
        ap.error("--meshdoctor, --fakekube, --source, --build, COMMAND and FAULT are required")
    for tool in (a.meshdoctor, a.fakekube, "/usr/bin/time"):
        if not os.access(tool, os.X_OK):
            print("SKIP: %s not available" % tool, file=sys.stderr)
            return 125
    cell = Cell(a)
    try:
        try:
            cell.run()
        except Skip as e:
            print("SKIP: %s" % e, file=sys.stderr)
            return 125
        except Exception as e:  # a broken cell is a failing cell, with its reason in the row
            cell.bad("cell error: %s: %s" % (type(e).__name__, e))
        cell.stop_fakekube()
        artifacts = os.path.join(a.build, "artifacts", "fault-matrix")
        os.makedirs(artifacts, exist_ok=True)
        with open(os.path.join(artifacts, cell.name + ".md"), "a") as f:
            f.write(cell.row())
        sys.stdout.write(cell.row())
        if cell.problems:
            for p in cell.problems:
                print("FAIL: " + p, file=sys.stderr)
            print("  stdout: " + cell.out[:600], file=sys.stderr)
            print("  stderr: " + cell.err[-1200:], file=sys.stderr)
            print("  fakekube: " + read(cell.path("fk.err"))[-600:], file=sys.stderr)
        return 1 if cell.problems else 0
    finally:
        cell.cleanup()  # fakekube stopped, the 200 MB input logs removed, the outputs kept


if __name__ == "__main__":
    sys.exit(main())
