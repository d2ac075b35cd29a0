#!/usr/bin/env bash
# ci/main.sh - README command 1: set-up, then the main job, the conformance
# run of the vectors against the implementations (ci/conformance.sh).
set -euo pipefail
# shellcheck source=ci/lib.sh
source "$(dirname "$0")/lib.sh"
cd "$MTASTS_ROOT"

bash ci/setup.sh
if [[ -f ci/conformance.sh ]]; then
  bash ci/conformance.sh
else
  say "ci/conformance.sh is not there yet: the conformance runner has not landed."
  say "Running what exists instead: the unit tests (RFC 8461/8460 examples included)."
  bash ci/build_test.sh gcc
fi
