#!/usr/bin/env bash
# daemon/bench/socketmap.sh BUILD OUT [SECONDS] [DOMAINS] - the socketmap
# benchmark of ci/bench.sh (bench/README.md, "mtasts-daemon"): cached
# lookups over a Unix socket at 1, 16 and 64 closed-loop clients, for
# mtasts-daemon (BUILD/daemon) and postfix-mta-sts-resolver's mta-sts-daemon
# (Debian package) in the same run, each with DOMAINS (default 100000)
# policies in its cache; lookups/s, p50/p99, the daemon's RSS and the ratios.
#
# Both caches are written before the daemon starts (the resolver's files,
# the package's sqlite table), every policy fresh, so no lookup needs the
# network; the script runs in a network namespace of its own (unshare -rn)
# so that none can reach it either. mtasts-daemon's memory cache is filled
# by asking for every domain once (from its disk cache) before the timing;
# the package reads its sqlite cache on every lookup, as it always does.
# Prints SOCKETMAP, SOCKETMAP_RSS and SOCKETMAP_RATIO lines (ci/bench.sh keeps
# them in OUT/socketmap.txt); the daemons' files stay in OUT/socketmap/.
# Exit 77 when it cannot run here (no unshare, no libevent build).
set -euo pipefail
build=$1 out=$2 seconds=${3:-3} domains=${4:-100000}
daemon=$build/daemon/mtasts-daemon
load=$build/daemon/mtasts-socketmap-load
peer=/usr/bin/mta-sts-daemon
suffix=.bench.example

if [[ ${MTASTS_SOCKETMAP_NS:-} != 1 ]]; then
  [[ -x $daemon && -x $load ]] || { echo "SKIP socketmap: $daemon or $load not built (libevent?)"; exit 77; }
  unshare -rn true 2>/dev/null || { echo "SKIP socketmap: no user network namespace (unshare -rn)"; exit 77; }
  MTASTS_SOCKETMAP_NS=1 exec unshare -rn bash "$0" "$@"
fi

work=$out/socketmap
rm -rf "$work"
mkdir -p "$work/cache"
now=$(date +%s)
# The same policy for every domain: enforce, two mx patterns.
python3 - "$work" "$domains" "$suffix" "$now" <<'EOF'
import json, os, sqlite3, sys
work, n, suffix, now = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
db = sqlite3.connect(os.path.join(work, "peer.sqlite"))
db.execute("create table sts_policy_cache (domain text, ts integer, pol_id text, pol_body text)")
db.execute("create unique index sts_policy_domain on sts_policy_cache (domain)")
db.execute("create index sts_policy_domain_ts on sts_policy_cache (domain, ts)")
rows = []
for i in range(n):
    d = "d%d%s" % (i, suffix)
    mx = ["mx1." + d, "*." + d]
    body = "version: STSv1\nmode: enforce\nmx: %s\nmx: %s\nmax_age: 604800\n" % tuple(mx)
    with open(os.path.join(work, "cache", d), "w") as f:
        f.write("mtasts-cache 1\ndomain: %s\npolicy-id: 20260101\npolicy-fetched-at: %d\n"
                "policy-max-age: 604800\npolicy-mode: enforce\npolicy-body: %d\n%s\nend\n"
                % (d, now, len(body), body))
    rows.append((d, now, "20260101",
                 json.dumps({"version": "STSv1", "mode": "enforce", "mx": mx, "max_age": 604800})))
db.executemany("insert into sts_policy_cache values (?, ?, ?, ?)", rows)
db.commit()
EOF

wait_socket() {
  for _ in $(seq 100); do
    [[ -S $1 ]] && return 0
    kill -0 "$2" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

# measure IMPL PID SOCKET: the three concurrencies, then the RSS line.
measure() {
  local impl=$1 pid=$2 sock=$3 c
  for c in 1 16 64; do
    "$load" --impl "$impl" --pid "$pid" --socket "$sock" --clients "$c" --domains "$domains" \
      --suffix "$suffix" --seconds "$seconds"
  done
  echo "SOCKETMAP_RSS impl=$impl domains=$domains rss_kb=$(rss_kb "$pid")"
}

run_ours() {
  cat >"$work/mtasts-daemon.conf" <<EOF
listen = $work/ours.sock
cache_dir = $work/cache
cache_entries = $domains
disk_entries = $domains
EOF
  "$daemon" -c "$work/mtasts-daemon.conf" 2>"$work/ours.log" &
  local pid=$!
  wait_socket "$work/ours.sock" "$pid" || { cat "$work/ours.log"; return 1; }
  "$load" --once --socket "$work/ours.sock" --clients 64 --domains "$domains" --suffix "$suffix"
  measure mtasts-daemon "$pid" "$work/ours.sock"
  kill "$pid"
  wait "$pid" || true
}

run_peer() {
  if [[ ! -x $peer ]]; then
    echo "SKIP socketmap postfix-mta-sts-resolver: $peer is not installed (ci/setup.sh)"
    return 0
  fi
  # The adapter's settings (conformance/adapters/postfix-mta-sts-resolver),
  # on a Unix socket, with a grace period that keeps the written cache fresh.
  cat >"$work/peer.yml" <<EOF
{"path": "$work/peer.sock", "mode": 438, "cache_grace": 86400, "shutdown_timeout": 1,
 "cache": {"type": "sqlite", "options": {"filename": "$work/peer.sqlite"}},
 "default_zone": {"timeout": 4, "strict_testing": false, "require_sni": true},
 "proactive_policy_fetching": {"enabled": false}}
EOF
  "$peer" -c "$work/peer.yml" -v warn -l "$work/peer.log" &
  local pid=$!
  wait_socket "$work/peer.sock" "$pid" || { cat "$work/peer.log"; return 1; }
  measure postfix-mta-sts-resolver "$pid" "$work/peer.sock"
  kill "$pid"
  wait "$pid" || true
}

{
  run_ours
  run_peer
} | tee "$work/lines.txt"
# The ratios, per concurrency (each a figure of this run): our lookups/s over
# the package's, its p99 over ours, its CPU time per lookup over ours.
awk '
  $1 == "SOCKETMAP" { delete f; for (i = 2; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
                      k = f["impl"] SUBSEP f["clients"]; conc[f["clients"]] = 1
                      rate[k] = f["per_sec"]; p99[k] = f["p99_us"]; cpu[k] = f["cpu_us_per_lookup"] }
  END { ours = "mtasts-daemon"; peer = "postfix-mta-sts-resolver"
        for (c in conc) if (((peer, c) in rate) && rate[peer, c] > 0 && rate[ours, c] > 0)
          printf "SOCKETMAP_RATIO clients=%s throughput_x=%.1f p99_x=%.1f cpu_x=%.1f\n", c,
            rate[ours, c] / rate[peer, c], p99[peer, c] / (p99[ours, c] > 0 ? p99[ours, c] : 1),
            (cpu[ours, c] > 0 ? cpu[peer, c] / cpu[ours, c] : 0) }
' "$work/lines.txt" | sort -t= -k2 -n
