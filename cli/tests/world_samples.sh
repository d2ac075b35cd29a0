# world_samples.sh - sourced by check_world.sh and resolve_samples_check.sh: run a
# recorder of samples inside phase 0 of a loopback world (conformance/world/) and
# compare what it writes with the recorded samples, so that they cannot go stale.

# world_samples_check MTASTS SUBCOMMAND SCENARIOS RECORDER SAMPLES
# SCENARIOS, RECORDER and SAMPLES are paths from the repository's root; exits 77
# (skipped) without root, the world's packages or SUBCOMMAND (built without OpenSSL).
world_samples_check() {
  local mtasts=$1 subcommand=$2 scenarios=$3 recorder=$4 samples=$5
  cd "$(dirname "${BASH_SOURCE[0]}")/../.." || exit 2
  [[ $(id -u) == 0 ]] || { echo "skipped: needs root (network namespace)"; exit 77; }
  for tool in ip dnsmasq nginx openssl; do
    command -v "$tool" >/dev/null || { echo "skipped: $tool is not installed"; exit 77; }
  done
  "$mtasts" "$subcommand" --help >/dev/null 2>&1 || {
    echo "skipped: $subcommand is not built"
    exit 77
  }
  out=$(mktemp -d)
  trap 'rm -rf "$out" "$out.log"' EXIT
  if ! PYTHONDONTWRITEBYTECODE=1 /usr/bin/python3 conformance/world/world.py shell \
    --scenarios "$scenarios" --phase 0 -- \
    bash "$recorder" "$mtasts" "$out" >"$out.log" 2>&1; then
    cat "$out.log"
    exit 1
  fi
  if ! diff -ru "$samples" "$out"; then
    echo "$(basename "$samples")/ differ from today's output (above); re-record them (see $(basename "$recorder"))"
    exit 1
  fi
  echo "$(find "$out" -type f | wc -l) $subcommand samples are today's output"
}
