"""mx-match.json: an mx pattern against an MX host name (RFC 8461 §4.1)."""

from __future__ import annotations

from .common import LABEL63, LABEL64, RFC8461_41, Section, Vec, name_of_length

KIND = "mx-match"
SOURCE = "RFC 8461 §4.1 + spec/rulings.md R12, R13"
HEADER = [
    "MX host matching (mtasts_mx_match): valid means the host matches the pattern, "
    "invalid that it does not (including an invalid host or pattern). expected is {}.",
]


def sections():
    """The sections in file order (each numbers its tcIds from its own base)."""
    return [exact(), wild()]


def mm(comment, pattern, host, match, *, flags=(), rfc=RFC8461_41):
    """valid: the host matches the pattern; invalid: it does not."""
    if match:
        return Vec(comment, "valid", rfc=rfc, flags=flags, expected={}, pattern=pattern,
                   host=host)
    return Vec(comment, "invalid", rfc=rfc, flags=flags, pattern=pattern, host=host)


CI, TD, W1, HV, BP = ("R13-CaseInsensitive", "R13-HostTrailingDot", "R13-WildcardOneLabel",
                      "R13-HostValidity", "R13-BadPattern")
AB, AL, R12L = "R21-NotAppendixB", "Abnf-MxALabel", "R12-MxLengthLimits"
SUFFIX251 = name_of_length(251)
SUFFIX252 = name_of_length(252)
NAME253 = name_of_length(253)


def exact():
    return Section(1, "strict", "exact patterns", [
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
        mm("253-octet name", NAME253, NAME253, True, flags=[R12L]),
        mm("253-octet name, host with a trailing dot (254 octets)", NAME253, NAME253 + ".",
           True, flags=[R12L, TD]),
        mm("254-octet name in pattern and host", name_of_length(254), name_of_length(254),
           False, flags=[R12L, HV, BP]),
    ])


def wild():
    return Section(100, "strict", "wildcard patterns", [
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
        mm("253-octet pattern, 253-octet host", "*." + SUFFIX251, "a." + SUFFIX251, True,
           flags=[W1, R12L]),
        mm("253-octet pattern, host with a trailing dot", "*." + SUFFIX251,
           "a." + SUFFIX251 + ".", True, flags=[W1, R12L, TD]),
        mm("253-octet pattern, 254-octet host", "*." + SUFFIX251, "ab." + SUFFIX251, False,
           flags=[W1, R12L, HV]),
        mm("254-octet pattern (the \"*.\" counts)", "*." + SUFFIX252, "a." + SUFFIX252, False,
           flags=[W1, R12L, BP, HV]),
        mm("wildcard with a trailing dot matches nothing", "*.example.com.",
           "mail.example.com.", False, flags=[W1, BP, "R12-MxTrailingDot"]),
    ])
