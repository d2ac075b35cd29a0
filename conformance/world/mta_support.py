"""What every MTA adapter (conformance/ADAPTERS.md, "MTA protocol") needs: the request loop,
the message it submits, log scanning with a hang guard, and child processes that die with it.

An adapter imports it with sys.path.insert(0, <repository>/conformance/world).
"""

import ctypes
import json
import os
import re
import signal
import sys
import time

PR_SET_PDEATHSIG = 1  # prctl(2)
SENDER = "tester@sender.world.test"
# A guard for one message's attempt: the MTA writes the attempt's outcome to its log (sent,
# deferred, bounced); the wait ends there. Only an MTA that never logs one meets the guard
# (Postfix's pickup, were its wake-up lost, would still poll the queue within 60 s).
OUTCOME_GUARD = 100


def die_with_parent():
    """For preexec_fn: the kernel sends the child SIGTERM when the adapter dies."""
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def message(request):
    """The message for a request: the marker header the world records, and a Message-ID made
    of the marker, so the MTA's log lines can be found by it too."""
    marker = request["marker"]
    return ("From: <%s>\r\nTo: <%s>\r\nSubject: mtasts MTA scenario %s\r\n"
            "Message-ID: <%s@sender.world.test>\r\nX-Mtasts-Marker: %s\r\n\r\n"
            "tcId %d step %d\r\n" % (SENDER, request["recipient"], marker, marker, marker,
                                     request["tcId"], request["step"])).encode()


def read_from(path, offset):
    """(text appended to `path` since `offset`, new offset)."""
    try:
        with open(path, "rb") as f:
            f.seek(offset)
            data = f.read()
    except OSError:
        return "", offset
    return data.decode("utf-8", "replace"), offset + len(data)


def wait_for(find, guard=OUTCOME_GUARD, interval=0.05):
    """Calls find() until it returns something other than None or the guard passes."""
    deadline = time.monotonic() + guard
    while True:
        found = find()
        if found is not None or time.monotonic() >= deadline:
            return found
        time.sleep(interval)


def tail(path, lines=10):
    text, _ = read_from(path, 0)
    return "\n".join(text.splitlines()[-lines:])


def serve(handle, stop=None):
    """The protocol loop: one JSON request per line in, one answer per line out (tcId and step
    echoed). `handle(request)` returns the answer's other members; an exception is an `error`
    answer. `stop()` runs at EOF."""
    try:
        for line in sys.stdin:
            if not line.strip():
                continue
            request = json.loads(line)
            try:
                answer = handle(request)
            except Exception as e:  # noqa: BLE001 - every failure is an answer, not a crash
                answer = {"error": "%s: %s" % (type(e).__name__, e)}
            answer = dict(answer, tcId=request["tcId"], step=request["step"])
            sys.stdout.write(json.dumps(answer) + "\n")
            sys.stdout.flush()
    finally:
        if stop is not None:
            stop()
    return 0


def first_match(pattern, text):
    match = re.search(pattern, text, re.M)
    return match.groups() if match else None


def workdir():
    path = os.environ.get("MTASTS_MTA_WORKDIR") or os.path.join(
        os.environ.get("MTASTS_WORLD_DIR", "/tmp"), "mta")
    os.makedirs(path, exist_ok=True)
    return path
