#!/usr/bin/env bash
# ci/stack_usage.sh [BUILD_DIR [FOLDER]] - the stack use of the parser (or of
# FOLDER: wire, the readers of strangers' bytes; report, the TLS-RPT report
# reader) is bounded and small.
#
# Reads the .su files that gcc writes beside the library objects
# (-fstack-usage is on for mtasts_obj), prints the largest frames, and
# fails if a frame is unbounded ("dynamic": a VLA or alloca) or larger than
# MTASTS_FRAME_BOUND. Then it rebuilds the call graph with the same flags
# (ci/check_no_recursion.py --worst-path) and fails if the deepest call
# chain needs more than MTASTS_STACK_BOUND bytes.
# Without BUILD_DIR it configures and builds build-ci-gcc first.
set -euo pipefail
# shellcheck source=ci/lib.sh
source "$(dirname "$0")/lib.sh"

frame_bound=${MTASTS_FRAME_BOUND:-2048}
path_bound=${MTASTS_STACK_BOUND:-4096}

build=${1:-}
folder=${2:-parser}
if [[ -z $build ]]; then
  configure_and_build build-ci-gcc -DCMAKE_C_COMPILER=gcc
  build="$MTASTS_ROOT/build-ci-gcc"
fi
# The folder's library target, its sources and the headers they include.
case $folder in
  parser) target=mtasts_obj graph_args=() ;;
  wire) target=mtasts_wire graph_args=(--src "$MTASTS_ROOT/wire/src" --include "$MTASTS_ROOT/wire/include" --include "$MTASTS_ROOT/parser/include") ;;
  # The report reader calls the parser: the deepest chain runs through both.
  report) target=mtasts_report_obj graph_args=(--src "$MTASTS_ROOT/report/src" --src "$MTASTS_ROOT/parser/src" --include "$MTASTS_ROOT/report/include" --include "$MTASTS_ROOT/parser/include") ;;
  *) die "unknown folder: $folder (parser, wire or report)" ;;
esac
objdir="$build/$folder/CMakeFiles/$target.dir"
mapfile -t su_files < <(find "$objdir" -name '*.su' 2>/dev/null | sort)
[[ ${#su_files[@]} -gt 0 ]] || die "no .su files under $objdir: build with gcc first"

frames=$(cat "${su_files[@]}" | awk -F'\t' '{ n = split($1, a, ":"); printf "%d\t%s\t%s\t%s\n", $2, $3, a[n], a[1] ":" a[2] }' | sort -t$'\t' -k1,1nr -k3,3)
say "largest stack frames of $folder/ ($(wc -l <<<"$frames") functions, ${#su_files[@]} .su files)"
head -12 <<<"$frames" | awk -F'\t' '{ n = split($4, p, "/"); printf "   %6d bytes  %-16s %s (%s)\n", $1, $2, $3, p[n] }'
read -r worst_bytes worst_kind worst_fn _ <<<"$(head -1 <<<"$frames" | tr '\t' ' ')"
say "worst frame: $worst_bytes bytes in $worst_fn ($worst_kind); bound $frame_bound"

failed=0
unbounded=$(awk -F'\t' '$2 ~ /dynamic/ && $2 !~ /bounded/ { print $3 }' <<<"$frames")
if [[ -n $unbounded ]]; then
  printf '!! unbounded (dynamic) frames: %s\n' "$unbounded" >&2
  failed=1
fi
too_big=$(awk -F'\t' -v b="$frame_bound" '$1 > b { print $3 " (" $1 ")" }' <<<"$frames")
if [[ -n $too_big ]]; then
  printf '!! frames over %s bytes: %s\n' "$frame_bound" "$too_big" >&2
  failed=1
fi

# The deepest path, compiled with the build's own code-generation flags.
flags=$(sed -n 's/^C_FLAGS = //p' "$objdir/flags.make")
codegen=""
for f in $flags; do
  case $f in
    -W* | -fstack-usage | -fcallgraph-info* | -std=* | -g*) ;;
    *) codegen+=" $f" ;;
  esac
done
gcc_bin=${MTASTS_GCC:-gcc}
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
if command -v "$gcc_bin" >/dev/null && (cd "$probe" && echo 'int x;' >p.c && "$gcc_bin" -fcallgraph-info=su -c p.c) 2>/dev/null; then
  report=$(python3 "$MTASTS_ROOT/ci/check_no_recursion.py" --cc "$gcc_bin" --cflags "${codegen# }" --worst-path "${graph_args[@]}") || {
    echo "$report"
    die "call graph check failed"
  }
  sed -n '/deepest stack path/,$p' <<<"$report"
  depth=$(sed -n 's/.*deepest stack path: \([0-9]*\) bytes.*/\1/p' <<<"$report")
  if [[ -z $depth ]]; then
    printf '!! no deepest path in the call-graph report\n' >&2
    failed=1
  elif ((depth > path_bound)); then
    printf '!! deepest call chain needs %s bytes, over the bound of %s\n' "$depth" "$path_bound" >&2
    failed=1
  else
    say "deepest call chain: $depth bytes; bound $path_bound"
  fi
else
  say "no gcc >= 12 with -fcallgraph-info: deepest path not computed"
fi

[[ $failed == 0 ]] || die "stack use is over its bounds"
say "ok: every frame is static or bounded, none over $frame_bound bytes"
