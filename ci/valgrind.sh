#!/usr/bin/env bash
# ci/valgrind.sh - run every unit-test executable of the gcc build under
# valgrind's memcheck: any error or leak fails (exit code 99).
set -euo pipefail
# shellcheck source=ci/lib.sh
source "$(dirname "$0")/lib.sh"

configure_and_build build-ci-gcc -DCMAKE_C_COMPILER=gcc
list="$MTASTS_ROOT/build-ci-gcc/unit_tests.txt"
[[ -s $list ]] || die "no $list: the unit tests are not configured"
mapfile -t tests <"$list"
failed=()
for t in "${tests[@]}"; do
  say "valgrind $(basename "$t")"
  # nouserintercepts: valgrind must not replace the malloc that test_alloc
  # defines to count calls; it still tracks the glibc allocator beneath it.
  if ! valgrind -q --error-exitcode=99 --leak-check=full --soname-synonyms=somalloc=nouserintercepts \
    "$t" >"$t.valgrind.log" 2>&1; then
    cat "$t.valgrind.log"
    failed+=("$(basename "$t")")
  fi
  tail -n 1 "$t.valgrind.log" | indent
done
[[ ${#failed[@]} -eq 0 ]] || die "valgrind found errors in: ${failed[*]}"
say "ok: ${#tests[@]} unit-test executables clean under valgrind"
