"""txt-rrset.json: every TXT RR at _mta-sts.<domain>, one to select (RFC 8461 §3.1)."""

from __future__ import annotations

from .common import (DMARC, SPF, TWSP, Section, chunks, sts_acc_bad, sts_acc_ok, sts_bad, sts_ok,
                     txt_of_size)

KIND = "txt-rrset"
SOURCE = "RFC 8461 §3.1 ABNF + spec/rulings.md"
HEADER = [
    "All TXT RRs found at _mta-sts.<domain> (mtasts_txt_select with default options).",
    "rrsetHex: one list of character-strings per RR; expected.id: the selected record's "
    "id.",
]


def sections():
    """The sections in file order (each numbers its tcIds from its own base)."""
    return [strict(), lenient()]


GOOD = "v=STSv1; id=good"

C, F = "RRsetCount", "R1-RRsetFilter"


def ok(c, rrset, id_, flags=(), warn=()):
    return sts_ok(c, rrset, id_, flags=[C, *flags], warn=warn, inp="rrset")


def bad(c, rrset, hint, flags=()):
    return sts_bad(c, rrset, hint, flags=[C, *flags], inp="rrset")


def acc_ok(c, rrset, id_, flags):
    return sts_acc_ok(c, rrset, id_, flags=[C, *flags], inp="rrset")


def acc_bad(c, rrset, hint, flags):
    return sts_acc_bad(c, rrset, hint, flags=[C, *flags], inp="rrset")


def strict():
    return Section(1, "strict", "TXT RRset selection", counting() + filtering() + candidate())


def counting():
    """How many candidates the RRset holds: none, one, several (RRsetCount)."""
    return [
        ok("one record", [["v=STSv1; id=abc"]], "abc"),
        bad("empty RRset", [], "E_RRSET_NONE"),
        bad("one RR with one empty string", [[""]], "E_RRSET_NONE"),
        bad("one RR with no strings", [[]], "E_RRSET_NONE"),
        bad("only an SPF record", [[SPF]], "E_RRSET_NONE"),
        ok("SPF record first", [[SPF], ["v=STSv1; id=abc"]], "abc"),
        ok("SPF record last", [["v=STSv1; id=abc"], [SPF]], "abc"),
        ok("DMARC record, the MTA-STS record and a verification token",
           [[DMARC], ["v=STSv1; id=abc"], ["google-site-verification=xyz"]], "abc"),
        ok("empty records around the MTA-STS record",
           [[""], ["v=STSv1; id=abc"], []], "abc"),
        bad("only unrelated and empty records", [[SPF], ["v=DMARC1; p=reject"], [""]],
            "E_RRSET_NONE"),
        bad("two MTA-STS records (real-world: mailauth test; hardenize-public#41)",
            [["v=STSv1; id=a"], ["v=STSv1; id=b"]], "E_RRSET_MULTIPLE"),
        bad("two identical MTA-STS records", [["v=STSv1; id=a"], ["v=STSv1; id=a"]],
            "E_RRSET_MULTIPLE"),
        bad("three MTA-STS records among unrelated ones",
            [["v=STSv1; id=a"], [SPF], ["v=STSv1; id=b"], ["v=STSv1; id=c"]],
            "E_RRSET_MULTIPLE"),
        bad("an invalid candidate still counts: two candidates",
            [["v=STSv1;"], [GOOD]], "E_RRSET_MULTIPLE"),
        bad("a candidate with only a NUL after the delimiter still counts",
            [[b"v=STSv1;\x00"], [GOOD]], "E_RRSET_MULTIPLE", flags=["Nul"]),
    ]


def filtering():
    """Which records are candidates: the version, then optional WSP and ";" (R1, R2)."""
    return [
        bad("\"v=STSv1\" without \";\" is discarded", [["v=STSv1"]], "E_RRSET_NONE", flags=[F]),
        ok("\"v=STSv1\" without \";\" beside a good record (real-world: mailauth test)",
           [["v=STSv1"], [GOOD]], "good", flags=[F]),
        ok("\"v=STSv1-x\" is discarded (real-world: mailauth test)",
           [["v=STSv1-x; id=a"], [GOOD]], "good", flags=[F]),
        ok("\"v=STSv1.1\" is discarded (real-world: mailauth test)",
           [["v=STSv1.1; id=a"], [GOOD]], "good", flags=[F]),
        ok("\"v=STSv10\" is discarded (real-world: mailauth test)",
           [["v=STSv10; id=a"], [GOOD]], "good", flags=[F]),
        ok("a record with the version last is discarded (real-world: mailauth test)",
           [["id=a; v=STSv1"], [GOOD]], "good", flags=[F]),
        ok("a record with a leading space is discarded", [[" v=STSv1; id=a"], [GOOD]], "good",
           flags=[F]),
        ok("\"v=STSv1 \" (WSP, then the end) is discarded", [["v=STSv1 "], [GOOD]], "good",
           flags=[F]),
        ok("a NUL before the version: discarded", [[b"\x00v=STSv1; id=a"], [GOOD]], "good",
           flags=[F, "Nul"]),
        ok("V=STSv1 is discarded by the case-sensitive filter",
           [["V=STSv1; id=a"], [GOOD]], "good", flags=["R2-CaseSensitiveFilter"]),
        ok("v=stsv1 is discarded by the case-sensitive filter (real-world: mailauth test)",
           [["v=stsv1; id=a"], [GOOD]], "good", flags=["R2-CaseSensitiveFilter"]),
        ok("several case variants beside the record",
           [["v=STSv1; id=abc"], ["V=STSv1; id=def"], ["v=STSV1; id=ghi"]], "abc",
           flags=["R2-CaseSensitiveFilter"]),
        bad("only a case variant: no candidate", [["V=STSv1; id=a"]], "E_RRSET_NONE",
            flags=["R2-CaseSensitiveFilter"]),
        acc_ok("WSP before \";\": a candidate (real-world: aykevl/mta-sts#19)",
               [["v=STSv1 ; id=a"]], "a", flags=[F, "R1-WspBeforeDelim"]),
        acc_ok("tab before \";\": a candidate", [["v=STSv1\t; id=a"]], "a",
               flags=[F, "R1-WspBeforeDelim"]),
        acc_ok("mixed WSP before \";\"", [["v=STSv1 \t ;id=abc"]], "abc",
               flags=[F, "R1-WspBeforeDelim"]),
        acc_ok("an unrelated record and one with WSP before \";\" (aykevl/mta-sts#19 says "
               "the literal filter leaves none)", [["v"], ["v=STSv1 ; id=1234"]], "1234",
               flags=[F, "R1-WspBeforeDelim"]),
        acc_bad("two candidates, one with WSP before \";\" (the literal filter keeps one)",
                [["v=STSv1 ; id=a"], ["v=STSv1; id=b"]], "E_RRSET_MULTIPLE",
                flags=[F, "R1-WspBeforeDelim"]),
        ok("an unrelated record and a good one (aykevl/mta-sts#19)",
           [["v"], ["v=STSv1; id=1234"]], "1234"),
    ]


def candidate():
    """The one candidate is parsed as a record: errors, strings, size."""
    return [
        bad("the single candidate does not parse: no id", [["v=STSv1;"]], "E_TXT_MISSING_ID",
            flags=["Abnf-Required"]),
        bad("the single candidate does not parse: bad id", [["v=STSv1; id=a-b"], [SPF]],
            "E_TXT_ID_CHAR", flags=["Abnf-IdSyntax"]),
        bad("the single candidate has trailing WSP", [["v=STSv1; id=a "]],
            "E_TXT_TRAILING_WSP", flags=["L5-TxtTrailingWsp"]),
        bad("the single candidate has a NUL", [[b"v=STSv1; id=abc\x00"]], "E_NUL",
            flags=["Nul"]),
        ok("candidate split into strings", [["v=STSv1; ", "id=abc"]], "abc",
           flags=["MultiString"]),
        ok("the version split across strings: selected after joining",
           [["v=STS", "v1; id=abc"]], "abc", flags=["MultiString"]),
        ok("the delimiter in the second string", [["v=STSv1", ";id=abc"]], "abc",
           flags=["MultiString"]),
        acc_ok("WSP and \";\" in separate strings", [["v=STSv1", " ", ";id=abc"]], "abc",
               flags=["MultiString", F, "R1-WspBeforeDelim"]),
        ok("an empty first string", [["", "v=STSv1; id=abc"]], "abc", flags=["MultiString"]),
        bad("two candidates, both split into strings",
            [["v=STS", "v1; id=a"], ["v=STSv1;", "id=b"]], "E_RRSET_MULTIPLE",
            flags=["MultiString"]),
        ok("a TLSRPT record at the same name is not a candidate",
           [["v=STSv1; id=abc"], ["v=TLSRPTv1; rua=mailto:a@example.com"]], "abc"),
        ok("an unrelated record of 4097 octets is discarded, not an error (§3.1)",
           [[SPF + " " + "x" * (4096 - len(SPF))], ["v=STSv1; id=abc"]], "abc",
           flags=["R18-TxtSize"]),
        ok("an unrelated record of exactly 4096 octets",
           [[SPF + " " + "x" * (4095 - len(SPF))], ["v=STSv1; id=abc"]], "abc",
           flags=["R18-TxtSize"]),
        ok("the candidate of exactly 4096 octets in 255-octet strings",
           [chunks(txt_of_size(4096), 255)], "abc", flags=["R18-TxtSize", "MultiString"]),
        bad("the candidate of 4097 octets", [chunks(txt_of_size(4097), 255), [SPF]],
            "E_TXT_TOO_LARGE", flags=["R18-TxtSize", "MultiString"]),
        ok("the id split across strings, beside SPF split across strings",
           [["v=spf1 ", "-all"], ["v=STSv1; id=ab", "c", ""]], "abc", flags=["MultiString"]),
        ok("three RRs, the candidate in the middle, each with an empty string",
           [["", SPF], ["", "v=STSv1;", "id=abc"], [DMARC, ""]], "abc",
           flags=["MultiString"]),
    ]


def lenient():
    return Section(500, "lenient", "lenient profile", [
        ok("lenient: the candidate's trailing WSP is ignored", [["v=STSv1; id=abc "]], "abc",
           flags=["L5-TxtTrailingWsp"], warn=[TWSP]),
        ok("lenient: trailing WSP in a separate string, beside SPF",
           [["v=STSv1; id=abc", " "], [SPF]], "abc",
           flags=["L5-TxtTrailingWsp", "MultiString"], warn=[TWSP]),
        bad("lenient: a case variant is still not a candidate", [["V=STSv1; id=abc"]],
            "E_RRSET_NONE", flags=["LenientStillRejects", "R2-CaseSensitiveFilter"]),
        bad("lenient: two candidates are still two", [["v=STSv1; id=a"], ["v=STSv1; id=b"]],
            "E_RRSET_MULTIPLE", flags=["LenientStillRejects"]),
    ])
