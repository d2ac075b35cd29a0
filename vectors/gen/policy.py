"""policy.json: policy bodies as served at /.well-known/mta-sts.txt (RFC 8461 §3.2)."""

from __future__ import annotations

from .common import (DUP, LABEL63, LABEL64, NAME32, RFC8461_32, Section, acceptable_row, b,
                     invalid_row, name_of_length, valid_row)

KIND = "policy"
SOURCE = "RFC 8461 §3.2 ABNF + spec/rulings.md"
HEADER = [
    "Policy bodies as served at /.well-known/mta-sts.txt (mtasts_policy_parse, mx array "
    "large enough).",
    "expected: version, mode, max_age (after lenient clamping) and the mx patterns in "
    "input order, as written.",
]


def sections():
    """The sections in file order (each numbers its tcIds from its own base)."""
    return [examples(), endings(), blanks(), names(), values(), ages(), mxs(), exts(), dups(),
            sizes(), binary(), wild(), lenient(), wild_lenient()]


def pol(*lines, eol="\n", final=True) -> str:
    """A policy body from its lines."""
    return eol.join(lines) + (eol if final else "")


def std(version="version: STSv1", mode="mode: enforce", mx=("mx: mail.example.com",),
        max_age="max_age: 604800", extra=(), eol="\n", final=True) -> str:
    """The standard policy with some lines replaced (None drops a line)."""
    lines = [x for x in (version, mode, *mx, max_age, *extra) if x is not None]
    return pol(*lines, eol=eol, final=final)


def pexp(mode="enforce", max_age=604800, mx=("mail.example.com",)) -> dict:
    return {"version": "STSv1", "mode": mode, "max_age": max_age, "mx": list(mx)}


def pok(comment, body, exp=None, *, flags=(), warn=(), rfc=RFC8461_32):
    return valid_row("data", comment, body, exp or pexp(), rfc=rfc, flags=flags, warn=warn)


def pbad(comment, body, hint, *, flags=(), rfc=RFC8461_32):
    return invalid_row("data", comment, body, hint, rfc=rfc, flags=flags)


def pacc_bad(comment, body, hint, *, flags, rfc=RFC8461_32):
    return acceptable_row("data", comment, body, acc="invalid", rfc=rfc, flags=flags, hint=hint)


RFC_POLICY_LINES = ["version: STSv1", "mode: enforce", "mx: mail.example.com",
                    "mx: *.example.net", "mx: backupmx.example.com", "max_age: 604800"]
RFC_POLICY_EXP = pexp(mx=["mail.example.com", "*.example.net", "backupmx.example.com"])
W_BOM, W_BLANK, W_TRAIL, W_CLAMP = ("W_POLICY_BOM", "W_POLICY_BLANK_LINE",
                                    "W_POLICY_TRAILING_BLANK", "W_POLICY_MAX_AGE_CLAMPED")
BOM = "\ufeff"


def policy_of_size(n: int, head: str = None) -> str:
    head = head if head is not None else std()
    prefix = head + "pad: "
    return prefix + "x" * (n - len(prefix) - 1) + "\n"


PF, PV, MA, MX = "Abnf-PolicyField", "Abnf-PolicyValues", "Abnf-MaxAgeSyntax", "Abnf-MxSyntax"
LE, BCR = "R6-LineEndings", "R6-BareCR"
R4 = "R4-KnownFieldBadValue"


def examples():
    return Section(1, "strict", "RFC example and well-formed policies", [
        pok("RFC 8461 §3.2 example, CRLF", pol(*RFC_POLICY_LINES, eol="\r\n"), RFC_POLICY_EXP,
            flags=["Example", LE]),
        pok("RFC 8461 §3.2 example, LF (real-world: webperf_core#971 and danmarg/sts-mate#5 "
            "rejected LF-only bodies)", pol(*RFC_POLICY_LINES), RFC_POLICY_EXP,
            flags=["Example", LE]),
        pok("RFC example, LF, no final terminator", pol(*RFC_POLICY_LINES, final=False),
            RFC_POLICY_EXP, flags=["Example", LE]),
        pok("RFC example, CRLF, no final terminator",
            pol(*RFC_POLICY_LINES, eol="\r\n", final=False), RFC_POLICY_EXP,
            flags=["Example", LE]),
        pok("max_age first, mx last: field order is free",
            pol("max_age: 604800", "version: STSv1", "mode: enforce", "mx: mail.example.com"),
            flags=[PF]),
        pok("mx lines split around other fields, kept in input order",
            pol("mx: b.example", "version: STSv1", "mx: a.example", "mode: testing",
                "max_age: 86400", "mx: c.example"),
            pexp("testing", 86400, ["b.example", "a.example", "c.example"]), flags=[PF]),
        pok("mode testing with three mx (real-world: mox parse_test)",
            pol("version: STSv1", "mode: testing", "mx: mx1.example.com", "mx: mx2.example.com",
                "mx: mx.backup-example.com", "max_age: 1296000"),
            pexp("testing", 1296000, ["mx1.example.com", "mx2.example.com",
                                      "mx.backup-example.com"])),
        pok("trailing WSP after values and max_age 0 (real-world: mox parse_test)",
            "version: STSv1\nmode: enforce\t\nmx: *.example.com \nmax_age: 0 \n",
            pexp(max_age=0, mx=["*.example.com"]),
            flags=["Abnf-Whitespace", "R14-MaxAgeZero"]),
        pok("no space after \":\", tabs, an extension with inner spaces (real-world: mox)",
            "version:STSv1\r\nmode:\tenforce\r\nmx:  \t\t *.example.com\nmax_age: 1\n"
            "more:ext e  ns ion", pexp(max_age=1, mx=["*.example.com"]),
            flags=["Abnf-Whitespace", LE]),
        pok("WSP after values, CRLF (real-world: mailauth strict test)",
            "version: STSv1 \r\nmode:\tenforce\t\r\nmx:mail.example.com\r\nmax_age: 60  \r\n",
            pexp(max_age=60), flags=["Abnf-Whitespace"]),
        pok("mode none without mx (real-world: mailauth test)",
            std(mode="mode: none", mx=()), pexp("none", mx=[]), flags=["Abnf-Required"]),
        pok("mode none with mx: the patterns are still returned", std(mode="mode: none"),
            pexp("none"), flags=["Abnf-Required"]),
        pok("mode testing", std(mode="mode: testing"), pexp("testing")),
        pok("LF-only policy like Gmail's (real-world: mrisher/smtp-sts#192)",
            pol("version: STSv1", "mode: enforce", "mx: gmail-smtp-in.l.google.com",
                "mx: *.gmail-smtp-in.l.google.com", "max_age: 86400"),
            pexp(max_age=86400, mx=["gmail-smtp-in.l.google.com",
                                    "*.gmail-smtp-in.l.google.com"]), flags=[LE]),
        pok("the same mx twice: both kept (mx is a repeated field)",
            std(mx=("mx: a.example", "mx: a.example")), pexp(mx=["a.example", "a.example"])),
        pok("mx kept as written, case included (real-world: mailauth lower-cases it)",
            std(mx=("mx: MAIL.Example.COM", "mx: *.EXAMPLE.net")),
            pexp(mx=["MAIL.Example.COM", "*.EXAMPLE.net"]), flags=[MX]),
        pok("an extension beside the known fields (real-world: mailauth, checkdmarc tests)",
            std(extra=("foo_bar: baz",)), flags=["Abnf-ExtValue", "R11-ExtNameTypo"]),
        pok("500 mx lines", std(mx=tuple(f"mx: mx{i:03d}.example.net" for i in range(500))),
            pexp(mx=[f"mx{i:03d}.example.net" for i in range(500)]), flags=[MX]),
    ])


def endings():
    return Section(100, "strict", "line endings (R6)", [
        pok("CRLF then LF lines (real-world: checkdmarc test)",
            "version: STSv1\r\nmode: enforce\nmax_age: 86400\r\nmx: mail.example.com\n",
            pexp(max_age=86400), flags=[LE]),
        pok("LF then CRLF lines", "version: STSv1\nmode: enforce\r\nmx: mail.example.com\n"
            "max_age: 604800\r\n", flags=[LE]),
        pok("only the last line ends in CRLF", std(final=False) + "\r\n", flags=[LE]),
        pok("only the first line ends in CRLF",
            "version: STSv1\r\nmode: enforce\nmx: mail.example.com\nmax_age: 604800",
            flags=[LE]),
        pok("one line, no terminator: mode none", "version: STSv1\nmode: none\nmax_age: 1",
            pexp("none", 1, []), flags=[LE]),
        pbad("CR as the only line terminator (classic Mac)", std(eol="\r"), "E_POLICY_BARE_CR",
             flags=[BCR]),
        pbad("CR at the very end", std(final=False) + "\r", "E_POLICY_BARE_CR", flags=[BCR]),
        pbad("CR CR LF", "version: STSv1\r\r\nmode: enforce\nmx: mail.example.com\n"
             "max_age: 604800\n", "E_POLICY_BARE_CR", flags=[BCR]),
        pbad("CR inside an extension value", std(extra=("ext: a\rb",)), "E_POLICY_BARE_CR",
             flags=[BCR]),
        pbad("CR after the trailing WSP of a line", "version: STSv1 \rmode: enforce\n",
             "E_POLICY_BARE_CR", flags=[BCR]),
        pbad("LF CR: a line starting with a bare CR",
             "version: STSv1\n\rmode: enforce\nmx: mail.example.com\nmax_age: 604800\n",
             "E_POLICY_BARE_CR", flags=[BCR]),
        pbad("a lone CR", "\r", "E_POLICY_BARE_CR", flags=[BCR]),
        pbad("vertical tab as a line separator: one long version value (real-world: "
             "checkdmarc test)", "version: STSv1\x0bmode: none\x0bmax_age: 86400",
             "E_POLICY_VERSION", flags=[LE, R4]),
        pbad("U+2028 LINE SEPARATOR as a line separator: one long version value",
             "version: STSv1\u2028mode: none\u2028max_age: 86400", "E_POLICY_VERSION",
             flags=[LE, R4]),
        pbad("NEL (U+0085) as a line separator: one long version value",
             "version: STSv1\u0085mode: none\u0085max_age: 86400", "E_POLICY_VERSION",
             flags=[LE, R4]),
    ])


def blanks():
    return Section(200, "strict", "blank lines, leading WSP, BOM (R7)", [
        pbad("a blank line after the last field (real-world: mrisher/smtp-sts#174 on "
             "hand-edited files)",
             std() + "\n", "E_POLICY_BLANK_LINE", flags=["R7-BlankLine", "L1-TrailingBlankLines"]),
        pbad("a CRLF blank line after the last field", std(eol="\r\n") + "\r\n",
             "E_POLICY_BLANK_LINE", flags=["R7-BlankLine", "L1-TrailingBlankLines"]),
        pbad("LF then CRLF after the last field", std() + "\r\n", "E_POLICY_BLANK_LINE",
             flags=["R7-BlankLine", "L1-TrailingBlankLines"]),
        pbad("a whitespace-only line after the last field", std() + " \n",
             "E_POLICY_BLANK_LINE", flags=["R7-BlankLine", "L1-TrailingBlankLines"]),
        pbad("spaces after the final terminator", std() + "  ", "E_POLICY_BLANK_LINE",
             flags=["R7-BlankLine", "L1-TrailingBlankLines"]),
        pbad("a tab after the final terminator", std() + "\t", "E_POLICY_BLANK_LINE",
             flags=["R7-BlankLine", "L1-TrailingBlankLines"]),
        pbad("an empty line between fields",
             "version: STSv1\n\nmode: enforce\nmx: mail.example.com\nmax_age: 604800\n",
             "E_POLICY_BLANK_LINE", flags=["R7-BlankLine", "L3-BlankLineBetweenFields"]),
        pbad("a whitespace-only line between fields",
             "version: STSv1\n \t\nmode: enforce\nmx: mail.example.com\nmax_age: 604800\n",
             "E_POLICY_BLANK_LINE", flags=["R7-BlankLine"]),
        pbad("an empty line before the first field", "\n" + std(), "E_POLICY_BLANK_LINE",
             flags=["R7-BlankLine"]),
        pbad("a CRLF before the first field", "\r\n" + std(eol="\r\n"), "E_POLICY_BLANK_LINE",
             flags=["R7-BlankLine"]),
        pbad("a body that is one LF", "\n", "E_POLICY_BLANK_LINE", flags=["R7-BlankLine"]),
        pbad("a body that is one CRLF", "\r\n", "E_POLICY_BLANK_LINE", flags=["R7-BlankLine"]),
        pbad("a body of spaces", "   ", "E_POLICY_BLANK_LINE", flags=["R7-BlankLine"]),
        pbad("leading space on the first line", " " + std(), "E_POLICY_LEADING_WSP",
             flags=["R7-LeadingWsp"]),
        pbad("leading tab on a middle line",
             "version: STSv1\n\tmode: enforce\nmx: mail.example.com\nmax_age: 604800\n",
             "E_POLICY_LEADING_WSP", flags=["R7-LeadingWsp"]),
        pbad("an RFC 5322 folded continuation line",
             "version: STSv1\nmode: enforce\nmx: mail.example.com\n backup.example.com\n"
             "max_age: 604800\n", "E_POLICY_LEADING_WSP", flags=["R7-LeadingWsp"]),
        pbad("indented policy (copied from the RFC text with its indentation)",
             pol(*("                         " + x for x in RFC_POLICY_LINES)),
             "E_POLICY_LEADING_WSP", flags=["R7-LeadingWsp", "Example"]),
        pbad("UTF-8 BOM", BOM + std(), "E_POLICY_BOM", flags=["R7-Bom", "L2-Bom"]),
        pbad("UTF-8 BOM, CRLF body", BOM + std(eol="\r\n"), "E_POLICY_BOM",
             flags=["R7-Bom", "L2-Bom"]),
        pbad("the first two bytes of a BOM only", b"\xef\xbb" + b(std()), "E_POLICY_FIELD_NAME",
             flags=["R7-Bom"]),
        pbad("a BOM at the start of the second line",
             "version: STSv1\n" + BOM + "mode: enforce\nmx: mail.example.com\nmax_age: 604800\n",
             "E_POLICY_FIELD_NAME", flags=["R7-Bom"]),
        pbad("UTF-16LE BOM", b"\xff\xfe" + b(std()), "E_POLICY_FIELD_NAME", flags=["R7-Bom"]),
        pbad("UTF-16BE BOM", b"\xfe\xff" + b(std()), "E_POLICY_FIELD_NAME", flags=["R7-Bom"]),
        pbad("a policy encoded in UTF-16LE", BOM.encode("utf-16-le") + std().encode("utf-16-le"),
             "E_POLICY_FIELD_NAME", flags=["R7-Bom"]),
        pok("WSP at the end of the body without a terminator",
            std(final=False) + " \t", flags=["Abnf-Whitespace"]),
        pok("many spaces and tabs after every \":\"",
            "version: \t STSv1\nmode:\t\t\tenforce\nmx:      mail.example.com\n"
            "max_age:\t 604800\n", flags=["Abnf-Whitespace"]),
        pbad("space before \":\" (real-world: mailauth lax mode accepts it)",
             std(mode="mode : enforce"), "E_POLICY_EXPECTED_COLON", flags=["Abnf-Whitespace"]),
        pbad("tab before \":\"", std(mode="mode\t: enforce"), "E_POLICY_EXPECTED_COLON",
             flags=["Abnf-Whitespace"]),
    ])


def names():
    return Section(300, "strict", "field names", [
        pbad("Version: is not version (an extension), so version is missing",
             std(version="Version: STSv1"), "E_POLICY_MISSING_VERSION",
             flags=["Abnf-CaseSensitive", "Abnf-Required"]),
        pbad("VERSION: is not version", std(version="VERSION: STSv1"),
             "E_POLICY_MISSING_VERSION", flags=["Abnf-CaseSensitive", "Abnf-Required"]),
        pbad("Mode: is not mode (real-world: mailauth lax mode accepts MODE:)",
             std(mode="Mode: enforce"), "E_POLICY_MISSING_MODE",
             flags=["Abnf-CaseSensitive", "Abnf-Required"]),
        pbad("MODE: is not mode (real-world: mailauth strict test)", std(mode="MODE: enforce"),
             "E_POLICY_MISSING_MODE", flags=["Abnf-CaseSensitive", "Abnf-Required"]),
        pbad("MX: is not mx, and enforce needs an mx", std(mx=("MX: mail.example.com",)),
             "E_POLICY_MISSING_MX", flags=["Abnf-CaseSensitive", "Abnf-Required"]),
        pbad("Max_Age: is not max_age", std(max_age="Max_Age: 604800"),
             "E_POLICY_MISSING_MAX_AGE", flags=["Abnf-CaseSensitive", "Abnf-Required"]),
        pbad("max-age: (HSTS spelling) is not max_age", std(max_age="max-age: 604800"),
             "E_POLICY_MISSING_MAX_AGE", flags=["Abnf-Required"]),
        pbad("maxage: is not max_age", std(max_age="maxage: 604800"),
             "E_POLICY_MISSING_MAX_AGE", flags=["Abnf-Required"]),
        pok("Mode: is an extension beside the real mode",
            pol("version: STSv1", "Mode: testing", "mode: enforce", "mx: mail.example.com",
                "max_age: 604800"), flags=["Abnf-CaseSensitive"]),
        pok("MX: under mode none is just an extension",
            std(mode="mode: none", mx=("MX: mail.example.com",)), pexp("none", mx=[]),
            flags=["Abnf-CaseSensitive"]),
        pok("32-character extension name", std(extra=(NAME32 + ": 1",)),
            flags=["Abnf-ExtName"]),
        pbad("33-character extension name (real-world: mox parse_test)",
             std(extra=("a12345678901234567890123456789012:123",)), "E_POLICY_FIELD_NAME",
             flags=["Abnf-ExtName"]),
        pbad("extension name starting with _ (real-world: mox parse_test)",
             std(extra=("_bad: test",)), "E_POLICY_FIELD_NAME", flags=["Abnf-ExtName"]),
        pbad("extension name starting with -", std(extra=("-x: y",)), "E_POLICY_FIELD_NAME",
             flags=["Abnf-ExtName"]),
        pbad("extension name starting with .", std(extra=(".x: y",)), "E_POLICY_FIELD_NAME",
             flags=["Abnf-ExtName"]),
        pok("extension name with _ - . and digits after the first character",
            std(extra=("foo.bar-baz_1: x", "x9: y")),
            flags=["Abnf-ExtName", "R11-ExtNameTypo"]),
        pok("extension name starting with a digit", std(extra=("1foo: x",)),
            flags=["Abnf-ExtName", "R11-ExtNameTypo"]),
        pok("extension name of letters then digits only (sta-policy-alphanum)",
            std(extra=("abc123XYZ: x",)), flags=["Abnf-ExtName", "R11-ExtNameTypo"]),
        pbad("a line without a colon (real-world: mailauth ignores it)",
             std(extra=("this is not a field",)), "E_POLICY_EXPECTED_COLON", flags=[PF]),
        pbad("a bare word line (real-world: checkdmarc test)",
             "version: STSv1\r\nnot_a_pair\r\n", "E_POLICY_EXPECTED_COLON", flags=[PF]),
        pbad("a line with an empty name", std(extra=(": value",)), "E_POLICY_FIELD_NAME",
             flags=[PF]),
        pbad("name=value instead of name: value", std(mode="mode=enforce"),
             "E_POLICY_EXPECTED_COLON", flags=[PF]),
        pbad("a space instead of \":\"", std(version="version STSv1"),
             "E_POLICY_EXPECTED_COLON", flags=[PF]),
        pbad("a name alone at the end", std() + "version", "E_POLICY_EXPECTED_COLON",
             flags=[PF]),
        pbad("non-ASCII letter in a name", std(extra=("v\u00e9rsion: x",)),
             "E_POLICY_EXPECTED_COLON", flags=["Abnf-ExtName"]),
    ])


def values():
    return Section(400, "strict", "version and mode values", [
        pbad("version STSv2 (real-world: mox parse_test)", std(version="version: STSv2"),
             "E_POLICY_VERSION", flags=[PV, R4]),
        pbad("version STSv0 (real-world: mox parse_test)", std(version="version: STSv0"),
             "E_POLICY_VERSION", flags=[PV, R4]),
        pbad("version STSv10 (real-world: mox parse_test)", std(version="version: STSv10"),
             "E_POLICY_VERSION", flags=[PV, R4]),
        pbad("version stsv1 (real-world: mailauth test)", std(version="version: stsv1"),
             "E_POLICY_VERSION", flags=[PV, R4, "Abnf-CaseSensitive"]),
        pbad("version STSV1", std(version="version: STSV1"), "E_POLICY_VERSION",
             flags=[PV, R4, "Abnf-CaseSensitive"]),
        pbad("version STSv1.0", std(version="version: STSv1.0"), "E_POLICY_VERSION",
             flags=[PV, R4]),
        pbad("version 1", std(version="version: 1"), "E_POLICY_VERSION", flags=[PV, R4]),
        pbad("version \"STSv1\" in quotes", std(version="version: \"STSv1\""),
             "E_POLICY_VERSION", flags=[PV, R4]),
        pbad("version STSv1 then a word", std(version="version: STSv1 x"), "E_POLICY_VERSION",
             flags=[PV, R4]),
        pbad("version STSv1 then NBSP (not WSP)", std(version="version: STSv1\u00a0"),
             "E_POLICY_VERSION", flags=[PV, R4]),
        pbad("empty version", std(version="version:"), "E_POLICY_VALUE_EMPTY", flags=[PV]),
        pbad("version with only spaces", std(version="version:   "), "E_POLICY_VALUE_EMPTY",
             flags=[PV]),
        pbad("version with only a tab", std(version="version:\t"), "E_POLICY_VALUE_EMPTY",
             flags=[PV]),
        pbad("mode Enforce (real-world: mailauth lax mode accepts ENFORCE)",
             std(mode="mode: Enforce"), "E_POLICY_MODE", flags=[PV, R4, "Abnf-CaseSensitive"]),
        pbad("mode ENFORCE (real-world: mailauth strict test)", std(mode="mode: ENFORCE"),
             "E_POLICY_MODE", flags=[PV, R4, "Abnf-CaseSensitive"]),
        pbad("mode Testing", std(mode="mode: Testing"), "E_POLICY_MODE",
             flags=[PV, R4, "Abnf-CaseSensitive"]),
        pbad("mode None", std(mode="mode: None", mx=()), "E_POLICY_MODE",
             flags=[PV, R4, "Abnf-CaseSensitive"]),
        pbad("mode reject (real-world: mailauth test)", std(mode="mode: reject"),
             "E_POLICY_MODE", flags=[PV, R4]),
        pbad("mode report (an old draft's value)", std(mode="mode: report"), "E_POLICY_MODE",
             flags=[PV, R4]),
        pbad("mode bad (real-world: mox parse_test)", std(mode="mode: bad"), "E_POLICY_MODE",
             flags=[PV, R4]),
        pbad("mode enforced", std(mode="mode: enforced"), "E_POLICY_MODE", flags=[PV, R4]),
        pbad("mode enforc", std(mode="mode: enforc"), "E_POLICY_MODE", flags=[PV, R4]),
        pbad("mode non", std(mode="mode: non", mx=()), "E_POLICY_MODE", flags=[PV, R4]),
        pbad("mode enforce; (TXT habit)", std(mode="mode: enforce;"), "E_POLICY_MODE",
             flags=[PV, R4]),
        pbad("two modes on one line", std(mode="mode: testing,enforce"), "E_POLICY_MODE",
             flags=[PV, R4]),
        pbad("mode with an inner space", std(mode="mode: en force"), "E_POLICY_MODE",
             flags=[PV, R4]),
        pbad("mode then NBSP", std(mode="mode: enforce\u00a0"), "E_POLICY_MODE",
             flags=[PV, R4]),
        pbad("empty mode", std(mode="mode:"), "E_POLICY_VALUE_EMPTY", flags=[PV]),
        pok("mode value followed by spaces and tabs", std(mode="mode: testing \t "),
            pexp("testing"), flags=[PV, "Abnf-Whitespace"]),
    ])


R5R, R5B, R5Z = "R5-MaxAgeRange", "R5-MaxAge64Bit", "R5-MaxAgeLeadingZeros"


def age_ok(c, v, n, flags=()):
    return pok(c, std(max_age="max_age: " + v), pexp(max_age=n), flags=[MA, *flags])


def age_bad(c, v, hint, flags=()):
    return pbad(c, std(max_age="max_age: " + v), hint, flags=[MA, *flags])


def ages():
    return Section(500, "strict", "max_age (R5)", [
        age_ok("max_age 0 (real-world: mailauth test)", "0", 0, ["R14-MaxAgeZero"]),
        age_ok("max_age 1", "1", 1),
        age_ok("max_age one day", "86400", 86400),
        age_ok("max_age 31557600, the maximum (real-world: mailauth test)", "31557600",
               31557600, [R5R]),
        age_bad("max_age 31557601 (real-world: mailauth test)", "31557601",
                "E_POLICY_MAX_AGE_RANGE", [R5R, "L4-MaxAgeClamp"]),
        age_bad("max_age 99999999 (real-world: checkdmarc test)", "99999999",
                "E_POLICY_MAX_AGE_RANGE", [R5R, "L4-MaxAgeClamp"]),
        age_bad("max_age 2^31-1", "2147483647", "E_POLICY_MAX_AGE_RANGE",
                [R5R, R5B, "L4-MaxAgeClamp"]),
        age_bad("max_age 2^31 (real-world: mox parses max_age into 32 bits)", "2147483648",
                "E_POLICY_MAX_AGE_RANGE", [R5R, R5B, "L4-MaxAgeClamp"]),
        age_bad("max_age 2^32-1", "4294967295", "E_POLICY_MAX_AGE_RANGE",
                [R5R, R5B, "L4-MaxAgeClamp"]),
        age_bad("max_age 2^32 (wraps to 0 in 32 bits)", "4294967296", "E_POLICY_MAX_AGE_RANGE",
                [R5R, R5B, "L4-MaxAgeClamp"]),
        age_bad("max_age 2^32 + 31557600 (wraps into range in 32 bits)", "4326524896",
                "E_POLICY_MAX_AGE_RANGE", [R5R, R5B, "L4-MaxAgeClamp"]),
        age_bad("max_age 9999999999: the largest 10-digit value", "9999999999",
                "E_POLICY_MAX_AGE_RANGE", [R5R, R5B, "L4-MaxAgeClamp"]),
        age_bad("max_age of 11 digits", "10000000000", "E_POLICY_MAX_AGE", [R5B]),
        age_bad("max_age of 11 digits with a leading zero (real-world: mox parse_test)",
                "01234567890", "E_POLICY_MAX_AGE", [R5Z]),
        age_bad("11 digits that are 60 (real-world: mailauth strict test; its lax mode "
                "accepts it)", "00000000060", "E_POLICY_MAX_AGE", [R5Z]),
        age_ok("10 digits that are 60 (real-world: mailauth strict test)", "0000000060", 60,
               [R5Z]),
        age_ok("10 zeros", "0000000000", 0, [R5Z, "R14-MaxAgeZero"]),
        age_ok("31557600 with two leading zeros (10 digits)", "0031557600", 31557600,
               [R5Z, R5R]),
        age_bad("31557601 with a leading zero", "031557601", "E_POLICY_MAX_AGE_RANGE",
                [R5Z, R5R, "L4-MaxAgeClamp"]),
        age_bad("negative (real-world: checkdmarc test)", "-1", "E_POLICY_MAX_AGE"),
        age_bad("minus zero (real-world: mailauth strict test)", "-0", "E_POLICY_MAX_AGE"),
        age_bad("plus sign (real-world: checkdmarc, mailauth tests)", "+5", "E_POLICY_MAX_AGE"),
        age_bad("exponent (real-world: mailauth lax mode reads 1000)", "1e3",
                "E_POLICY_MAX_AGE"),
        age_bad("hexadecimal (real-world: mailauth lax mode reads 16)", "0x10",
                "E_POLICY_MAX_AGE"),
        age_bad("decimal point (real-world: mailauth lax mode reads 12.5)", "12.5",
                "E_POLICY_MAX_AGE"),
        age_bad("decimal fraction (real-world: checkdmarc test)", "86400.5", "E_POLICY_MAX_AGE"),
        age_bad("digit separator (real-world: checkdmarc test; Python int() accepts it)",
                "1_000", "E_POLICY_MAX_AGE"),
        age_bad("letters (real-world: mox, checkdmarc tests)", "abc", "E_POLICY_MAX_AGE"),
        age_bad("digits with a space (real-world: mailauth strict test)", "5 5",
                "E_POLICY_MAX_AGE"),
        age_bad("a unit suffix", "86400s", "E_POLICY_MAX_AGE"),
        age_bad("a trailing comment", "86400 # one day", "E_POLICY_MAX_AGE"),
        age_bad("fullwidth digits", "\uff18\uff16\uff14\uff10\uff10", "E_POLICY_MAX_AGE"),
        age_bad("Arabic-Indic digits", "\u0668\u0666\u0664", "E_POLICY_MAX_AGE"),
        pbad("empty max_age (real-world: mailauth lax mode reads 0)",
             std(max_age="max_age:"), "E_POLICY_VALUE_EMPTY", flags=[MA]),
        pbad("max_age with only spaces", std(max_age="max_age:  "), "E_POLICY_VALUE_EMPTY",
             flags=[MA]),
        age_ok("max_age followed by WSP", "86400 \t", 86400, ["Abnf-Whitespace"]),
    ])


R12L, R12D = "R12-MxLengthLimits", "R12-MxTrailingDot"
HOST63 = LABEL63 + ".example"
NAME253 = name_of_length(253)
NAME254 = name_of_length(254)
WILD253 = "*." + name_of_length(251)
WILD254 = "*." + name_of_length(252)


def mx_ok(c, pattern, flags=()):
    return pok(c, std(mx=("mx: " + pattern,)), pexp(mx=[pattern]), flags=[MX, *flags])


def mx_bad(c, pattern, hint, flags=()):
    return pbad(c, std(mx=("mx: " + pattern,)), hint, flags=[MX, R4, *flags])


def mx_acc(c, pattern, hint, flags=()):
    return pacc_bad(c, std(mx=("mx: " + pattern,)), hint, flags=[MX, *flags])


def mxs():
    return Section(600, "strict", "mx patterns", mx_patterns_ok() + mx_patterns_bad() + mx_lines())


def mx_patterns_ok():
    """Patterns of the mx production, up to the length limits (R12)."""
    return [
        mx_ok("wildcard pattern", "*.example.net"),
        mx_ok("single-label name", "localhost"),
        mx_ok("wildcard over a top-level domain", "*.com"),
        mx_ok("upper-case pattern kept as written", "MAIL.EXAMPLE.COM"),
        mx_ok("A-label (real-world: mailauth strict test)", "xn--mnchen-3ya.example",
              ["Abnf-MxALabel"]),
        mx_ok("all-digit labels are RFC 5321 Domain syntax (real-world: postfix-tlspol#70 "
              "saw an IP address in mx)", "212.114.86.56"),
        mx_ok("one-character labels", "a.b.c"),
        mx_ok("inner double hyphen", "a--b.example"),
        mx_ok("digit labels with an inner hyphen", "0-0.example"),
        mx_ok("many labels", "a.b.c.d.e.f.g.example"),
        mx_ok("63-octet label", HOST63, [R12L]),
        mx_ok("wildcard with a 63-octet label", "*." + HOST63, [R12L]),
        mx_ok("253-octet name", NAME253, [R12L]),
        mx_ok("253-octet wildcard pattern (the \"*.\" counts)", WILD253, [R12L]),
        mx_acc("64-octet label", LABEL64 + ".example", "E_POLICY_MX_LABEL_TOO_LONG", [R12L]),
        mx_acc("wildcard with a 64-octet label", "*." + LABEL64 + ".example",
               "E_POLICY_MX_LABEL_TOO_LONG", [R12L]),
        mx_acc("254-octet name", NAME254, "E_POLICY_MX_TOO_LONG", [R12L]),
        mx_acc("254-octet wildcard pattern (252 octets after \"*.\")", WILD254,
               "E_POLICY_MX_TOO_LONG", [R12L]),
    ]


def mx_patterns_bad():
    """Patterns outside the mx production: the policy is invalid (R4)."""
    return [
        mx_bad("trailing dot (real-world: mailauth lax mode accepts it)", "mail.example.com.",
               "E_POLICY_MX_TRAILING_DOT", [R12D]),
        mx_bad("wildcard with a trailing dot", "*.example.com.", "E_POLICY_MX_TRAILING_DOT",
               [R12D]),
        mx_bad("wildcard inside the first label (real-world: mailauth test)",
               "foo*.example.com", "E_POLICY_MX_SYNTAX"),
        mx_bad("two wildcard labels (real-world: mox, mailauth tests)", "*.*.example.com",
               "E_POLICY_MX_SYNTAX"),
        mx_bad("double star (real-world: mox parse_test)", "**.example", "E_POLICY_MX_SYNTAX"),
        mx_bad("double star and a trailing hyphen (real-world: mox parse_test)", "**.example-",
               "E_POLICY_MX_SYNTAX"),
        mx_bad("label ending in a hyphen (real-world: mox parse_test)", "test.example-",
               "E_POLICY_MX_SYNTAX"),
        mx_bad("label starting with a hyphen (real-world: mailauth test)",
               "-mail.example.com", "E_POLICY_MX_SYNTAX"),
        mx_bad("label ending in a hyphen", "mail-.example.com", "E_POLICY_MX_SYNTAX"),
        mx_bad("underscore (real-world: mailauth test)", "mail_x.example.com",
               "E_POLICY_MX_SYNTAX"),
        mx_bad("U-label (real-world: mailauth, mox tests)", "m\u00fcnchen.example",
               "E_POLICY_MX_SYNTAX", ["Abnf-MxALabel"]),
        mx_bad("wildcard in a middle label (real-world: checkdmarc test)",
               "mail.*.example.com", "E_POLICY_MX_SYNTAX"),
        mx_bad("wildcard without its dot (real-world: checkdmarc test)", "*example.com",
               "E_POLICY_MX_SYNTAX"),
        mx_bad("dots and hyphens only (real-world: checkdmarc test)", "..--",
               "E_POLICY_MX_SYNTAX"),
        mx_bad("empty label", "mail..example.com", "E_POLICY_MX_SYNTAX"),
        mx_bad("leading dot (an old draft's suffix syntax, mrisher/smtp-sts#155)",
               ".example.net", "E_POLICY_MX_SYNTAX"),
        mx_bad("a star alone", "*", "E_POLICY_MX_SYNTAX"),
        mx_bad("\"*.\" alone", "*.", "E_POLICY_MX_SYNTAX"),
        mx_bad("a dot alone", ".", "E_POLICY_MX_SYNTAX"),
        mx_bad("NUL inside an mx value", "a\x00b.example", "E_NUL", ["Nul"]),
        mx_bad("a tab inside an mx value", "a\tb.example", "E_POLICY_MX_SYNTAX"),
        mx_bad("not a host name (real-world: checkdmarc test)", "not a hostname!",
               "E_POLICY_MX_SYNTAX"),
        mx_bad("address literal", "[192.0.2.1]", "E_POLICY_MX_SYNTAX"),
        mx_bad("a port", "mail.example.com:25", "E_POLICY_MX_SYNTAX"),
        mx_bad("two patterns on one line with a comma", "a.example, b.example",
               "E_POLICY_MX_SYNTAX"),
        mx_bad("two patterns on one line with a space", "a.example b.example",
               "E_POLICY_MX_SYNTAX"),
        mx_bad("a URL", "https://mail.example.com", "E_POLICY_MX_SYNTAX"),
        mx_bad("an e-mail address", "postmaster@example.com", "E_POLICY_MX_SYNTAX"),
        mx_bad("wildcard then a label starting with a hyphen", "*.-a.example",
               "E_POLICY_MX_SYNTAX"),
        mx_bad("quoted pattern", "\"mail.example.com\"", "E_POLICY_MX_SYNTAX"),
    ]


def mx_lines():
    """Empty mx values, a bad mx beside good ones (R12), names near the known ones."""
    return [
        pbad("empty mx (real-world: mox parse_test)", std(mx=("mx:",)), "E_POLICY_VALUE_EMPTY",
             flags=[MX]),
        pbad("mx with only spaces", std(mx=("mx:   ",)), "E_POLICY_VALUE_EMPTY", flags=[MX]),
        pacc_bad("mode none and a bad mx: the ABNF reading ignores the line",
                 std(mode="mode: none", mx=("mx: bad_host.example.com",)),
                 "E_POLICY_MX_SYNTAX", flags=[MX, R4]),
        pacc_bad("a good mx then a bad one: mox rejects, the ABNF reading ignores it",
                 std(mx=("mx: mail.example.com", "mx: bad_host.example.com")),
                 "E_POLICY_MX_SYNTAX", flags=[MX, R4]),
        pacc_bad("a bad mx then a good one", std(mx=("mx: -bad.example", "mx: good.example")),
                 "E_POLICY_MX_SYNTAX", flags=[MX, R4]),
        pacc_bad("a good mx then one with a trailing dot",
                 std(mx=("mx: a.example", "mx: a.example.")), "E_POLICY_MX_TRAILING_DOT",
                 flags=[MX, R4, R12D]),
        pacc_bad("mode none and a 64-octet label",
                 std(mode="mode: none", mx=("mx: " + LABEL64 + ".example",)),
                 "E_POLICY_MX_LABEL_TOO_LONG", flags=[MX, R4, R12L]),
        pok("my: is an extension, not mx", std(extra=("my: mail.example.com",)),
            flags=["Abnf-ExtName"]),
        pok("modx: is an extension, not mode", std(extra=("modx: none",)),
            flags=["Abnf-ExtName"]),
        pok("versioX: is an extension, not version", std(extra=("versioX: STSv2",)),
            flags=["Abnf-ExtName"]),
        pok("max_agX: is an extension, not max_age", std(extra=("max_agX: x",)),
            flags=["Abnf-ExtName"]),
        pbad("mx then a space before \":\"", std(mx=("mx : mail.example.com",)),
             "E_POLICY_EXPECTED_COLON", flags=[PF, "Abnf-Whitespace"]),
        pbad("mx= instead of mx:", std(mx=("mx= mail.example.com",)),
             "E_POLICY_EXPECTED_COLON", flags=[PF]),
    ]


R10V, R10I, R10T = "R10-Utf8Valid", "R10-Utf8Invalid", "R10-HtabInValue"
EV = "Abnf-ExtValue"


def ext_ok(c, value, flags=()):
    return pok(c, b(std()) + b"ext: " + b(value) + b"\n", flags=[EV, *flags])


def ext_bad(c, value, hint, flags=()):
    return pbad(c, b(std()) + b"ext: " + b(value) + b"\n", hint, flags=[EV, *flags])


def exts():
    return Section(700, "strict", "extension values and UTF-8 (R10)",
                   ext_values_ok() + ext_values_bad() + ext_values_edges())


def ext_values_ok():
    """Values the production allows: visible ASCII, inner WSP, any UTF-8 character (R10)."""
    return [
        ext_ok("one character", "a"),
        ext_ok("the lowest visible character \"!\"", "!"),
        ext_ok("the highest visible character \"~\"", "~"),
        ext_ok("\":\", \";\" and \"=\" are fine in policy values", ":;=a=b;c:d"),
        ext_ok("inner spaces", "a b  c"),
        ext_ok("trailing spaces are WSP after the field", "abc   "),
        ext_ok("a trailing tab is WSP after the field (real-world: mox fuzz seed calls it "
               "invalid)", "a\t"),
        ext_ok("every visible ASCII character", "".join(chr(c) for c in range(0x21, 0x7F))),
        ext_ok("C1 control U+0080, lowest two-byte character", "\u0080", [R10V]),
        ext_ok("C1 control NEL U+0085", "x\u0085y", [R10V]),
        ext_ok("C1 control U+009F", "\u009f", [R10V]),
        ext_ok("NBSP at both ends (a Unicode space is vchar, not SP)", "\u00a0x\u00a0",
               [R10V]),
        ext_ok("U+07FF, highest two-byte character", "\u07ff", [R10V]),
        ext_ok("U+0800, lowest three-byte character", "\u0800", [R10V]),
        ext_ok("U+D7FF, just below the surrogates", "\ud7ff", [R10V]),
        ext_ok("U+E000, just above the surrogates", "\ue000", [R10V]),
        ext_ok("U+2028 LINE SEPARATOR inside a value", "a\u2028b", [R10V]),
        ext_ok("U+3000 IDEOGRAPHIC SPACE alone", "\u3000", [R10V]),
        ext_ok("U+FEFF (a BOM) inside a value", "a\ufeffb", [R10V]),
        ext_ok("U+FFFF, highest three-byte character", "\uffff", [R10V]),
        ext_ok("U+10000, lowest four-byte character", "\U00010000", [R10V]),
        ext_ok("an emoji", "\U0001f600", [R10V]),
        ext_ok("U+10FFFF, the highest code point", "\U0010ffff", [R10V]),
        ext_ok("Japanese text", "\u65e5\u672c\u8a9e", [R10V]),
    ]


def ext_values_bad():
    """Control characters (R10) and malformed UTF-8: overlong, surrogate, too high, cut."""
    return [
        ext_bad("a tab between characters", "a\tb", "E_POLICY_VALUE_CHAR", [R10T]),
        ext_bad("0x01 inside a value", "a\x01b", "E_POLICY_VALUE_CHAR", [R10T]),
        ext_bad("0x1F inside a value", "a\x1fb", "E_POLICY_VALUE_CHAR", [R10T]),
        ext_bad("vertical tab inside a value", "a\x0bb", "E_POLICY_VALUE_CHAR", [R10T]),
        ext_bad("form feed inside a value", "a\x0cb", "E_POLICY_VALUE_CHAR", [R10T]),
        ext_bad("DEL (0x7F) alone", "\x7f", "E_POLICY_VALUE_CHAR", [R10T]),
        ext_bad("ESC sequence (terminal colours)", "\x1b[31mred", "E_POLICY_VALUE_CHAR",
                [R10T]),
        ext_bad("overlong \"/\" (C0 AF)", b"\xc0\xaf", "E_POLICY_VALUE_UTF8", [R10I]),
        ext_bad("overlong two-byte (C1 BF)", b"\xc1\xbf", "E_POLICY_VALUE_UTF8", [R10I]),
        ext_bad("overlong three-byte \"/\" (E0 80 AF)", b"\xe0\x80\xaf", "E_POLICY_VALUE_UTF8",
                [R10I]),
        ext_bad("overlong three-byte U+07FF (E0 9F BF)", b"\xe0\x9f\xbf",
                "E_POLICY_VALUE_UTF8", [R10I]),
        ext_bad("overlong four-byte (F0 80 80 AF)", b"\xf0\x80\x80\xaf", "E_POLICY_VALUE_UTF8",
                [R10I]),
        ext_bad("overlong four-byte U+FFFF (F0 8F BF BF)", b"\xf0\x8f\xbf\xbf",
                "E_POLICY_VALUE_UTF8", [R10I]),
        ext_bad("surrogate U+D800 (ED A0 80)", b"\xed\xa0\x80", "E_POLICY_VALUE_UTF8", [R10I]),
        ext_bad("surrogate U+DFFF (ED BF BF)", b"\xed\xbf\xbf", "E_POLICY_VALUE_UTF8", [R10I]),
        ext_bad("CESU-8 surrogate pair for an emoji", b"\xed\xa0\xbd\xed\xb8\x80",
                "E_POLICY_VALUE_UTF8", [R10I]),
        ext_bad("U+110000 (F4 90 80 80), above the last code point", b"\xf4\x90\x80\x80",
                "E_POLICY_VALUE_UTF8", [R10I]),
        ext_bad("F5 lead byte", b"\xf5\x80\x80\x80", "E_POLICY_VALUE_UTF8", [R10I]),
        ext_bad("F7 BF BF BF (old 4-byte range)", b"\xf7\xbf\xbf\xbf", "E_POLICY_VALUE_UTF8",
                [R10I]),
        ext_bad("five-byte sequence", b"\xf8\x88\x80\x80\x80", "E_POLICY_VALUE_UTF8", [R10I]),
        ext_bad("six-byte sequence", b"\xfc\x84\x80\x80\x80\x80", "E_POLICY_VALUE_UTF8",
                [R10I]),
        ext_bad("FE byte", b"a\xfe", "E_POLICY_VALUE_UTF8", [R10I]),
        ext_bad("FF byte", b"a\xff", "E_POLICY_VALUE_UTF8", [R10I]),
        ext_bad("truncated two-byte sequence before LF", b"\xc3", "E_POLICY_VALUE_UTF8",
                [R10I]),
        ext_bad("truncated three-byte sequence before LF", b"\xe2\x82", "E_POLICY_VALUE_UTF8",
                [R10I]),
        ext_bad("truncated four-byte sequence before LF", b"\xf0\x9f\x98",
                "E_POLICY_VALUE_UTF8", [R10I]),
        ext_bad("truncated sequence followed by a space and a letter", b"\xc3 x",
                "E_POLICY_VALUE_UTF8", [R10I]),
        pbad("truncated sequence at the very end of the body",
             b(std()) + b"ext: \xe2\x82", "E_POLICY_VALUE_UTF8", flags=[EV, R10I]),
        ext_bad("stray continuation byte 0x80", b"\x80", "E_POLICY_VALUE_UTF8", [R10I]),
        ext_bad("stray continuation byte 0xBF between letters", b"a\xbfb",
                "E_POLICY_VALUE_UTF8", [R10I]),
        ext_bad("Latin-1 text (a policy saved in ISO-8859-1)", b"caf\xe9",
                "E_POLICY_VALUE_UTF8", [R10I]),
        ext_bad("NUL inside a value", b"a\x00b", "E_NUL", ["Nul"]),
    ]


def ext_values_edges():
    """Empty values; a sequence cut by DEL; a multi-byte character last in a value."""
    return [
        pbad("empty extension value (real-world: mox parse_test)", std(extra=("ext:",)),
             "E_POLICY_VALUE_EMPTY", flags=[EV]),
        pbad("extension value of spaces only", std(extra=("ext:   ",)),
             "E_POLICY_VALUE_EMPTY", flags=[EV]),
        pbad("extension value of a tab only", std(extra=("ext:\t",)), "E_POLICY_VALUE_EMPTY",
             flags=[EV]),
        ext_bad("C2 7F: a two-byte lead then DEL (below the continuation range)", b"a\xc2\x7f",
                "E_POLICY_VALUE_UTF8", [R10I]),
        ext_bad("E1 80 7F: a three-byte sequence whose last byte is DEL", b"a\xe1\x80\x7f",
                "E_POLICY_VALUE_UTF8", [R10I]),
        ext_bad("F1 80 80 7F: a four-byte sequence whose last byte is DEL",
                b"a\xf1\x80\x80\x7f", "E_POLICY_VALUE_UTF8", [R10I]),
        ext_ok("DF BF (U+07FF) as the last character of a value", "a\u07ff", [R10V]),
        ext_ok("F4 8F BF BF (U+10FFFF) as the last character of a value", "a\U0010ffff",
               [R10V]),
    ]


R17D, R17M = "R17-DuplicateFirstWins", "R17-FirstModeDecidesMx"


def dups():
    return Section(800, "strict", "duplicates and required fields (R4, R17)",
                   duplicate_fields() + required_fields())


def duplicate_fields():
    """A field twice: the first wins, a later one only has to parse (R4, R17)."""
    return [
        pok("mode twice: the first wins (real-world: mailauth, checkdmarc tests; "
            "postfix-mta-sts-resolver keeps the last)",
            pol("version: STSv1", "mode: testing", "mode: enforce", "mx: a.example",
                "max_age: 60"), pexp("testing", 60, ["a.example"]), flags=[R17D], warn=[DUP]),
        pok("a later mode none is ignored (real-world: mailauth test)",
            std(extra=("mode: none",)), flags=[R17D], warn=[DUP]),
        pok("a later max_age is ignored (real-world: mailauth test)",
            std(extra=("max_age: 1",)), flags=[R17D], warn=[DUP]),
        pok("a later version STSv2 is ignored (real-world: mailauth test)",
            std(extra=("version: STSv2",)), flags=[R17D], warn=[DUP]),
        pok("a later max_age of 11 digits only has to be an extension value",
            std(extra=("max_age: 99999999999",)), flags=[R17D, "R3-DuplicateMustParse"],
            warn=[DUP]),
        pok("a later max_age above the limit is not range-checked",
            std(extra=("max_age: 31557601",)), flags=[R17D], warn=[DUP]),
        pok("a later mode with any visible value is ignored", std(extra=("mode: whatever",)),
            flags=[R17D, "R3-DuplicateMustParse"], warn=[DUP]),
        pok("three versions: two warnings",
            std(extra=("version: STSv1", "version: STSv3")), flags=[R17D], warn=[DUP, DUP]),
        pok("a duplicate extension: the first wins", std(extra=("foo: 1", "foo: 2")),
            flags=[R17D], warn=[DUP]),
        pacc_bad("version STSv2 then STSv1 (real-world: mailauth test rejects it)",
                 "version: STSv2\r\n" + std(eol="\r\n"), "E_POLICY_VERSION",
                 flags=[R4, R17D]),
        pacc_bad("mode bogus then mode enforce (the example of ruling R4)",
                 pol("version: STSv1", "mode: bogus", "mode: enforce", "mx: mail.example.com",
                     "max_age: 604800"), "E_POLICY_MODE", flags=[R4, R17D]),
        pacc_bad("max_age abc then a good max_age",
                 std(max_age="max_age: abc", extra=("max_age: 86400",)), "E_POLICY_MAX_AGE",
                 flags=[R4, R17D]),
        pacc_bad("max_age of 11 digits then a good max_age",
                 std(max_age="max_age: 99999999999", extra=("max_age: 86400",)),
                 "E_POLICY_MAX_AGE", flags=[R4, R17D]),
        pok("mode none first, then enforce, no mx: valid (the first mode decides)",
            pol("version: STSv1", "mode: none", "mode: enforce", "max_age: 86400"),
            pexp("none", 86400, []), flags=[R17M, R17D], warn=[DUP]),
        pbad("mode enforce first, then none, no mx: mx is required",
             pol("version: STSv1", "mode: enforce", "mode: none", "max_age: 86400"),
             "E_POLICY_MISSING_MX", flags=[R17M, R17D]),
        pbad("mode testing first, then none, no mx",
             pol("version: STSv1", "mode: testing", "mode: none", "max_age: 86400"),
             "E_POLICY_MISSING_MX", flags=[R17M, R17D]),
        pbad("a later empty mode is not grammatical", std(extra=("mode:",)),
             "E_POLICY_VALUE_EMPTY", flags=["R3-DuplicateMustParse"]),
        pbad("a later mode with a tab inside is not grammatical", std(extra=("mode: a\tb",)),
             "E_POLICY_VALUE_CHAR", flags=["R3-DuplicateMustParse", "R10-HtabInValue"]),
        pbad("a later version with invalid UTF-8 is not grammatical",
             b(std()) + b"version: \xff\n", "E_POLICY_VALUE_UTF8",
             flags=["R3-DuplicateMustParse", "R10-Utf8Invalid"]),
        pbad("a later empty extension is not grammatical", std(extra=("foo: 1", "foo:")),
             "E_POLICY_VALUE_EMPTY", flags=["R3-DuplicateMustParse"]),
    ]


def required_fields():
    """Required fields missing; mx is required unless mode is none."""
    return [
        pbad("no version (real-world: mailauth, checkdmarc tests)", std(version=None),
             "E_POLICY_MISSING_VERSION", flags=["Abnf-Required"]),
        pbad("no version, mode none (real-world: mox parse_test)", "max_age:0\nmode:none",
             "E_POLICY_MISSING_VERSION", flags=["Abnf-Required"]),
        pbad("no mode (real-world: mailauth test)", std(mode=None), "E_POLICY_MISSING_MODE",
             flags=["Abnf-Required"]),
        pbad("no mode, max_age before mx (real-world: mox parse_test)",
             "version:STSv1\nmax_age:0\nmx:example.com", "E_POLICY_MISSING_MODE",
             flags=["Abnf-Required"]),
        pbad("no max_age (real-world: mailauth test)", std(max_age=None),
             "E_POLICY_MISSING_MAX_AGE", flags=["Abnf-Required"]),
        pbad("no max_age, mode none (real-world: mox, checkdmarc tests)",
             "version: STSv1\r\nmode: none\r\n", "E_POLICY_MISSING_MAX_AGE",
             flags=["Abnf-Required"]),
        pbad("mode enforce without mx (real-world: mox, checkdmarc tests)",
             "version:STSv1\nmax_age:0\nmode:enforce", "E_POLICY_MISSING_MX",
             flags=["Abnf-Required"]),
        pbad("mode testing without mx (real-world: mox parse_test)",
             "version:STSv1\nmax_age:0\nmode:testing", "E_POLICY_MISSING_MX",
             flags=["Abnf-Required"]),
        pbad("empty body (real-world: mox, checkdmarc tests)", "", "E_EMPTY",
             flags=["Abnf-Required"]),
        pbad("only extensions: every required field is missing, version is named first",
             "foo: bar\nbaz: qux\n", "E_POLICY_MISSING_VERSION", flags=["Abnf-Required"]),
        pbad("only mode none: version is named first", "mode: none\n",
             "E_POLICY_MISSING_VERSION", flags=["Abnf-Required"]),
        pbad("only version and mode none: max_age is missing",
             "version: STSv1\nmode: none\n", "E_POLICY_MISSING_MAX_AGE",
             flags=["Abnf-Required"]),
    ]


def sizes():
    return Section(900, "strict", "size limit (R18)", [
        pok("a body of exactly 65536 octets", policy_of_size(65536), flags=["R18-PolicySize"]),
        pbad("a body of 65537 octets", policy_of_size(65537), "E_POLICY_TOO_LARGE",
             flags=["R18-PolicySize"]),
        pbad("65535 octets and a CRLF: the CR pushes the body to 65537",
             policy_of_size(65536)[:-1] + "\r\n", "E_POLICY_TOO_LARGE",
             flags=["R18-PolicySize"]),
        pbad("65537 octets of garbage: the size is checked first", "x" * 65537,
             "E_POLICY_TOO_LARGE", flags=["R18-PolicySize"]),
    ])


NP = "NotAPolicy"


def binary():
    return Section(1000, "strict", "bodies that are not policies", [
        pbad("an HTML page (real-world: mailauth test)",
             "<html><body>version: STSv1<br>\nmode: enforce\nmx: a.example\nmax_age: 60"
             "</body></html>", "E_POLICY_FIELD_NAME", flags=[NP]),
        pbad("a JSON policy from an old draft (mrisher/smtp-sts#155)",
             "{\n  \"version\": \"STSv1\",\n  \"mode\": \"enforce\",\n  \"mx\": "
             "[\"mail.example.com\"],\n  \"max_age\": 123456\n}\n", "E_POLICY_FIELD_NAME",
             flags=[NP]),
        pbad("a PNG image", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "E_POLICY_FIELD_NAME",
             flags=[NP]),
        pbad("gzip-compressed data", b"\x1f\x8b\x08\x00\x00\x00\x00\x00", "E_POLICY_FIELD_NAME",
             flags=[NP]),
        pbad("a single NUL", b"\x00", "E_NUL", flags=["Nul"]),
        pbad("sixteen NULs", b"\x00" * 16, "E_NUL", flags=["Nul"]),
        pbad("NUL inside a field name", b"ver\x00sion: STSv1\n", "E_NUL", flags=["Nul"]),
        pbad("NUL right after the colon", b"version:\x00STSv1\n", "E_NUL", flags=["Nul"]),
        pbad("NUL at the start of a line", b(std()) + b"\x00", "E_NUL", flags=["Nul"]),
        pbad("NUL as a line terminator: one long version value",
             b"version: STSv1\x00mode: none\x00max_age: 1", "E_POLICY_VERSION",
             flags=["Nul", R4]),
        pbad("a TXT record served as the policy", "v=STSv1; id=20160831085700Z;",
             "E_POLICY_EXPECTED_COLON", flags=[NP]),
    ])


LSR = "LenientStillRejects"
L1, L2, L3, L4 = ("L1-TrailingBlankLines", "L2-Bom", "L3-BlankLineBetweenFields",
                  "L4-MaxAgeClamp")


def lenient():
    return Section(5000, "lenient", "lenient profile",
                   trailing_blank_bom() + blank_between() + clamped_max_age() + still_rejected())


def trailing_blank_bom():
    """Lenient: blank lines after the last field (L1) and a UTF-8 BOM (L2)."""
    return [
        pok("lenient: a blank line after the last field", std() + "\n", flags=[L1],
            warn=[W_TRAIL]),
        pok("lenient: a CRLF blank line after the last field", std(eol="\r\n") + "\r\n",
            flags=[L1], warn=[W_TRAIL]),
        pok("lenient: three blank lines at the end (one warning)", std() + "\n\n\n",
            flags=[L1], warn=[W_TRAIL]),
        pok("lenient: whitespace-only lines at the end", std() + " \n\t\n", flags=[L1],
            warn=[W_TRAIL]),
        pok("lenient: spaces after the final terminator", std() + "  ", flags=[L1],
            warn=[W_TRAIL]),
        pok("lenient: a blank line, then spaces, at the end", std() + "\n  ", flags=[L1],
            warn=[W_TRAIL]),
        pok("lenient: CRLF whitespace-only line at the end", std(eol="\r\n") + " \r\n",
            flags=[L1], warn=[W_TRAIL]),
        pbad("lenient: a bare CR in the trailing blank lines", std() + "\n\r",
             "E_POLICY_BARE_CR", flags=[L1, LSR, "R6-BareCR"]),
        pbad("lenient: a blank line then a line without a colon is not trailing",
             std() + "\nx", "E_POLICY_EXPECTED_COLON", flags=[L3, LSR]),
        pok("lenient: UTF-8 BOM", BOM + pol(*RFC_POLICY_LINES), RFC_POLICY_EXP, flags=[L2],
            warn=[W_BOM]),
        pok("lenient: UTF-8 BOM, CRLF body", BOM + std(eol="\r\n"), flags=[L2], warn=[W_BOM]),
        pbad("lenient: two BOMs", BOM + BOM + std(), "E_POLICY_FIELD_NAME", flags=[L2, LSR]),
        pbad("lenient: a BOM then a blank line (not between fields)", BOM + "\n" + std(),
             "E_POLICY_BLANK_LINE", flags=[L2, LSR]),
        pbad("lenient: a BOM then leading WSP", BOM + " " + std(), "E_POLICY_LEADING_WSP",
             flags=[L2, LSR]),
        pbad("lenient: a BOM at the start of the second line",
             "version: STSv1\n" + BOM + "mode: enforce\nmx: mail.example.com\nmax_age: 604800\n",
             "E_POLICY_FIELD_NAME", flags=[L2, LSR]),
        pbad("lenient: a BOM and nothing else: every field is missing", BOM,
             "E_POLICY_MISSING_VERSION", flags=[L2, LSR]),
        pbad("lenient: UTF-16LE BOM", b"\xff\xfe" + b(std()), "E_POLICY_FIELD_NAME",
             flags=[L2, LSR]),
    ]


def blank_between():
    """Lenient: empty lines between fields (L3)."""
    return [
        pok("lenient: an empty line between fields",
            "version: STSv1\n\nmode: enforce\nmx: mail.example.com\nmax_age: 604800\n",
            flags=[L3], warn=[W_BLANK]),
        pok("lenient: a CRLF empty line between fields",
            "version: STSv1\r\n\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 604800\r\n",
            flags=[L3], warn=[W_BLANK]),
        pok("lenient: two empty lines between fields (one warning per line)",
            "version: STSv1\n\n\nmode: enforce\nmx: mail.example.com\nmax_age: 604800\n",
            flags=[L3], warn=[W_BLANK, W_BLANK]),
        pok("lenient: empty lines between several fields",
            "version: STSv1\n\nmode: enforce\n\nmx: mail.example.com\n\nmax_age: 604800\n",
            flags=[L3], warn=[W_BLANK, W_BLANK, W_BLANK]),
        pbad("lenient: a whitespace-only line between fields stays invalid",
             "version: STSv1\n \nmode: enforce\nmx: mail.example.com\nmax_age: 604800\n",
             "E_POLICY_BLANK_LINE", flags=[L3, LSR]),
        pbad("lenient: a blank line before the first field stays invalid", "\n" + std(),
             "E_POLICY_BLANK_LINE", flags=[L3, LSR]),
        pbad("lenient: a blank line then a line with leading WSP",
             "version: STSv1\n\n mode: enforce\nmx: mail.example.com\nmax_age: 604800\n",
             "E_POLICY_LEADING_WSP", flags=[L3, LSR, "R7-LeadingWsp"]),
        pok("lenient: blank lines between fields and at the end",
            "version: STSv1\n\nmode: enforce\nmx: mail.example.com\nmax_age: 604800\n\n",
            flags=[L1, L3], warn=[W_BLANK, W_TRAIL]),
    ]


def clamped_max_age():
    """Lenient: max_age above the limit is clamped (L4); every deviation at once; the size cap."""
    return [
        pok("lenient: max_age 31557601 is clamped", std(max_age="max_age: 31557601"),
            pexp(max_age=31557600), flags=[L4, "Abnf-MaxAgeSyntax"], warn=[W_CLAMP]),
        pok("lenient: max_age 9999999999 is clamped", std(max_age="max_age: 9999999999"),
            pexp(max_age=31557600), flags=[L4, "R5-MaxAge64Bit"], warn=[W_CLAMP]),
        pok("lenient: max_age 2^32 is clamped, not wrapped to 0",
            std(max_age="max_age: 4294967296"), pexp(max_age=31557600),
            flags=[L4, "R5-MaxAge64Bit"], warn=[W_CLAMP]),
        pok("lenient: max_age 2^31 is clamped, not negative",
            std(max_age="max_age: 2147483648"), pexp(max_age=31557600),
            flags=[L4, "R5-MaxAge64Bit"], warn=[W_CLAMP]),
        pok("lenient: max_age 0099999999 is clamped", std(max_age="max_age: 0099999999"),
            pexp(max_age=31557600), flags=[L4, "R5-MaxAgeLeadingZeros"], warn=[W_CLAMP]),
        pbad("lenient: 11 digits are still invalid", std(max_age="max_age: 10000000000"),
             "E_POLICY_MAX_AGE", flags=[L4, LSR]),
        pbad("lenient: a negative max_age is still invalid", std(max_age="max_age: -1"),
             "E_POLICY_MAX_AGE", flags=[L4, LSR]),
        pok("lenient: every deviation at once, warnings in order",
            BOM + "version: STSv1\n\nmode: enforce\nmx: mail.example.com\nmax_age: 99999999\n"
            "mode: none\n\n", pexp(max_age=31557600), flags=[L1, L2, L3, L4, R17D],
            warn=[W_BOM, W_BLANK, W_CLAMP, DUP, W_TRAIL]),
        pok("lenient: a BOM counts towards the 65536-octet cap", BOM + policy_of_size(65533),
            flags=[L2, "R18-PolicySize"], warn=[W_BOM]),
        pbad("lenient: a BOM and 65534 octets are 65537", BOM + policy_of_size(65534),
             "E_POLICY_TOO_LARGE", flags=[L2, "R18-PolicySize", LSR]),
    ]


def still_rejected():
    """What the lenient profile still rejects."""
    return [
        pbad("lenient: Mode: is still not mode (real-world: mailauth lax mode)",
             std(mode="Mode: enforce"), "E_POLICY_MISSING_MODE",
             flags=[LSR, "Abnf-CaseSensitive"]),
        pbad("lenient: mode Enforce is still invalid (real-world: mailauth lax mode)",
             std(mode="mode: Enforce"), "E_POLICY_MODE", flags=[LSR, "Abnf-CaseSensitive"]),
        pbad("lenient: space before \":\" is still invalid (real-world: mailauth lax mode)",
             std(mode="mode : enforce"), "E_POLICY_EXPECTED_COLON", flags=[LSR]),
        pbad("lenient: max_age 1e3 is still invalid (real-world: mailauth lax mode)",
             std(max_age="max_age: 1e3"), "E_POLICY_MAX_AGE", flags=[LSR]),
        pbad("lenient: max_age 12.5 is still invalid (real-world: mailauth lax mode)",
             std(max_age="max_age: 12.5"), "E_POLICY_MAX_AGE", flags=[LSR]),
        pbad("lenient: empty max_age is still invalid (real-world: mailauth lax mode)",
             std(max_age="max_age:"), "E_POLICY_VALUE_EMPTY", flags=[LSR]),
        pbad("lenient: 11-digit max_age 00000000060 (real-world: mailauth lax mode)",
             std(max_age="max_age: 00000000060"), "E_POLICY_MAX_AGE", flags=[LSR]),
        pbad("lenient: mx foo*.example.com is still invalid (real-world: mailauth lax mode)",
             std(mx=("mx: foo*.example.com",)), "E_POLICY_MX_SYNTAX", flags=[LSR]),
        pbad("lenient: an mx with a trailing dot is still invalid (real-world: mailauth lax "
             "mode)", std(mx=("mx: mail.example.com.",)), "E_POLICY_MX_TRAILING_DOT",
             flags=[LSR, "R12-MxTrailingDot"]),
        pacc_bad("lenient: a 64-octet mx label is still invalid",
                 std(mx=("mx: " + LABEL64 + ".example",)), "E_POLICY_MX_LABEL_TOO_LONG",
                 flags=[LSR, "R12-MxLengthLimits"]),
        pacc_bad("lenient: mode bogus then enforce is still invalid",
                 pol("version: STSv1", "mode: bogus", "mode: enforce", "mx: mail.example.com",
                     "max_age: 604800"), "E_POLICY_MODE", flags=[LSR, R4]),
        pbad("lenient: a bare CR is still invalid", std(eol="\r"), "E_POLICY_BARE_CR",
             flags=[LSR, "R6-BareCR"]),
        pbad("lenient: NUL is still invalid", b(std()) + b"\x00", "E_NUL",
             flags=[LSR, "Nul"]),
        pbad("lenient: invalid UTF-8 is still invalid", b(std()) + b"ext: \xc0\xaf\n",
             "E_POLICY_VALUE_UTF8", flags=[LSR, "R10-Utf8Invalid"]),
        pbad("lenient: a tab inside a value is still invalid", std(extra=("ext: a\tb",)),
             "E_POLICY_VALUE_CHAR", flags=[LSR, "R10-HtabInValue"]),
        pbad("lenient: a missing version is still invalid", std(version=None),
             "E_POLICY_MISSING_VERSION", flags=[LSR]),
        pbad("lenient: version STSv2 is still invalid", std(version="version: STSv2"),
             "E_POLICY_VERSION", flags=[LSR]),
        pbad("lenient: leading WSP on a line is still invalid", " " + std(),
             "E_POLICY_LEADING_WSP", flags=[LSR, "R7-LeadingWsp"]),
        pbad("lenient: a folded line is still invalid",
             "version: STSv1\nmode: enforce\nmx: mail.example.com\n\tbackup.example.com\n"
             "max_age: 604800\n", "E_POLICY_LEADING_WSP", flags=[LSR, "R7-LeadingWsp"]),
    ]


# ---------------------------------------------------------------------------
# In the wild (issue 17): the mistakes that repeat in policy files domains publish,
# each a minimal reproduction typed for this table (never a copied file). The same
# shapes drive the CLI's hints (cli/src/hints.c) and the interop data.
# ---------------------------------------------------------------------------

WILD = "InTheWild"


def wild_policy(*mid, head=("version: STSv1",), tail=("max_age: 604800",)) -> str:
    return pol(*head, *mid, *tail)


def wild():
    return Section(1100, "strict", "policies as they are in the wild", wild_lines() +
                   wild_placeholders() + wild_mx() + wild_values() + wild_encodings())


def wild_lines():
    """Whole-file shapes: blank lines at the end, indentation, front matter, no colon."""
    return [
        pbad("in the wild: two blank lines after the last field",
             std() + "\n\n", "E_POLICY_BLANK_LINE", flags=[WILD, "R7-BlankLine"]),
        pbad("in the wild: every line indented (written inside a YAML or HTML template)",
             "  version: STSv1\n  mode: enforce\n  mx: mail.example.com\n  max_age: 604800\n",
             "E_POLICY_LEADING_WSP", flags=[WILD, "R7-LeadingWsp"]),
        pbad("in the wild: Jekyll front matter left in the served file",
             "---\nlayout: null\npermalink: /.well-known/mta-sts.txt\n---\n" + std(),
             "E_POLICY_FIELD_NAME", flags=[WILD, PF]),
        pbad("in the wild: a line without a colon", std(mode="mode enforce"),
             "E_POLICY_EXPECTED_COLON", flags=[WILD, PF]),
        pok("in the wild: trailing spaces after every value",
            "version: STSv1  \nmode: enforce \nmx: mail.example.com   \nmax_age: 604800 \n",
            flags=[WILD, "Abnf-Whitespace"]),
    ]


def wild_placeholders():
    """Template text published as it was: placeholders, alternatives, comments."""
    return [
        pbad("in the wild: a template's mode line with its instructions",
             std(mode="mode: [enforce|testing|none] # 1. Decide your mode."), "E_POLICY_MODE",
             flags=[WILD, R4]),
        pbad("in the wild: mode MODE (a placeholder)", std(mode="mode: MODE"), "E_POLICY_MODE",
             flags=[WILD, R4]),
        pbad("in the wild: mode enforced", std(mode="mode: enforced"), "E_POLICY_MODE",
             flags=[WILD, R4]),
        pbad("in the wild: mode [testing]", std(mode="mode: [testing]"), "E_POLICY_MODE",
             flags=[WILD, R4]),
        pbad("in the wild: mx mx1.your_domain (a placeholder)", std(mx=("mx: mx1.your_domain",)),
             "E_POLICY_MX_SYNTAX", flags=[WILD, MX, R4]),
        pbad("in the wild: mx <yourdomain>.mail.protection.outlook.com",
             std(mx=("mx: <yourdomain>.mail.protection.outlook.com",)), "E_POLICY_MX_SYNTAX",
             flags=[WILD, MX, R4]),
        pbad("in the wild: a comment after the mode", std(mode="mode: testing # for now"),
             "E_POLICY_MODE", flags=[WILD, R4]),
        pbad("in the wild: a comment after max_age", std(max_age="max_age: 604800 # one week"),
             "E_POLICY_MAX_AGE", flags=[WILD, MA]),
        pbad("in the wild: a comment line", "# MTA-STS policy\n" + std(), "E_POLICY_FIELD_NAME",
             flags=[WILD, PF]),
    ]


def wild_mx():
    """mx values that are not host names or \"*.\" and a host name."""
    return [
        pbad("in the wild: an MX priority pasted into the value",
             std(mx=("mx: Priority 5: ALT1.ASPMX.L.GOOGLE.COM",)), "E_POLICY_MX_SYNTAX",
             flags=[WILD, MX, R4]),
        pbad("in the wild: a zone file's MX line pasted as the value",
             std(mx=("mx: 10 mail.example.com.",)), "E_POLICY_MX_SYNTAX", flags=[WILD, MX, R4]),
        pbad("in the wild: mx alt*.google.com", std(mx=("mx: alt*.google.com",)),
             "E_POLICY_MX_SYNTAX", flags=[WILD, MX, R4]),
        pbad("in the wild: mx .", std(mx=("mx: .",)), "E_POLICY_MX_SYNTAX",
             flags=[WILD, MX, R4]),
        pbad("in the wild: mx ://google.com", std(mx=("mx: ://google.com",)),
             "E_POLICY_MX_SYNTAX", flags=[WILD, MX, R4]),
        pbad("in the wild: mx with a zone file's final dot",
             std(mx=("mx: host.example.com.",)), "E_POLICY_MX_TRAILING_DOT",
             flags=[WILD, MX, R4, "R12-MxTrailingDot"]),
        pbad("in the wild: several MX hosts on one mx line",
             std(mx=("mx: mx1.example.com, mx2.example.com",)), "E_POLICY_MX_SYNTAX",
             flags=[WILD, MX, R4]),
    ]


def wild_values():
    """Values in the wrong field."""
    return [
        pbad("in the wild: max_age enforce", std(max_age="max_age: enforce"),
             "E_POLICY_MAX_AGE", flags=[WILD, MA]),
        pbad("in the wild: max_age with a unit", std(max_age="max_age: 1w"), "E_POLICY_MAX_AGE",
             flags=[WILD, MA]),
    ]


def wild_encodings():
    """Byte order marks and UTF-16 (strict; lenient in wild_lenient)."""
    return [
        pbad("in the wild: a UTF-8 byte order mark", BOM + std(), "E_POLICY_BOM",
             flags=[WILD, "R7-Bom"]),
        pbad("in the wild: a whole policy saved as UTF-16LE with a BOM",
             b"\xff\xfe" + std().encode("utf-16-le"), "E_POLICY_FIELD_NAME",
             flags=[WILD, NP]),
        pbad("in the wild: UTF-16LE without a BOM", std().encode("utf-16-le"), "E_NUL",
             flags=[WILD, "Nul"]),
    ]


def wild_lenient():
    """The wild shapes whose lenient verdict differs from the strict one."""
    return Section(5100, "lenient", "policies as they are in the wild, lenient", [
        pok("lenient, in the wild: two blank lines after the last field", std() + "\n\n",
            flags=[WILD, L1], warn=[W_TRAIL]),
        pok("lenient, in the wild: a UTF-8 byte order mark", BOM + std(), flags=[WILD, L2],
            warn=[W_BOM]),
    ])
