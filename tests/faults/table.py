#!/usr/bin/env python3
"""Prints the fault matrix the cells recorded, in Markdown: one table per command, one row per
fault (observed behaviour, exit code, wall seconds, verdict).

    table.py BUILD_DIR

Reads BUILD_DIR/artifacts/fault-matrix/<command>.<fault>.md (rows appended by run_cell.py; the
last row of each file is the latest run). Cells that never ran are listed as such.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run_cell import COMMANDS, FAULTS  # noqa: E402  (the one list of cells)

TITLES = {
    "check": "`meshdoctor check --kubeconfig K`",
    "collect": "`meshdoctor collect --kubeconfig K --output DIR`",
    "restart": "`meshdoctor restart --kubeconfig K` (dry-run; `--apply --yes` where the fault hits a write)",
    "serve": "`meshdoctor serve --kubeconfig K` (first run, /metrics and /report.json, then SIGTERM)",
}


def last_row(path):
    try:
        rows = [l.rstrip("\n") for l in open(path) if l.startswith("|")]
    except OSError:
        return None
    return rows[-1] if rows else None


def cells(row):
    # Split on unescaped pipes: "| a | b \\| c |" -> ["a", "b | c"].
    out, cur, i = [], "", 0
    body = row.strip()[1:-1] if row.strip().endswith("|") else row.strip()[1:]
    while i < len(body):
        if body[i] == "\\" and i + 1 < len(body) and body[i + 1] == "|":
            cur += "\\|"
            i += 2
            continue
        if body[i] == "|":
            out.append(cur.strip())
            cur = ""
        else:
            cur += body[i]
        i += 1
    out.append(cur.strip())
    return out


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: table.py BUILD_DIR")
    folder = os.path.join(sys.argv[1], "artifacts", "fault-matrix")
    total = passed = 0
    print("# meshdoctor fault matrix\n")
    for command in COMMANDS:
        print("## %s\n" % TITLES[command])
        print("| fault | observed behaviour | exit code | wall s | verdict |")
        print("|---|---|---|---|---|")
        for fault in FAULTS:
            row = last_row(os.path.join(folder, "%s.%s.md" % (command, fault)))
            total += 1
            if row is None:
                print("| %s | (not run) | | | |" % fault)
                continue
            c = cells(row)
            if len(c) < 6:
                print("| %s | (unreadable row) | | | |" % fault)
                continue
            _, _, observed, rc, wall, verdict = c[:6]
            passed += verdict == "ok"
            print("| %s | %s | %s | %s | %s |" % (fault, observed, rc, wall, verdict))
        print()
    print("%d of %d cells ok" % (passed, total))
    return 0


if __name__ == "__main__":
    sys.exit(main())
