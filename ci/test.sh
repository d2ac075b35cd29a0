#!/usr/bin/env bash
# ci/test.sh - set-up and every test, the way CI runs them (README command 2).
#
# Steps: setup, format, build+ctest with gcc and with clang, ASan+UBSan,
# valgrind, coverage, stack bounds, then the fuzz smoke run and the
# conformance run where those scripts exist. Every step runs even when an
# earlier one failed; the last line says how many passed and failed.
set -euo pipefail
# shellcheck source=ci/lib.sh
source "$(dirname "$0")/lib.sh"
cd "$MTASTS_ROOT"

steps=("setup" "format" "build_test gcc" "build_test clang" "sanitize" "valgrind" "coverage" "stack_usage")
[[ -f ci/fuzz.sh ]] && steps+=("fuzz --smoke")
[[ -f ci/conformance.sh ]] && steps+=("conformance")

passed=0
failed=0
results=()
start=$SECONDS
for step in "${steps[@]}"; do
  read -r -a words <<<"$step"
  printf '\n########## ci/%s.sh %s\n' "${words[0]}" "${words[*]:1}"
  t0=$SECONDS
  if bash "ci/${words[0]}.sh" "${words[@]:1}" </dev/null; then
    passed=$((passed + 1))
    results+=("$(printf 'PASS  %-18s %4ds' "$step" $((SECONDS - t0)))")
  else
    failed=$((failed + 1))
    results+=("$(printf 'FAIL  %-18s %4ds' "$step" $((SECONDS - t0)))")
  fi
done

printf '\n########## summary (%ds)\n' $((SECONDS - start))
printf '%s\n' "${results[@]}"
echo "$passed passed, $failed failed"
[[ $failed == 0 ]]
