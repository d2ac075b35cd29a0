#!/usr/bin/env python3
"""gen_vectors.py - write the RFC-derived test vectors of mtasts.

The vectors live here as readable tables, one section per behaviour, with the
expected result written beside each input. This script turns the tables into the
seven Wycheproof-style JSON files of this folder (the files are committed too; this
script is how they are maintained, see FORMAT.md):

    python3 vectors/gen_vectors.py            # rewrite the JSON files
    python3 vectors/gen_vectors.py --check    # exit 1 if a committed file differs

Output is deterministic: same tables, same bytes. Python 3 standard library only.

tcIds: every section has a fixed base id and numbers its vectors from there, so
adding a vector to one section never renumbers another. Append new vectors at the
end of a section to keep every existing tcId.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

RFC8461_31 = "RFC 8461 §3.1"
RFC8461_32 = "RFC 8461 §3.2"
RFC8461_33 = "RFC 8461 §3.3"
RFC8461_41 = "RFC 8461 §4.1"
RFC8460_3 = "RFC 8460 §3"

# ---------------------------------------------------------------------------
# Notes: every flag a vector can carry. `cites` holds exact quotations from
# RFC 8461, RFC 8460 or the rulings in spec/; several quotations are separated by " ... ".
# lint_vectors.py checks each quotation against the RFC texts and spec/.
# ---------------------------------------------------------------------------

NOTES = {
    # ---- rulings ---------------------------------------------------------
    "R1-WspBeforeDelim": {
        "ruling": "R1",
        "rfc": "RFC 8461 §3.1, RFC 8460 §3",
        "cites": 'sts-field-delim = *WSP ";" *WSP ... records that do not begin with '
        '"v=STSv1;" are discarded. ... The record parser follows the ABNF: `v=STSv1 ; id=x` '
        "is valid.",
        "description": "Whitespace before a \";\" delimiter. The ABNF allows it; a reader of "
        "the literal \"v=STSv1;\" prose (or of Erratum 6285, which drops the leading *WSP) "
        "rejects it. mtasts follows the ABNF, so these vectors are acceptable, and "
        "acceptableResult says what mtasts does.",
    },
    "R1-RRsetFilter": {
        "ruling": "R1",
        "rfc": "RFC 8461 §3.1, RFC 8460 §3",
        "cites": "RRset selection keeps a record when it begins with `v=STSv1` followed by "
        '`*WSP ";"`; the literal 8-octet prefix `v=STSv1;` filter is available as an option.',
        "description": "RRset selection keeps records that begin with the version, optional "
        "WSP and \";\". Where the literal-prefix filter of the prose would keep a different "
        "set, the vector is acceptable; acceptableResult is what the default filter gives.",
    },
    "R2-CaseSensitiveFilter": {
        "ruling": "R2",
        "rfc": "RFC 8461 §3.1",
        "cites": 'The RRset filter is case-sensitive, like `%s"v=STSv1"`.',
        "description": "Records beginning with a case variant of the version (V=STSv1, "
        "v=stsv1) are discarded by the filter, so they neither count nor parse.",
    },
    "R3-DuplicateFirstWins": {
        "ruling": "R3",
        "rfc": "RFC 8461 §3.2",
        "cites": "If any non-repeated field -- i.e., all fields excepting \"mx\" -- is "
        "duplicated, all entries except for the first SHALL be ignored. ... First occurrence "
        "wins, as in policies. A later duplicate is ignored,",
        "description": "A TXT field that occurs twice: the first occurrence is used, the "
        "later one ignored and reported as W_DUPLICATE_FIELD.",
    },
    "R3-DuplicateMustParse": {
        "ruling": "R3",
        "rfc": "RFC 8461 §3.2",
        "cites": "but must still be a grammatical field (its own production or the generic "
        "extension production), or the record is invalid;",
        "description": "An ignored duplicate still has to match its own production or the "
        "generic extension production; if it matches neither the record is invalid. (TXT "
        "records: R3; policies: the same rule, stated in mtasts.h for mtasts_policy_parse.)",
    },
    "R4-KnownFieldBadValue": {
        "ruling": "R4",
        "rfc": "RFC 8461 §3.1, §3.2",
        "cites": "Name-based: the first occurrence of `id`, `version`, `mode`, `max_age` must "
        "match its own production, and every `mx` must match `sts-policy-mx-value`, or the "
        "record/policy is invalid with that field's error code. (`mode: bogus` then "
        "`mode: enforce` is invalid.)",
        "description": "A known field name whose value fails its own production. The pure "
        "ABNF reading would take the line as an unknown extension and ignore it; where that "
        "reading gives a different result the vector is acceptable (acceptableResult: "
        "invalid, what mtasts does).",
    },
    "R5-MaxAgeRange": {
        "ruling": "R5",
        "rfc": "RFC 8461 §3.2",
        "cites": '(plaintext non-negative integer seconds, maximum value of 31557600). ... '
        "Over 31557600: strict rejects with its own code;",
        "description": "max_age of 1-10 digits above 31557600: invalid in the strict profile "
        "(E_POLICY_MAX_AGE_RANGE).",
    },
    "R5-MaxAge64Bit": {
        "ruling": "R5",
        "rfc": "RFC 8461 §3.2",
        "cites": "sts-policy-max-age-value = 1*10(DIGIT) ... Parse into 64 bits.",
        "description": "max_age values at and above 2^31 and 2^32, which break parsers that "
        "use 32-bit integers (they wrap to small or negative numbers).",
    },
    "R5-MaxAgeLeadingZeros": {
        "ruling": "R5",
        "rfc": "RFC 8461 §3.2",
        "cites": "Leading zeros are valid. More than 10 digits is invalid in both.",
        "description": "max_age with leading zeros: the digit count (1-10) is what the "
        "grammar limits, not the value.",
    },
    "R6-LineEndings": {
        "ruling": "R6",
        "rfc": "RFC 8461 §3.2",
        "cites": "sts-policy-term = LF / CRLF ... LF, CRLF and a mix are all valid.",
        "description": "Policy lines ending in LF, CRLF, or a mix of both.",
    },
    "R6-BareCR": {
        "ruling": "R6",
        "rfc": "RFC 8461 §3.2",
        "cites": "A bare CR is invalid everywhere.",
        "description": "A carriage return not followed by a line feed.",
    },
    "R7-BlankLine": {
        "ruling": "R7",
        "rfc": "RFC 8461 §3.2",
        "cites": "Strict: no blank line, no whitespace-only line, no leading WSP on a line (no "
        "header folding), no BOM, at most one terminator after the last field.",
        "description": "Empty or whitespace-only lines anywhere in a strict policy, including "
        "a second terminator after the last field.",
    },
    "R7-LeadingWsp": {
        "ruling": "R7",
        "rfc": "RFC 8461 §3.2",
        "cites": "A line starting with WSP is invalid in both profiles.",
        "description": "A policy line that starts with a space or tab (RFC 5322-style "
        "folding is not part of the grammar).",
    },
    "R7-Bom": {
        "ruling": "R7",
        "rfc": "RFC 8461 §3.2",
        "cites": "Strict: no blank line, no whitespace-only line, no leading WSP on a line (no "
        "header folding), no BOM, at most one terminator after the last field.",
        "description": "A UTF-8 byte order mark at the start of a strict policy, and byte "
        "sequences that only look like one.",
    },
    "L1-TrailingBlankLines": {
        "ruling": "R7",
        "rfc": "RFC 8461 §3.2",
        "cites": "trailing blank or whitespace-only lines at the end of a policy body;",
        "description": "Lenient deviation 1: blank or whitespace-only lines after the last "
        "field are skipped with W_POLICY_TRAILING_BLANK.",
    },
    "L2-Bom": {
        "ruling": "R7",
        "rfc": "RFC 8461 §3.2",
        "cites": "a UTF-8 byte order mark at the start of a policy body;",
        "description": "Lenient deviation 2: a BOM at the very start is skipped with "
        "W_POLICY_BOM (it still counts towards the size cap).",
    },
    "L3-BlankLineBetweenFields": {
        "ruling": "R7",
        "rfc": "RFC 8461 §3.2",
        "cites": "blank lines between policy fields;",
        "description": "Lenient deviation 3: an empty line between two fields is skipped with "
        "W_POLICY_BLANK_LINE (one per line). A whitespace-only line, or a blank line before "
        "the first field, stays invalid.",
    },
    "L4-MaxAgeClamp": {
        "ruling": "R5",
        "rfc": "RFC 8461 §3.2",
        "cites": "`max_age` above 31557600 (still 1–10 digits) is clamped to 31557600; ... "
        "lenient clamps (warning).",
        "description": "Lenient deviation 4: max_age above 31557600 becomes 31557600 with "
        "W_POLICY_MAX_AGE_CLAMPED; expected.max_age is the clamped value.",
    },
    "L5-TxtTrailingWsp": {
        "ruling": "R7",
        "rfc": "RFC 8461 §3.1, RFC 8460 §3",
        "cites": "trailing WSP at the end of a TXT record that has no final `;`.",
        "description": "Lenient deviation 5: spaces or tabs at the end of a TXT record "
        "without a final \";\" are ignored with W_TXT_TRAILING_WSP (strict: "
        "E_TXT_TRAILING_WSP).",
    },
    "LenientStillRejects": {
        "ruling": None,
        "rfc": "RFC 8461 §3.1, §3.2",
        "cites": "Nothing else is relaxed: case variants (`V=STSv1`, `Mode:`, `Enforce`), a bad "
        "`id`, a bad `mx`, bare CR, NUL, invalid UTF-8, a missing required field or a wrong "
        "version are errors in both.",
        "description": "Inputs the lenient profile must still reject: everything outside the "
        "closed list of five deviations.",
    },
    "R10-Utf8Valid": {
        "ruling": "R10",
        "rfc": "RFC 8461 §3.2",
        "cites": "sts-policy-vchar = %x21-7E / UTF8-2 / UTF8-3 / UTF8-4 ... Follow the ABNF: "
        "UTF-8 C1 controls and Unicode spaces are valid `sts-policy-vchar`;",
        "description": "Well-formed UTF-8 in an extension value, including C1 controls, NBSP "
        "and other Unicode spaces at either end, and each encoding-length boundary.",
    },
    "R10-Utf8Invalid": {
        "ruling": "R10",
        "rfc": "RFC 8461 §3.2",
        "cites": "invalid UTF-8 (overlong, surrogate, > U+10FFFF, truncated, stray "
        "continuation) is invalid.",
        "description": "Malformed UTF-8 in an extension value (E_POLICY_VALUE_UTF8).",
    },
    "R10-HtabInValue": {
        "ruling": "R10",
        "rfc": "RFC 8461 §3.2",
        "cites": "HTAB is not valid inside an extension value;",
        "description": "A tab or other control character between the first and last "
        "character of a value. (Trailing tabs are *WSP after the field and are fine.)",
    },
    "R11-ExtNameTypo": {
        "ruling": "R11",
        "rfc": "RFC 8461 §3.2",
        "cites": "sts-policy-ext-name = (sts-policy-alphanum) *31(sta-policy-alphanum / \"_\" / "
        "\"-\" / \".\") ... `sta-policy-alphanum` is read as `sts-policy-alphanum`.",
        "description": "Policy extension names whose later characters are letters and digits "
        "(the undefined rule sta-policy-alphanum, read as sts-policy-alphanum).",
    },
    "R12-MxLengthLimits": {
        "ruling": "R12",
        "rfc": "RFC 8461 §3.2",
        "cites": "A label over 63 octets or a name over 253 octets cannot exist in DNS: strict "
        "rejects it (`acceptable` in vectors). For a `*.` pattern the 253 counts the `*.` too.",
        "description": "mx labels of 63/64 octets and names of 253/254 octets (with and "
        "without \"*.\"). The Domain grammar itself has no length limit, so a rejected one is "
        "acceptable where the grammar alone would accept the input.",
    },
    "R12-MxTrailingDot": {
        "ruling": "R12",
        "rfc": "RFC 8461 §3.2",
        "cites": "A trailing dot in a pattern is invalid.",
        "description": "An mx pattern ending in \".\" (an absolute DNS name) is not "
        "sts-policy-mx-value.",
    },
    "R13-CaseInsensitive": {
        "ruling": "R13",
        "rfc": "RFC 8461 §4.1",
        "cites": "ASCII case-insensitive.",
        "description": "Host and pattern differ only in ASCII letter case; only A-Z/a-z fold "
        "(no Unicode case folding).",
    },
    "R13-HostTrailingDot": {
        "ruling": "R13",
        "rfc": "RFC 8461 §4.1",
        "cites": "One trailing dot on the *host* is removed before matching.",
        "description": "An absolute MX host name (one trailing dot) matches as if the dot "
        "were not there; two dots do not.",
    },
    "R13-WildcardOneLabel": {
        "ruling": "R13",
        "rfc": "RFC 8461 §4.1",
        "cites": 'Thus, the mx pattern "*.example.com" matches "mail.example.com" but not '
        '"example.com" or "foo.bar.example.com". ... `*.` matches exactly one non-empty '
        "leftmost label;",
        "description": "\"*.\" stands for exactly one whole, non-empty leftmost label.",
    },
    "R13-HostValidity": {
        "ruling": "R13",
        "rfc": "RFC 8461 §4.1",
        "cites": "a host with an empty label, `_`, a space, a `*`, or non-ASCII bytes never "
        "matches (hosts are compared as A-labels).",
        "description": "A host that is not a valid RFC 5321 Domain (after removing one "
        "trailing dot) never matches anything.",
    },
    "R13-BadPattern": {
        "ruling": "R13",
        "rfc": "RFC 8461 §4.1",
        "cites": "A pattern that is not a valid `sts-policy-mx-value` (R12 included) matches "
        "nothing.",
        "description": "A pattern that could not appear in a valid policy matches no host.",
    },
    "R14-MaxAgeZero": {
        "ruling": "R14",
        "rfc": "RFC 8461 §3.2",
        "cites": "`max_age: 0` is valid syntax.",
        "description": "max_age 0 parses (what it means for caching is engine behaviour).",
    },
    "R16-IdAsWritten": {
        "ruling": "R16",
        "rfc": "RFC 8461 §3.1",
        "cites": "`id` values compare byte for byte.",
        "description": "The id is returned exactly as written (case preserved), because it is "
        "compared byte for byte.",
    },
    "R17-DuplicateFirstWins": {
        "ruling": "R17",
        "rfc": "RFC 8461 §3.2",
        "cites": "Duplicates of `version`/`mode`/`max_age`: first wins.",
        "description": "A repeated version/mode/max_age (or extension) line: the first is "
        "used, later ones are ignored with W_DUPLICATE_FIELD but must still be grammatical.",
    },
    "R17-FirstModeDecidesMx": {
        "ruling": "R17",
        "rfc": "RFC 8461 §3.2",
        "cites": "Whether `mx` is required is decided by the first `mode`.",
        "description": "mx is required unless the first mode line says none.",
    },
    "R18-PolicySize": {
        "ruling": "R18",
        "rfc": "RFC 8461 §3.3",
        "cites": "a suggested maximum policy size is 64 kilobytes; ... Policy bodies are "
        "capped at 65536 octets (a documented constant): larger is its own error.",
        "description": "Policy bodies of exactly 65536 and of 65537 octets (a BOM and line "
        "terminators count).",
    },
    "R18-TxtSize": {
        "ruling": "R18",
        "rfc": "RFC 8461 §3.1, RFC 8460 §3",
        "cites": "TXT records (after joining strings) are capped at a documented constant of "
        "at least 4096 octets.",
        "description": "TXT records of exactly 4096 and of 4097 octets after joining "
        "(MTASTS_TXT_MAX_SIZE). In an RRset the cap applies to every record, before "
        "selection.",
    },
    "R20-RuaList": {
        "ruling": "R20",
        "rfc": "RFC 8460 §3",
        "cites": "`rua` is a list split on `,` with optional WSP around each comma; an empty "
        "element is invalid.",
        "description": "The rua list: commas with optional WSP around them; empty elements.",
    },
    "R20-RuaScheme": {
        "ruling": "R20",
        "rfc": "RFC 8460 §3",
        "cites": 'Two URI schemes are supported: "mailto" and "https". ... Each URI must have '
        "a scheme; `mailto:` and `https:` are supported; any other scheme makes the record "
        "invalid in strict and is skipped with a warning in lenient.",
        "description": "URI schemes: required, compared case-insensitively, only mailto and "
        "https supported.",
    },
    "R20-RuaBang": {
        "ruling": "R20",
        "rfc": "RFC 8460 §3",
        "cites": "; commas (ASCII 0x2C), exclamation ; points (ASCII 0x21), and semicolons ; "
        "(ASCII 0x3B) MUST be encoded ... Raw `!` in a URI is invalid (the ABNF comment says "
        "MUST be encoded).",
        "description": "A raw \"!\" in a rua URI (the DMARC size-limit suffix) is invalid; "
        "percent-encoded it is fine.",
    },
    "R20-RuaNoDestination": {
        "ruling": "R20",
        "rfc": "RFC 8460 §3",
        "cites": "A URI with no destination (`mailto:` with nothing after it, `https:` with no "
        "host) is treated like an unsupported scheme.",
        "description": "mailto: with nothing after it, https: without \"//\" and a host.",
    },
    "R20a-UriSyntax": {
        "ruling": "R20a",
        "rfc": "RFC 8460 §3",
        "cites": "`tlsrpt-uri = URI` is RFC 3986's `URI`, whole: scheme, and for `https` an "
        "authority (`[userinfo \"@\"] host [\":\" port]`, host = IP-literal / IPv4address / "
        "reg-name, port = *DIGIT), path, query, fragment, with `,` `!` `;` excluded as the ABNF "
        "comment says. A URI that does not match it is invalid in both profiles (it is not a "
        "URI).",
        "description": "R20a, the RFC 3986 URI grammar at its boundaries: the nine IPv6address "
        "forms, IPv4 tails with octets 255 / 256 / leading zeros, IPvFuture, reg-names that look "
        "like IPv4, userinfo, empty and non-digit ports, \"[\" \"]\" \"#\" out of place.",
    },
    "R20a-Destination": {
        "ruling": "R20a",
        "rfc": "RFC 8460 §3",
        "cites": "`mailto:` needs at least one address before `?` or `#` (RFC 6068 `to`); "
        "`https:` needs a non-empty host (RFC 9110 §4.2.2). A URI without a destination is what "
        "R20 calls unsupported (strict: invalid; lenient: skipped).",
        "description": "R20a destinations: a mailto address (a raw \"@\" with a byte on each "
        "side, before any \"?\" / \"#\"; parser/SPEC.md), an https host.",
    },
    "R20-RuaDuplicate": {
        "ruling": "R20",
        "rfc": "RFC 8460 §3",
        "cites": "A later duplicate `rua=` follows R3: ignored, valid if it matches "
        "`tlsrpt-rua` or the generic extension production.",
        "description": "A second rua= field is ignored (first wins, W_DUPLICATE_FIELD), and "
        "valid when it matches tlsrpt-rua or tlsrpt-extension.",
    },
    "R20-LenientSkip": {
        "ruling": "R20",
        "rfc": "RFC 8460 §3",
        "cites": "any other scheme makes the record invalid in strict and is skipped with a "
        "warning in lenient.",
        "description": "Lenient: an unsupported or destination-less URI is skipped with "
        "W_RUA_SKIPPED; when every URI is skipped the record fails with E_RUA_NONE_USABLE.",
    },
    "R21-NotAppendixB": {
        "ruling": "R21",
        "rfc": "RFC 8461 §4.1, Appendix B",
        "cites": "Appendix B pseudocode is not normative; §3–§5 win where they differ.",
        "description": "The Appendix B policyMatches() pseudocode (byte equality, SplitN on "
        "the first dot) gives a different answer here than §4.1 and RFC 6125.",
    },
    # ---- the grammar itself (no ruling needed) -------------------------------
    "Example": {
        "ruling": None,
        "rfc": "RFC 8461 §3.1, §3.2, RFC 8460 §3.1",
        "cites": '_mta-sts.example.com. IN TXT "v=STSv1; id=20160831085700Z;" ... An example '
        "policy is as below:",
        "description": "An example taken from the RFC text.",
    },
    "Abnf-CaseSensitive": {
        "ruling": None,
        "rfc": "RFC 8461 §3.1, §3.2, RFC 8460 §3",
        "cites": 'sts-version = %s"v=STSv1" ... sts-policy-mode-value = %s"testing" / '
        '%s"enforce" / %s"none" ... tlsrpt-rua = %s"rua="',
        "description": "The %s literals are case-sensitive (RFC 7405): V=STSv1, ID=, Mode:, "
        "Enforce, STSV1, RUA= are not the fields they resemble.",
    },
    "Abnf-Whitespace": {
        "ruling": None,
        "rfc": "RFC 8461 §3.1, §3.2",
        "cites": "sts-field-delim = *WSP \";\" *WSP ... sts-policy-field-delim = \":\" *WSP",
        "description": "Where SP/HTAB may and may not appear: only around \";\" in TXT "
        "records; after \":\" and at the end of a policy line.",
    },
    "Abnf-Delimiter": {
        "ruling": None,
        "rfc": "RFC 8461 §3.1",
        "cites": "sts-text-record = sts-version 1*(sts-field-delim sts-field) [sts-field-delim]",
        "description": "Field delimiters: at least one field, at most one final \";\", no "
        "empty field.",
    },
    "Abnf-Version": {
        "ruling": None,
        "rfc": "RFC 8461 §3.1, RFC 8460 §3",
        "cites": "The TXT record MUST begin with the sts-version field; the order of other "
        "fields is not significant.",
        "description": "The record must begin with the exact version field; other fields may "
        "come in any order.",
    },
    "Abnf-IdSyntax": {
        "ruling": None,
        "rfc": "RFC 8461 §3.1",
        "cites": 'sts-id = %s"id=" 1*32(ALPHA / DIGIT) ... "id" (plaintext, required):',
        "description": "The id value: 1 to 32 letters and digits; boundary lengths and the "
        "characters on either side of each ALPHA/DIGIT range.",
    },
    "Abnf-ExtName": {
        "ruling": None,
        "rfc": "RFC 8461 §3.1, §3.2, RFC 8460 §3",
        "cites": 'sts-ext-name = (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".")',
        "description": "Extension names: 1 to 32 characters, a letter or digit first.",
    },
    "Abnf-ExtValue": {
        "ruling": None,
        "rfc": "RFC 8461 §3.1, §3.2, RFC 8460 §3",
        "cites": 'sts-ext-value = 1*(%x21-3A / %x3C / %x3E-7E) ; chars excluding "=", ";", '
        "SP, and CTLs ... unknown fields SHALL be ignored.",
        "description": "Extension values: which characters are allowed (each edge of each "
        "range), empty values; unknown fields are ignored.",
    },
    "Abnf-Required": {
        "ruling": None,
        "rfc": "RFC 8461 §3.1, §3.2, RFC 8460 §3",
        "cites": "sts-field = sts-id / ; Note that sts-id record sts-extension ; is required. "
        "... sts-policy-mx / ; required at least once, except when ; mode is \"none\"",
        "description": "Required fields: id; version, mode, max_age, and mx unless mode is "
        "none; rua.",
    },
    "Abnf-PolicyField": {
        "ruling": None,
        "rfc": "RFC 8461 §3.2",
        "cites": "sts-policy-record = sts-policy-field *WSP *(sts-policy-term sts-policy-field "
        "*WSP) [sts-policy-term]",
        "description": "The shape of a policy line: name, \":\", optional WSP, value, "
        "optional WSP.",
    },
    "Abnf-PolicyValues": {
        "ruling": None,
        "rfc": "RFC 8461 §3.2",
        "cites": 'sts-policy-version-value = %s"STSv1" ... sts-policy-mode-value = %s"testing" '
        '/ %s"enforce" / %s"none"',
        "description": "The values of version and mode.",
    },
    "Abnf-MaxAgeSyntax": {
        "ruling": None,
        "rfc": "RFC 8461 §3.2",
        "cites": "sts-policy-max-age-value = 1*10(DIGIT)",
        "description": "max_age: 1 to 10 decimal digits and nothing else (no sign, point, "
        "exponent, hex, separator, unit or comment).",
    },
    "Abnf-MxSyntax": {
        "ruling": None,
        "rfc": "RFC 8461 §3.2",
        "cites": 'sts-policy-mx-value = ["*."] Domain ... Valid patterns can be either fully '
        'specified names ("example.com") or suffixes prefixed by a wildcard ("*.example.net").',
        "description": "mx values: an RFC 5321 Domain, optionally after \"*.\" (letters, "
        "digits, inner hyphens; all-digit and single labels are allowed).",
    },
    "Abnf-MxALabel": {
        "ruling": None,
        "rfc": "RFC 8461 §3.2",
        "cites": "In the case of Internationalized Domain Names [RFC5891], the \"mx\" value "
        "MUST specify the Punycode-encoded A-label [RFC3492] to match against, and not the "
        "Unicode-encoded U-label.",
        "description": "mx patterns and hosts are A-labels; U-labels are not converted.",
    },
    "Abnf-Uri": {
        "ruling": None,
        "rfc": "RFC 8460 §3",
        "cites": 'tlsrpt-uri = URI ; "URI" is imported from [RFC3986];',
        "description": "rua URIs: RFC 3986 syntax (scheme, allowed characters, "
        "percent-encoding).",
    },
    "Abnf-UsAscii": {
        "ruling": None,
        "rfc": "RFC 8461 §3.1",
        "cites": "MTA-STS TXT records MUST be US-ASCII,",
        "description": "Bytes outside US-ASCII (and controls) in a TXT record.",
    },
    "Nul": {
        "ruling": None,
        "rfc": "RFC 8461 §3.1, §3.2",
        "cites": "bare CR, NUL, invalid UTF-8, a missing required field or a wrong version are "
        "errors in both.",
        "description": "A NUL byte; mtasts reports E_NUL wherever the failing byte is NUL.",
    },
    "MultiString": {
        "ruling": None,
        "rfc": "RFC 8461 §3.1, RFC 8460 §3",
        "cites": "If the resulting TXT record contains multiple strings, then the record MUST be "
        "treated as if those strings are concatenated without adding spaces.",
        "description": "A record given as several character-strings, split at awkward "
        "places (inside the version, a name, the id, a URI; empty strings).",
    },
    "RRsetCount": {
        "ruling": None,
        "rfc": "RFC 8461 §3.1, RFC 8460 §3",
        "cites": "If the number of resulting records is not one, or if the resulting record is "
        "syntactically invalid, senders MUST assume the recipient domain does not have an "
        "available MTA-STS Policy and skip the remaining steps of policy discovery.",
        "description": "RRsets with 0, 1, 2 or 3 candidate records among unrelated ones (SPF, "
        "DMARC, verification tokens, empty strings).",
    },
    "NotAPolicy": {
        "ruling": None,
        "rfc": "RFC 8461 §3.2",
        "cites": "When fetching a policy, senders SHOULD validate that the media type is "
        '"text/plain" to guard against cases where web servers allow untrusted users to host '
        "non-text content (typically, HTML or images) at a user-defined path.",
        "description": "Bodies that are not policies at all (HTML, JSON from old drafts, "
        "images, compressed data).",
    },
}


# ---------------------------------------------------------------------------
# Vector construction
# ---------------------------------------------------------------------------


def b(x) -> bytes:
    """Table inputs are str (UTF-8 encoded) or bytes (taken as they are)."""
    return x if isinstance(x, bytes) else x.encode("utf-8")


def readable(data: bytes):
    """The readable form of some bytes, or None when they are not valid UTF-8."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


class Vec:
    """One row of a table: the input, the expected outcome, and why."""

    def __init__(self, comment, result, *, rfc, flags=(), expected=None, hint=None,
                 warnings=None, acceptable=None, data=None, strings=None, rrset=None,
                 pattern=None, host=None):
        assert result in ("valid", "invalid", "acceptable"), result
        assert acceptable in (None, "valid", "invalid")
        assert (result == "acceptable") == (acceptable is not None), comment
        self.comment = comment
        self.result = result
        self.acceptable = acceptable
        self.rfc = rfc
        self.flags = list(flags)
        for f in self.flags:
            assert f in NOTES, f"unknown flag {f}"
        self.expected = expected
        self.hint = hint
        self.warnings = warnings
        self.data = None if data is None else b(data)
        self.strings = None if strings is None else [b(s) for s in strings]
        self.rrset = None if rrset is None else [[b(s) for s in rr] for rr in rrset]
        self.pattern = pattern
        self.host = host

    @property
    def outcome(self) -> str:
        return self.acceptable if self.result == "acceptable" else self.result

    def to_json(self, tc_id: int, kind: str) -> dict:
        t = {"tcId": tc_id, "comment": self.comment, "flags": self.flags, "rfc": self.rfc,
             "result": self.result}
        if self.acceptable is not None:
            t["acceptableResult"] = self.acceptable
        if kind in ("txt-record", "policy", "tlsrpt-record"):
            t["inputHex"] = self.data.hex()
            text = readable(self.data)
            if text is not None:
                t["input"] = text
        elif kind == "txt-strings":
            t["stringsHex"] = [s.hex() for s in self.strings]
            texts = [readable(s) for s in self.strings]
            if all(x is not None for x in texts):
                t["strings"] = texts
        elif kind in ("txt-rrset", "tlsrpt-rrset"):
            t["rrsetHex"] = [[s.hex() for s in rr] for rr in self.rrset]
            texts = [[readable(s) for s in rr] for rr in self.rrset]
            if all(x is not None for rr in texts for x in rr):
                t["rrset"] = texts
        elif kind == "mx-match":
            t["pattern"] = self.pattern
            t["host"] = self.host
        if self.outcome == "valid":
            t["expected"] = self.expected
            if kind != "mx-match":
                t["warnings"] = list(self.warnings or [])
        else:
            assert self.expected is None and not self.warnings, self.comment
            if self.hint is not None:
                t["errorHint"] = self.hint
        return t


class Section:
    """A run of vectors with one profile and a fixed first tcId."""

    def __init__(self, base: int, profile: str, title: str, vectors: list):
        assert profile in ("strict", "lenient")
        self.base = base
        self.profile = profile
        self.title = title
        self.vectors = vectors


def build_file(kind, source, header, sections):
    groups = []
    last_id = 0
    used_flags = set()
    count = 0
    for profile in ("strict", "lenient"):
        tests = []
        for sec in sections:
            if sec.profile != profile:
                continue
            assert sec.base > last_id, f"{kind}: section '{sec.title}' overlaps the previous one"
            for i, v in enumerate(sec.vectors):
                tc = sec.base + i
                tests.append(v.to_json(tc, kind))
                used_flags.update(v.flags)
                last_id = tc
            count += len(sec.vectors)
        if tests:
            groups.append({"profile": profile, "tests": tests})
    notes = {name: NOTES[name] for name in NOTES if name in used_flags}
    return {
        "kind": kind,
        "schema": "vectors.schema.json",
        "source": source,
        "numberOfTests": count,
        "header": header,
        "notes": notes,
        "testGroups": groups,
    }


def render(doc) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=True) + "\n"


# Row helpers. `inp` is the keyword of the input field for the kind.


def _ok(inp, comment, value, expected, *, rfc, flags=(), warn=()):
    return Vec(comment, "valid", rfc=rfc, flags=flags, expected=expected, warnings=list(warn),
               **{inp: value})


def _bad(inp, comment, value, hint, *, rfc, flags=()):
    return Vec(comment, "invalid", rfc=rfc, flags=flags, hint=hint, **{inp: value})


def _acc(inp, comment, value, *, acc, rfc, flags, expected=None, hint=None, warn=()):
    return Vec(comment, "acceptable", acceptable=acc, rfc=rfc, flags=flags,
               expected=expected, hint=hint, warnings=list(warn) if expected else None,
               **{inp: value})


# ---- _mta-sts TXT records ---------------------------------------------------


def sts_ok(comment, rec, id_, *, flags=(), warn=(), rfc=RFC8461_31, inp="data"):
    return _ok(inp, comment, rec, {"id": id_}, rfc=rfc, flags=flags, warn=warn)


def sts_bad(comment, rec, hint, *, flags=(), rfc=RFC8461_31, inp="data"):
    return _bad(inp, comment, rec, hint, rfc=rfc, flags=flags)


def sts_acc_ok(comment, rec, id_, *, flags, warn=(), rfc=RFC8461_31, inp="data"):
    return _acc(inp, comment, rec, acc="valid", rfc=rfc, flags=flags,
                expected={"id": id_}, warn=warn)


def sts_acc_bad(comment, rec, hint, *, flags, rfc=RFC8461_31, inp="data"):
    return _acc(inp, comment, rec, acc="invalid", rfc=rfc, flags=flags, hint=hint)


DUP = "W_DUPLICATE_FIELD"
TWSP = "W_TXT_TRAILING_WSP"
ID32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef"
ID32B = "ghijklmnopqrstuvwxyz0123456789AZ"
NAME32 = "a" + "b" * 30 + "z"  # 32 characters
TXT_PAD_PREFIX = "v=STSv1; id=abc; pad="


def txt_of_size(n: int, prefix: str = TXT_PAD_PREFIX) -> str:
    return prefix + "x" * (n - len(prefix))


def txt_record_sections():
    V, I, D, E, S = ("Abnf-Version", "Abnf-IdSyntax", "Abnf-Delimiter", "Abnf-ExtValue",
                     "Abnf-Whitespace")
    examples = Section(1, "strict", "RFC example and minimal records", [
        sts_ok("RFC 8461 §3.1 example record", "v=STSv1; id=20160831085700Z;",
               "20160831085700Z", flags=["Example"]),
        sts_ok("example without the optional final delimiter", "v=STSv1; id=20160831085700Z",
               "20160831085700Z"),
        sts_ok("minimal record: no spaces, one-character id", "v=STSv1;id=a", "a"),
        sts_ok("one-digit id", "v=STSv1; id=1", "1", flags=[I]),
        sts_ok("final delimiter with no space before it", "v=STSv1;id=abc;", "abc", flags=[D]),
        sts_ok("final delimiter followed by WSP (part of the delimiter)", "v=STSv1; id=abc; ",
               "abc", flags=[D, S]),
        sts_ok("final delimiter followed by a tab", "v=STSv1;id=abc;\t", "abc", flags=[D, S]),
        sts_ok("several spaces after \";\"", "v=STSv1;    id=abc", "abc", flags=[S]),
        sts_ok("tabs after \";\"; extension name with _ - . (real-world: mailauth strict test)",
               "v=STSv1;\tid=abc;\text.name-1_x=value", "abc", flags=[S, "Abnf-ExtName"]),
        sts_ok("id field after an extension: field order is not significant",
               "v=STSv1; ext=1; id=abc", "abc", flags=[V]),
        sts_ok("extensions before and after the id (real-world: mox parse_test)",
               "v=STSv1; id=a; more=a; ext=2", "a", flags=[E]),
        sts_ok("id without final delimiter (real-world: stalwart mail-auth test)",
               "v=STSv1; id=20190429T010101", "20190429T010101"),
        sts_ok("mixed-case id is returned as written", "v=STSv1; id=AbC123xYz", "AbC123xYz",
               flags=["R16-IdAsWritten"]),
        sts_ok("upper-case id is not folded", "v=STSv1; id=ABC", "ABC",
               flags=["R16-IdAsWritten"]),
        sts_ok("id made of digits only (a timestamp)", "v=STSv1; id=20240101010101",
               "20240101010101", flags=[I]),
    ])
    version = Section(100, "strict", "the version field", [
        sts_bad("V=STSv1: the version literal is case-sensitive (real-world: mailauth lax mode "
                "accepts it)", "V=STSv1; id=abc", "E_TXT_VERSION",
                flags=["Abnf-CaseSensitive", V]),
        sts_bad("v=stsv1: lower-case version (real-world: mailauth lax mode accepts it)",
                "v=stsv1; id=abc", "E_TXT_VERSION", flags=["Abnf-CaseSensitive", V]),
        sts_bad("v=STSV1: upper-case V in the version value", "v=STSV1; id=abc",
                "E_TXT_VERSION", flags=["Abnf-CaseSensitive", V]),
        sts_bad("v=STSv2: unknown version (real-world: mox parse_test)", "v=STSv2; id=abc",
                "E_TXT_VERSION", flags=[V]),
        sts_bad("v=STSv0 alone (real-world: mox parse_test)", "v=STSv0", "E_TXT_VERSION",
                flags=[V]),
        sts_bad("v=STSv10: the version field runs on (real-world: mox parse_test)",
                "v=STSv10; id=abc", "E_TXT_VERSION", flags=[V, D]),
        sts_bad("v=STSv1.1: the version field runs on", "v=STSv1.1; id=abc", "E_TXT_VERSION",
                flags=[V, D]),
        sts_bad("leading space before the version (real-world: mailauth lax mode accepts it)",
                " v=STSv1; id=abc", "E_TXT_VERSION", flags=[V, S]),
        sts_bad("leading tab before the version", "\tv=STSv1; id=abc", "E_TXT_VERSION",
                flags=[V, S]),
        sts_bad("space before \"=\" in the version (real-world: checkdmarc test)",
                "v =STSv1; id=abc", "E_TXT_VERSION", flags=[V, S]),
        sts_bad("space after \"=\" in the version (real-world: checkdmarc test)",
                "v= STSv1; id=abc", "E_TXT_VERSION", flags=[V, S]),
        sts_bad("version not first (real-world: mailauth test; stalwart mail-auth accepts v "
                "anywhere)", "id=abc; v=STSv1", "E_TXT_VERSION", flags=[V]),
        sts_bad("the version alone: no field (real-world: mox parse_test)", "v=STSv1",
                "E_TXT_MISSING_ID", flags=[D, "Abnf-Required"]),
        sts_bad("the version and a space: trailing WSP", "v=STSv1 ", "E_TXT_TRAILING_WSP",
                flags=[D, S, "L5-TxtTrailingWsp"]),
        sts_bad("the version and a final delimiter, no field (real-world: mox, checkdmarc "
                "tests)", "v=STSv1;", "E_TXT_MISSING_ID", flags=[D, "Abnf-Required"]),
        sts_bad("no delimiter between the version and id (real-world: mailauth test)",
                "v=STSv1 id=abc", "E_TXT_EXPECTED_DELIM", flags=[D]),
        sts_bad("comma instead of semicolon: the version field runs on", "v=STSv1, id=abc",
                "E_TXT_VERSION", flags=[V, D]),
        sts_bad("colon instead of semicolon: the version field runs on", "v=STSv1:id=abc",
                "E_TXT_VERSION", flags=[V, D]),
        sts_bad("CRLF right after the version", "v=STSv1\r\n; id=abc", "E_TXT_VERSION",
                flags=[V, "Abnf-UsAscii"]),
        sts_bad("truncated version", "v=STS", "E_TXT_VERSION", flags=[V]),
        sts_bad("empty record", "", "E_EMPTY", flags=[V]),
        sts_bad("an SPF record where the MTA-STS record should be (real-world: checkdmarc "
                "test)", "v=spf1 -all", "E_TXT_VERSION", flags=[V]),
        sts_bad("a DMARC record", "v=DMARC1; p=none", "E_TXT_VERSION", flags=[V]),
        sts_bad("a TLSRPT record", "v=TLSRPTv1; rua=mailto:a@example.com", "E_TXT_VERSION",
                flags=[V]),
        sts_bad("UTF-8 BOM before the version", "\ufeffv=STSv1; id=abc", "E_TXT_VERSION",
                flags=[V, "Abnf-UsAscii"]),
        sts_bad("NUL before the version", b"\x00v=STSv1; id=abc", "E_NUL", flags=["Nul"]),
        sts_bad("NUL right after the version", b"v=STSv1\x00; id=abc", "E_NUL", flags=["Nul"]),
        sts_bad("NUL inside the version", b"v=ST\x00Sv1; id=abc", "E_NUL", flags=["Nul"]),
        sts_bad("quoted record (zone-file quotes kept by mistake)",
                "\"v=STSv1; id=abc;\"", "E_TXT_VERSION", flags=[V]),
    ])
    delims = Section(200, "strict", "delimiters and whitespace", [
        sts_acc_ok("space before the first \";\" (real-world: aykevl/mta-sts#19; Erratum 6285)",
                   "v=STSv1 ; id=abc", "abc", flags=["R1-WspBeforeDelim"]),
        sts_acc_ok("tab before the first \";\"", "v=STSv1\t;id=abc", "abc",
                   flags=["R1-WspBeforeDelim"]),
        sts_acc_ok("WSP before every \";\" (real-world: mailauth strict test accepts it)",
                   "v=STSv1 ;id=abc ; ", "abc", flags=["R1-WspBeforeDelim"]),
        sts_acc_ok("WSP before the final \";\" (real-world: mox parse_test)",
                   "v=STSv1; \t id=20160831085700Z  \t;", "20160831085700Z",
                   flags=["R1-WspBeforeDelim"]),
        sts_acc_ok("WSP before a later \";\"", "v=STSv1; id=abc ; ext=1", "abc",
                   flags=["R1-WspBeforeDelim"]),
        sts_bad("WSP before \";\" but no field at all", "v=STSv1 ;", "E_TXT_MISSING_ID",
                flags=["R1-WspBeforeDelim", "Abnf-Required"]),
        sts_bad("double final delimiter (real-world: mox parse_test)", "v=STSv1; id=abc;;",
                "E_TXT_EMPTY_FIELD", flags=[D]),
        sts_bad("empty field right after the version", "v=STSv1;; id=abc", "E_TXT_EMPTY_FIELD",
                flags=[D]),
        sts_bad("empty field with WSP (real-world: mailauth test)", "v=STSv1; ; id=abc",
                "E_TXT_EMPTY_FIELD", flags=[D]),
        sts_bad("empty field after the last field", "v=STSv1; id=abc; ;", "E_TXT_EMPTY_FIELD",
                flags=[D]),
        sts_bad("three final delimiters (real-world: postfix-mta-sts-resolver accepts it)",
                "v=STSv1; id=20160831085700Z;;;", "E_TXT_EMPTY_FIELD", flags=[D]),
        sts_bad("trailing space without a final \";\" (real-world: mailauth strict test)",
                "v=STSv1; id=abc ", "E_TXT_TRAILING_WSP", flags=[S, "L5-TxtTrailingWsp"]),
        sts_bad("trailing tab without a final \";\"", "v=STSv1; id=abc\t", "E_TXT_TRAILING_WSP",
                flags=[S, "L5-TxtTrailingWsp"]),
        sts_bad("trailing spaces after an extension", "v=STSv1; id=abc; ext=1  ",
                "E_TXT_TRAILING_WSP", flags=[S, "L5-TxtTrailingWsp"]),
        sts_bad("trailing spaces (real-world: postfix-mta-sts-resolver test accepts it)",
                "v=STSv1;        id=20160831085700Z   ", "E_TXT_TRAILING_WSP",
                flags=[S, "L5-TxtTrailingWsp"]),
        sts_bad("two fields separated by a space only", "v=STSv1; id=abc ext=1",
                "E_TXT_EXPECTED_DELIM", flags=[D]),
        sts_bad("space inside the id (real-world: mailauth test; its lax mode returns "
                "\"abc def\")", "v=STSv1; id=abc def", "E_TXT_EXPECTED_DELIM", flags=[D, I]),
        sts_bad("CRLF at the end of the record (copied from a zone file)",
                "v=STSv1; id=abc\r\n", "E_TXT_ID_CHAR", flags=[I, "Abnf-UsAscii"]),
        sts_bad("LF at the end of the record", "v=STSv1; id=abc\n", "E_TXT_ID_CHAR",
                flags=[I, "Abnf-UsAscii"]),
        sts_bad("CRLF after the final delimiter", "v=STSv1; id=abc;\r\n", "E_TXT_FIELD_NAME",
                flags=[S, "Abnf-UsAscii"]),
        sts_bad("vertical tab is not WSP", "v=STSv1;\x0bid=abc", "E_TXT_FIELD_NAME", flags=[S]),
        sts_bad("form feed is not WSP", "v=STSv1;\x0cid=abc", "E_TXT_FIELD_NAME", flags=[S]),
        sts_bad("NBSP is not WSP", "v=STSv1;\u00a0id=abc", "E_TXT_FIELD_NAME",
                flags=[S, "Abnf-UsAscii"]),
        sts_bad("space before \"=\" in id (real-world: checkdmarc test)", "v=STSv1; id =abc",
                "E_TXT_EXPECTED_EQUALS", flags=[S]),
        sts_bad("space after \"=\" in id", "v=STSv1; id= abc", "E_TXT_VALUE_EMPTY", flags=[S]),
        sts_bad("field name without \"=\" at the end", "v=STSv1; id", "E_TXT_EXPECTED_EQUALS",
                flags=[D]),
        sts_bad("field name without \"=\" before \";\"", "v=STSv1; id; id=abc",
                "E_TXT_EXPECTED_EQUALS", flags=[D]),
        sts_bad("field with an empty name", "v=STSv1; =abc", "E_TXT_FIELD_NAME",
                flags=["Abnf-ExtName"]),
    ])
    ids = Section(300, "strict", "the id production", [
        sts_ok("id of 32 letters (upper and lower edge letters)", "v=STSv1; id=" + ID32, ID32,
               flags=[I]),
        sts_ok("id of 32 characters with digits and Z", "v=STSv1; id=" + ID32B, ID32B,
               flags=[I]),
        sts_ok("id of 32 digits", "v=STSv1; id=" + "0123456789" * 3 + "99",
               "0123456789" * 3 + "99", flags=[I]),
        sts_ok("id of 31 characters", "v=STSv1; id=" + "a" * 31, "a" * 31, flags=[I]),
        sts_bad("id of 33 characters (real-world: mox, checkdmarc tests; mailauth lax mode "
                "accepts it)", "v=STSv1; id=" + "a" * 33, "E_TXT_ID_TOO_LONG", flags=[I]),
        sts_bad("id of 33 characters then a final delimiter",
                "v=STSv1; id=012345678901234567890123456789012;", "E_TXT_ID_TOO_LONG",
                flags=[I]),
        sts_bad("id of 64 characters", "v=STSv1; id=" + "a" * 64, "E_TXT_ID_TOO_LONG",
                flags=[I]),
        sts_bad("empty id at the end (real-world: mox parse_test)", "v=STSv1; id=",
                "E_TXT_VALUE_EMPTY", flags=[I]),
        sts_bad("empty id before \";\"", "v=STSv1; id=;", "E_TXT_VALUE_EMPTY", flags=[I]),
        sts_bad("hyphen in id (real-world: mox parse_test)", "v=STSv1; id=test-123",
                "E_TXT_ID_CHAR", flags=[I, "R4-KnownFieldBadValue"]),
        sts_bad("date with hyphens as id (real-world: mailauth lax mode accepts it)",
                "v=STSv1; id=2016-08-31", "E_TXT_ID_CHAR", flags=[I, "R4-KnownFieldBadValue"]),
        sts_bad("dot in id (real-world: mailauth test)", "v=STSv1; id=1.2", "E_TXT_ID_CHAR",
                flags=[I, "R4-KnownFieldBadValue"]),
        sts_bad("underscore in id", "v=STSv1; id=abc_def", "E_TXT_ID_CHAR",
                flags=[I, "R4-KnownFieldBadValue"]),
        sts_bad("quoted id (real-world: mailauth test)", "v=STSv1; id=\"abc\"", "E_TXT_ID_CHAR",
                flags=[I, "R4-KnownFieldBadValue"]),
        sts_bad("parentheses in id (real-world: mailauth test)", "v=STSv1; id=abc(xyz)",
                "E_TXT_ID_CHAR", flags=[I, "R4-KnownFieldBadValue"]),
        sts_bad("\"=\" in id", "v=STSv1; id=ab=c", "E_TXT_ID_CHAR", flags=[I]),
        sts_bad("base64-style id with + and /", "v=STSv1; id=ab+c/d", "E_TXT_ID_CHAR",
                flags=[I, "R4-KnownFieldBadValue"]),
        sts_bad("\"/\" (0x2F, just below DIGIT) in id", "v=STSv1; id=ab/c", "E_TXT_ID_CHAR",
                flags=[I]),
        sts_bad("\":\" (0x3A, just above DIGIT) in id", "v=STSv1; id=ab:c", "E_TXT_ID_CHAR",
                flags=[I]),
        sts_bad("\"@\" (0x40, just below A) in id", "v=STSv1; id=ab@c", "E_TXT_ID_CHAR",
                flags=[I]),
        sts_bad("\"[\" (0x5B, just above Z) in id", "v=STSv1; id=ab[c", "E_TXT_ID_CHAR",
                flags=[I]),
        sts_bad("\"`\" (0x60, just below a) in id", "v=STSv1; id=ab`c", "E_TXT_ID_CHAR",
                flags=[I]),
        sts_bad("\"{\" (0x7B, just above z) in id", "v=STSv1; id=ab{c", "E_TXT_ID_CHAR",
                flags=[I]),
        sts_bad("DEL in id", "v=STSv1; id=abc\x7f", "E_TXT_ID_CHAR", flags=[I]),
        sts_bad("control character in id", "v=STSv1; id=abc\x01", "E_TXT_ID_CHAR", flags=[I]),
        sts_bad("NUL inside the id", b"v=STSv1; id=ab\x00c", "E_NUL", flags=["Nul"]),
        sts_bad("non-ASCII letter in id", "v=STSv1; id=caf\u00e9", "E_TXT_ID_CHAR",
                flags=[I, "Abnf-UsAscii"]),
        sts_bad("invalid UTF-8 byte in id", b"v=STSv1; id=ab\xffc", "E_TXT_ID_CHAR",
                flags=[I, "Abnf-UsAscii"]),
        sts_bad("ID= is not the id field: no id (real-world: mailauth test)",
                "v=STSv1; ID=abc", "E_TXT_MISSING_ID",
                flags=["Abnf-CaseSensitive", "Abnf-Required"]),
        sts_bad("Id= is not the id field", "v=STSv1; Id=abc", "E_TXT_MISSING_ID",
                flags=["Abnf-CaseSensitive", "Abnf-Required"]),
        sts_bad("iD= is not the id field", "v=STSv1; iD=abc", "E_TXT_MISSING_ID",
                flags=["Abnf-CaseSensitive", "Abnf-Required"]),
        sts_ok("ID= is an extension beside the real id, not a duplicate",
               "v=STSv1; id=abc; ID=def", "abc", flags=["Abnf-CaseSensitive"]),
        sts_ok("ID= before the real id", "v=STSv1; ID=def; id=abc", "abc",
               flags=["Abnf-CaseSensitive"]),
        sts_bad("extension only, no id (real-world: mox parse_test)", "v=STSv1; ext=1",
                "E_TXT_MISSING_ID", flags=["Abnf-Required"]),
        sts_bad("ids= is not id", "v=STSv1; ids=abc", "E_TXT_MISSING_ID",
                flags=["Abnf-Required"]),
        sts_bad("i= is not id", "v=STSv1; i=abc", "E_TXT_MISSING_ID", flags=["Abnf-Required"]),
        sts_bad("policy_id= (an old draft's name) is not id", "v=STSv1; policy_id=abc",
                "E_TXT_MISSING_ID", flags=["Abnf-Required"]),
        sts_bad("33 id characters then NUL: the 33rd character is the error, not the NUL",
                b"v=STSv1; id=" + b"a" * 33 + b"\x00", "E_TXT_ID_TOO_LONG", flags=[I, "Nul"]),
    ])
    exts = Section(400, "strict", "extension fields", [
        sts_ok("one-character extension name", "v=STSv1; id=abc; a=1", "abc",
               flags=["Abnf-ExtName"]),
        sts_ok("32-character extension name", f"v=STSv1; id=abc; {NAME32}=1", "abc",
               flags=["Abnf-ExtName"]),
        sts_bad("33-character extension name (real-world: mox parse_test)",
                "v=STSv1; id=a; a12345678901234567890123456789012=1", "E_TXT_FIELD_NAME",
                flags=["Abnf-ExtName"]),
        sts_ok("extension name starting with a digit", "v=STSv1; id=abc; 1ext=foo", "abc",
               flags=["Abnf-ExtName"]),
        sts_ok("extension name ending in _ - .", "v=STSv1; id=abc; a_=1; b-=2; c.=3", "abc",
               flags=["Abnf-ExtName"]),
        sts_bad("extension name starting with _ (real-world: mailauth test)",
                "v=STSv1; id=abc; _ext=x", "E_TXT_FIELD_NAME", flags=["Abnf-ExtName"]),
        sts_bad("extension name starting with -", "v=STSv1; id=abc; -ext=x",
                "E_TXT_FIELD_NAME", flags=["Abnf-ExtName"]),
        sts_bad("extension name starting with .", "v=STSv1; id=abc; .ext=x",
                "E_TXT_FIELD_NAME", flags=["Abnf-ExtName"]),
        sts_bad("\"%\" inside an extension name (real-world: mox parse_test)",
                "v=STSv1; id=a; 1%=a", "E_TXT_EXPECTED_EQUALS", flags=["Abnf-ExtName"]),
        sts_bad("non-ASCII extension name", "v=STSv1; id=abc; \u00e9=1", "E_TXT_FIELD_NAME",
                flags=["Abnf-ExtName", "Abnf-UsAscii"]),
        sts_ok("value of the lowest allowed character \"!\" (0x21)", "v=STSv1; id=abc; e=!",
               "abc", flags=[E]),
        sts_ok("value of the highest allowed character \"~\" (0x7E)", "v=STSv1; id=abc; e=~",
               "abc", flags=[E]),
        sts_ok("\":\" (0x3A), \"<\" (0x3C) and \">\" (0x3E) around the excluded \";\" and \"=\"",
               "v=STSv1; id=abc; e=:<>", "abc", flags=[E]),
        sts_ok("URL as extension value (real-world: mailauth test)",
               "v=STSv1; ext=https://x.example; id=abc", "abc", flags=[E]),
        sts_ok("\"(\" in a value before the id (real-world: mailauth test)",
               "v=STSv1; ext=(x; id=abc", "abc", flags=[E]),
        sts_ok("a lone double quote in a value (real-world: mailauth test)",
               "v=STSv1; ext=\"x; id=abc", "abc", flags=[E]),
        sts_ok("a lone single quote in a value (real-world: mailauth test)",
               "v=STSv1; ext='q; id=abc", "abc", flags=[E]),
        sts_ok("backslash in a value (real-world: mailauth test)", "v=STSv1; id=abc; ext=a\\b",
               "abc", flags=[E]),
        sts_ok("every visible ASCII character except ; and =",
               "v=STSv1; id=abc; all=" + "".join(chr(c) for c in range(0x21, 0x7F)
                                                 if c not in (0x3B, 0x3D)), "abc", flags=[E]),
        sts_bad("\"=\" (0x3D) in a value (real-world: mox parse_test)", "v=STSv1; id=a; test==",
                "E_TXT_VALUE_CHAR", flags=[E]),
        sts_bad("\"=\" inside a value", "v=STSv1; id=abc; e=a=b", "E_TXT_VALUE_CHAR", flags=[E]),
        sts_bad("DEL (0x7F) in a value", "v=STSv1; id=abc; e=a\x7f", "E_TXT_VALUE_CHAR",
                flags=[E]),
        sts_bad("0x1F in a value", "v=STSv1; id=abc; e=a\x1f", "E_TXT_VALUE_CHAR", flags=[E]),
        sts_bad("0x80 in a value", b"v=STSv1; id=abc; e=a\x80", "E_TXT_VALUE_CHAR",
                flags=[E, "Abnf-UsAscii"]),
        sts_bad("UTF-8 letter in a value (real-world: mailauth test)",
                "v=STSv1; id=abc; ext=\u00fc",
                "E_TXT_VALUE_CHAR", flags=[E, "Abnf-UsAscii"]),
        sts_bad("empty extension value at the end (real-world: mox parse_test)",
                "v=STSv1; id=a; more=", "E_TXT_VALUE_EMPTY", flags=[E]),
        sts_bad("empty extension value before \";\" (real-world: mailauth test)",
                "v=STSv1; id=abc; ext=;", "E_TXT_VALUE_EMPTY", flags=[E]),
        sts_bad("space inside an extension value (real-world: mailauth test)",
                "v=STSv1; id=abc; ext=a b", "E_TXT_EXPECTED_DELIM", flags=[E]),
        sts_bad("NUL in an extension value", b"v=STSv1; id=abc; e=a\x00", "E_NUL",
                flags=["Nul"]),
        sts_ok("32 extensions", "v=STSv1; id=abc; " + "; ".join(f"e{i}=v" for i in range(32)),
               "abc", flags=[E]),
        sts_ok("extension called v= after the version is a duplicate of v, ignored",
               "v=STSv1; id=abc; v=STSv2", "abc", flags=["R3-DuplicateFirstWins"], warn=[DUP]),
        sts_bad("a 33-character name then NUL: the 33rd character is the error, not the NUL",
                b"v=STSv1; id=abc; " + b"n" * 33 + b"\x00=1", "E_TXT_FIELD_NAME",
                flags=["Abnf-ExtName", "Nul"]),
    ])
    dups = Section(500, "strict", "duplicate fields (R3)", [
        sts_ok("duplicate id: the first wins (real-world: mailauth, checkdmarc tests; "
               "postfix-mta-sts-resolver keeps the last)",
               "v=STSv1; id=first; id=second", "first", flags=["R3-DuplicateFirstWins"],
               warn=[DUP]),
        sts_ok("three ids: the first wins, two warnings",
               "v=STSv1; id=first; id=second; id=third", "first",
               flags=["R3-DuplicateFirstWins"], warn=[DUP, DUP]),
        sts_ok("a later id only has to be a valid extension (real-world: mailauth strict test)",
               "v=STSv1; id=abc; id=x-y", "abc",
               flags=["R3-DuplicateFirstWins", "R3-DuplicateMustParse"], warn=[DUP]),
        sts_ok("a later id of 40 characters is a valid extension value",
               "v=STSv1; id=abc; id=" + "a" * 40, "abc",
               flags=["R3-DuplicateFirstWins", "R3-DuplicateMustParse"], warn=[DUP]),
        sts_acc_bad("the first id is bad, the second good (real-world: mailauth strict test "
                    "rejects it)", "v=STSv1; id=x-y; id=abc", "E_TXT_ID_CHAR",
                    flags=["R4-KnownFieldBadValue", "R3-DuplicateFirstWins"]),
        sts_acc_bad("the first id is too long, the second good",
                    "v=STSv1; id=" + "a" * 33 + "; id=abc", "E_TXT_ID_TOO_LONG",
                    flags=["R4-KnownFieldBadValue", "R3-DuplicateFirstWins"]),
        sts_bad("the first id is empty (not even an extension), the second good",
                "v=STSv1; id=; id=abc", "E_TXT_VALUE_EMPTY", flags=["R4-KnownFieldBadValue"]),
        sts_bad("a later empty id is not a grammatical field", "v=STSv1; id=abc; id=",
                "E_TXT_VALUE_EMPTY", flags=["R3-DuplicateMustParse"]),
        sts_bad("a later id with a space is not a grammatical field", "v=STSv1; id=abc; id=a b",
                "E_TXT_EXPECTED_DELIM", flags=["R3-DuplicateMustParse"]),
        sts_bad("a later id with non-ASCII is not a grammatical field",
                "v=STSv1; id=abc; id=\u00fc", "E_TXT_VALUE_CHAR",
                flags=["R3-DuplicateMustParse"]),
        sts_ok("a later v=STSv1 is an ignored duplicate", "v=STSv1; id=abc; v=STSv1", "abc",
               flags=["R3-DuplicateFirstWins"], warn=[DUP]),
        sts_bad("a later empty v= is not a grammatical field", "v=STSv1; id=abc; v=",
                "E_TXT_VALUE_EMPTY", flags=["R3-DuplicateMustParse"]),
        sts_ok("duplicate extension: the first wins", "v=STSv1; ext=1; ext=2; id=abc", "abc",
               flags=["R3-DuplicateFirstWins"], warn=[DUP]),
        sts_bad("a later empty extension is not a grammatical field",
                "v=STSv1; ext=1; id=abc; ext=", "E_TXT_VALUE_EMPTY",
                flags=["R3-DuplicateMustParse"]),
        sts_ok("extension names compare byte for byte: Ext and ext are different fields",
               "v=STSv1; id=abc; Ext=1; ext=2", "abc", flags=["Abnf-ExtName"]),
        sts_ok("duplicate id and duplicate extension: one warning each, in order",
               "v=STSv1; id=a; e=1; id=b; e=2", "a", flags=["R3-DuplicateFirstWins"],
               warn=[DUP, DUP]),
    ])
    sizes = Section(600, "strict", "size limit (R18)", [
        sts_ok("record of exactly 4096 octets", txt_of_size(4096), "abc",
               flags=["R18-TxtSize"]),
        sts_bad("record of 4097 octets", txt_of_size(4097), "E_TXT_TOO_LARGE",
                flags=["R18-TxtSize"]),
        sts_bad("4097 octets of garbage: the size is checked first", "x" * 4097,
                "E_TXT_TOO_LARGE", flags=["R18-TxtSize"]),
        sts_ok("record of 256 octets (longer than one DNS character-string)", txt_of_size(256),
               "abc", flags=["R18-TxtSize"]),
        sts_ok("4096 octets with the id last",
               "v=STSv1; pad=" + "x" * (4096 - len("v=STSv1; pad=; id=abc")) + "; id=abc",
               "abc", flags=["R18-TxtSize"]),
    ])
    lenient = Section(5000, "lenient", "lenient profile", [
        sts_ok("trailing space is ignored in lenient", "v=STSv1; id=abc ", "abc",
               flags=["L5-TxtTrailingWsp"], warn=[TWSP]),
        sts_ok("trailing mixed WSP is ignored in lenient", "v=STSv1; id=abc \t ", "abc",
               flags=["L5-TxtTrailingWsp"], warn=[TWSP]),
        sts_ok("trailing spaces (real-world: postfix-mta-sts-resolver test)",
               "v=STSv1;        id=20160831085700Z   ", "20160831085700Z",
               flags=["L5-TxtTrailingWsp"], warn=[TWSP]),
        sts_ok("trailing tab after an extension", "v=STSv1; id=abc; ext=1\t", "abc",
               flags=["L5-TxtTrailingWsp"], warn=[TWSP]),
        sts_ok("duplicate id and trailing WSP: two warnings in order",
               "v=STSv1; id=first; id=second ", "first",
               flags=["L5-TxtTrailingWsp", "R3-DuplicateFirstWins"], warn=[DUP, TWSP]),
        sts_bad("lenient: V=STSv1 is still invalid (real-world: mailauth lax mode accepts it)",
                "V=STSv1; id=abc", "E_TXT_VERSION",
                flags=["LenientStillRejects", "Abnf-CaseSensitive"]),
        sts_bad("lenient: v=stsv1 is still invalid", "v=stsv1; id=abc", "E_TXT_VERSION",
                flags=["LenientStillRejects", "Abnf-CaseSensitive"]),
        sts_bad("lenient: leading WSP is still invalid (real-world: mailauth lax mode)",
                "  v=STSv1; id=abc", "E_TXT_VERSION", flags=["LenientStillRejects", S]),
        sts_bad("lenient: a hyphen in the id is still invalid (real-world: mailauth lax mode)",
                "v=STSv1; id=2016-08-31", "E_TXT_ID_CHAR",
                flags=["LenientStillRejects", "R4-KnownFieldBadValue"]),
        sts_bad("lenient: a 33-character id is still invalid (real-world: mailauth lax mode)",
                "v=STSv1; id=" + "a" * 33, "E_TXT_ID_TOO_LONG", flags=["LenientStillRejects"]),
        sts_bad("lenient: a space inside the id is still invalid (real-world: mailauth lax "
                "mode)", "v=STSv1; id=abc def", "E_TXT_EXPECTED_DELIM",
                flags=["LenientStillRejects"]),
        sts_bad("lenient: ID= is still not id", "v=STSv1; ID=abc", "E_TXT_MISSING_ID",
                flags=["LenientStillRejects", "Abnf-CaseSensitive"]),
        sts_bad("lenient: an empty field is still invalid (real-world: postfix-mta-sts-resolver"
                ")", "v=STSv1; id=abc;;", "E_TXT_EMPTY_FIELD", flags=["LenientStillRejects"]),
        sts_bad("lenient: trailing CRLF is not WSP", "v=STSv1; id=abc\r\n", "E_TXT_ID_CHAR",
                flags=["LenientStillRejects"]),
        sts_bad("lenient: trailing WSP then CR", "v=STSv1; id=abc \r", "E_TXT_EXPECTED_DELIM",
                flags=["LenientStillRejects", "L5-TxtTrailingWsp"]),
        sts_bad("lenient: NUL is still invalid", b"v=STSv1; id=abc\x00", "E_NUL",
                flags=["LenientStillRejects", "Nul"]),
        sts_bad("lenient: invalid UTF-8 in a value is still invalid",
                b"v=STSv1; id=abc; e=\xff", "E_TXT_VALUE_CHAR", flags=["LenientStillRejects"]),
        sts_bad("lenient: a missing delimiter is still invalid", "v=STSv1 id=abc",
                "E_TXT_EXPECTED_DELIM", flags=["LenientStillRejects"]),
        sts_bad("lenient: no id is still invalid", "v=STSv1;", "E_TXT_MISSING_ID",
                flags=["LenientStillRejects"]),
        sts_bad("lenient: the version and a space: the WSP is ignored, the id is missing",
                "v=STSv1 ", "E_TXT_MISSING_ID", flags=["LenientStillRejects",
                                                     "L5-TxtTrailingWsp"]),
        sts_bad("lenient: 4097 octets is still too large", txt_of_size(4097),
                "E_TXT_TOO_LARGE", flags=["LenientStillRejects", "R18-TxtSize"]),
        sts_acc_bad("lenient: a bad first id is still invalid", "v=STSv1; id=x-y; id=abc",
                    "E_TXT_ID_CHAR", flags=["LenientStillRejects", "R4-KnownFieldBadValue"]),
    ])
    return [examples, version, delims, ids, exts, dups, sizes, lenient]


def chunks(s: str, n: int) -> list:
    return [s[i:i + n] for i in range(0, len(s), n)]


def txt_strings_sections():
    M = "MultiString"

    def ok(c, strings, id_, flags=(), warn=()):
        return sts_ok(c, strings, id_, flags=[M, *flags], warn=warn, inp="strings")

    def bad(c, strings, hint, flags=()):
        return sts_bad(c, strings, hint, flags=[M, *flags], inp="strings")

    def acc_ok(c, strings, id_, flags):
        return sts_acc_ok(c, strings, id_, flags=[M, *flags], inp="strings")

    strict = Section(1, "strict", "character-strings of one RR", [
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
    lenient = Section(500, "lenient", "lenient profile", [
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
    return [strict, lenient]


SPF = "v=spf1 -all"
DMARC = "v=DMARC1; p=none"
GOOD = "v=STSv1; id=good"


def txt_rrset_sections():
    C, F = "RRsetCount", "R1-RRsetFilter"

    def ok(c, rrset, id_, flags=(), warn=()):
        return sts_ok(c, rrset, id_, flags=[C, *flags], warn=warn, inp="rrset")

    def bad(c, rrset, hint, flags=()):
        return sts_bad(c, rrset, hint, flags=[C, *flags], inp="rrset")

    def acc_ok(c, rrset, id_, flags):
        return sts_acc_ok(c, rrset, id_, flags=[C, *flags], inp="rrset")

    def acc_bad(c, rrset, hint, flags):
        return sts_acc_bad(c, rrset, hint, flags=[C, *flags], inp="rrset")

    strict = Section(1, "strict", "TXT RRset selection", [
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
    ])
    lenient = Section(500, "lenient", "lenient profile", [
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
    return [strict, lenient]


# ---- policies ---------------------------------------------------------------


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
    return _ok("data", comment, body, exp or pexp(), rfc=rfc, flags=flags, warn=warn)


def pbad(comment, body, hint, *, flags=(), rfc=RFC8461_32):
    return _bad("data", comment, body, hint, rfc=rfc, flags=flags)


def pacc_bad(comment, body, hint, *, flags, rfc=RFC8461_32):
    return _acc("data", comment, body, acc="invalid", rfc=rfc, flags=flags, hint=hint)


RFC_POLICY_LINES = ["version: STSv1", "mode: enforce", "mx: mail.example.com",
                    "mx: *.example.net", "mx: backupmx.example.com", "max_age: 604800"]
RFC_POLICY_EXP = pexp(mx=["mail.example.com", "*.example.net", "backupmx.example.com"])
W_BOM, W_BLANK, W_TRAIL, W_CLAMP = ("W_POLICY_BOM", "W_POLICY_BLANK_LINE",
                                    "W_POLICY_TRAILING_BLANK", "W_POLICY_MAX_AGE_CLAMPED")
BOM = "\ufeff"
LABEL63 = "a" * 62 + "z"
LABEL64 = "a" * 63 + "z"


def name_of_length(n: int, suffix: str = ".example") -> str:
    """A host name of exactly n octets: labels of 63 octets, then `suffix`."""
    body = n - len(suffix)
    labels = []
    while body > 0:
        take = min(63, body - 1 if body > 1 else body)
        if body - take == 1:  # never leave a lone "." without a label
            take -= 1
        labels.append("m" * take)
        body -= take + 1
    name = ".".join(labels) + suffix
    assert len(name) == n and all(0 < len(x) <= 63 for x in name.split(".")), (n, name)
    return name


def policy_of_size(n: int, head: str = None) -> str:
    head = head if head is not None else std()
    prefix = head + "pad: "
    return prefix + "x" * (n - len(prefix) - 1) + "\n"


def policy_sections():
    PF, PV, MA, MX = "Abnf-PolicyField", "Abnf-PolicyValues", "Abnf-MaxAgeSyntax", "Abnf-MxSyntax"
    LE, BCR = "R6-LineEndings", "R6-BareCR"
    R4 = "R4-KnownFieldBadValue"
    examples = Section(1, "strict", "RFC example and well-formed policies", [
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
    endings = Section(100, "strict", "line endings (R6)", [
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
    blanks = Section(200, "strict", "blank lines, leading WSP, BOM (R7)", [
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
    names = Section(300, "strict", "field names", [
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
    values = Section(400, "strict", "version and mode values", [
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

    ages = Section(500, "strict", "max_age (R5)", [
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
    host63 = LABEL63 + ".example"
    name253 = name_of_length(253)
    name254 = name_of_length(254)
    wild253 = "*." + name_of_length(251)
    wild254 = "*." + name_of_length(252)

    def mx_ok(c, pattern, flags=()):
        return pok(c, std(mx=("mx: " + pattern,)), pexp(mx=[pattern]), flags=[MX, *flags])

    def mx_bad(c, pattern, hint, flags=()):
        return pbad(c, std(mx=("mx: " + pattern,)), hint, flags=[MX, R4, *flags])

    def mx_acc(c, pattern, hint, flags=()):
        return pacc_bad(c, std(mx=("mx: " + pattern,)), hint, flags=[MX, *flags])

    mxs = Section(600, "strict", "mx patterns", [
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
        mx_ok("63-octet label", host63, [R12L]),
        mx_ok("wildcard with a 63-octet label", "*." + host63, [R12L]),
        mx_ok("253-octet name", name253, [R12L]),
        mx_ok("253-octet wildcard pattern (the \"*.\" counts)", wild253, [R12L]),
        mx_acc("64-octet label", LABEL64 + ".example", "E_POLICY_MX_LABEL_TOO_LONG", [R12L]),
        mx_acc("wildcard with a 64-octet label", "*." + LABEL64 + ".example",
               "E_POLICY_MX_LABEL_TOO_LONG", [R12L]),
        mx_acc("254-octet name", name254, "E_POLICY_MX_TOO_LONG", [R12L]),
        mx_acc("254-octet wildcard pattern (252 octets after \"*.\")", wild254,
               "E_POLICY_MX_TOO_LONG", [R12L]),
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
    ])
    R10V, R10I, R10T = "R10-Utf8Valid", "R10-Utf8Invalid", "R10-HtabInValue"
    EV = "Abnf-ExtValue"

    def ext_ok(c, value, flags=()):
        return pok(c, b(std()) + b"ext: " + b(value) + b"\n", flags=[EV, *flags])

    def ext_bad(c, value, hint, flags=()):
        return pbad(c, b(std()) + b"ext: " + b(value) + b"\n", hint, flags=[EV, *flags])

    exts = Section(700, "strict", "extension values and UTF-8 (R10)", [
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
    ])
    R17D, R17M = "R17-DuplicateFirstWins", "R17-FirstModeDecidesMx"
    dups = Section(800, "strict", "duplicates and required fields (R4, R17)", [
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
    ])
    sizes = Section(900, "strict", "size limit (R18)", [
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
    binary = Section(1000, "strict", "bodies that are not policies", [
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
    lenient = Section(5000, "lenient", "lenient profile", [
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
    ])
    return [examples, endings, blanks, names, values, ages, mxs, exts, dups, sizes, binary,
            lenient]


# ---- MX host matching -------------------------------------------------------


def mm(comment, pattern, host, match, *, flags=(), rfc=RFC8461_41):
    """valid: the host matches the pattern; invalid: it does not."""
    if match:
        return Vec(comment, "valid", rfc=rfc, flags=flags, expected={}, pattern=pattern,
                   host=host)
    return Vec(comment, "invalid", rfc=rfc, flags=flags, pattern=pattern, host=host)


def mx_match_sections():
    CI, TD, W1, HV, BP = ("R13-CaseInsensitive", "R13-HostTrailingDot", "R13-WildcardOneLabel",
                          "R13-HostValidity", "R13-BadPattern")
    AB, AL, R12L = "R21-NotAppendixB", "Abnf-MxALabel", "R12-MxLengthLimits"
    suffix251 = name_of_length(251)
    suffix252 = name_of_length(252)
    name253 = name_of_length(253)
    exact = Section(1, "strict", "exact patterns", [
        mm("identical names", "mail.example.com", "mail.example.com", True),
        mm("upper-case pattern, lower-case host (Appendix B compares bytes)",
           "MAIL.EXAMPLE.COM", "mail.example.com", True, flags=[CI, AB]),
        mm("mixed-case host (real-world: mailauth test)", "mail.example.com",
           "Mail.Example.Com", True, flags=[CI, AB]),
        mm("host with one trailing dot (real-world: mailauth test)", "mail.example.com",
           "mail.example.com.", True, flags=[TD]),
        mm("upper-case host with a trailing dot", "mail.example.com", "MAIL.EXAMPLE.COM.", True,
           flags=[CI, TD]),
        mm("host with two trailing dots", "mail.example.com", "mail.example.com..", False,
           flags=[TD, HV]),
        mm("a subdomain of the pattern (real-world: mailauth test)", "mail.example.net",
           "x.mail.example.net", False),
        mm("a parent of the pattern", "mail.example.com", "example.com", False),
        mm("a longer name with the pattern as suffix (real-world: checkdmarc test)",
           "example.com", "bad-example.com", False),
        mm("a name that only ends like the pattern", "example.com", "xexample.com", False),
        mm("a truncated host", "mail.example.com", "mail.example.co", False),
        mm("a host with one more character", "mail.example.com", "mail.example.comx", False),
        mm("empty host (real-world: mailauth test)", "mail.example.com", "", False,
           flags=[HV]),
        mm("host with spaces around it (real-world: mailauth trims them and matches)",
           "mail.example.net", " mail.example.net ", False, flags=[HV]),
        mm("host with a trailing newline", "mail.example.com", "mail.example.com\n", False,
           flags=[HV]),
        mm("host with a NUL", "mail.example.com", "mail.example.com\u0000", False,
           flags=[HV, "Nul"]),
        mm("pattern with a trailing dot never matches", "mail.example.com.",
           "mail.example.com.", False, flags=[BP, "R12-MxTrailingDot"]),
        mm("pattern with a trailing dot, host without", "mail.example.com.", "mail.example.com",
           False, flags=[BP, "R12-MxTrailingDot"]),
        mm("single-label names, different case", "localhost", "LOCALHOST", True, flags=[CI]),
        mm("all-digit labels are Domain syntax (real-world: postfix-tlspol#70)", "192.0.2.1",
           "192.0.2.1", True),
        mm("address literals are not host names", "[192.0.2.1]", "[192.0.2.1]", False,
           flags=[BP, HV]),
        mm("inner double hyphen, different case", "a--b.example", "A--B.EXAMPLE", True,
           flags=[CI]),
        mm("A-label pattern and host", "xn--mnchen-3ya.example", "xn--mnchen-3ya.example", True,
           flags=[AL]),
        mm("A-label in upper case", "xn--mnchen-3ya.example", "XN--MNCHEN-3YA.example", True,
           flags=[AL, CI]),
        mm("U-label host is not converted (real-world: mailauth converts it and matches)",
           "xn--mnchen-3ya.example", "m\u00fcnchen.example", False, flags=[AL, HV]),
        mm("U-label pattern is not valid", "m\u00fcnchen.example", "m\u00fcnchen.example",
           False, flags=[AL, BP]),
        mm("KELVIN SIGN is not K (no Unicode case folding)", "kelvin.example",
           "\u212aelvin.example", False, flags=[CI, HV]),
        mm("dotted capital I is not i (no Unicode case folding)", "mail.example.com",
           "MA\u0130L.EXAMPLE.COM", False, flags=[CI, HV]),
        mm("the fi ligature is not \"fi\"", "file.example", "\ufb01le.example", False,
           flags=[CI, HV]),
        mm("CR in the host is not \"-\" (0x0D | 0x20 == 0x2D)", "a-b.example", "a\rb.example",
           False, flags=[CI, HV]),
        mm("0x11 in the host is not \"1\" (0x11 | 0x20 == 0x31)", "1.example", "\u0011.example",
           False, flags=[CI, HV]),
        mm("underscore in the host", "mail_x.example.com", "mail_x.example.com", False,
           flags=[BP, HV]),
        mm("a space inside the host", "mail.example.com", "mail .example.com", False,
           flags=[HV]),
        mm("empty pattern", "", "mail.example.com", False, flags=[BP]),
        mm("a lone star matches nothing", "*", "mail", False, flags=[BP]),
        mm("a partial-label wildcard matches nothing (real-world: mailauth test)",
           "foo*.example.com", "foo1.example.com", False, flags=[BP]),
        mm("two wildcard labels match nothing", "*.*.example.com", "a.b.example.com", False,
           flags=[BP]),
        mm("a leading-dot pattern (old draft syntax) matches nothing", ".example.com",
           "mail.example.com", False, flags=[BP]),
        mm("63-octet label", LABEL63 + ".example", LABEL63.upper() + ".example", True,
           flags=[R12L, CI]),
        mm("64-octet label in pattern and host", LABEL64 + ".example", LABEL64 + ".example",
           False, flags=[R12L, HV, BP]),
        mm("253-octet name", name253, name253, True, flags=[R12L]),
        mm("253-octet name, host with a trailing dot (254 octets)", name253, name253 + ".",
           True, flags=[R12L, TD]),
        mm("254-octet name in pattern and host", name_of_length(254), name_of_length(254),
           False, flags=[R12L, HV, BP]),
    ])
    wild = Section(100, "strict", "wildcard patterns", [
        mm("one label under the wildcard (RFC 8461 §4.1 example)", "*.example.com",
           "mail.example.com", True, flags=[W1, "Example"]),
        mm("the bare parent does not match (RFC 8461 §4.1 example)", "*.example.com",
           "example.com", False, flags=[W1, "Example"]),
        mm("two labels do not match (RFC 8461 §4.1 example; aykevl/mta-sts#4)",
           "*.example.com", "foo.bar.example.com", False, flags=[W1, "Example"]),
        mm("three labels do not match (real-world: mailauth test)", "*.example.com",
           "a.b.c.example.com", False, flags=[W1]),
        mm("an empty first label does not match (Appendix B's SplitN would match it)",
           "*.example.com", ".example.com", False, flags=[W1, HV, AB]),
        mm("a name that only ends like the suffix (real-world: mailauth test)",
           "*.example.com", "xexample.com", False, flags=[W1]),
        mm("the suffix inside another domain (real-world: checkdmarc test)", "*.example.com",
           "mail.example.com.evil.com", False, flags=[W1]),
        mm("upper-case host (real-world: mailauth test; Appendix B compares bytes)",
           "*.example.com", "MAIL.EXAMPLE.COM", True, flags=[W1, CI, AB]),
        mm("mixed-case pattern and host", "*.EXAMPLE.com", "mail.example.COM", True,
           flags=[W1, CI, AB]),
        mm("host with a trailing dot", "*.example.com", "mail.example.com.", True,
           flags=[W1, TD]),
        mm("host with a trailing dot and upper case", "*.example.net", "mx1.EXAMPLE.net.",
           True, flags=[W1, TD, CI]),
        mm("a digit as the leftmost label", "*.example.com", "1.example.com", True,
           flags=[W1]),
        mm("a leftmost label starting with a hyphen", "*.example.com", "-a.example.com",
           False, flags=[W1, HV]),
        mm("a leftmost label ending with a hyphen", "*.example.com", "a-.example.com", False,
           flags=[W1, HV]),
        mm("a leftmost label with an underscore", "*.example.com", "_25.example.com", False,
           flags=[W1, HV]),
        mm("a host that is itself a wildcard (real-world: mailauth test)", "*.example.com",
           "*.example.com", False, flags=[W1, HV]),
        mm("a different suffix", "*.example.com", "a.example.co", False, flags=[W1]),
        mm("a suffix missing its first character", "*.example.com", "a.xample.com", False,
           flags=[W1]),
        mm("wildcard over a top-level domain", "*.com", "example.com", True, flags=[W1]),
        mm("wildcard over a top-level domain, the TLD alone", "*.com", "com", False,
           flags=[W1]),
        mm("wildcard over a top-level domain, two labels", "*.com", "a.example.com", False,
           flags=[W1]),
        mm("shortest names", "*.a", "b.a", True, flags=[W1]),
        mm("the pattern's own suffix with one more label in front", "*.mail.example.com",
           "mail.example.com", False, flags=[W1]),
        mm("an empty label inside the host", "*.example.com", "mail..example.com", False,
           flags=[W1, HV]),
        mm("host with two trailing dots", "*.example.com", "a.example.com..", False,
           flags=[W1, TD, HV]),
        mm("host \".\"", "*.example.com", ".", False, flags=[W1, HV]),
        mm("empty host", "*.example.com", "", False, flags=[W1, HV]),
        mm("host with a trailing space", "*.example.com", "mail.example.com ", False,
           flags=[W1, HV]),
        mm("A-label under a wildcard", "*.xn--e1afmkfd.example", "mx.xn--e1afmkfd.example",
           True, flags=[W1, AL]),
        mm("U-label host under a wildcard (real-world: mailauth converts it)",
           "*.xn--e1afmkfd.example", "mx.\u043f\u0440\u0438\u043c\u0435\u0440.example", False,
           flags=[W1, AL, HV]),
        mm("U-label leftmost label under a wildcard", "*.example.com",
           "m\u00fcnchen.example.com", False, flags=[W1, AL, HV]),
        mm("a 63-octet leftmost label", "*.example.com", LABEL63 + ".example.com", True,
           flags=[W1, R12L]),
        mm("a 64-octet leftmost label", "*.example.com", LABEL64 + ".example.com", False,
           flags=[W1, R12L, HV]),
        mm("253-octet pattern, 253-octet host", "*." + suffix251, "a." + suffix251, True,
           flags=[W1, R12L]),
        mm("253-octet pattern, host with a trailing dot", "*." + suffix251,
           "a." + suffix251 + ".", True, flags=[W1, R12L, TD]),
        mm("253-octet pattern, 254-octet host", "*." + suffix251, "ab." + suffix251, False,
           flags=[W1, R12L, HV]),
        mm("254-octet pattern (the \"*.\" counts)", "*." + suffix252, "a." + suffix252, False,
           flags=[W1, R12L, BP, HV]),
        mm("wildcard with a trailing dot matches nothing", "*.example.com.",
           "mail.example.com.", False, flags=[W1, BP, "R12-MxTrailingDot"]),
    ])
    return [exact, wild]


# ---- TLSRPT records -----------------------------------------------------------


def rpt_ok(comment, rec, rua, *, flags=(), warn=(), rfc=RFC8460_3, inp="data"):
    return _ok(inp, comment, rec, {"rua": list(rua)}, rfc=rfc, flags=flags, warn=warn)


def rpt_bad(comment, rec, hint, *, flags=(), rfc=RFC8460_3, inp="data"):
    return _bad(inp, comment, rec, hint, rfc=rfc, flags=flags)


def rpt_acc_ok(comment, rec, rua, *, flags, rfc=RFC8460_3, inp="data"):
    return _acc(inp, comment, rec, acc="valid", rfc=rfc, flags=flags,
                expected={"rua": list(rua)})


def rpt_acc_bad(comment, rec, hint, *, flags, rfc=RFC8460_3, inp="data"):
    return _acc(inp, comment, rec, acc="invalid", rfc=rfc, flags=flags, hint=hint)


MA_A = "mailto:a@example.com"
MA_B = "mailto:b@example.com"
HS = "https://reporting.example.com/v1/tlsrpt"
SKIP = "W_RUA_SKIPPED"


def rua(*uris, sep=","):
    return "v=TLSRPTv1; rua=" + sep.join(uris)


def tlsrpt_record_sections():
    L, SC, BG, ND, DU, U = ("R20-RuaList", "R20-RuaScheme", "R20-RuaBang",
                            "R20-RuaNoDestination", "R20-RuaDuplicate", "Abnf-Uri")
    LSR, SK = "LenientStillRejects", "R20-LenientSkip"
    UG, DS = "R20a-UriSyntax", "R20a-Destination"
    rpt_pad = "v=TLSRPTv1; rua=https://r.example/"
    good = Section(1, "strict", "well-formed records", [
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
        rpt_ok("a record of exactly 4096 octets", rpt_pad + "a" * (4096 - len(rpt_pad)),
               ["https://r.example/" + "a" * (4096 - len(rpt_pad))], flags=["R18-TxtSize"]),
        rpt_acc_ok("WSP before \";\"", "v=TLSRPTv1 ; rua=" + MA_A, [MA_A],
                   flags=["R1-WspBeforeDelim"]),
        rpt_acc_ok("WSP before the final \";\"", "v=TLSRPTv1; rua=" + MA_A + " ;", [MA_A],
                   flags=["R1-WspBeforeDelim"]),
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
    ])
    broken = Section(100, "strict", "malformed records", [
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
        rpt_bad("a record of 4097 octets", rpt_pad + "a" * (4097 - len(rpt_pad)),
                "E_TXT_TOO_LARGE", flags=["R18-TxtSize"]),
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
    ])
    dups = Section(300, "strict", "duplicate rua (R20)", [
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
    ])
    lenient = Section(5000, "lenient", "lenient profile", [
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
    return [good, broken, dups, lenient]


def tlsrpt_rrset_sections():
    C = "RRsetCount"
    REC = "v=TLSRPTv1; rua=mailto:rua@example.com"
    REC_RUA = ["mailto:rua@example.com"]

    def ok(c, rrset, rua_, flags=(), warn=()):
        return rpt_ok(c, rrset, rua_, flags=[C, *flags], warn=warn, inp="rrset")

    def bad(c, rrset, hint, flags=()):
        return rpt_bad(c, rrset, hint, flags=[C, *flags], inp="rrset")

    strict = Section(1, "strict", "TLSRPT RRset selection", [
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
    ])
    lenient = Section(500, "lenient", "lenient profile", [
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
    return [strict, lenient]


# ---------------------------------------------------------------------------
# The seven files
# ---------------------------------------------------------------------------

COMMON_HEADER = [
    "Expected results follow the ABNF of the RFC read through the rulings of spec/ (R1-R21, "
    "R20a, the two profiles) and the comments of parser/include/mtasts.h, in the profile of "
    "each group.",
    "result: valid / invalid / acceptable (see notes; acceptableResult is what mtasts does).",
    "errorHint: the mtasts error name (mtasts_errname) when one name is clearly right; "
    "omitted where the header leaves the choice open. warnings: every warning mtasts "
    "reports for a valid input, in order.",
    "Generated by vectors/gen_vectors.py; do not edit by hand (see vectors/FORMAT.md).",
]

FILES = [
    ("txt-record", "RFC 8461 §3.1 ABNF + spec/rulings.md", [
        "_mta-sts TXT records given as one joined string (mtasts_txt_parse).",
        "inputHex: the record's octets; expected.id: the id as written.",
    ], txt_record_sections),
    ("txt-strings", "RFC 8461 §3.1 ABNF + spec/rulings.md", [
        "_mta-sts TXT records given as the character-strings of one RR "
        "(mtasts_txt_parse_strings); the strings are concatenated without spaces.",
        "stringsHex: the strings in order; expected.id: the id as written.",
    ], txt_strings_sections),
    ("txt-rrset", "RFC 8461 §3.1 ABNF + spec/rulings.md", [
        "All TXT RRs found at _mta-sts.<domain> (mtasts_txt_select with default options).",
        "rrsetHex: one list of character-strings per RR; expected.id: the selected record's "
        "id.",
    ], txt_rrset_sections),
    ("policy", "RFC 8461 §3.2 ABNF + spec/rulings.md", [
        "Policy bodies as served at /.well-known/mta-sts.txt (mtasts_policy_parse, mx array "
        "large enough).",
        "expected: version, mode, max_age (after lenient clamping) and the mx patterns in "
        "input order, as written.",
    ], policy_sections),
    ("mx-match", "RFC 8461 §4.1 + spec/rulings.md R12, R13", [
        "MX host matching (mtasts_mx_match): valid means the host matches the pattern, "
        "invalid that it does not (including an invalid host or pattern). expected is {}.",
    ], mx_match_sections),
    ("tlsrpt-record", "RFC 8460 §3 ABNF + spec/rulings.md", [
        "_smtp._tls TXT records given as one joined string (mtasts_tlsrpt_parse).",
        "expected.rua: the rua URIs kept, in order, as written.",
    ], tlsrpt_record_sections),
    ("tlsrpt-rrset", "RFC 8460 §3 ABNF + spec/rulings.md", [
        "All TXT RRs found at _smtp._tls.<domain> (mtasts_tlsrpt_select with default "
        "options).",
        "rrsetHex: one list of character-strings per RR; expected.rua: the selected record's "
        "rua URIs.",
    ], tlsrpt_rrset_sections),
]


def generate() -> dict:
    """File name -> JSON text, for every vector file."""
    out = {}
    for kind, source, header, sections in FILES:
        common = COMMON_HEADER
        if kind == "mx-match":  # no errors or warnings to name: the answer is match / no match
            common = [line for line in COMMON_HEADER if not line.startswith("errorHint")]
        doc = build_file(kind, source, header + common, sections())
        out[kind + ".json"] = render(doc)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true",
                    help="compare with the files on disk instead of writing them")
    ap.add_argument("--out", default=HERE, help="directory of the JSON files")
    args = ap.parse_args(argv)
    files = generate()
    if args.check:
        stale = 0
        for name, text in files.items():
            path = os.path.join(args.out, name)
            try:
                with open(path, encoding="utf-8") as f:
                    disk = f.read()
            except OSError as e:
                print(f"{name}: cannot read ({e.strerror})")
                stale += 1
                continue
            if disk != text:
                stale += 1
                diff = difflib.unified_diff(disk.splitlines(), text.splitlines(),
                                            f"{name} (committed)", f"{name} (generated)",
                                            lineterm="", n=1)
                print("\n".join(list(diff)[:40]))
        if stale:
            print(f"gen_vectors --check: {stale} file(s) differ from the tables; "
                  "run vectors/gen_vectors.py and commit the result")
            return 1
        print(f"gen_vectors --check: {len(files)} files match the tables")
        return 0
    for name, text in files.items():
        with open(os.path.join(args.out, name), "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
    total = sum(json.loads(t)["numberOfTests"] for t in files.values())
    print(f"wrote {len(files)} files, {total} vectors, to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
