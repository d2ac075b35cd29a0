"""tlsrpt-rrset.json: every TXT RR at _smtp._tls.<domain>, one to select (RFC 8460 §3)."""

from __future__ import annotations

from .common import (DMARC, HS, MA_A, MA_B, SKIP, SPF, TWSP, Section, rpt_acc_bad, rpt_acc_ok,
                     rpt_bad, rpt_ok)

KIND = "tlsrpt-rrset"
SOURCE = "RFC 8460 §3 ABNF + spec/rulings.md"
HEADER = [
    "All TXT RRs found at _smtp._tls.<domain> (mtasts_tlsrpt_select with default "
    "options).",
    "rrsetHex: one list of character-strings per RR; expected.rua: the selected record's "
    "rua URIs.",
]


def sections():
    """The sections in file order (each numbers its tcIds from its own base)."""
    return [strict(), lenient()]

C = "RRsetCount"
REC = "v=TLSRPTv1; rua=mailto:rua@example.com"
REC_RUA = ["mailto:rua@example.com"]


def ok(c, rrset, rua_, flags=(), warn=()):
    return rpt_ok(c, rrset, rua_, flags=[C, *flags], warn=warn, inp="rrset")


def bad(c, rrset, hint, flags=()):
    return rpt_bad(c, rrset, hint, flags=[C, *flags], inp="rrset")


def strict():
    return Section(1, "strict", "TLSRPT RRset selection", [
        ok("one record", [[REC]], REC_RUA),
        ok("RFC 8460 §3.1.2 example as two strings",
           [["v=TLSRPTv1; ", "rua=" + HS]], [HS], flags=["Example", "MultiString"]),
        ok("a verification token beside the record (real-world: checkdmarc test)",
           [["site-verification=token123"], [REC]], REC_RUA),
        ok("SPF and DMARC records beside the record", [[SPF], [REC], [DMARC]], REC_RUA),
        bad("no record", [], "E_RRSET_NONE"),
        bad("only unrelated records (real-world: checkdmarc test)",
            [["site-verification=token123"]], "E_RRSET_NONE"),
        bad("two records (real-world: checkdmarc test)",
            [["v=TLSRPTv1; rua=" + MA_A], ["v=TLSRPTv1; rua=" + MA_B]], "E_RRSET_MULTIPLE"),
        bad("three records", [[REC], [REC], [REC]], "E_RRSET_MULTIPLE"),
        ok("\"v=TLSRPTv1extra\" and a bare \"v=TLSRPTv1\" are discarded (real-world: "
           "checkdmarc test)", [["v=TLSRPTv1extra; junk"], ["v=TLSRPTv1"], [REC]], REC_RUA,
           flags=["R1-RRsetFilter"]),
        bad("only \"v=TLSRPTv1\" without \";\"", [["v=TLSRPTv1"]], "E_RRSET_NONE",
            flags=["R1-RRsetFilter"]),
        ok("a case variant is discarded", [["V=TLSRPTv1; rua=" + MA_A], [REC]], REC_RUA,
           flags=["R2-CaseSensitiveFilter"]),
        rpt_acc_ok("WSP before \";\": a candidate", [["v=TLSRPTv1 ; rua=" + MA_A]], [MA_A],
                   flags=[C, "R1-RRsetFilter", "R1-WspBeforeDelim"], inp="rrset"),
        rpt_acc_bad("two candidates, one with WSP before \";\"",
                    [["v=TLSRPTv1 ; rua=" + MA_A], [REC]], "E_RRSET_MULTIPLE",
                    flags=[C, "R1-RRsetFilter", "R1-WspBeforeDelim"], inp="rrset"),
        ok("an MTA-STS record at _smtp._tls is not a candidate",
           [["v=STSv1; id=abc"], [REC]], REC_RUA),
        ok("the version split across strings", [["v=TLSRPT", "v1;rua=" + MA_A]], [MA_A],
           flags=["MultiString"]),
        ok("a URI split across strings", [["v=TLSRPTv1;rua=mailto:rep", "orts@example.com"]],
           ["mailto:reports@example.com"], flags=["MultiString"]),
        ok("split at the comma of the rua list",
           [["v=TLSRPTv1; rua=" + MA_A, ",", MA_B]], [MA_A, MA_B],
           flags=["MultiString", "R20-RuaList"]),
        ok("empty strings and empty records", [[""], ["", REC, ""], []], REC_RUA,
           flags=["MultiString"]),
        bad("the single candidate has no rua", [["v=TLSRPTv1;"]], "E_TLSRPT_MISSING_RUA",
            flags=["Abnf-Required"]),
        bad("the single candidate has an unsupported scheme", [["v=TLSRPTv1; rua=ftp://x.y/"]],
            "E_RUA_UNSUPPORTED_SCHEME", flags=["R20-RuaScheme"]),
        ok("an unrelated record of 4097 octets is discarded, not an error",
           [[SPF + " " + "x" * (4096 - len(SPF))], [REC]], REC_RUA,
           flags=["R18-TxtSize"]),
        bad("the single candidate's URI is not a URI",
            [[SPF], ["v=TLSRPTv1; rua=https://[::1]x/"]], "E_RUA_HOST", flags=["R20a-UriSyntax"]),
        ok("an IPv6 literal split across strings",
           [["v=TLSRPTv1; rua=https://[2001:db8:", ":1]:443/r"]], ["https://[2001:db8::1]:443/r"],
           flags=["MultiString", "R20a-UriSyntax"]),
        bad("the single candidate's mailto has no address", [["v=TLSRPTv1; rua=mailto:a"]],
            "E_RUA_NO_DESTINATION", flags=["R20a-Destination"]),
        bad("a second rua's \"=\" first in a string, then a bad %HH",
            [["v=TLSRPTv1; rua=mailto:a@example.com; rua=mailto:x", "=y%zz"]], "E_RUA_PERCENT",
            flags=["MultiString", "R3-DuplicateMustParse"]),
    ])


def lenient():
    return Section(500, "lenient", "lenient profile", [
        ok("lenient: the candidate's unsupported URI is skipped",
           [["v=TLSRPTv1; rua=ftp://x.y/," + MA_A], [SPF]], [MA_A],
           flags=["R20-LenientSkip"], warn=[SKIP]),
        bad("lenient: the candidate's only URI is unsupported",
            [["v=TLSRPTv1; rua=ftp://x.y/"]], "E_RUA_NONE_USABLE", flags=["R20-LenientSkip"]),
        ok("lenient: trailing WSP in the candidate", [[REC + " "]], REC_RUA,
           flags=["L5-TxtTrailingWsp"], warn=[TWSP]),
        bad("lenient: two candidates are still two", [[REC], [REC]], "E_RRSET_MULTIPLE",
            flags=["LenientStillRejects"]),
        ok("lenient: the candidate's mailto without an address is skipped",
           [["v=TLSRPTv1; rua=mailto:a," + MA_A]], [MA_A], flags=["R20a-Destination",
                                                               "R20-LenientSkip"], warn=[SKIP]),
    ])
