"""The network namespace a world lives in: only a loopback interface, so nothing leaves it.

A namespace is named mtw-<pid of its owner>. `ip netns exec` bind-mounts the files of
/etc/netns/<name>/ over /etc/ for what runs inside, so the resolvers find the world's DNS
server in /etc/resolv.conf ("the system resolver configuration") and an /etc/hosts with
nothing but localhost.

Cleanup: on every way out of Namespace (normal, exception, SIGINT/SIGTERM/SIGHUP) every
process in the namespace is killed, the namespace deleted and /etc/netns/<name> removed.
Namespaces mtw-<pid> whose owner is dead (a run killed with SIGKILL) are cleaned at the next
start. Names of any other form (other tools' namespaces) are never touched.
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time

# Namespaces are mtw-<pid>. A test of the stale-namespace cleanup sets its own
# prefix, so that a world run beside it (another checkout's tests) cannot
# clean its planted namespace first.
PREFIX = os.environ.get("MTASTS_WORLD_NETNS_PREFIX", "mtw-")
ENV_NAME = "MTASTS_WORLD_NETNS"
RESOLV_CONF = "nameserver 127.0.0.1\n"
HOSTS = "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"
KILLED_EXIT_GUARD = 30  # seconds for SIGKILLed processes to be gone (kill_all_in)


class NetnsError(Exception):
    pass


class Terminated(BaseException):
    """Raised in place of a SIGTERM/SIGHUP so that `finally` blocks run."""


def raise_on_termination():
    def handler(signum, _frame):
        raise Terminated(signal.Signals(signum).name)

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGHUP, handler)


def _ip(args, check=True):
    proc = subprocess.run(["ip"] + args, capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise NetnsError("ip %s: %s" % (" ".join(args), proc.stderr.strip()))
    return proc


def missing_prerequisites():
    """What stops this process from making namespaces (empty when nothing)."""
    problems = []
    if os.geteuid() != 0:
        problems.append("not root (network namespaces need root)")
    if shutil.which("ip") is None:
        problems.append("no `ip` command (package iproute2)")
    return problems


def etc_dir(name):
    return os.path.join("/etc/netns", name)


def list_namespaces():
    out = _ip(["netns", "list"], check=False).stdout
    return [line.split()[0] for line in out.splitlines() if line.strip()]


def pids_in(name):
    out = _ip(["netns", "pids", name], check=False).stdout
    return [int(p) for p in out.split() if p.isdigit()]


def kill_all_in(name, grace=2.0):
    pids = pids_in(name)
    for pid in pids:
        _kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while pids and time.monotonic() < deadline:
        time.sleep(0.05)
        pids = pids_in(name)
    for pid in pids:
        _kill(pid, signal.SIGKILL)
    # Killed processes still need the CPU to finish exiting: on a loaded machine that can
    # take a while, and the namespace must be empty before it goes. A guard, not a wait.
    deadline = time.monotonic() + KILLED_EXIT_GUARD
    while pids_in(name) and time.monotonic() < deadline:
        time.sleep(0.05)


def _kill(pid, sig):
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass


def create(name):
    os.makedirs(etc_dir(name), exist_ok=True)
    with open(os.path.join(etc_dir(name), "resolv.conf"), "w") as f:
        f.write(RESOLV_CONF)
    with open(os.path.join(etc_dir(name), "hosts"), "w") as f:
        f.write(HOSTS)
    _ip(["netns", "add", name])
    _ip(["-n", name, "link", "set", "lo", "up"])


def destroy(name):
    if name in list_namespaces():
        kill_all_in(name)
        _ip(["netns", "delete", name], check=False)
    shutil.rmtree(etc_dir(name), ignore_errors=True)


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_stale():
    """Deletes mtw-<pid> namespaces (and /etc/netns entries) whose owner process is dead."""
    names = set(list_namespaces())
    if os.path.isdir("/etc/netns"):
        names.update(os.listdir("/etc/netns"))
    cleaned = []
    for name in sorted(names):
        match = re.fullmatch(re.escape(PREFIX) + r"(\d+)", name)
        if match and not _alive(int(match.group(1))):
            destroy(name)
            cleaned.append(name)
    return cleaned


def interfaces():
    """Names of the network interfaces this process sees."""
    return sorted(name for _index, name in socket.if_nameindex())


class Namespace:
    """A fresh mtw-<pid> namespace for the lifetime of the `with` block."""

    def __init__(self):
        self.name = "%s%d" % (PREFIX, os.getpid())
        self.cleaned = []

    def __enter__(self):
        problems = missing_prerequisites()
        if problems:
            raise NetnsError("; ".join(problems))
        self.cleaned = clean_stale()
        destroy(self.name)  # a leftover of an earlier process with our pid
        try:
            create(self.name)
        except BaseException:
            destroy(self.name)
            raise
        return self

    def __exit__(self, *exc):
        destroy(self.name)
        return False

    def run(self, argv, env=None):
        """Runs argv inside the namespace, waits for it and returns its exit status.

        SIGINT/SIGTERM/SIGHUP while it runs are passed on to it; it gets a few seconds to
        clean up after itself before the namespace (and whatever is left in it) goes.
        """
        child_env = dict(os.environ if env is None else env)
        child_env[ENV_NAME] = self.name
        proc = subprocess.Popen(["ip", "netns", "exec", self.name] + list(argv), env=child_env)
        try:
            return proc.wait()
        except (KeyboardInterrupt, Terminated):
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
            raise


def run_in_fresh_namespace(argv, who):
    """Runs argv in a fresh namespace and returns its exit status, or None (with the reason on
    stderr, prefixed by `who`) when no namespace can be made. Stale namespaces removed on the
    way are reported too."""
    try:
        with Namespace() as namespace:
            for stale in namespace.cleaned:
                print("%s: removed stale namespace %s" % (who, stale), file=sys.stderr)
            return namespace.run(argv)
    except NetnsError as e:
        print("%s: cannot make a network namespace: %s" % (who, e), file=sys.stderr)
        return None


def exit_with(main):
    """The `__main__` of a world command: exits with main(argv)'s status, and with a shell's
    statuses for ^C (130) and for the SIGTERM that raise_on_termination turns into Terminated
    (143)."""
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        sys.exit(130)
    except Terminated:
        sys.exit(143)
