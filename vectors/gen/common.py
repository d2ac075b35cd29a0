"""What the seven table modules share: the Vec and Section classes, the JSON writer, the
row helpers and the inputs used by more than one file."""

from __future__ import annotations

import json

from .notes import NOTES

RFC8461_31 = "RFC 8461 §3.1"
RFC8461_32 = "RFC 8461 §3.2"
RFC8461_41 = "RFC 8461 §4.1"
RFC8460_3 = "RFC 8460 §3"

# ---------------------------------------------------------------------------
# Vector construction
# ---------------------------------------------------------------------------


def b(x) -> bytes:
    """Table inputs are str (UTF-8 encoded) or bytes (taken as they are)."""
    return x if isinstance(x, bytes) else x.encode("utf-8")


def readable(data: bytes):
    """The readable form of some bytes, or None when they are not valid UTF-8."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


class Vec:
    """One row of a table: the input, the expected outcome, and why."""

    def __init__(self, comment, result, *, rfc, flags=(), expected=None, hint=None,
                 warnings=None, acceptable=None, data=None, strings=None, rrset=None,
                 pattern=None, host=None):
        assert result in ("valid", "invalid", "acceptable"), result
        assert acceptable in (None, "valid", "invalid")
        assert (result == "acceptable") == (acceptable is not None), comment
        self.comment = comment
        self.result = result
        self.acceptable = acceptable
        self.rfc = rfc
        self.flags = list(flags)
        for f in self.flags:
            assert f in NOTES, f"unknown flag {f}"
        self.expected = expected
        self.hint = hint
        self.warnings = warnings
        self.data = None if data is None else b(data)
        self.strings = None if strings is None else [b(s) for s in strings]
        self.rrset = None if rrset is None else [[b(s) for s in rr] for rr in rrset]
        self.pattern = pattern
        self.host = host

    @property
    def outcome(self) -> str:
        return self.acceptable if self.result == "acceptable" else self.result

    def to_json(self, tc_id: int, kind: str) -> dict:
        t = {"tcId": tc_id, "comment": self.comment, "flags": self.flags, "rfc": self.rfc,
             "result": self.result}
        if self.acceptable is not None:
            t["acceptableResult"] = self.acceptable
        if kind in ("txt-record", "policy", "tlsrpt-record", "tlsrpt-report"):
            t["inputHex"] = self.data.hex()
            text = readable(self.data)
            if text is not None:
                t["input"] = text
        elif kind == "txt-strings":
            t["stringsHex"] = [s.hex() for s in self.strings]
            texts = [readable(s) for s in self.strings]
            if all(x is not None for x in texts):
                t["strings"] = texts
        elif kind in ("txt-rrset", "tlsrpt-rrset"):
            t["rrsetHex"] = [[s.hex() for s in rr] for rr in self.rrset]
            texts = [[readable(s) for s in rr] for rr in self.rrset]
            if all(x is not None for rr in texts for x in rr):
                t["rrset"] = texts
        elif kind == "mx-match":
            t["pattern"] = self.pattern
            t["host"] = self.host
        if self.outcome == "valid":
            t["expected"] = self.expected
            if kind != "mx-match":
                t["warnings"] = list(self.warnings or [])
        else:
            assert self.expected is None and not self.warnings, self.comment
            if self.hint is not None:
                t["errorHint"] = self.hint
        return t


class Section:
    """A run of vectors with one profile and a fixed first tcId."""

    def __init__(self, base: int, profile: str, title: str, vectors: list):
        assert profile in ("strict", "lenient")
        self.base = base
        self.profile = profile
        self.title = title
        self.vectors = vectors


def build_file(kind, source, header, sections):
    groups = []
    last_id = 0
    used_flags = set()
    count = 0
    for profile in ("strict", "lenient"):
        tests = []
        for sec in sections:
            if sec.profile != profile:
                continue
            assert sec.base > last_id, f"{kind}: section '{sec.title}' overlaps the previous one"
            for i, v in enumerate(sec.vectors):
                tc = sec.base + i
                tests.append(v.to_json(tc, kind))
                used_flags.update(v.flags)
                last_id = tc
            count += len(sec.vectors)
        if tests:
            groups.append({"profile": profile, "tests": tests})
    notes = {name: NOTES[name] for name in NOTES if name in used_flags}
    return {
        "kind": kind,
        "schema": "vectors.schema.json",
        "source": source,
        "numberOfTests": count,
        "header": header,
        "notes": notes,
        "testGroups": groups,
    }


def render(doc) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=True) + "\n"


# Row helpers. `inp` is the keyword of the input field for the kind.


def valid_row(inp, comment, value, expected, *, rfc, flags=(), warn=()):
    return Vec(comment, "valid", rfc=rfc, flags=flags, expected=expected, warnings=list(warn),
               **{inp: value})


def invalid_row(inp, comment, value, hint, *, rfc, flags=()):
    return Vec(comment, "invalid", rfc=rfc, flags=flags, hint=hint, **{inp: value})


def acceptable_row(inp, comment, value, *, acc, rfc, flags, expected=None, hint=None, warn=()):
    return Vec(comment, "acceptable", acceptable=acc, rfc=rfc, flags=flags,
               expected=expected, hint=hint, warnings=list(warn) if expected else None,
               **{inp: value})


# ---- _mta-sts TXT records ---------------------------------------------------


def sts_ok(comment, rec, id_, *, flags=(), warn=(), rfc=RFC8461_31, inp="data"):
    return valid_row(inp, comment, rec, {"id": id_}, rfc=rfc, flags=flags, warn=warn)


def sts_bad(comment, rec, hint, *, flags=(), rfc=RFC8461_31, inp="data"):
    return invalid_row(inp, comment, rec, hint, rfc=rfc, flags=flags)


def sts_acc_ok(comment, rec, id_, *, flags, warn=(), rfc=RFC8461_31, inp="data"):
    return acceptable_row(inp, comment, rec, acc="valid", rfc=rfc, flags=flags,
                          expected={"id": id_}, warn=warn)


def sts_acc_bad(comment, rec, hint, *, flags, rfc=RFC8461_31, inp="data"):
    return acceptable_row(inp, comment, rec, acc="invalid", rfc=rfc, flags=flags, hint=hint)


DUP = "W_DUPLICATE_FIELD"
TWSP = "W_TXT_TRAILING_WSP"
ID32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef"
NAME32 = "a" + "b" * 30 + "z"  # 32 characters
TXT_PAD_PREFIX = "v=STSv1; id=abc; pad="


def txt_of_size(n: int, prefix: str = TXT_PAD_PREFIX) -> str:
    return prefix + "x" * (n - len(prefix))


def chunks(s: str, n: int) -> list:
    return [s[i:i + n] for i in range(0, len(s), n)]


# Unrelated records at the same name (the RRset files of both kinds).
SPF = "v=spf1 -all"
DMARC = "v=DMARC1; p=none"

# ---- host names (policy mx patterns, MX host matching) ------------------------

LABEL63 = "a" * 62 + "z"
LABEL64 = "a" * 63 + "z"


def name_of_length(n: int, suffix: str = ".example") -> str:
    """A host name of exactly n octets: labels of 63 octets, then `suffix`."""
    body = n - len(suffix)
    labels = []
    while body > 0:
        take = min(63, body - 1 if body > 1 else body)
        if body - take == 1:  # never leave a lone "." without a label
            take -= 1
        labels.append("m" * take)
        body -= take + 1
    name = ".".join(labels) + suffix
    assert len(name) == n and all(0 < len(x) <= 63 for x in name.split(".")), (n, name)
    return name


# ---- TLSRPT records -----------------------------------------------------------


def rpt_ok(comment, rec, rua, *, flags=(), warn=(), rfc=RFC8460_3, inp="data"):
    return valid_row(inp, comment, rec, {"rua": list(rua)}, rfc=rfc, flags=flags, warn=warn)


def rpt_bad(comment, rec, hint, *, flags=(), rfc=RFC8460_3, inp="data"):
    return invalid_row(inp, comment, rec, hint, rfc=rfc, flags=flags)


def rpt_acc_ok(comment, rec, rua, *, flags, rfc=RFC8460_3, inp="data"):
    return acceptable_row(inp, comment, rec, acc="valid", rfc=rfc, flags=flags,
                          expected={"rua": list(rua)})


def rpt_acc_bad(comment, rec, hint, *, flags, rfc=RFC8460_3, inp="data"):
    return acceptable_row(inp, comment, rec, acc="invalid", rfc=rfc, flags=flags, hint=hint)


MA_A = "mailto:a@example.com"
MA_B = "mailto:b@example.com"
HS = "https://reporting.example.com/v1/tlsrpt"
SKIP = "W_RUA_SKIPPED"
