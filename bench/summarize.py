#!/usr/bin/env python3
"""summarize.py - the readable report of one ci/bench.sh run.

Reads the lines mtasts-bench, the peer drivers, the fuzz runs and the
conformance runs printed (BENCH, STATS, TARGET, MEM, SIZEOF, STACK, ALLOC,
FUZZ, CONFORMANCE, "# SKIP"), and prints:

  - every input: each implementation's median (min, max) ns per operation,
    GB/s, ratio to the memchr baseline and to our strict parser;
  - the scaling series for every implementation: the cost of one more mx
    line, (t(N) - t(0)) / N, at each N, its spread, and the growth exponent
    between 100 and 2700 lines (1: linear, 2: quadratic);
  - the targets of issue 7, met or missed and by how much;
  - memory, fuzzing and conformance figures.

With --out DIR it also writes DIR/results.md (the same, as Markdown),
DIR/scaling.dat and DIR/scaling.gp, and renders DIR/scaling.png when
gnuplot is installed. With --readme FILE it replaces the lines between
"<!-- bench-results:begin -->" and "<!-- bench-results:end -->" in FILE with
results.md (ci/bench.sh --publish).

    python3 bench/summarize.py [--out DIR] [--readme FILE] FILE...
"""
import argparse
import math
import os
import re
import shutil
import subprocess
import sys

OURS = "mtasts-strict"
OWN_IMPLS = ("mtasts-strict", "mtasts-lenient", "memchr", "byteclass")
BASELINES = ("memchr", "byteclass")
SCALING_RE = re.compile(r"^policy-mx(\d+)$")
PEER_FACTOR = 15.0          # "at least 15 x faster than every peer on every input"
LINEAR_TOLERANCE = 0.20     # "time per mx line within +-20 %"
KEY_VALUE = re.compile(r"(\w+)=(\S+)")


def fields(line):
    return dict(KEY_VALUE.findall(line))


class Run:  # pylint: disable=too-many-instance-attributes
    def __init__(self):
        self.inputs = []            # input names, in order of first appearance
        self.bench = {}             # input -> impl -> {"ns", "gbps", "ratio", "min", "max"}
        self.impls = []             # impl names, in order of first appearance
        self.targets, self.memory, self.sizes, self.fuzz, self.conformance = [], [], [], [], []
        self.skips, self.headers = [], []
        self.blocks, self.rejected = 0, 0   # timed blocks kept; blocks run again

    def add(self, line):
        kind = line.split(" ", 1)[0]
        f = fields(line)
        if kind == "BENCH":
            if f["input"] not in self.bench:
                self.inputs.append(f["input"])
                self.bench[f["input"]] = {}
            if f["impl"] not in self.impls:
                self.impls.append(f["impl"])
            self.bench[f["input"]][f["impl"]] = {
                "ns": float(f["ns_per_op"]), "gbps": float(f["gbps"]), "ratio": f["ratio"]}
        elif kind == "STATS":
            entry = self.bench.get(f["input"], {}).get(f["impl"])
            if entry is not None:
                entry["min"], entry["max"] = float(f["min_ns"]), float(f["max_ns"])
            self.blocks += int(f.get("blocks", 0))
            self.rejected += int(f.get("rejected_blocks", 0))
        elif kind == "TARGET":
            self.targets.append(line)
        elif kind in ("MEM", "STACK", "ALLOC"):
            self.memory.append(line)
        elif kind == "SIZEOF":
            self.sizes.append((f["struct"], f["bytes"]))
        elif kind == "FUZZ":
            self.fuzz.append(f)
        elif kind == "CONFORMANCE":
            self.conformance.append(f)
        elif line.startswith("# SKIP") or line.startswith("SKIP "):
            self.skips.append(line.lstrip("# "))
        elif line.startswith("# ") and ("mtasts-bench" in line or " node v" in line
                                        or " python " in line):
            self.headers.append(line[2:])

    def ns(self, input_name, impl):
        entry = self.bench.get(input_name, {}).get(impl)
        return entry["ns"] if entry else None


def peers_of(run):
    return [i for i in run.impls if i not in OWN_IMPLS]


def fmt_ns(x):
    if x is None:
        return "-"
    return f"{x:,.1f}" if x < 1e5 else f"{x:,.0f}"


def fmt_ratio(x):
    if x is None:
        return "-"
    return f"{x:.2f}" if x < 100 else f"{x:,.0f}"


# ------------------------------------------------------------------ tables

def table_rows(run):
    rows = []
    for name in run.inputs:
        ours = run.ns(name, OURS)
        memchr = run.ns(name, "memchr")
        for impl in run.impls:
            e = run.bench[name].get(impl)
            if e is None:
                continue
            # The BENCH line's own ratio, computed before rounding, when it has one.
            try:
                x_memchr = float(e["ratio"])
            except ValueError:
                x_memchr = e["ns"] / memchr if memchr else None
            rows.append([name, impl, fmt_ns(e["ns"]), fmt_ns(e.get("min")), fmt_ns(e.get("max")),
                         f"{e['gbps']:.3f}", fmt_ratio(x_memchr),
                         fmt_ratio(e["ns"] / ours if ours else None)])
    return rows


MAIN_HEADER = ["input", "impl", "median ns", "min ns", "max ns", "GB/s", "x memchr",
               "x mtasts-strict"]


def text_table(header, rows, group_first=True):
    widths = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]
    out = []

    def line(r):
        cells = []
        for i, cell in enumerate(r):
            left = i < 2 or not re.match(r"^[-0-9.,+%x]", str(cell))
            cells.append(str(cell).ljust(widths[i]) if left else str(cell).rjust(widths[i]))
        return "  ".join(cells).rstrip()
    out.append(line(header))
    previous = None
    for r in rows:
        if group_first and previous is not None and r[0] != previous:
            out.append("")
        shown = list(r)
        if group_first and r[0] == previous:
            shown[0] = ""
        previous = r[0]
        out.append(line(shown))
    return "\n".join(out)


NUMERIC = re.compile(r"^[-+]?[0-9][0-9.,]*%?$")


def md_table(header, rows, code_col=None, group_first=False):
    """A Markdown table; columns of numbers are right-aligned, implementation
    names (code_col) are code."""
    numeric = [all(NUMERIC.match(str(r[i])) or r[i] in ("-", "") for r in rows)
               for i in range(len(header))]
    out = ["| " + " | ".join(header) + " |",
           "|" + "|".join("---:" if n else "---" for n in numeric) + "|"]
    previous = None
    for r in rows:
        cells = [f"`{c}`" if i == code_col and c else str(c) for i, c in enumerate(r)]
        if group_first and r[0] == previous:
            cells[0] = ""
        previous = r[0]
        out.append("| " + " | ".join(cells) + " |")
    return "\n".join(out)


# ----------------------------------------------------------------- scaling

def scaling_points(run):
    points = sorted((int(m.group(1)), name) for name in run.inputs
                    if (m := SCALING_RE.match(name)))
    return points


def scaling_of(run, impl):
    """{"t": {N: ns}, "per_line": {N: ns}, ...} or None without a full series."""
    points = scaling_points(run)
    if not points or points[0][0] != 0:
        return None
    t = {n: run.ns(name, impl) for n, name in points}
    if any(v is None for v in t.values()):
        return None
    base = t[0]
    per_line = {n: (t[n] - base) / n for n in t if n > 0}
    ns_ = sorted(per_line)
    smallest, largest = ns_[0], ns_[-1]
    ref = per_line[largest]
    deviation = max((per_line[n] / ref - 1.0 for n in ns_), key=abs) if ref > 0 else float("nan")
    exponent = float("nan")
    lo = 100 if 100 in t else smallest
    if t[largest] > base and t[lo] > base and largest > lo:
        exponent = math.log((t[largest] - base) / (t[lo] - base)) / math.log(largest / lo)
    if exponent >= 1.5:
        verdict = f"superlinear (time ~ N^{exponent:.1f})"
    elif abs(deviation) <= LINEAR_TOLERANCE:
        verdict = "linear"
    elif exponent <= 1.15:
        verdict = f"linear growth, per-line cost off by {deviation:+.0%} at small N"
    else:
        verdict = f"nonlinear (exponent {exponent:.2f})"
    return {"t": t, "per_line": per_line, "smallest": smallest, "largest": largest,
            "ratio": ref / per_line[smallest] if per_line[smallest] > 0 else float("nan"),
            "deviation": deviation, "exponent": exponent, "verdict": verdict}


def scaling_rows(run):
    rows = []
    for impl in run.impls:
        s = scaling_of(run, impl)
        if s is None:
            continue
        rows.append([impl] + [fmt_ns(s["per_line"][n]) for n in sorted(s["per_line"])] +
                    [fmt_ratio(s["ratio"]), f"{s['deviation']:+.0%}", f"{s['exponent']:.2f}",
                     s["verdict"]])
    return rows


def scaling_header(run):
    ns_ = [n for n, _ in scaling_points(run) if n > 0]
    return (["impl"] + [f"ns/line @{n}" for n in ns_] +
            [f"@{ns_[-1]} / @{ns_[0]}" if ns_ else "ratio", "worst dev", "exponent", "verdict"])


# ----------------------------------------------------------------- targets

def peer_targets(run):
    lines = []
    peers = peers_of(run)
    for name in run.inputs:
        ours = run.ns(name, OURS)
        measured = [(run.ns(name, p), p) for p in peers if run.ns(name, p) is not None]
        if not ours or not measured:
            continue
        fastest_ns, fastest = min(measured)
        factor = fastest_ns / ours
        met = factor >= PEER_FACTOR
        text = (f"TARGET input={name} impl={OURS} vs=fastest-peer({fastest}) "
                f"times_faster={factor:.1f} limit={PEER_FACTOR:.0f} met={'yes' if met else 'no'}")
        if not met:
            text += f" short_by={(1 - factor / PEER_FACTOR):.0%}"
        lines.append(text)
    return lines


# -------------------------------------------------------------------- plot

def write_plot(run, out_dir):
    impls = [i for i in run.impls if scaling_of(run, i) is not None]
    if not impls:
        return "no scaling series: no plot"
    points = [n for n, _ in scaling_points(run) if n > 0]
    dat = os.path.join(out_dir, "scaling.dat")
    with open(dat, "w", encoding="utf-8") as f:
        f.write("# mx_lines, then per implementation: us per policy, ns per mx line\n")
        f.write("# " + " ".join(impls) + "\n")
        for n in points:
            cols = [str(n)]
            for impl in impls:
                s = scaling_of(run, impl)
                cols += [f"{s['t'][n] / 1000:.4f}", f"{max(s['per_line'][n], 1e-3):.4f}"]
            f.write(" ".join(cols) + "\n")
    plot_time = ", ".join(
        f"'scaling.dat' using 1:{2 + 2 * k} with linespoints lw 2 title '{impl}'"
        for k, impl in enumerate(impls))
    plot_line = ", ".join(
        f"'scaling.dat' using 1:{3 + 2 * k} with linespoints lw 2 title '{impl}'"
        for k, impl in enumerate(impls))
    gp = os.path.join(out_dir, "scaling.gp")
    with open(gp, "w", encoding="utf-8") as f:
        f.write(f"""# gnuplot script written by bench/summarize.py; run in {out_dir}
set terminal png size 1400,560 font ',10'
set termoption noenhanced
set output 'scaling.png'
set multiplot layout 1,2 title 'MTA-STS policy parsing: policies of 1 to {points[-1]} mx lines (one run)'
set logscale xy
set grid
set key top left
set xlabel 'mx lines'
set ylabel 'microseconds per policy'
set title 'time per policy (log-log; slope 1 = linear)'
plot {plot_time}
set ylabel 'ns per mx line, (t(N) - t(0)) / N'
set title 'cost of one more mx line (flat = linear)'
plot {plot_line}
unset multiplot
""")
    gnuplot = shutil.which("gnuplot")
    if gnuplot is None:
        return ("gnuplot not installed (apt-get install gnuplot-nox): wrote scaling.dat and "
                "scaling.gp, no scaling.png")
    result = subprocess.run([gnuplot, "scaling.gp"], cwd=out_dir, capture_output=True, text=True,
                            check=False)
    if result.returncode != 0:
        return f"gnuplot failed: {result.stderr.strip()}"
    return f"plot: {os.path.join(out_dir, 'scaling.png')}"


# ------------------------------------------------------------------ report

def fuzz_rows(run):
    rows = []
    by_target = {}
    for f in run.fuzz:
        by_target.setdefault(f["target"], {})[f["variant"]] = f
    for target, variants in by_target.items():
        plain, asan = variants.get("plain"), variants.get("asan")
        slowdown = "-"
        if plain and asan and float(asan["execs_per_sec"]) > 0:
            slowdown = f"{float(plain['execs_per_sec']) / float(asan['execs_per_sec']):.1f}"
        # A run that stopped on a finding did not do its runs: its speed is
        # only that of the seed corpus up to the finding.
        found = [f"{v}: stopped on a finding ({f['log']})" for v, f in variants.items()
                 if f.get("finding") == "yes"]
        rows.append([target, plain["runs"] if plain else asan["runs"],
                     plain["execs_per_sec"] if plain else "-",
                     asan["execs_per_sec"] if asan else "-", slowdown,
                     "; ".join(found) if found else "ok"])
    return rows


FUZZ_HEADER = ["target", "runs", "execs/s plain", "execs/s ASan+UBSan", "ASan slowdown", "note"]


def conformance_rows(run):
    return [[c["impl"], c["vectors"], c["runner_wall_s"], c["process_wall_s"],
             c["us_per_vector"]] for c in run.conformance]


CONF_HEADER = ["impl", "vectors", "runner wall s", "process wall s", "us per vector"]


def report(run, out_dir):
    text, md = [], []
    text.append("== all measurements (median of the timed blocks; ratios within this run)")
    text.extend(run.headers)
    if run.blocks:
        noise = (f"{run.blocks} timed blocks kept; {run.rejected} more were run again because "
                 "the thread was descheduled during them (a loaded machine)")
        text.append(noise)
        md.append(noise + ".\n")
    rows = table_rows(run)
    text.append(text_table(MAIN_HEADER, rows))
    md.append(md_table(MAIN_HEADER, rows, code_col=1, group_first=True))

    srows = scaling_rows(run)
    if srows:
        text.append("\n== scaling: cost of one more mx line, (t(N) - t(0)) / N, in ns")
        text.append(text_table(scaling_header(run), srows, group_first=False))
        md.append("\nScaling: the cost of one more mx line, (t(N) - t(0)) / N, in ns; the exponent"
                  " fits t(N) - t(0) ~ N^e between 100 and 2700 lines.\n")
        md.append(md_table(scaling_header(run), srows, code_col=0))

    targets = run.targets + peer_targets(run)
    if targets:
        text.append("\n== targets of issue 7 (reported, not enforced)")
        text.extend(targets)
        md.append("\nTargets (issue 7):\n")
        md.append("```\n" + "\n".join(targets) + "\n```")

    if run.memory or run.sizes:
        text.append("\n== memory")
        text.extend(run.memory)
        if run.sizes:
            text.append("sizeof: " + ", ".join(f"{s} {b}" for s, b in run.sizes))
        md.append("\nMemory:\n")
        md.append("```\n" + "\n".join(run.memory) + "\n```")

    frows = fuzz_rows(run)
    if frows:
        text.append("\n== fuzz throughput (libFuzzer, fixed number of runs, one process)")
        text.append(text_table(FUZZ_HEADER, frows, group_first=False))
        md.append("\nFuzz throughput (libFuzzer, fixed number of runs from the seed corpus):\n")
        md.append(md_table(FUZZ_HEADER, frows, code_col=0))

    crows = conformance_rows(run)
    if crows:
        text.append("\n== conformance throughput (the whole vector set through each adapter)")
        text.append(text_table(CONF_HEADER, crows, group_first=False))
        md.append("\nConformance throughput (every vector, through the adapter):\n")
        md.append(md_table(CONF_HEADER, crows, code_col=0))

    if run.skips:
        text.append("\n== skipped")
        text.extend(run.skips)
        md.append("\nSkipped: " + "; ".join(run.skips))

    if out_dir:
        os.makedirs(out_dir, exist_ok=True)
        text.append("\n" + write_plot(run, out_dir))
        with open(os.path.join(out_dir, "results.md"), "w", encoding="utf-8") as f:
            f.write("\n".join(md) + "\n")
        text.append(f"markdown: {os.path.join(out_dir, 'results.md')}")
    return "\n".join(text)


README_BEGIN = "<!-- bench-results:begin -->"
README_END = "<!-- bench-results:end -->"


def update_readme(readme, results_md):
    with open(readme, encoding="utf-8") as f:
        text = f.read()
    begin, end = text.find(README_BEGIN), text.find(README_END)
    if begin < 0 or end < begin:
        raise SystemExit(f"summarize.py: no {README_BEGIN} ... {README_END} block in {readme}")
    with open(results_md, encoding="utf-8") as f:
        block = f.read()
    text = text[:begin + len(README_BEGIN)] + "\n" + block + text[end:]
    with open(readme, "w", encoding="utf-8") as f:
        f.write(text)


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    p.add_argument("--out", help="write results.md, scaling.dat/.gp/.png here")
    p.add_argument("--readme", help="put results.md into this file's bench-results block")
    p.add_argument("files", nargs="+")
    opts = p.parse_args(argv)
    run = Run()
    for path in opts.files:
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                run.add(line.rstrip("\n"))
    if not run.inputs:
        print("summarize.py: no BENCH lines in " + ", ".join(opts.files), file=sys.stderr)
        return 1
    print(report(run, opts.out))
    if opts.readme:
        if not opts.out:
            raise SystemExit("summarize.py: --readme needs --out")
        update_readme(opts.readme, os.path.join(opts.out, "results.md"))
        print(f"updated {opts.readme}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
