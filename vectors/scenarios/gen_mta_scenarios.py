#!/usr/bin/python3
"""The MTA scenarios (kind mta) as readable tables; writes mta.json (--check compares instead).

An MTA scenario sends one message per step through a real MTA (conformance/world/run_mta.py)
to someone@<domain> and says what the world's MX hosts must have seen of it: `expect` is
{"delivery": "tls" | "plain" | "none", "host": the MX that accepted it (absent for none)};
`acceptable` lists other outcomes the RFC allows. FORMAT.md, "MTA scenarios", has the rest.
"""

import argparse
import json
import os
import sys

sys.dont_write_bytecode = True  # importing lint_vectors must leave no __pycache__
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "mta.json")
DAY = 86400

NOTES = {
    "Enforce": {"rfc": "RFC 8461 §5",
                "cites": "Sending MTAs MUST NOT deliver the\n       message to hosts that fail MX "
                         "matching or certificate validation\n       or that do not support "
                         "STARTTLS.",
                "description": "enforce: the message goes only to an MX host that matches the "
                               "policy, offers STARTTLS and shows a valid certificate for its "
                               "name; else it stays queued"},
    "Fallback": {"rfc": "RFC 8461 §5.1",
                 "cites": "If a candidate fails validation,\n       continue to the next "
                          "candidate (if there is one).",
                 "description": "a bad primary MX, a good secondary: the message goes to the "
                                "secondary"},
    "CertName": {"rfc": "RFC 8461 §4.2",
                 "cites": "certificate MUST have a subject alternative name (SAN) "
                          "[RFC5280] with\n   a DNS-ID [RFC6125] matching the hostname",
                 "description": "the certificate's names: wrong name, CN only, wildcard"},
    "MxMatch": {"rfc": "RFC 8461 §4.1",
                "cites": "the mx pattern \"*.example.com\" matches\n   \"mail.example.com\" but "
                         "not \"example.com\" or \"foo.bar.example.com\".",
                "description": "MX hosts the policy does not list are skipped"},
    "Testing": {"rfc": "RFC 8461 §5",
                "cites": "messages may\n       be delivered as though there were no MTA-STS "
                         "validation failure.",
                "description": "testing: validation failures do not stop delivery"},
    "NoPolicy": {"rfc": "RFC 8461 §3.3",
                 "cites": "senders MUST continue with delivery as though the\n   domain has not "
                          "implemented MTA-STS.",
                 "description": "no policy (none published, or none fetchable and none "
                                "cached): opportunistic delivery"},
    "ModeNone": {"rfc": "RFC 8461 §5",
                 "cites": "Sending MTAs should treat the Policy Domain\n       as though it "
                          "does not have any active policy",
                 "description": "mode none enforces nothing"},
    "Cache": {"rfc": "RFC 8461 §3.3",
              "cites": "but a valid (non-expired) policy exists in the sender's\n   cache, the "
                       "sender MUST apply that cached policy.",
              "description": "a cached enforce policy outlives a fetch failure or a TXT record "
                             "that is gone"},
    "Rotation": {"rfc": "RFC 8461 §5.1",
                 "cites": "Optionally, Sending MTAs may unconditionally check for a new\n"
                          "       policy at this step.",
                 "description": "the id changes between two messages; checking it is optional "
                                "while the cached policy is fresh (keeping it is acceptable)"},
    "FirstContact": {"rfc": "RFC 8461 §5.1",
                     "cites": "attempt to fetch a new policy\n       (perhaps asynchronously, so "
                              "as not to block message delivery).",
                     "description": "the very first message to a domain: fetching the policy "
                                    "before it goes out is expected; an asynchronous fetch is "
                                    "allowed"},
    "TlsVersion": {"rfc": "RFC 8461 §7.2",
                   "cites": "The general TLS usage guidance in\n   [RFC7525] SHOULD be "
                            "followed.",
                   "description": "an MX that speaks only TLS 1.0/1.1 (RFC 7525 says not to "
                                  "negotiate them; a SHOULD, so using it is acceptable)"},
    "Dane": {"rfc": "RFC 8461 §2",
             "cites": "senders who implement MTA-STS validation MUST NOT allow MTA-STS\n"
                      "   Policy validation to override a failing DANE validation.",
             "description": "the domain is DNSSEC-signed (under dane.world.test) and publishes "
                            "TLSA records for some MX hosts: DANE decides for an MX with usable "
                            "TLSA records, MTA-STS for the others (ruling R31); a sender "
                            "without DANE fails the rows where the two disagree"},
}
DANE_ZONE = "dane.world.test"
# TLSA 3 1 1 data: "world-key" is the SHA-256 of the world's leaf key (conformance/world/
# dnssec.py), which every MX certificate carries; BROKEN_TLSA matches no key.
WORLD_KEY = "world-key"
BROKEN_TLSA = "00" * 32


def a(name):
    return {"name": name, "type": "A", "address": "127.0.0.1"}


def txt(d, ident):
    return {"name": "_mta-sts." + d, "type": "TXT", "strings": ["v=STSv1; id=%s;" % ident]}


def policy(mode, mx, max_age=DAY):
    return "\n".join(["version: STSv1", "mode: " + mode] + ["mx: " + m for m in mx]
                     + ["max_age: %d" % max_age]) + "\n"


def mx(host, pref=10, cert="valid", starttls=True, tls="normal", tlsa=None):
    """tlsa: None (no TLSA record), WORLD_KEY or BROKEN_TLSA (a 3 1 1 record)."""
    return {"host": host, "pref": pref, "cert": cert, "starttls": starttls, "tls": tls,
            "tlsa": tlsa}


def world(d, mxs, ident="1", body=None, mode="enforce", patterns=None, fetch="ok"):
    """The world of one step: the TXT record (ident None: none), mta-sts.<d> serving the policy
    (fetch: ok, expired (the Policy Host's certificate), 404, garbage), the MX records and an
    SMTP server per MX host."""
    dns = []
    https = []
    if ident is not None:
        dns.append(txt(d, ident))
        dns.append(a("mta-sts." + d))
        if body is None:
            body = policy(mode, patterns if patterns is not None else ["mx1." + d, "mx2." + d])
        entry = {"host": "mta-sts." + d, "cert": "valid", "status": 200,
                 "contentType": "text/plain", "body": body}
        if fetch == "expired":
            entry["cert"] = "expired"
        elif fetch == "404":
            entry.update(status=404, body="not found\n")
        elif fetch == "garbage":
            entry["body"] = "this is not a policy\n"
        https.append(entry)
    smtp = []
    for m in mxs:
        dns.append({"name": d, "type": "MX", "preference": m["pref"], "exchange": m["host"]})
        dns.append(a(m["host"]))
        if m["tlsa"] is not None:
            dns.append({"name": "_25._tcp." + m["host"], "type": "TLSA", "usage": 3,
                        "selector": 1, "matchingType": 1, "data": m["tlsa"]})
        entry = {"host": m["host"], "cert": m["cert"], "starttls": m["starttls"]}
        if m["tls"] != "normal":
            entry["tls"] = m["tls"]
        smtp.append(entry)
    return {"dns": dns, "https": https, "smtp": smtp}


def got(delivery, host=None):
    return {"delivery": delivery, "host": host} if host else {"delivery": delivery}


def step(at, w, exp, acceptable=None):
    s = {"at": at, "world": w, "expect": exp}
    if acceptable:
        s["acceptable"] = acceptable
    return s


SCENARIOS = []


def scenario(name, comment, flags):
    def register(fn):
        SCENARIOS.append((name, comment, flags, fn))
        return fn
    return register


NONE = got("none")
BAD_PRIMARY = [("expired", True, "normal"), ("wrong-name", True, "normal"),
               ("self-signed", True, "normal"), ("cn-only", True, "normal"),
               ("valid", False, "normal"), ("valid", True, "abort")]


def _label(cert, starttls, tls):
    if not starttls:
        return "no STARTTLS"
    if tls == "abort":
        return "STARTTLS then no handshake"
    return "a %s certificate" % cert


# A certificate that names the host only in its subject CN fails: RFC 8461 4.2 asks for a SAN
# DNS-ID (no RFC 6125 CN fallback), as for the Policy Host (FORMAT.md, flag WebPki).
def _bad_primary(cert, starttls, tls):
    def build(d):
        mxs = [mx("mx1." + d, 10, cert, starttls, tls), mx("mx2." + d, 20)]
        return [step(0, world(d, mxs), got("tls", "mx2." + d))]
    return build


def _bad_only(cert, starttls, tls):
    def build(d):
        return [step(0, world(d, [mx("mx1." + d, 10, cert, starttls, tls)]), NONE)]
    return build


@scenario("enforce-good", "enforce, one good MX: delivered to it over TLS", ["Enforce"])
def s_enforce_good(d):
    return [step(0, world(d, [mx("mx1." + d)]), got("tls", "mx1." + d))]


@scenario("enforce-two-good", "enforce, two good MX hosts: the preferred one gets it",
          ["Enforce"])
def s_enforce_two(d):
    return [step(0, world(d, [mx("mx1." + d, 10), mx("mx2." + d, 20)]), got("tls", "mx1." + d))]


for _cert, _starttls, _tls in BAD_PRIMARY:
    _kind = _cert if _starttls and _tls == "normal" else ("no-starttls" if not _starttls
                                                          else "starttls-abort")
    _flags = ["Enforce", "Fallback"] + (["CertName"] if _cert in ("wrong-name", "cn-only") else [])
    scenario("enforce-primary-%s" % _kind,
             "enforce, the primary MX shows %s, the secondary is good: delivered to the secondary"
             % _label(_cert, _starttls, _tls), _flags)(_bad_primary(_cert, _starttls, _tls))
    scenario("enforce-only-%s" % _kind,
             "enforce, the only MX shows %s: not delivered (kept in the queue)"
             % _label(_cert, _starttls, _tls), _flags[:1] + _flags[2:])(
        _bad_only(_cert, _starttls, _tls))


@scenario("enforce-unlisted-primary", "enforce, the primary MX is not in the policy (good "
          "certificate for its own name): skipped, delivered to the listed secondary",
          ["Enforce", "MxMatch", "Fallback"])
def s_unlisted_primary(d):
    mxs = [mx("rogue." + d, 10), mx("mx1." + d, 20)]
    return [step(0, world(d, mxs), got("tls", "mx1." + d))]


@scenario("enforce-unlisted-only", "enforce, the only MX is not in the policy: not delivered",
          ["Enforce", "MxMatch"])
def s_unlisted_only(d):
    return [step(0, world(d, [mx("rogue." + d)]), NONE)]


@scenario("enforce-wildcard-one-label", "enforce, mx: *.mail.<d>, MX a.mail.<d>: one label "
          "deep matches, delivered", ["Enforce", "MxMatch"])
def s_wildcard_one(d):
    w = world(d, [mx("a.mail." + d)], patterns=["*.mail." + d])
    return [step(0, w, got("tls", "a.mail." + d))]


@scenario("enforce-wildcard-two-labels", "enforce, mx: *.mail.<d>, MX x.y.mail.<d> (its "
          "certificate valid for it): two labels deep does not match, not delivered",
          ["Enforce", "MxMatch"])
def s_wildcard_two(d):
    w = world(d, [mx("x.y.mail." + d)], patterns=["*.mail." + d])
    return [step(0, w, NONE)]


@scenario("enforce-wildcard-two-labels-fallback", "enforce, mx: *.mail.<d>; MX x.y.mail.<d> "
          "first, a.mail.<d> second: the second gets it", ["Enforce", "MxMatch", "Fallback"])
def s_wildcard_two_fallback(d):
    w = world(d, [mx("x.y.mail." + d, 10), mx("a.mail." + d, 20)], patterns=["*.mail." + d])
    return [step(0, w, got("tls", "a.mail." + d))]


@scenario("enforce-wildcard-certificate", "enforce, MX a.mail.<d> shows a certificate for "
          "*.mail.<d>: valid for it, delivered", ["Enforce", "CertName"])
def s_wildcard_cert(d):
    w = world(d, [mx("a.mail." + d, cert="wildcard")], patterns=["*.mail." + d])
    return [step(0, w, got("tls", "a.mail." + d))]


@scenario("enforce-pattern-case", "enforce, the policy writes the MX in capitals: names "
          "match without regard to case, delivered", ["Enforce", "MxMatch"])
def s_case(d):
    w = world(d, [mx("mx1." + d)], patterns=["MX1." + d.upper()])
    return [step(0, w, got("tls", "mx1." + d))]


for _cert, _starttls in (("expired", True), ("wrong-name", True), ("self-signed", True),
                         ("valid", False)):
    def _testing(d, cert=_cert, starttls=_starttls):
        w = world(d, [mx("mx1." + d, cert=cert, starttls=starttls)], mode="testing")
        if not starttls:
            return [step(0, w, got("plain", "mx1." + d))]
        return [step(0, w, got("tls", "mx1." + d), [got("plain", "mx1." + d)])]
    scenario("testing-%s" % (_cert if _starttls else "no-starttls"),
             "testing, the only MX shows %s: delivered anyway (RFC 8461 §5.2)"
             % _label(_cert, _starttls, "normal"), ["Testing"])(_testing)


@scenario("testing-unlisted", "testing, the only MX is not in the policy: delivered anyway",
          ["Testing", "MxMatch"])
def s_testing_unlisted(d):
    return [step(0, world(d, [mx("rogue." + d)], mode="testing"), got("tls", "rogue." + d))]


@scenario("mode-none", "mode none, the MX shows a self-signed certificate: delivered",
          ["ModeNone"])
def s_none(d):
    w = world(d, [mx("mx1." + d, cert="self-signed")], mode="none")
    return [step(0, w, got("tls", "mx1." + d), [got("plain", "mx1." + d)])]


@scenario("no-policy-bad-cert", "no _mta-sts record, the MX shows another name's "
          "certificate: opportunistic delivery", ["NoPolicy"])
def s_no_policy(d):
    w = world(d, [mx("mx1." + d, cert="wrong-name")], ident=None)
    return [step(0, w, got("tls", "mx1." + d), [got("plain", "mx1." + d)])]


@scenario("no-policy-no-starttls", "no _mta-sts record, the MX has no STARTTLS: delivered in "
          "clear text", ["NoPolicy"])
def s_no_policy_plain(d):
    return [step(0, world(d, [mx("mx1." + d, starttls=False)], ident=None), got("plain", "mx1." + d))]


for _fetch in ("expired", "404", "garbage"):
    def _no_fetch(d, fetch=_fetch):
        w = world(d, [mx("mx1." + d, cert="wrong-name")], fetch=fetch)
        return [step(0, w, got("tls", "mx1." + d), [got("plain", "mx1." + d)])]
    scenario("fetch-fails-%s-no-cache" % _fetch,
             "a TXT record, but the policy fetch fails (%s) and nothing is cached: delivered as "
             "if there were no MTA-STS (the MX has another name's certificate)"
             % {"expired": "the Policy Host's certificate expired", "404": "HTTP 404",
                "garbage": "the body is not a policy"}[_fetch], ["NoPolicy"])(_no_fetch)


@scenario("fetch-fails-cached", "an enforce policy cached by the first message; then the "
          "policy fetch fails (404, new id) and the MX shows another name's certificate: the "
          "cached policy applies, not delivered", ["Cache", "Enforce"])
def s_fetch_fails_cached(d):
    return [step(0, world(d, [mx("mx1." + d)]), got("tls", "mx1." + d)),
            step(600, world(d, [mx("mx1." + d, cert="wrong-name")], ident="2", fetch="404"),
                 NONE)]


@scenario("txt-gone-cached", "an enforce policy cached by the first message; then the TXT "
          "record is gone and the MX's certificate expired: the cached policy applies, not "
          "delivered", ["Cache", "Enforce"])
def s_txt_gone(d):
    return [step(0, world(d, [mx("mx1." + d)]), got("tls", "mx1." + d)),
            step(600, world(d, [mx("mx1." + d, cert="expired")], ident=None), NONE)]


@scenario("cached-fallback", "an enforce policy cached; then the fetch fails and the primary "
          "MX loses STARTTLS: delivered to the secondary over TLS, never in clear text",
          ["Cache", "Enforce", "Fallback"])
def s_cached_fallback(d):
    mxs = [mx("mx1." + d, 10), mx("mx2." + d, 20)]
    bad = [mx("mx1." + d, 10, starttls=False), mx("mx2." + d, 20)]
    return [step(0, world(d, mxs), got("tls", "mx1." + d)),
            step(600, world(d, bad, ident="1", fetch="expired"), got("tls", "mx2." + d))]


@scenario("rotation", "the id changes between two messages and the new policy lists only "
          "mx2: the second message goes to mx2 (keeping the fresh cached policy is allowed)",
          ["Rotation", "Enforce"])
def s_rotation(d):
    mxs = [mx("mx1." + d, 10), mx("mx2." + d, 20)]
    return [step(0, world(d, mxs, patterns=["mx1." + d, "mx2." + d]), got("tls", "mx1." + d)),
            step(600, world(d, mxs, ident="2", patterns=["mx2." + d]), got("tls", "mx2." + d),
                 [got("tls", "mx1." + d)])]


@scenario("rotation-to-none", "an enforce policy cached, then a new id with mode none and a "
          "self-signed MX: delivered (keeping the fresh enforce policy is allowed)",
          ["Rotation", "ModeNone"])
def s_rotation_none(d):
    return [step(0, world(d, [mx("mx1." + d)]), got("tls", "mx1." + d)),
            step(600, world(d, [mx("mx1." + d, cert="self-signed")], ident="2", mode="none"),
                 got("tls", "mx1." + d), [NONE, got("plain", "mx1." + d)])]


@scenario("first-contact", "the first message to an enforce domain whose only MX has no "
          "STARTTLS: the policy is fetched first, not delivered (an asynchronous fetch that lets "
          "it go in clear text is allowed)", ["FirstContact", "Enforce"])
def s_first_contact(d):
    return [step(0, world(d, [mx("mx1." + d, starttls=False)]), NONE, [got("plain", "mx1." + d)])]


@scenario("enforce-legacy-tls-primary", "enforce, the primary MX speaks only TLS 1.0/1.1, the "
          "secondary is good: delivered to the secondary (or over the old TLS)",
          ["TlsVersion", "Enforce", "Fallback"])
def s_legacy_primary(d):
    mxs = [mx("mx1." + d, 10, tls="legacy"), mx("mx2." + d, 20)]
    return [step(0, world(d, mxs), got("tls", "mx2." + d), [got("tls", "mx1." + d)])]


@scenario("enforce-legacy-tls-only", "enforce, the only MX speaks only TLS 1.0/1.1: not "
          "delivered (or over the old TLS), never in clear text", ["TlsVersion", "Enforce"])
def s_legacy_only(d):
    return [step(0, world(d, [mx("mx1." + d, tls="legacy")]), NONE, [got("tls", "mx1." + d)])]


# The cache scenarios again with an MX the cached policy does not list (a good certificate for
# its own name) instead of a bad certificate: a sender that remembers each domain's TLS level
# (chasquid does) holds a bad certificate for that reason alone; only MTA-STS holds these.
@scenario("fetch-fails-cached-unlisted", "an enforce policy cached by the first message; then "
          "the fetch fails (404, new id) and the MX is a host the policy does not list: the "
          "cached policy applies, not delivered", ["Cache", "Enforce", "MxMatch"])
def s_fetch_fails_cached_unlisted(d):
    return [step(0, world(d, [mx("mx1." + d)]), got("tls", "mx1." + d)),
            step(600, world(d, [mx("rogue." + d)], ident="2", fetch="404"), NONE)]


@scenario("txt-gone-cached-unlisted", "an enforce policy cached by the first message; then the "
          "TXT record is gone and the MX is a host the policy does not list: the cached policy "
          "applies, not delivered", ["Cache", "Enforce", "MxMatch"])
def s_txt_gone_unlisted(d):
    return [step(0, world(d, [mx("mx1." + d)]), got("tls", "mx1." + d)),
            step(600, world(d, [mx("rogue." + d)], ident=None), NONE)]


@scenario("rotation-to-none-unlisted", "an enforce policy cached, then a new id with mode none "
          "and an MX the old policy does not list: delivered (keeping the fresh enforce policy "
          "is allowed)", ["Rotation", "ModeNone"])
def s_rotation_none_unlisted(d):
    return [step(0, world(d, [mx("mx1." + d)]), got("tls", "mx1." + d)),
            step(600, world(d, [mx("rogue." + d)], ident="2", mode="none"),
                 got("tls", "rogue." + d), [NONE])]


# DANE beside MTA-STS (ruling R31): every domain here is in the signed zone.
@scenario("dane-pass-sts-fail", "enforce, the only MX shows another name's certificate but "
          "has a matching TLSA 3 1 1 record: DANE passes and decides, delivered (holding it "
          "is acceptable)", ["Dane", "Enforce", "CertName"])
def s_dane_pass(d):
    w = world(d, [mx("mx1." + d, cert="wrong-name", tlsa=WORLD_KEY)])
    return [step(0, w, got("tls", "mx1." + d), [NONE])]


@scenario("dane-fail-sts-pass", "enforce, the only MX shows a valid certificate for its name "
          "but its TLSA record matches no key: DANE fails, MTA-STS must not override it, not "
          "delivered", ["Dane", "Enforce"])
def s_dane_fail(d):
    return [step(0, world(d, [mx("mx1." + d, tlsa=BROKEN_TLSA)]), NONE)]


@scenario("dane-fail-primary-secondary-no-tlsa", "enforce, the primary's TLSA record matches "
          "no key (valid certificate), the secondary has no TLSA record and a valid "
          "certificate: DANE rules the primary out, MTA-STS admits the secondary",
          ["Dane", "Enforce", "Fallback"])
def s_dane_fail_primary(d):
    mxs = [mx("mx1." + d, 10, tlsa=BROKEN_TLSA), mx("mx2." + d, 20)]
    return [step(0, world(d, mxs), got("tls", "mx2." + d))]


@scenario("dane-secondary-only", "enforce, the primary has no TLSA record and another name's "
          "certificate (MTA-STS fails it), the secondary a self-signed certificate and a "
          "matching TLSA record: delivered to the secondary (holding it is acceptable)",
          ["Dane", "Enforce", "Fallback"])
def s_dane_secondary(d):
    mxs = [mx("mx1." + d, 10, cert="wrong-name"), mx("mx2." + d, 20, cert="self-signed",
                                                      tlsa=WORLD_KEY)]
    return [step(0, world(d, mxs), got("tls", "mx2." + d), [NONE])]


@scenario("dane-fail-no-policy", "no _mta-sts record, the only MX's TLSA record matches no key "
          "(valid certificate): DANE alone holds it, not delivered", ["Dane", "NoPolicy"])
def s_dane_no_policy(d):
    return [step(0, world(d, [mx("mx1." + d, tlsa=BROKEN_TLSA)], ident=None), NONE)]


def build():
    tests = []
    for i, (name, comment, flags, fn) in enumerate(SCENARIOS, 1):
        d = "m%02d.%s" % (i, DANE_ZONE if "Dane" in flags else "world.test")
        tests.append({"tcId": 100 + i, "name": name, "domain": d, "comment": comment,
                      "flags": flags, "steps": fn(d)})
    return {"kind": "mta-scenario", "source": "RFC 8461 §2, §3.3, §4, §5, §7.2",
            "numberOfTests": len(tests),
            "header": ["MTA scenarios: one message per step through a real MTA to someone@domain; "
                       "expect is what the world's MX hosts recorded (FORMAT.md, MTA scenarios).",
                       "Generated by gen_mta_scenarios.py; do not edit."],
            "notes": NOTES, "testGroups": [{"type": "MtaTest", "tests": tests}]}


def lint_vectors():
    """vectors/lint_vectors.py: the RFC-text lookup and the quotation check of all vectors."""
    sys.path.insert(0, os.path.dirname(HERE))
    import lint_vectors as module
    return module


def lint(doc):
    lv = lint_vectors()
    quotes = [("note " + flag, note["cites"]) for flag, note in doc["notes"].items()]
    errors, status = lv.check_quotations(lv.reference_texts(os.path.dirname(HERE)), quotes)
    print("gen_mta_scenarios: quotations: " + status, file=sys.stderr)
    used = set()
    for t in doc["testGroups"][0]["tests"]:
        where = "tcId %d" % t["tcId"]
        used.update(t["flags"])
        for flag in t["flags"]:
            if flag not in doc["notes"]:
                errors.append("%s: flag %s has no note" % (where, flag))
        previous = None
        for s in t["steps"]:
            if previous is not None and s["at"] - previous < 120:
                errors.append("%s: steps under 120 s apart" % where)
            previous = s["at"]
            hosts = {m["host"] for m in s["world"]["smtp"]}
            for e in [s["expect"]] + s.get("acceptable", []):
                if e["delivery"] not in ("tls", "plain", "none"):
                    errors.append("%s: delivery %r" % (where, e["delivery"]))
                if (e["delivery"] == "none") != ("host" not in e):
                    errors.append("%s: a host exactly when delivered" % where)
                if "host" in e and e["host"] not in hosts:
                    errors.append("%s: %s has no SMTP server" % (where, e["host"]))
                if e["delivery"] == "tls" and "host" in e and not next(
                        m["starttls"] for m in s["world"]["smtp"] if m["host"] == e["host"]):
                    errors.append("%s: TLS to %s, which has no STARTTLS" % (where, e["host"]))
            for m in s["world"]["smtp"]:
                if not m["host"].endswith("." + t["domain"]):
                    errors.append("%s: MX %s outside the domain" % (where, m["host"]))
    for flag in sorted(set(doc["notes"]) - used):
        errors.append("note %s is used by no scenario" % flag)
    return errors


def render(doc):
    return json.dumps(doc, indent=1, ensure_ascii=False) + "\n"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--out", default=OUT)
    args = ap.parse_args(argv)
    doc = build()
    errors = lint(doc)
    for e in errors:
        print("gen_mta_scenarios: " + e, file=sys.stderr)
    if errors:
        return 1
    text = render(doc)
    if args.check:
        try:
            with open(args.out, encoding="utf-8") as f:
                same = f.read() == text
        except OSError:
            same = False
        if not same:
            print("gen_mta_scenarios: %s is not what the generator writes" % args.out,
                  file=sys.stderr)
            return 1
        print("gen_mta_scenarios: %s up to date (%d scenarios)" % (args.out, doc["numberOfTests"]))
        return 0
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(text)
    print("gen_mta_scenarios: wrote %s (%d scenarios)" % (args.out, doc["numberOfTests"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
