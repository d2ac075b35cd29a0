#!/usr/bin/python3
"""Self-test of resolve.py without a world.

It re-runs itself in a private network namespace (unshare -n: only a
loopback interface, no DNS server), so the daemon it starts can reach
nothing. Checks: the socketmap answer parsing and netstring reading, the
cache clock against the daemon's own expiry test (responder.is_stale on a row
of its own SqliteCache, both reading one fake wall clock, so no case depends on
this machine's speed), and the real daemon started, answering and failing.
Run: /usr/bin/python3 conformance/adapters/postfix-mta-sts-resolver/test_resolve.py
"""
import asyncio
import importlib.util
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import unittest.mock

# Importing resolve.py must leave no __pycache__ in the source tree.
sys.dont_write_bytecode = True

INSIDE = "RESOLVE_SELFTEST_PRIVATE_NETNS"
HERE = os.path.dirname(os.path.abspath(__file__))
NOW = 1796083200
MAX_AGE = 3600


def load_adapter():
    spec = importlib.util.spec_from_file_location("resolve", os.path.join(HERE, "resolve.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


resolve = load_adapter()


class AnswerParsing(unittest.TestCase):
    def test_ok_answer_gives_patterns_with_wildcards_restored(self):
        self.assertEqual(
            resolve.parse_answer("OK secure match=.mx.s.test:mx1.s.test servername=hostname"),
            (True, ["*.mx.s.test", "mx1.s.test"], "'.x' in match= reported as '*.x'"))

    def test_ok_answer_without_wildcard_has_no_note(self):
        self.assertEqual(resolve.parse_answer("OK secure match=mx1.s.test"),
                         (True, ["mx1.s.test"], None))

    def test_notfound(self):
        self.assertEqual(resolve.parse_answer("NOTFOUND "), (False, None, None))

    def test_other_answers_are_daemon_failures(self):
        with self.assertRaises(resolve.DaemonFailed):
            resolve.parse_answer("TEMP lookup failed")

    def test_netstring(self):
        left, right = socket.socketpair()
        with left, right:
            left.sendall(b"9:NOTFOUND ,3:abcX")
            self.assertEqual(resolve.read_netstring(right), b"NOTFOUND ")
            with self.assertRaises(ValueError):
                resolve.read_netstring(right)


def daemon_modules():
    # pylint: disable=import-outside-toplevel
    from postfix_mta_sts_resolver import base_cache, responder, sqlite_cache, utils
    return base_cache, responder, sqlite_cache, utils


class FakeClock:
    """The wall clock of the adapter and of the daemon's responder in these tests: it moves
    only when told (or when the adapter sleeps), so what the daemon decides cannot depend on
    how long this machine takes between two statements."""

    def __init__(self, now):
        self.now = now

    def time(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds

    @staticmethod
    def monotonic():
        return time.monotonic()


class CacheClockAgainstTheDaemon(unittest.TestCase):
    """The pinned age must be what the daemon's own is_stale() sees: valid at
    age == max_age, expired at max_age + 1 (grace made huge so only max_age
    counts). Both sides read one FakeClock, so each case says exactly when the
    daemon reads it, relative to the pin."""

    def setUp(self):
        base_cache, responder, sqlite_cache, utils = daemon_modules()
        self.wall = FakeClock(5000.4)
        for module in (resolve, responder):
            patcher = unittest.mock.patch.object(module, "time", self.wall)
            patcher.start()
            self.addCleanup(patcher.stop)
        self.tmp = tempfile.TemporaryDirectory()  # pylint: disable=consider-using-with
        self.loop = asyncio.new_event_loop()
        self.daemon_cache = sqlite_cache.SqliteCache(os.path.join(self.tmp.name, "cache.sqlite"))
        self.loop.run_until_complete(self.daemon_cache.setup())
        self.entry = base_cache.CacheEntry
        cfg = utils.populate_cfg_defaults({"cache_grace": 10 ** 9})
        self.responder = responder.STSSocketmapResponder(cfg, self.loop, self.daemon_cache)
        self.clock = resolve.CacheClock(resolve.Cache(self.daemon_cache._filename))  # pylint: disable=protected-access
        self.domain = "s.test"

    def tearDown(self):
        self.loop.run_until_complete(self.daemon_cache.teardown())
        self.loop.close()
        self.tmp.cleanup()

    def daemon_writes(self):
        body = {"version": "STSv1", "mode": "enforce", "max_age": MAX_AGE, "mx": ["mx1.s.test"]}
        self.loop.run_until_complete(
            self.daemon_cache.set(self.domain, self.entry(int(self.wall.time()), "1", body)))

    def stale_at(self, now, daemon_reads_after=0.0):
        """The daemon's verdict on the row at scenario time `now`, its clock read
        `daemon_reads_after` seconds after the adapter pinned the row."""
        self.clock.before_query(self.domain, now)
        self.wall.sleep(daemon_reads_after)
        cached = self.loop.run_until_complete(self.daemon_cache.get(self.domain))
        return self.responder.is_stale(cached)

    def test_age_equal_to_max_age_is_valid_and_one_more_second_is_not(self):
        self.daemon_writes()
        self.clock.after_query(self.domain, NOW)
        self.assertFalse(self.stale_at(NOW + MAX_AGE))
        self.assertTrue(self.stale_at(NOW + MAX_AGE + 1))
        self.assertFalse(self.stale_at(NOW + MAX_AGE))

    def test_the_pin_holds_while_the_daemon_reads_its_clock_in_the_same_second(self):
        # Pinned at x.4: exact until the next second begins, 0.6 s later.
        self.daemon_writes()
        self.clock.after_query(self.domain, NOW)
        self.assertFalse(self.stale_at(NOW + MAX_AGE, daemon_reads_after=0.59))
        self.assertTrue(self.stale_at(NOW + MAX_AGE + 1, daemon_reads_after=0.0))

    def test_a_second_about_to_end_is_waited_out_before_the_pin(self):
        self.daemon_writes()
        self.clock.after_query(self.domain, NOW)
        self.wall.now = 7000.9  # less than SECOND_ENDING left
        self.assertFalse(self.stale_at(NOW + MAX_AGE, daemon_reads_after=0.98))
        self.assertGreater(self.wall.now, 7001.9, "the adapter waited for 7001")

    def test_a_row_written_during_the_step_is_left_alone(self):
        self.daemon_writes()
        self.clock.after_query(self.domain, NOW)
        written = self.clock.cache.fetch_time(self.domain)
        self.clock.before_query(self.domain, NOW)
        self.assertEqual(self.clock.cache.fetch_time(self.domain), written)

    def test_a_rewrite_moves_the_scenario_fetch_time(self):
        self.daemon_writes()
        self.clock.after_query(self.domain, NOW)
        self.clock.before_query(self.domain, NOW + 600)
        self.daemon_writes()  # e.g. NOT_CHANGED renews the row at step NOW + 600
        self.clock.after_query(self.domain, NOW + 600)
        self.assertFalse(self.stale_at(NOW + 600 + MAX_AGE))
        self.assertTrue(self.stale_at(NOW + 600 + MAX_AGE + 1))


class RealDaemon(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()  # pylint: disable=consider-using-with
        self.daemon = resolve.Daemon(self.tmp.name)
        self.clock = resolve.CacheClock(resolve.Cache(self.daemon.cache_file))

    def tearDown(self):
        self.daemon.stop()
        self.tmp.cleanup()

    def request(self, domain, timeout=2):
        return json.dumps({"tcId": 7, "step": 0, "domain": domain, "now": NOW, "elapsed": 0,
                           "timeout": timeout, "refresh": 86400, "mx": []})

    def test_answers_without_a_lookup_and_when_dns_is_unreachable(self):
        self.daemon.ensure(2)
        # A name starting with '.' is answered NOTFOUND before any lookup.
        self.assertEqual(self.daemon.query(resolve.STRICT_ZONE, ".s.test"), "NOTFOUND ")
        # No DNS server in this namespace: the lookup fails, no policy.
        self.assertEqual(resolve.respond(self.daemon, self.clock, self.request("s.test")),
                         {"tcId": 7, "step": 0, "mode": "none", "detail": "strict zone: 'NOTFOUND '"})

    def test_a_new_timeout_restarts_the_daemon_with_it(self):
        self.daemon.ensure(2)
        first = self.daemon.process.pid
        self.daemon.ensure(3)
        self.assertNotEqual(self.daemon.process.pid, first)
        with open(os.path.join(self.tmp.name, "mta-sts-daemon.yml"), encoding="utf-8") as cfg:
            config = json.load(cfg)
        self.assertEqual([config["default_zone"]["timeout"], config["zones"]["strict"]["timeout"]], [3, 3])

    def test_a_dead_daemon_is_restarted_and_reported(self):
        self.daemon.ensure(2)
        self.daemon.process.kill()
        self.daemon.process.wait()
        answer = resolve.respond(self.daemon, self.clock, self.request("s.test"))
        self.assertTrue(answer["detail"].startswith("mta-sts-daemon had exited (status -9) and was restarted"),
                        answer["detail"])

    def test_a_daemon_that_cannot_start_is_an_error(self):
        saved, resolve.DAEMON = resolve.DAEMON, "/bin/false"
        try:
            answer = resolve.respond(self.daemon, self.clock, self.request("s.test"))
        finally:
            resolve.DAEMON = saved
        self.assertEqual(sorted(answer), ["error", "step", "tcId"])
        self.assertTrue(answer["error"].startswith("DaemonFailed: mta-sts-daemon exited with status 1"),
                        answer["error"])

    def test_a_bad_request_is_an_error(self):
        self.assertEqual(resolve.respond(self.daemon, self.clock, "{"),
                         {"error": "bad request: not JSON"})
        self.assertEqual(resolve.respond(self.daemon, self.clock, '{"tcId": 1, "step": 0}'),
                         {"tcId": 1, "step": 0, "error": "bad request: no domain in ASCII"})


def main():
    if os.environ.get(INSIDE) != "1":
        # Only loopback inside: the daemon can reach nothing outside.
        inner = "ip link set lo up && exec %s %s" % (sys.executable, os.path.abspath(__file__))
        env = dict(os.environ, **{INSIDE: "1"})
        try:
            return subprocess.run(["unshare", "-n", "sh", "-c", inner], env=env, check=False).returncode
        except OSError as exc:
            sys.stderr.write("test_resolve.py: cannot run unshare -n (%s); run as root\n" % exc)
            return 2
    result = unittest.main(argv=[sys.argv[0], "-v"], exit=False).result
    return 0 if result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
