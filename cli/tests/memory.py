#!/usr/bin/env python3
"""A 10 MB input is rejected quickly and with bounded memory.

For each command, mtasts runs on a tiny input and on a 10 MB one (as a file
and through a pipe); the maximum resident set size of each run is taken
from wait4(2). The 10 MB run must not use more than 1 MiB above the tiny
one (it reads at most the size limit + 1 bytes, then stops), and must end
within 2 seconds, sanitizer and coverage builds included. The peak RSS is
measured by rss_run (a small C parent: see rss_run.c for why).
"""
import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time

TEN_MB = 10 * 1024 * 1024
MAX_GROWTH_KB = 1024
MAX_SECONDS = 2.0


def run(rss_run, mtasts, args, stdin_data=None):
    """(exit status, max RSS in KiB, seconds) of one run, measured by rss_run."""
    start = time.monotonic()
    p = subprocess.Popen([rss_run, mtasts] + args, stdout=subprocess.PIPE,
                         stdin=subprocess.PIPE if stdin_data else subprocess.DEVNULL)
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
    code, rss = (int(x) for x in out.split())
    return code, rss, time.monotonic() - start


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
        code, rss, secs = results["big"]
        growth = rss - results["small"][1]
        ok = code == want and growth <= MAX_GROWTH_KB and secs <= MAX_SECONDS
        failures += not ok
        print(f"{'ok  ' if ok else 'FAIL'} {label:22} 10 MB: exit {code} (want {want}), "
              f"max RSS {rss} KiB ({growth:+d} KiB over a tiny input), {secs:.3f} s")
    for p in paths.values():
        os.remove(p)
    os.rmdir(work)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
