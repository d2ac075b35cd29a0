#!/usr/bin/env python3
"""refmodel_report.py - an executable reading of rulings R22-R29 (spec/reports.md), used by
lint_vectors.py to cross-check tlsrpt-report.json as refmodel.py does the other kinds.

A naive recursive-descent reader of the report's JSON, written from spec/reports.md and the
comment of mtasts_report_parse in report/include/mtasts_report.h, sharing no code with
report/: judgement in document order (a JSON error where it is met, a member's value when it
is read, a container's type at its first byte, required members at the "}" of their object,
what depends on policy-type at the "}" of "policy", the dates' order at the "}" of
"date-range"). The sts re-parse and the mx patterns use refmodel.py's policy and mx models.
It gives the result, the error name and the warnings (in offset order), and the report as
read in the `expected` shape of FORMAT.md.

Python 3 standard library only.
"""

from __future__ import annotations

import calendar
import re

import refmodel
from refmodel import Outcome

MAX_DEPTH = 32
MAX_MEMBERS = 64
MAX_COUNT = 2 ** 53 - 1
RESULT_TYPES = {"starttls-not-supported", "certificate-host-mismatch", "certificate-expired",
                "certificate-not-trusted", "validation-failure", "tlsa-invalid",
                "dnssec-invalid", "dane-required", "sts-policy-fetch-error",
                "sts-policy-invalid", "sts-webpki-invalid"}


class Fail(Exception):
    def __init__(self, code, off):
        super().__init__(f"{code}@{off}")
        self.code, self.off = code, off


class Node:
    def __init__(self, kind, off, value=None):
        self.kind, self.off, self.value = kind, off, value  # value: str, int text, dict, list
        self.end = off  # the offset of a container's closing bracket


# ---------------------------------------------------------------- value grammars

DATE = re.compile(r"(\d{4})-(\d\d)-(\d\d)[Tt](\d\d):(\d\d):(\d\d)(\.\d+)?([Zz]|[+-]\d\d:\d\d)?")
LABEL = re.compile(r"[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?")
ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
ADDR = re.compile(r"(%s(\.%s)*|\"([\x20\x09\x21\x23-\x5b\x5d-\x7e]|\\[\x20-\x7e\x09])*\")@"
                  r"(%s(\.%s)*|\[[\x21-\x5a\x5e-\x7e]*\])" % (ATEXT, ATEXT, ATEXT, ATEXT))
TLSA = re.compile(r"\d{1,3} \d{1,3} \d{1,3} ([0-9A-Fa-f]{2})+")


def date_seconds(s):
    """(seconds, fraction digits, has offset) or None."""
    m = DATE.fullmatch(s)
    if not m:
        return None
    y, mo, d, h, mi, sec = (int(x) for x in m.groups()[:6])
    mdays = [31, 29 if (y % 4 == 0 and y % 100 != 0) or y % 400 == 0 else 28, 31, 30, 31, 30,
             31, 31, 30, 31, 30, 31]
    if not (1 <= mo <= 12 and 1 <= d <= mdays[mo - 1] and h <= 23 and mi <= 59 and sec <= 60):
        return None
    t = calendar.timegm((y, mo, d, h, mi, 0)) + sec
    off = m.group(8)
    if off and off not in "Zz":
        oh, om = int(off[1:3]), int(off[4:6])
        if oh > 23 or om > 59:
            return None
        t += (-1 if off[0] == "+" else 1) * (oh * 3600 + om * 60)
    return t, (m.group(7) or ".")[1:].rstrip("0"), off is not None


def domain_ok(s):
    labels = s.split(".")
    return 0 < len(s) <= 253 and all(len(x) <= 63 and LABEL.fullmatch(x) for x in labels)


IPV4 = re.compile(r"(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}")


def ip_ok(s):
    """The IPv4 of RFC 8460 4.4, or RFC 4291 2.2 text (a dotted tail counts as two groups)."""
    if IPV4.fullmatch(s):
        return True
    if "." in s:
        head, _, v4 = s.rpartition(":")
        if not IPV4.fullmatch(v4):
            return False
        s = head + ":0:0"
    if s.count("::") > 1:
        return False
    if "::" in s:
        left, right = s.split("::")
        groups = (left.split(":") if left else []) + (right.split(":") if right else [])
        fits = len(groups) <= 7
    else:
        groups = s.split(":")
        fits = len(groups) == 8
    return fits and all(re.fullmatch(r"[0-9A-Fa-f]{1,4}", g) for g in groups)


# ---------------------------------------------------------------- the reader


class Reader:
    def __init__(self, data: bytes, profile: str):
        self.d, self.n, self.i = data, len(data), 0
        self.lenient = profile == "lenient"
        self.profile = profile
        self.warnings = []

    def fail(self, code, off):
        if off < self.n and self.d[off] == 0:
            code = "E_JSON_NUL"
        raise Fail(code, off)

    def warn(self, code, off):
        self.warnings.append((code, off))

    # ---- JSON

    def ws(self):
        while self.i < self.n and self.d[self.i] in b" \t\r\n":
            self.i += 1

    def peek(self):
        if self.i >= self.n:
            self.fail("E_JSON_TRUNCATED", self.n)
        return self.d[self.i]

    def string(self):
        """At '"': the decoded content (str)."""
        start = self.i
        self.i += 1
        out = []
        while True:
            c = self.peek()
            if c == 0x22:
                self.i += 1
                return Node("str", start, "".join(out))
            if c < 0x20:
                self.fail("E_JSON_CONTROL", self.i)
            if c == 0x5C:
                out.append(self.escape())
            elif c < 0x80:
                out.append(chr(c))
                self.i += 1
            else:
                out.append(self.utf8())

    def escape(self):
        at = self.i
        self.i += 1
        c = self.peek()
        simple = {0x22: '"', 0x5C: "\\", 0x2F: "/", 0x62: "\b", 0x66: "\f", 0x6E: "\n",
                  0x72: "\r", 0x74: "\t"}
        if c in simple:
            self.i += 1
            return simple[c]
        if c != 0x75:
            self.fail("E_JSON_ESCAPE", self.i)
        u = self.hex4()
        if 0xDC00 <= u <= 0xDFFF:
            self.fail("E_JSON_SURROGATE", at)
        if 0xD800 <= u <= 0xDBFF:
            if self.d[self.i:self.i + 2] != b"\\u":
                self.fail("E_JSON_SURROGATE", at)
            self.i += 1
            lo = self.hex4()
            if not 0xDC00 <= lo <= 0xDFFF:
                self.fail("E_JSON_SURROGATE", at)
            u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00)
        return chr(u)

    def hex4(self):
        self.i += 1  # the "u"
        v = 0
        for _ in range(4):
            c = self.peek()
            if chr(c) not in "0123456789abcdefABCDEF":
                self.fail("E_JSON_ESCAPE", self.i)
            v = v * 16 + int(chr(c), 16)
            self.i += 1
        return v

    def utf8(self):
        start = self.i
        for size in (2, 3, 4):
            try:
                ch = self.d[start:start + size].decode("utf-8")
                if len(ch) == 1:
                    self.i = start + size
                    return ch
            except UnicodeDecodeError:
                pass
        self.fail("E_JSON_UTF8", start)

    def number(self):
        start = self.i
        m = re.compile(rb"-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?").match(self.d, self.i)
        end = m.end() if m and m.end() > start else start
        if end == start or (end < self.n and self.d[end] in b"0123456789.eE+-"):
            bad = end if end > start else start + (self.d[start:start + 1] == b"-")
            self.fail("E_JSON_NUMBER", bad)
        self.i = end
        return Node("num", start, self.d[start:end].decode())

    def literal(self):
        start = self.i
        for word, value in ((b"true", True), (b"false", False), (b"null", None)):
            if self.d[start] == word[0]:
                for k, b in enumerate(word):
                    if start + k >= self.n:
                        self.fail("E_JSON_TRUNCATED", self.n)
                    if self.d[start + k] != b:
                        self.fail("E_JSON_LITERAL", start + k)
                self.i = start + len(word)
                return Node("null" if value is None else "bool", start, value)
        self.fail("E_JSON_SYNTAX", start)

    def value(self, depth, schema):
        """A JSON value where `schema` (below) says what is due; checks as it reads."""
        self.ws()
        c = self.peek()
        if c in b"{[":
            if depth + 1 > MAX_DEPTH:
                self.fail("E_JSON_DEPTH", self.i)
            want = schema.get("type") if schema else None
            kind = "obj" if c == 0x7B else "arr"
            if want is not None and want != kind and not (want == "mx" and kind == "arr"):
                self.fail("E_REPORT_TYPE", self.i)
            return self.obj(depth + 1, schema) if kind == "obj" else self.arr(depth + 1, schema)
        if c == 0x22:
            node = self.string()
        elif c == 0x2D or 0x30 <= c <= 0x39:
            node = self.number()
        else:
            node = self.literal()
        return self.scalar(node, schema) if schema else node

    def obj(self, depth, schema):
        node = Node("obj", self.i, {})
        self.i += 1
        members = schema.get("members", {}) if schema else {}
        self.ws()
        if self.peek() == 0x7D:
            node.end = self.i
            self.i += 1
            return self.close(node, schema)
        while True:
            self.ws()
            if self.peek() != 0x22:
                self.fail("E_JSON_SYNTAX", self.i)
            if len(node.value) == MAX_MEMBERS:
                self.fail("E_JSON_TOO_MANY_MEMBERS", self.i)
            name = self.string()
            if name.value in node.value:
                self.fail("E_JSON_DUPLICATE", name.off)
            self.ws()
            if self.peek() != 0x3A:
                self.fail("E_JSON_SYNTAX", self.i)
            self.i += 1
            child = members.get(name.value)
            node.value[name.value] = self.value(depth, child)
            self.ws()
            c = self.peek()
            self.i += 1
            if c == 0x7D:
                node.end = self.i - 1
                return self.close(node, schema)
            if c != 0x2C:
                self.fail("E_JSON_SYNTAX", self.i - 1)

    def arr(self, depth, schema):
        node = Node("arr", self.i, [])
        self.i += 1
        item = schema.get("items") if schema else None
        self.ws()
        if self.peek() == 0x5D:
            node.end = self.i
            self.i += 1
            return self.close(node, schema)
        while True:
            node.value.append(self.value(depth, item))
            self.ws()
            c = self.peek()
            self.i += 1
            if c == 0x5D:
                node.end = self.i - 1
                return self.close(node, schema)
            if c != 0x2C:
                self.fail("E_JSON_SYNTAX", self.i - 1)

    def document(self):
        if self.d.startswith(b"\xef\xbb\xbf"):
            self.fail("E_JSON_BOM", 0)
        self.ws()
        if self.i == self.n:
            self.fail("E_JSON_EMPTY", self.n)
        root = self.value(0, TOP)
        self.ws()
        if self.i < self.n:
            self.fail("E_JSON_TRAILING", self.i)
        return root

    # ---- the report

    def scalar(self, node, schema):
        want = schema["type"]
        if node.kind == "null":
            if not self.lenient:
                self.fail("E_REPORT_NULL", node.off)
            self.warn("W_REPORT_CONTACT_MISSING" if schema.get("contact") else "W_REPORT_NULL",
                      node.off)
            return None
        if want in ("obj", "arr"):
            self.fail("E_REPORT_TYPE", node.off)
        if want == "count":
            if node.kind == "str" or (node.kind == "num" and not node.value.isdigit()):
                self.fail("E_REPORT_COUNT", node.off)
            if node.kind != "num":
                self.fail("E_REPORT_TYPE", node.off)
            if int(node.value) > MAX_COUNT:
                self.fail("E_REPORT_COUNT_RANGE", node.off)
            return node
        if node.kind != "str":
            self.fail("E_REPORT_TYPE", node.off)
        if want == "mx":  # one string for the array (lenient)
            if not self.lenient:
                self.fail("E_REPORT_TYPE", node.off)
            self.warn("W_REPORT_MX_HOST_STRING", node.off)
            return Node("arr", node.off, [node])
        check = schema.get("check")
        return check(self, node) if check else node

    def close(self, node, schema):
        if schema and schema.get("close"):
            schema["close"](self, node)
        return node

    def require(self, node, *names):
        for name in names:
            if node.value.get(name) is None:
                self.fail("E_REPORT_MISSING", node.end)


# ---------------------------------------------------------------- per member


def c_contact(r, node):
    if not ADDR.fullmatch(node.value) or len(node.value) > 254:
        if not r.lenient:
            r.fail("E_REPORT_CONTACT", node.off)
        r.warn("W_REPORT_CONTACT_NOT_ADDR", node.off)
    return node


def c_date(r, node):
    got = date_seconds(node.value) if len(node.value.encode()) <= 256 else None
    if got is None or (not got[2] and not r.lenient):
        r.fail("E_REPORT_DATE", node.off)
    if not got[2]:
        r.warn("W_REPORT_DATE_NO_OFFSET", node.off)
    node.time = got
    return node


def c_domain(r, node):
    if not domain_ok(node.value):
        r.fail("E_REPORT_DOMAIN", node.off)
    return node


def c_ip(r, node):
    if node.value == "":
        if not r.lenient:
            r.fail("E_REPORT_IP", node.off)
        r.warn("W_REPORT_IP_EMPTY", node.off)
        return None
    if not ip_ok(node.value):
        r.fail("E_REPORT_IP", node.off)
    return node


def c_type(r, node):
    if node.value not in ("sts", "tlsa", "no-policy-found"):
        if not r.lenient:
            r.fail("E_REPORT_POLICY_TYPE", node.off)
        r.warn("W_REPORT_POLICY_TYPE", node.off)
    return node


def c_result(r, node):
    if not re.fullmatch(r"[A-Za-z0-9-]+", node.value):
        r.fail("E_REPORT_RESULT_TYPE", node.off)
    if node.value not in RESULT_TYPES:
        r.warn("W_REPORT_RESULT_TYPE", node.off)
    return node


def c_uri(r, node):
    uri = node.value.encode()
    if refmodel.uri_error(re.sub(rb"[,!;]", b"&", uri)) is not None:
        r.fail("E_REPORT_URI", node.off)
    return node


def close_dates(r, node):
    r.require(node, "start-datetime", "end-datetime")
    start, end = node.value["start-datetime"], node.value["end-datetime"]
    (s, sf, _), (e, ef, _) = start.time, end.time
    if (s, sf.ljust(32, "0")) >= (e, ef.ljust(32, "0")):
        r.fail("E_REPORT_DATE_ORDER", end.off)
    if s % 86400 or sf or e - s != 86400 or ef:
        r.warn("W_REPORT_NOT_ONE_DAY", node.off)


def close_policy(r, node):
    v = node.value
    r.require(node, "policy-type")
    ptype = v["policy-type"].value
    strings = v.get("policy-string")
    if ptype in ("sts", "tlsa") and strings is None:
        if not r.lenient:
            r.fail("E_REPORT_MISSING", node.end)
        r.warn("W_REPORT_POLICY_STRING_MISSING", node.end)
    if v.get("policy-domain") is None:
        if ptype != "no-policy-found" or not r.lenient:
            r.fail("E_REPORT_MISSING", node.end)
        r.warn("W_REPORT_DOMAIN_MISSING", node.end)
    if strings is not None and ptype == "tlsa":
        for s in strings.value:
            if len(strings.value) == 1 and r.lenient and s.value.startswith("["):
                r.warn("W_REPORT_TLSA_JSON_ARRAY", s.off)
            elif not TLSA.fullmatch(s.value) or any(int(x) > 255 for x in s.value.split()[:3]):
                r.fail("E_REPORT_TLSA", s.off)
    if strings is not None and ptype == "sts":
        text = "\n".join(s.value for s in strings.value).encode()
        got = refmodel.policy_parse(text, r.profile)
        if not got.ok:
            r.warn("W_REPORT_POLICY_STRING_INVALID", strings.off)
    for m in (v.get("mx-host").value if v.get("mx-host") is not None else []):
        bad = (not domain_ok(m.value.rstrip("."))) if ptype == "tlsa" else \
            refmodel.mx_pattern_error(m.value.encode()) is not None
        if bad:
            r.fail("E_REPORT_MX_HOST", m.off)


def close_summary(r, node):
    r.require(node, "total-successful-session-count", "total-failure-session-count")


def close_detail(r, node):
    r.require(node, "result-type", "failed-session-count")


def close_element(r, node):
    r.require(node, "policy", "summary")


def close_policies(r, node):
    if not node.value:
        r.fail("E_REPORT_POLICIES_EMPTY", node.off)


def close_top(r, node):
    r.require(node, "organization-name", "date-range")
    if node.value.get("contact-info") is None and "contact-info" not in node.value:
        if not r.lenient:
            r.fail("E_REPORT_MISSING", node.end)
        r.warn("W_REPORT_CONTACT_MISSING", node.end)
    r.require(node, "report-id", "policies")


S = {"type": "str"}
COUNT = {"type": "count"}
DETAIL = {"type": "obj", "close": close_detail, "members": {
    "result-type": {"type": "str", "check": c_result},
    "sending-mta-ip": {"type": "str", "check": c_ip},
    "receiving-ip": {"type": "str", "check": c_ip},
    "receiving-mx-hostname": {"type": "str", "check": c_domain},
    "receiving-mx-helo": S,
    "failed-session-count": COUNT,
    "additional-information": {"type": "str", "check": c_uri},
    "failure-reason-code": S}}
POLICY = {"type": "obj", "close": close_policy, "members": {
    "policy-type": {"type": "str", "check": c_type},
    "policy-string": {"type": "arr", "items": S},
    "policy-domain": {"type": "str", "check": c_domain},
    "mx-host": {"type": "mx", "items": S}}}
ELEMENT = {"type": "obj", "close": close_element, "members": {
    "policy": POLICY,
    "summary": {"type": "obj", "close": close_summary, "members": {
        "total-successful-session-count": COUNT, "total-failure-session-count": COUNT}},
    "failure-details": {"type": "arr", "items": DETAIL}}}
TOP = {"type": "obj", "close": close_top, "members": {
    "organization-name": S,
    "date-range": {"type": "obj", "close": close_dates, "members": {
        "start-datetime": {"type": "str", "check": c_date},
        "end-datetime": {"type": "str", "check": c_date}}},
    "contact-info": {"type": "str", "check": c_contact, "contact": True},
    "report-id": S,
    "policies": {"type": "arr", "items": ELEMENT, "close": close_policies}}}


def text_of(node):
    return None if node is None else node.value


def summary(root) -> dict:
    v = root.value
    out = {"organization-name": v["organization-name"].value,
           "start-time": v["date-range"].value["start-datetime"].time[0],
           "end-time": v["date-range"].value["end-datetime"].time[0],
           "contact-info": text_of(v.get("contact-info")), "report-id": v["report-id"].value,
           "policies": []}
    for el in v["policies"].value:
        p, s = el.value["policy"].value, el.value["summary"].value
        mx = p.get("mx-host")
        details = []
        for d in (el.value.get("failure-details").value if el.value.get("failure-details")
                  else []):
            dv = d.value
            details.append({"result-type": dv["result-type"].value,
                             "failed-session-count": int(dv["failed-session-count"].value),
                             "sending-mta-ip": text_of(dv.get("sending-mta-ip")),
                             "receiving-ip": text_of(dv.get("receiving-ip")),
                             "receiving-mx-hostname": text_of(dv.get("receiving-mx-hostname"))})
        out["policies"].append({
            "policy-type": p["policy-type"].value, "policy-domain": text_of(p.get("policy-domain")),
            "mx-host": None if mx is None else [m.value for m in mx.value],
            "total-successful-session-count": int(s["total-successful-session-count"].value),
            "total-failure-session-count": int(s["total-failure-session-count"].value),
            "failure-details": details})
    return out


def report_parse(data: bytes, profile: str = "strict") -> Outcome:
    """Model of mtasts_report_parse with arrays large enough."""
    r = Reader(data, profile)
    try:
        root = r.document()
    except Fail as e:
        return Outcome(False, e.code, e.off)
    return Outcome(True, value=summary(root), warnings=r.warnings)
