#!/usr/bin/env bash
# ci/check_symbols.sh LIBMTASTS.a [LIBMTASTS.so] - zero-allocation proof (a).
#
# The static library may reference no outside symbol except memcpy,
# memcmp, memchr and memset: no allocator, no stdio, no locale. With
# MTASTS_INSTRUMENTED=1 (coverage and sanitizer builds) the symbols the
# instrumentation adds are set aside first. Given the shared library too,
# it checks that no allocator is referenced there either (uninstrumented
# builds: an instrumented .so links its runtime in), and - with
# MTASTS_PUBLIC_FUNCTIONS="name ..." - that it exports nothing else.
set -euo pipefail
# shellcheck source=ci/lib.sh
source "$(dirname "$0")/lib.sh"

[[ $# -ge 1 ]] || die "usage: $0 LIBMTASTS.a [LIBMTASTS.so]"
archive=$1
shared=${2:-}
[[ -f $archive ]] || die "no such archive: $archive"

# _GLOBAL_OFFSET_TABLE_ is the linker's own table, named by PIC code; bcmp is
# what clang turns `memcmp(...) == 0` into.
allowed='^(memcpy|memcmp|memchr|memset|bcmp|_GLOBAL_OFFSET_TABLE_)$'
# Compiler instrumentation: gcov, ASan/UBSan/sanitizer coverage, and the
# stack protector that some distributions turn on by default.
instrumentation='^(__gcov_|__llvm_|__asan_|__ubsan_|__sanitizer_|__sancov_|__msan_|__tsan_|__stack_chk_fail$)'
allocators='^(malloc|calloc|realloc|reallocarray|free|aligned_alloc|posix_memalign|memalign|valloc|pvalloc|strdup|strndup|alloca|__libc_malloc|mmap|sbrk|brk)(@.*)?$'

say "undefined symbols of $archive (nm -u)"
# An archive member's undefined symbol may be defined by another member.
# MTASTS_LINKED_ARCHIVES: archives the library links (report/ calls the
# parser's API); their symbols are defined, and checked on their own.
defined=$(nm --defined-only "$archive" ${MTASTS_LINKED_ARCHIVES:-} | awk 'NF == 3 { print $3 }' | sort -u)
undefined=$(nm -u "$archive" | awk 'NF == 2 { print $2 }' | sort -u | comm -23 - <(echo "$defined"))
indent <<<"${undefined:-(none)}"
bad=""
for sym in $undefined; do
  [[ $sym =~ $allowed ]] && continue
  if [[ ${MTASTS_INSTRUMENTED:-0} == 1 && $sym =~ $instrumentation ]]; then
    continue
  fi
  bad+=" $sym"
done
[[ -z $bad ]] || die "libmtasts.a references symbols outside {memcpy, memcmp (bcmp), memchr, memset}:$bad"
say "ok: only memcpy/memcmp/memchr/memset are referenced"

if [[ -n $shared ]]; then
  [[ -f $shared ]] || die "no such shared library: $shared"
  say "dynamic symbols of $shared (nm -D)"
  # An instrumented .so carries its runtime (libgcov allocates at exit).
  if [[ ${MTASTS_INSTRUMENTED:-0} != 1 ]]; then
    for sym in $(nm -D -u "$shared" | awk '{ print $NF }'); do
      [[ $sym =~ $allocators ]] && die "libmtasts.so references the allocator: $sym"
    done
  fi
  if [[ -n ${MTASTS_PUBLIC_FUNCTIONS:-} ]]; then
    exported=$(nm -D --defined-only "$shared" | awk '$2 == "T" || $2 == "D" || $2 == "B" || $2 == "R" { sub(/@.*/, "", $3); print $3 }' | sort -u)
    for sym in $exported; do
      [[ " $MTASTS_PUBLIC_FUNCTIONS " == *" $sym "* ]] || die "libmtasts.so exports $sym, which mtasts.h does not declare"
    done
    say "ok: exports $(wc -w <<<"$exported") of the $(wc -w <<<"$MTASTS_PUBLIC_FUNCTIONS") public functions and nothing else"
  fi
fi
