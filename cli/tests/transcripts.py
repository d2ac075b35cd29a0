#!/usr/bin/env python3
"""Replay the terminal sessions (```console blocks) of README.md and compare.

Each ```console block is one session, run by bash in a fresh directory with
the mtasts under test first in PATH: a line "$ CMD" is a command, the lines
after it (up to the next "$ " line) its output, stdout and stderr merged.

A ```text block right after "<!-- recorded: PATH -->" is a session that needs
servers (mtasts check, in the loopback world): it must equal the file PATH of
the repository, which a world test records again and compares.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile


def sessions(markdown):
    for block in re.findall(r"^```console\n(.*?)^```$", markdown, re.M | re.S):
        steps = []
        for line in block.splitlines():
            if line.startswith("$ "):
                steps.append([line[2:], []])
            elif steps:
                steps[-1][1].append(line)
            else:
                raise ValueError("output before the first command: " + line)
        yield steps


def recorded_blocks(markdown):
    """(path, text) of every block marked as a recording."""
    return re.findall(r"^<!-- recorded: (\S+) -->\n```text\n(.*?)^```$", markdown, re.M | re.S)


def check_recorded(markdown, root):
    failures = 0
    blocks = recorded_blocks(markdown)
    for path, text in blocks:
        with open(os.path.join(root, path), encoding="utf-8") as f:
            if f.read() != text:
                print(f"FAIL the README's recording of {path} differs from the file")
                failures += 1
    if len(blocks) != 1:
        print(f"FAIL expected 1 recorded session, found {len(blocks)}")
        failures += 1
    return failures


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mtasts", required=True)
    ap.add_argument("--transcripts", required=True)
    a = ap.parse_args()
    env = dict(os.environ, LC_ALL="C", GCOV_ERROR_FILE=os.devnull)
    env.pop("NO_COLOR", None)
    env["PATH"] = os.path.dirname(os.path.abspath(a.mtasts)) + os.pathsep + env.get("PATH", "")
    with open(a.transcripts, encoding="utf-8") as f:
        markdown = f.read()
    all_sessions = list(sessions(markdown))
    failures = check_recorded(markdown, os.path.dirname(os.path.abspath(a.transcripts)))
    commands = 0
    for n, steps in enumerate(all_sessions, 1):
        work = tempfile.mkdtemp(prefix="mtasts-transcript-")
        try:
            for cmd, want in steps:
                commands += 1
                r = subprocess.run(["bash", "-c", cmd], cwd=work, env=env, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, timeout=60)
                got = r.stdout.decode("utf-8", "replace").rstrip("\n")
                got = got.split("\n") if got else []
                if got != want:
                    failures += 1
                    print(f"FAIL session {n}: $ {cmd}")
                    for w, g in zip(want + [""] * len(got), got + [""] * len(want)):
                        if w != g:
                            print(f"  want: {w!r}\n  got:  {g!r}")
                            break
        finally:
            shutil.rmtree(work)
    if len(all_sessions) != 4:
        print(f"FAIL expected 4 sessions, found {len(all_sessions)}")
        failures += 1
    print(f"{len(all_sessions)} sessions, {commands} commands replayed: {failures} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
