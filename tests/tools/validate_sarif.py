#!/usr/bin/env python3
"""Validates SARIF 2.1.0 files against the OASIS JSON schema (tests/data/sarif/), plus the rules
of the SARIF specification that a JSON schema cannot state.

usage: validate_sarif.py [--schema FILE] FILE...

Exit 0 when every FILE is valid; 1 when one is not, with one line per problem on stderr naming the
file and the JSON path ("report.sarif: $.runs[0].results[2].level: ..."); 2 when it cannot
validate (usage, no jsonschema module, unreadable schema). Needs python3-jsonschema (draft-07).
"""
import argparse
import json
import os
import sys

DEFAULT_SCHEMA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "sarif",
                              "sarif-schema-2.1.0.json")
MAX_PROBLEMS = 20


def json_path(parts):
    out = "$"
    for p in parts:
        out += "[%d]" % p if isinstance(p, int) else ".%s" % p
    return out


def schema_problems(validator, doc):
    errors = sorted(validator.iter_errors(doc), key=lambda e: [str(p) for p in e.absolute_path])
    return [(json_path(e.absolute_path), e.message) for e in errors]


def spec_problems(doc):
    """SARIF rules beyond the schema: kind and level agree (§3.27.10), ruleIndex points at the rule
    named by ruleId (§3.27.6), a uriBaseId is declared in originalUriBaseIds (§3.14.14)."""
    out = []
    runs = doc.get("runs") if isinstance(doc, dict) else None
    for r, run in enumerate(runs if isinstance(runs, list) else []):
        if not isinstance(run, dict):
            continue
        driver = (run.get("tool") or {}).get("driver") or {}
        rules = driver.get("rules") or []
        bases = run.get("originalUriBaseIds") or {}
        for i, res in enumerate(run.get("results") or []):
            if not isinstance(res, dict):
                continue
            at = ["runs", r, "results", i]
            kind = res.get("kind", "fail")
            if kind != "fail" and res.get("level", "none") != "none":
                out.append((json_path(at + ["level"]),
                            "kind %r needs level 'none', not %r" % (kind, res.get("level"))))
            index = res.get("ruleIndex")
            if isinstance(index, int) and index >= 0:
                if index >= len(rules):
                    out.append((json_path(at + ["ruleIndex"]),
                                "%d is beyond the %d rules" % (index, len(rules))))
                elif "ruleId" in res and rules[index].get("id") != res["ruleId"]:
                    out.append((json_path(at + ["ruleIndex"]), "rule %d is %r, not ruleId %r"
                                % (index, rules[index].get("id"), res["ruleId"])))
            for j, loc in enumerate(res.get("locations") or []):
                art = ((loc or {}).get("physicalLocation") or {}).get("artifactLocation") or {}
                base = art.get("uriBaseId")
                if base is not None and base not in bases:
                    out.append((json_path(at + ["locations", j, "physicalLocation",
                                                "artifactLocation", "uriBaseId"]),
                                "%r is not declared in runs[%d].originalUriBaseIds" % (base, r)))
    return out


def main():
    parser = argparse.ArgumentParser(description="Validate SARIF 2.1.0 files.")
    parser.add_argument("--schema", default=DEFAULT_SCHEMA, help="SARIF 2.1.0 JSON schema")
    parser.add_argument("files", nargs="+", metavar="FILE")
    args = parser.parse_args()
    try:
        import jsonschema
    except ImportError:
        print("validate_sarif: the jsonschema module is missing (Debian: python3-jsonschema)",
              file=sys.stderr)
        return 2
    try:
        with open(args.schema, encoding="utf-8") as f:
            schema = json.load(f)
    except (OSError, ValueError) as e:
        print("validate_sarif: cannot read the schema %s: %s" % (args.schema, e), file=sys.stderr)
        return 2
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())
    bad = 0
    for path in args.files:
        try:
            with open(path, "rb") as f:
                doc = json.loads(f.read().decode("utf-8"))
        except (OSError, ValueError) as e:  # UnicodeDecodeError is a ValueError
            print("%s: not a UTF-8 JSON document: %s" % (path, e), file=sys.stderr)
            bad += 1
            continue
        problems = schema_problems(validator, doc) + spec_problems(doc)
        for where, what in problems[:MAX_PROBLEMS]:
            print("%s: %s: %s" % (path, where, what), file=sys.stderr)
        if len(problems) > MAX_PROBLEMS:
            print("%s: ... and %d more" % (path, len(problems) - MAX_PROBLEMS), file=sys.stderr)
        bad += bool(problems)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
