#!/usr/bin/env python3
"""Prints the non-pass findings of a `meshdoctor lint -o json` report, one line per evidence:
"<ID> <status> <file>:<line>", the file relative to ROOT (the linted directory). Used by the
lint tests to compare a run with a fixture's `expected` file."""
import json
import os
import sys


def location(evidence, root):
    # file/line when the report carries them; else the "file:line" evidence source.
    path, line = evidence.get("file"), evidence.get("line")
    if not path:
        path, _, line = evidence["source"].rpartition(":")
    return "%s:%s" % (os.path.relpath(path, root), line)


def main():
    report, root = sys.argv[1], sys.argv[2]
    with open(report) as f:
        doc = json.load(f)
    for finding in doc["findings"]:
        if finding["status"] in ("pass", "skipped"):
            continue
        for e in finding["evidence"]:
            print(finding["id"], finding["status"], location(e, root))


if __name__ == "__main__":
    main()
