#!/usr/bin/env python3
"""lint_vectors.py - check the mtasts test vectors.

    python3 vectors/lint_vectors.py vectors            # from the repository root
    python3 vectors/lint_vectors.py --self-test vectors

Checks, per file: JSON Schema validity (vectors.schema.json); tcIds unique and
ascending; numberOfTests; the kind matches the file name; every flag used is in
`notes` and every note is used; `acceptable` only with a flag whose note names
R1, R4 or R12; readable input present exactly when the hex is valid UTF-8, and equal
to it; `expected` present on valid outcomes only; errorHint / warnings names that
exist in MTASTS_CODE_MAP of parser/include/mtasts.h (tlsrpt-report: in
MTASTS_REPORT_CODE_MAP of report/include/mtasts_report.h). Across files: the generator
output equals the committed files (gen_vectors.py --check), the required minimum
counts, every note's quotations found verbatim in RFC 8461 / RFC 8460 or in the
project's spec (spec/*.md, the rulings), every ruling a note names has a heading in
spec/, the RFC quotations of spec/ found verbatim in the RFC texts, every flag
described in FORMAT.md, and every vector agrees with the independent reference model
in refmodel.py (tlsrpt-report: refmodel_report.py).

The RFC texts (rfc8461.txt, rfc8460.txt) are not part of the repository: they are
read from $MTASTS_RFC_DIR, or from ../shared/rfc beside the checkout. When they are
missing, the lint fails under CI (CI=true) and otherwise prints a loud "skipped"
line (quotations of rulings are still checked against spec/).

Prints a summary (vectors per kind, per result, per flag) and exits 1 on any
problem. --self-test corrupts copies of the files in memory and checks that each
check above reports it. Needs python3-jsonschema.
"""

from __future__ import annotations

import argparse
import collections
import copy
import glob
import json
import os
import re
import sys
import tempfile

import jsonschema

# gen_vectors and refmodel are imported from the vectors folder: keep it free of __pycache__.
sys.dont_write_bytecode = True

KINDS = ("txt-record", "txt-strings", "txt-rrset", "policy", "mx-match", "tlsrpt-record",
         "tlsrpt-rrset", "tlsrpt-report")
# Kinds whose codes are not the parser's: the code map and its header beside vectors/.
OWN_CODE_MAPS = {"tlsrpt-report": ("MTASTS_REPORT_CODE_MAP",
                                   os.path.join("report", "include", "mtasts_report.h"))}
# Kinds no reference model reads (yet); tlsrpt-report's is refmodel_report.py.
UNMODELLED = ()
ACCEPTABLE_RULINGS = {"R1", "R4", "R12"}
# The counts the project requires (issue "vectors + conformance runner").
MINIMUMS = {"total": 450, "policy": 150, "txt": 100, "mx-match": 60, "tlsrpt": 50,
            "tlsrpt-report": 80}


class Lint:
    def __init__(self):
        self.problems: list = []

    def error(self, where: str, msg: str) -> None:
        self.problems.append(f"{where}: {msg}")


# ---------------------------------------------------------------- helpers


def load_code_names(header_path: str, map_name: str = "MTASTS_CODE_MAP") -> set:
    """The names in the code map `map_name`, read from the header with a regex."""
    with open(header_path, encoding="utf-8") as f:
        text = f.read()
    m = re.search(r"#define\s+" + map_name + r"\(X\)(.*?)\n\s*\n", text, re.S)
    if not m:
        raise SystemExit(f"{header_path}: {map_name} not found")
    # X(NAME, ...) or X(NUMBER, NAME, ...): the name is the first upper-case argument.
    names = set(re.findall(r"\bX\(\s*(?:\d+\s*,\s*)?([A-Z][A-Z0-9_]*)\s*,", m.group(1)))
    if not names & {"OK", "REPORT_OK"} or len(names) < 10:
        raise SystemExit(f"{header_path}: {map_name} looks wrong ({len(names)} names)")
    return names


def decode_or_none(hexstr: str):
    try:
        return bytes.fromhex(hexstr).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return None


def iter_tests(doc):
    for group in doc.get("testGroups", []):
        for t in group.get("tests", []):
            yield group.get("profile"), t


def outcome(t) -> str:
    return t.get("acceptableResult") if t.get("result") == "acceptable" else t.get("result")


# ---------------------------------------------------------------- per-file checks


def check_file(lint: Lint, name: str, doc, validator, codes: set) -> None:
    where = name
    for err in sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path)):
        path = "/".join(str(p) for p in err.absolute_path)
        lint.error(where, f"schema: {path}: {err.message[:300]}")
    if not isinstance(doc, dict):
        return
    kind = doc.get("kind")
    if name != f"{kind}.json":
        lint.error(where, f"kind {kind!r} does not match the file name")
    tests = list(iter_tests(doc))
    if doc.get("numberOfTests") != len(tests):
        lint.error(where, f"numberOfTests is {doc.get('numberOfTests')}, the file has "
                          f"{len(tests)} tests")
    last = 0
    seen_ids = set()
    for _, t in tests:
        tc = t.get("tcId")
        if not isinstance(tc, int):
            continue
        if tc in seen_ids:
            lint.error(where, f"tcId {tc} is not unique")
        elif tc <= last:
            lint.error(where, f"tcId {tc} follows {last}: not ascending")
        seen_ids.add(tc)
        last = max(last, tc)
    notes = doc.get("notes") or {}
    used = set()
    for _, t in tests:
        tw = f"{where} tcId {t.get('tcId')}"
        flags = t.get("flags") or []
        used.update(flags)
        for f in flags:
            if f not in notes:
                lint.error(tw, f"flag {f!r} has no note")
        check_result(lint, tw, t, notes)
        check_readable(lint, tw, t)
        check_names(lint, tw, t, codes)
    for n in notes:
        if n not in used:
            lint.error(where, f"note {n!r} is not used by any vector")


def check_result(lint: Lint, tw: str, t, notes) -> None:
    result = t.get("result")
    if result == "acceptable":
        rulings = {(notes.get(f) or {}).get("ruling") for f in t.get("flags") or []}
        if not rulings & ACCEPTABLE_RULINGS:
            lint.error(tw, "acceptable without a flag whose note names R1, R4 or R12")
        if t.get("acceptableResult") not in ("valid", "invalid"):
            lint.error(tw, "acceptable needs acceptableResult valid or invalid")
    elif "acceptableResult" in t:
        lint.error(tw, "acceptableResult on a vector that is not acceptable")
    if outcome(t) == "valid":
        if "expected" not in t:
            lint.error(tw, "valid outcome without expected")
        if "errorHint" in t:
            lint.error(tw, "errorHint on a valid outcome")
    else:
        if "expected" in t:
            lint.error(tw, "expected on an invalid outcome")
        if "warnings" in t:
            lint.error(tw, "warnings on an invalid outcome")


def check_readable(lint: Lint, tw: str, t) -> None:
    pairs = []
    if "inputHex" in t or "input" in t:
        pairs.append(("input", t.get("inputHex"), t.get("input"), "input" in t))
    if "stringsHex" in t or "strings" in t:
        hexes = t.get("stringsHex") or []
        texts = [decode_or_none(h) for h in hexes]
        want = texts if all(x is not None for x in texts) else None
        if (want is None) == ("strings" in t) or ("strings" in t and t["strings"] != want):
            lint.error(tw, "strings must be present exactly when every string is valid "
                           "UTF-8, and equal to the decoded stringsHex")
    if "rrsetHex" in t or "rrset" in t:
        rrs = t.get("rrsetHex") or []
        texts = [[decode_or_none(h) for h in rr] for rr in rrs]
        ok = all(x is not None for rr in texts for x in rr)
        want = texts if ok else None
        if (want is None) == ("rrset" in t) or ("rrset" in t and t["rrset"] != want):
            lint.error(tw, "rrset must be present exactly when every string is valid UTF-8, "
                           "and equal to the decoded rrsetHex")
    for label, hexstr, text, present in pairs:
        decoded = decode_or_none(hexstr or "")
        if hexstr is None:
            lint.error(tw, f"{label} without {label}Hex")
        elif decoded is None and present:
            lint.error(tw, f"{label} present but {label}Hex is not valid UTF-8")
        elif decoded is not None and not present:
            lint.error(tw, f"{label}Hex is valid UTF-8 but {label} is missing")
        elif present and decoded != text:
            lint.error(tw, f"{label} differs from the decoded {label}Hex")


def check_names(lint: Lint, tw: str, t, codes: set) -> None:
    hint = t.get("errorHint")
    if hint is not None and (hint not in codes or not hint.startswith("E_")):
        lint.error(tw, f"errorHint {hint!r} is not an error name of MTASTS_CODE_MAP")
    for w in t.get("warnings") or []:
        if w not in codes or not w.startswith("W_"):
            lint.error(tw, f"warning {w!r} is not a warning name of MTASTS_CODE_MAP")


# ---------------------------------------------------------------- cross-file checks


def check_minimums(lint: Lint, docs: dict) -> dict:
    count = {k: len(list(iter_tests(d))) for k, d in docs.items()}
    have = {
        "total": sum(count.values()),
        "policy": count.get("policy", 0),
        "txt": sum(count.get(k, 0) for k in ("txt-record", "txt-strings", "txt-rrset")),
        "mx-match": count.get("mx-match", 0),
        "tlsrpt": count.get("tlsrpt-record", 0) + count.get("tlsrpt-rrset", 0),
        "tlsrpt-report": count.get("tlsrpt-report", 0),
    }
    for key, floor in MINIMUMS.items():
        if have[key] < floor:
            lint.error("counts", f"{key}: {have[key]} vectors, at least {floor} required")
    return have


RFC_FILES = {"RFC 8461": "rfc8461.txt", "RFC 8460": "rfc8460.txt"}
# A quotation of the RFC in spec/: a blockquote paragraph `> RFC 8461 §3.1: "..."`.
SPEC_QUOTE = re.compile(r'^(RFC 846[01]) ([^":]+): "(.*)"$')
SPEC_RULING = re.compile(r"^#{2,4} (R\d+[a-z]?)\b", re.M)


def in_ci() -> bool:
    """CI=true (or 1 / yes), as CI services set it: a missing reference fails there."""
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def rfc_dirs(vectors_dir: str) -> list:
    """Where the RFC texts are looked for: $MTASTS_RFC_DIR alone when it is set,
    otherwise ../shared/rfc beside the checkout (the project's documented layout)."""
    env = os.environ.get("MTASTS_RFC_DIR", "")
    if env:
        return [env]
    return [os.path.normpath(os.path.join(vectors_dir, "..", "..", "shared", "rfc"))]


def normalise(raw: str) -> str:
    # Drop the RFC page furniture so sentences across page breaks join up.
    raw = re.sub(r"\n[^\n]*\[Page \d+\]\n\f?\n?RFC 846[01] [^\n]*\n", "\n", raw)
    return " ".join(raw.replace("\f", " ").split())


class References:
    """What quotations are checked against.

    rfc: {"RFC 8461": text, "RFC 8460": text} (whitespace-normalised), or None when the
    texts are not found (rfc_dir then says where they were looked for). spec: the prose of
    spec/*.md, without its RFC quotations and code blocks, so that a ruling is quoted from
    our statement and an RFC sentence only from the RFC. spec_quotes: the RFC quotations
    of spec/ as (file, rfc, section, text). rulings: the ruling names spec/ has a heading for.
    """

    def __init__(self, rfc, rfc_dir, spec, spec_quotes, rulings, problems):
        self.rfc = rfc
        self.rfc_dir = rfc_dir
        self.spec = spec
        self.spec_quotes = spec_quotes
        self.rulings = rulings
        self.problems = problems  # spec/ itself is missing or malformed


def read_spec(spec_dir: str):
    prose, quotes, rulings, problems = [], [], set(), []
    paths = sorted(glob.glob(os.path.join(spec_dir, "*.md")))
    if not paths:
        problems.append(f"{spec_dir}: no spec/*.md (the rulings the vectors quote live there)")
    for path in paths:
        name = os.path.basename(path)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        rulings.update(SPEC_RULING.findall(text))
        kept, block, fenced = [], [], False
        for line in text.split("\n") + [""]:
            if line.startswith("```"):
                fenced = not fenced
                continue
            if fenced:
                continue
            if line.startswith(">"):
                block.append(line[1:].strip())
                continue
            if block:
                para = " ".join(" ".join(block).split())
                m = SPEC_QUOTE.match(para)
                if m:
                    quotes.append((name, m.group(1), m.group(2), m.group(3)))
                else:
                    problems.append(f"spec/{name}: a blockquote that is not "
                                    f'`> RFC 846x §N: "..."`: {para[:80]!r}')
                block = []
            kept.append(line)
        prose.append(" ".join(" ".join(kept).split()))
    return " ".join(prose), quotes, rulings, problems


def reference_texts(vectors_dir: str, dirs=None) -> References:
    """The RFC texts (from `dirs`, default rfc_dirs()) and spec/ of this checkout."""
    spec, quotes, rulings, problems = read_spec(os.path.join(vectors_dir, "..", "spec"))
    searched = dirs if dirs is not None else rfc_dirs(vectors_dir)
    for d in searched:
        files = {k: os.path.join(d, n) for k, n in RFC_FILES.items()}
        if d and all(os.path.isfile(f) for f in files.values()):
            rfc = {}
            for k, f in files.items():
                with open(f, encoding="utf-8") as fh:
                    rfc[k] = normalise(fh.read())
            return References(rfc, os.path.normpath(d), spec, quotes, rulings, problems)
    return References(None, ", ".join(searched) or "(nowhere)", spec, quotes, rulings, problems)


def check_quotations(refs: References, quotes, ci=None):
    """quotes: (where, quotation) pairs; each must be verbatim in RFC 8461, RFC 8460 or the
    prose of spec/. Returns (problems, status). Without the RFC texts a quotation found in
    spec/ still passes and the others cannot be checked: under CI that is a problem,
    elsewhere the status says loudly that they were skipped."""
    ci = in_ci() if ci is None else ci
    problems, unchecked, checked = list(refs.problems), 0, 0
    texts = list(refs.rfc.values()) if refs.rfc else []
    for where, quote in quotes:
        q = " ".join(quote.split())
        if q in refs.spec or any(q in t for t in texts):
            checked += 1
        elif refs.rfc is None:
            unchecked += 1
        else:
            problems.append(f"{where}: quotation not found verbatim: {q[:120]!r}")
    if refs.rfc is not None:
        for name, rfc, section, text in refs.spec_quotes:
            for piece in text.split(" ... "):
                checked += 1
                if piece not in refs.rfc[rfc]:
                    problems.append(f"spec/{name}: {rfc} {section}: quotation not found "
                                    f"verbatim in {RFC_FILES[rfc]}: {piece[:100]!r}")
        return problems, (f"{checked} quotations found verbatim in {refs.rfc_dir} "
                          f"(RFC 8461, RFC 8460) and spec/")
    missing = f"RFC texts not found (set MTASTS_RFC_DIR; looked in {refs.rfc_dir})"
    if ci:
        problems.append(f"{missing}: under CI (CI=true) the RFC quotations must be checked, "
                        f"not skipped")
        return problems, f"FAILED: {missing}"
    return problems, (f"skipped: {missing}: {checked} quotations found in spec/; "
                      f"{unchecked} quotations of the notes and the {len(refs.spec_quotes)} "
                      f"RFC quotations of spec/ NOT checked")


def check_cites(lint: Lint, docs: dict, vectors_dir: str, refs=None, ci=None):
    """Every note's quotations (verbatim in the RFCs or spec/), every ruling a note names
    has a heading in spec/, and spec/'s own RFC quotations are verbatim in the RFCs."""
    refs = refs or reference_texts(vectors_dir)
    quotes = []
    seen = {}
    for name, doc in docs.items():
        for flag, note in (doc.get("notes") or {}).items():
            if flag in seen:
                if seen[flag] != note:
                    lint.error(name, f"note {flag!r} differs from the same note in another file")
                continue
            seen[flag] = note
            ruling = note.get("ruling")
            if ruling and ruling not in refs.rulings:
                lint.error(name, f"note {flag!r}: ruling {ruling} has no heading in spec/")
            for quote in str(note.get("cites", "")).split(" ... "):
                quotes.append((f"{name}: note {flag!r}", quote))
    problems, status = check_quotations(refs, quotes, ci)
    for p in problems:
        lint.error("cites", p)
    return status


def check_format_doc(lint: Lint, docs: dict, vectors_dir: str) -> None:
    """Every flag is described in FORMAT.md (as `name`)."""
    path = os.path.join(vectors_dir, "FORMAT.md")
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError:
        lint.error("FORMAT.md", "missing")
        return
    flags = {flag for doc in docs.values() for flag in (doc.get("notes") or {})}
    for flag in sorted(flags):
        if f"`{flag}`" not in text:
            lint.error("FORMAT.md", f"flag {flag!r} is not described")


def check_generator(lint: Lint, vectors_dir: str) -> None:
    sys.path.insert(0, vectors_dir)
    try:
        import gen_vectors  # noqa: E402
    finally:
        sys.path.pop(0)
    generated = gen_vectors.generate()
    for name, text in generated.items():
        path = os.path.join(vectors_dir, name)
        try:
            with open(path, encoding="utf-8") as f:
                disk = f.read()
        except OSError:
            lint.error(name, "missing (run vectors/gen_vectors.py)")
            continue
        if disk != text:
            lint.error(name, "differs from gen_vectors.py output (run vectors/gen_vectors.py, "
                             "or see gen_vectors.py --check for the diff)")


def check_model(lint: Lint, docs: dict, vectors_dir: str) -> int:
    sys.path.insert(0, vectors_dir)
    try:
        import refmodel  # noqa: E402
        import refmodel_report  # noqa: E402,F401 (run_model finds it in sys.modules)
    finally:
        sys.path.pop(0)
    compared = 0
    for name, doc in docs.items():
        kind = doc.get("kind")
        if kind in UNMODELLED:
            continue
        for profile, t in iter_tests(doc):
            tw = f"{name} tcId {t.get('tcId')}"
            try:
                got = run_model(refmodel, kind, profile, t)
            except (KeyError, TypeError, ValueError) as e:
                lint.error(tw, f"model could not run: {e}")
                continue
            compared += 1
            want = outcome(t)
            if kind == "mx-match":
                if (got in ("MATCH_EXACT", "MATCH_WILDCARD")) != (want == "valid"):
                    lint.error(tw, f"model says {got}, vector says {want}")
                continue
            if got.ok != (want == "valid"):
                lint.error(tw, f"model says {'valid' if got.ok else got.code}, vector says {want}")
                continue
            if got.ok:
                value = dict(got.value)
                if "id" in value:
                    value["id"] = value["id"].decode("latin-1")
                if "rua" in value:
                    value["rua"] = [u.decode("latin-1") for u in value["rua"]]
                if value != t.get("expected"):
                    lint.error(tw, f"model gives {value}, vector expects {t.get('expected')}")
                if got.warning_names != t.get("warnings", []):
                    lint.error(tw, f"model warns {got.warning_names}, vector says "
                                   f"{t.get('warnings', [])}")
            elif "errorHint" in t and t["errorHint"] != got.code:
                lint.error(tw, f"model fails with {got.code}, errorHint is {t['errorHint']}")
    return compared


def run_model(refmodel, kind: str, profile: str, t):
    if kind == "tlsrpt-report":
        return sys.modules["refmodel_report"].report_parse(bytes.fromhex(t["inputHex"]), profile)
    if kind == "mx-match":
        return refmodel.mx_match(t["pattern"].encode("utf-8"), t["host"].encode("utf-8"))
    if kind == "policy":
        return refmodel.policy_parse(bytes.fromhex(t["inputHex"]), profile)
    family = "sts" if kind.startswith("txt") else "tlsrpt"
    if kind.endswith("-record"):
        return refmodel.txt_parse(bytes.fromhex(t["inputHex"]), profile, family)
    if kind == "txt-strings":
        return refmodel.txt_parse_strings([bytes.fromhex(h) for h in t["stringsHex"]], profile,
                                          family)
    return refmodel.rrset_select([[bytes.fromhex(h) for h in rr] for rr in t["rrsetHex"]],
                                 profile, family)


# ---------------------------------------------------------------- driver


def lint_all(vectors_dir: str, header: str, docs=None, with_generator=True, with_model=True):
    lint = Lint()
    with open(os.path.join(vectors_dir, "vectors.schema.json"), encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    codes = load_code_names(header)
    own_codes = {kind: load_code_names(os.path.join(vectors_dir, "..", path), map_name)
                 for kind, (map_name, path) in OWN_CODE_MAPS.items()}
    if docs is None:
        docs = {}
        for kind in KINDS:
            path = os.path.join(vectors_dir, kind + ".json")
            try:
                with open(path, encoding="utf-8") as f:
                    docs[kind + ".json"] = json.load(f)
            except (OSError, ValueError) as e:
                lint.error(kind + ".json", f"cannot load: {e}")
        extra = {os.path.basename(p) for p in glob.glob(os.path.join(vectors_dir, "*.json"))}
        extra -= set(docs) | {"vectors.schema.json"}
        for name in sorted(extra):
            lint.error(name, "unexpected vector file (not one of the eight kinds)")
    for name, doc in docs.items():
        kind = doc.get("kind") if isinstance(doc, dict) else None
        check_file(lint, name, doc, validator, own_codes.get(kind, codes))
    info = {"counts": check_minimums(lint, {d.get("kind"): d for d in docs.values()}),
            "cites": check_cites(lint, docs, vectors_dir)}
    check_format_doc(lint, docs, vectors_dir)
    if with_generator:
        check_generator(lint, vectors_dir)
    info["model"] = check_model(lint, docs, vectors_dir) if with_model else 0
    return lint, docs, info


def summary(docs: dict, info: dict) -> str:
    lines = []
    per_result = collections.Counter()
    per_flag = collections.Counter()
    lines.append("vectors per kind (strict / lenient):")
    for name, doc in docs.items():
        prof = collections.Counter()
        for profile, t in iter_tests(doc):
            prof[profile] += 1
            r = t.get("result")
            if r == "acceptable":
                r = f"acceptable ({t.get('acceptableResult')})"
            per_result[r] += 1
            per_flag.update(t.get("flags") or [])
        lines.append(f"  {doc.get('kind', name):14} {doc.get('numberOfTests', 0):5}   "
                     f"({prof['strict']} / {prof['lenient']})")
    c = info["counts"]
    lines.append(f"  {'total':14} {c['total']:5}   (TXT {c['txt']}, policy {c['policy']}, "
                 f"mx-match {c['mx-match']}, TLSRPT {c['tlsrpt']}, "
                 f"TLS-RPT reports {c['tlsrpt-report']})")
    lines.append("vectors per result:")
    for r, n in sorted(per_result.items()):
        lines.append(f"  {r:22} {n:5}")
    lines.append("vectors per flag:")
    for f, n in sorted(per_flag.items()):
        lines.append(f"  {f:26} {n:5}")
    lines.append(f"cites: {info['cites']}")
    unmodelled = sum(doc.get("numberOfTests", 0) for doc in docs.values()
                     if doc.get("kind") in UNMODELLED)
    lines.append(f"reference model: {info['model']} vectors compared"
                 + (f" ({unmodelled} of {', '.join(UNMODELLED)}: no model yet)"
                    if unmodelled else ""))
    return "\n".join(lines)


# ---------------------------------------------------------------- self-test


def self_test(vectors_dir: str, header: str) -> int:
    """Corrupt the vectors in memory, one way per check, and expect a report each time."""
    _, clean, _ = lint_all(vectors_dir, header, with_generator=False, with_model=False)

    def first(doc, pred=lambda t: True):
        """The first test of a file that satisfies pred."""
        return next(t for _, t in iter_tests(doc) if pred(t))

    def valid(t):
        return t["result"] == "valid"

    def invalid(t):
        return t["result"] == "invalid"

    def to_valid(d, hint):
        t = first(d, lambda t: t.get("errorHint") == hint and t["result"] == "invalid")
        t.pop("errorHint")
        t.update(result="valid", expected={"version": "STSv1", "mode": "enforce",
                                           "max_age": 604800, "mx": ["mail.example.com"]},
                 warnings=[])

    def to_invalid(t):
        t.pop("expected")
        t.pop("warnings", None)
        t["result"] = "invalid"

    # (what, file, corruption, text the targeted check must report)
    cases = [
        ("schema", "policy.json", lambda d: first(d).__setitem__("result", "maybe"), "schema:"),
        ("duplicate tcId", "policy.json",
         lambda d: d["testGroups"][0]["tests"][1].__setitem__(
             "tcId", d["testGroups"][0]["tests"][0]["tcId"]), "not unique"),
        ("tcIds not ascending", "txt-record.json",
         lambda d: d["testGroups"][0]["tests"].reverse(), "not ascending"),
        ("numberOfTests", "mx-match.json", lambda d: d.__setitem__("numberOfTests", 80),
         "numberOfTests is 80"),
        ("kind vs file name", "policy.json", lambda d: d.__setitem__("kind", "txt-record"),
         "does not match the file name"),
        ("flag without note", "policy.json", lambda d: first(d)["flags"].append("NoSuchFlag"),
         "has no note"),
        ("flag not in FORMAT.md", "policy.json",
         lambda d: (d["notes"].__setitem__("Undocumented", dict(next(iter(d["notes"].values())))),
                    first(d)["flags"].append("Undocumented")), "is not described"),
        ("unused note", "policy.json",
         lambda d: d["notes"].__setitem__("Spare", dict(next(iter(d["notes"].values())))),
         "is not used"),
        ("acceptable without R1/R4/R12", "policy.json",
         lambda d: first(d, lambda t: invalid(t) and not {"R1-WspBeforeDelim",
                                                          "R1-RRsetFilter",
                                                          "R4-KnownFieldBadValue",
                                                          "R12-MxLengthLimits",
                                                          "R12-MxTrailingDot"}
                         & set(t["flags"])).update(result="acceptable",
                                                   acceptableResult="invalid"),
         "acceptable without"),
        ("readable input missing", "policy.json", lambda d: first(d, valid).pop("input"),
         "input is missing"),
        ("readable input differs", "txt-record.json",
         lambda d: first(d, valid).__setitem__("input", "v=STSv1; id=zzz"), "input differs"),
        ("readable strings for invalid UTF-8", "txt-strings.json",
         lambda d: first(d, lambda t: "strings" not in t).__setitem__(
             "strings", ["x"] * len(first(d, lambda t: "strings" not in t)["stringsHex"])),
         "strings must be present"),
        ("expected missing on valid", "tlsrpt-record.json",
         lambda d: first(d, valid).pop("expected"), "valid outcome without expected"),
        ("expected on invalid", "txt-rrset.json",
         lambda d: first(d, invalid).__setitem__("expected", {"id": "abc"}),
         "expected on an invalid outcome"),
        ("unknown errorHint", "txt-record.json",
         lambda d: first(d, lambda t: "errorHint" in t).__setitem__("errorHint", "E_NOPE"),
         "is not an error name"),
        ("a parser code in a report vector", "tlsrpt-report.json",
         lambda d: first(d, lambda t: "errorHint" in t).__setitem__("errorHint", "E_POLICY_MODE"),
         "is not an error name"),
        ("unknown warning", "policy.json",
         lambda d: first(d, valid)["warnings"].append("W_NOPE"), "is not a warning name"),
        ("model disagrees on the result", "policy.json",
         lambda d: to_valid(d, "E_POLICY_MODE"), "model says"),
        ("model disagrees on the hint", "tlsrpt-record.json",
         lambda d: first(d, lambda t: t.get("errorHint") == "E_RUA_CHAR").__setitem__(
             "errorHint", "E_RUA_PERCENT"), "model fails with"),
        ("model disagrees on warnings", "txt-record.json",
         lambda d: first(d, lambda t: t.get("warnings")).__setitem__("warnings", []),
         "model warns"),
        ("model disagrees on expected", "policy.json",
         lambda d: first(d, valid)["expected"].__setitem__("max_age", 1), "model gives"),
        ("model disagrees on a match", "mx-match.json", lambda d: to_invalid(first(d, valid)),
         "model says"),
        ("report model disagrees on the hint", "tlsrpt-report.json",
         lambda d: first(d, lambda t: t.get("errorHint") == "E_REPORT_IP").__setitem__(
             "errorHint", "E_REPORT_DOMAIN"), "model fails with"),
        ("report model disagrees on expected", "tlsrpt-report.json",
         lambda d: first(d, valid)["expected"].__setitem__("start-time", 0), "model gives"),
        ("below the minimum counts", "mx-match.json",
         lambda d: d["testGroups"][0].__setitem__("tests", d["testGroups"][0]["tests"][:5]),
         "at least 60 required"),
    ]
    failures = 0
    for label, fname, mutate, needle in cases:
        docs = copy.deepcopy(clean)
        try:
            mutate(docs[fname])
        except StopIteration:
            print(f"self-test: {label}: no vector to corrupt")
            failures += 1
            continue
        lint, _, _ = lint_all(vectors_dir, header, docs=docs, with_generator=False)
        hits = [p for p in lint.problems if needle in p]
        if hits:
            print(f"self-test: {label}: detected ({hits[0][:90]})")
        else:
            print(f"self-test: {label}: NOT detected (wanted {needle!r}; got "
                  f"{lint.problems[:2]})")
            failures += 1
    # The generator comparison: a corrupted file on disk is caught.
    sys.path.insert(0, vectors_dir)
    import gen_vectors  # noqa: E402
    sys.path.pop(0)
    real = gen_vectors.generate

    def corrupted():
        out = real()
        out["policy.json"] = out["policy.json"].replace('"mode": "enforce"', '"mode": "none"', 1)
        return out

    gen_vectors.generate = corrupted
    lint = Lint()
    check_generator(lint, vectors_dir)
    gen_vectors.generate = real
    if lint.problems:
        print(f"self-test: generator drift: detected ({lint.problems[0][:100]})")
    else:
        print("self-test: generator drift: NOT detected")
        failures += 1
    failures += self_test_quotations(clean, vectors_dir)
    print(f"self-test: {'FAILED' if failures else 'ok'}")
    return 1 if failures else 0


def self_test_quotations(clean: dict, vectors_dir: str) -> int:
    """The quotation checks can fail: a misquotation (in a note or in spec/), a ruling that
    spec/ does not have, a malformed spec/ blockquote, and RFC texts missing under CI."""
    failures = 0

    def expect(label, problems, needle, skip=None):
        nonlocal failures
        hits = [p for p in problems if needle in p]
        if skip:
            print(f"self-test: {label}: skipped, {skip}")
        elif hits:
            print(f"self-test: {label}: detected ({hits[0][:90]})")
        else:
            print(f"self-test: {label}: NOT detected (wanted {needle!r}; got {problems[:2]})")
            failures += 1

    refs = reference_texts(vectors_dir)
    absent = None if refs.rfc else "RFC texts not found (set MTASTS_RFC_DIR)"
    note = dict(next(iter(clean["policy.json"]["notes"].values())))
    note["cites"] = "This sentence is not in any RFC."
    lint = Lint()
    check_cites(lint, {"x.json": {"notes": {"Misquoted": note}}}, vectors_dir, refs, ci=False)
    expect("misquotation", lint.problems, "not found verbatim", absent)
    lint = Lint()
    bad = copy.copy(refs)
    bad.spec_quotes = [("rulings.md", "RFC 8461", "§3.1", "Senders MUST ignore the id.")]
    check_cites(lint, {}, vectors_dir, bad, ci=False)
    expect("spec/ misquotes the RFC", lint.problems, "not found verbatim in rfc8461.txt", absent)
    lint = Lint()
    check_cites(lint, {"x.json": {"notes": {"Unknown": dict(note, ruling="R99", cites="")}}},
                vectors_dir, refs, ci=False)
    expect("ruling not in spec/", lint.problems, "R99 has no heading in spec/")
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, "x.md"), "w", encoding="utf-8") as f:
            f.write("### R1 x\n\n> RFC 8461 §3.1 without the quotation marks\n")
        expect("malformed spec/ blockquote", read_spec(d)[3], "a blockquote that is not")
    # The RFC texts missing: under CI a failure, elsewhere a loud skip that still checks the
    # quotations of rulings against spec/.
    gone = reference_texts(vectors_dir, dirs=[os.path.join(vectors_dir, "no-such-rfc-dir")])
    lint = Lint()
    check_cites(lint, clean, vectors_dir, gone, ci=True)
    expect("RFC texts missing under CI", lint.problems, "under CI (CI=true)")
    lint = Lint()
    status = check_cites(lint, clean, vectors_dir, gone, ci=False)
    if lint.problems or not status.startswith("skipped: RFC texts not found"):
        print(f"self-test: RFC texts missing outside CI: not a clean skip ({status[:80]}; "
              f"{lint.problems[:2]})")
        failures += 1
    else:
        print(f"self-test: RFC texts missing outside CI: {status[:90]}")
    return failures


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Check the mtasts test vectors.")
    ap.add_argument("vectors_dir", nargs="?", default=os.path.dirname(os.path.abspath(__file__)))
    ap.add_argument("--header", help="path of mtasts.h (default: "
                                     "<vectors_dir>/../parser/include/mtasts.h)")
    ap.add_argument("--self-test", action="store_true",
                    help="prove that every check can fail, then exit")
    args = ap.parse_args(argv)
    vectors_dir = os.path.abspath(args.vectors_dir)
    header = args.header or os.path.join(vectors_dir, "..", "parser", "include", "mtasts.h")
    if args.self_test:
        return self_test(vectors_dir, header)
    lint, docs, info = lint_all(vectors_dir, header)
    print(summary(docs, info))
    if info["cites"].startswith("skipped"):
        print(f"\n!! lint_vectors: {info['cites']}", file=sys.stderr)
    if lint.problems:
        print(f"\n{len(lint.problems)} problem(s):")
        for p in lint.problems:
            print("  " + p)
        return 1
    print("\nlint_vectors: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
