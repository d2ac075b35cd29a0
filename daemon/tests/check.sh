#!/usr/bin/env bash
# check.sh DAEMON SRCDIR - mtasts-daemon --check: the shipped configuration
# is valid, a broken one is refused with its file and line, usage errors exit 2.
set -euo pipefail
daemon=$1 src=$2
tmp=$(mktemp -d)
pid=
trap '[ -z "$pid" ] || kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
out=$("$daemon" -c "$src/mtasts-daemon.conf" --check)
[ "$out" = "$src/mtasts-daemon.conf: valid" ] || { echo "got: $out"; exit 1; }
printf 'workers = 4\nworkers = 5\n' > "$tmp/bad.conf"
if err=$("$daemon" -c "$tmp/bad.conf" --check 2>&1); then echo "a bad config passed"; exit 1; fi
[ "$err" = "mtasts-daemon: $tmp/bad.conf:2: key given twice" ] || { echo "got: $err"; exit 1; }
set +e
"$daemon" --bogus 2>/dev/null; rc=$?
set -e
[ "$rc" = 2 ] || { echo "usage error exit $rc"; exit 1; }
echo "check.sh: ok"

# The daemon itself: a key that is not a domain (no lookup, no network), a
# malformed request, SIGHUP with a broken file (the old configuration
# stays), SIGTERM (exit 0). Hang guards only: 60 s for the socket.
printf 'listen = %s\ncache_dir =\n' "$tmp/sock" > "$tmp/run.conf"
"$daemon" -c "$tmp/run.conf" > /dev/null 2> "$tmp/log" &
pid=$!
for _ in $(seq 600); do [ -S "$tmp/sock" ] && break; sleep 0.1; done
python3 - "$tmp/sock" <<'PY'
import socket, sys
def ask(payload):
    s = socket.socket(socket.AF_UNIX); s.settimeout(60); s.connect(sys.argv[1])
    s.sendall(payload); data = b""
    while not data.endswith(b","):
        chunk = s.recv(4096)
        if not chunk: break
        data += chunk
    return data
assert ask(b"21:tlspolicy [192.0.2.1],") == b"9:NOTFOUND ,", "not a domain"
got = ask(b"3:abc,")
assert got.startswith(b"85:PERM malformed request: the payload has no space"), got
PY
printf 'workers = x\n' > "$tmp/run.conf"
kill -HUP "$pid"
kill -TERM "$pid"
rc=0; wait "$pid" || rc=$?
pid=
[ "$rc" = 0 ] || { echo "exit $rc"; cat "$tmp/log"; exit 1; }
grep -q "reload: $tmp/run.conf:1: not a number in range (the old configuration stays)" "$tmp/log" ||
  { echo "no reload message"; cat "$tmp/log"; exit 1; }
echo "check.sh: the daemon answered, reloaded and stopped"
