#!/usr/bin/env bash
# ci/readme_sizes.sh STRUCT_SIZES_EXE [README] - the struct sizes in README.md
# are the real ones: the table between <!-- sizes:begin --> and
# <!-- sizes:end --> must equal the output of ci/struct_sizes.c, and that
# program must cover every struct that mtasts.h declares. The README's
# numbers are for LP64 (x86_64, aarch64); elsewhere this exits 77 (skip).
set -euo pipefail
# shellcheck source=ci/lib.sh
source "$(dirname "$0")/lib.sh"

[[ $# -ge 1 ]] || die "usage: $0 STRUCT_SIZES_EXE [README]"
exe=$1
readme=${2:-$MTASTS_ROOT/README.md}

actual=$("$exe")
while read -r s; do
  grep -q "| \`$s\` |" <<<"$actual" || die "ci/struct_sizes.c does not print $s (declared in mtasts.h)"
done < <(grep -oE 'typedef struct mtasts_[a-z_]+' "$MTASTS_ROOT/parser/include/mtasts.h" | awk '{ print $3 }')
if [[ $(getconf LONG_BIT) != 64 ]]; then
  echo "SKIP: README sizes are for LP64"
  exit 77
fi
documented=$(readme_block "$readme" sizes) || die "no <!-- sizes:begin/end --> block in $readme"
if [[ "$documented" != "$actual" ]]; then
  diff <(echo "$documented") <(echo "$actual") || true
  die "README.md struct sizes are stale: paste the output of $exe between the sizes markers"
fi
say "ok: README.md lists the sizes of all $(($(wc -l <<<"$actual") - 2)) public structs"
