#!/usr/bin/env bash
# ci/bench.sh - every benchmark of issue 7 in one run (bench/README.md):
#
#   1. mtasts-bench: our parser (strict, lenient) against the memchr and
#      byte-class baselines on the generated inputs, the scaling series,
#      memory (peak RSS, struct sizes, worst stack frame, heap calls);
#   2. the peers, in their own runtimes, on the same input files (skipped,
#      with a message, when one is not installed: run ci/setup.sh);
#   3. fuzz throughput: every libFuzzer target, without sanitizers and with
#      ASan+UBSan, over a fixed number of runs (skipped without clang's
#      libFuzzer);
#   4. conformance throughput: the whole vector set through our adapter
#      (and through each installed peer's adapter);
#   5. mtasts-daemon against postfix-mta-sts-resolver's daemon: cached
#      socketmap lookups at 1, 16 and 64 clients (closed loop) and at fixed
#      rates (open loop), RSS with 100,000 cached domains, uncached lookups
#      of 1,000 domains served by a loopback DNS and HTTPS fixture
#      (daemon/bench/socketmap.sh; needs libevent and unshare, the uncached
#      part root);
#   6. the readable report, results.md and the scaling plot (PNG, gnuplot).
#
# Every measurement is one line
#   BENCH input=<input> impl=<impl> ns_per_op=<median> gbps=<value> ratio=<x>
# (ratio: over the same run's memchr baseline on that input). Timings are
# figures, never pass/fail: the exit status is non-zero only when a step
# cannot run or our parser allocates or misparses a benchmark input.
#
# Options:
#   --smoke          tiny blocks and 2000 fuzz runs: checks the script, not speed
#   --quick          fewer, shorter blocks (about a minute in all)
#   --fuzz-runs N    libFuzzer runs per target and variant (default 50000)
#   --no-peers --no-fuzz --no-conformance --no-socketmap   leave a step out
#   --out DIR        where results go (default build-bench/results)
#   --publish        then copy results.md, scaling.png and full-output.txt to
#                    bench/results/ and the tables into bench/README.md
# Environment: MTASTS_JOBS (parallel compiles).
set -euo pipefail
# shellcheck source=ci/lib.sh
source "$(dirname "$0")/lib.sh"
cd "$MTASTS_ROOT"

mode=full
fuzz_runs=50000
do_peers=1
do_fuzz=1
do_conformance=1
do_socketmap=1
publish=0
build="$MTASTS_ROOT/build-bench"
out=""
while [[ $# -gt 0 ]]; do
  case $1 in
    --smoke) mode=smoke fuzz_runs=2000 ;;
    --quick) mode=quick fuzz_runs=10000 ;;
    --fuzz-runs) fuzz_runs=$2; shift ;;
    --no-peers) do_peers=0 ;;
    --no-fuzz) do_fuzz=0 ;;
    --no-conformance) do_conformance=0 ;;
    --no-socketmap) do_socketmap=0 ;;
    --out) out=$2; shift ;;
    --publish) publish=1 ;;
    -h | --help) sed -n '2,36p' "$0"; exit 0 ;;
    *) die "unknown argument: $1 (see --help)" ;;
  esac
  shift
done
out=${out:-$build/results}
[[ $out == /* ]] || out="$MTASTS_ROOT/$out"

case $mode in
  smoke) bench_args=(--smoke) peer_args=(--smoke) socketmap_args=(1 1000 50) ;;
  quick) bench_args=(--blocks 7 --block-ms 2 --warmup-ms 20)
         peer_args=(--blocks 7 --block-ms 2 --warmup-ms 100) socketmap_args=(2 100000 200) ;;
  full) bench_args=() peer_args=() socketmap_args=(5 100000 1000) ;;
esac

rm -rf "$out"
mkdir -p "$out"
# The whole output is kept beside the results (the run to paste).
exec > >(tee "$out/full-output.txt") 2>&1
tee_pid=$!

# ---- 1. our parser --------------------------------------------------------
say "configure and build $build (gcc, RelWithDebInfo: the library's default flags)"
targets=(mtasts-bench)
[[ $do_conformance == 1 ]] && targets+=(mtasts-conformance mtasts-adapter)
cmake -S "$MTASTS_ROOT" -B "$build" -DCMAKE_C_COMPILER=gcc -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DMTASTS_BUILD_TESTS=OFF >"$build.configure.log" 2>&1 || {
  cat "$build.configure.log"
  die "configure of $build failed"
}
cmake --build "$build" -j "$MTASTS_JOBS" --target "${targets[@]}" >"$build.build.log" 2>&1 || {
  cat "$build.build.log"
  die "build of $build failed"
}

say "mtasts-bench ${bench_args[*]}"
status=0
"$build/bench/mtasts-bench" --no-table --emit-inputs "$out/inputs" "${bench_args[@]}" \
  >"$out/mtasts.txt" || status=$?
cat "$out/mtasts.txt"
[[ $status == 0 ]] || die "mtasts-bench failed (exit $status): see above"

# ---- 2. the peers -----------------------------------------------------------
# run_peer NAME COMMAND...: the driver exits 77 when its peer is not installed.
run_peer() {
  local name=$1
  shift
  say "peer $name"
  local rc=0
  "$@" --inputs "$out/inputs" --ours "$out/mtasts.txt" "${peer_args[@]}" >"$out/peer-$name.txt" ||
    rc=$?
  cat "$out/peer-$name.txt"
  case $rc in
    0) ;;
    77) say "skipped $name: not installed (ci/setup.sh installs it)" ;;
    *) say "warning: the $name driver exited with $rc (its results above are partial)" ;;
  esac
}
skip_peer() {
  say "skipped $1: $2"
  echo "SKIP $1: $2" >"$out/peer-$1.txt"
}
if [[ $do_peers == 1 ]]; then
  for js in mailauth email-domain-check; do
    if command -v node >/dev/null; then
      run_peer "$js" node "bench/peers/$js.js"
    else
      skip_peer "$js" "node is not installed"
    fi
  done
  # The Debian package's modules are on the system Python's path only.
  if [[ -x /usr/bin/python3 ]]; then
    run_peer postfix-mta-sts-resolver /usr/bin/python3 bench/peers/postfix-mta-sts-resolver.py
  else
    skip_peer postfix-mta-sts-resolver "/usr/bin/python3 is not installed"
  fi
fi

# ---- 3. fuzz throughput -------------------------------------------------------
# Built here rather than with fuzz/CMakeLists.txt, whose libFuzzer binaries
# always carry ASan+UBSan: both variants come from the same sources and flags
# but for the sanitizers (coverage instrumentation on the library only, as
# there).
fuzz_targets() {
  local f t
  for f in fuzz/fuzz_*.c; do
    t=${f#fuzz/fuzz_}
    t=${t%.c}
    [[ -d corpus/fuzz_$t ]] && grep -q 'LLVMFuzzerTestOneInput' "$f" && echo "$t"
  done
}

# build_fuzzers VARIANT FLAGS...: compile into $build/fuzz-VARIANT.
build_fuzzers() {
  local variant=$1
  shift
  local dir="$build/fuzz-$variant" f t
  rm -rf "$dir"
  mkdir -p "$dir/obj"
  local common=(-std=c11 -O2 -g -Ifuzz -Iparser/include "$@")
  local support=()
  # Everything but the targets and the files with a main() (drivers, self-tests).
  for f in fuzz/*.c fuzz/oracle/*.c; do
    case $f in fuzz/fuzz_*) [[ $f == fuzz/fuzz_common.c ]] || continue ;; esac
    grep -q 'main(' "$f" && continue
    support+=("$f")
  done
  local jobs=()
  for f in parser/src/*.c; do
    clang "${common[@]}" -fsanitize=fuzzer-no-link -c "$f" -o "$dir/obj/lib_$(basename "$f" .c).o" &
    jobs+=($!)
  done
  for f in "${support[@]}"; do
    clang "${common[@]}" -c "$f" -o "$dir/obj/support_$(basename "$f" .c).o" &
    jobs+=($!)
  done
  local pid
  for pid in "${jobs[@]}"; do wait "$pid" || return 1; done
  for t in $FUZZ_TARGETS; do
    clang "${common[@]}" -fsanitize=fuzzer "fuzz/fuzz_$t.c" "$dir"/obj/*.o -o "$dir/fuzz_$t" || return 1
  done
}

# run_fuzzer VARIANT TARGET: a fixed number of runs from the seed corpus (read
# only: new inputs go to a scratch directory), one process, seed 1.
run_fuzzer() {
  local variant=$1 t=$2
  local work="$out/fuzz/$variant-$t"
  mkdir -p "$work/new"
  local max_len
  max_len=$(sed -n 's/^max_len *= *//p' "fuzz/fuzz_$t.options" 2>/dev/null)
  local start end rc=0
  start=$(date +%s%N)
  "$build/fuzz-$variant/fuzz_$t" -runs="$fuzz_runs" -seed=1 -max_len="${max_len:-4096}" \
    -dict="fuzz/fuzz_$t.dict" -timeout=10 -max_total_time=300 -print_final_stats=1 \
    -artifact_prefix="$work/" "$work/new" "corpus/fuzz_$t" >"$work/log" 2>&1 || rc=$?
  end=$(date +%s%N)
  # libFuzzer's own average divides by whole seconds: too coarse for short
  # runs. This one divides by the process's wall time (start-up included).
  local units
  units=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log" | tail -1)
  awk -v t="$t" -v v="$variant" -v n="${units:-0}" -v s="$start" -v e="$end" 'BEGIN {
    w = (e - s) / 1e9
    printf "FUZZ target=%s variant=%s runs=%d execs_per_sec=%.0f wall_s=%.2f", t, v, n, (w > 0 ? n / w : 0), w }'
  if [[ $rc != 0 ]]; then
    printf ' finding=yes exit=%s log=%s' "$rc" "$work/log"
  fi
  printf '\n'
}

if [[ $do_fuzz == 1 ]]; then
  say "fuzz throughput: $fuzz_runs runs per target, without sanitizers and with ASan+UBSan"
  FUZZ_TARGETS=$(fuzz_targets | tr '\n' ' ')
  probe=$(mktemp -d)
  if [[ -z $FUZZ_TARGETS ]]; then
    echo "SKIP fuzz: no fuzz targets (fuzz/fuzz_<target>.c with corpus/fuzz_<target>/)" |
      tee "$out/fuzz.txt"
  elif ! command -v clang >/dev/null ||
    ! (cd "$probe" && printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' >p.c &&
      clang -fsanitize=fuzzer p.c -o p) >/dev/null 2>&1; then
    echo "SKIP fuzz: clang with libFuzzer is not installed (ci/setup.sh installs clang)" |
      tee "$out/fuzz.txt"
  else
    fuzz_ok=1
    build_fuzzers plain || fuzz_ok=0
    build_fuzzers asan -fsanitize=address,undefined -fno-sanitize-recover=all \
      -fno-omit-frame-pointer || fuzz_ok=0
    if [[ $fuzz_ok == 1 ]]; then
      for t in $FUZZ_TARGETS; do
        for variant in plain asan; do
          run_fuzzer "$variant" "$t"
        done
      done | tee "$out/fuzz.txt"
    else
      echo "SKIP fuzz: the fuzz targets did not build (see above)" | tee "$out/fuzz.txt"
    fi
  fi
  rm -rf "$probe"
fi

# ---- 4. conformance throughput ------------------------------------------------
conformance_run() {
  local impl=$1
  local log="$out/conformance-$impl.log"
  local start end rc=0
  start=$(date +%s%N)
  "$build/conformance/mtasts-conformance" --root "$MTASTS_ROOT" --build "$build" \
    --vectors "$MTASTS_ROOT/vectors" --impls "$MTASTS_ROOT/conformance/impls.json" \
    --out "$out/conformance-$impl" --only "$impl" >"$log" 2>&1 || rc=$?
  end=$(date +%s%N)
  local line
  line=$(grep -E "^$impl: [0-9]+ vectors in [0-9.]+ s wall time" "$log" | head -1 || true)
  if [[ -z $line ]]; then
    echo "SKIP conformance $impl: not run (not installed?); see $log"
    return
  fi
  local vectors runner_s
  vectors=$(sed -E 's/^[^:]*: ([0-9]+) vectors.*/\1/' <<<"$line")
  runner_s=$(sed -E 's/.* in ([0-9.]+) s wall time.*/\1/' <<<"$line")
  awk -v impl="$impl" -v n="$vectors" -v r="$runner_s" -v s="$start" -v e="$end" 'BEGIN {
    p = (e - s) / 1e9
    printf "CONFORMANCE impl=%s vectors=%d runner_wall_s=%s process_wall_s=%.3f us_per_vector=%.1f\n",
      impl, n, r, p, (n > 0 ? p * 1e6 / n : 0) }'
  [[ $rc == 0 ]] || echo "# conformance $impl: the runner exited with $rc (see $log)"
}

if [[ $do_conformance == 1 ]]; then
  say "conformance throughput: every vector of vectors/ through each adapter"
  if [[ ! -f vectors/policy.json ]]; then
    echo "SKIP conformance: no vectors in vectors/" | tee "$out/conformance.txt"
  else
    impls=$(python3 -c 'import json, sys; print(" ".join(i["name"] for i in json.load(open(sys.argv[1]))["implementations"]))' conformance/impls.json)
    for impl in $impls; do
      [[ $do_peers == 1 || $impl == mtasts ]] || continue
      conformance_run "$impl"
    done | tee "$out/conformance.txt"
  fi
fi

# ---- 5. socketmap lookups: mtasts-daemon and postfix-mta-sts-resolver ----------
if [[ $do_socketmap == 1 ]]; then
  say "socketmap: seconds per run, cached domains, uncached domains: ${socketmap_args[*]}"
  # A separate build: without libevent the daemon's targets do not exist. The
  # floor (mtasts-socketmap-floor) is the baseline the daemons are set against.
  if cmake --build "$build" -j "$MTASTS_JOBS" --target mtasts-daemon mtasts-socketmap-load \
    mtasts-socketmap-floor >"$build.socketmap.log" 2>&1; then
    rc=0
    bash daemon/bench/socketmap.sh "$build" "$out" "${socketmap_args[@]}" >"$out/socketmap.txt" ||
      rc=$?
    cat "$out/socketmap.txt"
    case $rc in
      0 | 77) ;;
      *) die "the socketmap benchmark failed (exit $rc): see $out/socketmap/" ;;
    esac
  else
    echo "SKIP socketmap: mtasts-daemon is not built here (libevent? see $build.socketmap.log)" |
      tee "$out/socketmap.txt"
  fi
fi

# ---- 6. the report ------------------------------------------------------------
say "report"
reports=("$out/mtasts.txt")
for f in "$out"/peer-*.txt "$out/fuzz.txt" "$out/conformance.txt"; do
  [[ -f $f ]] && reports+=("$f")
done
python3 bench/summarize.py --out "$out" "${reports[@]}"
say "results in $out (full-output.txt, results.md, scaling.png)"

if [[ $publish == 1 ]]; then
  [[ $mode == full ]] || die "--publish keeps full runs only (no --smoke / --quick)"
  mkdir -p bench/results
  python3 bench/summarize.py --out "$out" --readme bench/README.md "${reports[@]}" >/dev/null
  cp "$out/results.md" "$out/scaling.dat" bench/results/
  [[ -f $out/scaling.png ]] && cp "$out/scaling.png" bench/results/
  # The transcript ends here; wait for tee to write it out before copying.
  exec >&- 2>&-
  wait "$tee_pid" || true
  # Published paths are relative to the repository: a clone must not name this machine.
  sed "s#$MTASTS_ROOT/##g" "$out/full-output.txt" >bench/results/full-output.txt
fi
