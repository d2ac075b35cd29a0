#!/usr/bin/env bash
# record_check_samples.sh MTASTS [OUT_DIR] - record `mtasts check` (text and --json) for
# each domain of check_world.json, inside that world (run by check_world.sh, as root):
#
#   /usr/bin/python3 conformance/world/world.py shell \
#     --scenarios cli/tests/check_world.json --phase 0 -- \
#     bash cli/tests/record_check_samples.sh "$PWD/build/cli/mtasts"
#
# Each sample is the command, its exit status, then its output. Review the diff before
# committing a new recording.
set -euo pipefail
mtasts=${1:?usage: $0 MTASTS [OUT_DIR]}
out=${2:-$(cd "$(dirname "$0")" && pwd)/check_samples}
: "${SSL_CERT_FILE:?run this inside the world (world.py shell): SSL_CERT_FILE is not set}"
mkdir -p "$out"
record() {
  local name=$1
  shift
  local status=0
  {
    echo "\$ mtasts $*"
    "$mtasts" "$@" --ca-file "$SSL_CERT_FILE" --timeout 5 >"$out/$name.tmp" 2>&1 || status=$?
    echo "[exit $status]"
    cat "$out/$name.tmp"
  } >"$out/$name.out"
  rm -f "$out/$name.tmp"
  echo "recorded $name"
}
for d in c1 c2 c3 c4 c5; do
  record "$d" check "$d.world.test"
  record "${d}_json" --json check "$d.world.test"
done
