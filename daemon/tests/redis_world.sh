#!/usr/bin/env bash
# redis_world.sh DAEMON - two mtasts-daemons sharing one redis-server in the loopback world
# (conformance/world: phase 0 of its test fixture, where s01.world.test publishes an enforce
# policy). Daemon A fetches the policy. Daemon B has refuse_private = yes: every host of the
# world is on 127.0.0.1, so B can fetch no policy at all, and answers s01 from what A shared
# through Redis alone (its TXT lookup finds the id it was given). C, B's twin without Redis, is
# the control: its fetch refused and no policy cached, it answers NOTFOUND (RFC 8461 5.1).
# Then Redis goes away and B restarts (its memory empty): B answers s01 from its disk cache, and
# logs the outage once over two lookups. Needs root, the world's packages and redis-server (exit 77
# without them, as the other world tests). Hang guards only: 60 s per socket and per answer.
set -euo pipefail
daemon=$1
src=$(cd "$(dirname "$0")/../.." && pwd)

if [[ ${MTASTS_REDIS_WORLD_INSIDE:-} != 1 ]]; then
  missing=()
  [[ $(id -u) == 0 ]] || missing+=("root")
  for tool in ip dnsmasq nginx openssl redis-server redis-cli; do
    command -v "$tool" >/dev/null || missing+=("$tool")
  done
  if [[ ${#missing[@]} -gt 0 ]]; then
    echo "redis_world.sh: SKIPPED (missing: ${missing[*]})"
    exit 77
  fi
  exec env MTASTS_REDIS_WORLD_INSIDE=1 /usr/bin/python3 -B "$src/conformance/world/world.py" \
    shell --scenarios "$src/conformance/world/tests/fixtures/scenarios-mini.json" --phase 0 \
    -- bash "$0" "$daemon"
fi

tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT

wait_for() { # a socket, 60 s at most
  for _ in $(seq 600); do
    [[ -S $1 ]] && return 0
    sleep 0.1
  done
  echo "redis_world.sh: hang guard: no $1"
  exit 1
}

declare -A pid_of
redis-server --port 0 --unixsocket "$tmp/redis.sock" --save "" --appendonly no --dir "$tmp" \
  >"$tmp/redis.log" 2>&1 &
pids+=($!)
pid_of[redis]=$!
wait_for "$tmp/redis.sock"

# NAME [KEY = VALUE ...]: a daemon with its own socket and disk cache.
start() {
  local name=$1
  shift
  {
    printf 'listen = %s\ncache_dir = %s\nca_file = %s\nworkers = 2\n' \
      "$tmp/$name.sock" "$tmp/$name.cache" "$SSL_CERT_FILE"
    printf '%s\n' "$@"
  } >"$tmp/$name.conf"
  rm -f "$tmp/$name.sock"
  "$daemon" -c "$tmp/$name.conf" >/dev/null 2>"$tmp/$name.log" &
  pids+=($!)
  pid_of[$name]=$!
  wait_for "$tmp/$name.sock"
}
start a "redis = unix:$tmp/redis.sock"
start b "redis = unix:$tmp/redis.sock" "refuse_private = yes"
start c "refuse_private = yes"

# SOCKET DOMAIN: the daemon's reply, without the netstring's frame.
ask() {
  python3 - "$1" "$2" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.settimeout(60)
s.connect(sys.argv[1])
key = b"tlspolicy " + sys.argv[2].encode()
s.sendall(b"%d:%s," % (len(key), key))
data = b""
while not data.endswith(b","):
    chunk = s.recv(4096)
    if not chunk:
        break
    data += chunk
print(data.split(b":", 1)[1][:-1].decode())
PY
}

fail() {
  echo "redis_world.sh: $*"
  for name in a b c; do
    echo "--- $name.log"
    cat "$tmp/$name.log"
  done
  exit 1
}

control=$(ask "$tmp/c.sock" s01.world.test)
[[ $control == "NOTFOUND " ]] || fail "C, which can fetch nothing, answered: $control"
first=$(ask "$tmp/a.sock" s01.world.test)
# The fixture's DNS has no MX for s01: its implicit MX, s01.world.test, is outside the policy.
[[ $first == "OK secure match=no-mx-host-matches-the-policy.invalid servername=hostname" ]] ||
  fail "A answered: $first"
value=$(redis-cli -s "$tmp/redis.sock" --raw get mtasts:s01.world.test | head -n 2 | tr '\n' ' ')
[[ $value == "mtasts-cache 1 domain: s01.world.test " ]] || fail "Redis holds: $value"
second=$(ask "$tmp/b.sock" s01.world.test)
[[ $second == "$first" ]] || fail "B answered: $second"
grep -q "redis" "$tmp/b.log" && fail "B logged about Redis"
echo "redis_world.sh: A fetched s01.world.test; B, which can fetch nothing, answered the same" \
  "from Redis: $second"

kill "${pid_of[redis]}" "${pid_of[b]}"
wait "${pid_of[redis]}" "${pid_of[b]}" || true
start b "redis = unix:$tmp/redis.sock" "refuse_private = yes"
third=$(ask "$tmp/b.sock" s01.world.test)
[[ $third == "$first" ]] || fail "B without Redis answered: $third"
other=$(ask "$tmp/b.sock" s02.world.test) # another lookup in the outage: no fetch, no policy
[[ $other == "NOTFOUND " ]] || fail "B answered s02: $other"
outages=$(grep -c "answering from the local caches" "$tmp/b.log" || true)
[[ $outages == 1 ]] || fail "B logged $outages outages"
echo "redis_world.sh: Redis gone, B restarted answered the same from its disk cache, one outage" \
  "logged"
