#!/usr/bin/env python3
"""Prove that the parser has no recursion, from gcc's own call graph.

gcc 12 writes one VCG file per translation unit with -fcallgraph-info=su:
a node per function (its frame size in the label) and an edge per call
site. This script compiles parser/src/*.c (or --src DIR: wire/src), joins the files into one graph
and fails on any cycle (direct or mutual recursion).

A call through a function pointer shows as an edge to "__indirect_call".
It is resolved conservatively: it may reach any function whose address is
taken anywhere in the parser (read from -fdump-ipa-cgraph). An indirect
call with no address-taken function to reach fails, as unprovable.

The default -O0 graph is the source's own (no inlining hides a call).
--worst-path also prints the deepest stack path (frame sizes summed along
a call chain); ci/stack_usage.sh uses it with the build's -O2.
"""
import argparse
import glob
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NODE = re.compile(r'^node: \{ title: "([^"]+)" label: "([^"]*)"(.*)\}$')
EDGE = re.compile(r'^edge: \{ sourcename: "([^"]+)" targetname: "([^"]+)"')
FRAME = re.compile(r"\\n(\d+) bytes \(([^)]*)\)")
INDIRECT = "__indirect_call"


def compile_call_graphs(cc, cflags, src_dirs, include_dirs, out_dir):
    """Compile every source; return [(source, .ci file, cgraph dump)]."""
    sources = sorted(s for d in src_dirs for s in glob.glob(os.path.join(os.path.abspath(d), "*.c")))
    if not sources:
        sys.exit(f"!! no C sources in {' '.join(src_dirs)}")
    units = []
    for i, src in enumerate(sources):
        # Numbered: two directories may both have an errors.c.
        base = f"{i}_{os.path.basename(src)}"
        includes = [a for d in include_dirs for a in ("-I", os.path.abspath(d))]
        cmd = [cc, "-std=c11", *cflags, "-fcallgraph-info=su", "-fdump-ipa-cgraph",
               *includes, "-c", src, "-o", base + ".o"]
        if subprocess.run(cmd, cwd=out_dir).returncode != 0:
            sys.exit(f"!! {' '.join(cmd)} failed")
        dumps = glob.glob(os.path.join(out_dir, base + ".*i.cgraph"))
        units.append((src, os.path.join(out_dir, base + ".ci"), dumps[0] if dumps else None))
    return units


def address_taken(unit_source, dump, functions):
    """Titles of the functions of one unit whose address is taken."""
    taken = set()
    if dump is None:
        return taken
    name, is_function = None, False
    with open(dump, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = re.match(r"^(\S+)/\d+ \(", line)
            if m:
                name, is_function = m.group(1), False
            elif line.startswith("  Type: function"):
                is_function = True
            elif name and is_function and line.strip() == "Address is taken.":
                # A static function's node title carries its file name.
                local = f"{unit_source}:{name}"
                taken.add(local if local in functions else name)
    return {t for t in taken if t in functions}


def read_graph(files):
    """Return (functions, externals, edges): functions maps a title to
    (label, frame bytes, frame qualifier); edges maps a caller to the set of
    its callees."""
    functions, externals, edges = {}, {}, {}
    for path in files:
        with open(path, encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                m = NODE.match(line)
                if m:
                    title, label, rest = m.groups()
                    frame = FRAME.search(label)
                    if "ellipse" in rest or frame is None:
                        externals[title] = label.split("\\n")[0]
                    else:
                        name_and_place = " ".join(label.split("\\n")[:2])
                        functions[title] = (name_and_place, int(frame.group(1)), frame.group(2))
                    continue
                m = EDGE.match(line)
                if m:
                    edges.setdefault(m.group(1), set()).add(m.group(2))
    # A function defined in another unit was an external node in this one.
    for title in functions:
        externals.pop(title, None)
    return functions, externals, edges


def find_cycle(functions, edges):
    """Return one call cycle as a list of titles, or None (iterative DFS)."""
    WHITE, GREY, BLACK = 0, 1, 2
    colour = {f: WHITE for f in functions}
    for start in sorted(functions):
        if colour[start] != WHITE:
            continue
        stack = [(start, iter(sorted(edges.get(start, ()))))]
        path = [start]
        colour[start] = GREY
        while stack:
            node, callees = stack[-1]
            callee = next(callees, None)
            if callee is None:
                colour[node] = BLACK
                stack.pop()
                path.pop()
            elif callee in functions and colour[callee] == GREY:
                return path[path.index(callee):] + [callee]
            elif callee in functions and colour[callee] == WHITE:
                colour[callee] = GREY
                stack.append((callee, iter(sorted(edges.get(callee, ())))))
                path.append(callee)
    return None


def worst_path(functions, edges):
    """Deepest stack: max over call chains of the summed frame sizes.
    The graph is acyclic (checked before), so a post-order walk works."""
    best = {}
    order = []
    seen = set()
    for start in sorted(functions):
        if start in seen:
            continue
        stack = [(start, False)]
        while stack:
            node, done = stack.pop()
            if done:
                order.append(node)
                continue
            if node in seen:
                continue
            seen.add(node)
            stack.append((node, True))
            for callee in edges.get(node, ()):
                if callee in functions and callee not in seen:
                    stack.append((callee, False))
    for node in order:  # callees before callers
        deepest = max(((best[c][0], c) for c in edges.get(node, ()) if c in functions),
                      default=(0, None))
        best[node] = (functions[node][1] + deepest[0], deepest[1])
    root = max(best, key=lambda n: (best[n][0], n))
    chain, node = [], root
    while node is not None:
        chain.append(node)
        node = best[node][1]
    return best[root][0], chain


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cc", default=os.environ.get("MTASTS_GCC", "gcc"),
                    help="a gcc (>= 12) to compile with (default: gcc)")
    ap.add_argument("--cflags", default="-O0",
                    help="optimisation and code generation flags (default: -O0)")
    # Repeatable (report/ is checked with the parser it calls: one graph, one
    # deepest chain through both).
    ap.add_argument("--src", action="append")
    # Repeatable (wire/ needs its own headers and the parser's).
    ap.add_argument("--include", action="append")
    ap.add_argument("--worst-path", action="store_true",
                    help="also print the deepest stack path")
    args = ap.parse_args()

    srcs = args.src or [os.path.join(ROOT, "parser", "src")]
    print(f"== call graph of {', '.join(d + '/*.c' for d in srcs)} "
          f"({args.cc} {args.cflags} -fcallgraph-info=su)")
    with tempfile.TemporaryDirectory() as tmp:
        includes = args.include or [os.path.join(ROOT, "parser", "include")]
        units = compile_call_graphs(args.cc, args.cflags.split(), srcs, includes, tmp)
        if not all(os.path.exists(ci) for _, ci, _ in units):
            sys.exit("!! no .ci files: is the compiler gcc >= 12?")
        functions, externals, edges = read_graph([ci for _, ci, _ in units])
        targets = set()
        for src, _, dump in units:
            targets |= address_taken(src, dump, functions)

    failed = False
    indirect = sorted(f for f, callees in edges.items() if INDIRECT in callees)
    if indirect:
        short = sorted(t.rsplit(":", 1)[-1] for t in targets)
        print(f"   indirect calls in {', '.join(c.rsplit(':', 1)[-1] for c in indirect)}: "
              f"may reach any address-taken function: {', '.join(short) or 'none'}")
        if not targets:
            print("!! an indirect call has no known target: recursion cannot be ruled out")
            failed = True
        for caller in indirect:
            edges[caller] = (edges[caller] - {INDIRECT}) | targets
    calls = sum(len(v) for v in edges.values())
    outside = sorted(set(externals.values()) - {"Indirect Call Placeholder"})
    print(f"   {len(functions)} functions, {calls} distinct call edges; "
          f"external callees: {', '.join(outside) or 'none'}")
    cycle = find_cycle(functions, edges)
    if cycle:
        print("!! recursion: " + " -> ".join(cycle))
        failed = True
    if failed:
        return 1
    print("== ok: no function can reach itself (no recursion)")
    if args.worst_path:
        total, chain = worst_path(functions, edges)
        print(f"== deepest stack path: {total} bytes, frames summed "
              f"(calls into libc not counted)")
        for title in chain:
            label, size, qualifier = functions[title]
            print(f"   {size:6d} bytes  {qualifier:16s} {label}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
