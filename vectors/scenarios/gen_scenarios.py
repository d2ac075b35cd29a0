#!/usr/bin/env python3
"""gen_scenarios.py - the resolution scenarios as readable tables.

Writes vectors/scenarios/scenarios.json (format: FORMAT.md next to this file), or with
--check compares the generated text with the committed file. Either way the result is
linted first: schema, tcIds and domains, step timing, the world of every step, the
expectations' internal consistency, flags <-> notes, and every quotation of a note found
verbatim in RFC 8461 / RFC 8460 or in the project's spec (spec/*.md); the RFC texts are
looked up as vectors/lint_vectors.py does (under CI, not finding them is an error).

The expectations are the project's reading (engine/README.md) with the driver's settings:
fetch timeout 5 s, proactive refresh after 86400 s, and the back-off of RFC 8461 H6
(no second fetch for the same id within 300 s of a failure).

Usage: gen_scenarios.py [--check | --self-test] [--out FILE]
"""
from __future__ import annotations

import argparse
import json
import os
import sys

sys.dont_write_bytecode = True  # importing lint_vectors must leave no __pycache__
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "scenarios.json")
SCHEMA = os.path.join(HERE, "scenarios.schema.json")

LOOPBACK = "127.0.0.1"
UNREACHABLE = "127.0.0.2"  # in the world's namespace nothing listens there
DAY = 86400
WEEK = 7 * DAY

# --------------------------------------------------------------------- notes
# One per flag. cites: exact quotations (several separated by " ... ").
NOTES = {
    "Discovery": {
        "rfc": "RFC 8461 §3.1",
        "cites": 'If the number of resulting records is not one, or if the resulting record is '
                 'syntactically invalid, senders MUST assume the recipient domain does not have an '
                 'available MTA-STS Policy and skip the remaining steps of policy discovery.',
        "description": "what the _mta-sts TXT RRset says decides whether a policy is fetched at all",
    },
    "MultiString": {
        "rfc": "RFC 8461 §3.1",
        "cites": "If the resulting TXT record contains multiple strings, then the record MUST be "
                 "treated as if those strings are concatenated without adding spaces.",
        "description": "a TXT record split into several character-strings",
    },
    "CnameDelegation": {
        "rfc": "RFC 8461 §3.1, §8.2",
        "cites": 'The "_mta-sts" record MAY return a CNAME that points (directly or via other '
                 'CNAMEs) to a TXT record, in which case senders MUST follow the CNAME pointers.'
                 ' ... must still present a certificate valid for the Policy Host',
        "description": "the TXT record and the Policy Host delegated to a provider by CNAME",
    },
    "HttpStatus": {
        "rfc": "RFC 8461 §3.3",
        "cites": "Policies fetched via HTTPS are only valid if the HTTP response code is 200 (OK).",
        "description": "a final status other than 200",
    },
    "Redirect": {
        "rfc": "RFC 8461 §3.3",
        "cites": "HTTP 3xx redirects MUST NOT be followed",
        "description": "a 301 to a host that serves a valid policy: following it is the fault",
    },
    "MediaType": {
        "rfc": "RFC 8461 §3.2; ruling R9",
        "cites": 'When fetching a policy, senders SHOULD validate that the media type is '
                 '"text/plain" ... All parameters other than charset=utf-8 or charset=us-ascii are ignored.',
        "description": "the Content-Type of the policy response (R9: another media type fails the fetch, "
                       "a foreign charset only warns)",
    },
    "Transfer": {
        "rfc": "RFC 8461 §3.3",
        "cites": "Policy bodies are, as described above, retrieved by Sending MTAs via HTTPS",
        "description": "plain HTTP/1.1 framing (chunked) that every HTTPS client must read",
    },
    "SizeLimit": {
        "rfc": "RFC 8461 §3.3; ruling R18",
        "cites": "Senders MAY impose a timeout on the HTTPS GET and/or a limit on the maximum size "
                 "of the response body",
        "description": "a body over 64 KiB: a fetch error for this project (R18); accepting it is a MAY, "
                       "so it is an acceptable outcome",
    },
    "Timeout": {
        "rfc": "RFC 8461 §3.3",
        "cites": "A suggested timeout is one minute",
        "description": "a body that trickles in for longer than the fetch timeout the driver sets (5 s); "
                       "the timeout is a MAY, so waiting for the body is an acceptable outcome",
    },
    "PolicyInvalid": {
        "rfc": "RFC 8461 §3.2; ruling R8; RFC 8460 §4.3.2.2",
        "cites": "A policy body that does not parse is a failed fetch",
        "description": "a 200 text/plain body that is not a valid policy",
    },
    "FetchNetwork": {
        "rfc": "RFC 8461 §3.3",
        "cites": 'If a valid TXT record is found but no policy can be fetched via HTTPS (for any reason), '
                 'and there is no valid (non-expired) previously cached policy, senders MUST continue '
                 'with delivery as though the domain has not implemented MTA-STS.',
        "description": "the Policy Host does not resolve or does not answer",
    },
    "WebPki": {
        "rfc": "RFC 8461 §3.3",
        "cites": 'the Policy Host HTTPS server MUST present an X.509 certificate that is valid for the '
                 '"mta-sts" DNS-ID [RFC6125] (e.g., "mta-sts.example.com") as described below, chain to '
                 'a root CA that is trusted by the Sending MTA',
        "description": "the Policy Host's certificate (expired, not yet valid, other name, self-signed)",
    },
    "DnsIdOnly": {
        "rfc": "RFC 8461 §3.3",
        "cites": "Matching is performed only against the DNS-ID identifiers. ... DNS domain names in "
                 "server certificates MAY contain the wildcard character '*' as the complete left-most "
                 "label within the identifier.",
        "description": "wildcard, partial-wildcard and CN-only certificates",
    },
    "Sni": {
        "rfc": "RFC 8461 §7.1",
        "cites": 'When connecting to an HTTP server to retrieve the MTA-STS Policy, the SNI extension '
                 'MUST contain the name of the Policy Host (e.g., "mta-sts.example.com").',
        "description": "the world's default server shows a certificate for default.world.test to a client "
                       "that sends no SNI",
    },
    "CacheHit": {
        "rfc": "RFC 8461 §5.1",
        "cites": 'Check for a cached policy whose time-since-fetch has not exceeded its "max_age". If '
                 'none exists, attempt to fetch a new policy ... Optionally, Sending MTAs may '
                 'unconditionally check for a new policy at this step.',
        "description": "an unchanged id with a valid cache: no fetch is needed (fetching anyway is allowed, "
                       "so a fresh copy of the same policy is an acceptable outcome)",
    },
    "Rotation": {
        "rfc": "RFC 8461 §3.1",
        "cites": 'This string MUST uniquely identify a given instance of a policy, such that senders can '
                 'determine when the policy has been updated by comparing to the "id" of a previously '
                 'seen policy.',
        "description": "the id changes: the new policy is fetched and replaces the cached one",
    },
    "CachedOnFailure": {
        "rfc": "RFC 8461 §5.1, §6",
        "cites": 'Conversely, if no "live" policy can be discovered via DNS or fetched via HTTPS, but a '
                 'valid (non-expired) policy exists in the sender\'s cache, the sender MUST apply that '
                 'cached policy. ... Policy fetch failures of any kind when a valid policy exists in the '
                 'policy cache, except if that policy\'s mode is "none".',
        "description": "a failure (DNS or HTTPS) while a valid policy is cached",
    },
    "TxtOutage": {
        "rfc": "RFC 8461 §3.1",
        "cites": "the absence of a usable TXT record is not by itself sufficient to remove a sender's "
                 "previously cached policy for the Policy Domain",
        "description": "the TXT record disappears or fails while a valid policy is cached",
    },
    "Expiry": {
        "rfc": "RFC 8461 §3.2, §5.1; ruling R14",
        "cites": 'Max lifetime of the policy ... A cached policy is valid while `age <= max_age`.',
        "description": "a cached policy older than its max_age is not applied",
    },
    "NoneReplaces": {
        "rfc": "RFC 8461 §5, §8.3; ruling R15",
        "cites": '"none": In this mode, Sending MTAs should treat the Policy Domain as though it does not '
                 'have any active policy',
        "description": "a none policy is cached, replaces an enforce one, and enforces nothing",
    },
    "Refresh": {
        "rfc": "RFC 8461 §10.2",
        "cites": "MTAs SHOULD proactively refresh cached policies before they expire; a suggested "
                 "refresh frequency is once per day.",
        "description": "a cached policy older than the refresh interval is fetched again (a SHOULD: keeping "
                       "the cached copy is an acceptable outcome)",
    },
    "Backoff": {
        "rfc": "RFC 8461 §3.3",
        "cites": "In the case where the HTTPS GET fails, implementers SHOULD limit further attempts to a "
                 "period of five minutes or longer per version ID",
        "description": "a retry within 300 s of a failed fetch for the same id is deferred (a SHOULD: "
                       "fetching again is an acceptable outcome)",
    },
    "MxMatch": {
        "rfc": "RFC 8461 §4.1; ruling R13",
        "cites": 'Valid patterns can be either fully specified names ("example.com") or suffixes prefixed '
                 'by a wildcard ("*.example.net").',
        "description": "MX hosts matched against the applied policy; a wildcard is exactly one label",
    },
    "MxTls": {
        "rfc": "RFC 8461 §4.2, §5; RFC 8460 §4.3.1",
        "cites": 'The certificate presented by the receiving MTA MUST not be expired and MUST chain to a '
                 'root CA that is trusted by the Sending MTA. ... The certificate MUST have a subject '
                 'alternative name (SAN) [RFC5280] with a DNS-ID [RFC6125] matching the hostname ... '
                 'MUST NOT deliver the message to hosts that fail MX matching or certificate validation or '
                 'that do not support STARTTLS',
        "description": "MX hosts reached over SMTP STARTTLS: certificate faults and a missing STARTTLS, "
                       "under enforce, testing and no policy",
    },
    "Modes": {
        "rfc": "RFC 8461 §5",
        "cites": '"enforce": In this mode, Sending MTAs MUST NOT deliver the message to hosts that fail '
                 'MX matching or certificate validation or that do not support STARTTLS.',
        "description": "the three modes as fetched",
    },
}

# ------------------------------------------------------------------ builders


def dom(tc: int) -> str:
    return f"s{tc:02d}.world.test"


def txt(name: str, *strings: str) -> dict:
    return {"name": name, "type": "TXT", "strings": list(strings)}


def a(name: str, address: str = LOOPBACK) -> dict:
    return {"name": name, "type": "A", "address": address}


def cname(name: str, target: str) -> dict:
    return {"name": name, "type": "CNAME", "target": target}


def servfail(name: str) -> dict:
    return {"name": name, "type": "SERVFAIL"}


def sts(d: str, ident: str) -> dict:
    return txt("_mta-sts." + d, f"v=STSv1; id={ident};")


def mxes(d: str) -> list:
    return [f"mx1.{d}", f"*.backup.{d}"]


def policy(mode: str, mx: list, max_age: int = WEEK, eol: str = "\n") -> str:
    lines = ["version: STSv1", f"mode: {mode}"] + [f"mx: {m}" for m in mx] + [f"max_age: {max_age}"]
    return eol.join(lines) + eol


def https(host: str, body: str, cert: str = "valid", status: int = 200,
          content_type="text/plain", transfer: str = "length", location=None) -> dict:
    h = {"host": host, "cert": cert, "status": status, "contentType": content_type, "body": body}
    if transfer != "length":
        h["transfer"] = transfer
    if location is not None:
        h["location"] = location
    return h


def world(d: str, txt_rrs: list, body=None, host_a: bool = True, **http) -> dict:
    """The usual world: the given _mta-sts RRs, mta-sts.<d> on loopback serving `body`."""
    dns = list(txt_rrs)
    if host_a:
        dns.append(a("mta-sts." + d))
    w = {"dns": dns, "https": []}
    if body is not None and host_a:
        w["https"].append(https("mta-sts." + d, body, **http))
    return w


def probe_hosts(d: str) -> list:
    return [f"mx1.{d}", f"x.backup.{d}", "evil.world.test"]


def expect(apply: str, mode: str, ident=None, mx=None, rpt: str = "", hosts=None, matches=None,
           mx_tls=None) -> dict:
    e = {"apply": apply, "mode": mode}
    if apply != "none":
        e["id"] = ident
    e["mx"] = list(mx or []) if apply != "none" else []
    e["rpt"] = rpt
    if mode in ("enforce", "testing"):
        e["mxMatch"] = dict(zip(hosts, matches))
    if mx_tls is not None:
        e["mxTls"] = dict(zip(hosts, mx_tls))
    return e


def step(at: int, w: dict, exp: dict, hosts: list, acceptable=None) -> dict:
    s = {"at": at, "world": w, "mx": hosts, "expect": exp}
    if acceptable:
        s["acceptable"] = acceptable
    return s


def smtp(host: str, cert: str = "valid", starttls: bool = True) -> dict:
    return {"host": host, "cert": cert, "starttls": starttls}


def mx_world(d: str, txt_rrs: list, body, mx_hosts: list) -> dict:
    """The usual world plus an SMTP server (and its A record) for each (host, cert, starttls)."""
    w = world(d, txt_rrs, body)
    w["smtp"] = []
    for host, cert, starttls in mx_hosts:
        w["dns"].append(a(host))
        w["smtp"].append(smtp(host, cert, starttls))
    return w


def tls(verdict: str, rpt: str = "") -> dict:
    return {"verdict": verdict, "rpt": rpt}


DELIVER = tls("deliver")


# A policy's outcome for the usual probe hosts: mx1 and x.backup match, evil does not.
USUAL = [True, True, False]

FETCH_ERROR = "sts-policy-fetch-error"
INVALID = "sts-policy-invalid"
WEBPKI = "sts-webpki-invalid"

SCENARIOS = []


def scenario(name: str, comment: str, flags: list):
    def register(fn):
        SCENARIOS.append((name, comment, flags, fn))
        return fn
    return register


def new_policy(d, ident, mode="enforce", mx=None, hosts=None, matches=USUAL):
    mx = mxes(d) if mx is None else mx
    hosts = probe_hosts(d) if hosts is None else hosts
    return expect("new", mode, ident, mx, "", hosts, matches)


def no_policy(d, rpt=""):
    return expect("none", "none", rpt=rpt)


def one_step_failure(d, rpt, acceptable=None, **http):
    """A valid record and a fetch that fails: nothing applies, the failure is reported."""
    body = http.pop("body", policy("enforce", mxes(d)))
    w = world(d, [sts(d, "1")], body, **http)
    return [step(0, w, no_policy(d, rpt), probe_hosts(d), acceptable)]


# ----------------------------------------------------------------- discovery

@scenario("enforce", "a valid record and an enforce policy: the policy applies", ["Modes", "MxMatch"])
def _(d):
    return [step(0, world(d, [sts(d, "20261129T01")], policy("enforce", mxes(d))),
                 new_policy(d, "20261129T01"), probe_hosts(d))]


@scenario("testing", "a testing policy applies in testing mode", ["Modes"])
def _(d):
    return [step(0, world(d, [sts(d, "t1")], policy("testing", mxes(d))),
                 new_policy(d, "t1", "testing"), probe_hosts(d))]


@scenario("mode-none", "a none policy is fetched and applied, and enforces nothing", ["Modes", "NoneReplaces"])
def _(d):
    return [step(0, world(d, [sts(d, "n1")], policy("none", [])),
                 expect("new", "none", "n1", []), probe_hosts(d))]


@scenario("no-record", "no _mta-sts name at all (NXDOMAIN): no policy, nothing fetched",
          ["Discovery"])
def _(d):
    return [step(0, world(d, [], policy("enforce", mxes(d))), no_policy(d), probe_hosts(d))]


@scenario("nodata", "the _mta-sts name exists without TXT records (NODATA)", ["Discovery"])
def _(d):
    return [step(0, world(d, [a("_mta-sts." + d)], policy("enforce", mxes(d))), no_policy(d),
                 probe_hosts(d))]


@scenario("not-sts", "the only TXT record is not an MTA-STS record", ["Discovery"])
def _(d):
    return [step(0, world(d, [txt("_mta-sts." + d, "v=spf1 -all")], policy("enforce", mxes(d))),
                 no_policy(d), probe_hosts(d))]


@scenario("other-record-beside", "an unrelated TXT record beside the MTA-STS one is discarded",
          ["Discovery"])
def _(d):
    return [step(0, world(d, [txt("_mta-sts." + d, "v=spf1 -all"), sts(d, "o1")],
                          policy("enforce", mxes(d))),
                 new_policy(d, "o1"), probe_hosts(d))]


@scenario("two-records", "two MTA-STS records: no policy, even though the host serves one",
          ["Discovery"])
def _(d):
    return [step(0, world(d, [sts(d, "a"), sts(d, "b")], policy("enforce", mxes(d))),
                 no_policy(d), probe_hosts(d))]


@scenario("invalid-record", "a syntactically invalid record (a space inside the id): no policy",
          ["Discovery"])
def _(d):
    return [step(0, world(d, [txt("_mta-sts." + d, "v=STSv1; id=bad id;")],
                          policy("enforce", mxes(d))),
                 no_policy(d), probe_hosts(d))]


@scenario("split-strings", "the record split into two character-strings in the middle of a field",
          ["MultiString"])
def _(d):
    return [step(0, world(d, [txt("_mta-sts." + d, "v=STSv1; i", "d=split1;")],
                          policy("enforce", mxes(d))),
                 new_policy(d, "split1"), probe_hosts(d))]


@scenario("record-extension", "an unknown field in the record is ignored", ["Discovery"])
def _(d):
    return [step(0, world(d, [txt("_mta-sts." + d, "v=STSv1; id=e1; ext=value;")],
                          policy("enforce", mxes(d))),
                 new_policy(d, "e1"), probe_hosts(d))]


@scenario("record-servfail", "the TXT lookup fails (SERVFAIL) and nothing is cached: no policy, "
          "nothing reported (RFC 8460 has no result type for it)", ["Discovery"])
def _(d):
    return [step(0, world(d, [servfail("_mta-sts." + d)], policy("enforce", mxes(d))), no_policy(d),
                 probe_hosts(d))]


@scenario("cname-delegation", "record and Policy Host delegated to a provider by CNAME; the provider "
          "serves a certificate for the customer's Policy Host", ["CnameDelegation"])
def _(d):
    prov = "provider-" + d.split(".")[0] + ".world.test"
    w = {"dns": [cname("_mta-sts." + d, "_mta-sts." + prov), sts(prov, "p1"),
                 cname("mta-sts." + d, "mta-sts." + prov), a("mta-sts." + prov)],
         "https": [https("mta-sts." + d, policy("enforce", mxes(d)))]}
    return [step(0, w, new_policy(d, "p1"), probe_hosts(d))]


@scenario("cname-chain", "the record reached through two CNAMEs", ["CnameDelegation"])
def _(d):
    short = d.split(".")[0]
    w = {"dns": [cname("_mta-sts." + d, f"hop1-{short}.world.test"),
                 cname(f"hop1-{short}.world.test", f"hop2-{short}.world.test"),
                 txt(f"hop2-{short}.world.test", "v=STSv1; id=c2;"), a("mta-sts." + d)],
         "https": [https("mta-sts." + d, policy("enforce", mxes(d)))]}
    return [step(0, w, new_policy(d, "c2"), probe_hosts(d))]


@scenario("cname-provider-cert", "delegated Policy Host whose server shows only the provider's own "
          "name: not valid for the customer's Policy Host", ["CnameDelegation", "WebPki"])
def _(d):
    prov = "provider-" + d.split(".")[0] + ".world.test"
    w = {"dns": [sts(d, "p2"), cname("mta-sts." + d, "mta-sts." + prov), a("mta-sts." + prov)],
         "https": [https("mta-sts." + d, policy("enforce", mxes(d)), cert="wrong-name")]}
    return [step(0, w, no_policy(d, WEBPKI), probe_hosts(d))]


# --------------------------------------------------------------------- fetch

@scenario("http-404", "the policy URL answers 404", ["HttpStatus"])
def _(d):
    return one_step_failure(d, FETCH_ERROR, status=404, body="not found\n")


@scenario("http-204", "a 2xx other than 200 (204 No Content)", ["HttpStatus"])
def _(d):
    return one_step_failure(d, FETCH_ERROR, status=204, body="")


@scenario("http-301", "a 301 to another host that serves a valid policy: not followed", ["Redirect"])
def _(d):
    target = "elsewhere-" + d.split(".")[0] + ".world.test"
    w = world(d, [sts(d, "r1")], "moved\n", status=301,
              location=f"https://{target}/.well-known/mta-sts.txt")
    w["dns"].append(a(target))
    w["https"].append(https(target, policy("enforce", mxes(d))))
    return [step(0, w, no_policy(d, FETCH_ERROR), probe_hosts(d))]


@scenario("media-type-octet-stream", "Content-Type application/octet-stream", ["MediaType"])
def _(d):
    return one_step_failure(d, FETCH_ERROR, content_type="application/octet-stream")


@scenario("media-type-html", "Content-Type text/html", ["MediaType"])
def _(d):
    return one_step_failure(d, FETCH_ERROR, content_type="text/html")


@scenario("media-type-absent", "no Content-Type field at all", ["MediaType"])
def _(d):
    return one_step_failure(d, FETCH_ERROR, content_type=None)


@scenario("charset-utf8", "text/plain; charset=utf-8 is the expected media type", ["MediaType"])
def _(d):
    return [step(0, world(d, [sts(d, "u1")], policy("enforce", mxes(d)),
                          content_type="text/plain; charset=utf-8"),
                 new_policy(d, "u1"), probe_hosts(d))]


@scenario("charset-other", "another charset is ignored (R9 warns); media type case-insensitive",
          ["MediaType"])
def _(d):
    return [step(0, world(d, [sts(d, "l1")], policy("enforce", mxes(d)),
                          content_type="Text/Plain; charset=ISO-8859-1"),
                 new_policy(d, "l1"), probe_hosts(d))]


@scenario("chunked", "the policy sent with Transfer-Encoding: chunked", ["Transfer"])
def _(d):
    return [step(0, world(d, [sts(d, "ch1")], policy("enforce", mxes(d)), transfer="chunked"),
                 new_policy(d, "ch1"), probe_hosts(d))]


@scenario("crlf-policy", "policy lines ended by CRLF", ["Transfer"])
def _(d):
    return [step(0, world(d, [sts(d, "crlf1")], policy("enforce", mxes(d), eol="\r\n")),
                 new_policy(d, "crlf1"), probe_hosts(d))]


@scenario("oversized", "a valid policy padded with extension fields to 70 000 bytes", ["SizeLimit"])
def _(d):
    pad = "".join(f"x-pad{i:03d}: " + "a" * 990 + "\n" for i in range(70))
    body = policy("enforce", mxes(d)) + pad
    return one_step_failure(d, FETCH_ERROR, acceptable=[new_policy(d, "1")], body=body)


@scenario("slow-body", "the body trickles in over about 12 s, past the 5 s fetch timeout",
          ["Timeout"])
def _(d):
    return one_step_failure(d, FETCH_ERROR, acceptable=[new_policy(d, "1")], transfer="slow")


@scenario("policy-invalid-mode", "a 200 text/plain body with an unknown mode", ["PolicyInvalid"])
def _(d):
    return one_step_failure(d, INVALID, body="version: STSv1\nmode: strict\nmx: mx1.%s\nmax_age: 604800\n" % d)


@scenario("policy-enforce-without-mx", "enforce without any mx line", ["PolicyInvalid"])
def _(d):
    return one_step_failure(d, INVALID, body="version: STSv1\nmode: enforce\nmax_age: 604800\n")


@scenario("policy-empty-body", "a 200 text/plain response with an empty body", ["PolicyInvalid"])
def _(d):
    return one_step_failure(d, INVALID, body="")


@scenario("policy-html", "an HTML error page served as text/plain", ["PolicyInvalid"])
def _(d):
    return one_step_failure(d, INVALID, body="<html><body>Site under construction</body></html>\n")


@scenario("policy-host-nxdomain", "the Policy Host does not exist", ["FetchNetwork"])
def _(d):
    return one_step_failure(d, FETCH_ERROR, host_a=False)


@scenario("policy-host-refused", "the Policy Host's address refuses the connection", ["FetchNetwork"])
def _(d):
    w = {"dns": [sts(d, "1"), a("mta-sts." + d, UNREACHABLE)], "https": []}
    return [step(0, w, no_policy(d, FETCH_ERROR), probe_hosts(d))]


# -------------------------------------------------------------- certificates

def cert_case(kind: str, ok: bool):
    def steps(d):
        if ok:
            return [step(0, world(d, [sts(d, "k1")], policy("enforce", mxes(d)), cert=kind),
                         new_policy(d, "k1"), probe_hosts(d))]
        return one_step_failure(d, WEBPKI, cert=kind)
    return steps


for _kind, _ok, _flags, _comment in [
    ("expired", False, ["WebPki"], "the Policy Host's certificate has expired"),
    ("not-yet-valid", False, ["WebPki"], "the certificate is not valid yet"),
    ("wrong-name", False, ["WebPki"], "the certificate is for another name"),
    ("self-signed", False, ["WebPki"], "a self-signed certificate for the right name"),
    ("wildcard", True, ["DnsIdOnly"], "a wildcard certificate *.<domain> covers mta-sts.<domain>"),
    ("partial-wildcard", False, ["DnsIdOnly"], "a partial wildcard mta*.<domain> is not a DNS-ID match"),
    ("cn-only", False, ["DnsIdOnly"], "the right name only as the subject CN, no subjectAltName"),
]:
    scenario("cert-" + _kind, _comment, _flags)(cert_case(_kind, _ok))


@scenario("sni", "the Policy Host's certificate is only served to clients that send SNI; "
          "the default server shows default.world.test", ["Sni"])
def _(d):
    return [step(0, world(d, [sts(d, "sni1")], policy("testing", mxes(d))),
                 new_policy(d, "sni1", "testing"), probe_hosts(d))]


# --------------------------------------------------------------------- cache

def same_world(d, ident, mode="enforce", mx=None, max_age=WEEK, **http):
    return world(d, [sts(d, ident)], policy(mode, mxes(d) if mx is None else mx, max_age), **http)


def cached(d, ident, mode="enforce", mx=None, rpt=""):
    return expect("cached", mode, ident, mxes(d) if mx is None else mx, rpt, probe_hosts(d), USUAL)


@scenario("cache-hit", "the same record an hour later: the cached policy applies", ["CacheHit"])
def _(d):
    w = same_world(d, "h1")
    return [step(0, w, new_policy(d, "h1"), probe_hosts(d)),
            step(3600, w, cached(d, "h1"), probe_hosts(d), [new_policy(d, "h1")])]


@scenario("cache-hit-host-down", "same id an hour later while the policy URL answers 404: nothing "
          "needs fetching, the cached policy applies", ["CacheHit"])
def _(d):
    return [step(0, same_world(d, "h2"), new_policy(d, "h2"), probe_hosts(d)),
            step(3600, same_world(d, "h2", status=404), cached(d, "h2"), probe_hosts(d),
                 [cached(d, "h2", rpt=FETCH_ERROR)])]


@scenario("rotation", "the id changes and the new policy (other mx) replaces the cached one",
          ["Rotation"])
def _(d):
    new_mx = [f"mx2.{d}"]
    hosts = probe_hosts(d) + [f"mx2.{d}"]
    return [step(0, same_world(d, "v1"), new_policy(d, "v1", hosts=hosts, matches=USUAL + [False]),
                 hosts),
            step(3600, same_world(d, "v2", mx=new_mx),
                 new_policy(d, "v2", mx=new_mx, hosts=hosts, matches=[False, False, False, True]), hosts)]


@scenario("rotation-twice", "three ids in a row, each fetched once", ["Rotation"])
def _(d):
    return [step(0, same_world(d, "a"), new_policy(d, "a"), probe_hosts(d)),
            step(1800, same_world(d, "b", mode="testing"), new_policy(d, "b", "testing"), probe_hosts(d)),
            step(3600, same_world(d, "c"), new_policy(d, "c"), probe_hosts(d))]


@scenario("rotation-fetch-404", "a new id whose policy cannot be fetched: the cached policy still "
          "applies, and the failure is reported", ["Rotation", "CachedOnFailure"])
def _(d):
    return [step(0, same_world(d, "f1"), new_policy(d, "f1"), probe_hosts(d)),
            step(3600, same_world(d, "f2", status=404), cached(d, "f1", rpt=FETCH_ERROR), probe_hosts(d))]


@scenario("rotation-invalid-policy", "a new id whose policy does not parse: cached policy, "
          "sts-policy-invalid", ["Rotation", "CachedOnFailure", "PolicyInvalid"])
def _(d):
    w = world(d, [sts(d, "i2")], "version: STSv1\nmode: enforce\nmax_age: 604800\n")
    return [step(0, same_world(d, "i1"), new_policy(d, "i1"), probe_hosts(d)),
            step(3600, w, cached(d, "i1", rpt=INVALID), probe_hosts(d))]


@scenario("rotation-expired-cert", "a new id while the Policy Host's certificate has expired: "
          "cached policy, sts-webpki-invalid", ["Rotation", "CachedOnFailure", "WebPki"])
def _(d):
    return [step(0, same_world(d, "w1"), new_policy(d, "w1"), probe_hosts(d)),
            step(3600, same_world(d, "w2", cert="expired"), cached(d, "w1", rpt=WEBPKI), probe_hosts(d))]


@scenario("txt-outage", "the record disappears an hour later: the valid cached policy applies",
          ["TxtOutage", "CachedOnFailure"])
def _(d):
    w1 = world(d, [], policy("enforce", mxes(d)))
    return [step(0, same_world(d, "o1"), new_policy(d, "o1"), probe_hosts(d)),
            step(3600, w1, cached(d, "o1"), probe_hosts(d))]


@scenario("txt-servfail-outage", "the TXT lookup fails (SERVFAIL) with a valid cache: cached policy",
          ["TxtOutage", "CachedOnFailure"])
def _(d):
    w1 = world(d, [servfail("_mta-sts." + d)], policy("enforce", mxes(d)))
    return [step(0, same_world(d, "o2"), new_policy(d, "o2"), probe_hosts(d)),
            step(3600, w1, cached(d, "o2"), probe_hosts(d))]


@scenario("txt-outage-then-back", "record gone, then back with a new id", ["TxtOutage", "Rotation"])
def _(d):
    return [step(0, same_world(d, "b1"), new_policy(d, "b1"), probe_hosts(d)),
            step(3600, world(d, [], policy("enforce", mxes(d))), cached(d, "b1"), probe_hosts(d)),
            step(7200, same_world(d, "b2", mode="testing"), new_policy(d, "b2", "testing"), probe_hosts(d))]


@scenario("expired-no-record", "max_age 86400; 25 hours later the record is gone: the expired "
          "policy no longer applies", ["Expiry", "TxtOutage"])
def _(d):
    return [step(0, same_world(d, "x1", max_age=DAY), new_policy(d, "x1"), probe_hosts(d)),
            step(DAY + 3600, world(d, [], policy("enforce", mxes(d), DAY)), no_policy(d), probe_hosts(d))]


@scenario("expired-same-id", "max_age 600; 20 minutes later, same id, the served policy has "
          "another mx: an expired policy is fetched again, not renewed", ["Expiry"])
def _(d):
    new_mx = [f"mx2.{d}"]
    hosts = probe_hosts(d) + [f"mx2.{d}"]
    return [step(0, same_world(d, "e1", max_age=600),
                 new_policy(d, "e1", hosts=hosts, matches=USUAL + [False]), hosts),
            step(1200, same_world(d, "e1", mx=new_mx, max_age=600),
                 new_policy(d, "e1", mx=new_mx, hosts=hosts, matches=[False, False, False, True]), hosts)]


@scenario("expired-fetch-fails", "max_age 600; 20 minutes later, same id, the fetch fails: nothing "
          "applies (the expired policy is not used)", ["Expiry", "HttpStatus"])
def _(d):
    return [step(0, same_world(d, "e2", max_age=600), new_policy(d, "e2"), probe_hosts(d)),
            step(1200, same_world(d, "e2", max_age=600, status=404), no_policy(d, FETCH_ERROR),
                 probe_hosts(d))]


@scenario("max-age-zero", "max_age 0 is valid only at the moment of the fetch (R14)", ["Expiry"])
def _(d):
    return [step(0, same_world(d, "z1", max_age=0), new_policy(d, "z1"), probe_hosts(d)),
            step(600, world(d, [], policy("enforce", mxes(d), 0)), no_policy(d), probe_hosts(d))]


@scenario("none-replaces-enforce", "the 8.3 removal workflow: enforce, then a new id with mode none, "
          "then the record removed", ["NoneReplaces", "Rotation", "TxtOutage"])
def _(d):
    return [step(0, same_world(d, "r1"), new_policy(d, "r1"), probe_hosts(d)),
            step(3600, same_world(d, "r2", mode="none", mx=[]), expect("new", "none", "r2", []),
                 probe_hosts(d)),
            step(7200, world(d, [], policy("none", [])), expect("cached", "none", "r2", []), probe_hosts(d),
                 [expect("none", "none")])]


@scenario("none-then-enforce", "a cached none policy, then a new id with enforce", ["NoneReplaces", "Rotation"])
def _(d):
    return [step(0, same_world(d, "m1", mode="none", mx=[]), expect("new", "none", "m1", []), probe_hosts(d)),
            step(3600, same_world(d, "m2"), new_policy(d, "m2"), probe_hosts(d))]


@scenario("none-cached-fetch-fails", "a cached none policy and a failed fetch for a new id: nothing to "
          "report (RFC 8461 §6 excludes none)", ["NoneReplaces", "CachedOnFailure"])
def _(d):
    return [step(0, same_world(d, "q1", mode="none", mx=[]), expect("new", "none", "q1", []), probe_hosts(d)),
            step(3600, same_world(d, "q2", status=500), expect("cached", "none", "q1", []), probe_hosts(d),
                 [expect("none", "none")])]


@scenario("refresh-daily", "25 hours later, same id, the served policy changed: a proactive refresh "
          "fetches it", ["Refresh"])
def _(d):
    new_mx = [f"mx2.{d}"]
    hosts = probe_hosts(d) + [f"mx2.{d}"]
    old = new_policy(d, "d1", hosts=hosts, matches=USUAL + [False])
    kept = expect("cached", "enforce", "d1", mxes(d), "", hosts, USUAL + [False])
    return [step(0, same_world(d, "d1"), old, hosts),
            step(DAY + 3600, same_world(d, "d1", mx=new_mx),
                 new_policy(d, "d1", mx=new_mx, hosts=hosts, matches=[False, False, False, True]), hosts,
                 [kept])]


@scenario("backoff", "a failed fetch, then the same id 2 minutes later while the host is back: the "
          "retry waits (H6); 10 minutes later it is fetched", ["Backoff", "HttpStatus"])
def _(d):
    return [step(0, same_world(d, "k1", status=503), no_policy(d, FETCH_ERROR), probe_hosts(d)),
            step(120, same_world(d, "k1"), no_policy(d), probe_hosts(d), [new_policy(d, "k1")]),
            step(720, same_world(d, "k1"), new_policy(d, "k1"), probe_hosts(d),
                 [cached(d, "k1")])]


@scenario("mx-wildcard-depth", "a wildcard pattern stands for exactly one label (R13); MX names are "
          "case-insensitive and may end in a dot", ["MxMatch"])
def _(d):
    hosts = [f"a.b.backup.{d}", f"backup.{d}", f"MX1.{d.upper()}", f"mx1.{d}.", f"Z.Backup.{d}"]
    return [step(0, same_world(d, "w1"),
                 new_policy(d, "w1", hosts=hosts, matches=[False, False, True, True, True]), hosts)]


# ------------------------------------------------------------- MX over SMTP

def other_mx(d: str) -> str:
    """An MX host outside the policy, in a name of the scenario's own."""
    return "mx.other-" + d.split(".")[0] + ".world.test"


def mx_tls_case(mode: str, cert: str, starttls: bool, outcome: dict):
    """mx1.<d> (in the policy) with the given server; other_mx (outside it) with a valid one."""
    def steps(d):
        hosts = [f"mx1.{d}", other_mx(d)]
        w = mx_world(d, [sts(d, "t1")], policy(mode, mxes(d)),
                     [(hosts[0], cert, starttls), (hosts[1], "valid", True)])
        outside = {"enforce": tls("refuse", "validation-failure"),
                   "testing": tls("deliver-and-report", "validation-failure"),
                   "none": DELIVER}[mode]
        if mode == "none":
            exp = expect("new", "none", "t1", [], mx_tls=[outcome, outside], hosts=hosts)
        else:
            exp = expect("new", mode, "t1", mxes(d), "", hosts, [True, False], mx_tls=[outcome, outside])
        return [step(0, w, exp, hosts)]
    return steps


for _name, _mode, _cert, _starttls, _outcome, _comment in [
    ("mx-tls-valid", "enforce", "valid", True, DELIVER,
     "enforce: the MX in the policy with a valid certificate is delivered to; one outside the policy "
     "is refused (validation-failure) although its certificate is valid"),
    ("mx-tls-expired", "enforce", "expired", True, tls("refuse", "certificate-expired"),
     "enforce: the MX's certificate has expired"),
    ("mx-tls-wrong-name", "enforce", "wrong-name", True, tls("refuse", "certificate-host-mismatch"),
     "enforce: the MX's certificate is for another name"),
    ("mx-tls-self-signed", "enforce", "self-signed", True, tls("refuse", "certificate-not-trusted"),
     "enforce: the MX's certificate is self-signed"),
    ("mx-tls-cn-only", "enforce", "cn-only", True, tls("refuse", "certificate-host-mismatch"),
     "enforce: the MX's name only in the subject CN (RFC 8461 §4.2 needs a DNS-ID)"),
    ("mx-tls-wildcard", "enforce", "wildcard", True, DELIVER,
     "enforce: a wildcard certificate *.<domain> for mx1.<domain>"),
    ("mx-tls-not-yet-valid", "enforce", "not-yet-valid", True, tls("refuse", "validation-failure"),
     "enforce: the MX's certificate is not valid yet (RFC 8460 has no type of its own for it)"),
    ("mx-tls-no-starttls", "enforce", "valid", False, tls("refuse", "starttls-not-supported"),
     "enforce: the MX does not offer STARTTLS"),
    ("mx-tls-testing", "testing", "expired", True, tls("deliver-and-report", "certificate-expired"),
     "testing: an expired certificate is reported, and the message delivered"),
    ("mx-tls-mode-none", "none", "valid", False, DELIVER,
     "a none policy: nothing is checked or reported, even without STARTTLS"),
]:
    scenario(_name, _comment, ["MxTls"])(mx_tls_case(_mode, _cert, _starttls, _outcome))


@scenario("mx-tls-no-policy", "no MTA-STS record: an MX with a self-signed certificate is delivered "
          "to, nothing reported", ["MxTls", "Discovery"])
def _(d):
    hosts = [f"mx1.{d}"]
    w = mx_world(d, [], policy("enforce", mxes(d)), [(hosts[0], "self-signed", True)])
    return [step(0, w, expect("none", "none", mx_tls=[DELIVER], hosts=hosts), hosts)]


# ---------------------------------------------------------------------- build

def build() -> dict:
    tests = []
    for i, (name, comment, flags, fn) in enumerate(SCENARIOS, start=1):
        d = dom(i)
        tests.append({"tcId": i, "name": name, "domain": d, "comment": comment,
                      "flags": sorted(flags), "steps": fn(d)})
    used = sorted({f for t in tests for f in t["flags"]})
    return {
        "kind": "scenario",
        "schema": "scenarios.schema.json",
        "source": "RFC 8461 §3.1-§3.3, §4.1, §5, §5.1, §6, §7.1, §8.2, §8.3, §10.2 + "
                  "spec/rulings.md + engine/README.md",
        "numberOfTests": len(tests),
        "header": [
            "Whole-resolution scenarios: each is a Policy Domain seen at one or more steps in a",
            "loopback world (conformance/world/). Generated by gen_scenarios.py; do not edit.",
            "Expectations: fetch timeout 5 s, proactive refresh after 86400 s, retry back-off 300 s.",
        ],
        "notes": {f: NOTES[f] for f in used},
        "testGroups": [{"type": "ResolveTest", "tests": tests}],
    }


def render(doc: dict) -> str:
    return json.dumps(doc, indent=1, ensure_ascii=False) + "\n"


# ----------------------------------------------------------------------- lint

# What issue 8 asks the scenarios to include, by flag.
REQUIRED_FLAGS = ["Rotation", "TxtOutage", "Expiry", "NoneReplaces", "CnameDelegation", "Sni"]
MIN_SCENARIOS = 40
EXPECT_KEYS = {"apply", "mode", "id", "mx", "rpt", "mxMatch", "mxTls"}
RPTS = {"", FETCH_ERROR, INVALID, WEBPKI}


def lint_vectors():
    """The parser vectors' lint, for its one reading of the RFC texts and spec/."""
    sys.path.insert(0, os.path.dirname(HERE))
    try:
        import lint_vectors as module
    finally:
        sys.path.pop(0)
    return module


def reference_texts(dirs=None):
    """RFC 8461, RFC 8460 and spec/ as the parser vectors' lint reads them (one reading)."""
    return lint_vectors().reference_texts(os.path.dirname(HERE), dirs)


def check_expect(where: str, e: dict, hosts: list, errors: list) -> None:
    if set(e) - EXPECT_KEYS:
        errors.append(f"{where}: unknown members {sorted(set(e) - EXPECT_KEYS)}")
    if e.get("apply") == "none":
        if e.get("mode") != "none" or "id" in e or e.get("mx"):
            errors.append(f"{where}: apply none needs mode none, no id, mx []")
    elif "id" not in e:
        errors.append(f"{where}: apply {e.get('apply')} needs the id")
    if e.get("rpt") not in RPTS:
        errors.append(f"{where}: rpt {e.get('rpt')!r}")
    if e.get("mode") in ("enforce", "testing"):
        if sorted(e.get("mxMatch", {})) != sorted(hosts):
            errors.append(f"{where}: mxMatch must name exactly the step's mx hosts")
        if not e.get("mx"):
            errors.append(f"{where}: an {e['mode']} policy has mx patterns")
    elif "mxMatch" in e:
        errors.append(f"{where}: mxMatch only under enforce/testing")


def lint(doc: dict, refs=None, ci=None) -> list:
    errors = []
    try:
        import jsonschema  # Debian python3-jsonschema
        with open(SCHEMA, encoding="utf-8") as f:
            jsonschema.Draft202012Validator(json.load(f)).validate(doc)
    except ImportError:
        errors.append("python3-jsonschema is not installed (run with /usr/bin/python3)")
    except jsonschema.ValidationError as exc:  # type: ignore[name-defined]
        errors.append(f"schema: {exc.message} at {list(exc.absolute_path)}")
    tests = doc["testGroups"][0]["tests"]
    if len(tests) < MIN_SCENARIOS:
        errors.append(f"{len(tests)} scenarios, at least {MIN_SCENARIOS} required")
    if doc["numberOfTests"] != len(tests):
        errors.append("numberOfTests does not count the tests")
    flags = set()
    for t in tests:
        w = f"tcId {t['tcId']} ({t['name']})"
        if t["domain"] != dom(t["tcId"]):
            errors.append(f"{w}: domain must be {dom(t['tcId'])}")
        flags.update(t["flags"])
        prev = None
        for k, s in enumerate(t["steps"]):
            ws = f"{w} step {k}"
            if k == 0 and s["at"] != 0:
                errors.append(f"{ws}: the first step is at 0")
            if prev is not None and s["at"] - prev < 120:
                errors.append(f"{ws}: steps must be at least 120 s apart")
            prev = s["at"]
            names = {rr["name"] for rr in s["world"]["dns"]}
            for h in s["world"]["https"]:
                if h["host"] not in names:
                    errors.append(f"{ws}: https host {h['host']} has no DNS record")
                if not h["host"].endswith(".world.test"):
                    errors.append(f"{ws}: https host outside world.test")
            for rr in s["world"]["dns"]:
                if not rr["name"].endswith(".world.test"):
                    errors.append(f"{ws}: DNS name outside world.test: {rr['name']}")
            smtp_hosts = {m["host"] for m in s["world"].get("smtp", [])}
            for m in smtp_hosts:
                if m not in names:
                    errors.append(f"{ws}: smtp host {m} has no DNS record")
            for e in [s["expect"]] + s.get("acceptable", []):
                if smtp_hosts and sorted(e.get("mxTls", {})) != sorted(s["mx"]):
                    errors.append(f"{ws}: with SMTP servers, mxTls must name exactly the step's mx hosts")
                if not smtp_hosts and "mxTls" in e:
                    errors.append(f"{ws}: mxTls without SMTP servers")
                if smtp_hosts and not set(s["mx"]) <= smtp_hosts:
                    errors.append(f"{ws}: every mx host needs an SMTP server when mxTls is expected")
            check_expect(ws, s["expect"], s["mx"], errors)
            for j, alt in enumerate(s.get("acceptable", [])):
                check_expect(f"{ws} acceptable {j}", alt, s["mx"], errors)
                if alt == s["expect"]:
                    errors.append(f"{ws}: acceptable {j} repeats expect")
    for f in REQUIRED_FLAGS:
        if f not in flags:
            errors.append(f"no scenario with flag {f}")
    if set(doc["notes"]) != flags:
        errors.append("notes and flags differ")
    quotes = [(f"note {flag}", quote) for flag, note in doc["notes"].items()
              for quote in note["cites"].split(" ... ")]
    problems, status = lint_vectors().check_quotations(refs or reference_texts(), quotes, ci)
    errors += problems
    if status.startswith("skipped") and refs is None:
        print(f"!! gen_scenarios: {status}", file=sys.stderr)
    with open(os.path.join(HERE, "FORMAT.md"), encoding="utf-8") as f:
        fmt = f.read()
    for flag in sorted(flags):
        if f"`{flag}`" not in fmt:
            errors.append(f"FORMAT.md does not describe flag {flag!r}")
    return errors


def self_test() -> int:
    """Each lint check must be able to fail: break a fresh copy of the scenarios one way at a
    time and expect the lint to say so."""
    import copy

    def first(doc, name):
        return next(t for t in doc["testGroups"][0]["tests"] if t["name"] == name)

    def breaks():
        yield "steps too close", lambda d: first(d, "cache-hit")["steps"][1].update(at=60), "120 s apart"
        yield "mxMatch hosts", lambda d: first(d, "enforce")["steps"][0]["expect"]["mxMatch"].pop(
            "evil.world.test"), "mxMatch must name"
        yield "none with an id", lambda d: first(d, "no-record")["steps"][0]["expect"].update(id="x"), \
            "apply none needs"
        yield "cached without id", lambda d: first(d, "cache-hit")["steps"][1]["expect"].pop("id"), "needs the id"
        yield "mxMatch under none", lambda d: first(d, "mode-none")["steps"][0]["expect"].update(
            mxMatch={}), "mxMatch only under"
        yield "wrong domain", lambda d: first(d, "enforce").update(domain="s99.world.test"), "domain must be"
        yield "host without DNS", lambda d: first(d, "enforce")["steps"][0]["world"]["dns"].pop(), \
            "has no DNS record"
        yield "name outside world.test", lambda d: first(d, "enforce")["steps"][0]["world"]["dns"].append(
            {"name": "example.com", "type": "A", "address": "127.0.0.1"}), "outside world.test"
        yield "misquoted note", lambda d: d["notes"]["Rotation"].update(cites="MUST uniquely identify a policy"), \
            "not found verbatim"
        yield "note without flag", lambda d: d["notes"].update(Extra=d["notes"]["Rotation"]), \
            "notes and flags differ"
        yield "acceptable repeats expect", lambda d: first(d, "enforce")["steps"][0].update(
            acceptable=[first(d, "enforce")["steps"][0]["expect"]]), "repeats expect"
        yield "schema", lambda d: first(d, "enforce")["steps"][0]["expect"].update(rpt="sts-other"), "schema"
        yield "count", lambda d: d.update(numberOfTests=1), "numberOfTests"
        yield "mxTls hosts", lambda d: first(d, "mx-tls-valid")["steps"][0]["expect"]["mxTls"].popitem(), \
            "mxTls must name exactly"
        yield "mxTls without SMTP", lambda d: first(d, "enforce")["steps"][0]["expect"].update(
            mxTls={}), "mxTls without SMTP servers"
        yield "mx host without SMTP", lambda d: first(d, "mx-tls-valid")["steps"][0]["world"]["smtp"].pop(), \
            "needs an SMTP server"
        yield "SMTP host without DNS", lambda d: first(d, "mx-tls-valid")["steps"][0]["world"]["dns"].pop(), \
            "smtp host"

    base = build()
    refs = reference_texts()
    if lint(base, refs):
        print("gen_scenarios --self-test: the generated scenarios do not lint clean", file=sys.stderr)
        return 1
    failed = skipped = 0
    for label, mutate, expected in breaks():
        if expected == "not found verbatim" and refs.rfc is None:
            print(f"!! gen_scenarios --self-test: {label}: skipped, RFC texts not found "
                  f"(set MTASTS_RFC_DIR)", file=sys.stderr)
            skipped += 1
            continue
        doc = copy.deepcopy(base)
        mutate(doc)
        errors = lint(doc, refs)
        if not any(expected in e for e in errors):
            print(f"gen_scenarios --self-test: {label}: no error containing {expected!r} ({errors})",
                  file=sys.stderr)
            failed += 1
    # Without the RFC texts the quotations cannot be checked: under CI that fails the lint.
    gone = reference_texts([os.path.join(HERE, "no-such-rfc-dir")])
    if not any("under CI" in e for e in lint(base, gone, ci=True)):
        print("gen_scenarios --self-test: RFC texts missing under CI: not an error", file=sys.stderr)
        failed += 1
    total = sum(1 for _ in breaks()) + 1 - skipped
    print(f"gen_scenarios --self-test: {total - failed}/{total} broken copies caught"
          + (f" ({skipped} skipped)" if skipped else ""))
    return 1 if failed else 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="compare with the committed file instead of writing")
    ap.add_argument("--out", default=OUT)
    ap.add_argument("--self-test", action="store_true", help="prove that every lint check can fail")
    args = ap.parse_args(argv)
    if args.self_test:
        return self_test()
    doc = build()
    errors = lint(doc)
    for e in errors:
        print("gen_scenarios: " + e, file=sys.stderr)
    if errors:
        return 1
    text = render(doc)
    steps = sum(len(t["steps"]) for t in doc["testGroups"][0]["tests"])
    if args.check:
        try:
            with open(args.out, encoding="utf-8") as f:
                same = f.read() == text
        except OSError:
            same = False
        if not same:
            print(f"gen_scenarios: {args.out} is not what the generator writes; run gen_scenarios.py",
                  file=sys.stderr)
            return 1
        print(f"gen_scenarios: {args.out} up to date ({doc['numberOfTests']} scenarios, {steps} steps)")
        return 0
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"gen_scenarios: wrote {args.out} ({doc['numberOfTests']} scenarios, {steps} steps)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
