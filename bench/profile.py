#!/usr/bin/env python3
"""profile.py - where one parse call's instructions go (bench/README.md,
"Where the time goes").

Runs `mtasts-bench --calls N` and `--calls 2N` under callgrind for each
input (and implementation), and prints the instructions of one call, the
difference of the two runs over N: start-up, input generation and the
result check cancel out. Instruction counts do not depend on the machine's
load, so two builds can be compared on a busy machine.

With --by-function it also charges every instruction to the source function
it belongs to, the helpers that gcc inlines (cursor.h, chars.h, record.h)
to the function they were inlined into: callgrind --dump-instr=yes gives
the cost per address, `addr2line -i` the chain of inlined functions there.
libc's memchr/memcmp/memset count under their own names.

    python3 bench/profile.py BUILD/bench/mtasts-bench [--input NAME]...
        [--impl mtasts-strict|memchr|byteclass] [--calls N] [--by-function]
        [--per-byte]

Needs valgrind and binutils (addr2line).
"""
import argparse
import collections
import os
import re
import subprocess
import sys
import tempfile

INLINE_HELPERS = ("cursor.h", "chars.h", "record.h")
DEFAULT_INPUTS = ("txt", "tlsrpt", "policy-typical", "policy-64k")


def callgrind(bench, name, impl, calls, out):
    """Run one input under callgrind; returns the total instruction count."""
    cmd = ["valgrind", "--tool=callgrind", "--dump-instr=yes", "--callgrind-out-file=" + out,
           bench, "--calls", str(calls), "--only", name, "--impl", impl]
    run = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if run.returncode != 0:
        sys.exit("profile.py: %s failed:\n%s" % (" ".join(cmd), run.stderr))
    found = re.search(r"Collected : (\d+)", run.stderr)
    if not found:
        sys.exit("profile.py: no instruction count in callgrind's output")
    return int(found.group(1))


def costs_by_address(path, binary):
    """{address: instructions} of the benchmark binary's own code (not libc)
    and {libc function: instructions} for memchr/memcmp/memset."""
    names, by_addr, libc = {}, collections.Counter(), collections.Counter()
    obj = fn = None
    last = 0
    with open(path) as f:
        lines = iter(f)
        for line in lines:
            m = re.match(r"(c?ob|c?fn)=\((\d+)\)(?: (.*))?", line)
            if m:
                kind, ident, text = m.groups()
                if text:
                    names[(kind.lstrip("c"), ident)] = text.strip()
                if kind in ("ob", "fn"):
                    value = names.get((kind, ident))
                    if kind == "ob":
                        obj = value
                    else:
                        fn = value
                continue
            if line.startswith("calls="):
                # The next line is the call's inclusive cost: counted by the callee.
                parts = next(lines).split()
                last = step(parts[0], last)
                continue
            if not line or line[0] not in "0123456789+-*":
                continue
            parts = line.split()
            last = step(parts[0], last)
            if len(parts) < 2:
                continue
            if obj is not None and os.path.realpath(obj) == os.path.realpath(binary):
                by_addr[last] += int(parts[-1])
            elif fn is not None and re.search(r"mem(chr|cmp|set)", fn):
                libc[re.sub(r"_.*", "", fn.split("__")[-1]) or fn] += int(parts[-1])
    return by_addr, libc


def step(field, last):
    if field.startswith("0x"):
        return int(field, 16)
    if field[0] in "+-":
        return last + int(field)
    return last  # "*": the same address


def charge(binary, by_addr):
    """{function (file): instructions}, inline helpers charged to their caller."""
    addrs = sorted(by_addr)
    out = subprocess.run(["addr2line", "-a", "-i", "-f", "-e", binary] +
                         ["0x%x" % a for a in addrs],
                         capture_output=True, text=True, check=True).stdout.splitlines()
    chains, current, i = {}, None, 0
    while i < len(out):
        if out[i].startswith("0x"):
            current = int(out[i], 16)
            chains[current] = []
            i += 1
        else:
            chains[current].append((out[i], out[i + 1] if i + 1 < len(out) else ""))
            i += 2
    result = collections.Counter()
    for addr, cost in by_addr.items():
        chain = chains.get(addr, [])
        owner = "?"
        for fn, loc in chain:  # innermost first
            base = os.path.basename(loc.split(":")[0])
            if base not in INLINE_HELPERS:
                owner = "%s (%s)" % (fn, base)
                break
        result[owner] += cost
    return result


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("bench", help="the mtasts-bench binary")
    ap.add_argument("--input", action="append", help="an input of mtasts-bench (repeatable)")
    ap.add_argument("--impl", default="mtasts-strict")
    ap.add_argument("--calls", type=int, default=0, help="N (default: 2000, 20 for policy-64k)")
    ap.add_argument("--by-function", action="store_true")
    ap.add_argument("--per-byte", action="store_true", help="also instructions per input byte")
    args = ap.parse_args()
    sizes = {}
    if args.per_byte:
        with tempfile.TemporaryDirectory() as d:
            subprocess.run([args.bench, "--smoke", "--only", "txt", "--no-table",
                            "--emit-inputs", d], capture_output=True, check=True)
            for name in os.listdir(d):
                if name.endswith(".in"):
                    sizes[name[:-3]] = os.path.getsize(os.path.join(d, name))
    for name in args.input or DEFAULT_INPUTS:
        n = args.calls or (20 if name == "policy-64k" else 2000)
        with tempfile.TemporaryDirectory() as d:
            one, two = os.path.join(d, "one"), os.path.join(d, "two")
            per_call = (callgrind(args.bench, name, args.impl, 2 * n, two) -
                        callgrind(args.bench, name, args.impl, n, one)) / n
            line = "PROFILE input=%s impl=%s instructions_per_call=%.0f" % (name, args.impl,
                                                                           per_call)
            if name in sizes:
                line += " per_byte=%.2f" % (per_call / sizes[name])
            print(line)
            if not args.by_function:
                continue
            totals = []
            for path in (one, two):
                by_addr, libc = costs_by_address(path, args.bench)
                funcs = charge(args.bench, by_addr)
                funcs.update({"%s (libc)" % k: v for k, v in libc.items()})
                totals.append(funcs)
            diff = {k: (totals[1][k] - totals[0].get(k, 0)) / n for k in totals[1]}
            for fn, cost in sorted(diff.items(), key=lambda kv: -kv[1]):
                if cost >= 0.5:
                    print("  %9.1f  %s" % (cost, fn))


if __name__ == "__main__":
    main()
