# shellcheck shell=bash
# ci/lib.sh - helpers sourced by the ci/*.sh scripts (not run on its own).

MTASTS_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MTASTS_JOBS=${MTASTS_JOBS:-$(nproc 2>/dev/null || echo 2)}

say() { printf '== %s\n' "$*"; }
indent() { sed 's/^/   /'; }
die() {
  printf '!! %s\n' "$*" >&2
  exit 1
}

# configure_and_build DIR [cmake -D options...]: configure (idempotent)
# and build the project in DIR, relative to the repository root.
configure_and_build() {
  local dir=$1
  shift
  local log="$MTASTS_ROOT/$dir/configure.log"
  say "configure $dir $*"
  mkdir -p "$MTASTS_ROOT/$dir"
  cmake -S "$MTASTS_ROOT" -B "$MTASTS_ROOT/$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >"$log" 2>&1 ||
    {
      cat "$log"
      die "configure of $dir failed"
    }
  say "build $dir ($MTASTS_JOBS jobs)"
  cmake --build "$MTASTS_ROOT/$dir" -j "$MTASTS_JOBS"
}

# run_ctest DIR: all tests of a build, the output of failures shown.
run_ctest() {
  say "ctest in $1"
  ctest --test-dir "$MTASTS_ROOT/$1" --output-on-failure -j "$MTASTS_JOBS"
}

# readme_block FILE NAME: the lines between "<!-- NAME:begin -->" and
# "<!-- NAME:end -->" in FILE, without the ``` fence lines.
readme_block() {
  awk -v b="<!-- $2:begin -->" -v e="<!-- $2:end -->" '
    $0 == e { inside = 0 }
    inside && !/^```/ { print }
    $0 == b { inside = 1; found = 1 }
    END { if (!found) exit 3 }' "$1"
}
