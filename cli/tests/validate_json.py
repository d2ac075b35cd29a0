#!/usr/bin/env python3
"""Validate every --json golden output against cli/diagnostics.schema.json.

The golden test (golden.py) proves that the tool prints exactly these
outputs; this proves that they follow the schema. It also checks that the
schema rejects a few broken objects, so that a schema that accepts anything
fails here.

`mtasts resolve --json` needs DNS and HTTPS, which no golden test has: its
outputs in resolve_samples/ were recorded in the scenario world
(conformance/world/world.py shell --phase 0 of vectors/scenarios/
scenarios.json, one `mtasts --json resolve ...` per file, the command
line in each sample's "input" and "now") and are validated here with the
goldens. Record them again when the resolve object changes.
"""
import copy
import json
import os
import sys

import jsonschema

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMA = os.path.join(HERE, "..", "diagnostics.schema.json")
GOLDEN = os.path.join(HERE, "golden")
GOLDEN_RESOLVE = os.path.join(HERE, "golden_resolve")
SAMPLES = os.path.join(HERE, "resolve_samples")
CHECK_SAMPLES = os.path.join(HERE, "check_samples")


def json_outputs():
    """(name, stdout) of every golden case run with --json."""
    for directory in (GOLDEN, GOLDEN_RESOLVE):
        for name in sorted(os.listdir(directory)):
            with open(os.path.join(directory, name), "rb") as f:
                text = f.read().decode("utf-8")
            command = text.split("\n", 1)[0]
            if " --json" not in command:
                continue
            stdout = text.split("--- stdout\n", 1)[1].split("--- stderr\n", 1)[0]
            if stdout:
                yield name, stdout


def resolve_samples():
    """(name, text) of every recorded `mtasts --json resolve` output."""
    for name in sorted(os.listdir(SAMPLES)):
        with open(os.path.join(SAMPLES, name), encoding="utf-8") as f:
            yield "resolve_samples/" + name, f.read()


def check_samples():
    """(name, stdout) of every recorded `mtasts --json check` (check_samples/*_json.out:
    the command line, "[exit N]", then stdout)."""
    for name in sorted(os.listdir(CHECK_SAMPLES)):
        if name.endswith("_json.out"):
            with open(os.path.join(CHECK_SAMPLES, name), encoding="utf-8") as f:
                yield "check_samples/" + name, f.read().split("\n", 2)[2]


def broken_variants(valid):
    """Objects the schema must reject, made from a valid one."""
    def edit(fn):
        o = copy.deepcopy(valid)
        fn(o)
        return o

    yield "no verdict", edit(lambda o: o.pop("verdict"))
    yield "unknown key", edit(lambda o: o.update(colour=True))
    yield "valid without result", edit(lambda o: o.update(verdict="valid", result=None))
    yield "error without message", edit(lambda o: o.update(verdict="error", result=None))
    yield "bad profile", edit(lambda o: o.update(profile="loose"))
    diag = {"severity": "warning", "name": "E_EMPTY", "code": 2, "message": "input is empty",
            "source": "x", "offset": 0, "line": 1, "column": 1, "hint": "h",
            "rfc": "RFC 8461 §3.2"}
    yield "error code as a warning", edit(lambda o: o.update(diagnostics=[diag]))
    yield "column 0", edit(lambda o: o.update(
        diagnostics=[dict(diag, severity="error", column=0)]))
    yield "rfc without a section", edit(lambda o: o.update(
        diagnostics=[dict(diag, severity="error", rfc="RFC 8461")]))
    no_hint = dict(diag, severity="error")
    no_hint.pop("hint")
    yield "diagnostic without hint", edit(lambda o: o.update(diagnostics=[no_hint]))
    yield "resolved for a policy", edit(lambda o: o.update(verdict="resolved"))


def broken_resolve_variants(valid):
    """resolve objects the schema must reject, made from a valid one (a
    fetched policy in force, with a cache)."""
    def edit(fn):
        o = copy.deepcopy(valid)
        fn(o["result"])
        return o

    yield "no mxMatch", edit(lambda r: r.pop("mxMatch"))
    yield "unknown member", edit(lambda r: r.update(colour=True))
    yield "apply none with an id", edit(lambda r: r.update(apply="none", mode="none", mx=[],
                                                           max_age=None))
    yield "apply none with mode enforce", edit(lambda r: r.update(apply="none", id=None, mx=[],
                                                                  max_age=None))
    yield "a new policy from a failed fetch", edit(lambda r: r["fetch"].update(reason="STATUS",
                                                                               error="404"))
    yield "a failed fetch without error", edit(lambda r: r["fetch"].update(reason="NETWORK"))
    yield "valid record without live id", edit(lambda r: r.update(live_id=None))
    yield "live id with a hyphen", edit(lambda r: r.update(live_id="a-b"))
    yield "rpt not a fetch result type", edit(lambda r: r.update(rpt="validation-failure"))
    yield "mode unset", edit(lambda r: r.update(mode="unset"))
    yield "mxMatch not a boolean", edit(lambda r: r["mxMatch"].update({"a.example": "yes"}))
    yield "cache off with a file", edit(lambda r: r["cache"].update(state="off"))
    yield "corrupt cache without warning", edit(lambda r: r["cache"].update(state="corrupt"))
    yield "a fetch event that never ends a run", edit(lambda r: r.update(event="fetch-pending"))
    yield "resolved without result", copy.deepcopy(dict(valid, result=None))
    yield "diagnostics in a resolve", copy.deepcopy(dict(valid, diagnostics=[{}]))


def with_mx_tls(valid):
    """The enforce_new sample as `--starttls` would print it, were its three
    MX hosts served with these outcomes (until a sample recorded in a world
    with SMTP servers holds mxTls)."""
    o = copy.deepcopy(valid)
    o["result"]["mxTls"] = {
        "mx1.s01.world.test": {"tls": "ok", "verdict": "deliver", "rpt": "", "pattern_index": 0,
                               "recheck_policy": False, "error": None},
        "a.backup.s01.world.test": {
            "tls": "expired", "verdict": "refuse", "rpt": "certificate-expired",
            "pattern_index": 1, "recheck_policy": True,
            "error": "the certificate of a.backup.s01.world.test is not valid: "
                     "certificate has expired"},
        "evil.world.test": {"tls": "ok", "verdict": "refuse", "rpt": "validation-failure",
                            "pattern_index": None, "recheck_policy": True, "error": None},
    }
    return o


def broken_mx_tls_variants(valid):
    """mxTls members the schema must reject, made from with_mx_tls."""
    def edit(host, fn):
        o = copy.deepcopy(valid)
        fn(o["result"], o["result"]["mxTls"][host])
        return o

    ok, expired, evil = "mx1.s01.world.test", "a.backup.s01.world.test", "evil.world.test"
    yield "mxTls: unknown tls", edit(ok, lambda r, t: t.update(tls="fine"))
    yield "mxTls: unknown member", edit(ok, lambda r, t: t.update(colour=True))
    yield "mxTls: no error member", edit(ok, lambda r, t: t.pop("error"))
    yield "mxTls: ok with an error", edit(ok, lambda r, t: t.update(error="x"))
    yield "mxTls: a failure without error", edit(expired, lambda r, t: t.update(error=None))
    yield "mxTls: deliver with a report", edit(ok, lambda r, t: t.update(rpt="certificate-expired"))
    yield "mxTls: refuse without a report", edit(expired, lambda r, t: t.update(rpt=""))
    yield "mxTls: refuse without recheck", edit(expired, lambda r, t: t.update(recheck_policy=False))
    yield "mxTls: recheck when delivering", edit(ok, lambda r, t: t.update(recheck_policy=True))
    yield "mxTls: a fetch result type", edit(expired, lambda r, t: t.update(rpt="sts-policy-invalid"))
    yield "mxTls: unmatched host not validation-failure", edit(
        evil, lambda r, t: t.update(rpt="certificate-host-mismatch"))
    yield "mxTls: matched and ok but refused", edit(
        ok, lambda r, t: t.update(verdict="refuse", rpt="validation-failure", recheck_policy=True))
    yield "mxTls: negative pattern index", edit(ok, lambda r, t: t.update(pattern_index=-1))
    yield "mxTls: refused under mode none", edit(expired, lambda r, t: r.update(
        apply="new", mode="none"))
    yield "mxTls: not an object", edit(ok, lambda r, t: r["mxTls"].update({ok: "ok"}))


def main():
    with open(SCHEMA, encoding="utf-8") as f:
        schema = json.load(f)
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema)
    failures = 0
    outputs = list(json_outputs())
    samples = list(resolve_samples()) + list(check_samples())
    valid_policy = None
    valid_resolve = None
    for name, stdout in outputs + samples:
        try:
            obj = json.loads(stdout)
        except json.JSONDecodeError as e:
            print(f"FAIL {name}: stdout is not one JSON value: {e}")
            failures += 1
            continue
        errors = sorted(validator.iter_errors(obj), key=lambda e: list(e.path))
        for e in errors[:5]:
            print(f"FAIL {name}: {'/'.join(map(str, e.path)) or '(root)'}: {e.message}")
        failures += bool(errors)
        if name == "policy_good_json.out":
            valid_policy = obj
        if name == "resolve_samples/enforce_new.json":
            valid_resolve = obj
    if len(outputs) < 20:
        print(f"FAIL only {len(outputs)} --json golden outputs found in {GOLDEN}")
        failures += 1
    if len(samples) < 15:
        print(f"FAIL only {len(samples)} resolve samples found in {SAMPLES}")
        failures += 1
    if valid_policy is None or valid_resolve is None:
        print("FAIL golden/policy_good_json.out or resolve_samples/enforce_new.json is missing")
        return 1
    valid_mx_tls = with_mx_tls(valid_resolve)
    for e in sorted(validator.iter_errors(valid_mx_tls), key=lambda e: list(e.path))[:5]:
        print(f"FAIL with_mx_tls: {'/'.join(map(str, e.path))}: {e.message}")
        failures += 1
    broken = (list(broken_variants(valid_policy)) + list(broken_resolve_variants(valid_resolve))
              + list(broken_mx_tls_variants(valid_mx_tls)))
    for what, obj in broken:
        if validator.is_valid(obj):
            print(f"FAIL the schema accepts a broken object: {what}")
            failures += 1
    print(f"{len(outputs)} --json outputs and {len(samples)} resolve samples validated against "
          f"{os.path.basename(SCHEMA)}, {len(broken)} broken objects rejected, "
          f"{failures} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
