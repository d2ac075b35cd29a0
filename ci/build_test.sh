#!/usr/bin/env bash
# ci/build_test.sh [gcc|clang] - configure and build (warnings are errors),
# then run every ctest, in build-ci-<compiler>.
set -euo pipefail
# shellcheck source=ci/lib.sh
source "$(dirname "$0")/lib.sh"

compiler=${1:-gcc}
case $compiler in
  gcc | clang) ;;
  *) die "usage: $0 [gcc|clang]" ;;
esac
configure_and_build "build-ci-$compiler" -DCMAKE_C_COMPILER="$compiler" -DMTASTS_BUILD_TESTS=ON
run_ctest "build-ci-$compiler"
