#!/usr/bin/python3
"""Conformance adapter (protocol version 1, conformance/ADAPTERS.md) for
postfix-mta-sts-resolver (Debian package postfix-mta-sts-resolver).

The library has no function that *validates* a record or a policy:
utils.parse_mta_sts_record() and utils.parse_mta_sts_policy() only split text
into dicts, and every check lives in STSResolver.resolve(), which calls them
after looking up the TXT RRset and fetching the policy. So the adapter calls
that real method and replaces only its two sources of bytes:

- DNS: resolver._resolver.query() returns what aiodns would: the vector's TXT
  RRs are encoded as a DNS answer message and decoded by pycares' own
  parse_result() (c-ares' TXT parser, pycares' joining of an RR's strings and
  its ASCII-or-bytes decoding), or raises aiodns' DNSError for an empty RRset;
- HTTPS: aiohttp.ClientSession is a stand-in whose get() answers status 200,
  "Content-Type: text/plain" (no charset, so the library decodes as ASCII)
  and the vector's body.

txt-record / txt-strings / txt-rrset are served a fixed valid policy, policy a
fixed valid record. STSFetchResult.VALID is "valid" (fields from what resolve()
returned); anything else is "invalid", with the status name and the library's
own log message as "error". mx-match is "unsupported": the package never
matches MX names itself (its responder hands the patterns to Postfix as
"secure match=..."); so are the TLSRPT kinds (no TLSRPT code).
"""
import asyncio
import json
import logging
import struct
import sys

try:
    import aiodns.error
    import aiohttp
    import pycares
    from postfix_mta_sts_resolver import resolver as sts
    MISSING = None
except ImportError as exc:  # the Debian package is not installed
    MISSING = str(exc)

VALID_POLICY = b"version: STSv1\nmode: none\nmax_age: 86400\n"
VALID_RECORD = b"v=STSv1; id=conformance;"
DOMAIN = "example.com"
MAX_CHARACTER_STRING = 255  # octets in one DNS character-string (RFC 1035 3.3)
TXT_TYPE, IN_CLASS = 16, 1


class BadRequest(Exception):
    """The request itself is malformed (ours to report, not the library's)."""


def dns_name(name):
    return b"".join(bytes([len(label)]) + label.encode("ascii")
                    for label in name.split(".")) + b"\0"


def txt_rdata(strings):
    """An RR's character-strings; a longer string is carried split in 255-octet
    pieces, as it would have to be on the wire (pycares joins them again)."""
    pieces = []
    for s in strings:
        pieces += [s[i:i + MAX_CHARACTER_STRING]
                   for i in range(0, len(s), MAX_CHARACTER_STRING)] or [b""]
    return b"".join(bytes([len(p)]) + p for p in pieces)


def txt_answer(qname, rrs):
    """A DNS response message (RFC 1035 4.1) holding the TXT RRs."""
    header = struct.pack(">HHHHHH", 0, 0x8180, 1, len(rrs), 0, 0)
    message = header + dns_name(qname) + struct.pack(">HH", TXT_TYPE, IN_CLASS)
    for rr in rrs:
        rdata = txt_rdata(rr)
        if len(rdata) > 0xFFFF:
            raise BadRequest("TXT RR too large for DNS")
        # 0xc00c: the owner name is a pointer to the question's name.
        message += struct.pack(">HHHIH", 0xC00C, TXT_TYPE, IN_CLASS, 300, len(rdata)) + rdata
    if len(message) > 0xFFFF:
        raise BadRequest("RRset too large for one DNS message")
    return message


class _FakeDNS:
    """Stands in for aiodns.DNSResolver: query() decodes the vector's answer
    with pycares, as aiodns' own callback would."""

    def __init__(self, rrs):
        self._rrs = rrs

    async def query(self, name, qtype):
        if qtype != "TXT":
            raise aiodns.error.DNSError(pycares.errno.ARES_ENODATA, "not TXT")
        message = txt_answer(name, self._rrs)
        buf = pycares._ffi.new("unsigned char[]", message)  # pylint: disable=protected-access
        result, status = pycares.parse_result(pycares._lib.T_TXT, buf, len(message))  # pylint: disable=protected-access
        if status is not None:
            raise aiodns.error.DNSError(status, pycares.errno.strerror(status))
        return result


class _Content:
    def __init__(self, body):
        self._body = body
        self._pos = 0

    async def read(self, n):
        chunk = self._body[self._pos:self._pos + n]
        self._pos += len(chunk)
        return chunk


class _Response:
    def __init__(self, body):
        self.status = 200
        self.headers = {"Content-Type": "text/plain", "Content-Length": str(len(body))}
        self.content = _Content(body)
        self.charset = None  # what aiohttp derives from a Content-Type without charset

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        return False


class _FakeSession:
    """Stands in for aiohttp.ClientSession: every GET returns the body."""

    body = VALID_POLICY

    def __init__(self, *args, **kwargs):
        pass

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        return False

    def get(self, url, **kwargs):  # pylint: disable=unused-argument
        return _Response(_FakeSession.body)


class _LastMessage(logging.Handler):
    """Keeps the resolver's last warning (it logs why a fetch failed)."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.message = None

    def emit(self, record):
        self.message = record.getMessage()


def resolve(loop, log, rrs, body):
    """Runs the library's own resolve() over the given TXT RRs and body."""
    res = sts.STSResolver(loop=loop, timeout=5)
    res._resolver = _FakeDNS(rrs)  # pylint: disable=protected-access
    _FakeSession.body = body
    log.message = None
    return loop.run_until_complete(res.resolve(DOMAIN))


def hex_bytes(value):
    if not isinstance(value, str):
        raise BadRequest("hex input is not a string")
    try:
        return bytes.fromhex(value)
    except ValueError as exc:
        raise BadRequest("not a hex string") from exc


def strings_of(value):
    if not isinstance(value, list):
        raise BadRequest("strings are not a list")
    return [hex_bytes(s) for s in value]


def inputs_of(req):
    """(TXT RRs, each a list of strings; policy body) for the request."""
    kind = req.get("kind")
    if kind == "txt-record":
        return [[hex_bytes(req.get("inputHex"))]], VALID_POLICY
    if kind == "txt-strings":
        return [strings_of(req.get("stringsHex"))], VALID_POLICY
    if kind == "txt-rrset":
        rrset = req.get("rrsetHex")
        if not isinstance(rrset, list):
            raise BadRequest("rrsetHex is not a list")
        return [strings_of(rr) for rr in rrset], VALID_POLICY
    if kind == "policy":
        return [[VALID_RECORD]], hex_bytes(req.get("inputHex"))
    return None, None


def answer(loop, log, req):
    if MISSING is not None:
        return {"result": "unsupported", "error": "not installed: " + MISSING}
    rrs, body = inputs_of(req)
    if rrs is None:
        return {"result": "unsupported"}
    try:
        status, found = resolve(loop, log, rrs, body)
    except BadRequest:
        raise
    except Exception as exc:  # pylint: disable=broad-except
        # The library raising is its verdict on this input, not ours.
        return {"result": "invalid", "error": "exception: " + type(exc).__name__}
    if status != sts.STSFetchResult.VALID:
        why = status.name + (": " + log.message if log.message else "")
        return {"result": "invalid", "error": why}
    record_id, policy = found
    if req["kind"] == "policy":
        fields = {"version": policy.get("version"), "mode": policy.get("mode"),
                  "max_age": policy.get("max_age"), "mx": policy.get("mx")}
    else:
        fields = {"id": record_id}
    return {"result": "valid", "fields": fields}


def respond(loop, log, line):
    try:
        req = json.loads(line)
    except ValueError:
        return {"result": "unsupported", "error": "bad request: not JSON"}
    if not isinstance(req, dict):
        return {"result": "unsupported", "error": "bad request: not an object"}
    try:
        resp = answer(loop, log, req)
    except BadRequest as exc:
        resp = {"result": "unsupported", "error": "bad request: " + str(exc)}
    except Exception as exc:  # pylint: disable=broad-except
        resp = {"result": "invalid", "error": "exception: " + type(exc).__name__}
    resp["tcId"] = req.get("tcId")
    return resp


def main():
    log = _LastMessage()
    if MISSING is None:
        aiohttp.ClientSession = _FakeSession
        library_log = logging.getLogger("RES")
        library_log.addHandler(log)
        library_log.propagate = False
    else:
        sys.stderr.write("postfix-mta-sts-resolver adapter: the library is not installed (%s); "
                         "install the Debian package postfix-mta-sts-resolver (ci/setup.sh). "
                         "Every request is answered \"unsupported\".\n" % MISSING)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    for line in sys.stdin.buffer:
        if not line.strip():
            continue
        sys.stdout.write(json.dumps(respond(loop, log, line)) + "\n")
        sys.stdout.flush()
    loop.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
