"""Starting and stopping the world's child processes (dnsmasq, nginx, the backends, adapters)."""

import os
import signal
import subprocess
import time

# How long a server of the world gets to answer after it was started. A guard against a
# server that never comes up, not a claim about speed: each one is up in well under a second
# on an idle machine, and a loaded one must not turn a slow start into a failed world.
READY_TIMEOUT = 30


def start(argv, log_path, cwd=None, env=None, stdin=subprocess.DEVNULL, stdout=None):
    """Starts argv in its own process group (so it and its children can be killed together),
    stderr (and stdout unless given) appended to log_path."""
    log = open(log_path, "ab")
    try:
        return subprocess.Popen(argv, cwd=cwd, env=env, stdin=stdin,
                                stdout=stdout if stdout is not None else log, stderr=log,
                                start_new_session=True)
    finally:
        log.close()


def stop(proc, grace=2.0, sig=signal.SIGTERM):
    """Signals the process group, waits up to `grace` seconds, then kills it. Idempotent."""
    if proc is None:
        return None
    if proc.poll() is None:
        _signal_group(proc.pid, sig)
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            pass
    # Whatever the leader did, leave no child of its group behind (nginx workers, daemons).
    _signal_group(proc.pid, signal.SIGKILL)
    if proc.poll() is None:
        proc.wait()
    return proc.returncode


def _signal_group(pgid, sig):
    try:
        os.killpg(pgid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def wait_until(predicate, timeout, interval=0.01):
    """Calls predicate() until it returns a true value or `timeout` seconds pass; returns the
    last value. An exception of predicate() ends the wait at once (it is for fatal problems)."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() >= deadline:
            return value
        time.sleep(interval)


def log_tail(path, lines=20):
    try:
        with open(path, "rb") as f:
            text = f.read()[-8192:].decode("utf-8", "replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])
