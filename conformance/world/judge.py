"""Judging a resolver's answers against a scenario (vectors/scenarios/FORMAT.md, "Judging").

A step's answer is compared field by field with the step's `expect`, but only on the fields the
answer reports (a resolver reports what it can observe). `mx` compares as a case-insensitive
set, `mxMatch` and `mxTls` host by host (host names case-insensitively; for `mxTls` each host's
`verdict` and `rpt`, other members of a host's object are not compared). A field the answer
reports that `expect` leaves out (an `id` when no policy applies, `mxMatch` when the mode is
none, `mxTls` in a step without SMTP servers) is compared with "absent": a null `id` or an
empty `mxMatch` / `mxTls` count as absent.

A scenario passes when every step matches `expect`; it is acceptable when every step matches
`expect` or one of the step's `acceptable` outcomes and one matched only an alternative; it
fails otherwise. The first step that is not pass/acceptable decides: its error or
unsupported answer makes the scenario error or unsupported, a mismatch makes it fail with the
first differing field (in FIELDS order) as the reason.
"""

import json

FIELDS = ("apply", "mode", "id", "mx", "rpt", "mxMatch", "mxTls")
VERDICTS = ("pass", "fail", "acceptable", "unsupported", "error")
APPLY_VALUES = ("new", "cached", "none")
MODE_VALUES = ("enforce", "testing", "none")
ENFORCING_MODES = ("enforce", "testing")
RPT_VALUES = ("", "sts-policy-fetch-error", "sts-policy-invalid", "sts-webpki-invalid")
TLS_VERDICTS = ("deliver", "deliver-and-report", "refuse")
TLS_RPT_VALUES = ("", "starttls-not-supported", "certificate-host-mismatch",
                  "certificate-expired", "certificate-not-trusted", "validation-failure")


def _mx_tls_ok(value):
    """{host: {"verdict", "rpt", ...}}: both members there, each of its values."""
    return isinstance(value, dict) and all(
        isinstance(v, dict) and v.get("verdict") in TLS_VERDICTS and v.get("rpt") in TLS_RPT_VALUES
        for v in value.values())


def answer_problem(answer):
    """Why a decoded protocol answer (a dict, tcId/step already checked) is malformed, or
    None. An error or unsupported answer needs its reason string; a decision needs at least
    one field of FIELDS, each of the right type."""
    for key in ("error", "unsupported"):
        if key in answer:
            return None if isinstance(answer[key], str) else "%s must be a string" % key
    reported = [f for f in FIELDS if f in answer]
    if not reported:
        return "no decision member (%s) and no error/unsupported" % ", ".join(FIELDS)
    checks = {
        "apply": lambda v: v in APPLY_VALUES,
        "mode": lambda v: v in MODE_VALUES,
        "id": lambda v: v is None or isinstance(v, str),
        "mx": lambda v: isinstance(v, list) and all(isinstance(h, str) for h in v),
        "rpt": lambda v: v in RPT_VALUES,
        "mxMatch": lambda v: isinstance(v, dict) and all(isinstance(b, bool) for b in v.values()),
        "mxTls": _mx_tls_ok,
    }
    for field in reported:
        if not checks[field](answer[field]):
            return "%s has a bad value: %s" % (field, json.dumps(answer[field]))
    if "detail" in answer and not isinstance(answer["detail"], str):
        return "detail must be a string"
    return None


def _normal(field, value):
    """The comparable form of a field's value; None stands for "absent"."""
    if value is None:
        return None
    if field == "mx":
        return sorted({h.lower() for h in value})
    if field == "mxMatch":
        return {h.lower(): b for h, b in value.items()} or None
    if field == "mxTls":
        return {h.lower(): {"verdict": v.get("verdict"), "rpt": v.get("rpt")}
                for h, v in value.items()} or None
    return value


def _show(value):
    return "absent" if value is None else json.dumps(value)


def compared_fields(got, expect):
    """The fields of FIELDS that `got` reports and that are compared with `expect`: `mx` only
    when `expect` has a policy in force (under mode none an implementation may not keep the
    patterns, and they decide nothing)."""
    fields = [f for f in FIELDS if f in got]
    if expect.get("mode") not in ENFORCING_MODES:
        fields = [f for f in fields if f != "mx"]
    return fields


def differences(got, expect):
    """[(field, got value, expected value)] over the compared fields, in FIELDS order; a
    differing `mxTls` is given host by host ("mxTls HOST", that host's values), in host
    order."""
    out = []
    for field in compared_fields(got, expect):
        mine, theirs = _normal(field, got[field]), _normal(field, expect.get(field))
        if mine == theirs:
            continue
        if field == "mxTls" and mine is not None and theirs is not None:
            out += [("mxTls " + host, mine.get(host), theirs.get(host))
                    for host in sorted(set(mine) | set(theirs))
                    if mine.get(host) != theirs.get(host)]
        else:
            out.append((field, got[field], expect.get(field)))
    return out


class StepOutcome:
    """One step: what was asked, what came back, and how it compares."""

    def __init__(self, step_index, step, got):
        self.index = step_index
        self.expect = step["expect"]
        self.got = got  # the answer (without tcId/step), or {"error": ...} made by the driver
        self.compared = []
        self.verdict, self.reason = self._judge(step)

    def _judge(self, step):
        if "error" in self.got:
            return "error", "step %d: %s" % (self.index, self.got["error"])
        if "unsupported" in self.got:
            return "unsupported", "step %d: %s" % (self.index, self.got["unsupported"])
        self.compared = self._compared()
        diff = self._difference(self.expect)
        if diff is None:
            return "pass", None
        for alternative in step.get("acceptable", []):
            if self._difference(alternative) is None:
                return "acceptable", "step %d matches an acceptable outcome" % self.index
        return "fail", "step %d: %s" % (self.index, self._failure(diff))

    # What run_mta.py's MtaOutcome judges differently (the world's record of a delivery):

    def _compared(self):
        return compared_fields(self.got, self.expect)

    def _difference(self, expect):
        """The first difference of the answer from `expect`, or None."""
        diffs = differences(self.got, expect)
        return diffs[0] if diffs else None

    def _failure(self, diff):
        field, got, expected = diff
        return "%s: got %s, expected %s" % (field, _show(got), _show(expected))

    def as_json(self):
        return {"step": self.index, "got": self.got, "expect": self.expect,
                "compared": self.compared}


def scenario_verdict(outcomes):
    """(verdict, reason) of a scenario from its StepOutcomes in step order."""
    if not outcomes:
        return "error", "no step was answered"
    acceptable_reason = None
    for outcome in outcomes:
        if outcome.verdict in ("error", "unsupported", "fail"):
            return outcome.verdict, outcome.reason
        if outcome.verdict == "acceptable" and acceptable_reason is None:
            acceptable_reason = outcome.reason
    if acceptable_reason:
        return "acceptable", acceptable_reason
    return "pass", None
