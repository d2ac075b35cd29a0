"""tlsrpt-record.json: _smtp._tls TXT records given as one joined string (RFC 8460 §3)."""

from __future__ import annotations

from .common import DUP, HS, MA_A, MA_B, SKIP, SPF, TWSP, Section, rpt_acc_ok, rpt_bad, rpt_ok

KIND = "tlsrpt-record"
SOURCE = "RFC 8460 §3 ABNF + spec/rulings.md"
HEADER = [
    "_smtp._tls TXT records given as one joined string (mtasts_tlsrpt_parse).",
    "expected.rua: the rua URIs kept, in order, as written.",
]


def sections():
    """The sections in file order (each numbers its tcIds from its own base)."""
    return [good(), broken(), dups(), lenient()]


def rua(*uris, sep=","):
    return "v=TLSRPTv1; rua=" + sep.join(uris)


L, SC, BG, ND, DU, U = ("R20-RuaList", "R20-RuaScheme", "R20-RuaBang",
                        "R20-RuaNoDestination", "R20-RuaDuplicate", "Abnf-Uri")
LSR, SK = "LenientStillRejects", "R20-LenientSkip"
UG, DS = "R20a-UriSyntax", "R20a-Destination"
RPT_PAD = "v=TLSRPTv1; rua=https://r.example/"


def good():
    return Section(1, "strict", "well-formed records", records() + uris() + uri_syntax())


def records():
    """The RFC examples, lists of URIs, delimiters and extensions."""
    return [
        rpt_ok("RFC 8460 §3.1.1 example", "v=TLSRPTv1;rua=mailto:reports@example.com",
               ["mailto:reports@example.com"], flags=["Example"]),
        rpt_ok("RFC 8460 §3.1.2 example (joined)", "v=TLSRPTv1; rua=" + HS, [HS],
               flags=["Example"]),
        rpt_ok("Gmail's record (real-world: email-domain-check test expects this rua)",
               "v=TLSRPTv1;rua=mailto:sts-reports@google.com",
               ["mailto:sts-reports@google.com"]),
        rpt_ok("two URIs of different schemes (real-world: stalwart mail-auth test)",
               "v=TLSRPTv1; rua=mailto:tlsrpt@mydomain.com,https://tlsrpt.mydomain.com/v1",
               ["mailto:tlsrpt@mydomain.com", "https://tlsrpt.mydomain.com/v1"], flags=[L]),
        rpt_ok("two mailto URIs (real-world: sys4/tlsrpt-rr-parser test)",
               "v=TLSRPTv1;rua=mailto:reports@example.com,mailto:postmaster@example.com",
               ["mailto:reports@example.com", "mailto:postmaster@example.com"], flags=[L]),
        rpt_ok("space after the comma (real-world: checkdmarc test; rspamd#4906 for DMARC)",
               rua(MA_A, MA_B, sep=", "), [MA_A, MA_B], flags=[L]),
        rpt_ok("space before the comma", rua(MA_A, MA_B, sep=" ,"), [MA_A, MA_B], flags=[L]),
        rpt_ok("spaces and tabs around the comma", rua(MA_A, MA_B, sep=" \t,\t "),
               [MA_A, MA_B], flags=[L]),
        rpt_ok("three URIs", rua(MA_A, HS, MA_B), [MA_A, HS, MA_B], flags=[L]),
        rpt_ok("32 URIs", rua(*[f"mailto:r{i}@example.com" for i in range(32)]),
               [f"mailto:r{i}@example.com" for i in range(32)], flags=[L]),
        rpt_ok("final delimiter (real-world: checkdmarc test)",
               "v=TLSRPTv1; rua=mailto:tlsrpt@example.com;", ["mailto:tlsrpt@example.com"],
               flags=["Abnf-Delimiter"]),
        rpt_ok("an extension after rua (real-world: sys4/tlsrpt-rr-parser test)",
               "v=TLSRPTv1; rua=" + HS + "; ext=extvalue", [HS], flags=["Abnf-ExtValue"]),
        rpt_ok("an extension name with - and . (real-world: checkdmarc test)",
               "v=TLSRPTv1; rua=" + MA_A + "; extension-field.1=foo", [MA_A],
               flags=["Abnf-ExtName"]),
        rpt_ok("an extension name starting with a digit (real-world: checkdmarc test)",
               "v=TLSRPTv1; rua=" + MA_A + "; 1ext=foo", [MA_A], flags=["Abnf-ExtName"]),
        rpt_ok("rua after an extension", "v=TLSRPTv1; ext=1; rua=" + MA_A, [MA_A],
               flags=["Abnf-Version"]),
    ]


def uris():
    """Schemes, percent-encoding and the parts of a URI; the size limit; WSP before ";" (R1)."""
    return [
        rpt_ok("upper-case scheme: schemes are case-insensitive", rua("MAILTO:a@example.com"),
               ["MAILTO:a@example.com"], flags=[SC]),
        rpt_ok("mixed-case https scheme", rua("HtTpS://r.example/x"), ["HtTpS://r.example/x"],
               flags=[SC]),
        rpt_ok("mixed-case mailto scheme", rua("MailTo:a@example.com"),
               ["MailTo:a@example.com"], flags=[SC]),
        rpt_ok("a percent-encoded comma", rua("mailto:a%2Cb@example.com"),
               ["mailto:a%2Cb@example.com"], flags=[U, BG]),
        rpt_ok("a percent-encoded \"!\" (a DMARC-style size written correctly)",
               rua("mailto:a@example.com%2110m"), ["mailto:a@example.com%2110m"],
               flags=[U, BG]),
        rpt_ok("a percent-encoded semicolon, lower-case hex", rua("mailto:a%3bb@example.com"),
               ["mailto:a%3bb@example.com"], flags=[U]),
        rpt_ok("a query with \"=\" (RFC 3986 sub-delims)",
               rua("https://r.example/tlsrpt?x=1&y=2"), ["https://r.example/tlsrpt?x=1&y=2"],
               flags=[U]),
        rpt_ok("mailto with a subject header", rua("mailto:tlsrpt@example.com?subject=TLS%20rpt"),
               ["mailto:tlsrpt@example.com?subject=TLS%20rpt"], flags=[U]),
        rpt_ok("an IPv6 literal host", rua("https://[2001:db8::1]/tlsrpt"),
               ["https://[2001:db8::1]/tlsrpt"], flags=[U]),
        rpt_ok("a port", rua("https://r.example:8443/tlsrpt"),
               ["https://r.example:8443/tlsrpt"], flags=[U]),
        rpt_ok("userinfo", rua("https://user@r.example/x"), ["https://user@r.example/x"],
               flags=[U]),
        rpt_ok("a fragment", rua("https://r.example/x#f"), ["https://r.example/x#f"],
               flags=[U]),
        rpt_ok("sub-delims and unreserved characters in the path",
               rua("https://r.example/~u/(x)*+$&'_-."), ["https://r.example/~u/(x)*+$&'_-."],
               flags=[U]),
        rpt_ok("the shortest mailto address: one byte, \"@\", one byte", rua("mailto:a@b"),
               ["mailto:a@b"], flags=[ND, DS]),
        rpt_ok("a record of exactly 4096 octets", RPT_PAD + "a" * (4096 - len(RPT_PAD)),
               ["https://r.example/" + "a" * (4096 - len(RPT_PAD))], flags=["R18-TxtSize"]),
        rpt_acc_ok("WSP before \";\"", "v=TLSRPTv1 ; rua=" + MA_A, [MA_A],
                   flags=["R1-WspBeforeDelim"]),
        rpt_acc_ok("WSP before the final \";\"", "v=TLSRPTv1; rua=" + MA_A + " ;", [MA_A],
                   flags=["R1-WspBeforeDelim"]),
    ]


def uri_syntax():
    """RFC 3986 read strictly (R20a): IP literals, ports, userinfo, mailto destinations."""
    return [
        rpt_ok('an IPv6 literal of eight groups', rua('https://[1:2:3:4:5:6:7:8]/'), ['https://[1:2:3:4:5:6:7:8]/'], flags=[U, UG]),
        rpt_ok('IPv6 "::" first', rua('https://[::2:3:4:5:6:7:8]/'), ['https://[::2:3:4:5:6:7:8]/'], flags=[U, UG]),
        rpt_ok('IPv6 "::" after one group', rua('https://[1::3:4:5:6:7:8]/'), ['https://[1::3:4:5:6:7:8]/'], flags=[U, UG]),
        rpt_ok('IPv6 "::" after two groups', rua('https://[1:2::4:5:6:7:8]/'), ['https://[1:2::4:5:6:7:8]/'], flags=[U, UG]),
        rpt_ok('IPv6 "::" after three groups', rua('https://[1:2:3::5:6:7:8]/'), ['https://[1:2:3::5:6:7:8]/'], flags=[U, UG]),
        rpt_ok('IPv6 "::" after four groups', rua('https://[1:2:3:4::6:7:8]/'), ['https://[1:2:3:4::6:7:8]/'], flags=[U, UG]),
        rpt_ok('IPv6 "::" after five groups', rua('https://[1:2:3:4:5::7:8]/'), ['https://[1:2:3:4:5::7:8]/'], flags=[U, UG]),
        rpt_ok('IPv6 "::" after six groups', rua('https://[1:2:3:4:5:6::8]/'), ['https://[1:2:3:4:5:6::8]/'], flags=[U, UG]),
        rpt_ok('IPv6 "::" last', rua('https://[1:2:3:4:5:6:7::]/'), ['https://[1:2:3:4:5:6:7::]/'], flags=[U, UG]),
        rpt_ok('IPv6 "::" alone', rua('https://[::]/'), ['https://[::]/'], flags=[U, UG]),
        rpt_ok('IPv6 four-digit groups in both cases', rua('https://[ffff:FFFF:abcd:0:00:000:0000:1]/'), ['https://[ffff:FFFF:abcd:0:00:000:0000:1]/'], flags=[U, UG]),
        rpt_ok('an IPv4 tail with octet 255', rua('https://[::ffff:192.0.2.255]/'), ['https://[::ffff:192.0.2.255]/'], flags=[U, UG]),
        rpt_ok('six groups and an IPv4 tail', rua('https://[1:2:3:4:5:6:192.0.2.1]/'), ['https://[1:2:3:4:5:6:192.0.2.1]/'], flags=[U, UG]),
        rpt_ok('"::" after five groups and an IPv4 tail', rua('https://[1:2:3:4:5::192.0.2.1]/'), ['https://[1:2:3:4:5::192.0.2.1]/'], flags=[U, UG]),
        rpt_ok('IPvFuture', rua('https://[v1.fe80::a+en1]/'), ['https://[v1.fe80::a+en1]/'], flags=[U, UG]),
        rpt_ok('IPvFuture with an upper-case V', rua('https://[V1F.x]/'), ['https://[V1F.x]/'], flags=[U, UG]),
        rpt_ok('an IPv4 host with octet 255', rua('https://192.0.2.255/'), ['https://192.0.2.255/'], flags=[U, UG]),
        rpt_ok('octet 256 is no IPv4address, but a valid reg-name', rua('https://192.0.2.256/'), ['https://192.0.2.256/'], flags=[U, UG]),
        rpt_ok('a leading zero is no dec-octet, but a valid reg-name', rua('https://1.2.3.04/'), ['https://1.2.3.04/'], flags=[U, UG]),
        rpt_ok('an empty port', rua('https://r.example:/x'), ['https://r.example:/x'], flags=[U, UG]),
        rpt_ok('port 0 with leading zeros', rua('https://r.example:0080/x'), ['https://r.example:0080/x'], flags=[U, UG]),
        rpt_ok('userinfo with a colon', rua('https://u:p@r.example/x'), ['https://u:p@r.example/x'], flags=[U, UG]),
        rpt_ok('an empty userinfo', rua('https://@r.example/x'), ['https://@r.example/x'], flags=[U, UG]),
        rpt_ok('userinfo that looks like host:port', rua('https://h:80a@r.example/x'), ['https://h:80a@r.example/x'], flags=[U, UG]),
        rpt_ok('a percent-encoded reg-name', rua('https://r%2Eexample/x'), ['https://r%2Eexample/x'], flags=[U, UG]),
        rpt_ok('":" and "@" in the path', rua('https://r.example/a:b@c/d'), ['https://r.example/a:b@c/d'], flags=[U, UG]),
        rpt_ok('"/" and "?" in the query and the fragment', rua('https://r.example/x?a/b?c#d/e?f'), ['https://r.example/x?a/b?c#d/e?f'], flags=[U, UG]),
        rpt_ok('two mailto addresses, the comma encoded', rua('mailto:a@example.com%2Cb@example.com'), ['mailto:a@example.com%2Cb@example.com'], flags=[ND, DS]),
        rpt_ok('a mailto address, headers and a fragment', rua('mailto:a@example.com?subject=x#f'), ['mailto:a@example.com?subject=x#f'], flags=[ND, DS]),
    ]


def broken():
    return Section(100, "strict", "malformed records",
                   record_errors() + rua_list_errors() + destination_errors() + uri_syntax_errors())


def record_errors():
    """Fields: no rua, case variants, the version, empty values."""
    return [
        rpt_bad("the version alone (real-world: checkdmarc test)", "v=TLSRPTv1",
                "E_TLSRPT_MISSING_RUA", flags=["Abnf-Required"]),
        rpt_bad("the version and \";\"", "v=TLSRPTv1;", "E_TLSRPT_MISSING_RUA",
                flags=["Abnf-Required"]),
        rpt_bad("an extension but no rua", "v=TLSRPTv1; ext=1", "E_TLSRPT_MISSING_RUA",
                flags=["Abnf-Required"]),
        rpt_bad("RUA= is not rua (real-world: checkdmarc test)",
                "v=TLSRPTv1; RUA=mailto:a@example.com", "E_TLSRPT_MISSING_RUA",
                flags=["Abnf-CaseSensitive", "Abnf-Required"]),
        rpt_bad("Rua= is not rua", "v=TLSRPTv1; Rua=mailto:a@example.com",
                "E_TLSRPT_MISSING_RUA", flags=["Abnf-CaseSensitive", "Abnf-Required"]),
        rpt_bad("space before \"=\" (real-world: checkdmarc test)",
                "v=TLSRPTv1; rua =mailto:a@example.com", "E_TXT_EXPECTED_EQUALS",
                flags=["Abnf-Whitespace"]),
        rpt_bad("spaces around the version's \"=\" (real-world: checkdmarc test)",
                "v = TLSRPTv1; rua=mailto:a@example.com", "E_TXT_VERSION",
                flags=["Abnf-Version"]),
        rpt_bad("V=TLSRPTv1", "V=TLSRPTv1; rua=" + MA_A, "E_TXT_VERSION",
                flags=["Abnf-CaseSensitive", "Abnf-Version"]),
        rpt_bad("v=tlsrptv1", "v=tlsrptv1; rua=" + MA_A, "E_TXT_VERSION",
                flags=["Abnf-CaseSensitive", "Abnf-Version"]),
        rpt_bad("v=TLSRPTv2", "v=TLSRPTv2; rua=" + MA_A, "E_TXT_VERSION",
                flags=["Abnf-Version"]),
        rpt_bad("v=TLSRPT1", "v=TLSRPT1; rua=" + MA_A, "E_TXT_VERSION", flags=["Abnf-Version"]),
        rpt_bad("leading space", " v=TLSRPTv1; rua=" + MA_A, "E_TXT_VERSION",
                flags=["Abnf-Version"]),
        rpt_bad("an MTA-STS record", "v=STSv1; id=abc", "E_TXT_VERSION",
                flags=["Abnf-Version"]),
        rpt_bad("an SPF record (real-world: checkdmarc test)", SPF, "E_TXT_VERSION",
                flags=["Abnf-Version"]),
        rpt_bad("empty record", "", "E_EMPTY", flags=["Abnf-Version"]),
        rpt_bad("no delimiter after the version", "v=TLSRPTv1 rua=" + MA_A,
                "E_TXT_EXPECTED_DELIM", flags=["Abnf-Delimiter"]),
        rpt_bad("empty rua value at the end", "v=TLSRPTv1; rua=", "E_TXT_VALUE_EMPTY",
                flags=[L]),
        rpt_bad("empty rua value before \";\"", "v=TLSRPTv1; rua=; ext=1", "E_TXT_VALUE_EMPTY",
                flags=[L]),
        rpt_bad("a space after \"rua=\"", "v=TLSRPTv1; rua= " + MA_A, "E_TXT_VALUE_EMPTY",
                flags=[L, "Abnf-Whitespace"]),
    ]


def rua_list_errors():
    """The rua list: empty elements, separators, schemes, characters, percent-encoding."""
    return [
        rpt_bad("two commas: an empty element", rua(MA_A, "", MA_B), "E_RUA_EMPTY",
                flags=[L]),
        rpt_bad("a trailing comma", rua(MA_A, ""), "E_RUA_EMPTY", flags=[L]),
        rpt_bad("a leading comma", rua("", MA_A), "E_RUA_EMPTY", flags=[L]),
        rpt_bad("a comma, spaces, then \";\"", rua(MA_A) + ", ;", "E_RUA_EMPTY", flags=[L]),
        rpt_bad("a comma and a space at the end", rua(MA_A) + ", ", "E_RUA_EMPTY", flags=[L]),
        rpt_bad("space-separated URIs", rua(MA_A, MA_B, sep=" "), "E_TXT_EXPECTED_DELIM",
                flags=[L]),
        rpt_bad("semicolon-separated URIs", rua(MA_A, MA_B, sep=";"), "E_TXT_EXPECTED_EQUALS",
                flags=[L]),
        rpt_bad("an address without a scheme (real-world: sys4/tlsrpt-reporter#54)",
                "v=TLSRPTv1; rua=postmaster@isaspa.it", "E_RUA_SCHEME", flags=[SC]),
        rpt_bad("not a URI (real-world: checkdmarc test)", "v=TLSRPTv1; rua=not_a_valid_uri",
                "E_RUA_SCHEME", flags=[SC]),
        rpt_bad("a network-path reference without a scheme", rua("//r.example/x"),
                "E_RUA_SCHEME", flags=[SC]),
        rpt_bad("a scheme starting with a digit", rua("1mailto:a@example.com"),
                "E_RUA_SCHEME", flags=[SC]),
        rpt_bad("a scheme name without \":\"", rua("mailto"), "E_RUA_SCHEME", flags=[SC]),
        rpt_bad("a space before the scheme's \":\"", rua("mailto :a@example.com"),
                "E_RUA_SCHEME", flags=[SC]),
        rpt_bad("\"!!\" (real-world: sys4/tlsrpt-rr-parser test)", "v=TLSRPTv1; rua=!!",
                "E_RUA_SCHEME", flags=[SC]),
        rpt_bad("a DMARC-style size suffix with a raw \"!\"", rua("mailto:a@example.com!10m"),
                "E_RUA_CHAR", flags=[BG]),
        rpt_bad("a raw \"!\" in the local part", rua("mailto:a!b@example.com"), "E_RUA_CHAR",
                flags=[BG]),
        rpt_bad("a double quote in a URI", rua("https://r.example/a\"b"), "E_RUA_CHAR",
                flags=[U]),
        rpt_bad("\"<\" in a URI", rua("https://r.example/<x>"), "E_RUA_CHAR", flags=[U]),
        rpt_bad("a backslash in a URI", rua("https://r.example\\x"), "E_RUA_CHAR", flags=[U]),
        rpt_bad("\"^\" in a URI", rua("https://r.example/a^b"), "E_RUA_CHAR", flags=[U]),
        rpt_bad("\"`\" in a URI", rua("https://r.example/a`b"), "E_RUA_CHAR", flags=[U]),
        rpt_bad("\"{\" in a URI", rua("https://r.example/{x}"), "E_RUA_CHAR", flags=[U]),
        rpt_bad("\"|\" in a URI", rua("https://r.example/a|b"), "E_RUA_CHAR", flags=[U]),
        rpt_bad("a non-ASCII domain in a URI", rua("mailto:tlsrpt@ex\u00e4mple.com"),
                "E_RUA_CHAR", flags=[U]),
        rpt_bad("DEL in a URI", rua("mailto:a@example.com\x7f"), "E_RUA_CHAR", flags=[U]),
        rpt_bad("a control character in a URI", rua("mailto:a@exa\x01mple.com"), "E_RUA_CHAR",
                flags=[U]),
        rpt_bad("a NUL in a URI", rua("mailto:a@example.com\x00"), "E_NUL", flags=["Nul"]),
        rpt_bad("\"%\" followed by one hex digit", rua("mailto:a%2@example.com"),
                "E_RUA_PERCENT", flags=[U]),
        rpt_bad("\"%\" at the end", rua("mailto:a@example.com%"), "E_RUA_PERCENT", flags=[U]),
        rpt_bad("\"%\" followed by non-hex", rua("mailto:a%GG@example.com"), "E_RUA_PERCENT",
                flags=[U]),
        rpt_bad("\"%\" and one digit at the end", rua("mailto:a@example.com%2"),
                "E_RUA_PERCENT", flags=[U]),
    ]


def destination_errors():
    """Unsupported schemes and URIs without a destination (R20); trailing WSP; the size."""
    return [
        rpt_bad("http is not supported", rua("http://r.example/tlsrpt"),
                "E_RUA_UNSUPPORTED_SCHEME", flags=[SC]),
        rpt_bad("ftp is not supported", rua("ftp://r.example/tlsrpt"),
                "E_RUA_UNSUPPORTED_SCHEME", flags=[SC]),
        rpt_bad("xhttps is not https (real-world: checkdmarc test)",
                "v=TLSRPTv1; rua=xhttps://example.com/tlsrpt", "E_RUA_UNSUPPORTED_SCHEME",
                flags=[SC]),
        rpt_bad("mailto+x is not mailto", rua("mailto+x:a@example.com"),
                "E_RUA_UNSUPPORTED_SCHEME", flags=[SC]),
        rpt_bad("a URN", rua("urn:ietf:params:tlsrpt"), "E_RUA_UNSUPPORTED_SCHEME",
                flags=[SC]),
        rpt_bad("an unsupported second URI", rua(MA_A, "ftp://r.example/x"),
                "E_RUA_UNSUPPORTED_SCHEME", flags=[SC, L]),
        rpt_bad("mailto: with nothing after it", rua("mailto:"), "E_RUA_NO_DESTINATION",
                flags=[ND]),
        rpt_bad("MAILTO: with nothing after it", rua("MAILTO:"), "E_RUA_NO_DESTINATION",
                flags=[ND, SC]),
        rpt_bad("https: with nothing after it", rua("https:"), "E_RUA_NO_DESTINATION",
                flags=[ND]),
        rpt_bad("https:// with no host", rua("https://"), "E_RUA_NO_DESTINATION", flags=[ND]),
        rpt_bad("https:/// with an empty host", rua("https:///tlsrpt"), "E_RUA_NO_DESTINATION",
                flags=[ND]),
        rpt_bad("https: with one slash", rua("https:/r.example/x"), "E_RUA_NO_DESTINATION",
                flags=[ND]),
        rpt_bad("https: without slashes", rua("https:r.example"), "E_RUA_NO_DESTINATION",
                flags=[ND]),
        rpt_bad("an empty mailto: as the second URI", rua(MA_A, "mailto:"),
                "E_RUA_NO_DESTINATION", flags=[ND, L]),
        rpt_bad("trailing space without a final \";\"", rua(MA_A) + " ", "E_TXT_TRAILING_WSP",
                flags=["L5-TxtTrailingWsp"]),
        rpt_bad("the version and a space: trailing WSP", "v=TLSRPTv1 ", "E_TXT_TRAILING_WSP",
                flags=["L5-TxtTrailingWsp"]),
        rpt_bad("\"=\" in an extension value", rua(MA_A) + "; ext=a=b", "E_TXT_VALUE_CHAR",
                flags=["Abnf-ExtValue"]),
        rpt_bad("a record of 4097 octets", RPT_PAD + "a" * (4097 - len(RPT_PAD)),
                "E_TXT_TOO_LARGE", flags=["R18-TxtSize"]),
    ]


def uri_syntax_errors():
    """RFC 3986 read strictly (R20a): IP literals, hosts, ports, reserved characters."""
    return [
        rpt_bad('a port that is not digits (RFC 8460 issue: h:80a may still be a userinfo, so the "/")', rua('https://h:80a/'), 'E_RUA_PORT', flags=[UG]),
        rpt_bad('IPv6: a lone leading ":"', rua('https://[:1]/'), 'E_RUA_IP_LITERAL', flags=[UG]),
        rpt_bad('IPv6: ":::"', rua('https://[2001:::1]/'), 'E_RUA_IP_LITERAL', flags=[UG]),
        rpt_bad('"]" after a reg-name', rua('https://.x]/'), 'E_RUA_HOST', flags=[UG]),
        rpt_bad('IPvFuture: "x" is not HEXDIG', rua('https://[v19x]/'), 'E_RUA_IP_LITERAL', flags=[UG]),
        rpt_bad('mailto: only a fragment, no address', rua('MAILTO:#a@example.com'), 'E_RUA_NO_DESTINATION', flags=[DS]),
        rpt_bad('mailto: a local part only', rua('mailto:a'), 'E_RUA_NO_DESTINATION', flags=[DS]),
        rpt_bad('mailto: an empty local part', rua('mailto:@example.com'), 'E_RUA_NO_DESTINATION', flags=[DS]),
        rpt_bad('mailto: an empty domain', rua('mailto:a@'), 'E_RUA_NO_DESTINATION', flags=[DS]),
        rpt_bad('mailto: the address only in a to= header', rua('mailto:?to=a@example.com'), 'E_RUA_NO_DESTINATION', flags=[DS]),
        rpt_bad('mailto: "@" percent-encoded is data, not a separator', rua('mailto:a%40example.com'), 'E_RUA_NO_DESTINATION', flags=[DS]),
        rpt_bad('https: a port but no host', rua('https://:443/'), 'E_RUA_NO_DESTINATION', flags=[DS]),
        rpt_bad('https: userinfo but no host', rua('https://u@/x'), 'E_RUA_NO_DESTINATION', flags=[DS]),
        rpt_bad('IPv6: nine groups', rua('https://[1:2:3:4:5:6:7:8:9]/'), 'E_RUA_IP_LITERAL', flags=[UG]),
        rpt_bad('IPv6: seven groups without "::"', rua('https://[1:2:3:4:5:6:7]/'), 'E_RUA_IP_LITERAL', flags=[UG]),
        rpt_bad('IPv6: "::" standing for no group', rua('https://[1:2:3:4:5:6:7::8]/'), 'E_RUA_IP_LITERAL', flags=[UG]),
        rpt_bad('IPv6: two "::"', rua('https://[1::2::3]/'), 'E_RUA_IP_LITERAL', flags=[UG]),
        rpt_bad('IPv6: a group of five digits', rua('https://[12345::]/'), 'E_RUA_IP_LITERAL', flags=[UG]),
        rpt_bad('IPv6: a lone trailing ":"', rua('https://[1:2:3:4:5:6:7:]/'), 'E_RUA_IP_LITERAL', flags=[UG]),
        rpt_bad('an IPv4 tail with octet 256', rua('https://[::1.2.3.256]/'), 'E_RUA_IP_LITERAL', flags=[UG]),
        rpt_bad('an IPv4 tail with a leading zero', rua('https://[::1.2.3.04]/'), 'E_RUA_IP_LITERAL', flags=[UG]),
        rpt_bad('an IPv4 tail after five groups without "::"', rua('https://[1:2:3:4:5:1.2.3.4]/'), 'E_RUA_IP_LITERAL', flags=[UG]),
        rpt_bad('an IPv4 tail that is not last', rua('https://[::1.2.3.4:5]/'), 'E_RUA_IP_LITERAL', flags=[UG]),
        rpt_bad('a zone ID (RFC 6874, not RFC 3986)', rua('https://[fe80::1%25en0]/'), 'E_RUA_IP_LITERAL', flags=[UG]),
        rpt_bad('an empty IP literal', rua('https://[]/'), 'E_RUA_IP_LITERAL', flags=[UG]),
        rpt_bad('an IP literal without "]"', rua('https://[::1'), 'E_RUA_IP_LITERAL', flags=[UG]),
        rpt_bad('IPvFuture without anything after "."', rua('https://[v1.]/'), 'E_RUA_IP_LITERAL', flags=[UG]),
        rpt_bad('IPvFuture without HEXDIG', rua('https://[v.x]/'), 'E_RUA_IP_LITERAL', flags=[UG]),
        rpt_bad('two "@" in the authority', rua('https://a@b@c/'), 'E_RUA_HOST', flags=[UG]),
        rpt_bad('"[" inside a reg-name', rua('https://r.example[1]/'), 'E_RUA_HOST', flags=[UG]),
        rpt_bad('a byte after an IP literal', rua('https://[::1]x/'), 'E_RUA_HOST', flags=[UG]),
        rpt_bad('a port with a letter', rua('https://r.example:8x/'), 'E_RUA_PORT', flags=[UG]),
        rpt_bad('a negative port', rua('https://r.example:-1/'), 'E_RUA_PORT', flags=[UG]),
        rpt_bad('a port after an IP literal with a letter', rua('https://[::1]:8x/'), 'E_RUA_PORT', flags=[UG]),
        rpt_bad('"[" in the path', rua('https://r.example/a[1]'), 'E_RUA_RESERVED', flags=[UG]),
        rpt_bad('"]" in the query', rua('https://r.example/?q]'), 'E_RUA_RESERVED', flags=[UG]),
        rpt_bad('a second "#"', rua('mailto:a@example.com#c#d'), 'E_RUA_RESERVED', flags=[UG]),
        rpt_bad('the grammar is checked before the scheme', rua('ftp://[x]/'), 'E_RUA_IP_LITERAL', flags=[UG]),
    ]


def dups():
    return Section(300, "strict", "duplicate rua (R20)", [
        rpt_ok("a second rua is ignored (real-world: checkdmarc test; checkdmarc#273 merges "
               "both)", rua(MA_A) + "; rua=" + MA_B, [MA_A], flags=[DU], warn=[DUP]),
        rpt_ok("a second rua with an unsupported scheme is still grammatical",
               rua(MA_A) + "; rua=ftp://r.example/x", [MA_A], flags=[DU], warn=[DUP]),
        rpt_ok("a second rua with a raw \"!\" matches the extension production",
               rua(MA_A) + "; rua=" + MA_B + "!", [MA_A], flags=[DU, BG], warn=[DUP]),
        rpt_ok("a second rua with WSP around a comma matches tlsrpt-rua",
               rua(MA_A) + "; rua=" + MA_B + ", mailto:c@example.com", [MA_A], flags=[DU],
               warn=[DUP]),
        rpt_bad("a second rua that is empty is not grammatical", rua(MA_A) + "; rua=",
                "E_TXT_VALUE_EMPTY", flags=[DU, "R3-DuplicateMustParse"]),
        rpt_bad("a second rua with a space inside is not grammatical",
                rua(MA_A) + "; rua=a b", "E_TXT_EXPECTED_DELIM",
                flags=[DU, "R3-DuplicateMustParse"]),
        rpt_bad("the first rua is unsupported: the second does not help",
                "v=TLSRPTv1; rua=ftp://r.example/x; rua=" + MA_A, "E_RUA_UNSUPPORTED_SCHEME",
                flags=[DU, SC]),
        rpt_ok("a duplicate extension", rua(MA_A) + "; ext=1; ext=2", [MA_A],
               flags=["R3-DuplicateFirstWins"], warn=[DUP]),
        rpt_ok("a later v= is a duplicate", rua(MA_A) + "; v=TLSRPTv2", [MA_A],
               flags=["R3-DuplicateFirstWins"], warn=[DUP]),
        rpt_bad("a second rua whose \"=\" ends the extension reading before its bad %HH",
                rua(MA_A) + "; rua=mailto:x=y%zz", "E_RUA_PERCENT",
                flags=[DU, "R3-DuplicateMustParse"]),
        rpt_bad("the same, the \"=\" 80 octets into the second rua",
                rua(MA_A) + "; rua=mailto:" + "x" * 80 + "=y%zz", "E_RUA_PERCENT",
                flags=[DU, "R3-DuplicateMustParse"]),
    ])


def lenient():
    return Section(5000, "lenient", "lenient profile", [
        rpt_ok("lenient: an unsupported first URI is skipped", rua("ftp://r.example/x", MA_A),
               [MA_A], flags=[SK], warn=[SKIP]),
        rpt_ok("lenient: http is skipped, https kept",
               rua("http://r.example/x", "https://r.example/y"), ["https://r.example/y"],
               flags=[SK], warn=[SKIP]),
        rpt_ok("lenient: an empty mailto: is skipped", rua("mailto:", "https://r.example/"),
               ["https://r.example/"], flags=[SK, ND], warn=[SKIP]),
        rpt_ok("lenient: https:// without a host is skipped", rua(MA_A, "https://"), [MA_A],
               flags=[SK, ND], warn=[SKIP]),
        rpt_ok("lenient: two skipped, one kept",
               rua("ftp://a.example/", MA_A, "urn:x:y"), [MA_A], flags=[SK], warn=[SKIP, SKIP]),
        rpt_bad("lenient: the only URI is unsupported", rua("ftp://r.example/x"),
                "E_RUA_NONE_USABLE", flags=[SK]),
        rpt_bad("lenient: the only URI has no destination", rua("mailto:"),
                "E_RUA_NONE_USABLE", flags=[SK, ND]),
        rpt_bad("lenient: every URI is skipped", rua("http://a.example/", "ftp://b.example/"),
                "E_RUA_NONE_USABLE", flags=[SK]),
        rpt_ok("lenient: trailing WSP is ignored", rua(MA_A) + " ", [MA_A],
               flags=["L5-TxtTrailingWsp"], warn=[TWSP]),
        rpt_ok("lenient: a skipped URI and trailing WSP, warnings in order",
               rua("ftp://r.example/x", MA_A) + "\t", [MA_A], flags=[SK, "L5-TxtTrailingWsp"],
               warn=[SKIP, TWSP]),
        rpt_ok("lenient: a skipped URI, then a duplicate rua",
               rua("ftp://r.example/x", MA_A) + "; rua=" + MA_B, [MA_A], flags=[SK, DU],
               warn=[SKIP, DUP]),
        rpt_bad("lenient: a raw \"!\" is still invalid", rua("mailto:a@example.com!10m"),
                "E_RUA_CHAR", flags=[LSR, BG]),
        rpt_bad("lenient: an empty element is still invalid", rua(MA_A, "", MA_B),
                "E_RUA_EMPTY", flags=[LSR, L]),
        rpt_bad("lenient: a missing scheme is still invalid (real-world: "
                "sys4/tlsrpt-reporter#54)", "v=TLSRPTv1; rua=postmaster@isaspa.it",
                "E_RUA_SCHEME", flags=[LSR, SC]),
        rpt_bad("lenient: a bad percent-encoding is still invalid", rua("mailto:a%2"),
                "E_RUA_PERCENT", flags=[LSR, U]),
        rpt_bad("lenient: a malformed unsupported URI is not skipped",
                rua("ftp://a!b", MA_A), "E_RUA_CHAR", flags=[LSR, BG]),
        rpt_bad("lenient: V=TLSRPTv1 is still invalid", "V=TLSRPTv1; rua=" + MA_A,
                "E_TXT_VERSION", flags=[LSR, "Abnf-CaseSensitive"]),
        rpt_bad("lenient: RUA= is still not rua", "v=TLSRPTv1; RUA=" + MA_A,
                "E_TLSRPT_MISSING_RUA", flags=[LSR, "Abnf-CaseSensitive"]),
        rpt_bad("lenient: NUL is still invalid", rua(MA_A) + "\x00", "E_NUL",
                flags=[LSR, "Nul"]),
        rpt_bad("lenient: the version and a space: the WSP is ignored, rua is missing",
                "v=TLSRPTv1 ", "E_TLSRPT_MISSING_RUA", flags=[LSR, "L5-TxtTrailingWsp"]),
        rpt_ok("lenient: a mailto without an address is skipped", rua("mailto:a", MA_A), [MA_A],
               flags=[SK, DS], warn=[SKIP]),
        rpt_ok("lenient: an https URI without a host is skipped",
               rua("https://u@:443/", MA_A), [MA_A], flags=[SK, DS], warn=[SKIP]),
        rpt_bad("lenient: a URI that is not a URI is still invalid", rua("https://h:80a/", MA_A),
                "E_RUA_PORT", flags=[LSR, UG]),
        rpt_bad("lenient: an unsupported scheme is still checked as a URI",
                rua("ftp://[x]/", MA_A), "E_RUA_IP_LITERAL", flags=[LSR, UG]),
    ])
