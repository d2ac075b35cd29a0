#!/usr/bin/env bash
# ci/coverage.sh - gcc with --coverage, every ctest, then gcovr over
# parser/src/, engine/src/, wire/src/ and report/src/ (each must reach 100% lines and 95%
# branches). The HTML report (parser) is build-ci-coverage/coverage/index.html.
set -euo pipefail
# shellcheck source=ci/lib.sh
source "$(dirname "$0")/lib.sh"

dir=build-ci-coverage
configure_and_build "$dir" -DCMAKE_C_COMPILER=gcc -DMTASTS_COVERAGE=ON
# Counts from an earlier run would inflate this one.
find "$MTASTS_ROOT/$dir" -name '*.gcda' -delete
tests_ok=1
run_ctest "$dir" || tests_ok=0

say "gcovr over parser/src/"
mkdir -p "$MTASTS_ROOT/$dir/coverage"
cd "$MTASTS_ROOT"
gcovr_ok=1
gcovr -r . --filter 'parser/src/' --print-summary \
  --fail-under-line 100 --fail-under-branch 95 \
  --html-details "$dir/coverage/index.html" "$dir" || gcovr_ok=0
say "HTML report: $dir/coverage/index.html"
# The engine's decisions are as pure as the parser and held to the same bar.
engine_ok=1
if [[ -d engine/src ]]; then
  say "gcovr over engine/src/"
  gcovr -r . --filter 'engine/src/' --print-summary \
    --fail-under-line 100 --fail-under-branch 95 "$dir" || engine_ok=0
fi
# So are the readers of strangers' bytes.
wire_ok=1
if [[ -d wire/src ]]; then
  say "gcovr over wire/src/"
  gcovr -r . --filter 'wire/src/' --print-summary \
    --fail-under-line 100 --fail-under-branch 95 "$dir" || wire_ok=0
fi
# And the report reader.
report_ok=1
if [[ -d report/src ]]; then
  say "gcovr over report/src/"
  gcovr -r . --filter 'report/src/' --print-summary \
    --fail-under-line 100 --fail-under-branch 95 "$dir" || report_ok=0
fi
[[ $tests_ok == 1 ]] || die "some tests failed in the coverage build"
[[ $gcovr_ok == 1 ]] || die "coverage of parser/src/ is under 100% lines / 95% branches"
[[ $engine_ok == 1 ]] || die "coverage of engine/src/ is under 100% lines / 95% branches"
[[ $wire_ok == 1 ]] || die "coverage of wire/src/ is under 100% lines / 95% branches"
[[ $report_ok == 1 ]] || die "coverage of report/src/ is under 100% lines / 95% branches"
say "ok: coverage thresholds met"
