#!/usr/bin/env bash
# ci/check_freestanding.sh - zero-allocation proof (c): the parser, and the
# report reader built on it (report/), are plain, freestanding C11 with no
# allocation, no locale and no mutable state.
#
#  1. every src/*.c compiles with -ffreestanding -std=c11 -Wall -Wvla -Werror;
#  2. every #include names <stddef.h>, <stdint.h>, <stdbool.h>, <string.h> or
#     a header of the tree itself (report/: or of the parser's include/);
#  3. no source mentions an allocator, <ctype.h>, <locale.h> or setlocale
#     (comments and string literals are stripped first);
#  4. the objects call nothing but memcpy, memcmp, memchr and memset (report/:
#     and what the parser's objects define, its API), and define no data or
#     bss symbol (nm letters D d B b C G g S s V v): only code (T t) and
#     read-only data (R r). They are compiled with -fno-pic so that const
#     tables of pointers land in .rodata, not in .data.rel.ro where nm would
#     call them "d".
# Environment: CC (default cc); MTASTS_PARSER_DIR (default parser/, for testing
# this script on a deliberately bad tree: then report/ is not checked).
set -euo pipefail
# shellcheck source=ci/lib.sh
source "$(dirname "$0")/lib.sh"

cc=${CC:-cc}
parser=${MTASTS_PARSER_DIR:-$MTASTS_ROOT/parser}
shopt -s nullglob
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0
fail() {
  printf '!! %s\n' "$*" >&2
  failed=1
}

# check_tree NAME DIR [BASE_INC BASE_OBJDIR]: the four checks over DIR/src
# and DIR/include; a tree built on another (report/ on the parser) may also
# include BASE_INC's headers and call what BASE_OBJDIR's objects define.
check_tree() {
  local name=$1 dir=$2 base_inc=${3:-} base_obj=${4:-}
  local src="$dir/src" inc="$dir/include" obj="$work/$name"
  local sources=("$src"/*.c)
  local all_files=("$src"/*.c "$src"/*.h "$inc"/*.h)
  local incs=(-I "$inc")
  [[ -n $base_inc ]] && incs+=(-I "$base_inc")
  [[ ${#sources[@]} -gt 0 ]] || die "no C sources in $src"
  mkdir -p "$obj"

  say "1. compile $name/src/*.c with $cc -ffreestanding -std=c11"
  for f in "${sources[@]}"; do
    "$cc" -ffreestanding -std=c11 -pedantic -Wall -Wextra -Wvla -Werror -O2 -fno-pic \
      "${incs[@]}" -c "$f" -o "$obj/$(basename "$f").o" || fail "$f does not compile freestanding"
  done
  local objects=("$obj"/*.o)

  say "2. #include lines under $name/ (src, include)"
  local line file header hname
  while IFS= read -r line; do
    file=${line%%:*}
    header=$(sed -E 's/^[^#]*#[[:space:]]*include[[:space:]]*//' <<<"${line#*:*:}")
    case $header in
      "<stddef.h>" | "<stdint.h>" | "<stdbool.h>" | "<string.h>") ;;
      \"*\")
        hname=${header//\"/}
        [[ -f $src/$hname || -f $inc/$hname || (-n $base_inc && -f $base_inc/$hname) ]] ||
          fail "$file: $header is not a project header"
        ;;
      *) fail "$file: #include $header is not allowed in $name/" ;;
    esac
  done < <(grep -nE '^[[:space:]]*#[[:space:]]*include' "${all_files[@]}")

  say "3. banned identifiers (allocation, ctype, locale)"
  local banned='\b(__builtin_)?(malloc|calloc|realloc|reallocarray|free|aligned_alloc|posix_memalign|memalign|valloc|pvalloc|strdup|strndup|alloca|setlocale|localeconv|newlocale|uselocale)\b|ctype\.h|locale\.h'
  local hits
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
  local defined outside kind sym o
  defined=$(nm --defined-only "${objects[@]}" | awk 'NF == 3 { print $3 }')
  if [[ -n $base_obj ]]; then
    defined+=$'\n'$(nm --defined-only -g "$base_obj"/*.o | awk 'NF == 3 { print $3 }')
  fi
  defined=$(sort -u <<<"$defined")
  outside=$(nm -u "${objects[@]}" | awk 'NF == 2 { print $2 }' | sort -u | comm -23 - <(echo "$defined") |
    grep -vxE 'memcpy|memcmp|memchr|memset' || true)
  [[ -z $outside ]] || fail "$name/ calls outside <string.h>'s memcpy/memcmp/memchr/memset: ${outside//$'\n'/ }"
  for o in "${objects[@]}"; do
    while read -r kind sym; do
      case $kind in
        [DdBbCGgSsVv]) fail "$(basename "$o" .o): $sym is mutable state (nm type $kind)" ;;
      esac
    done < <(nm "$o" | awk 'NF == 3 { print $2, $3 }')
  done
  nm "${objects[@]}" | awk 'NF == 3 { n[$2]++ } END { for (k in n) printf "   %s: %d symbol(s)\n", k, n[k] }' | sort
}

check_tree parser "$parser"
# The report reader keeps the parser's rules (mtasts_report.h); it is
# checked only against the real parser, not a test tree.
if [[ -z ${MTASTS_PARSER_DIR:-} && -d $MTASTS_ROOT/report/src ]]; then
  check_tree report "$MTASTS_ROOT/report" "$parser/include" "$work/parser"
fi

[[ $failed == 0 ]] || die "the parser (or report/) is not freestanding"
say "ok: freestanding C11, allowed headers only, no allocator/ctype/locale, no mutable state"
