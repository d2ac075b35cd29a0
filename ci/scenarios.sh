#!/usr/bin/env bash
# ci/scenarios.sh [driver options...] - the whole-resolver scenarios of vectors/scenarios/
# in the loopback test world of conformance/world/:
#   1. checks that what the world needs is there (root, ip, dnsmasq, nginx, openssl,
#      /usr/bin/python3); ci/setup.sh installs it, this script installs nothing;
#   2. builds what our resolve adapter needs (target mtasts_cli: `mtasts resolve`);
#   3. world.py check: the world's DNS and HTTPS servers answer as the scenarios need;
#   4. run_scenarios.py, in a fresh network namespace it makes and removes: every scenario
#      through every resolve adapter of conformance/impls.json, the matrix and the
#      scenario table printed; results in $BUILD_DIR/scenario-report/ (scenario-results.json,
#      each adapter's stderr, the world's logs), whose reports mtasts-conformance renders
#      with the vectors' (ci/conformance.sh).
#   5. run_mta.py (MTA_SCENARIOS=0 skips it): the MTA scenarios of vectors/scenarios/mta.json
#      through the real MTAs of conformance/world/mtas.json (Postfix + postfix-mta-sts-resolver,
#      chasquid, Exim extracted by conformance/adapters/exim/setup.sh), judged on what the
#      world's MX hosts received; the MTA matrix printed, results in $BUILD_DIR/mta-report/
#      (rendered by ci/conformance.sh into $BUILD_DIR/mta-conformance-report/).
#
# Exit status: 1 when the world check fails; otherwise the drivers': 1 when our own resolver
# ("own" in impls.json) fails or errors on a scenario, 2 on a usage or configuration error or
# when the world cannot start, 0 otherwise. External implementations never fail it; one that
# is not installed is skipped.
# Environment: BUILD_DIR (default build; relative to the repository root, or absolute).
# Extra arguments go to the driver (e.g. --only mtasts, --timeout 60).
set -euo pipefail
# shellcheck source=ci/lib.sh
source "$(dirname "$0")/lib.sh"
cd "$MTASTS_ROOT"

build=${BUILD_DIR:-build}
[[ $build == /* ]] || build="$MTASTS_ROOT/$build"
python=/usr/bin/python3

missing=()
[[ $(id -u) == 0 ]] || missing+=("root (the world lives in a network namespace)")
[[ -x $python ]] || missing+=("$python (package python3)")
for tool_package in ip:iproute2 dnsmasq:dnsmasq-base nginx:nginx openssl:openssl; do
  command -v "${tool_package%%:*}" >/dev/null ||
    missing+=("${tool_package%%:*} (package ${tool_package#*:})")
done
[[ ${#missing[@]} == 0 ]] ||
  die "missing: ${missing[*]}. Run ci/setup.sh, which installs ci/packages.txt."

say "configure $build"
mkdir -p "$build"
cmake -S "$MTASTS_ROOT" -B "$build" >"$build/scenarios-configure.log" 2>&1 || {
  cat "$build/scenarios-configure.log"
  die "configure of $build failed"
}
# The list first: `grep -q` would end the pipe early and pipefail would see cmake's SIGPIPE.
targets=$(cmake --build "$build" --target help 2>/dev/null || true)
if grep -qw mtasts_cli <<<"$targets"; then
  say "build mtasts_cli (our resolve adapter runs \`mtasts resolve\`)"
  cmake --build "$build" -j "$MTASTS_JOBS" --target mtasts_cli
else
  say "no target mtasts_cli in $build: our resolve adapter will say what is missing"
fi
if grep -qw mtasts-daemon <<<"$targets"; then
  say "build mtasts-daemon (the MTA reference row: Postfix + mtasts-daemon)"
  cmake --build "$build" -j "$MTASTS_JOBS" --target mtasts-daemon
fi

say "world check (conformance/world/world.py check)"
"$python" conformance/world/world.py check 2>&1 | indent ||
  die "the world does not behave as the scenarios need (see above)"

say "scenarios: conformance/world/run_scenarios.py"
# In the background so that a SIGINT/SIGTERM of this script reaches the driver, which then
# removes its namespace and everything in it.
"$python" conformance/world/run_scenarios.py --root "$MTASTS_ROOT" --build "$build" \
  --out "$build/scenario-report" "$@" &
driver=$!
trap 'kill -TERM "$driver" 2>/dev/null || true; wait "$driver" || true; exit 143' INT TERM
status=0
wait "$driver" || status=$?
trap - INT TERM

[[ ${MTA_SCENARIOS:-1} == 0 ]] && exit "$status"
say "MTA scenarios: vectors/scenarios/mta.json x real MTAs (conformance/world/mtas.json)"
# Exim conflicts with Postfix as a package: extracted into the build tree, never installed.
bash conformance/adapters/exim/setup.sh "$build" 2>&1 | indent || true
"$python" conformance/world/run_mta.py --root "$MTASTS_ROOT" --build "$build" \
  --out "$build/mta-report" &
driver=$!
trap 'kill -TERM "$driver" 2>/dev/null || true; wait "$driver" || true; exit 143' INT TERM
mta_status=0
wait "$driver" || mta_status=$?
trap - INT TERM
# MTAs are external implementations: their fails are findings. Only a driver that could not
# run (2: usage, or no world) fails this script.
[[ $mta_status == 0 ]] || status=$mta_status
exit "$status"
