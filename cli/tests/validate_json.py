#!/usr/bin/env python3
"""Validate every --json golden output against cli/diagnostics.schema.json.

The golden test (golden.py) proves that the tool prints exactly these
outputs; this proves that they follow the schema. It also checks that the
schema rejects a few broken objects, so that a schema that accepts anything
fails here.
"""
import copy
import json
import os
import sys

import jsonschema

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMA = os.path.join(HERE, "..", "diagnostics.schema.json")
GOLDEN = os.path.join(HERE, "golden")


def json_outputs():
    """(name, stdout) of every golden case run with --json."""
    for name in sorted(os.listdir(GOLDEN)):
        with open(os.path.join(GOLDEN, name), "rb") as f:
            text = f.read().decode("utf-8")
        command = text.split("\n", 1)[0]
        if " --json" not in command:
            continue
        stdout = text.split("--- stdout\n", 1)[1].split("--- stderr\n", 1)[0]
        if stdout:
            yield name, stdout


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


def main():
    with open(SCHEMA, encoding="utf-8") as f:
        schema = json.load(f)
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema)
    failures = 0
    outputs = list(json_outputs())
    valid_policy = None
    for name, stdout in outputs:
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
    if len(outputs) < 20:
        print(f"FAIL only {len(outputs)} --json golden outputs found in {GOLDEN}")
        failures += 1
    if valid_policy is None:
        print("FAIL golden/policy_good_json.out is missing")
        return 1
    for what, obj in broken_variants(valid_policy):
        if validator.is_valid(obj):
            print(f"FAIL the schema accepts a broken object: {what}")
            failures += 1
    print(f"{len(outputs)} --json outputs validated against {os.path.basename(SCHEMA)}, "
          f"{failures} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
