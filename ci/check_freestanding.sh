#!/usr/bin/env bash
# ci/check_freestanding.sh - zero-allocation proof (c): the parser is plain,
# freestanding C11 with no allocation, no locale and no mutable state.
#
#  1. every parser/src/*.c compiles with -ffreestanding -std=c11 -Wall -Wvla -Werror;
#  2. every #include under parser/ names <stddef.h>, <stdint.h>, <stdbool.h>,
#     <string.h> or a header of the project itself;
#  3. no source mentions an allocator, <ctype.h>, <locale.h> or setlocale
#     (comments and string literals are stripped first);
#  4. the objects call nothing but memcpy, memcmp, memchr and memset, and
#     define no data or bss symbol (nm letters D d B b C G g S s V v):
#     only code (T t) and read-only data (R r). They are compiled with
#     -fno-pic so that const tables of pointers land in .rodata, not in
#     .data.rel.ro where nm would call them "d".
# Environment: CC (default cc); MTASTS_PARSER_DIR (default parser/, for testing
# this script on a deliberately bad tree).
set -euo pipefail
# shellcheck source=ci/lib.sh
source "$(dirname "$0")/lib.sh"

cc=${CC:-cc}
parser=${MTASTS_PARSER_DIR:-$MTASTS_ROOT/parser}
src="$parser/src"
inc="$parser/include"
shopt -s nullglob
sources=("$src"/*.c)
all_files=("$src"/*.c "$src"/*.h "$inc"/*.h)
[[ ${#sources[@]} -gt 0 ]] || die "no C sources in $src"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0
fail() {
  printf '!! %s\n' "$*" >&2
  failed=1
}

say "1. compile parser/src/*.c with $cc -ffreestanding -std=c11"
for f in "${sources[@]}"; do
  "$cc" -ffreestanding -std=c11 -pedantic -Wall -Wextra -Wvla -Werror -O2 -fno-pic \
    -I "$inc" -c "$f" -o "$work/$(basename "$f").o" || fail "$f does not compile freestanding"
done

objects=("$work"/*.o)

say "2. #include lines under parser/ (src, include)"
while IFS= read -r line; do
  file=${line%%:*}
  header=$(sed -E 's/^[^#]*#[[:space:]]*include[[:space:]]*//' <<<"${line#*:*:}")
  case $header in
    "<stddef.h>" | "<stdint.h>" | "<stdbool.h>" | "<string.h>") ;;
    \"*\")
      name=${header//\"/}
      [[ -f $src/$name || -f $inc/$name ]] || fail "$file: $header is not a project header"
      ;;
    *) fail "$file: #include $header is not allowed in the parser" ;;
  esac
done < <(grep -nE '^[[:space:]]*#[[:space:]]*include' "${all_files[@]}")

say "3. banned identifiers (allocation, ctype, locale)"
banned='\b(__builtin_)?(malloc|calloc|realloc|reallocarray|free|aligned_alloc|posix_memalign|memalign|valloc|pvalloc|strdup|strndup|alloca|setlocale|localeconv|newlocale|uselocale)\b|ctype\.h|locale\.h'
for f in "${all_files[@]}"; do
  # Strip comments and blank out string and character literals, keeping lines.
  python3 - "$f" >"$work/stripped" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8", errors="replace").read()
token = re.compile(r'"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'|/\*.*?\*/|//[^\n]*', re.S)
def blank(m):
    s = m.group(0)
    return ('""' if s[0] == '"' else "''" if s[0] == "'" else " ") + "\n" * s.count("\n")
sys.stdout.write(token.sub(blank, text))
PY
  if hits=$(grep -nE "$banned" "$work/stripped"); then
    fail "$f uses a banned identifier: $(head -3 <<<"$hits" | tr '\n' ' ')"
  fi
done

say "4. symbols of the objects (nm): no data/bss, no call outside memcpy/memcmp/memchr/memset"
# -ffreestanding implies -fno-builtin: a strlen the optimiser would fold
# away at -O2 stays a call here, as it does in a -O0 (coverage) build.
defined=$(nm --defined-only "${objects[@]}" | awk 'NF == 3 { print $3 }' | sort -u)
outside=$(nm -u "${objects[@]}" | awk 'NF == 2 { print $2 }' | sort -u | comm -23 - <(echo "$defined") |
  grep -vxE 'memcpy|memcmp|memchr|memset' || true)
[[ -z $outside ]] || fail "the parser calls outside <string.h>'s memcpy/memcmp/memchr/memset: ${outside//$'\n'/ }"
for o in "${objects[@]}"; do
  while read -r kind name; do
    case $kind in
      [DdBbCGgSsVv]) fail "$(basename "$o" .o): $name is mutable state (nm type $kind)" ;;
    esac
  done < <(nm "$o" | awk 'NF == 3 { print $2, $3 }')
done
nm "${objects[@]}" | awk 'NF == 3 { n[$2]++ } END { for (k in n) printf "   %s: %d symbol(s)\n", k, n[k] }' | sort

[[ $failed == 0 ]] || die "the parser is not freestanding"
say "ok: freestanding C11, allowed headers only, no allocator/ctype/locale, no mutable state"
