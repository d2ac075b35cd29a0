#!/usr/bin/env bash
# resolve_samples_check.sh MTASTS - the recorded `mtasts --json resolve` outputs of
# resolve_samples/ (which validate_json.py checks against the schema) are exactly what
# the command prints today in phase 0 of the scenarios' world: they cannot go stale.
# Needs root and the world's packages (conformance/world/); exits 77 (skipped) without
# them or when `resolve` is not built (no OpenSSL).
set -uo pipefail
mtasts=${1:?usage: $0 MTASTS}
mtasts=$(realpath "$mtasts")
source "$(dirname "$0")/world_samples.sh"
world_samples_check "$mtasts" resolve vectors/scenarios/scenarios.json \
  cli/tests/record_resolve_samples.sh cli/tests/resolve_samples
