#!/usr/bin/env bash
# check_world.sh MTASTS - `mtasts check` against the loopback world of check_world.json
# (conformance/world/): the outputs recorded in check_samples/ are exactly today's.
# Needs root and the world's packages; exits 77 (skipped) without them or when check is
# not built (no OpenSSL). Re-record: see record_check_samples.sh.
set -uo pipefail
mtasts=${1:?usage: $0 MTASTS}
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root" || exit 2
[[ $(id -u) == 0 ]] || { echo "skipped: needs root (network namespace)"; exit 77; }
for tool in ip dnsmasq nginx openssl; do
  command -v "$tool" >/dev/null || { echo "skipped: $tool is not installed"; exit 77; }
done
"$mtasts" check --help >/dev/null 2>&1 || { echo "skipped: check is not built"; exit 77; }
out=$(mktemp -d)
trap 'rm -rf "$out" "$out.log"' EXIT
if ! PYTHONDONTWRITEBYTECODE=1 /usr/bin/python3 conformance/world/world.py shell \
  --scenarios cli/tests/check_world.json --phase 0 -- \
  bash cli/tests/record_check_samples.sh "$mtasts" "$out" >"$out.log" 2>&1; then
  cat "$out.log"
  exit 1
fi
if ! diff -ru cli/tests/check_samples "$out"; then
  echo "check_samples/ differ from today's output (above); re-record them (record_check_samples.sh)"
  exit 1
fi
echo "$(find "$out" -type f | wc -l) check samples are today's output"
