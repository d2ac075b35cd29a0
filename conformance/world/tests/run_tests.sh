#!/usr/bin/env bash
# conformance/world/tests/run_tests.sh [PART...] - the tests of the loopback world and the
# scenario driver. PART: check (world.py check), units, cli, driver, e2e, mta (the MTA driver
# run_mta.py with scripted MTAs, and mta.json's generator); default: all.
#
# Every part but `units` makes network namespaces and runs dnsmasq and nginx, so it needs
# root and the packages of ci/packages.txt; without them those parts are skipped with the
# reason, and the script exits 77 (ctest SKIP_RETURN_CODE) if nothing else ran.
# The last line is "world: N passed, N failed" (", N skipped" when some were).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
cd "$root" || exit 2
python=/usr/bin/python3
export PYTHONDONTWRITEBYTECODE=1 # no __pycache__ in the source tree

parts=("$@")
[[ ${#parts[@]} -gt 0 ]] || parts=(check units cli driver e2e mta)

missing=()
[[ $(id -u) == 0 ]] || missing+=("root")
for tool in ip dnsmasq nginx openssl; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done

passed=0
failed=0
skipped=0
for part in "${parts[@]}"; do
  case $part in
  check) cmd=("$python" conformance/world/world.py check) ;;
  units) cmd=("$python" -B -m unittest -v conformance/world/tests/test_units.py) ;;
  cli) cmd=("$python" -B -m unittest -v conformance/world/tests/test_world_cli.py) ;;
  driver) cmd=("$python" -B -m unittest -v conformance/world/tests/test_driver.py) ;;
  e2e) cmd=("$python" -B -m unittest -v conformance/world/tests/test_end_to_end.py) ;;
  mta) cmd=("$python" -B -m unittest -v conformance/world/tests/test_mta.py) ;;
  *)
    echo "run_tests.sh: unknown part $part (check, units, cli, driver, e2e, mta)" >&2
    exit 2
    ;;
  esac
  if [[ $part != units && ${#missing[@]} -gt 0 ]]; then
    echo "== $part: SKIPPED (missing: ${missing[*]})"
    skipped=$((skipped + 1))
    continue
  fi
  echo "== $part: ${cmd[*]}"
  start=$SECONDS
  if "${cmd[@]}"; then
    passed=$((passed + 1))
    echo "== $part: passed in $((SECONDS - start)) s"
  else
    failed=$((failed + 1))
    echo "== $part: FAILED in $((SECONDS - start)) s"
  fi
done

if [[ $skipped -gt 0 ]]; then
  echo "world: $passed passed, $failed failed, $skipped skipped"
else
  echo "world: $passed passed, $failed failed"
fi
[[ $failed == 0 ]] || exit 1
[[ $passed -gt 0 || $skipped == 0 ]] || exit 77
exit 0
