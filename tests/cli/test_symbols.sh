#!/usr/bin/env bash
# Symbols and colour (DESIGN §4): ✔ ‼ ✖ ? and colour on a terminal; plain ASCII without colour in
# a pipe or file even in a UTF-8 locale, and with --no-color or NO_COLOR on a terminal.
. "$(dirname "$0")/lib.sh"
require_bundle_reader

bundle=$work/bundle
make_cni_bundle "$bundle"
non_ascii() { LC_ALL=C grep -q '[^ -~]' "$1"; }

LANG=C.UTF-8 "$md" check --bundle "$bundle" >"$work/pipe" 2>/dev/null
non_ascii "$work/pipe" && fail "pipe in a UTF-8 locale: ASCII only"
grep -q "XX MD301" "$work/pipe" || fail "pipe: the ASCII failure mark precedes MD301"

if ! command -v script >/dev/null 2>&1; then
  echo "SKIP: no script(1) to give meshdoctor a terminal" >&2
  finish
fi
tty_run() {  # tty_run FILE ENV... -- ARGS...: runs meshdoctor on a pseudo-terminal
  local out=$1
  shift
  script -qec "env $* $md check --bundle $bundle" /dev/null >"$out" 2>/dev/null
}
tty_run "$work/tty" LANG=C.UTF-8 TERM=xterm
grep -q "✖" "$work/tty" || fail "terminal: the ✖ mark is used"
grep -q $'\033\[' "$work/tty" || fail "terminal: colour is used"
tty_run "$work/nocolor" LANG=C.UTF-8 TERM=xterm NO_COLOR=1
grep -q $'\033\[' "$work/nocolor" && fail "NO_COLOR: no colour escapes"
script -qec "env LANG=C.UTF-8 $md check --bundle $bundle --no-color" /dev/null >"$work/flag" 2>/dev/null
tr -d "\r" <"$work/flag" >"$work/flag.txt"
non_ascii "$work/flag.txt" && fail "--no-color on a terminal: ASCII only"
grep -q $'\033\[' "$work/flag.txt" && fail "--no-color: no colour escapes"
finish
