#!/usr/bin/python3
"""postfix-mta-sts-resolver.py - times postfix-mta-sts-resolver's own parsers
(the Debian package, utils.parse_mta_sts_record and utils.parse_mta_sts_policy)
on the inputs mtasts-bench wrote, the way bench/peers/harness.js times the
Node peers: calibrated blocks of about --block-ms, a warm-up, --blocks timed
blocks interleaved across subjects, the median per call.

Each function gets its input in the form STSResolver.resolve() hands it over:
a str (resolve() decodes the TXT strings and the body before parsing).
The package has neither an MX matcher (Postfix matches) nor a TLSRPT parser.

Output: BENCH, VERSUS and STATS lines as harness.js documents.
    python3 bench/peers/postfix-mta-sts-resolver.py --inputs DIR [--ours FILE] [--smoke]
Exits 77 when the package is not installed (ci/setup.sh installs it).
"""
import argparse
import os
import re
import sys
import time

try:
    from postfix_mta_sts_resolver.utils import parse_mta_sts_policy, parse_mta_sts_record
except ImportError as exc:
    print(f"# SKIP postfix-mta-sts-resolver: not installed ({exc}); run ci/setup.sh")
    sys.exit(77)

NAME = "postfix-mta-sts-resolver"
EXPECTED_ID = "20160831085700Z"


def package_version():
    try:
        from importlib.metadata import version  # pylint: disable=import-outside-toplevel
        return version("postfix_mta_sts_resolver")
    except Exception:  # pylint: disable=broad-except
        return "unknown"


def read_manifest(directory):
    inputs = []
    with open(os.path.join(directory, "manifest.txt"), encoding="latin-1") as manifest:
        for line in manifest:
            if not line.strip() or line.startswith("#"):
                continue
            fields = line.split()
            name, kind, file, mx_lines, scaling = fields[:5]
            with open(os.path.join(directory, file), "rb") as f:
                data = f.read()
            item = {"name": name, "kind": kind, "bytes": data, "mx_lines": int(mx_lines),
                    "scaling": scaling == "1", "scanned": len(data)}
            if len(fields) > 5:
                with open(os.path.join(directory, fields[5]), "rb") as f:
                    item["policy_bytes"] = f.read()
                item["scanned"] = len(item["policy_bytes"])
            inputs.append(item)
    return inputs


def read_ours(path):
    ours = {}
    if not path:
        return ours
    pattern = re.compile(r"^BENCH input=(\S+) impl=(\S+) ns_per_op=([0-9.]+) ")
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = pattern.match(line)
            if m:
                ours.setdefault(m.group(1), {})[m.group(2)] = float(m.group(3))
    return ours


class Subject:  # pylint: disable=too-few-public-methods
    def __init__(self, impl, call, check):
        self.impl, self.call, self.check = impl, call, check
        self.iters, self.samples, self.rejected = 1, [], 0


def time_block(subject, iters):
    """One block: (wall ns, this thread's CPU ns)."""
    call = subject.call
    cpu = time.thread_time_ns()
    start = time.perf_counter_ns()
    for _ in range(iters):
        call()
    return time.perf_counter_ns() - start, time.thread_time_ns() - cpu


def run_block(subject, iters):
    return time_block(subject, iters)[0]


def timed_sample(subject, block_ns):
    """As bench/timing.c: a block during which the thread ran under 95 % of
    the wall time measured the machine's other work; it is run again (a few
    times at most, twice for a long block) and counted as rejected."""
    wall, cpu = time_block(subject, subject.iters)
    attempts = 2 if wall > 2 * block_ns else 8
    for _ in range(1, attempts):
        if cpu >= 0.95 * wall:
            break
        subject.rejected += 1
        wall, cpu = time_block(subject, subject.iters)
    return wall / subject.iters


def calibrate(subject, block_ns):
    """As bench/timing.c: grow until a block really lasts about block_ns, by a
    factor estimated from the last block but capped."""
    iters = 1
    while True:
        elapsed = min(time_block(subject, iters))
        if elapsed >= block_ns * 0.9:
            return iters
        factor = min(100.0, max(1.1, 1.1 * block_ns / elapsed)) if elapsed > 0 else 100.0
        iters = int(iters * factor) + 1


def measure(subjects, opts):
    for s in subjects:
        s.iters = calibrate(s, opts.block_ns)
        spent = 0
        while spent < opts.warmup_ns:
            spent += run_block(s, s.iters)
        s.samples, s.rejected = [], 0
    for _ in range(opts.blocks):
        for s in subjects:
            s.samples.append(timed_sample(s, opts.block_ns))


def stats(samples):
    s = sorted(samples)
    n = len(s)
    median = s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2
    return median, s[0], s[-1]


def subjects_for(item):
    if item["kind"] == "txt":
        record = item["bytes"].decode("ascii")

        def check_record():
            parsed = parse_mta_sts_record(record)
            if parsed.get("v") != "STSv1" or parsed.get("id") != EXPECTED_ID:
                raise ValueError(f"parsed {parsed}")
        return [Subject(f"{NAME}.parse_mta_sts_record", lambda: parse_mta_sts_record(record),
                        check_record)]
    if item["kind"] == "policy":
        text = item["bytes"].decode("ascii")

        def check_policy():
            parsed = parse_mta_sts_policy(text)
            if len(parsed["mx"]) != item["mx_lines"] or parsed.get("version") != "STSv1":
                raise ValueError(f"{len(parsed['mx'])} mx patterns")
        return [Subject(f"{NAME}.parse_mta_sts_policy", lambda: parse_mta_sts_policy(text),
                        check_policy)]
    return []


def report(item, subject, ours):
    median, low, high = stats(subject.samples)
    mine = ours.get(item["name"], {})
    ratio = f"{median / mine['memchr']:.2f}" if mine.get("memchr") else "nan"
    print(f"BENCH input={item['name']} impl={subject.impl} ns_per_op={median:.1f} "
          f"gbps={item['scanned'] / median:.3f} ratio={ratio}")
    if mine.get("mtasts-strict"):
        print(f"VERSUS input={item['name']} impl={subject.impl} "
              f"mtasts_strict_ns={mine['mtasts-strict']:.1f} "
              f"times_slower={median / mine['mtasts-strict']:.1f}")
    print(f"STATS input={item['name']} impl={subject.impl} min_ns={low:.1f} max_ns={high:.1f} "
          f"blocks={len(subject.samples)} calls_per_block={subject.iters} "
          f"rejected_blocks={subject.rejected}")


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    p.add_argument("--inputs", required=True, help="the inputs mtasts-bench --emit-inputs wrote")
    p.add_argument("--ours", help="mtasts-bench output of the same run (ratio, VERSUS)")
    p.add_argument("--blocks", type=int, default=21)
    p.add_argument("--block-ms", type=float, default=5.0)
    p.add_argument("--warmup-ms", type=float, default=50.0)
    p.add_argument("--smoke", action="store_true", help="3 tiny blocks: checks that it runs")
    opts = p.parse_args(argv)
    if opts.smoke:
        opts.blocks, opts.block_ms, opts.warmup_ms = 3, 0.2, 0.0
    opts.blocks = max(1, min(101, opts.blocks))
    opts.block_ns, opts.warmup_ns = opts.block_ms * 1e6, opts.warmup_ms * 1e6
    return opts


def main(argv):
    opts = parse_args(argv)
    ours = read_ours(opts.ours)
    print(f"# {NAME} {package_version()}: parse_mta_sts_record, parse_mta_sts_policy; "
          f"python {sys.version.split()[0]}; {opts.blocks} blocks of >= {opts.block_ms} ms, "
          f"interleaved, after {opts.warmup_ms:.0f} ms warm-up per subject")
    failed = False
    for item in read_manifest(opts.inputs):
        subjects = subjects_for(item)
        if not subjects:
            print(f"# {item['name']}: not measured ({NAME} has no parser for {item['kind']})")
            continue
        usable = []
        for s in subjects:
            try:
                s.check()
                usable.append(s)
            except (ValueError, KeyError) as exc:
                print(f"{NAME}: {item['name']} {s.impl}: {exc}", file=sys.stderr)
                failed = True
        measure(usable, opts)
        for s in usable:
            report(item, s, ours)
        sys.stdout.flush()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
