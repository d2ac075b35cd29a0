#!/usr/bin/python3
"""The loopback test world of the scenarios (vectors/scenarios/FORMAT.md), and its CLI.

A World lives in a network namespace that has only `lo` (netns.py) and serves one phase at a
time: dnsmasq on 127.0.0.1:53 (dns_server.py), nginx on 127.0.0.1:443 (https_server.py) and
the MX hosts' SMTP on port 25 of an address of each host's own (smtp_server.py), with
certificates of a test CA made for the run (certs.py). The scenario driver
(run_scenarios.py) uses it as a library; humans and other tools use the CLI:

  world.py shell --scenarios FILE --phase K [--run-dir DIR] -- CMD ARGS...
      a fresh namespace with the world of phase K; runs CMD in it with the environment of the
      resolve protocol (SSL_CERT_FILE, NODE_EXTRA_CA_CERTS, MTASTS_WORLD_DIR); tears it all
      down and exits with CMD's status (125 when the world itself could not be made).
  world.py check [--run-dir DIR]
      a small built-in world, and checks of what its DNS, HTTPS and SMTP servers really answer
      (world_check.py); exit 0 when every check passed, 1 otherwise, 2 when no world.
  world.py show --scenarios FILE [--phase K]
      the records and HTTPS entries of a phase (or of all), without starting anything.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, HERE)

import certs  # noqa: E402
import dnswire  # noqa: E402
import netns  # noqa: E402
import procs  # noqa: E402
import scenarios  # noqa: E402
from dns_server import DnsServer  # noqa: E402
from https_server import HttpsServer  # noqa: E402
from smtp_server import SmtpServer  # noqa: E402

SERVFAIL_PORT = 5300
SMTP_IDLE_TIMEOUT = 30  # seconds an SMTP client may stay silent (a resolver needs milliseconds)
WORLD_FAILED = 125  # `world.py shell`: like env(1), a status CMD itself is unlikely to use


class WorldError(Exception):
    pass


class World:
    """The servers of one run directory; switch() puts a phase in place.

    Refuses to start outside a namespace that has only `lo`: its servers bind 127.0.0.1:53
    and :443 and port 25 of other loopback addresses, which must never be the machine's own.
    """

    def __init__(self, run_dir, smtp_idle_timeout=SMTP_IDLE_TIMEOUT):
        if netns.interfaces() != ["lo"]:
            raise WorldError("not inside a world namespace (interfaces: %s); the world never "
                             "runs in the machine's own network" % ", ".join(netns.interfaces()))
        missing = [tool for tool in ("dnsmasq", "nginx", "openssl") if shutil.which(tool) is None]
        if missing:
            raise WorldError("missing: %s (ci/packages.txt: dnsmasq-base, nginx, openssl)"
                             % ", ".join(missing))
        self.run_dir = os.path.abspath(run_dir)
        self.log_dir = os.path.join(self.run_dir, "logs")
        self.scratch_dir = os.path.join(self.run_dir, "scratch")
        for directory in (self.log_dir, self.scratch_dir, os.path.join(self.run_dir, "phases")):
            os.makedirs(directory, exist_ok=True)
        try:
            self.certs = certs.CertFactory(os.path.join(self.run_dir, "certs"))
        except (certs.CertError, OSError) as e:
            raise WorldError("cannot make the test CA: %s" % e)
        self.phase = None
        self.switch_seconds = []
        self.servfail_log = os.path.join(self.log_dir, "servfail_dns.log")
        self.servfail = procs.start([sys.executable, os.path.join(HERE, "servfail_dns.py"),
                                     str(SERVFAIL_PORT)], self.servfail_log)
        # dnsmasq forwards the SERVFAIL names to it: a query forwarded before it listens would
        # go unanswered (a timeout, not a SERVFAIL), however soon the first resolver asks.
        try:
            ready = procs.wait_until(self._servfail_answers, timeout=procs.READY_TIMEOUT)
        except RuntimeError as e:
            ready, problem = False, str(e)
        else:
            problem = "no SERVFAIL answer on 127.0.0.1:%d" % SERVFAIL_PORT
        if not ready:
            procs.stop(self.servfail)
            raise WorldError("servfail_dns.py: %s: %s" % (problem,
                                                          procs.log_tail(self.servfail_log)))
        self.dns = DnsServer(self.run_dir, self.log_dir, SERVFAIL_PORT, self.certs.leaf_key)
        self.https = HttpsServer(self.run_dir, self.log_dir, self.certs)
        self.smtp = SmtpServer(self.log_dir, self.certs, smtp_idle_timeout)

    def _servfail_answers(self):
        if self.servfail.poll() is not None:
            raise RuntimeError("exited with status %s" % self.servfail.returncode)
        try:
            return dnswire.query("ready.world.test", "TXT", port=SERVFAIL_PORT,
                                 timeout=0.2).rcode == "SERVFAIL"
        except OSError:
            return False

    @property
    def ca_file(self):
        return self.certs.ca_cert

    def switch(self, phase_world, label):
        """Stops the current phase's servers and starts those of `phase_world` (a
        scenarios.PhaseWorld); returns once they all answer. Returns the seconds it took."""
        start = time.monotonic()
        phase_dir = os.path.join(self.run_dir, "phases", str(label))
        os.makedirs(phase_dir, exist_ok=True)
        self.smtp.stop()
        self.https.stop()
        self.dns.stop()
        entries = [phase_world.https[host] for host in sorted(phase_world.https)]
        try:
            self.https.start(entries, phase_dir)
            self.smtp.start([phase_world.smtp[h] for h in sorted(phase_world.smtp)], phase_dir)
            self.dns.start(phase_world.all_records(), os.path.join(phase_dir, "dnsmasq.conf"))
        except (RuntimeError, OSError, certs.CertError) as e:
            raise WorldError("phase %s: %s" % (label, e))
        self.phase = label
        seconds = time.monotonic() - start
        self.switch_seconds.append(seconds)
        return seconds

    def environment(self, base=None):
        env = dict(os.environ if base is None else base)
        env["SSL_CERT_FILE"] = self.ca_file
        # OpenSSL adds the hashed directory to the file: an empty one, so that
        # the world's CA is the only one a resolver trusts.
        empty = os.path.join(self.scratch_dir, ".no-system-cas")
        os.makedirs(empty, exist_ok=True)
        env["SSL_CERT_DIR"] = empty
        env["NODE_EXTRA_CA_CERTS"] = self.ca_file
        env["MTASTS_WORLD_DIR"] = self.scratch_dir
        return env

    def close(self):
        self.smtp.stop()
        self.https.stop()
        self.dns.stop()
        procs.stop(self.servfail)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False


# --- CLI -----------------------------------------------------------------------------------

def run_world(out_dir, who, runs, start, drive):
    """The world part of run_scenarios.py and run_mta.py inside their namespace: a fresh World
    in out_dir/world, start(world) for the implementations, drive(world) for the run, then every
    adapter of `runs` (objects with .adapter) killed. Returns the monotonic time the world was up,
    or None (with why on stderr, prefixed by `who`) when the world cannot start."""
    world_dir = os.path.join(out_dir, "world")
    shutil.rmtree(world_dir, ignore_errors=True)
    os.makedirs(out_dir, exist_ok=True)
    netns.raise_on_termination()
    try:
        world = World(world_dir)
    except WorldError as e:
        print("%s: the world cannot start: %s" % (who, e), file=sys.stderr)
        return None
    started = time.monotonic()
    with world:
        start(world)
        try:
            drive(world)
        except WorldError as e:
            print("%s: the world cannot start: %s" % (who, e), file=sys.stderr)
            return None
        finally:
            for run in runs:
                if run.adapter is not None:
                    run.adapter.kill()
    return started


def run_phases(run, world, ran, noun, work):
    """The phases of run_scenarios.py's and run_mta.py's run: for each, the world switched to it
    (its time kept in run.switch_seconds), then work(impl, tests, phase) for every implementation
    of `ran`, each in its own thread, all joined before the next phase."""
    for phase in range(run.phase_count):
        seconds = world.switch(scenarios.phase_world(run.tests, phase), phase)
        run.switch_seconds.append(seconds)
        tests = scenarios.in_phase(run.tests, phase)
        print("phase %d: world up in %.2f s; %d scenarios x %d %s"
              % (phase, seconds, len(tests), len(ran), noun), flush=True)
        threads = [threading.Thread(target=work, args=(impl, tests, phase)) for impl in ran]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()


def _parser():
    parser = argparse.ArgumentParser(prog="world.py", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    shell = sub.add_parser("shell", help="run a command in the world of one phase")
    shell.add_argument("--scenarios", required=True)
    shell.add_argument("--phase", type=int, required=True)
    shell.add_argument("--run-dir", help="keep certificates, configurations and logs here")
    shell.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    shell.add_argument("cmd", nargs=argparse.REMAINDER)
    check = sub.add_parser("check", help="start a built-in world and check what it serves")
    check.add_argument("--run-dir")
    check.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    show = sub.add_parser("show", help="print what a phase serves")
    show.add_argument("--scenarios", required=True)
    show.add_argument("--phase", type=int)
    return parser


def run_in_namespace(args, argv):
    """Runs this script again, with --inside, in a fresh namespace; returns its status."""
    keep = args.run_dir is not None
    run_dir = os.path.abspath(args.run_dir) if keep else tempfile.mkdtemp(prefix="mtasts-world-")
    os.makedirs(run_dir, exist_ok=True)
    inner = [sys.executable, os.path.abspath(__file__), argv[0], "--inside", "--run-dir",
             run_dir] + _strip_run_dir(argv[1:])
    netns.raise_on_termination()
    try:
        return netns.run_in_fresh_namespace(inner, "world.py")
    finally:
        if not keep:
            shutil.rmtree(run_dir, ignore_errors=True)


def _strip_run_dir(argv):
    out = []
    skip = False
    for i, arg in enumerate(argv):
        if skip:
            skip = False
            continue
        if arg == "--run-dir":
            skip = True
            continue
        if arg.startswith("--run-dir="):
            continue
        if arg == "--":
            return out + argv[i:]
        out.append(arg)
    return out


def shell_inside(args):
    cmd = args.cmd[1:] if args.cmd[:1] == ["--"] else args.cmd
    tests = scenarios.tests_of(scenarios.load(args.scenarios))
    phase_world = scenarios.phase_world(tests, args.phase)
    netns.raise_on_termination()
    try:
        world = World(args.run_dir)
    except WorldError as e:
        print("world.py: %s" % e, file=sys.stderr)
        return WORLD_FAILED
    with world:
        try:
            seconds = world.switch(phase_world, args.phase)
        except WorldError as e:
            print("world.py: %s" % e, file=sys.stderr)
            return WORLD_FAILED
        print("world.py: phase %d of %s up in %.2f s (%d scenarios, %d names, %d HTTPS hosts, "
              "%d SMTP hosts; CA %s)" % (args.phase, args.scenarios, seconds,
                                        len(scenarios.in_phase(tests, args.phase)),
                                        len(phase_world.records), len(phase_world.https),
                                        len(phase_world.smtp), world.ca_file), file=sys.stderr)
        try:
            return subprocess.call(cmd, env=world.environment())
        except OSError as e:
            print("world.py: cannot run %s: %s" % (cmd[0], e), file=sys.stderr)
            return 127


def shell(args, argv):
    cmd = args.cmd[1:] if args.cmd[:1] == ["--"] else args.cmd
    if not cmd:
        print("world.py shell: no command (world.py shell ... -- CMD ARGS...)", file=sys.stderr)
        return 2
    # Refuse a bad phase before making a namespace.
    try:
        tests = scenarios.tests_of(scenarios.load(args.scenarios))
        if not 0 <= args.phase < scenarios.phase_count(tests):
            print("world.py: %s has phases 0..%d" % (args.scenarios,
                                                     scenarios.phase_count(tests) - 1),
                  file=sys.stderr)
            return 2
        scenarios.phase_world(tests, args.phase)
    except (OSError, ValueError, scenarios.SpecError) as e:
        print("world.py: %s" % e, file=sys.stderr)
        return 2
    status = run_in_namespace(args, argv)
    return WORLD_FAILED if status is None else status


def show(args):
    tests = scenarios.tests_of(scenarios.load(args.scenarios))
    phases = [args.phase] if args.phase is not None else range(scenarios.phase_count(tests))
    for phase in phases:
        world = scenarios.phase_world(tests, phase)
        print("phase %d: %d scenarios" % (phase, len(scenarios.in_phase(tests, phase))))
        for record in world.all_records():
            print("  dns   " + json.dumps(record, ensure_ascii=False))
        for host in sorted(world.https):
            entry = dict(world.https[host])
            entry["body"] = entry["body"][:60] + ("..." if len(entry["body"]) > 60 else "")
            print("  https " + json.dumps(entry, ensure_ascii=False))
        for host in sorted(world.smtp):
            print("  smtp  " + json.dumps(world.smtp[host], ensure_ascii=False))
    return 0


def main(argv):
    args = _parser().parse_args(argv)
    if args.command == "show":
        try:
            return show(args)
        except (OSError, ValueError, scenarios.SpecError) as e:
            print("world.py: %s" % e, file=sys.stderr)
            return 2
    if args.command == "shell":
        return shell_inside(args) if args.inside else shell(args, argv)
    import world_check

    if args.inside:
        return world_check.run(args.run_dir)
    status = run_in_namespace(args, argv)
    return 2 if status is None else status


if __name__ == "__main__":
    netns.exit_with(main)
