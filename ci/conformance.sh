#!/usr/bin/env bash
# ci/conformance.sh [runner options...] - the main job: build if needed, then
#   0. run the whole-resolver scenarios of vectors/scenarios/ through every resolve
#      adapter in the loopback test world (ci/scenarios.sh; CONFORMANCE_SCENARIOS=0
#      skips it), whose results join the matrix and reports of step 1;
#   1. run every vector of vectors/ through every implementation of
#      conformance/impls.json and print the matrix, the side-by-side table and
#      each external implementation's failed vectors by flag (reports in
#      $BUILD_DIR/conformance-report/: results.json, junit.xml, report.md,
#      report.html);
#   1b. render the MTA scenarios' rows (ci/scenarios.sh ran them) with the same runner:
#      the matrix, failures by flag and the reports in $BUILD_DIR/mta-conformance-report/;
#   2. replay each fuzz corpus corpus/fuzz_<kind>/ that exists through every
#      implementation taking that kind (mtasts-conformance --diff) and print
#      the top disagreement classes (reports in
#      $BUILD_DIR/conformance-diff/<kind>/: diff.json, diff.md, diff.html).
#
# Exit status: non-zero when our own parser ("mtasts") fails or errors on a
# vector, errors on a corpus input, or on a usage / configuration error.
# External implementations never fail it; one that is not installed is
# skipped; disagreements are findings, not failures.
# Environment: BUILD_DIR (default build; relative to the repository root, or
# absolute); CONFORMANCE_DIFF=0 skips step 2. Extra arguments go to the
# runner of step 1 (e.g. --timeout 2, --only mtasts, --list 0).
set -euo pipefail
# shellcheck source=ci/lib.sh
source "$(dirname "$0")/lib.sh"
cd "$MTASTS_ROOT"

build=${BUILD_DIR:-build}
[[ $build == /* ]] || build="$MTASTS_ROOT/$build"

say "configure and build $build"
mkdir -p "$build"
cmake -S "$MTASTS_ROOT" -B "$build" >"$build/conformance-configure.log" 2>&1 || {
  cat "$build/conformance-configure.log"
  die "configure of $build failed"
}
cmake --build "$build" -j "$MTASTS_JOBS" --target mtasts-conformance mtasts-adapter

[[ -f vectors/policy.json ]] || die "no vectors in vectors/ (vectors/<kind>.json)"

runner=("$build/conformance/mtasts-conformance" --root "$MTASTS_ROOT" --build "$build"
  --impls "$MTASTS_ROOT/conformance/impls.json")

status=0
scenario_args=()
if [[ ${CONFORMANCE_SCENARIOS:-1} != 0 && -f ci/scenarios.sh ]]; then
  say "scenarios: vectors/scenarios/ x resolve adapters, in the loopback test world"
  rm -f "$build/scenario-report/scenario-results.json" "$build/mta-report/scenario-results.json"
  BUILD_DIR="$build" bash ci/scenarios.sh || status=$?
  results="$build/scenario-report/scenario-results.json"
  [[ -f $results ]] && scenario_args=(--scenario-results "$results")
fi

say "conformance: vectors/ x conformance/impls.json"
# 5 vectors per flag keep the external lists readable; report.md has them all.
vector_status=0
"${runner[@]}" --vectors "$MTASTS_ROOT/vectors" --out "$build/conformance-report" \
  --list 5 "${scenario_args[@]}" "$@" || vector_status=$?
[[ $vector_status == 0 ]] || status=$vector_status

# The MTA rows (ci/scenarios.sh ran them: conformance/world/run_mta.py) rendered by the same
# runner: a scenario-only run (no vectors) with the MTAs as its implementations.
mta="$build/mta-report"
if [[ -f $mta/scenario-results.json && -f $mta/runner/impls.json ]]; then
  say "conformance: the MTA scenarios' matrix and reports (MTAs, vectors/scenarios/mta.json)"
  novectors=$(mktemp -d)
  mta_status=0
  "$build/conformance/mtasts-conformance" --root "$MTASTS_ROOT" --build "$build" \
    --impls "$mta/runner/impls.json" --vectors "$novectors" \
    --out "$build/mta-conformance-report" --list 5 --scenario-results "$mta/scenario-results.json" \
    --scenarios "$mta/runner/scenarios.json" || mta_status=$?
  rmdir "$novectors"
  [[ $mta_status == 0 ]] || status=$mta_status
fi

[[ ${CONFORMANCE_DIFF:-1} == 0 ]] && exit "$status"

# The fuzz harness of each kind (fuzz/fuzz_<kind>.c) defines its corpus's file
# format, which --diff reads as is; fuzz_roundtrip mixes kinds and is not replayed.
# Kinds no external implementation takes are compared with nothing (the runner
# says so); they still show that our adapter answers every corpus input.
kinds=(txt-record txt-strings txt-rrset policy mx-match tlsrpt-record tlsrpt-rrset tlsrpt-report)
for kind in "${kinds[@]}"; do
  corpus="corpus/fuzz_${kind//-/_}"
  [[ $kind == tlsrpt-report ]] && corpus=corpus/fuzz_report # fuzz_report.c: the document alone
  [[ -d $corpus ]] || continue
  say "differential replay: $corpus ($kind)"
  diff_status=0
  "${runner[@]}" --out "$build/conformance-diff/$kind" --list 5 \
    --diff "$kind" "$corpus" || diff_status=$?
  [[ $diff_status == 0 ]] || status=$diff_status
done
exit "$status"
