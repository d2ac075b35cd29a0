#!/usr/bin/env bash
# record_resolve_samples.sh MTASTS [OUT_DIR] - record `mtasts --json resolve`
# outputs in the scenario world, for validate_json.py (resolve needs DNS and
# HTTPS, which the golden tests do not have). Run it inside phase 0 of the
# scenarios' world, as root:
#
#   /usr/bin/python3 conformance/world/world.py shell \
#     --scenarios vectors/scenarios/scenarios.json --phase 0 -- \
#     bash cli/tests/record_resolve_samples.sh "$PWD/build/cli/mtasts"
#
# The clock is given (--now), so a recording differs from the last one only
# where the world or the command changed. Review the diff before committing.
set -euo pipefail

mtasts=${1:?usage: $0 MTASTS [OUT_DIR]}
out=${2:-$(cd "$(dirname "$0")" && pwd)/resolve_samples}
: "${SSL_CERT_FILE:?run this inside the world (world.py shell): SSL_CERT_FILE is not set}"
work=/tmp/mtasts-samples # a fixed path: it shows in the samples
cache=$work/cache
# Two recordings at once (the tests of two checkouts) must not share that
# directory: each runs in a mount namespace of its own, with a tmpfs there.
if [[ -z ${MTASTS_SAMPLES_NS:-} ]]; then
  MTASTS_SAMPLES_NS=1 exec unshare --mount --propagation private bash "$0" "$@"
fi
mkdir -p "$work" "$out"
mount -t tmpfs -o size=16m mtasts-samples "$work"
cd "$work"

record() {
  local name=$1
  shift
  "$mtasts" --json resolve --ca-file "$SSL_CERT_FILE" --timeout 5 "$@" >"$out/$name.json"
  echo "recorded $name"
}

# A policy fetched and stored, then found in the cache, then expired and
# fetched again, then refreshed before it expires.
record enforce_new --cache-dir $cache --now 1796083200 --mx mx1.s01.world.test \
  --mx a.backup.s01.world.test --mx evil.world.test s01.world.test
record enforce_cached --cache-dir $cache --now 1796086800 --mx mx1.s01.world.test s01.world.test
record enforce_expired_refetched --cache-dir $cache --now 1797000000 s01.world.test
record refresh --cache-dir $cache --now 1797090000 --refresh 3600 s01.world.test
# A refresh that cannot connect: the valid cached policy applies (H9).
record refresh_failed_cached --cache-dir $cache --now 1797090100 --refresh 60 --port 1 \
  --mx mx1.s01.world.test s01.world.test
record no_cache_dir --now 1796083200 s02.world.test
record mode_none --cache-dir $cache --now 1796083200 --mx mx1.s03.world.test s03.world.test
# Discovery outcomes.
record dns_error --cache-dir $cache --now 1796083200 s12.world.test
record invalid_record --now 1796083200 s09.world.test
record two_records --now 1796083200 s08.world.test
record no_record --now 1796083200 s04.world.test
# Fetch failures, and the back-off after one (H6).
record http_404 --cache-dir $cache --now 1796083200 s16.world.test
record status_503 --cache-dir $cache --now 1796083200 s60.world.test
record deferred --cache-dir $cache --now 1796083300 s60.world.test
record webpki_expired --now 1796083200 s34.world.test
record policy_invalid --now 1796083200 s28.world.test
record too_large --now 1796083200 s26.world.test
# The body takes 12 s whatever the load, so the 5 s timeout always ends it while reading the
# response; a shorter one could end a slow connect or handshake on a loaded machine instead.
record slow_timeout --now 1796083200 s27.world.test
# A corrupt cache file is ignored with a warning.
printf 'mtasts-cache 1\ndomain: s02.world.test\nend' >$cache/s02.world.test
record corrupt_cache --cache-dir $cache --now 1796083200 s02.world.test 2>/dev/null
# A cached policy survives a missing TXT record (RFC 8461 3.1).
body=$'version: STSv1\nmode: enforce\nmx: mx1.s04.world.test\nmax_age: 86400\n'
printf 'mtasts-cache 1\ndomain: s04.world.test\npolicy-id: old1\npolicy-fetched-at: 1796080000\n%s%d\n%s\nend\n' \
  $'policy-max-age: 86400\npolicy-mode: enforce\npolicy-body: ' ${#body} "$body" >$cache/s04.world.test
record discovery_failed_cached --cache-dir $cache --now 1796083200 --mx mx1.s04.world.test \
  --mx other.s04.world.test s04.world.test
# An MX with an expired certificate under enforce, and one outside the policy (RFC 8461 4, 5).
record starttls_enforce --now 1796083200 --starttls --mx mx1.s63.world.test \
  --mx mx.other-s63.world.test s63.world.test
# Under testing: delivered, and reported.
record starttls_testing --now 1796083200 --starttls --mx mx1.s70.world.test s70.world.test
