#!/usr/bin/env bash
# ci/selftest_checks.sh - the proofs can fail: each checker is run on a
# deliberately bad input and must reject it, naming the fault.
# Environment: CC (default cc), MTASTS_GCC (default gcc).
set -euo pipefail
# shellcheck source=ci/lib.sh
source "$(dirname "$0")/lib.sh"

cc=${CC:-cc}
gcc_bin=${MTASTS_GCC:-gcc}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0

# run_check COMMAND...: run a checker on bad input; it must fail.
# Its output is kept in $out for expect_report.
out=""
run_check() {
  if out=$("$@" 2>&1); then
    printf '!! %s passed a bad input\n' "$*" >&2
    failed=1
  fi
}

# expect_report NAME PATTERN: the last checker named the fault.
expect_report() {
  if grep -qE "$2" <<<"$out"; then
    say "ok: $1 is rejected ($(grep -oE "$2" <<<"$out" | head -1))"
  else
    printf '!! %s: not reported (no "%s") in:\n%s\n' "$1" "$2" "$out" >&2
    failed=1
  fi
}

# expect_failure NAME PATTERN COMMAND...: both of the above.
expect_failure() {
  local name=$1 pattern=$2
  shift 2
  run_check "$@"
  expect_report "$name" "$pattern"
}

# A parser tree with one fault per file.
bad="$work/parser"
mkdir -p "$bad/src" "$bad/include"
cp "$MTASTS_ROOT/parser/include/mtasts.h" "$bad/include/"
cat >"$bad/src/state.c" <<'C'
#include <stddef.h>
int counter_next(void);
int counter_next(void) {
  static int calls; /* a static local is global mutable state */
  return ++calls;
}
C
cat >"$bad/src/alloc.c" <<'C'
#include <stddef.h>
void *get(size_t n);
void *get(size_t n) {
  return __builtin_malloc(n);
}
C
cat >"$bad/src/ctype.c" <<'C'
#include <ctype.h>
int up(int c);
int up(int c) {
  return toupper(c);
}
C
cat >"$bad/src/strlen.c" <<'C'
#include <string.h>
size_t measure(const char *s);
size_t measure(const char *s) {
  return strlen(s);
}
C
run_check env CC="$cc" MTASTS_PARSER_DIR="$bad" bash "$MTASTS_ROOT/ci/check_freestanding.sh"
expect_report "static local variable" "(calls\\.[0-9]+|counter_next\\.calls) is mutable state"
expect_report "malloc call" "alloc.c uses a banned identifier"
expect_report "<ctype.h>" "#include <ctype.h> is not allowed"
expect_report "strlen call" "calls outside .*strlen"

# Recursion, direct and through a function pointer.
mkdir -p "$work/rec/src" "$work/ind/src"
cat >"$work/rec/src/a.c" <<'C'
static int odd(unsigned n);
static int even(unsigned n) { return n == 0 ? 1 : odd(n - 1); }
static int odd(unsigned n) { return n == 0 ? 0 : even(n - 1); }
int parity(unsigned n);
int parity(unsigned n) { return even(n); }
C
cat >"$work/ind/src/a.c" <<'C'
typedef int (*step)(int);
int run(step f, int x);
int run(step f, int x) { return f(x); }
static int down(int x) { return x > 0 ? run(down, x - 1) : 0; }
int start(int x);
int start(int x) { return down(x); }
C
if command -v "$gcc_bin" >/dev/null; then
  expect_failure "mutual recursion" "recursion: .*even" \
    python3 "$MTASTS_ROOT/ci/check_no_recursion.py" --cc "$gcc_bin" --src "$work/rec/src"
  expect_failure "recursion through a pointer" "recursion: .*down" \
    python3 "$MTASTS_ROOT/ci/check_no_recursion.py" --cc "$gcc_bin" --src "$work/ind/src"
fi

# An archive that calls the allocator, a shared library that exports more.
cat >"$work/m.c" <<'C'
#include <stdlib.h>
void *grab(void);
void *grab(void) { return malloc(8); }
C
"$cc" -fPIC -c "$work/m.c" -o "$work/m.o"
ar rcs "$work/libbad.a" "$work/m.o"
expect_failure "malloc in the archive" "outside .*malloc" bash "$MTASTS_ROOT/ci/check_symbols.sh" "$work/libbad.a"
printf 'int mtasts_errname(void);\nint mtasts_errname(void) { return 0; }\nint extra(void);\nint extra(void) { return 1; }\n' >"$work/x.c"
"$cc" -fPIC -c "$work/x.c" -o "$work/x.o"
ar rcs "$work/libx.a" "$work/x.o"
"$cc" -shared "$work/x.o" -o "$work/libx.so"
expect_failure "an export outside the API" "exports extra" \
  env MTASTS_PUBLIC_FUNCTIONS="mtasts_errname" bash "$MTASTS_ROOT/ci/check_symbols.sh" "$work/libx.a" "$work/libx.so"

# Frames: one unbounded (a VLA), one over the bound.
fake="$work/build/parser/CMakeFiles/mtasts_obj.dir"
mkdir -p "$fake"
printf 'x.c:1:1:uses_vla\t48\tdynamic\nx.c:9:1:huge\t9000\tstatic\n' >"$fake/x.c.su"
echo "C_FLAGS = -O2" >"$fake/flags.make"
run_check bash "$MTASTS_ROOT/ci/stack_usage.sh" "$work/build"
expect_report "an unbounded frame" "unbounded .*uses_vla"
expect_report "a frame over the bound" "frames over [0-9]+ bytes: huge"

[[ $failed == 0 ]] || die "a checker accepted a bad input"
say "ok: every checker rejects its bad input"
