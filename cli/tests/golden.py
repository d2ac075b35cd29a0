#!/usr/bin/env python3
"""Golden-output tests of the mtasts command.

Each line of cases.txt is "NAME: [<STDIN] [env:K=V] [tty] ARGS..." (shell
words). The command runs in a scratch directory that holds every file of
inputs/, the generated inputs (@NAME, see GENERATED) and a directory named
a-directory; its exit status, stdout and stderr are rendered into one text
that must equal golden/NAME.out byte for byte.

  golden.py --mtasts BIN              run every case
  golden.py --mtasts BIN --update     rewrite the golden files (review them!)
  golden.py --mtasts BIN NAME...      run (or update) only these cases
"""
import argparse
import difflib
import hashlib
import os
import pty
import select
import shlex
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TEN_MB = 10 * 1024 * 1024


def big_policy():
    """A 10 MB policy: valid lines, far past the 64 KiB limit."""
    line = b"mx: mail.example.com\n"
    head = b"version: STSv1\nmode: enforce\n"
    return head + line * ((TEN_MB - len(head)) // len(line))


def random_bytes():
    """10 MB of binary noise, the same at every run and on every Python."""
    return b"".join(hashlib.sha256(i.to_bytes(4, "big")).digest() for i in range(TEN_MB // 32))


GENERATED = {
    "big10m.txt": big_policy,
    "zero10m.bin": lambda: bytes(TEN_MB),
    "rand10m.bin": random_bytes,
}


def parse_case(line):
    name, _, rest = line.partition(":")
    words = shlex.split(rest)
    case = {"name": name.strip(), "stdin": None, "env": {}, "tty": False, "args": []}
    while words:
        w = words[0]
        if w.startswith("<"):
            case["stdin"] = w[1:]
        elif w.startswith("env:"):
            k, _, v = w[4:].partition("=")
            case["env"][k] = v
        elif w == "tty":
            case["tty"] = True
        else:
            break
        words.pop(0)
    # "bytes:..." stands for an argument that is not UTF-8: \xHH escapes.
    case["args"] = [os.fsdecode(w[6:].encode().decode("unicode_escape").encode("latin-1"))
                    if w.startswith("bytes:") else w for w in words]
    return case


def read_cases(path):
    cases = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                cases.append(parse_case(line))
    names = [c["name"] for c in cases]
    dup = {n for n in names if names.count(n) > 1}
    if dup:
        sys.exit("duplicate case names: " + ", ".join(sorted(dup)))
    return cases


def make_workdir(inputs):
    work = tempfile.mkdtemp(prefix="mtasts-golden-")
    for name in os.listdir(inputs):
        shutil.copy(os.path.join(inputs, name), os.path.join(work, name))
    for name, make in GENERATED.items():
        with open(os.path.join(work, name), "wb") as f:
            f.write(make())
    os.mkdir(os.path.join(work, "a-directory"))
    return work


def environment(case):
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TERM")}
    env["LC_ALL"] = "C"
    # A coverage build's runtime may warn on stderr (stale .gcda files).
    env["GCOV_ERROR_FILE"] = os.devnull
    env.update(case["env"])
    return env


def run_pipe(mtasts, case, work):
    stdin = subprocess.DEVNULL
    if case["stdin"] is not None:
        # os.open, not open(): a directory given as standard input is a case.
        stdin = os.open(os.path.join(work, case["stdin"]), os.O_RDONLY)
    try:
        p = subprocess.run([mtasts] + case["args"], cwd=work, env=environment(case), stdin=stdin,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    finally:
        if stdin is not subprocess.DEVNULL:
            os.close(stdin)
    return p.returncode, p.stdout, p.stderr


def run_tty(mtasts, case, work):
    """stdout on a pseudo-terminal (colour "auto" sees a terminal)."""
    master, slave = pty.openpty()
    p = subprocess.Popen([mtasts] + case["args"], cwd=work, env=environment(case),
                         stdin=subprocess.DEVNULL, stdout=slave, stderr=subprocess.PIPE)
    os.close(slave)
    out = b""
    while True:
        ready, _, _ = select.select([master], [], [], 60)
        if not ready:
            p.kill()
            break
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        out += chunk
    os.close(master)
    err = p.stderr.read()
    p.stderr.close()
    code = p.wait()
    # The terminal turns "\n" into "\r\n".
    return code, out.replace(b"\r\n", b"\n"), err


def shell_quote(arg):
    """shlex.quote, or $'...' for an argument that is not UTF-8."""
    raw = os.fsencode(arg)
    try:
        raw.decode("utf-8")
        return shlex.quote(arg)
    except UnicodeDecodeError:
        return "$'" + "".join(chr(b) if 0x20 <= b < 0x7F and b not in b"'\\" else f"\\x{b:02x}"
                              for b in raw) + "'"


def render(case, code, out, err):
    cmd = " ".join(["mtasts"] + [shell_quote(a) for a in case["args"]])
    head = []
    for k, v in case["env"].items():
        head.append(f"{k}={shlex.quote(v)} ")
    line = "$ " + "".join(head) + cmd
    if case["stdin"] is not None:
        line += " < " + case["stdin"]
    if case["tty"]:
        line += "    # stdout is a terminal"
    text = (line + "\n").encode()
    text += f"[exit {code}]\n".encode()
    text += b"--- stdout\n" + out
    if out and not out.endswith(b"\n"):
        text += b"\n[no newline at end of stdout]\n"
    text += b"--- stderr\n" + err
    if err and not err.endswith(b"\n"):
        text += b"\n[no newline at end of stderr]\n"
    return text


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mtasts", required=True, help="the binary under test")
    ap.add_argument("--cases", default=os.path.join(HERE, "cases.txt"))
    ap.add_argument("--golden", default=os.path.join(HERE, "golden"))
    ap.add_argument("--inputs", default=os.path.join(HERE, "inputs"))
    ap.add_argument("--update", action="store_true", help="rewrite the golden files")
    ap.add_argument("names", nargs="*", help="only these cases")
    a = ap.parse_args()
    mtasts = os.path.abspath(a.mtasts)
    cases = read_cases(a.cases)
    if a.names:
        unknown = set(a.names) - {c["name"] for c in cases}
        if unknown:
            sys.exit("no such case: " + ", ".join(sorted(unknown)))
        cases = [c for c in cases if c["name"] in a.names]
    else:
        known = {c["name"] + ".out" for c in cases}
        stale = sorted(set(os.listdir(a.golden)) - known)
        if stale and not a.update:
            print("golden files without a case: " + ", ".join(stale))
            return 1
        for name in stale:
            os.remove(os.path.join(a.golden, name))
    work = make_workdir(a.inputs)
    failed = []
    try:
        for case in cases:
            runner = run_tty if case["tty"] else run_pipe
            got = render(case, *runner(mtasts, case, work))
            path = os.path.join(a.golden, case["name"] + ".out")
            if a.update:
                with open(path, "wb") as f:
                    f.write(got)
                continue
            try:
                with open(path, "rb") as f:
                    want = f.read()
            except FileNotFoundError:
                want = None
            if got != want:
                failed.append(case["name"])
                print(f"FAIL {case['name']}")
                if want is None:
                    print(f"  no golden file {path}; run with --update and review it")
                else:
                    diff = difflib.unified_diff(
                        want.decode("utf-8", "replace").splitlines(True),
                        got.decode("utf-8", "replace").splitlines(True),
                        "golden/" + case["name"] + ".out", "actual")
                    sys.stdout.writelines(list(diff)[:60])
    finally:
        shutil.rmtree(work)
    if a.update:
        print(f"{len(cases)} golden files written: review them (git diff) before committing")
        return 0
    print(f"{len(cases) - len(failed)} of {len(cases)} cases match their golden output")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
