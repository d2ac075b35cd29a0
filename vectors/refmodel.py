#!/usr/bin/env python3
"""refmodel.py - an executable reading of the spec, used to cross-check the vectors.

The vectors in this folder are written by hand, as tables in gen/ (gen_vectors.py). This
module is a second, independent statement of the same rules (the ABNF of RFC 8461
section 3.1 / 3.2 and RFC 8460 section 3, read through the rulings of spec/ and the
comments of parser/include/mtasts.h). lint_vectors.py runs every vector through it
and reports each disagreement, so a typo in a table or a slip in a reading shows
up as a lint failure instead of a wrong vector.

It is deliberately naive (no performance concerns, no shared code with the C
parser) and only models what the vectors check: the result, the error name and
the warnings. Error *offsets* are computed with the header's convention but are
not compared by anything; the vectors do not carry offsets.

Python 3 standard library only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

POLICY_MAX_SIZE = 65536
TXT_MAX_SIZE = 4096
MAX_EXTENSIONS = 32
MAX_RUA = 32
MAX_LABEL_LEN = 63
MAX_NAME_LEN = 253
MAX_ID_LEN = 32
MAX_EXT_NAME_LEN = 32
MAX_AGE_DIGITS = 10
MAX_AGE_LIMIT = 31557600

BOM = b"\xef\xbb\xbf"
WSP = b" \t"


class ParseError(Exception):
    """A failed parse: the mtasts error name and the byte offset."""

    def __init__(self, code: str, offset: int, data: bytes = b""):
        # The header: whenever the byte at the error offset is NUL, the code is E_NUL.
        if 0 <= offset < len(data) and data[offset] == 0:
            code = "E_NUL"
        super().__init__(f"{code}@{offset}")
        self.code = code
        self.offset = offset


@dataclass
class Outcome:
    ok: bool
    code: str = "OK"
    offset: int = 0
    value: dict = field(default_factory=dict)
    warnings: list = field(default_factory=list)  # [(name, offset)]

    @property
    def warning_names(self) -> list:
        return [w for w, _ in sorted(self.warnings, key=lambda w: w[1])]


# ---------------------------------------------------------------- byte classes


def is_alpha(c: int) -> bool:
    return 0x41 <= c <= 0x5A or 0x61 <= c <= 0x7A


def is_digit(c: int) -> bool:
    return 0x30 <= c <= 0x39


def is_alnum(c: int) -> bool:
    return is_alpha(c) or is_digit(c)


def is_extname(c: int) -> bool:
    return is_alnum(c) or c in b"_-."


def is_wsp(c: int) -> bool:
    return c in WSP


def is_txtval(c: int) -> bool:
    # sts-ext-value / tlsrpt-ext-value: %x21-3A / %x3C / %x3E-7E
    return 0x21 <= c <= 0x3A or c == 0x3C or 0x3E <= c <= 0x7E


def is_hex(c: int) -> bool:
    return is_digit(c) or 0x41 <= c <= 0x46 or 0x61 <= c <= 0x66


# RFC 3986 unreserved / gen-delims / sub-delims, minus "," "!" ";" (RFC 8460: MUST be
# encoded), and the "%" of pct-encoded.
URI_PUNCT = b"-._~" + b":/?#[]@" + b"$&'()*+=" + b"%"


def is_uri_char(c: int) -> bool:
    return is_alnum(c) or c in URI_PUNCT


# ---------------------------------------------------------------- RFC 3986 URI (R20a)
#
# tlsrpt-uri = URI, RFC 3986 Appendix A whole, with "," "!" ";" out of sub-delims (RFC
# 8460: MUST be encoded). The ABNF is written below as a tree of nodes, each rendered
# two ways as a regular expression: full() matches the production, viable() matches
# every prefix of a word of it (so the first byte that cannot continue a URI is where
# the longest viable prefix ends). Nothing here is shared with uri.c.


class _Node:
    def full(self) -> str:
        raise NotImplementedError

    def viable(self) -> str:
        raise NotImplementedError


class _Set(_Node):
    """One byte out of a set (bytes are str characters, decoded as latin-1)."""

    def __init__(self, chars):
        self.cls = "[" + "".join(re.escape(chr(b)) for b in sorted(set(chars))) + "]"

    def full(self):
        return self.cls

    def viable(self):
        return "(?:" + self.cls + ")?"


class _Seq(_Node):
    def __init__(self, *items):
        self.items = [_lit(x) for x in items]

    def full(self):
        return "".join(x.full() for x in self.items)

    def viable(self):
        # Some items whole, then a viable prefix of the next one.
        if not self.items:
            return ""
        alts = ["".join(x.full() for x in self.items[:k]) + self.items[k].viable()
                for k in range(len(self.items))]
        return "(?:" + "|".join(alts) + ")"


class _Alt(_Node):
    def __init__(self, *items):
        self.items = [_lit(x) for x in items]

    def full(self):
        return "(?:" + "|".join(x.full() for x in self.items) + ")"

    def viable(self):
        return "(?:" + "|".join(x.viable() for x in self.items) + ")"


class _Rep(_Node):
    """lo*hi(item); hi None is unbounded."""

    def __init__(self, item, lo=0, hi=None):
        self.item, self.lo, self.hi = _lit(item), lo, hi

    def full(self):
        hi = "" if self.hi is None else str(self.hi)
        return f"(?:{self.item.full()}){{{self.lo},{hi}}}"

    def viable(self):
        # Fewer than hi whole items, then a viable prefix of one more.
        hi = "" if self.hi is None else str(self.hi - 1)
        return f"(?:{self.item.full()}){{0,{hi}}}{self.item.viable()}"


def _lit(x):
    """A str is a literal (case-sensitive: every literal used here is punctuation)."""
    if isinstance(x, str):
        return _Seq(*[_Set(ch.encode()) for ch in x]) if len(x) != 1 else _Set(x.encode())
    return x


def _opt(x):
    return _Rep(x, 0, 1)


def _uri_grammar() -> _Node:
    alpha = bytes(range(0x41, 0x5B)) + bytes(range(0x61, 0x7B))
    digit = b"0123456789"
    hexdig = digit + b"ABCDEFabcdef"
    unreserved = alpha + digit + b"-._~"
    sub_delims = b"$&'()*+="  # minus "!" "," ";"
    pct = _Seq("%", _Set(hexdig), _Set(hexdig))
    pchar = _Alt(_Set(unreserved + sub_delims + b":@"), pct)
    segment, segment_nz = _Rep(pchar), _Rep(pchar, 1)
    path_abempty = _Rep(_Seq("/", segment))
    path_absolute = _Seq("/", _opt(_Seq(segment_nz, _Rep(_Seq("/", segment)))))
    path_rootless = _Seq(segment_nz, _Rep(_Seq("/", segment)))
    path_empty = _Seq()
    dec_octet = _Alt(_Set(digit), _Seq(_Set(b"123456789"), _Set(digit)),
                     _Seq("1", _Set(digit), _Set(digit)), _Seq("2", _Set(b"01234"), _Set(digit)),
                     _Seq("25", _Set(b"012345")))
    ipv4 = _Seq(dec_octet, ".", dec_octet, ".", dec_octet, ".", dec_octet)
    h16 = _Rep(_Set(hexdig), 1, 4)
    ls32 = _Alt(_Seq(h16, ":", h16), ipv4)

    def groups(n):  # n( h16 ":" )
        return _Rep(_Seq(h16, ":"), n, n)

    def before(n):  # [ *n( h16 ":" ) h16 ]
        return _opt(_Seq(_Rep(_Seq(h16, ":"), 0, n), h16))

    ipv6 = _Alt(_Seq(groups(6), ls32), _Seq("::", groups(5), ls32),
                _Seq(_opt(h16), "::", groups(4), ls32), _Seq(before(1), "::", groups(3), ls32),
                _Seq(before(2), "::", groups(2), ls32), _Seq(before(3), "::", h16, ":", ls32),
                _Seq(before(4), "::", ls32), _Seq(before(5), "::", h16), _Seq(before(6), "::"))
    ipvfuture = _Seq(_Set(b"vV"), _Rep(_Set(hexdig), 1), ".",
                     _Rep(_Set(unreserved + sub_delims + b":"), 1))
    ip_literal = _Seq("[", _Alt(ipv6, ipvfuture), "]")
    reg_name = _Rep(_Alt(_Set(unreserved + sub_delims), pct))
    host = _Alt(ip_literal, ipv4, reg_name)
    userinfo = _Rep(_Alt(_Set(unreserved + sub_delims + b":"), pct))
    authority = _Seq(_opt(_Seq(userinfo, "@")), host, _opt(_Seq(":", _Rep(_Set(digit)))))
    hier_part = _Alt(_Seq("//", authority, path_abempty), path_absolute, path_rootless, path_empty)
    query = _Rep(_Alt(pchar, _Set(b"/?")))
    scheme = _Seq(_Set(alpha), _Rep(_Set(alpha + digit + b"+-.")))
    return _Seq(scheme, ":", hier_part, _opt(_Seq("?", query)), _opt(_Seq("#", query)))


_URI = _uri_grammar()
_URI_FULL = re.compile(_URI.full(), re.S)
_URI_VIABLE = re.compile(_URI.viable(), re.S)


def uri_error(uri: bytes):
    """None for a URI; else (code, offset in uri) at the first byte that cannot continue one."""
    s = uri.decode("latin-1")
    if _URI_FULL.fullmatch(s):
        return None
    lo, hi = 0, len(s)  # s[:lo] is viable; find the longest viable prefix
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if _URI_VIABLE.fullmatch(s[:mid]):
            lo = mid
        else:
            hi = mid - 1
    return _uri_error_code(uri, lo), lo


def _uri_error_code(uri: bytes, f: int) -> str:
    """What the byte at f (or the end, f == len) breaks, from where it is in the URI."""
    colon = uri.find(b":")
    if colon < 0 or f <= colon:
        return "E_RUA_SCHEME"
    if f < len(uri) and not is_uri_char(uri[f]):
        return "E_RUA_CHAR"
    if (f >= 1 and uri[f - 1] == 0x25) or (f >= 2 and uri[f - 2] == 0x25 and is_hex(uri[f - 1])):
        return "E_RUA_PERCENT"
    if uri[colon + 1:colon + 3] == b"//":
        a0 = colon + 3
        a1 = a0
        while a1 < len(uri) and uri[a1] not in b"/?#":
            a1 += 1
        if f <= a1:
            # The host starts after a userinfo "@" already read, else at the authority.
            at = uri.find(b"@", a0, f)
            h0 = at + 1 if at >= 0 else a0
            if h0 < f and uri[h0] == 0x5B:
                close = uri.find(b"]", h0, f)
                if close < 0:
                    return "E_RUA_IP_LITERAL"
                h0 = close + 1
            return "E_RUA_PORT" if b":" in uri[h0:f] else "E_RUA_HOST"
    return "E_RUA_RESERVED"


def mailto_has_address(rest: bytes) -> bool:
    """R20a: RFC 6068 `to` (up to the first "?" or "#") holds local "@" domain, both
    non-empty: a raw "@" with a byte on each side."""
    to = re.match(rb"[^?#]*", rest).group()
    return re.fullmatch(rb".+@.+", to, re.S) is not None


def utf8_multibyte(data: bytes, i: int) -> int:
    """Length of a well-formed UTF8-2/3/4 sequence at data[i:], else 0 (RFC 3629 s4)."""
    b0 = data[i]
    lo, hi = 0x80, 0xBF
    if 0xC2 <= b0 <= 0xDF:
        need = 2
    elif 0xE0 <= b0 <= 0xEF:
        need = 3
        if b0 == 0xE0:
            lo = 0xA0
        elif b0 == 0xED:
            hi = 0x9F
    elif 0xF0 <= b0 <= 0xF4:
        need = 4
        if b0 == 0xF0:
            lo = 0x90
        elif b0 == 0xF4:
            hi = 0x8F
    else:
        return 0
    if len(data) - i < need or not lo <= data[i + 1] <= hi:
        return 0
    for k in range(2, need):
        if not 0x80 <= data[i + k] <= 0xBF:
            return 0
    return need


# ---------------------------------------------------------------- mx patterns


def label_ok(label: bytes) -> bool:
    # sub-domain = Let-dig [Ldh-str]; Ldh-str = *( ALPHA / DIGIT / "-" ) Let-dig
    if not label:
        return False
    if not is_alnum(label[0]) or not is_alnum(label[-1]):
        return False
    return all(is_alnum(c) or c == 0x2D for c in label)


def mx_pattern_error(pattern: bytes) -> str | None:
    """None if `pattern` is a valid sts-policy-mx-value under R12, else the code."""
    err = mx_pattern_scan(pattern)
    return None if err is None else err[0]


def mx_pattern_scan(p: bytes):
    """(code, offset of the first byte that fails) or None, scanning left to right."""
    n = len(p)
    i = 2 if p.startswith(b"*.") else 0
    while True:
        start = i
        if i == n:
            if i > 0 and p[i - 1] == 0x2E and i - 1 > (1 if p.startswith(b"*.") else -1):
                return ("E_POLICY_MX_TRAILING_DOT", i - 1)
            return ("E_POLICY_MX_SYNTAX", i)
        if not is_alnum(p[i]):
            return ("E_POLICY_MX_SYNTAX", i)
        while i < n and (is_alnum(p[i]) or p[i] == 0x2D):
            if i - start == MAX_LABEL_LEN:
                return ("E_POLICY_MX_LABEL_TOO_LONG", i)
            i += 1
        if p[i - 1] == 0x2D:
            return ("E_POLICY_MX_SYNTAX", i - 1)
        if i == n:
            break
        if p[i] != 0x2E:
            return ("E_POLICY_MX_SYNTAX", i)
        i += 1
    if n > MAX_NAME_LEN:
        return ("E_POLICY_MX_TOO_LONG", MAX_NAME_LEN)
    return None


def host_ok(host: bytes) -> bool:
    """R13: one trailing dot removed, then an RFC 5321 Domain with DNS limits."""
    if host.endswith(b"."):
        host = host[:-1]
    if not host or len(host) > MAX_NAME_LEN:
        return False
    return all(label_ok(lb) and len(lb) <= MAX_LABEL_LEN for lb in host.split(b"."))


def mx_match(pattern: bytes, host: bytes) -> str:
    """MATCH_EXACT / MATCH_WILDCARD / MATCH_NONE / MATCH_BAD_PATTERN / MATCH_BAD_HOST."""
    if mx_pattern_error(pattern) is not None:
        return "MATCH_BAD_PATTERN"
    if not host_ok(host):
        return "MATCH_BAD_HOST"
    h = host[:-1] if host.endswith(b".") else host
    h = h.lower()  # bytes.lower() folds ASCII A-Z only
    p = pattern.lower()
    if p.startswith(b"*."):
        first, dot, rest = h.partition(b".")
        if dot and first and rest == p[2:]:
            return "MATCH_WILDCARD"
        return "MATCH_NONE"
    return "MATCH_EXACT" if h == p else "MATCH_NONE"


# ---------------------------------------------------------------- TXT records


class _TxtCursor:
    def __init__(self, data: bytes):
        self.d = data
        self.n = len(data)

    def skip_wsp(self, i: int) -> int:
        while i < self.n and is_wsp(self.d[i]):
            i += 1
        return i

    def token_end(self, i: int) -> int:
        """End of a value token: the next WSP, ";" or the end."""
        while i < self.n and not is_wsp(self.d[i]) and self.d[i] != 0x3B:
            i += 1
        return i

    def fail(self, code: str, off: int):
        raise ParseError(code, off, self.d)


def _check_ext_value(c: _TxtCursor, vs: int, ve: int) -> None:
    if ve == vs:
        c.fail("E_TXT_VALUE_EMPTY", vs)
    for i in range(vs, ve):
        if not is_txtval(c.d[i]):
            c.fail("E_TXT_VALUE_CHAR", i)


def _check_id(c: _TxtCursor, vs: int, ve: int) -> None:
    if ve == vs:
        c.fail("E_TXT_VALUE_EMPTY", vs)
    for i in range(vs, ve):
        if not is_alnum(c.d[i]):
            c.fail("E_TXT_ID_CHAR", i)
        if i - vs == MAX_ID_LEN:
            c.fail("E_TXT_ID_TOO_LONG", i)


def _parse_rua(
    c: _TxtCursor, vs: int, profile: str, out: dict, warnings: list, syntax_only: bool = False
) -> int:
    """tlsrpt-rua value: URI *(*WSP "," *WSP URI). Returns the end of the last URI.

    With syntax_only, only the grammar is checked (a later duplicate rua=, R20)."""
    d, n = c.d, c.n
    i = vs
    kept = []
    while True:
        u = i
        if i >= n or d[i] in b",;" or is_wsp(d[i]):
            c.fail("E_RUA_EMPTY", i)
        end = i
        while end < n and not is_wsp(d[end]) and d[end] not in b",;":
            end += 1
        err = uri_error(d[u:end])
        if err is not None:
            c.fail(err[0], u + err[1])
        i = end
        colon = d.index(b":", u, end)
        scheme = d[u:colon].lower()
        rest = d[colon + 1:end]
        problem = None
        if scheme not in (b"mailto", b"https"):
            problem = "E_RUA_UNSUPPORTED_SCHEME"
        elif scheme == b"mailto" and not mailto_has_address(rest):
            problem = "E_RUA_NO_DESTINATION"
        elif scheme == b"https" and not _https_host(rest):
            problem = "E_RUA_NO_DESTINATION"
        if syntax_only:
            pass
        elif problem is not None:
            if profile == "strict":
                c.fail(problem, colon + 1 if problem == "E_RUA_NO_DESTINATION" else u)
            warnings.append(("W_RUA_SKIPPED", u))
        else:
            if len(kept) == MAX_RUA:
                c.fail("E_TOO_MANY_RUA", u)
            kept.append(d[u:i])
        j = c.skip_wsp(i)
        if j < n and d[j] == 0x2C:
            i = c.skip_wsp(j + 1)
            continue
        break
    if not kept and not syntax_only:
        c.fail("E_RUA_NONE_USABLE", vs)
    out["rua"] = kept
    return i


def _https_host(rest: bytes) -> bool:
    if not rest.startswith(b"//"):
        return False
    auth = rest[2:]
    for stop in b"/?#":
        auth = auth.split(bytes([stop]), 1)[0]
    host = auth.rsplit(b"@", 1)[-1]
    if host.startswith(b"["):
        return len(host) > 2
    host = host.split(b":", 1)[0]
    return len(host) > 0


def _rua_grammatical(c: _TxtCursor, vs: int):
    """End of a grammatical tlsrpt-rua value at vs (any scheme), or its ParseError."""
    probe = _TxtCursor(c.d)
    try:
        return _parse_rua(probe, vs, "strict", {}, [], syntax_only=True)
    except ParseError as e:
        return e


def _duplicate_rua_end(c: _TxtCursor, vs: int) -> int:
    """A later rua= (R3, R20): a tlsrpt-rua list or a generic extension value. If it is
    neither, the failure further into the record is reported (a tie: the list's), and
    the list's also when the extension value ends before the list failed (the offsets
    convention of parser/SPEC.md, "TXT records: grammar, order of judgement,
    offsets")."""
    if vs == c.n or is_wsp(c.d[vs]) or c.d[vs] == 0x3B:
        c.fail("E_TXT_VALUE_EMPTY", vs)  # neither reading has a value
    end = _rua_grammatical(c, vs)
    if isinstance(end, int):
        return end
    ve = c.token_end(vs)
    try:
        _check_ext_value(c, vs, ve)
    except ParseError as ext:
        raise ext if ext.offset > end.offset else end
    if end.offset > c.skip_wsp(ve):
        raise end
    return ve


def txt_parse(data: bytes, profile: str = "strict", kind: str = "sts") -> Outcome:
    """Model of mtasts_txt_parse (kind "sts") and mtasts_tlsrpt_parse (kind "tlsrpt")."""
    try:
        return _txt_parse(data, profile, kind)
    except ParseError as e:
        return Outcome(False, e.code, e.offset)


def _txt_parse(data: bytes, profile: str, kind: str) -> Outcome:
    c = _TxtCursor(data)
    n = len(data)
    if n > TXT_MAX_SIZE:
        raise ParseError("E_TXT_TOO_LARGE", TXT_MAX_SIZE, data)
    if n == 0:
        raise ParseError("E_EMPTY", 0, data)
    version = b"v=STSv1" if kind == "sts" else b"v=TLSRPTv1"
    for k, ch in enumerate(version):
        if k >= n or data[k] != ch:
            c.fail("E_TXT_VERSION", k)
    pos = len(version)
    if pos < n and not is_wsp(data[pos]) and data[pos] != 0x3B:
        c.fail("E_TXT_VERSION", pos)  # the version field runs on: "v=STSv10", "v=STSv1,"
    warnings: list = []
    seen: set = set()
    exts = 0
    out: dict = {}
    while True:
        p = c.skip_wsp(pos)
        if p == n:
            if p > pos:
                if profile == "strict":
                    c.fail("E_TXT_TRAILING_WSP", pos)
                warnings.append(("W_TXT_TRAILING_WSP", pos))
            break  # no field at all is reported as the missing required field
        if data[p] != 0x3B:
            c.fail("E_TXT_EXPECTED_DELIM", p)
        p = c.skip_wsp(p + 1)
        if p == n:
            break  # the optional final delimiter
        if data[p] == 0x3B:
            c.fail("E_TXT_EMPTY_FIELD", p)
        start = p
        if not is_alnum(data[p]):
            c.fail("E_TXT_FIELD_NAME", p)
        q = p
        while q < n and is_extname(data[q]):
            if q - start == MAX_EXT_NAME_LEN:
                c.fail("E_TXT_FIELD_NAME", q)
            q += 1
        if q >= n or data[q] != 0x3D:
            c.fail("E_TXT_EXPECTED_EQUALS", q)
        name = data[start:q]
        vs = q + 1
        duplicate = name == b"v" or name in seen
        seen.add(name)
        if kind == "tlsrpt" and name == b"rua":
            if duplicate:
                end = _duplicate_rua_end(c, vs)
                warnings.append(("W_DUPLICATE_FIELD", start))
                pos = end
            else:
                if vs == n or is_wsp(data[vs]) or data[vs] == 0x3B:
                    c.fail("E_TXT_VALUE_EMPTY", vs)  # an empty list; "a,,b" is E_RUA_EMPTY
                pos = _parse_rua(c, vs, profile, out, warnings)
            continue
        ve = c.token_end(vs)
        if kind == "sts" and name == b"id" and not duplicate:
            _check_id(c, vs, ve)
            out["id"] = data[vs:ve]
        else:
            _check_ext_value(c, vs, ve)
            if duplicate:
                warnings.append(("W_DUPLICATE_FIELD", start))
            elif not (kind == "sts" and name == b"id"):
                if exts == MAX_EXTENSIONS:
                    c.fail("E_TOO_MANY_EXTENSIONS", start)
                exts += 1
        pos = ve
    if kind == "sts" and "id" not in out:
        c.fail("E_TXT_MISSING_ID", n)
    if kind == "tlsrpt" and "rua" not in out:
        c.fail("E_TLSRPT_MISSING_RUA", n)
    return Outcome(True, value=out, warnings=warnings)


def txt_parse_strings(strings: list, profile: str = "strict", kind: str = "sts") -> Outcome:
    """The character-strings of one RR, concatenated without spaces (RFC 8461 3.1)."""
    return txt_parse(b"".join(strings), profile, kind)


def rrset_select(rrs: list, profile: str = "strict", kind: str = "sts") -> Outcome:
    """Model of mtasts_txt_select / mtasts_tlsrpt_select with default options."""
    version = b"v=STSv1" if kind == "sts" else b"v=TLSRPTv1"
    joined = [b"".join(rr) for rr in rrs]
    # Candidacy is judged from the first TXT_MAX_SIZE octets; a non-candidate
    # is discarded whatever its size (RFC 8461 3.1), a too-large candidate
    # fails its own parse.
    candidates = [rec for rec in joined if _begins_with_version(rec[:TXT_MAX_SIZE], version)]
    if not candidates:
        return Outcome(False, "E_RRSET_NONE", 0)
    if len(candidates) > 1:
        return Outcome(False, "E_RRSET_MULTIPLE", 0)
    return txt_parse(candidates[0], profile, kind)


def _begins_with_version(rec: bytes, version: bytes) -> bool:
    # R1: version *WSP ";" ; R2: case-sensitive.
    if not rec.startswith(version):
        return False
    i = len(version)
    while i < len(rec) and is_wsp(rec[i]):
        i += 1
    return i < len(rec) and rec[i] == 0x3B


# ---------------------------------------------------------------- policies


def policy_parse(body: bytes, profile: str = "strict") -> Outcome:
    """Model of mtasts_policy_parse with a large enough mx array."""
    try:
        return _policy_parse(body, profile)
    except ParseError as e:
        return Outcome(False, e.code, e.offset)


def _line_end(d: bytes, i: int) -> int:
    """Index of the first CR or LF at/after i, or len(d)."""
    n = len(d)
    while i < n and d[i] not in b"\r\n":
        i += 1
    return i


def _terminator(d: bytes, i: int) -> int:
    """At a CR/LF/end position, the length of the terminator (0 at the end)."""
    n = len(d)
    if i >= n:
        return 0
    if d[i] == 0x0A:
        return 1
    if i + 1 < n and d[i + 1] == 0x0A:
        return 2
    raise ParseError("E_POLICY_BARE_CR", i, d)


def _is_blank_line(d: bytes, i: int) -> bool:
    e = _line_end(d, i)
    return all(is_wsp(c) for c in d[i:e])


def _only_blank_lines_left(d: bytes, i: int) -> bool:
    n = len(d)
    while i < n:
        e = _line_end(d, i)
        if not all(is_wsp(c) for c in d[i:e]):
            return False
        if e >= n:
            return True
        if d[e] == 0x0D and not (e + 1 < n and d[e + 1] == 0x0A):
            return True  # the bare CR is reported when the region is walked
        i = e + (2 if d[e] == 0x0D else 1)
    return True


def _policy_ext_value_check(d: bytes, vs: int, ve: int) -> None:
    i = vs
    while i < ve:
        ch = d[i]
        if 0x21 <= ch <= 0x7E or ch == 0x20:
            i += 1
            continue
        if ch >= 0x80:
            k = utf8_multibyte(d, i)
            if k == 0 or i + k > ve:
                raise ParseError("E_POLICY_VALUE_UTF8", i, d)
            i += k
            continue
        raise ParseError("E_POLICY_VALUE_CHAR", i, d)


def _policy_parse(d: bytes, profile: str) -> Outcome:
    n = len(d)
    if n > POLICY_MAX_SIZE:
        raise ParseError("E_POLICY_TOO_LARGE", POLICY_MAX_SIZE, d)
    if n == 0:
        raise ParseError("E_EMPTY", 0, d)
    warnings: list = []
    pos = 0
    if d.startswith(BOM):
        if profile == "strict":
            raise ParseError("E_POLICY_BOM", 0, d)
        warnings.append(("W_POLICY_BOM", 0))
        pos = 3
    version = mode = max_age = None
    mx: list = []
    seen: set = set()
    exts = 0
    fields = 0
    while pos < n or (pos == n and fields == 0):
        ls = pos
        if _is_blank_line(d, ls):
            e = _line_end(d, ls)
            if e < n and d[e] == 0x0D:
                _terminator(d, e)  # a bare CR wins over the blank line at the same place
            if profile == "lenient" and fields > 0:
                if _only_blank_lines_left(d, ls):
                    warnings.append(("W_POLICY_TRAILING_BLANK", ls))
                    while pos < n:  # walk the region to catch a bare CR
                        e = _line_end(d, pos)
                        pos = e + _terminator(d, e)
                    break
                if e == ls:
                    warnings.append(("W_POLICY_BLANK_LINE", ls))
                    pos = e + _terminator(d, e)
                    continue
            if ls == n:
                break  # a lenient BOM and nothing else: the required fields are missing
            raise ParseError("E_POLICY_BLANK_LINE", ls, d)
        if is_wsp(d[ls]):
            raise ParseError("E_POLICY_LEADING_WSP", ls, d)
        if not is_alnum(d[ls]):
            raise ParseError("E_POLICY_FIELD_NAME", ls, d)
        q = ls
        while q < n and is_extname(d[q]):
            if q - ls == MAX_EXT_NAME_LEN:
                raise ParseError("E_POLICY_FIELD_NAME", q, d)
            q += 1
        if q >= n or d[q] != 0x3A:
            raise ParseError("E_POLICY_EXPECTED_COLON", q, d)
        name = d[ls:q]
        vs = q + 1
        while vs < n and is_wsp(d[vs]):
            vs += 1
        le = _line_end(d, vs)
        ve = le
        while ve > vs and is_wsp(d[ve - 1]):
            ve -= 1
        if ve == vs:
            raise ParseError("E_POLICY_VALUE_EMPTY", vs, d)
        value = d[vs:ve]
        fields += 1
        if name == b"mx":
            err = mx_pattern_scan(value)
            if err is not None:
                raise ParseError(err[0], vs + err[1], d)
            mx.append(value)
        elif name in seen:
            _policy_ext_value_check(d, vs, ve)
            warnings.append(("W_DUPLICATE_FIELD", ls))
        elif name == b"version":
            if value != b"STSv1":
                raise ParseError("E_POLICY_VERSION", vs, d)
            version = value
        elif name == b"mode":
            if value not in (b"enforce", b"testing", b"none"):
                raise ParseError("E_POLICY_MODE", vs, d)
            mode = value
        elif name == b"max_age":
            if len(value) > MAX_AGE_DIGITS or not all(is_digit(ch) for ch in value):
                raise ParseError("E_POLICY_MAX_AGE", vs, d)
            max_age = int(value)
            if max_age > MAX_AGE_LIMIT:
                if profile == "strict":
                    raise ParseError("E_POLICY_MAX_AGE_RANGE", vs, d)
                warnings.append(("W_POLICY_MAX_AGE_CLAMPED", vs))
                max_age = MAX_AGE_LIMIT
        else:
            _policy_ext_value_check(d, vs, ve)
            if exts == MAX_EXTENSIONS:
                raise ParseError("E_TOO_MANY_EXTENSIONS", ls, d)
            exts += 1
        if name != b"mx":
            seen.add(name)
        pos = le + _terminator(d, le)
    if version is None:
        raise ParseError("E_POLICY_MISSING_VERSION", n, d)
    if mode is None:
        raise ParseError("E_POLICY_MISSING_MODE", n, d)
    if max_age is None:
        raise ParseError("E_POLICY_MISSING_MAX_AGE", n, d)
    if not mx and mode != b"none":
        raise ParseError("E_POLICY_MISSING_MX", n, d)
    value = {
        "version": version.decode(),
        "mode": mode.decode(),
        "max_age": max_age,
        "mx": [m.decode("ascii") for m in mx],
    }
    return Outcome(True, value=value, warnings=warnings)
