#!/usr/bin/env python3
"""check.py - the interop data is well formed: measured.json and read.json.

    python3 conformance/interop/check.py [--self-test]

Checks: both files are JSON of their kind; every implementation has a name, a
version and a source, and appears once; every condition is a name of
MTASTS_CODE_MAP (parser/include/mtasts.h) and every verdict one of accepts /
rejects / misreads / depends; a measured verdict is what its counts say (the rule
of measure.py); a read entry says why. --self-test corrupts copies, one way per
check, and fails unless each is reported. Exit 1 on any problem.
"""

from __future__ import annotations

import copy
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "vectors"))
from lint_vectors import load_code_names  # noqa: E402

VERDICTS = ("accepts", "rejects", "misreads", "depends")


def counted_verdict(c: dict) -> str:
    """measure.py's rule, restated so that a hand edit of measured.json shows."""
    seen = [k for k in ("rejected", "accepted", "misread") if c.get(k, 0) > 0]
    if seen == ["rejected"]:
        return "rejects"
    if seen == ["accepted"]:
        return "accepts"
    return "misreads" if "rejected" not in seen else "depends"


def check_impl(impl: dict, kind: str, codes: set, where: str) -> list:
    problems = []
    for key in ("name", "version", "source", "conditions"):
        if not impl.get(key):
            problems.append(f"{where}: no {key}")
    for name, c in sorted((impl.get("conditions") or {}).items()):
        at = f"{where} {name}"
        if name not in codes:
            problems.append(f"{at}: not a name of MTASTS_CODE_MAP")
        if c.get("verdict") not in VERDICTS:
            problems.append(f"{at}: verdict {c.get('verdict')!r}")
        if kind == "measured" and c.get("verdict") != counted_verdict(c):
            problems.append(f"{at}: verdict {c.get('verdict')!r} but the counts say "
                            f"{counted_verdict(c)!r}")
        if kind == "read" and not c.get("why"):
            problems.append(f"{at}: no why")
    return problems


def check(docs: dict, codes: set) -> list:
    problems, names = [], set()
    for kind, doc in docs.items():
        if doc.get("kind") != kind:
            problems.append(f"{kind}.json: kind {doc.get('kind')!r}")
        for i, impl in enumerate(doc.get("implementations") or []):
            where = f"{kind}.json {impl.get('name', i)}"
            if impl.get("name") in names:
                problems.append(f"{where}: listed twice")
            names.add(impl.get("name"))
            problems += check_impl(impl, kind, codes, where)
    return problems


def self_test(docs: dict, codes: set) -> list:
    def first(d, kind):
        impl = d[kind]["implementations"][0]
        return impl, next(iter(impl["conditions"].values()))

    breaks = {
        "kind": lambda d: d["read"].update(kind="measured"),
        "no version": lambda d: first(d, "read")[0].pop("version"),
        "twice": lambda d: d["read"]["implementations"].append(
            copy.deepcopy(d["read"]["implementations"][0])),
        "unknown code": lambda d: first(d, "read")[0]["conditions"].update(
            E_NOT_A_CODE={"verdict": "rejects", "why": "x"}),
        "verdict": lambda d: first(d, "read")[1].update(verdict="maybe"),
        "counts": lambda d: first(d, "measured")[1].update(
            verdict="rejects", accepted=1, rejected=1),
        "why": lambda d: first(d, "read")[1].pop("why"),
    }
    failed = []
    for name, corrupt in breaks.items():
        d = copy.deepcopy(docs)
        corrupt(d)
        if not check(d, codes):
            failed.append(f"self-test: '{name}' was not reported")
    return failed


def main() -> int:
    codes = load_code_names(os.path.join(ROOT, "parser", "include", "mtasts.h"))
    docs = {}
    for kind in ("measured", "read"):
        with open(os.path.join(HERE, kind + ".json"), encoding="utf-8") as f:
            docs[kind] = json.load(f)
    problems = check(docs, codes)
    if "--self-test" in sys.argv[1:]:
        problems += self_test(docs, codes)
    for p in problems:
        print("FAIL", p)
    n = sum(len(d["implementations"]) for d in docs.values())
    print(f"interop data: {n} implementations, {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
