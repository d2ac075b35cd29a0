"""Notes: every flag a vector can carry, in the order the files list them.

`cites` holds exact quotations from RFC 8461, RFC 8460 or the rulings in spec/; several
quotations are separated by " ... ". lint_vectors.py checks each quotation against the
RFC texts and spec/.
"""

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
    "InTheWild": {
        "ruling": None,
        "rfc": "RFC 8461 §3.2, §3.3",
        "cites": "If a valid TXT record is found but no policy can be fetched via HTTPS (for "
        "any reason), and there is no valid (non-expired) previously cached policy, senders "
        "MUST continue with delivery as though the domain has not implemented MTA-STS.",
        "description": "A mistake that repeats in the policy files domains publish (issue "
        "17), as a minimal reproduction typed for the table: template placeholders, MX "
        "priorities, comments, indentation, front matter, byte order marks, UTF-16. A sender "
        "that rejects the policy treats the domain as having no MTA-STS.",
    },
    # ---- TLS-RPT aggregate reports (tlsrpt-report.json, R22-R29) ----------
    "ReportExample": {
        "ruling": None,
        "rfc": "RFC 8460 Appendix B",
        "cites": "Below is an example JSON report for messages from Company-X to Company-Y",
        "description": "The RFC's example report: as printed (a line break inside a string), with its URI on one line (mx-host one string, as printed) and in the array form §4.4's text asks for.",
    },
    "R22-IJson": {
        "ruling": "R22",
        "rfc": "RFC 8460 §4, RFC 7493",
        "cites": "UTF-8, no byte order mark; RFC 8259 syntax; no duplicate member names in an object (invalid in both); no invalid UTF-8 and no escaped lone surrogate in strings;",
        "description": "The report is I-JSON: syntax, byte order mark, NUL, escapes, surrogates, UTF-8, duplicate names (compared decoded).",
    },
    "R22-Limits": {
        "ruling": "R22",
        "rfc": "RFC 8460 §4, RFC 7493",
        "cites": "nesting depth and document size are documented limits with their own errors (at least depth 32 and 16 MiB).",
        "description": "The reader's documented limits at their boundary: nesting depth 32, 64 members per object.",
    },
    "R22-Extensibility": {
        "ruling": "R22",
        "rfc": "RFC 8460 §4",
        "cites": "Members not named in §4.4 are ignored (extensibility), in both profiles.",
        "description": "Members the RFC does not name, at any level, are read as JSON and ignored.",
    },
    "R22-Counts": {
        "ruling": "R22",
        "rfc": "RFC 8460 §4.4, RFC 7493 §2.2",
        "cites": "Counts are JSON integers 0 … 2^53−1 written with digits only (`5.0`, `1e3`, `-1`, `\"5\"` are invalid).",
        "description": "Session counts: JSON integers written with digits only, up to 2^53 - 1.",
    },
    "R23-Required": {
        "ruling": "R23",
        "rfc": "RFC 8460 §4.4",
        "cites": "Top level: `organization-name`, `date-range` {`start-datetime`, `end-datetime`}, `contact-info`, `report-id` (strings) and `policies` (array, at least one element). ... `failure-details` (optional array)",
        "description": "One vector per required member, each missing in turn, and the optional ones absent or all present.",
    },
    "R23-Types": {
        "ruling": "R23",
        "rfc": "RFC 8460 §4.4",
        "cites": "Per failure detail: `result-type` and `failed-session-count` required; `sending-mta-ip`, `receiving-ip`, `receiving-mx-hostname`, `receiving-mx-helo`, `additional-information`, `failure-reason-code` optional (policy failures happen before any MX session), but valid when present.",
        "description": "A member's value of the wrong JSON type, or not what the member needs.",
    },
    "R23-Null": {
        "ruling": "R23",
        "rfc": "RFC 8460 §4.4",
        "cites": "`null` where a value is due: strict invalid; lenient: read as absent (warning), and in lenient `contact-info` may be absent or null (one reporter writes `\"contact-info\": null`).",
        "description": "null for a member: strict invalid; lenient reads it as absent with a warning (and a required member is then missing).",
    },
    "R23-ContactMissing": {
        "ruling": "R23",
        "rfc": "RFC 8460 §4.4",
        "cites": "`null` where a value is due: strict invalid; lenient: read as absent (warning), and in lenient `contact-info` may be absent or null (one reporter writes `\"contact-info\": null`).",
        "description": "contact-info absent or null: strict invalid, lenient a warning.",
    },
    "R24-Dates": {
        "ruling": "R24",
        "rfc": "RFC 8460 §4.4",
        "cites": "It is provided as a string formatted according to \"Internet Date/Time Format\", Section 5.6 of [RFC3339].",
        "description": "RFC 3339 date-times: offsets, case, fractions, the leap second, the calendar, the order of the two dates.",
    },
    "R24-NoOffset": {
        "ruling": "R24",
        "rfc": "RFC 8460 §4.4",
        "cites": "Lenient: a date-time without offset is read as UTC (warning; seen from one large sender in 2023–2024).",
        "description": "Date-times without an offset: strict invalid, lenient read as UTC with a warning each.",
    },
    "R24-OneDay": {
        "ruling": "R24",
        "rfc": "RFC 8460 §4.1",
        "cites": "The report SHOULD cover a full day, from 00:00-24:00 UTC. ... A range other than one whole UTC day (§4.1 SHOULD) is a warning in both profiles.",
        "description": "A date range other than one whole UTC day: valid with a warning, in both profiles.",
    },
    "R25-PolicyType": {
        "ruling": "R25",
        "rfc": "RFC 8460 §4.4",
        "cites": "Presently, the only three valid choices are \"tlsa\", \"sts\", and the literal string \"no-policy-found\". ... Lenient: another value keeps the entry as \"other\" (warning).",
        "description": "policy-type: tlsa, sts or no-policy-found exactly; lenient keeps another value as other with a warning.",
    },
    "R25-StsReparse": {
        "ruling": "R25",
        "rfc": "RFC 8460 §4.4, RFC 8461 §3.2",
        "cites": "a policy-string that does not parse is a warning in both profiles (the report truthfully says what was applied).",
        "description": "An sts policy-string is re-parsed as a policy; one that does not parse is a warning, not an error.",
    },
    "R25-Tlsa": {
        "ruling": "R25",
        "rfc": "RFC 8460 §4.4, RFC 6698 §2.2",
        "cites": "For `tlsa` each string is one TLSA RR in presentation form (RFC 6698 §2.2); a single string that itself holds a JSON array of them is a lenient deviation (warning).",
        "description": "A tlsa policy-string holds TLSA RRs in presentation form.",
    },
    "R25-TlsaJsonArray": {
        "ruling": "R25",
        "rfc": "RFC 8460 §4.4",
        "cites": "For `tlsa` each string is one TLSA RR in presentation form (RFC 6698 §2.2); a single string that itself holds a JSON array of them is a lenient deviation (warning).",
        "description": "A tlsa policy-string whose one string holds a JSON-encoded array: strict invalid, lenient a warning.",
    },
    "R25-PolicyStringMissing": {
        "ruling": "R25",
        "rfc": "RFC 8460 §4.4",
        "cites": "`policy-string` missing for `sts`/`tlsa`: strict invalid, lenient warning.",
        "description": "No policy-string for an sts or tlsa policy: strict invalid, lenient a warning.",
    },
    "R26-MxHost": {
        "ruling": "R26",
        "rfc": "RFC 8460 §4.4, RFC 8461 §4.1",
        "cites": "For `sts` each element is an `sts-policy-mx-value` (R12), for `tlsa` a host name.",
        "description": "mx-host elements are mx patterns (sts).",
    },
    "R26-MxHostString": {
        "ruling": "R26",
        "rfc": "RFC 8460 §4.4, Appendix B",
        "cites": "strict requires the array; lenient accepts one string (warning).",
        "description": "mx-host as one string (the RFC's own example): strict invalid, lenient a warning.",
    },
    "R27-Names": {
        "ruling": "R27",
        "rfc": "RFC 8460 §4.4",
        "cites": "`policy-domain`, `receiving-mx-hostname`: RFC 5321 `Domain` as A-labels, no trailing dot. ... In the case of Internationalized Domain Names [RFC5891], the domain MUST consist of the Punycode-encoded A-labels [RFC3492] and not the U-labels.",
        "description": "Domain names in a report: A-labels, no trailing dot.",
    },
    "R27-Addresses": {
        "ruling": "R27",
        "rfc": "RFC 8460 §4.4, RFC 4291 §2.2",
        "cites": "`sending-mta-ip`, `receiving-ip`: the IPv4 ABNF of §4.4 or RFC 4291 §2.2 text (RFC 5952 form not required).",
        "description": "IP addresses: dotted IPv4 without leading zeros, IPv6 text forms.",
    },
    "R27-EmptyIp": {
        "ruling": "R27",
        "rfc": "RFC 8460 §4.4",
        "cites": "An empty string: strict invalid, lenient read as absent (warning).",
        "description": "\"sending-mta-ip\": \"\": strict invalid, lenient read as absent with a warning.",
    },
    "R27-Contact": {
        "ruling": "R27",
        "rfc": "RFC 8460 §4.4, RFC 5322 §3.4.1",
        "cites": "`contact-info`: RFC 5322 `addr-spec` in strict; lenient accepts any string (warning).",
        "description": "contact-info is an addr-spec; lenient accepts other text with a warning.",
    },
    "R27-DomainMissing": {
        "ruling": "R27",
        "rfc": "RFC 8460 §4.4",
        "cites": "`policy-domain` missing for `no-policy-found`: strict invalid, lenient warning.",
        "description": "no-policy-found without policy-domain: strict invalid, lenient a warning.",
    },
    "R28-ResultType": {
        "ruling": "R28",
        "rfc": "RFC 8460 §4.3",
        "cites": "The IANA registry can grow: another token is valid in both profiles, with a warning.",
        "description": "Each result type of §4.3, a token the registry may add (a warning), and what is not a token.",
    },
    "R29-Counts": {
        "ruling": "R29",
        "rfc": "RFC 8460 §4",
        "cites": "No consistency rule between `failed-session-count`s and the summary",
        "description": "Failure counts may add up to more than the summary's failure total (failure types are non-exclusive).",
    },
}
