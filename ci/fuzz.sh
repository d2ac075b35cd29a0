#!/usr/bin/env bash
# ci/fuzz.sh - a timed fuzzing campaign over every mtasts fuzz target.
#
#   ci/fuzz.sh                 60 s per target, libFuzzer, all cores
#   ci/fuzz.sh --smoke         8 s per target, 2 workers (22 targets: about 3 minutes of fuzzing)
#   ci/fuzz.sh --seconds N     N seconds per target
#   ci/fuzz.sh --hours H       H hours per target
#   ci/fuzz.sh --afl           AFL++ instead: one main and (jobs - 1) secondary instances
#   ci/fuzz.sh --jobs N        parallel workers / AFL++ instances (default: all cores)
#   ci/fuzz.sh --targets "policy policy_oracle"   a subset
#   ci/fuzz.sh --merge         afterwards, merge new coverage into corpus/fuzz_<entry>
#
# A parser entry point has two targets (fuzz/README.md): fuzz_<entry>, fast,
# and fuzz_<entry>_oracle, the differential one; both fuzz a copy of
# corpus/fuzz_<entry>/ with the dictionary and max_len of their .options
# file, so the repository is only changed with --merge. Prints execs/s (the
# sum over the workers), edges, features and findings per target; exits
# non-zero if any target found a crash, leak, timeout or OOM (the inputs are
# kept under $MTASTS_FUZZ_OUT, default build-fuzz/campaign).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
ALL_TARGETS="txt_record txt_record_oracle txt_strings txt_strings_oracle txt_rrset txt_rrset_oracle
  policy policy_oracle mx_match mx_match_oracle tlsrpt_record tlsrpt_record_oracle
  tlsrpt_rrset tlsrpt_rrset_oracle roundtrip roundtrip_oracle fetch http_response smtp_reply socketmap dns_answer report"
SECONDS_PER_TARGET=60
ENGINE=libfuzzer
JOBS=$(nproc 2>/dev/null || echo 2)
TARGETS=$ALL_TARGETS
MERGE=0

while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) SECONDS_PER_TARGET=8; JOBS=2 ;;  # 22 x 8 s = 176 s: near the 154 s that 11 x 14 s took
    --seconds) SECONDS_PER_TARGET=$2; shift ;;
    --hours) SECONDS_PER_TARGET=$(( $2 * 3600 )); shift ;;
    --afl) ENGINE=afl ;;
    --jobs) JOBS=$2; shift ;;
    --targets) TARGETS=$2; shift ;;
    --merge) MERGE=1 ;;
    -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done

OUT=${MTASTS_FUZZ_OUT:-$ROOT/build-fuzz/campaign}
rm -rf "$OUT"
mkdir -p "$OUT"

build_libfuzzer() {
  local dir=$ROOT/build-fuzz
  cmake -S "$ROOT" -B "$dir" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DMTASTS_BUILD_FUZZERS=ON -DMTASTS_BUILD_TESTS=OFF >/dev/null
  local t names=()
  for t in $TARGETS; do names+=("fuzz_$t"); done
  cmake --build "$dir" -j "$JOBS" --target "${names[@]}" >/dev/null
  BIN=$dir/fuzz
}

build_afl() {
  command -v afl-clang-fast >/dev/null || { echo "afl-clang-fast not found (apt-get install afl++)" >&2; exit 2; }
  local dir=$ROOT/build-fuzz-afl
  mkdir -p "$dir"
  # Coverage feedback from the code under test only (parser, engine, the
  # readers of wire/), not from the oracle and checks.
  printf 'src:%s\n' "$ROOT/parser/src/*" "$ROOT/engine/src/*" "$ROOT/wire/src/*" \
    >"$dir/afl_allowlist.txt"
  export AFL_LLVM_ALLOWLIST=$dir/afl_allowlist.txt
  AFL_QUIET=1 cmake -S "$ROOT" -B "$dir" -DCMAKE_C_COMPILER=afl-clang-fast \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMTASTS_SANITIZE=ON -DMTASTS_BUILD_TESTS=OFF >/dev/null
  local t names=()
  for t in $TARGETS; do names+=("replay_$t"); done
  AFL_QUIET=1 cmake --build "$dir" -j "$JOBS" --target "${names[@]}" >/dev/null
  BIN=$dir/fuzz
}

# A target's entry point: its corpus/fuzz_<entry>/ and source fuzz_<entry>.c.
entry() { echo "${1%_oracle}"; }
# max_len and the dictionary from the target's .options file.
max_len() { sed -n 's/^max_len *= *//p' "$ROOT/fuzz/fuzz_$1.options"; }
dict() { echo "$ROOT/fuzz/$(sed -n 's/^dict *= *//p' "$ROOT/fuzz/fuzz_$1.options")"; }

findings_in() { find "$1" -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' -o -path '*/crashes/id:*' -o -path '*/hangs/id:*' \) 2>/dev/null; }

run_libfuzzer() {
  local t=$1 work=$OUT/$1 corpus=$ROOT/corpus/fuzz_$(entry "$1")
  mkdir -p "$work/corpus" "$work/artifacts"
  cp "$corpus/"* "$work/corpus/" 2>/dev/null || true
  # `times` after the run: the CPU seconds of the driver and its workers.
  (cd "$work" && { "$BIN/fuzz_$t" -jobs="$JOBS" -workers="$JOBS" \
      -max_total_time="$SECONDS_PER_TARGET" -timeout=10 -print_final_stats=1 \
      -max_len="$(max_len "$t")" -dict="$(dict "$t")" \
      -artifact_prefix="$work/artifacts/" "$work/corpus" >"$work/driver.log" 2>&1 || true
    times >"$work/times"; }) || true
  # Per job: the final stats (execs/s) and the last status line (cov =
  # edges, ft = features; the largest over the jobs).
  local execs=0 cov=0 ft=0 units=0 log e c f u
  for log in "$work"/fuzz-*.log; do
    [ -f "$log" ] || continue
    e=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    u=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    units=$(( units + ${u:-0} ))
    c=$(grep -Eo 'cov: [0-9]+' "$log" | tail -1 | grep -Eo '[0-9]+' || true)
    f=$(grep -Eo 'ft: [0-9]+' "$log" | tail -1 | grep -Eo '[0-9]+' || true)
    execs=$(( execs + ${e:-0} ))
    [ "${c:-0}" -gt "$cov" ] && cov=$c
    [ "${f:-0}" -gt "$ft" ] && ft=$f
  done
  report "$t" "$execs" "edges $cov features $ft" "$work" "$(per_cpu_second "$units" "$work/times")"
  if [ "$MERGE" = 1 ]; then
    "$BIN/fuzz_$t" -merge=1 "$corpus" "$work/corpus" >/dev/null 2>&1 || true
  fi
}

run_afl() {
  local t=$1 work=$OUT/$1 i
  mkdir -p "$work"
  export AFL_SKIP_CPUFREQ=1 AFL_NO_UI=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
    AFL_SKIP_CRASHES=1 AFL_QUIET=1 AFL_NO_AFFINITY=1
  local common=(-i "$ROOT/corpus/fuzz_$(entry "$t")" -o "$work/out" -V "$SECONDS_PER_TARGET"
                -x "$(dict "$t")" -t 10000 -m none)
  afl-fuzz "${common[@]}" -M main -- "$BIN/replay_$t" >"$work/main.log" 2>&1 &
  for i in $(seq 2 "$JOBS"); do
    afl-fuzz "${common[@]}" -S "sec$i" -- "$BIN/replay_$t" >"$work/sec$i.log" 2>&1 &
  done
  wait || true
  local execs=0 cov="" e s
  for s in "$work"/out/*/fuzzer_stats; do
    [ -f "$s" ] || continue
    e=$(sed -n 's/^execs_per_sec *: *//p' "$s" | cut -d. -f1)
    execs=$(( execs + ${e:-0} ))
    case "$s" in */main/*) cov="bitmap $(sed -n 's/^bitmap_cvg *: *//p' "$s") edges $(sed -n 's/^edges_found *: *//p' "$s")" ;; esac
  done
  report "$t" "$execs" "${cov:-bitmap ?}" "$work"
}

# Executions per CPU-second of the workers (from `times`' second line,
# "XmY.YYYs XmY.YYYs" user and system): unlike execs/s, it does not fall
# when other jobs share the cores.
per_cpu_second() {
  local units=$1 times=$2
  [ -f "$times" ] || { echo "?"; return; }
  sed -n 2p "$times" | awk -v n="$units" '{
    split($1, a, "m"); split($2, b, "m")
    cpu = a[1] * 60 + a[2] + b[1] * 60 + b[2]
    if (cpu > 0) printf "%d", n / cpu; else printf "?" }'
}

TOTAL_FINDINGS=0
SUMMARY=""
report() {
  local t=$1 execs=$2 cov=$3 work=$4 cpu=${5:-}
  local found n
  found=$(findings_in "$work")
  n=$(printf '%s' "$found" | grep -c . || true)
  TOTAL_FINDINGS=$(( TOTAL_FINDINGS + n ))
  SUMMARY+=$(printf '%-26s %9s execs/s %9s per CPU-s   %-30s findings %d' "fuzz_$t" "$execs" \
    "${cpu:--}" "$cov" "$n")$'\n'
  if [ "$n" -gt 0 ]; then
    echo "fuzz_$t: $n finding(s):"
    printf '%s\n' "$found" | head -5 | while read -r f; do
      echo "  $f"
      od -An -tx1 -v "$f" | head -4 | sed 's/^/    /'
    done
  fi
}

case "$ENGINE" in
  libfuzzer) build_libfuzzer ;;
  afl) build_afl ;;
esac
echo "fuzzing with $ENGINE: $SECONDS_PER_TARGET s per target, $JOBS worker(s); output in $OUT"
for t in $TARGETS; do
  [ -d "$ROOT/corpus/fuzz_$(entry "$t")" ] || { echo "no corpus/fuzz_$(entry "$t")" >&2; exit 2; }
  "run_$ENGINE" "$t"
done
# execs/s depend on what else runs: say on how many cores, under what load.
printf '\n%s s per target, %s worker(s), nproc %s, load average %s at the end\n%s' \
  "$SECONDS_PER_TARGET" "$JOBS" "$(nproc 2>/dev/null || echo ?)" \
  "$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo ?)" "$SUMMARY"
if [ "$TOTAL_FINDINGS" -gt 0 ]; then
  echo "FAILED: $TOTAL_FINDINGS finding(s); inputs under $OUT"
  exit 1
fi
echo "no findings"
