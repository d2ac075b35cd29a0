#!/usr/bin/env bash
# resolve_samples_check.sh MTASTS - the recorded `mtasts --json resolve` outputs of
# resolve_samples/ (which validate_json.py checks against the schema) are exactly what
# the command prints today in phase 0 of the scenarios' world: they cannot go stale.
# Needs root and the world's packages (conformance/world/); exits 77 (skipped) without
# them or when `resolve` is not built (no OpenSSL).
set -uo pipefail
mtasts=${1:?usage: $0 MTASTS}
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root" || exit 2
[[ $(id -u) == 0 ]] || { echo "skipped: needs root (network namespace)"; exit 77; }
for tool in ip dnsmasq nginx openssl; do
  command -v "$tool" >/dev/null || { echo "skipped: $tool is not installed"; exit 77; }
done
"$mtasts" resolve --help >/dev/null 2>&1 || { echo "skipped: resolve is not built"; exit 77; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
if ! PYTHONDONTWRITEBYTECODE=1 /usr/bin/python3 conformance/world/world.py shell \
  --scenarios vectors/scenarios/scenarios.json --phase 0 -- \
  bash cli/tests/record_resolve_samples.sh "$mtasts" "$out" >"$out.log" 2>&1; then
  cat "$out.log"
  rm -f "$out.log"
  exit 1
fi
rm -f "$out.log"
if ! diff -ru cli/tests/resolve_samples "$out"; then
  echo "resolve_samples/ differ from today's output (above); re-record them (see record_resolve_samples.sh)"
  exit 1
fi
echo "$(ls "$out" | wc -l) resolve samples are today's output"
