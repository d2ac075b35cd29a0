#!/usr/bin/env bash
# ci/consumer_test.sh find_package|pkg_config BUILD_DIR WORK_DIR
#
# Installs BUILD_DIR into WORK_DIR/prefix (cmake --install --prefix), then
# builds and runs parser/tests/consumer/ against that prefix only:
#   find_package  configure the consumer project with CMake, which must find
#                 mtasts::mtasts (static) and mtasts::mtasts_shared;
#   pkg_config    compile consumer.c with `pkg-config --cflags --libs mtasts`.
# Exits 77 (a ctest skip) while the library does not define mtasts_txt_parse.
# Environment: CC (default cc).
set -euo pipefail
# shellcheck source=ci/lib.sh
source "$(dirname "$0")/lib.sh"

[[ $# -eq 3 ]] || die "usage: $0 find_package|pkg_config BUILD_DIR WORK_DIR"
mode=$1
build=$(cd "$2" && pwd)
work=$3
cc=${CC:-cc}
consumer="$MTASTS_ROOT/parser/tests/consumer"

archive=$(find "$build/parser" -maxdepth 1 -name libmtasts.a | head -1)
[[ -n $archive ]] || die "no libmtasts.a in $build/parser: build first"
defined=$(nm --defined-only "$archive") # not piped into grep -q: SIGPIPE under pipefail
if ! grep -qw 'T mtasts_txt_parse' <<<"$defined"; then
  echo "SKIP: libmtasts.a does not define mtasts_txt_parse yet (parser stub)"
  exit 77
fi

rm -rf "$work"
mkdir -p "$work"
prefix="$work/prefix"
say "install $build into $prefix"
cmake --install "$build" --prefix "$prefix" >"$work/install.log"
indent <"$work/install.log"

libdir=$(dirname "$(find "$prefix" -name libmtasts.a | head -1)")
for f in "$libdir/libmtasts.a" "$libdir/libmtasts.so.0" "$prefix/include/mtasts.h" \
  "$libdir/pkgconfig/mtasts.pc" "$libdir/cmake/mtasts/mtastsConfig.cmake" \
  "$libdir/cmake/mtasts/mtastsConfigVersion.cmake"; do
  [[ -e $f ]] || die "not installed: ${f#"$prefix"/}"
done

case $mode in
  find_package)
    say "configure the consumer with find_package(mtasts CONFIG)"
    cmake -S "$consumer" -B "$work/build" -DCMAKE_C_COMPILER="$cc" \
      -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF >"$work/configure.log" ||
      {
        cat "$work/configure.log"
        die "consumer configure failed"
      }
    grep -i 'mtasts' "$work/build/CMakeCache.txt" | grep -i '_DIR:' | indent
    cmake --build "$work/build" >"$work/build.log" || {
      cat "$work/build.log"
      die "consumer build failed"
    }
    say "run consumer_static and consumer_shared"
    "$work/build/consumer_static"
    "$work/build/consumer_shared"
    loaded=$(ldd "$work/build/consumer_shared")
    grep -q "libmtasts.so.0 => $libdir/" <<<"$loaded" ||
      die "consumer_shared does not load the installed libmtasts.so.0"
    ;;
  pkg_config)
    export PKG_CONFIG_PATH="$libdir/pkgconfig"
    flags=$(pkg-config --cflags --libs mtasts)
    say "pkg-config --cflags --libs mtasts: $flags (version $(pkg-config --modversion mtasts))"
    # shellcheck disable=SC2086 # the flags are words
    "$cc" -std=c11 -Wall -Wextra -Werror "$consumer/consumer.c" $flags -o "$work/consumer_pc"
    say "run consumer_pc"
    LD_LIBRARY_PATH="$libdir" "$work/consumer_pc"
    ;;
  *) die "unknown mode $mode" ;;
esac
say "ok: consumer ($mode) built and ran against the installed mtasts"
