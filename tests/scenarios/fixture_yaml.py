"""YAML text writer for meshdoctor scenario fixtures (python3 standard library only).

Writes the block style that `oc adm inspect` produces (sigs.k8s.io/yaml over go-yaml v2): keys sorted,
list items at the same indent as their key, ambiguous strings ("True", "15008", timestamps) in double
quotes, strings with ": " or a leading indicator in single quotes, multi-line strings as literal
blocks, and long plain or single-quoted strings folded at spaces past column 80 like go-yaml does.
"""
import json
import re

_RESERVED = {
    "", "~", "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE",
    "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF",
}
_NUMBER = re.compile(
    r"^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$"
    r"|^0x[0-9a-fA-F_]+$|^[-+]?\.(inf|Inf|INF)$|^\.(nan|NaN|NAN)$")
_TIMESTAMP = re.compile(r"^\d{4}-\d\d?-\d\d?([Tt ]|$)")
_BEST_WIDTH = 80


def _needs_double(s):
    if s in _RESERVED or _NUMBER.match(s) or _TIMESTAMP.match(s):
        return True
    return any(ord(c) < 0x20 or ord(c) == 0x7F for c in s)


def _plain_ok(s):
    if s != s.strip():
        return False
    if s[0] in ",[]{}#&*!|>'\"%@`":
        return False
    if s[0] in "-?:" and (len(s) == 1 or s[1] == " "):
        return False
    if ": " in s or " #" in s or s.endswith(":"):
        return False
    return True


def _fold(text, column, indent):
    """Breaks at single spaces once the line is past the best width (go-yaml emitter rule)."""
    out = []
    col = column
    n = len(text)
    for i, ch in enumerate(text):
        if (ch == " " and col > _BEST_WIDTH and 0 < i < n - 1 and text[i + 1] != " "
                and text[i - 1] != " "):
            out.append("\n" + " " * indent)
            col = indent
        else:
            out.append(ch)
            col += 1
    return "".join(out)


def scalar(value, column, indent):
    """Renders one scalar that starts at `column`; continuation lines are indented by `indent`."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    s = str(value)
    if "\n" in s:
        body = s[:-1] if s.endswith("\n") else s
        head = "|" if s.endswith("\n") else "|-"
        lines = [(" " * indent + line) if line else "" for line in body.split("\n")]
        return head + "\n" + "\n".join(lines)
    if _needs_double(s):
        return json.dumps(s)
    if _plain_ok(s):
        return _fold(s, column, indent)
    return _fold("'" + s.replace("'", "''") + "'", column, indent)


def _key(k):
    k = str(k)
    if _needs_double(k):
        return json.dumps(k)
    if not _plain_ok(k):
        return "'" + k.replace("'", "''") + "'"
    return k


def _value(prefix, v, indent):
    if isinstance(v, dict):
        if not v:
            return [prefix + " {}"]
        return [prefix] + _mapping(v, indent + 2)
    if isinstance(v, list):
        if not v:
            return [prefix + " []"]
        return [prefix] + _sequence(v, indent)
    return [prefix + " " + scalar(v, len(prefix) + 1, indent + 2)]


def _mapping(d, indent):
    lines = []
    for k in sorted(d):
        lines += _value(" " * indent + _key(k) + ":", d[k], indent)
    return lines


def _sequence(items, indent):
    lines = []
    for item in items:
        dash = " " * indent + "-"
        if isinstance(item, dict) and item:
            sub = _mapping(item, indent + 2)
            sub[0] = dash + " " + sub[0][indent + 2:]
            lines += sub
        elif isinstance(item, list) and item:
            sub = _sequence(item, indent + 2)
            sub[0] = dash + " " + sub[0][indent + 2:]
            lines += sub
        else:
            lines += _value(dash, item, indent)
    return lines


def dump(obj, document_start=False):
    """One YAML document for a mapping, as oc writes it."""
    text = "\n".join(_mapping(obj, 0)) + "\n"
    return ("---\n" + text) if document_start else text


def dump_json(obj):
    return json.dumps(obj, indent=2) + "\n"
