#!/usr/bin/env bash
# ci/sanitize.sh - build with clang, AddressSanitizer and UndefinedBehaviorSanitizer
# (no recovery: the first report fails the test), and run every ctest.
set -euo pipefail
# shellcheck source=ci/lib.sh
source "$(dirname "$0")/lib.sh"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
configure_and_build build-ci-sanitize -DCMAKE_C_COMPILER=clang -DMTASTS_SANITIZE=ON
run_ctest build-ci-sanitize
