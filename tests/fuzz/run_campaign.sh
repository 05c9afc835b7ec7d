#!/usr/bin/env bash
# Run every libFuzzer target (build-fuzz, see README) for SECONDS each, one after the other, on a
# scratch copy of its corpus, and print one table row per target: executions, new corpus inputs,
# and whether it found a crash/timeout/leak (the artifact is kept under OUT/<target>/).
#   tests/fuzz/run_campaign.sh [--seconds 600] [--build build-fuzz] [--out /tmp/fuzz-campaign] [targets…]
set -u
seconds=600 build=build-fuzz out=/tmp/fuzz-campaign
targets=()
while [ $# -gt 0 ]; do
  case $1 in
    --seconds) seconds=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h|--help) sed -n 2,5p "$0"; exit 0 ;;
    *) targets+=("$1"); shift ;;
  esac
done
src=$(cd "$(dirname "$0")/../.." && pwd)
if [ ${#targets[@]} -eq 0 ]; then
  for d in "$src"/tests/fuzz/corpus/*/; do targets+=("$(basename "$d")"); done
fi
mkdir -p "$out"
printf '| target | seconds | executions | exec/s | corpus in → out | result |\n|---|---|---|---|---|---|\n' >"$out/table.md"
for t in "${targets[@]}"; do
  bin=$build/tests/fuzz/$t
  [ -x "$bin" ] || { echo "missing $bin (build fuzz_all with -DMESHDOCTOR_FUZZ=ON)" >&2; exit 64; }
  work=$out/$t
  rm -rf "$work"; mkdir -p "$work/corpus" "$work/artifacts"
  cp "$src/tests/fuzz/corpus/$t/"* "$work/corpus/"
  n_in=$(ls "$work/corpus" | wc -l)
  LSAN_OPTIONS=suppressions=$src/tests/fuzz/lsan.supp:print_suppressions=0 nice -n 10 "$bin" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
    -artifact_prefix="$work/artifacts/" -print_final_stats=1 "$work/corpus" >"$work/log" 2>&1
  rc=$?
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$work/log" | grep -o '[0-9]*$' | tail -1)
  rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$work/log" | grep -o '[0-9]*$' | tail -1)
  n_out=$(ls "$work/corpus" | wc -l)
  found=$(ls "$work/artifacts" 2>/dev/null | tr '\n' ' ')
  result="clean"
  [ "$rc" -ne 0 ] && result="exit $rc: ${found:-see log}"
  printf '| %s | %s | %s | %s | %s → %s | %s |\n' "$t" "$seconds" "${runs:-?}" "${rate:-?}" "$n_in" "$n_out" "$result" | tee -a "$out/table.md"
done
cat "$out/table.md"
