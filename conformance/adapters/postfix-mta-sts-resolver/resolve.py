#!/usr/bin/python3
"""Resolve adapter (conformance/ADAPTERS.md, "Resolve protocol (scenarios),
version 1") for postfix-mta-sts-resolver's real daemon, mta-sts-daemon.

The adapter does not resolve anything itself. It starts the Debian package's
daemon inside the world's network namespace (the world's DNS through
/etc/resolv.conf, the world's CA through SSL_CERT_FILE) and asks it what
Postfix would ask: a socketmap lookup. What Postfix can see is all the adapter
reports:

- the "strict" zone (strict_testing: true) answers "OK secure match=..." for
  an enforce or testing policy, NOTFOUND otherwise;
- the default zone (strict_testing: false) answers OK only for enforce.
So strict NOTFOUND is mode none; strict OK + default OK is enforce; strict OK
+ default NOTFOUND is testing. mx comes from match=; id is the policy id the
daemon stored in its own sqlite cache row for the policy it answered from.

The daemon's clock cannot be set, so the adapter moves the domain's cached
fetch time (column ts of its sqlite cache) back instead, by the scenario time
since the daemon wrote the row (CacheClock); step 0 deletes the row. Nothing
here decides MTA-STS: every answer is the daemon's.
"""
import ctypes
import json
import math
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time

ADAPTER = "postfix-mta-sts-resolver"
DAEMON = "/usr/bin/mta-sts-daemon"
STRICT_ZONE = "strict"
# Any zone name the config does not list selects the default zone.
DEFAULT_ZONE = "default"
START_SECONDS = 20
LOG_TAIL_LINES = 15
# An answer needs at most a DNS lookup and an HTTPS fetch, each bounded by the
# zone timeout; the rest is slack for a slow machine.
ANSWER_SLACK_SECONDS = 10
PR_SET_PDEATHSIG = 1  # prctl(2)
# Environment variables aiohttp would take a proxy from (proxies_from_env).
PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "no_proxy")


class DaemonFailed(Exception):
    """The daemon did not start or stopped answering (not a decision)."""


def die_with_parent():
    """Runs in the daemon's process before exec: the kernel sends it SIGTERM
    when the adapter dies, however it dies, so no daemon outlives a run."""
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def config_text(port, cache_file, timeout):
    """The daemon's YAML config (JSON is YAML). require_sni: the daemon adds
    servername=hostname to its answer; it is what RFC 8461 7.1 asks of the
    SMTP client."""
    zone = {"timeout": timeout, "require_sni": True}
    return json.dumps({
        "host": "127.0.0.1",
        "port": port,
        "cache": {"type": "sqlite", "options": {"filename": cache_file}},
        "default_zone": dict(zone, strict_testing=False),
        "zones": {STRICT_ZONE: dict(zone, strict_testing=True)},
        # Proactive fetching runs on the real clock, which the scenarios
        # cannot move: off, as in the package's default.
        "proactive_policy_fetching": {"enabled": False},
        # On SIGTERM it waits this long for open client handlers (default
        # 20 s); one whose client has gone can keep it waiting that long, so
        # a stop would take 20 s or more depending on a race in the daemon.
        "shutdown_timeout": 1,
    }, indent=2) + "\n"


def daemon_environment(empty_dir):
    """The world's CA and nothing else: SSL_CERT_FILE is the driver's; an
    empty SSL_CERT_DIR hides the system's CA directory from OpenSSL. No proxy,
    so the fetch goes to the world's server."""
    env = {k: v for k, v in os.environ.items() if k.lower() not in PROXY_VARIABLES}
    env["SSL_CERT_DIR"] = empty_dir
    return env


class Daemon:
    """One mta-sts-daemon process, restarted when the fetch timeout changes
    (the timeout lives in its config). The sqlite cache survives restarts."""

    def __init__(self, workdir):
        self.workdir = workdir
        self.cache_file = os.path.join(workdir, "cache.sqlite")
        self.log_file = os.path.join(workdir, "daemon.log")
        self.process = None
        self.port = None
        self.timeout = None

    def ensure(self, timeout):
        """Starts the daemon if needed; says so when it had died."""
        if self.process is not None and self.timeout == timeout and self.alive():
            return None
        died = None
        if self.process is not None and not self.alive():
            died = "mta-sts-daemon had exited (status %s) and was restarted" % self.process.returncode
        self.stop()
        self.start(timeout)
        return died

    def start(self, timeout):
        empty_dir = os.path.join(self.workdir, "no-ca-dir")
        os.makedirs(empty_dir, exist_ok=True)
        self.port = free_port()
        self.timeout = timeout
        config_file = os.path.join(self.workdir, "mta-sts-daemon.yml")
        with open(config_file, "w", encoding="utf-8") as out:
            out.write(config_text(self.port, self.cache_file, timeout))
        # Its output (a traceback before its logging is set up) goes to the
        # same log, so the log tail shows why it died.
        with open(self.log_file, "ab") as output:
            self.process = subprocess.Popen(  # pylint: disable=consider-using-with
                [DAEMON, "-c", config_file, "-l", self.log_file, "-v", "debug"],
                stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT,
                env=daemon_environment(empty_dir), preexec_fn=die_with_parent)
        self.wait_listening()

    def wait_listening(self):
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if not self.alive():
                raise DaemonFailed("mta-sts-daemon exited with status %s: %s"
                                   % (self.process.returncode, self.log_tail()))
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        raise DaemonFailed("mta-sts-daemon did not listen within %d s: %s"
                           % (START_SECONDS, self.log_tail()))

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def stop(self):
        if self.process is None:
            return
        if self.alive():
            self.process.terminate()
            try:
                # Its graceful shutdown waits up to shutdown_timeout for clients.
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def log_tail(self):
        try:
            with open(self.log_file, encoding="utf-8", errors="replace") as log:
                return " | ".join(line.rstrip() for line in log.readlines()[-LOG_TAIL_LINES:])
        except OSError as exc:
            return "(no log: %s)" % exc

    def query(self, zone, domain):
        """One socketmap lookup (netstrings), as Postfix sends it."""
        request = ("%s %s" % (zone, domain)).encode("ascii")
        wait = 2 * self.timeout + ANSWER_SLACK_SECONDS
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=wait) as conn:
                conn.sendall(b"%d:%s," % (len(request), request))
                return read_netstring(conn).decode("utf-8")
        except (OSError, ValueError) as exc:
            raise DaemonFailed("socketmap query %r failed (%s: %s); daemon %s: %s"
                               % (request.decode(), type(exc).__name__, exc,
                                  "running" if self.alive() else "exited",
                                  self.log_tail())) from exc


def read_netstring(conn):
    length = b""
    while not length.endswith(b":"):
        byte = conn.recv(1)
        if not byte or len(length) > 10:
            raise ValueError("bad netstring length")
        length += byte
    size = int(length[:-1])
    data = b""
    while len(data) < size + 1:
        chunk = conn.recv(size + 1 - len(data))
        if not chunk:
            raise ValueError("connection closed inside a netstring")
        data += chunk
    if not data.endswith(b","):
        raise ValueError("netstring without its comma")
    return data[:-1]


class Cache:
    """The daemon's own sqlite cache (sqlite_cache.py: table sts_policy_cache,
    columns domain, ts, pol_id, pol_body; domain lower-cased, no final dot;
    ts is the fetch time in whole seconds of the daemon's clock)."""

    def __init__(self, path):
        self.path = path

    def _run(self, sql, args):
        with sqlite3.connect(self.path, timeout=10) as db:
            # No fsync on commit: the pin (CacheClock) holds only until the daemon's clock
            # reaches the next second, so the write must not wait for a busy disk. A test cache
            # needs no durability.
            db.execute("PRAGMA synchronous=OFF")
            return db.execute(sql, args).fetchall()

    def forget(self, domain):
        self._run("delete from sts_policy_cache where domain = ?", (domain,))

    def fetch_time(self, domain):
        rows = self._run("select ts from sts_policy_cache where domain = ?", (domain,))
        return int(rows[0][0]) if rows else None

    def set_fetch_time(self, domain, ts):
        self._run("update sts_policy_cache set ts = ? where domain = ?", (ts, domain))

    def policy_id(self, domain):
        rows = self._run("select pol_id from sts_policy_cache where domain = ?", (domain,))
        return rows[0][0] if rows else None


class CacheClock:
    """Makes the daemon see the scenario's clock through its cache.

    The daemon judges a cached row by now - ts on its real clock (cache grace
    and max_age, responder.is_stale). Moving ts back by "elapsed" at each step
    would also count the real seconds spent between steps, enough to turn a
    scenario's age == max_age into an expired policy. So the adapter notes the
    scenario time at which the daemon wrote the row, and before each query sets
    ts so that the daemon's age of the row is the scenario's age: ts = ceil(T)
    - age, whose whole-second age is exact while the daemon reads its clock
    before the next second begins (the adapter waits out a second that is
    about to end). A row the daemon wrote during this step is left alone: it
    is the daemon's own, and the scenario clock stands still within a step."""

    SECOND_ENDING = 0.25  # seconds left in the current second: wait it out

    def __init__(self, cache):
        self.cache = cache
        self.written_at = {}  # domain -> scenario time of the daemon's last write
        self.pinned_ts = {}   # domain -> ts as the adapter last saw or set it

    def forget(self, domain):
        self.cache.forget(domain)
        self.written_at.pop(domain, None)
        self.pinned_ts.pop(domain, None)

    def before_query(self, domain, now):
        written = self.written_at.get(domain)
        if written is None or written == now or self.cache.fetch_time(domain) is None:
            return
        real = time.time()
        if math.ceil(real) - real < self.SECOND_ENDING:
            time.sleep(math.ceil(real) - real + 0.01)
            real = time.time()
        ts = math.ceil(real) - (now - written)
        self.cache.set_fetch_time(domain, ts)
        self.pinned_ts[domain] = ts

    def after_query(self, domain, now):
        ts = self.cache.fetch_time(domain)
        if ts is not None and ts != self.pinned_ts.get(domain):
            self.written_at[domain] = now
            self.pinned_ts[domain] = ts


def parse_answer(answer):
    """'OK secure match=a:b servername=hostname' -> (True, [a, b], note);
    'NOTFOUND ' -> (False, None, None)."""
    words = answer.split()
    if not words or words[0] == "NOTFOUND":
        return False, None, None
    if words[0] != "OK":
        raise DaemonFailed("unexpected socketmap answer %r" % answer)
    options = dict(word.partition("=")[0::2] for word in words[2:])
    patterns = [p for p in options.get("match", "").split(":") if p]
    # The daemon strips the '*' of "*.example.com" (Postfix's match syntax
    # for "any subdomain" is ".example.com"); this is the policy's wildcard.
    restored = ["*" + p if p.startswith(".") else p for p in patterns]
    note = "'.x' in match= reported as '*.x'" if restored != patterns else None
    return True, restored, note


def decide(daemon, clock, req):
    domain = req["domain"].lower().rstrip(".")
    now = req["now"]
    restarted = daemon.ensure(req.get("timeout", 5))
    if req["step"] == 0:
        clock.forget(domain)

    def ask(zone):
        clock.before_query(domain, now)
        answer = daemon.query(zone, domain)
        clock.after_query(domain, now)
        return answer

    strict_answer = ask(STRICT_ZONE)
    strict_ok, patterns, note = parse_answer(strict_answer)
    detail = ([restarted] if restarted else []) + ["strict zone: %r" % strict_answer]
    if not strict_ok:
        # Postfix sees no policy: mode none or none at all. The mx of a
        # mode none policy is not visible, so mx is not reported.
        return {"mode": "none", "detail": "; ".join(detail)}
    # Asking again changes nothing: a lookup that succeeded stored its result
    # with ts = now, and within cache_grace (60 s) the daemon answers from that
    # row without a lookup; a lookup that failed stored nothing, so the second
    # query repeats it against the same world at the same scenario time.
    default_answer = ask(DEFAULT_ZONE)
    default_ok, _, _ = parse_answer(default_answer)
    detail.append("default zone: %r" % default_answer)
    response = {"mode": "enforce" if default_ok else "testing", "mx": patterns}
    policy_id = clock.cache.policy_id(domain)
    if policy_id is not None:
        response["id"] = policy_id
        detail.append("id from the daemon's cache row")
    if note:
        detail.append(note)
    response["detail"] = "; ".join(detail)
    return response


def check_request(req):
    if not isinstance(req, dict):
        return "not an object"
    if not isinstance(req.get("domain"), str) or not req["domain"].isascii() or not req["domain"]:
        return "no domain in ASCII"
    if not isinstance(req.get("step"), int):
        return "no step"
    if not isinstance(req.get("now"), int) or isinstance(req["now"], bool):
        return "now is not an integer"
    for name in ("elapsed", "timeout"):
        if name in req and not isinstance(req[name], (int, float)):
            return "%s is not a number" % name
    return None


def respond(daemon, clock, line):
    try:
        req = json.loads(line)
    except ValueError:
        return {"error": "bad request: not JSON"}
    problem = check_request(req)
    head = {"tcId": req.get("tcId"), "step": req.get("step")} if isinstance(req, dict) else {}
    if problem:
        return dict(head, error="bad request: " + problem)
    try:
        return dict(head, **decide(daemon, clock, req))
    except (DaemonFailed, sqlite3.Error) as exc:
        return dict(head, error="%s: %s" % (type(exc).__name__, exc))


def answer_unsupported(message):
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            req = json.loads(line)
        except ValueError:
            req = {}
        req = req if isinstance(req, dict) else {}
        print(json.dumps({"tcId": req.get("tcId"), "step": req.get("step"),
                          "unsupported": message}), flush=True)


def stop_on_sigterm(signum, _frame):
    raise SystemExit(128 + signum)


def main():
    if not os.access(DAEMON, os.X_OK):
        message = "%s is not installed (install the Debian package postfix-mta-sts-resolver)" % DAEMON
        sys.stderr.write("%s resolve adapter: %s\n" % (ADAPTER, message))
        answer_unsupported(message)
        return 0
    # The finally below then stops the daemon.
    signal.signal(signal.SIGTERM, stop_on_sigterm)
    workdir = os.path.join(os.environ.get("MTASTS_WORLD_DIR", "/tmp"), ADAPTER)
    os.makedirs(workdir, exist_ok=True)
    daemon = Daemon(workdir)
    # A run starts from an empty cache and an empty log.
    for leftover in (daemon.log_file, daemon.cache_file,
                     daemon.cache_file + "-wal", daemon.cache_file + "-shm"):
        if os.path.exists(leftover):
            os.remove(leftover)
    clock = CacheClock(Cache(daemon.cache_file))
    try:
        for line in sys.stdin:
            if not line.strip():
                continue
            sys.stdout.write(json.dumps(respond(daemon, clock, line)) + "\n")
            sys.stdout.flush()
    finally:
        daemon.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
