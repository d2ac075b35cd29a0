#!/usr/bin/env bash
# ci/mutate.sh [ci/mutate.py options] - mutation testing of the parser, the
# engine, the readers of untrusted bytes and the report reader against the
# project's own fast tests (ci/mutate.py: operators, groups, the score).
# Slow (about an hour per group on two cores), so not part of ci/test.sh.
# With no argument, every group; the reports go to build-mutate/
# (summary.md, <group>.json).
set -euo pipefail
# shellcheck source=ci/lib.sh
source "$(dirname "$0")/lib.sh"
cd "$MTASTS_ROOT"

if [[ $# == 0 ]]; then
  set -- --group parser --group engine --group readers --group report
fi
exec python3 ci/mutate.py "$@"
