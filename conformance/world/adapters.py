"""Resolve adapters (conformance/ADAPTERS.md, "Resolve protocol (scenarios), version 1"):
reading impls.json, probing, and one adapter process spoken to line by line.

An adapter that crashes, hangs past the request timeout, or answers something that is not a
protocol answer to the request is killed with its process group and started again for the next
request; its resolver's cache went with it, so the scenarios it was in the middle of cannot go
on (the driver scores their later steps error).
"""

import json
import os
import select
import signal
import subprocess
import time

import judge
import procs

PROBE_TIMEOUT = 60
CLOSE_GRACE = 5.0
MAX_LINE = 1 << 20


class ConfigError(Exception):
    pass


def substitute(argv, root, build):
    return [a.replace("${root}", root).replace("${build}", build) for a in argv]


def _argv(value, what):
    if not isinstance(value, list) or not value or not all(isinstance(a, str) for a in value):
        raise ConfigError("%s must be a non-empty array of strings" % what)
    return value


def resolve_impls(path, root, build):
    """The implementations of impls.json with a `resolve` member, in file order:
    [{"name", "own", "command", "available"}], with ${root}/${build} substituted."""
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        raise ConfigError("%s: %s" % (path, e))
    entries = doc.get("implementations") if isinstance(doc, dict) else None
    if not isinstance(entries, list):
        raise ConfigError("%s: no implementations array" % path)
    impls = []
    for entry in entries:
        if not isinstance(entry, dict) or "resolve" not in entry:
            continue
        name = entry.get("name")
        if not isinstance(name, str) or not name:
            raise ConfigError("%s: an implementation without a name" % path)
        resolve = entry["resolve"]
        if not isinstance(resolve, dict):
            raise ConfigError("%s: %s: resolve must be an object" % (path, name))
        command = _argv(resolve.get("command"), "%s: resolve.command" % name)
        available = resolve.get("available")
        if available is not None:
            available = substitute(_argv(available, "%s: resolve.available" % name), root, build)
        impls.append({"name": name, "own": entry.get("own") is True,
                      "command": substitute(command, root, build), "available": available})
    names = [i["name"] for i in impls]
    if len(set(names)) != len(names):
        raise ConfigError("%s: an implementation name appears twice" % path)
    return impls


def probe(impl, cwd, env):
    """True when the implementation's `available` command (if any) exits 0."""
    if impl["available"] is None:
        return True
    try:
        return subprocess.run(impl["available"], cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              timeout=PROBE_TIMEOUT).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


class AdapterFailure(Exception):
    """The adapter gave no usable answer; the process is gone or out of step."""


class Adapter:
    """One adapter process (started on first use, restarted on demand)."""

    def __init__(self, impl, cwd, env, stderr_path, timeout, max_restarts):
        self.impl = impl
        self.cwd = cwd
        self.env = env
        self.stderr_path = stderr_path
        self.timeout = timeout
        self.max_restarts = max_restarts
        self.proc = None
        self.buffer = b""
        self.starts = 0
        self.exit_problem = None

    @property
    def restarts(self):
        return max(0, self.starts - 1)

    def can_start(self):
        return self.starts <= self.max_restarts

    def _start(self):
        self.starts += 1
        self.buffer = b""
        try:
            self.proc = procs.start(self.impl["command"], self.stderr_path, cwd=self.cwd,
                                    env=self.env, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        except OSError as e:
            self.proc = None
            raise AdapterFailure("cannot start %s: %s" % (self.impl["command"][0], e))

    def kill(self):
        if self.proc is not None:
            procs.stop(self.proc, grace=1.0, sig=signal.SIGTERM)
            self._close_pipes()
        self.proc = None

    def _close_pipes(self):
        for pipe in (self.proc.stdin, self.proc.stdout):
            try:
                pipe.close()
            except OSError:
                pass

    def request(self, message):
        """Sends one request; returns the answer dict (tcId and step removed).

        Raises AdapterFailure (after killing the process) when there is no protocol answer.
        """
        if self.proc is None:
            self._start()
        try:
            self.proc.stdin.write(json.dumps(message).encode() + b"\n")
            self.proc.stdin.flush()
            line = self._read_line(time.monotonic() + self.timeout)
            answer = self._decode(line, message)
        except AdapterFailure:
            self.kill()
            raise
        except OSError as e:
            self.kill()
            raise AdapterFailure("cannot write the request (%s)" % e.strerror)
        return answer

    def _read_line(self, deadline):
        fd = self.proc.stdout.fileno()
        while b"\n" not in self.buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AdapterFailure("no answer within %g s (killed)" % self.timeout)
            ready, _, _ = select.select([fd], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(fd, 65536)
            if not chunk:
                status = self.proc.wait()
                raise AdapterFailure("the adapter exited (%s) without answering"
                                     % _describe_status(status))
            self.buffer += chunk
            if len(self.buffer) > MAX_LINE and b"\n" not in self.buffer:
                raise AdapterFailure("answer line longer than %d bytes" % MAX_LINE)
        line, _, self.buffer = self.buffer.partition(b"\n")
        return line

    @staticmethod
    def _decode(line, message):
        shown = line[:200].decode("utf-8", "replace")
        try:
            answer = json.loads(line)
        except ValueError:
            raise AdapterFailure("not a JSON answer: %s" % shown)
        if not isinstance(answer, dict):
            raise AdapterFailure("not a JSON object: %s" % shown)
        if answer.get("tcId") != message["tcId"] or answer.get("step") != message["step"]:
            raise AdapterFailure("answer for tcId %s step %s to a request for tcId %s step %s"
                                 % (answer.get("tcId"), answer.get("step"), message["tcId"],
                                    message["step"]))
        problem = judge.answer_problem(answer)
        if problem:
            raise AdapterFailure("malformed answer (%s): %s" % (problem, shown))
        return {k: v for k, v in answer.items() if k not in ("tcId", "step")}

    def close(self):
        """EOF on stdin; the adapter should exit 0. Returns None or what went wrong."""
        if self.proc is None:
            return self.exit_problem
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        try:
            status = self.proc.wait(timeout=CLOSE_GRACE)
        except subprocess.TimeoutExpired:
            status = None
        self.kill()
        if status != 0:
            self.exit_problem = ("did not exit within %g s of EOF" % CLOSE_GRACE
                                 if status is None else "exited %s at EOF"
                                 % _describe_status(status))
        return self.exit_problem


def _describe_status(status):
    if status is None:
        return "still running"
    if status < 0:
        return "killed by signal %d" % -status
    return "with status %d" % status
