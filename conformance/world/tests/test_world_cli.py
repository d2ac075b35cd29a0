"""world.py shell and the namespace guarantees: the command runs in the phase's world with the
protocol's environment, its status comes back, and nothing is left behind on any way out
(normal, SIGTERM, SIGINT, a run killed earlier). Needs root; takes about 10 s."""

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import unittest

TESTS = os.path.dirname(os.path.abspath(__file__))
WORLD_DIR = os.path.dirname(TESTS)
WORLD = os.path.join(WORLD_DIR, "world.py")
FIXTURE = os.path.join(TESTS, "fixtures", "scenarios-mini.json")
PYTHON = "/usr/bin/python3"
GUARD = 60  # seconds: a hang guard, never a claim about speed

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, WORLD_DIR)

import netns  # noqa: E402

# Runs inside the world: what the command sees.
PROBE = """
import json, os, socket, sys
sys.dont_write_bytecode = True
sys.path.insert(0, %r)
import dnswire
answer = dnswire.query("_mta-sts.s02.world.test", "TXT")
gone = dnswire.query("_mta-sts.s04.world.test", "TXT")
print(json.dumps({"txt": [b"".join(rr["strings"]).decode() for rr in answer.of_type("TXT")],
                  "s04": gone.rcode,
                  "interfaces": sorted(n for _i, n in socket.if_nameindex()),
                  "env": [os.environ.get(k) for k in ("SSL_CERT_FILE", "NODE_EXTRA_CA_CERTS",
                                                      "MTASTS_WORLD_DIR")]}))
sys.exit(7)
""" % WORLD_DIR


def shell(*args, run_dir=None, timeout=60, prefix="mtw-"):
    """Runs world.py shell; the result has .namespace, the name of the namespace it made."""
    argv = [PYTHON, WORLD, "shell", "--scenarios", FIXTURE] + list(args)
    if run_dir:
        argv[3:3] = ["--run-dir", run_dir]
    env = dict(os.environ, MTASTS_WORLD_NETNS_PREFIX=prefix)
    with subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, env=env) as proc:
        stdout, stderr = proc.communicate(timeout=timeout)
    result = subprocess.CompletedProcess(argv, proc.returncode, stdout, stderr)
    result.namespace = "%s%d" % (prefix, proc.pid)
    return result


def sleeping_in(name):
    """True when the `sleep 600` that world.py shell runs is in namespace `name`."""
    for pid in netns.pids_in(name):
        try:
            with open("/proc/%d/cmdline" % pid, "rb") as f:
                if f.read() == b"sleep\x00600\x00":
                    return True
        except OSError:
            pass
    return False


def processes_mentioning(text):
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open("/proc/%s/cmdline" % pid, "rb") as f:
                if text.encode() in f.read():
                    found.append(int(pid))
        except OSError:
            pass
    return found


class Shell(unittest.TestCase):
    def test_command_runs_in_the_phase_world(self):
        with tempfile.TemporaryDirectory(prefix="world-test-") as tmp:
            run_dir = os.path.join(tmp, "run")
            proc = shell("--phase", "1", "--", PYTHON, "-c", PROBE, run_dir=run_dir)
            self.assertEqual(proc.returncode, 7, proc.stderr)
            seen = json.loads(proc.stdout)
            ca = os.path.join(run_dir, "certs", "ca.pem")
            self.assertEqual(seen, {"txt": ["v=STSv1; id=r2;"], "s04": "NXDOMAIN",
                                    "interfaces": ["lo"],
                                    "env": [ca, ca, os.path.join(run_dir, "scratch")]})
            self.assertIn("world.py: phase 1 of %s up in" % FIXTURE, proc.stderr)
            self.assertTrue(os.path.exists(ca), "--run-dir is kept")
            self.assertEqual(processes_mentioning(run_dir), [])
        self.assertNotIn(proc.namespace, netns.list_namespaces())
        self.assertFalse(os.path.exists(netns.etc_dir(proc.namespace)))

    def test_usage_errors(self):
        cases = [
            (["--phase", "3", "--", "true"], 2, "has phases 0..2"),
            (["--phase", "0"], 2, "no command"),
            (["--phase", "0", "--", "/nonexistent/cmd"], 127, "cannot run /nonexistent/cmd"),
        ]
        for args, status, message in cases:
            with self.subTest(args=args):
                proc = shell(*args)
                self.assertEqual(proc.returncode, status, proc.stderr)
                self.assertIn(message, proc.stderr)

    def test_stale_namespaces_are_removed_and_others_kept(self):
        # A prefix of this test's own: another world run on the machine
        # (mtw-<pid>) must not clean the stale namespace planted here first.
        prefix = "mtwt%d-" % os.getpid()
        dead = subprocess.Popen(["true"])
        dead.wait()
        stale = "%s%d" % (prefix, dead.pid)
        foreign = "%sworldtest-keep" % prefix
        for name in (stale, foreign):
            netns.create(name)
        try:
            proc = shell("--phase", "0", "--", "true", prefix=prefix)
            self.assertEqual(proc.returncode, 0, proc.stderr)
            self.assertIn("removed stale namespace %s" % stale, proc.stderr)
            self.assertNotIn(stale, netns.list_namespaces())
            self.assertFalse(os.path.exists(netns.etc_dir(stale)))
            self.assertIn(foreign, netns.list_namespaces())
        finally:
            netns.destroy(stale)
            netns.destroy(foreign)


class Signals(unittest.TestCase):
    def interrupt(self, sig, expected_status):
        with tempfile.TemporaryDirectory(prefix="world-test-") as tmp:
            run_dir = os.path.join(tmp, "run")
            with subprocess.Popen([PYTHON, WORLD, "shell", "--scenarios", FIXTURE,
                                   "--run-dir", run_dir, "--phase", "0", "--", "sleep", "600"],
                                  stderr=subprocess.PIPE, text=True) as proc:
                name = "mtw-%d" % proc.pid
                try:
                    line = proc.stderr.readline()  # "phase 0 ... up": the world is running
                    self.assertIn("up in", line)
                    self.assertIn(name, netns.list_namespaces())
                    # world.py says "up" and then starts the command: wait for `sleep` to be
                    # there (a hang guard), not for a time.
                    deadline = time.monotonic() + GUARD
                    while not sleeping_in(name) and time.monotonic() < deadline:
                        time.sleep(0.05)
                    # dnsmasq, nginx (master, worker), the two backends, the SMTP server (the
                    # fixture's phase 0 has MX hosts), the inner world.py, sleep
                    self.assertEqual(len(netns.pids_in(name)), 8)
                except BaseException:
                    proc.terminate()  # else leaving `with` waits for `sleep 600`
                    raise
                proc.send_signal(sig)
                try:
                    # Ends in seconds; the guard only stops a hang (e.g. a wait for `sleep 600`).
                    status = proc.wait(timeout=GUARD)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    self.fail("world.py shell still running %d s after signal %d" % (GUARD, sig))
            self.assertEqual(status, expected_status)
            self.assertNotIn(name, netns.list_namespaces())
            self.assertFalse(os.path.exists(netns.etc_dir(name)))
            self.assertEqual(processes_mentioning(run_dir), [])

    def test_sigterm(self):
        self.interrupt(signal.SIGTERM, 143)

    def test_sigint(self):
        self.interrupt(signal.SIGINT, 130)


class Isolation(unittest.TestCase):
    def test_world_refuses_the_machines_network(self):
        if netns.interfaces() == ["lo"]:
            self.skipTest("this process already sees only lo")
        import world

        with tempfile.TemporaryDirectory(prefix="world-test-") as tmp:
            with self.assertRaises(world.WorldError) as caught:
                world.World(tmp)
            self.assertIn("not inside a world namespace", str(caught.exception))
            self.assertEqual(os.listdir(tmp), [])


if __name__ == "__main__":
    unittest.main(verbosity=2)
