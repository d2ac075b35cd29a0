#!/usr/bin/env python3
"""measure.py - the measured half of the interop data: which implementations we run
accept, reject or misread each kind of policy mistake, from a conformance run.

    python3 conformance/interop/measure.py RESULTS.json > conformance/interop/measured.json

RESULTS.json is the runner's results.json (BUILD/conformance-report/, see
conformance/ADAPTERS.md). A mistake is named by what the lenient profile says of the
vector (vectors/refmodel.py, so no build is needed): the error it still reports, or else
each warning it gives (W_POLICY_TRAILING_BLANK, W_POLICY_BOM ...). Only policy vectors of
the strict group with exactly one such name are counted, so that each count is about
one mistake. An implementation's version comes from its description in impls.json
("name 1.2.3") or, for a Debian package, from dpkg-query.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import re
import subprocess
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "vectors"))
import refmodel  # noqa: E402

DEBIAN = {"postfix-mta-sts-resolver": "postfix-mta-sts-resolver"}


def condition(body: bytes):
    """The one mistake a policy body shows, or None (valid, or several)."""
    out = refmodel.policy_parse(body, "lenient")
    names = {out.code} if not out.ok else set(out.warning_names)
    return names.pop() if len(names) == 1 else None


def version_of(impl: dict) -> str:
    if impl["name"] in DEBIAN:
        try:
            r = subprocess.run(["dpkg-query", "-W", "-f=${Version}", DEBIAN[impl["name"]]],
                               capture_output=True, text=True, check=False)
            if r.returncode == 0 and r.stdout:
                return r.stdout.strip()
        except OSError:
            pass
    m = re.match(r"\S+ (\d[\w.+-]*)", impl.get("description", ""))
    return m.group(1) if m else "unknown"


def answer(r: dict, t: dict) -> str:
    got = (r.get("got") or {}).get("result")
    if got == "invalid":
        return "rejected"
    if got != "valid":
        return "unknown"
    want = t.get("acceptableResult", t["result"])
    return "misread" if want == "valid" and r["verdict"] == "fail" else "accepted"


def verdict(c: collections.Counter) -> str:
    seen = [k for k in ("rejected", "accepted", "misread") if c[k] > 0]
    if seen == ["rejected"]:
        return "rejects"
    if seen == ["accepted"]:
        return "accepts"
    if "rejected" not in seen:
        return "misreads"
    return "depends"


def measure(results: dict, vectors: dict) -> dict:
    tests = {t["tcId"]: t for g in vectors["testGroups"] if g["profile"] == "strict"
             for t in g["tests"]}
    counts = collections.defaultdict(lambda: collections.defaultdict(collections.Counter))
    for r in results["results"]:
        t = tests.get(r["tcId"]) if r["kind"] == "policy" else None
        if t is None or r["impl"] == "mtasts":
            continue
        name = condition(bytes.fromhex(t["inputHex"]))
        a = answer(r, t)
        if name is not None and a != "unknown":
            counts[r["impl"]][name][a] += 1
    impls = []
    for impl in results["implementations"]:
        if impl["name"] not in counts:
            continue
        conds = {}
        for name, c in sorted(counts[impl["name"]].items()):
            conds[name] = {"verdict": verdict(c), "accepted": c["accepted"],
                           "rejected": c["rejected"], "misread": c["misread"]}
        impls.append({"name": impl["name"], "version": version_of(impl),
                      "source": "conformance run of vectors/policy.json (strict group), "
                      "adapter conformance/adapters/" + impl["name"] + "/",
                      "conditions": conds})
    return impls


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("results", help="results.json of a conformance run")
    ap.add_argument("--vectors", default=os.path.join(ROOT, "vectors", "policy.json"))
    a = ap.parse_args()
    with open(a.results, encoding="utf-8") as f:
        results = json.load(f)
    with open(a.vectors, encoding="utf-8") as f:
        vectors = json.load(f)
    doc = {
        "comment": [
            "Measured interop: per implementation we run, per policy mistake (the mtasts",
            "name of what the lenient profile reports), how many vectors it accepted with",
            "the expected fields, rejected, or accepted reading other fields (misread).",
            "verdict: rejects / accepts / misreads when all agree, depends when not.",
            "Written by conformance/interop/measure.py from a conformance run; never edit",
            "by hand (README.md beside it).",
        ],
        "kind": "measured",
        "implementations": measure(results, vectors),
    }
    json.dump(doc, sys.stdout, indent=2, ensure_ascii=True)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
