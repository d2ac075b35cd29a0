#!/usr/bin/env bash
# ci/readme_tour.sh LIBMTASTS.a WORK_DIR [README] - the API tour in README.md
# compiles and prints what the README says it prints.
#
# The C code between <!-- tour:begin --> and <!-- tour:end --> is compiled
# with -std=c11 -Wall -Wextra -Wpedantic -Werror against the library and
# run; its output must equal the block between <!-- tour-output:begin -->
# and <!-- tour-output:end -->. Exits 77 (a ctest skip) while the library
# lacks a function the tour calls (parser stubs).
# Environment: CC (default cc), CFLAGS (extra flags, e.g. the sanitizers).
set -euo pipefail
# shellcheck source=ci/lib.sh
source "$(dirname "$0")/lib.sh"

[[ $# -ge 2 ]] || die "usage: $0 LIBMTASTS.a WORK_DIR [README]"
archive=$1
work=$2
readme=${3:-$MTASTS_ROOT/README.md}
cc=${CC:-cc}
mkdir -p "$work"

readme_block "$readme" tour >"$work/tour.c" || die "no <!-- tour:begin/end --> block in $readme"
expected=$(readme_block "$readme" tour-output) || die "no <!-- tour-output:begin/end --> block in $readme"
say "README tour: $(wc -l <"$work/tour.c") lines of C"

defined=$(nm --defined-only "$archive" | awk '$2 == "T" { print $3 }')
for fn in $(grep -oE '\bmtasts_[a-z0-9_]+\(' "$work/tour.c" | tr -d '(' | sort -u); do
  if ! grep -qx "$fn" <<<"$defined"; then
    echo "SKIP: the tour calls $fn, which libmtasts.a does not define yet"
    exit 77
  fi
done

# shellcheck disable=SC2086 # CFLAGS are words
"$cc" -std=c11 -Wall -Wextra -Wpedantic -Werror ${CFLAGS:-} -I "$MTASTS_ROOT/parser/include" \
  "$work/tour.c" "$archive" -o "$work/tour"
actual=$("$work/tour")
indent <<<"$actual"
if [[ "$actual" != "$expected" ]]; then
  diff <(echo "$expected") <(echo "$actual") || true
  die "the tour's output differs from README.md"
fi
say "ok: the README tour compiles, runs and prints what README.md shows"
