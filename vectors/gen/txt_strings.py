"""txt-strings.json: the character-strings of one _mta-sts TXT RR (RFC 8461 §3.1)."""

from __future__ import annotations

from .common import DUP, ID32, TWSP, Section, chunks, sts_acc_ok, sts_bad, sts_ok, txt_of_size

KIND = "txt-strings"
SOURCE = "RFC 8461 §3.1 ABNF + spec/rulings.md"
HEADER = [
    "_mta-sts TXT records given as the character-strings of one RR "
    "(mtasts_txt_parse_strings); the strings are concatenated without spaces.",
    "stringsHex: the strings in order; expected.id: the id as written.",
]


def sections():
    """The sections in file order (each numbers its tcIds from its own base)."""
    return [strict(), lenient()]

M = "MultiString"


def ok(c, strings, id_, flags=(), warn=()):
    return sts_ok(c, strings, id_, flags=[M, *flags], warn=warn, inp="strings")


def bad(c, strings, hint, flags=()):
    return sts_bad(c, strings, hint, flags=[M, *flags], inp="strings")


def acc_ok(c, strings, id_, flags):
    return sts_acc_ok(c, strings, id_, flags=[M, *flags], inp="strings")


def strict():
    return Section(1, "strict", "character-strings of one RR", [
        ok("one string: the RFC example", ["v=STSv1; id=20160831085700Z;"], "20160831085700Z",
           flags=["Example"]),
        ok("id split across two strings (real-world: mailauth test)",
           ["v=STSv1; id=2016", "0831085700Z;"], "20160831085700Z"),
        ok("split inside \"v=STSv1\"", ["v=STS", "v1; id=abc"], "abc"),
        ok("split after the first character", ["v", "=STSv1; id=abc"], "abc"),
        ok("split before the delimiter", ["v=STSv1", "; id=abc"], "abc"),
        ok("split after the delimiter", ["v=STSv1;", " id=abc"], "abc"),
        ok("split between WSP and the field", ["v=STSv1; ", "id=abc"], "abc"),
        ok("split inside the field name", ["v=STSv1; i", "d=abc"], "abc"),
        ok("split before \"=\"", ["v=STSv1; id", "=abc"], "abc"),
        ok("split after \"=\"", ["v=STSv1; id=", "abc"], "abc"),
        ok("id spread over three strings", ["v=STSv1; id=a", "b", "c"], "abc"),
        ok("strings are joined without spaces: \"abc\" + \"def\" is one id",
           ["v=STSv1; id=abc", "def"], "abcdef"),
        ok("32-character id split 16 + 16", ["v=STSv1; id=" + ID32[:16], ID32[16:]], ID32,
           flags=["Abnf-IdSyntax"]),
        bad("33-character id split 32 + 1", ["v=STSv1; id=" + "a" * 32, "a"],
            "E_TXT_ID_TOO_LONG", flags=["Abnf-IdSyntax"]),
        ok("empty string first", ["", "v=STSv1; id=abc"], "abc"),
        ok("empty string last", ["v=STSv1; id=abc", ""], "abc"),
        ok("empty string in the middle", ["v=STSv1;", "", " id=abc"], "abc"),
        ok("several empty strings", ["", "v=STSv1;", "", "", "id=abc", ""], "abc"),
        ok("one character per string",
           ["v", "=", "S", "T", "S", "v", "1", ";", "i", "d", "=", "a"], "a"),
        ok("a final delimiter alone in the last string", ["v=STSv1; id=abc", ";"], "abc"),
        ok("a field starting in a new string", ["v=STSv1; id=abc;", "ext=1"], "abc"),
        ok("the delimiter starting a new string", ["v=STSv1; id=abc", "; ext=1"], "abc"),
        ok("a string of 255 octets (the DNS maximum) then more",
           [txt_of_size(255), "yz"], "abc", flags=["R18-TxtSize"]),
        ok("4096 octets in 255-octet strings", chunks(txt_of_size(4096), 255), "abc",
           flags=["R18-TxtSize"]),
        bad("4097 octets in 255-octet strings", chunks(txt_of_size(4097), 255),
            "E_TXT_TOO_LARGE", flags=["R18-TxtSize"]),
        ok("two records pasted into the strings of one RR: the second v= is a duplicate field",
           ["v=STSv1; id=abc;", "v=STSv1; id=def;"], "abc",
           flags=["R3-DuplicateFirstWins"], warn=[DUP, DUP]),
        ok("duplicate id across strings", ["v=STSv1; id=first;", " id=second"], "first",
           flags=["R3-DuplicateFirstWins"], warn=[DUP]),
        acc_ok("WSP before \";\" across a string boundary", ["v=STSv1 ", "; id=abc"], "abc",
               flags=["R1-WspBeforeDelim"]),
        acc_ok("WSP, then \";\" in the next string", ["v=STSv1; id=abc ", ";"], "abc",
               flags=["R1-WspBeforeDelim"]),
        bad("a space as the last string: trailing WSP", ["v=STSv1; id=abc", " "],
            "E_TXT_TRAILING_WSP", flags=["L5-TxtTrailingWsp"]),
        bad("a string that adds a field without a delimiter", ["v=STSv1; id=abc", " ext=1"],
            "E_TXT_EXPECTED_DELIM", flags=["Abnf-Delimiter"]),
        bad("leading space in the first string", [" v=STSv1; id=abc"], "E_TXT_VERSION",
            flags=["Abnf-Version"]),
        bad("version split and broken", ["v=STS", "V1; id=abc"], "E_TXT_VERSION",
            flags=["Abnf-Version"]),
        bad("empty id at a string boundary", ["v=STSv1; id=", ""], "E_TXT_VALUE_EMPTY",
            flags=["Abnf-IdSyntax"]),
        bad("no strings at all", [], "E_EMPTY"),
        bad("one empty string", [""], "E_EMPTY"),
        bad("two empty strings", ["", ""], "E_EMPTY"),
        bad("NUL alone in the last string", ["v=STSv1; id=abc", b"\x00"], "E_NUL",
            flags=["Nul"]),
        bad("a UTF-8 letter split over two strings is still not an id character",
            [b"v=STSv1; id=ab\xc3", b"\xa9"], "E_TXT_ID_CHAR", flags=["Abnf-UsAscii"]),
        bad("a three-byte UTF-8 character split over strings in an extension value",
            [b"v=STSv1; id=abc; e=\xe2\x82", b"\xac"], "E_TXT_VALUE_CHAR",
            flags=["Abnf-UsAscii"]),
    ])


def lenient():
    return Section(500, "lenient", "lenient profile", [
        ok("lenient: a space as the last string is ignored", ["v=STSv1; id=abc", " "], "abc",
           flags=["L5-TxtTrailingWsp"], warn=[TWSP]),
        ok("lenient: trailing WSP spread over strings", ["v=STSv1; id=abc", "\t", " "],
           "abc", flags=["L5-TxtTrailingWsp"], warn=[TWSP]),
        bad("lenient: V=STSv1 is still invalid", ["V=STSv1; id=abc"], "E_TXT_VERSION",
            flags=["LenientStillRejects"]),
        bad("lenient: CRLF in the last string is not WSP", ["v=STSv1; id=abc", "\r\n"],
            "E_TXT_ID_CHAR", flags=["LenientStillRejects"]),
        bad("lenient: a leading space string", [" ", "v=STSv1; id=abc"], "E_TXT_VERSION",
            flags=["LenientStillRejects"]),
        bad("lenient: an empty field across strings", ["v=STSv1; id=abc ", ";", ";"],
            "E_TXT_EMPTY_FIELD", flags=["LenientStillRejects"]),
    ])
