"""The scenarios file (vectors/scenarios/FORMAT.md) as the world and the driver need it.

Phase k of the world is step k of every scenario that has one: their `world` objects merged
into one set of DNS records and one set of HTTPS entries. Merging checks what one world cannot
serve (two different policy servers for one host, records below a SERVFAIL name ...) and what
the servers cannot express byte for byte (see txt_string_problem), and says so instead of
serving something else.
"""

import ipaddress
import json
import re

from certs import KINDS

ZONE = "world.test"
RECORD_TYPES = ("TXT", "A", "CNAME", "MX", "SERVFAIL")
TRANSFERS = ("length", "chunked", "slow")
NAME_RE = re.compile(r"[a-z0-9_-]{1,63}(\.[a-z0-9_-]{1,63})*")
# Control characters dnsmasq's configuration syntax can carry, each by its escape; it mangles
# the others, so a TXT string with one of them is refused.
TXT_ESCAPES = {'"': '\\"', "\\": "\\\\", "\t": "\\t", "\r": "\\r", "\n": "\\n", "\x1b": "\\e",
               "\b": "\\b"}


class SpecError(Exception):
    """The scenarios ask for a world this one cannot serve exactly."""


def load(path):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    if not isinstance(doc, dict) or not isinstance(doc.get("testGroups"), list):
        raise SpecError("%s: not a scenarios file (no testGroups)" % path)
    return doc


def tests_of(doc):
    tests = [t for group in doc["testGroups"] for t in group.get("tests", [])]
    seen = set()
    for test in tests:
        if not isinstance(test.get("tcId"), int) or not test.get("steps"):
            raise SpecError("scenario without tcId or steps: %r" % (test.get("tcId"),))
        if test["tcId"] in seen:
            raise SpecError("tcId %d appears twice" % test["tcId"])
        seen.add(test["tcId"])
    return sorted(tests, key=lambda t: t["tcId"])


def phase_count(tests):
    return max((len(t["steps"]) for t in tests), default=0)


def in_phase(tests, phase):
    """The scenarios that have a step `phase`."""
    return [t for t in tests if len(t["steps"]) > phase]


def host_name(name):
    """`name` lower-cased without a trailing dot; refused unless it is letters, digits, `-`
    and `_` labels (it goes into dnsmasq's and nginx's configuration files as is)."""
    if not isinstance(name, str) or not NAME_RE.fullmatch(name.rstrip(".").lower()):
        raise SpecError("bad DNS name %r" % (name,))
    return name.rstrip(".").lower()


def normalize_name(name):
    lowered = host_name(name)
    if lowered != ZONE and not lowered.endswith("." + ZONE):
        raise SpecError("%s is not under %s: the world serves nothing else" % (name, ZONE))
    return lowered


def txt_string_problem(text):
    """Why `text` cannot be served as a TXT character-string, or None."""
    if not isinstance(text, str):
        return "not a string"
    if len(text.encode("utf-8")) > 255:
        return "longer than 255 bytes (one character-string holds at most 255)"
    for ch in text:
        if ord(ch) < 0x20 and ch not in TXT_ESCAPES or ch == "\x7f":
            return "control character U+%04X (dnsmasq's configuration cannot carry it)" % ord(ch)
    return None


def _check_record(record, where):
    rtype = record.get("type")
    if rtype not in RECORD_TYPES:
        raise SpecError("%s: unknown record type %r" % (where, rtype))
    if rtype == "TXT":
        strings = record.get("strings")
        if not isinstance(strings, list) or not strings:
            raise SpecError("%s: a TXT record needs at least one string" % where)
        for text in strings:
            problem = txt_string_problem(text)
            if problem:
                raise SpecError("%s: TXT string %r: %s" % (where, text, problem))
    elif rtype == "A":
        try:
            ipaddress.IPv4Address(record.get("address"))
        except (ipaddress.AddressValueError, ValueError):
            raise SpecError("%s: bad A address %r" % (where, record.get("address")))
    elif rtype == "CNAME":
        normalize_name(record.get("target"))
    elif rtype == "MX":
        preference = record.get("preference")
        if not isinstance(preference, int) or not 0 <= preference <= 65535:
            raise SpecError("%s: bad MX preference %r" % (where, preference))
        host_name(record.get("exchange"))


def _check_https(entry, where):
    if entry.get("cert") not in KINDS:
        raise SpecError("%s: unknown cert kind %r" % (where, entry.get("cert")))
    status = entry.get("status")
    if not isinstance(status, int) or not 100 <= status <= 599:
        raise SpecError("%s: bad status %r" % (where, status))
    if entry.get("transfer", "length") not in TRANSFERS:
        raise SpecError("%s: bad transfer %r" % (where, entry.get("transfer")))
    if not isinstance(entry.get("body"), str):
        raise SpecError("%s: body must be a string" % where)
    for field in ("contentType", "location"):
        value = entry.get(field)
        if value is not None and (not isinstance(value, str) or any(c in value for c in "\r\n\0")):
            raise SpecError("%s: bad %s %r" % (where, field, value))
    if "contentType" not in entry:
        raise SpecError("%s: contentType missing (null means no Content-Type field)" % where)


class PhaseWorld:
    """What the world serves in one phase: DNS records by name, HTTPS entries by host."""

    def __init__(self):
        self.records = {}  # name -> [record, ...] (no duplicates)
        self.https = {}  # host -> entry
        self.owners = {}  # name or host -> tcId that first defined it

    def add_record(self, record, owner):
        where = "tcId %s: %s %s" % (owner, record.get("name"), record.get("type"))
        _check_record(record, where)
        name = normalize_name(record.get("name"))
        canonical = dict(record, name=name)
        if canonical["type"] == "CNAME":
            canonical["target"] = normalize_name(record["target"])
        existing = self.records.setdefault(name, [])
        if canonical not in existing:
            existing.append(canonical)
        self.owners.setdefault(name, owner)

    def add_https(self, entry, owner):
        where = "tcId %s: https %s" % (owner, entry.get("host"))
        _check_https(entry, where)
        host = normalize_name(entry.get("host"))
        canonical = dict(entry, host=host)
        canonical.setdefault("transfer", "length")
        if host in self.https and self.https[host] != canonical:
            raise SpecError("%s: host already served differently for tcId %s"
                            % (where, self.owners.get("https:" + host)))
        self.https[host] = canonical
        self.owners.setdefault("https:" + host, owner)

    def check_consistency(self):
        servfail = [n for n, rs in self.records.items() if any(r["type"] == "SERVFAIL" for r in rs)]
        for name, records in self.records.items():
            types = {r["type"] for r in records}
            if "SERVFAIL" in types and len(types) > 1:
                raise SpecError("%s: SERVFAIL and other records at one name" % name)
            if "CNAME" in types and (len(types) > 1 or len(records) > 1):
                raise SpecError("%s: a CNAME cannot share its name (RFC 1034 §3.6.2)" % name)
            for failing in servfail:
                if name != failing and name.endswith("." + failing):
                    raise SpecError("%s: records below the SERVFAIL name %s (the world fails "
                                    "the whole subtree)" % (name, failing))

    def all_records(self):
        return [r for name in sorted(self.records) for r in self.records[name]]


def phase_world(tests, phase):
    world = PhaseWorld()
    for test in in_phase(tests, phase):
        step_world = test["steps"][phase].get("world", {})
        for record in step_world.get("dns", []):
            world.add_record(record, test["tcId"])
        for entry in step_world.get("https", []):
            world.add_https(entry, test["tcId"])
    world.check_consistency()
    return world


def world_from_dict(spec, owner="spec"):
    """A PhaseWorld from one {"dns": [...], "https": [...]} object (the built-in checks)."""
    world = PhaseWorld()
    for record in spec.get("dns", []):
        world.add_record(record, owner)
    for entry in spec.get("https", []):
        world.add_https(entry, owner)
    world.check_consistency()
    return world
