#!/usr/bin/env python3
"""A 10 MB input is rejected after reading a bounded part of it, with bounded memory.

For each command, mtasts runs on a tiny input and on a 10 MB one (as a file
and through a pipe); rss_run (a small C parent: see rss_run.c for why)
reports each run's peak resident set size from wait4(2) and the bytes it
read from /proc/PID/io. The 10 MB run must not use more than 1 MiB above
the tiny one, and must not read more than MAX_READ_GROWTH bytes more than
it: it reads at most the size limit + 1 bytes of its input, then stops.

Both are decided by the program, not by the machine: how fast a run is
depends on the load (and on sanitizer and coverage builds), so its time is
printed and never checked. A run that has not ended after GUARD_SECONDS is
killed and fails: a hang guard, not a speed claim.
"""
import argparse
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time

TEN_MB = 10 * 1024 * 1024
MAX_GROWTH_KB = 1024
# The largest input limit of the commands below (64 KiB: a policy, an RRset file), the bytes
# read past it to tell "too large", and 4 KiB for any other read the 10 MB run makes and the
# tiny one does not: far below the 10 MB that reading it all would show.
MAX_READ_GROWTH = 65536 + 4096
GUARD_SECONDS = 120


def run(rss_run, mtasts, args, stdin_data=None):
    """(exit status, max RSS in KiB, bytes read, seconds) of one run, measured by rss_run;
    the exit status is a text saying why when there is none (the guard, rss_run failing)."""
    start = time.monotonic()
    p = subprocess.Popen([rss_run, mtasts] + args, stdout=subprocess.PIPE,
                         stdin=subprocess.PIPE if stdin_data else subprocess.DEVNULL,
                         start_new_session=True)
    fired = threading.Event()

    def kill():
        fired.set()
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:  # it ended just now
            pass

    guard = threading.Timer(GUARD_SECONDS, kill)
    guard.start()
    if stdin_data:
        def feed():
            try:
                p.stdin.write(stdin_data)
            except BrokenPipeError:  # mtasts stopped reading: the point
                pass
            finally:
                try:
                    p.stdin.close()
                except BrokenPipeError:
                    pass
        threading.Thread(target=feed, daemon=True).start()
    out = p.stdout.read().decode()
    p.wait()
    guard.cancel()
    if fired.is_set():
        return "none: killed after %d s" % GUARD_SECONDS, 0, -1, time.monotonic() - start
    if p.returncode != 0:
        return "none: rss_run exited %d" % p.returncode, 0, -1, time.monotonic() - start
    code, rss, rchar = (int(x) for x in out.split())
    return code, rss, rchar, time.monotonic() - start


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mtasts", required=True)
    ap.add_argument("--rss-run", required=True, help="the rss_run helper")
    a = ap.parse_args()
    rss_run = os.path.abspath(a.rss_run)
    mtasts = os.path.abspath(a.mtasts)
    work = tempfile.mkdtemp(prefix="mtasts-memory-")
    line = b"mx: mail.example.com\n"
    big = b"version: STSv1\nmode: enforce\n" + line * (TEN_MB // len(line))
    small = b"version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: 86400\n"
    paths = {}
    for name, data in (("big", big), ("small", small)):
        paths[name] = os.path.join(work, name)
        with open(paths[name], "wb") as f:
            f.write(data)
    # (label, args with {} for the input file, expected exit status of the big run)
    cases = [
        ("policy FILE", ["policy", "{}"], 1),
        ("fmt FILE", ["fmt", "{}"], 1),
        ("match --policy FILE", ["match", "--policy", "{}", "mail.example.com"], 1),
        ("txt --rrset FILE", ["txt", "--rrset", "{}"], 2),
        ("policy < pipe", ["policy", "-"], 1),
        ("txt < pipe", ["txt", "-"], 1),
        ("tlsrpt < pipe", ["tlsrpt"], 1),
        ("txt --strings < pipe", ["txt", "--strings", "-"], 2),
    ]
    failures = 0
    for label, args, want in cases:
        piped = "{}" not in args
        results = {}
        for name in ("small", "big"):
            if piped:
                with open(paths[name], "rb") as f:
                    results[name] = run(rss_run, mtasts, args, f.read())
            else:
                results[name] = run(rss_run, mtasts,
                                    [paths[name] if x == "{}" else x for x in args])
        code, rss, rchar, secs = results["big"]
        growth = rss - results["small"][1]
        read_growth = rchar - results["small"][2]
        ok = (code == want and growth <= MAX_GROWTH_KB and results["small"][2] >= 0
              and read_growth <= MAX_READ_GROWTH)
        failures += not ok
        print(f"{'ok  ' if ok else 'FAIL'} {label:22} 10 MB: exit {code} (want {want}), "
              f"max RSS {rss} KiB ({growth:+d} KiB over a tiny input), read {rchar} bytes "
              f"({read_growth:+d} over a tiny input, at most {MAX_READ_GROWTH}), "
              f"{secs:.3f} s (not checked)")
    for p in paths.values():
        os.remove(p)
    os.rmdir(work)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
