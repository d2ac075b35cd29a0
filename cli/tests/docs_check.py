#!/usr/bin/env python3
"""The documentation of the mtasts command agrees with itself.

Every option and command that `mtasts --help` lists is described in the
man page, both give the three exit statuses, and the man page renders
without a groff warning.
"""
import argparse
import re
import shutil
import subprocess
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mtasts", required=True)
    ap.add_argument("--man", required=True)
    a = ap.parse_args()
    failures = []
    help_text = subprocess.run([a.mtasts, "--help"], capture_output=True, text=True,
                               check=True).stdout
    with open(a.man, encoding="utf-8") as f:
        man = f.read()
    # The man page as text: groff's "\-" is "-", font escapes go.
    man_text = re.sub(r"\\f[BIRP]", "", man.replace("\\-", "-"))

    options = sorted(set(re.findall(r"(?<![\w-])(--[a-z][a-z-]+|-[hq])\b", help_text)))
    commands = re.findall(r"^  ([a-z]+) ", help_text.split("Commands:")[1].split("Options:")[0],
                          re.M)
    if len(options) < 10 or len(set(commands)) != 8:
        failures.append(f"the help lists {len(options)} options and commands {sorted(set(commands))}")
    for word in options + sorted(set(commands)):
        if not re.search(r"(?<![\w-])" + re.escape(word) + r"(?![\w-])", man_text):
            failures.append(f"the man page does not mention {word}")

    for name, text in (("--help", help_text), ("mtasts.1", man_text)):
        status = text.split("Exit status:" if name == "--help" else ".SH EXIT STATUS")[-1]
        for code in ("0", "1", "2"):
            if not re.search(r"^(\s*|\.B )" + code + r"\b", status, re.M):
                failures.append(f"{name} does not document exit status {code}")

    if shutil.which("groff"):
        r = subprocess.run(["groff", "-man", "-Tutf8", "-ww", "-z", a.man], capture_output=True,
                           text=True)
        if r.returncode != 0 or r.stderr:
            failures.append("groff warns about the man page:\n" + r.stderr)
    else:
        print("note: groff is not installed; the man page was not rendered")

    for f in failures:
        print("FAIL " + f)
    print(f"{len(options)} options and {len(set(commands))} commands of --help checked against "
          f"{a.man}: {len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
