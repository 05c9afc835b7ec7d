#!/usr/bin/env python3
"""No secret the test suite hands to meshdoctor appears in any output of the suite.

    suite_grep.py grep BUILD SOURCE        secrets.suite_grep: greps this CTest run
    suite_grep.py self-test SOURCE         secrets.grep_catches_leak: planted leaks are found
    suite_grep.py inventory SOURCE         secrets.inventory: values.txt lists every test secret

grep reads the CTest log of the run in progress (BUILD/Testing/Temporary/LastTest.log.tmp; the
last finished LastTest.log when run by hand) and BUILD/test-output/<test> of every test in that run
(tests/secrets/secrets.sh, scratch.py), and looks for every secret: the inventory
(tests/secrets/values.txt) and the values each test registered, each also in base64 at all three
alignments. Files that hold secrets on purpose (registered inputs, kubeconfigs, PEM files) and the
registries themselves are skipped. A leak is reported by file, line and which secret (masked).
Exit 0 clean, 1 a leak or too little scanned, 125 no other test ran in this CTest run.
"""
import base64
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
OWN_TEST = "secrets.suite_grep"
MIN_LEN = 6          # shorter values cannot be told apart from ordinary text
MIN_B64 = 8          # the shortest base64 fragment worth grepping
MIN_BYTES = 1024     # a run that left less than this to read scanned nothing
# Tests that work in a scratch directory (lib.sh, run_live.sh, run_scenario.sh, run_cell.py,
# test_md603_cli.sh): unless skipped, each must have left something in test-output/<name>.
KEEPS_OUTPUTS = re.compile(r"^(cli|live|scenario|faults)\.|^prometheus\.md603_cli$")
# Inputs that hold secrets by nature: a kubeconfig (as the tests write them) or a PEM file.
HOLDER_HEADS = (b"apiVersion: v1\nkind: Config\n", b"-----BEGIN ")


# ---------------------------------------------------------------------------------------------
# The secrets.
# ---------------------------------------------------------------------------------------------

class Inventory:
    """tests/secrets/values.txt: KIND VALUE WHERE... per line. VALUE* is a family (a prefix every
    token of it starts with); KIND "short" lists values too short to grep."""

    def __init__(self, path):
        self.path = path
        self.values, self.families, self.short = [], [], []
        for n, line in enumerate(open(path, encoding="utf-8"), 1):
            m = re.match(r'^(\w+)\s+(?:"([^"]+)"|(\S+))', line)
            if not m:
                continue    # a comment or a blank line
            kind, value = m.group(1), m.group(2) or m.group(3)
            where = "%s:%d" % (os.path.relpath(path, os.path.dirname(os.path.dirname(HERE))), n)
            if kind == "short":
                self.short.append(value)
            elif value.endswith("*"):
                self.families.append((value[:-1], kind, where))
            else:
                self.values.append((value, kind, where))

    def known(self, value):
        return (value in self.short or any(value == v for v, _, _ in self.values)
                or any(value.startswith(p) for p, _, _ in self.families))


def mask(value):
    return '"%s…" (%d chars)' % (value[:3], len(value))


def base64_forms(value):
    """The parts of base64(x + value + y) that depend on value alone, for every length of x."""
    raw = value.encode()
    forms = set()
    for k in range(3):
        enc = base64.b64encode(b"\0" * k + raw).decode()
        frag = enc[4 if k else 0:((k + len(raw)) // 3) * 4]
        if len(frag) >= MIN_B64:
            forms.add(frag)
            forms.add(frag.replace("+", "-").replace("/", "_"))
    return forms


class Needles:
    """Every string to grep for, each with a description that never repeats the secret."""

    def __init__(self):
        self.label = {}

    def add(self, value, label, encoded=True, min_len=MIN_LEN):
        if len(value) < min_len or "\n" in value:
            return
        self.label.setdefault(value, label)
        if encoded:
            for form in base64_forms(value):
                self.label.setdefault(form, label + " in base64")

    def describe(self, match):
        return self.label.get(match) or next(
            (l for n, l in sorted(self.label.items(), key=lambda x: -len(x[0])) if n in match), "a secret")


# ---------------------------------------------------------------------------------------------
# The run: the CTest log and the tests in it.
# ---------------------------------------------------------------------------------------------

def find_log(build):
    tmp = os.path.join(build, "Testing", "Temporary")
    try:
        names = os.listdir(tmp)
    except OSError:
        return None
    # The run in progress writes LastTest.log.tmp (renamed LastTest.log at its end); under
    # `ctest -T Test` the name carries a time stamp. The newest is this run's, or the last one's.
    logs = [os.path.join(tmp, n) for n in names if re.match(r"^LastTest(_[\d-]+)?\.log(\.tmp)?$", n)]
    return max(logs, key=os.path.getmtime) if logs else None


def log_entries(path):
    """[(test, first line, last line, skipped)] of the tests the log holds."""
    entries = []
    lines = open(path, "rb").read().decode("utf-8", "replace").split("\n")
    head = re.compile(r"^\d+/\d+ Test: (\S+)$")
    for i, line in enumerate(lines, 1):
        m = head.match(line)
        if m:
            if entries:
                entries[-1][2] = i - 1
            entries.append([m.group(1), i, len(lines), False])
        elif entries and re.match(r"^SKIP\b", line):
            entries[-1][3] = True
    return [tuple(e) for e in entries]


def test_at(entries, line):
    for name, first, last, _ in entries:
        if first <= line <= last:
            return name
    return None


# ---------------------------------------------------------------------------------------------
# Scanning.
# ---------------------------------------------------------------------------------------------

def holders(folder):
    """Files of FOLDER that hold secrets on purpose (relative paths)."""
    out = set()
    try:
        out.update(l.strip() for l in open(os.path.join(folder, ".secrets", "files")) if l.strip())
    except OSError:
        pass
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not (root == folder and d == ".secrets")]
        for f in files:
            p = os.path.join(root, f)
            try:
                with open(p, "rb") as fh:
                    if fh.read(64).startswith(HOLDER_HEADS):
                        out.add(os.path.relpath(p, folder))
            except OSError:
                pass
    return out


def files_of(folder, skip):
    """[(path, size)] of the regular files to scan under FOLDER."""
    out = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not (root == folder and d == ".secrets")]
        for f in files:
            p = os.path.join(root, f)
            if os.path.relpath(p, folder) in skip or os.path.islink(p) or not os.path.isfile(p):
                continue
            out.append((p, os.path.getsize(p)))
    return out


def grep(needles, paths):
    """{(path, line, match)} for every needle in PATHS (GNU grep -F: one pass for all)."""
    hits = set()
    if not paths or not needles.label:
        return hits, []
    with tempfile.NamedTemporaryFile("w", suffix=".needles", delete=False) as f:
        f.write("\n".join(sorted(needles.label)) + "\n")
    errors = []
    try:
        for i in range(0, len(paths), 500):
            r = subprocess.run(["grep", "-n", "-o", "-a", "-F", "-Z", "-H", "-D", "skip", "-f", f.name, "--"]
                               + paths[i:i + 500], capture_output=True)
            if r.returncode not in (0, 1):
                errors.append(r.stderr.decode(errors="replace").strip())
            for rec in r.stdout.split(b"\n"):
                if b"\0" not in rec:
                    continue
                path, rest = rec.split(b"\0", 1)
                line, _, match = rest.partition(b":")
                hits.add((path.decode(errors="replace"), int(line), match.decode(errors="replace")))
    finally:
        os.unlink(f.name)
    return hits, errors


def run_grep(build, source):
    inv = Inventory(os.path.join(source, "tests", "secrets", "values.txt"))
    log = find_log(build)
    if not log:
        print("SKIP: nothing to grep: %s holds no CTest log (Testing/Temporary/LastTest*.log)" % build)
        return 125
    entries = log_entries(log)
    others = [e for e in entries if e[0] != OWN_TEST]
    if not others:
        print("SKIP: nothing to grep: no other test ran in this CTest run (%s); run %s with the tests "
              "it should check, e.g. ctest -R 'cli\\.|secrets\\.'" % (os.path.basename(log), OWN_TEST))
        return 125

    needles = Needles()
    for value, kind, where in inv.values:
        needles.add(value, "%s %s (%s)" % (kind, mask(value), where))
    for prefix, kind, where in inv.families:
        needles.add(prefix, '%s of the family "%s*" (%s)' % (kind, prefix, where), encoded=False, min_len=3)

    out_root = os.path.join(build, "test-output")
    problems, scan, held, folders = [], [], 0, 0
    for name, _, _, skipped in others:
        folder = os.path.join(out_root, name)
        if not os.path.isdir(folder):
            if KEEPS_OUTPUTS.search(name) and not skipped:
                problems.append("%s kept no outputs: test-output/%s does not exist (does its helper "
                                "use scratch_dir?)" % (name, name))
            continue
        try:
            for v in open(os.path.join(folder, ".secrets", "values")):
                needles.add(v.rstrip("\n"), "secret %s registered by %s" % (mask(v.rstrip("\n")), name))
        except OSError:
            pass
        skip = holders(folder)
        held += len(skip)
        files = files_of(folder, skip)
        if KEEPS_OUTPUTS.search(name) and not skipped and not files and not skip:
            problems.append("%s kept no outputs in test-output/%s" % (name, name))
        scan += files
        folders += 1
    stale = sorted(set(os.listdir(out_root)) - {e[0] for e in others}) if os.path.isdir(out_root) else []

    log_size = os.path.getsize(log)
    hits, errors = grep(needles, [log] + [p for p, _ in scan])
    for e in errors:
        problems.append("grep could not read everything: " + e[:300])
    for path, line, match in sorted(hits):
        where = "%s:%d" % (os.path.relpath(path, build), line)
        if path == log:
            where += " (output of %s)" % (test_at(entries, line) or "ctest")
        problems.append("LEAK %s: %s" % (where, needles.describe(match)))

    total = log_size + sum(s for _, s in scan)
    print("scanned %s (%d bytes, %d tests) and %d files (%d bytes) in %d test-output folders; "
          "%d needles (%d inventory values, %d families, %d registered values, base64 forms); "
          "%d inputs holding secrets by design skipped; %d folders of tests not in this run left out"
          % (os.path.relpath(log, build), log_size, len(others), len(scan), total - log_size, folders,
             len(needles.label), len(inv.values), len(inv.families),
             sum(1 for l in needles.label.values() if "registered" in l and "base64" not in l), held,
             len(stale)))
    if total < MIN_BYTES:
        problems.append("only %d bytes scanned (floor %d): nothing was really read" % (total, MIN_BYTES))
    for p in problems:
        print(("" if p.startswith("LEAK") else "FAIL: ") + p)
    return 1 if problems else 0


# ---------------------------------------------------------------------------------------------
# self-test: a scratch build tree with a clean run, then one planted leak at a time.
# ---------------------------------------------------------------------------------------------

def fake_log(entries):
    text = "Start testing: Jan 01 00:00 UTC\n" + "-" * 58 + "\n"
    for i, (name, output) in enumerate(entries, 1):
        text += ("%d/9 Testing: %s\n%d/9 Test: %s\nCommand: \"/bin/true\"\nDirectory: /tmp\n"
                 "Output:\n%s\n%s\n<end of output>\nTest time =   0.01 sec\n%s\nTest Passed.\n%s\n\n"
                 % (i, name, i, name, "-" * 58, output, "-" * 58, "-" * 58))
    return text


def self_test(source):
    inv = Inventory(os.path.join(source, "tests", "secrets", "values.txt"))
    webhook = next(v for v, k, _ in inv.values if k == "webhook")
    token = "tok-selftest-%d-registered" % os.getpid()
    results = []

    def case(what, want_rc, want_text, plant=None, log_entries_=None, keep_outputs=True):
        with tempfile.TemporaryDirectory(prefix="md-secrets-selftest-") as build:
            open(os.path.join(build, "CTestTestfile.cmake"), "w").close()
            os.makedirs(os.path.join(build, "Testing", "Temporary"))
            entries = log_entries_ if log_entries_ is not None else [
                ("cli.test_a", "ok: checked things\n" * 80), ("unit.test_b", "[doctest] test cases: 3 | 3 passed\n")]
            out = os.path.join(build, "test-output", "cli.test_a")
            if keep_outputs:
                os.makedirs(os.path.join(out, ".secrets"))
                open(os.path.join(out, ".secrets", "values"), "w").write(token + "\n")
                open(os.path.join(out, ".secrets", "files"), "w").write("exec.sh\n")
                open(os.path.join(out, "exec.sh"), "w").write('#!/bin/sh\necho \'{"status":{"token":"%s"}}\'\n' % token)
                open(os.path.join(out, "a.kubeconfig"), "w").write(
                    "apiVersion: v1\nkind: Config\nusers:\n- name: u\n  user: {token: %s}\n" % token)
                open(os.path.join(out, "report.json"), "w").write('{\n  "summary": "fine",\n  "exit": 0\n}\n')
            if plant:
                entries = plant(out, entries)
            open(os.path.join(build, "Testing", "Temporary", "LastTest.log.tmp"), "w").write(fake_log(entries))
            r = subprocess.run([sys.executable, os.path.abspath(__file__), "grep", build, source],
                               capture_output=True, text=True)
            text = r.stdout + r.stderr
            ok = r.returncode == want_rc and all(re.search(w, text) for w in want_text)
            leaked = token in text or webhook in text
            results.append((what, ok and not leaked, r.returncode, text))

    def write(rel, content):
        def plant(out, entries):
            with open(os.path.join(out, rel), "a") as f:
                f.write(content)
            return entries
        return plant

    case("a clean run passes", 0, [r"scanned .* 1 test-output folders", r"inputs holding secrets"])
    case("a registered token in a report", 1,
         [r"LEAK test-output/cli\.test_a/report\.json:6: secret \"tok…\" \(\d+ chars\) registered by cli\.test_a$"],
         write("report.json", "\nleaked: Bearer %s\n" % token))
    case("the token in base64, at an odd offset", 1,
         [r"LEAK test-output/cli\.test_a/debug\.log:2: .* in base64"],
         write("debug.log", "ok\nAuthorization: Basic %s\n" % base64.b64encode(b"user:" + token.encode()).decode()))
    case("a webhook secret from values.txt in the test's output on the CTest log", 1,
         [r"LEAK Testing/Temporary/LastTest\.log\.tmp:\d+ \(output of unit\.test_b\): webhook \"%s…\"" % re.escape(webhook[:3])],
         log_entries_=[("cli.test_a", "ok\n" * 300), ("unit.test_b", "posting to http://h/services/x/y/%s failed\n" % webhook)])
    case("a private key in a collected bundle", 1, [r"LEAK test-output/cli\.test_a/bundle/x\.yaml:3: key"],
         lambda out, e: (os.makedirs(os.path.join(out, "bundle")),
                         open(os.path.join(out, "bundle", "x.yaml"), "w").write("data:\n  k: |\n-----BEGIN PRIVATE KEY-----\n"), e)[2])
    case("an unregistered token of a listed family", 1, [r"LEAK test-output/cli\.test_a/err:1: token of the family \"tok-\*\""],
         write("err", "GET failed with tok-unregistered-x\n"))
    case("a CLI test that kept no outputs fails", 1, [r"cli\.test_a kept no outputs"], keep_outputs=False)
    case("a run where no other test ran is skipped", 125, [r"nothing to grep"],
         log_entries_=[(OWN_TEST, "")], keep_outputs=False)
    case("a run that read too little fails", 1, [r"only \d+ bytes scanned"],
         log_entries_=[("unit.x", "")], keep_outputs=False)

    failed = 0
    for what, ok, rc, text in results:
        print("%s: %s (exit %d)" % ("ok" if ok else "FAIL", what, rc))
        if not ok:
            failed += 1
            print("  grep said (a secret in it is a failure too):\n    " +
                  "\n    ".join(text.replace(token, "<TOKEN>").replace(webhook, "<WEBHOOK>").splitlines()))
    return 1 if failed else 0


# ---------------------------------------------------------------------------------------------
# inventory: every secret literal in the test sources is listed in values.txt.
# ---------------------------------------------------------------------------------------------

# Where test sources write secrets: flags, kubeconfig fields, exec plugin output, Authorization
# headers, variables named *token*, webhook URL paths.
LITERALS = [
    re.compile(r"--token[ =]+[\"']?([\w$%{][^\"'\s)]*)"),
    re.compile(r"\btoken:\s*\\?[\"']?([\w$%{][^\"'\s},\\]*)"),
    re.compile(r"\\?\"token\\?\"\s*:\s*\\?\"([^\"\\]+)"),
    re.compile(r"Bearer ([^\"'\s<]+)"),
    re.compile(r"\b\w*token\w*\s*=\s*[\"']([^\"']+)[\"']", re.I),
    re.compile(r"^\s*(?:local\s+)?\w*token\w*=([^\s\"'()]+)", re.I),
    re.compile(r"/services/\w+/\w+/(\w+)"),
]
TEMPLATE = re.compile(r"[$%{]")
SOURCES = ("cli", "faults", "fakekube", "prometheus", "scenarios", "unit", "lint", "fuzz")


def inventory(source):
    inv = Inventory(os.path.join(source, "tests", "secrets", "values.txt"))
    missing, seen = [], 0
    for folder in SOURCES:
        base = os.path.join(source, "tests", folder)
        for root, _, files in os.walk(base):
            for f in sorted(files):
                if not f.endswith((".sh", ".py", ".cpp", ".hpp")):
                    continue
                path = os.path.join(root, f)
                rel = os.path.relpath(path, source)
                for n, line in enumerate(open(path, encoding="utf-8", errors="replace"), 1):
                    if line.lstrip().startswith(("#", "//")):
                        continue    # prose
                    for rx in LITERALS:
                        for m in rx.finditer(line):
                            value = m.group(1)
                            after = line[m.end():m.end() + 4].lstrip("\"' ")
                            template = TEMPLATE.search(value) or after.startswith("+")
                            prefix = value[:TEMPLATE.search(value).start()] if TEMPLATE.search(value) else value
                            if template and not prefix:
                                continue          # a variable: its value is checked where it is made
                            seen += 1
                            # (masked: this output lands in the CTest log the grep reads)
                            if template and not any(prefix.startswith(p) for p, _, _ in inv.families):
                                missing.append("%s:%d: the token template %s starts with no family of "
                                               "tests/secrets/values.txt" % (rel, n, mask(value)))
                            elif not template and not inv.known(value):
                                missing.append("%s:%d: the secret %s is not in tests/secrets/values.txt"
                                               % (rel, n, mask(value)))
    print("%d secret literals and templates in the test sources; %d inventory values, %d families, %d short"
          % (seen, len(inv.values), len(inv.families), len(inv.short)))
    for m in missing:
        print("FAIL: " + m)
    if seen == 0:
        print("FAIL: no secret literal found at all: the patterns no longer match the sources")
        return 1
    return 1 if missing else 0


def main(argv):
    if len(argv) == 4 and argv[1] == "grep":
        return run_grep(os.path.abspath(argv[2]), os.path.abspath(argv[3]))
    if len(argv) == 3 and argv[1] == "self-test":
        return self_test(os.path.abspath(argv[2]))
    if len(argv) == 3 and argv[1] == "inventory":
        return inventory(os.path.abspath(argv[2]))
    print(__doc__.strip(), file=sys.stderr)
    return 64


if __name__ == "__main__":
    sys.exit(main(sys.argv))
