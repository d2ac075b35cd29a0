#!/usr/bin/env bash
# daemon/bench/socketmap.sh BUILD OUT [SECONDS] [DOMAINS] [UNCACHED] - the
# socketmap benchmark of ci/bench.sh (bench/README.md, "mtasts-daemon"), for
# mtasts-daemon (BUILD/daemon) and postfix-mta-sts-resolver's mta-sts-daemon
# (Debian package) in the same run, over a Unix socket, with the host's
# floor beside them: mtasts-socketmap-floor (BUILD/daemon, impl "floor"), a
# socketmap server that answers every request with the same reply and does
# no other work, so what it reaches is what any server reaches here:
#   cached: each daemon with DOMAINS (default 100000) policies in its cache,
#     1, 16 and 64 closed-loop clients for SECONDS each, then 64 clients
#     in an open loop at fixed rates (RATES_BOTH for both, RATES_OURS for
#     mtasts-daemon only); lookups/s, p50/p99, the daemon's RSS; the floor
#     the same, at every rate of both lists, without the RSS (it holds no
#     domains);
#   uncached: UNCACHED (default 1000) domains, each asked once, at 1, 16
#     and 64 clients, a freshly started daemon with an empty cache for each,
#     its DNS and HTTPS served by fixture.sh (root only: dnsmasq and nginx);
# and the ratios of each pair, and mtasts-daemon's share of the floor.
#
# Both caches are written before the daemon starts (the resolver's files,
# the package's sqlite table), every policy fresh, so no lookup needs the
# network; the script runs in a network namespace of its own (unshare -rn)
# so that none can reach it either. mtasts-daemon's memory cache is filled
# by asking for every domain once (from its disk cache) before the timing;
# the package reads its sqlite cache on every lookup, as it always does.
# Prints SOCKETMAP, SOCKETMAP_RSS, SOCKETMAP_RATIO and SOCKETMAP_FLOOR lines
# (ci/bench.sh keeps them in OUT/socketmap.txt); the daemons' files stay in
# OUT/socketmap/.
# Exit 77 when it cannot run here (no unshare, no libevent build).
set -euo pipefail
build=$1 out=$2 seconds=${3:-3} domains=${4:-100000} uncached=${5:-1000}
daemon=$build/daemon/mtasts-daemon
load=$build/daemon/mtasts-socketmap-load
floor=$build/daemon/mtasts-socketmap-floor
peer=/usr/bin/mta-sts-daemon
suffix=.bench.example
usuffix=.unc.example
rates_both=${RATES_BOTH:-500}
rates_ours=${RATES_OURS:-5000 20000}

# Root gets network and mount namespaces (the fixture's servers and its
# /etc/resolv.conf); anyone else a user namespace, cached lookups only.
if [[ ${MTASTS_SOCKETMAP_NS:-} != 1 ]]; then
  [[ -x $daemon && -x $load && -x $floor ]] ||
    { echo "SKIP socketmap: $daemon, $load or $floor not built (libevent?)"; exit 77; }
  ns=(-rn) root=0
  [[ $(id -u) == 0 ]] && ns=(-mn) root=1
  unshare "${ns[@]}" true 2>/dev/null || { echo "SKIP socketmap: no network namespace (unshare ${ns[*]})"; exit 77; }
  # Inside, id -u is 0 either way: MTASTS_SOCKETMAP_ROOT tells which.
  MTASTS_SOCKETMAP_NS=1 MTASTS_SOCKETMAP_ROOT=$root exec unshare "${ns[@]}" bash "$0" "$@"
fi
# shellcheck source=daemon/bench/fixture.sh
source "$(dirname "$0")/fixture.sh"

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
# rss PID: resident kB in all, and of it anonymous (heap, stacks) and file
# (mapped libraries and files) memory.
rss() {
  awk '/^Rss:/ { r = $2 } /^Anonymous:/ { a = $2 }
       END { printf "rss_kb=%d anon_kb=%d file_kb=%d", r, a, r - a }' "/proc/$1/smaps_rollup"
}
loadavg() { echo "SOCKETMAP_LOAD at=$1 loadavg=$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' /)"; }

# measure IMPL PID SOCKET RATES: the three closed-loop concurrencies, the RSS
# line (not for the floor), then 64 clients at each of RATES per second (open
# loop).
measure() {
  local impl=$1 pid=$2 sock=$3 rates=$4 c r
  for c in 1 16 64; do
    "$load" --impl "$impl" --pid "$pid" --socket "$sock" --clients "$c" --domains "$domains" \
      --suffix "$suffix" --seconds "$seconds"
  done
  [[ $impl == floor ]] || echo "SOCKETMAP_RSS impl=$impl domains=$domains $(rss "$pid")"
  for r in $rates; do
    "$load" --impl "$impl" --pid "$pid" --socket "$sock" --clients 64 --domains "$domains" \
      --suffix "$suffix" --seconds "$seconds" --rate "$r" --kind open
  done
}

# The floor: no cache, so no warm-up.
run_floor() {
  "$floor" --socket "$work/floor.sock" 2>"$work/floor.log" &
  local pid=$!
  wait_socket "$work/floor.sock" "$pid" || { cat "$work/floor.log"; return 1; }
  measure floor "$pid" "$work/floor.sock" "$rates_both $rates_ours"
  kill "$pid"
  wait "$pid" || true
}

# The cache holds each answer with its DANE outcome (lookup.c), but the
# written files have none, and this namespace has no DNS to ask: dane = no,
# so the warm-up reads the files only (the package does no DANE at all).
run_ours() {
  cat >"$work/mtasts-daemon.conf" <<EOF
listen = $work/ours.sock
cache_dir = $work/cache
cache_entries = $domains
disk_entries = $domains
dane = no
EOF
  "$daemon" -c "$work/mtasts-daemon.conf" 2>"$work/ours.log" &
  local pid=$!
  wait_socket "$work/ours.sock" "$pid" || { cat "$work/ours.log"; return 1; }
  "$load" --once --socket "$work/ours.sock" --clients 64 --domains "$domains" --suffix "$suffix"
  measure mtasts-daemon "$pid" "$work/ours.sock" "$rates_both $rates_ours"
  kill "$pid"
  wait "$pid" || true
}

# peer_config PREFIX EXTRA: the adapter's settings
# (conformance/adapters/postfix-mta-sts-resolver) on the Unix socket
# PREFIX.sock with the cache PREFIX.sqlite; the cached run's EXTRA is a grace
# period that keeps the written cache fresh.
peer_config() {
  cat <<EOF
{"path": "$1.sock", "mode": 438, $2"shutdown_timeout": 1,
 "cache": {"type": "sqlite", "options": {"filename": "$1.sqlite"}},
 "default_zone": {"timeout": 4, "strict_testing": false, "require_sni": true},
 "proactive_policy_fetching": {"enabled": false}}
EOF
}

run_peer() {
  if [[ ! -x $peer ]]; then
    echo "SKIP socketmap postfix-mta-sts-resolver: $peer is not installed (ci/setup.sh)"
    return 0
  fi
  peer_config "$work/peer" '"cache_grace": 86400, ' >"$work/peer.yml"
  "$peer" -c "$work/peer.yml" -v warn -l "$work/peer.log" &
  local pid=$!
  wait_socket "$work/peer.sock" "$pid" || { cat "$work/peer.log"; return 1; }
  measure postfix-mta-sts-resolver "$pid" "$work/peer.sock" "$rates_both"
  kill "$pid"
  wait "$pid" || true
}

# uncached IMPL CLIENTS: a daemon started with an empty cache, every fixture
# domain asked once.
uncached() {
  local impl=$1 c=$2 dir=$work/uncached/$1-$2 pid
  mkdir -p "$dir/cache" "$dir/empty"
  if [[ $impl == mtasts-daemon ]]; then
    printf 'listen = %s\ncache_dir = %s\nca_file = %s\ntimeout = 4\n' "$dir/s.sock" "$dir/cache" \
      "$work/fixture/ca.crt" >"$dir/mtasts-daemon.conf"
    "$daemon" -c "$dir/mtasts-daemon.conf" 2>"$dir/log" &
  else
    peer_config "$dir/s" "" >"$dir/peer.yml"
    SSL_CERT_FILE=$work/fixture/ca.crt SSL_CERT_DIR=$dir/empty \
      "$peer" -c "$dir/peer.yml" -v warn -l "$dir/log" &
  fi
  pid=$!
  wait_socket "$dir/s.sock" "$pid" || { cat "$dir/log"; return 1; }
  "$load" --each --kind uncached --impl "$impl" --pid "$pid" --socket "$dir/s.sock" \
    --clients "$c" --domains "$uncached" --suffix "$usuffix" || { cat "$dir/log"; return 1; }
  kill "$pid"
  wait "$pid" || true
}

run_uncached() {
  if [[ ${MTASTS_SOCKETMAP_ROOT:-0} != 1 ]]; then
    echo "SKIP socketmap uncached: the fixture's servers need root (dnsmasq, nginx)"
    return 0
  fi
  mkdir -p "$work/fixture"
  trap fixture_stop EXIT
  fixture_start "$work/fixture" "$uncached" "$usuffix"
  local c impls=(mtasts-daemon)
  [[ -x $peer ]] && impls+=(postfix-mta-sts-resolver)
  for c in 1 16 64; do
    for impl in "${impls[@]}"; do uncached "$impl" "$c"; done
  done
  fixture_stop
}

{
  loadavg start
  run_floor
  run_ours
  run_peer
  run_uncached
  loadavg end
} | tee "$work/lines.txt"
# The ratios, per kind, concurrency and offered rate (each a figure of this
# run): our lookups/s over the package's, its p99 over ours, its CPU time per
# lookup over ours (SOCKETMAP_RATIO); our lookups/s over the floor's, both
# p99s, and the floor's lookups/s over the package's, the most any server
# could have over it here (SOCKETMAP_FLOOR).
awk '
  $1 == "SOCKETMAP" { delete f; for (i = 2; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
                      g = "kind=" f["kind"] " clients=" f["clients"] (f["rate"] == "" ? "" : " rate=" f["rate"])
                      k = f["impl"] SUBSEP g; group[g] = 1
                      rate[k] = f["per_sec"]; p99[k] = f["p99_us"]; cpu[k] = f["cpu_us_per_lookup"] }
  END { ours = "mtasts-daemon"; peer = "postfix-mta-sts-resolver"; fl = "floor"
        for (g in group) if (((peer, g) in rate) && rate[peer, g] > 0 && rate[ours, g] > 0)
          printf "SOCKETMAP_RATIO %s throughput_x=%.1f p99_x=%.1f cpu_x=%.1f\n", g,
            rate[ours, g] / rate[peer, g], p99[peer, g] / (p99[ours, g] > 0 ? p99[ours, g] : 1),
            (cpu[ours, g] > 0 ? cpu[peer, g] / cpu[ours, g] : 0)
        for (g in group) if (((fl, g) in rate) && ((ours, g) in rate) && rate[fl, g] > 0) {
          printf "SOCKETMAP_FLOOR %s ours_of_floor=%.2f p99_floor_us=%d p99_ours_us=%d", g,
            rate[ours, g] / rate[fl, g], p99[fl, g], p99[ours, g]
          if (((peer, g) in rate) && rate[peer, g] > 0)
            printf " floor_x_peer=%.1f", rate[fl, g] / rate[peer, g]
          printf "\n" } }
' "$work/lines.txt" | sort -t= -k1,1 -k2,2 -k3n -k4n
