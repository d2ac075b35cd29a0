#!/usr/bin/env bash
# ci/format.sh - every C file of the repository (tracked, or new and not
# ignored) is formatted as .clang-format says.
set -euo pipefail
# shellcheck source=ci/lib.sh
source "$(dirname "$0")/lib.sh"

cd "$MTASTS_ROOT"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  mapfile -t files < <(git ls-files --cached --others --exclude-standard -- '*.c' '*.h' | sort -u |
    while IFS= read -r f; do [[ -f $f ]] && echo "$f"; done)
else
  mapfile -t files < <(find . -path './build*' -prune -o \( -name '*.c' -o -name '*.h' \) -print | sort)
fi
[[ ${#files[@]} -gt 0 ]] || die "no C files found"
say "clang-format --dry-run -Werror on ${#files[@]} files ($(clang-format --version | head -1))"
unformatted=()
for f in "${files[@]}"; do
  clang-format --dry-run -Werror "$f" >/dev/null 2>&1 || unformatted+=("$f")
done
if [[ ${#unformatted[@]} -gt 0 ]]; then
  # The first differences, then the list; `clang-format -i FILE` fixes a file.
  for f in "${unformatted[@]:0:3}"; do
    clang-format "$f" | diff -u "$f" - | head -20 || true
  done
  printf '!! not formatted: %s\n' "${unformatted[@]}" >&2
  die "${#unformatted[@]} of ${#files[@]} files are not formatted (fix: clang-format -i FILE)"
fi
say "ok: all ${#files[@]} files are formatted"
