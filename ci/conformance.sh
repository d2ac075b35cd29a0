#!/usr/bin/env bash
# ci/conformance.sh [runner options...] - the main job: build if needed, then
# run every vector of vectors/ through every implementation of
# conformance/impls.json and print the matrix (reports in
# $BUILD_DIR/conformance-report/: results.json, junit.xml, report.md, report.html).
#
# Exit status: the runner's - non-zero when our own parser ("mtasts") fails or
# errors on a vector (or on a usage / configuration error). External
# implementations never fail it; one that is not installed is skipped.
# Environment: BUILD_DIR (default build; relative to the repository root, or
# absolute). Extra arguments go to the runner (e.g. --timeout 2, --only mtasts).
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

say "conformance: vectors/ x conformance/impls.json"
status=0
"$build/conformance/mtasts-conformance" \
  --root "$MTASTS_ROOT" --build "$build" \
  --vectors "$MTASTS_ROOT/vectors" --impls "$MTASTS_ROOT/conformance/impls.json" \
  --out "$build/conformance-report" "$@" || status=$?
exit "$status"
