#!/usr/bin/env bash
# check_world.sh MTASTS - `mtasts check` against the loopback world of check_world.json
# (conformance/world/): the outputs recorded in check_samples/ are exactly today's.
# Needs root and the world's packages; exits 77 (skipped) without them or when check is
# not built (no OpenSSL). Re-record: see record_check_samples.sh.
set -uo pipefail
mtasts=${1:?usage: $0 MTASTS}
mtasts=$(realpath "$mtasts")
source "$(dirname "$0")/world_samples.sh"
world_samples_check "$mtasts" check cli/tests/check_world.json cli/tests/record_check_samples.sh \
  cli/tests/check_samples
