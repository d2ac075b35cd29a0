"""The scenarios file (vectors/scenarios/FORMAT.md) as the world and the driver need it.

Phase k of the world is step k of every scenario that has one: their `world` objects merged
into one set of DNS records, one set of HTTPS entries and one set of SMTP entries. Merging
checks what one world cannot serve (two different servers for one host, records below a
SERVFAIL name ...) and what the servers cannot express byte for byte (see txt_string_problem),
and says so instead of serving something else.

SMTP hosts and their addresses: the SMTP server must know which host a client means before
STARTTLS (to advertise it or not), and SNI only comes after it, so every SMTP host gets a
loopback address of its own (SMTP_BASE + 1, + 2, ... in name order over all phases of the
file, so a host keeps its address from phase to phase). A scenario gives the host exactly one
A record, 127.0.0.1, like every other host; the world serves it with the host's own address
instead (`place_smtp_hosts`). Anything else at that name (no A, another address, a CNAME, an
HTTPS entry for the same host) is refused.
"""

import ipaddress
import json
import re

from certs import KINDS

ZONE = "world.test"
RECORD_TYPES = ("TXT", "A", "CNAME", "MX", "SERVFAIL", "TLSA")
# Names under it are served DNSSEC-signed and validated (dnssec.py, the DANE scenarios); TLSA
# records live only there: without DNSSEC they are unusable anyway (RFC 7672 §2.2).
SIGNED_ZONE = "dane." + ZONE
TLSA_DATA_RE = re.compile(r"world-key|([0-9a-f]{2})+")
TRANSFERS = ("length", "chunked", "slow")
WORLD_ADDRESS = "127.0.0.1"  # where DNS and HTTPS listen, and what a scenario's A records say
SMTP_BASE = ipaddress.IPv4Address("127.0.1.0")  # SMTP host n (from 1) listens on SMTP_BASE + n
SMTP_MAX_HOSTS = 65000  # stays inside 127.0.0.0/8, clear of 127.0.0.1
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


def in_signed_zone(name):
    return name == SIGNED_ZONE or name.endswith("." + SIGNED_ZONE)


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
    elif rtype == "TLSA":
        _check_tlsa(record, where)


def _check_tlsa(record, where):
    if not in_signed_zone(normalize_name(record.get("name"))):
        raise SpecError("%s: TLSA records only under %s (the signed zone)" % (where, SIGNED_ZONE))
    for field in ("usage", "selector", "matchingType"):
        if not isinstance(record.get(field), int) or not 0 <= record[field] <= 255:
            raise SpecError("%s: bad TLSA %s %r" % (where, field, record.get(field)))
    if not isinstance(record.get("data"), str) or not TLSA_DATA_RE.fullmatch(record["data"]):
        raise SpecError("%s: TLSA data must be hex or world-key, not %r"
                        % (where, record.get("data")))


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


# The handshake after STARTTLS: as usual; the server answers 220 and hangs up ("STARTTLS
# then failure"); TLS 1.0/1.1 only.
SMTP_TLS_BEHAVIOURS = ("normal", "abort", "legacy")


def _check_smtp(entry, where):
    if entry.get("cert") not in KINDS:
        raise SpecError("%s: unknown cert kind %r" % (where, entry.get("cert")))
    if not isinstance(entry.get("starttls"), bool):
        raise SpecError("%s: starttls must be true or false" % where)
    if entry.get("tls", "normal") not in SMTP_TLS_BEHAVIOURS:
        raise SpecError("%s: tls must be one of %s" % (where, ", ".join(SMTP_TLS_BEHAVIOURS)))
    unknown = sorted(set(entry) - {"host", "cert", "starttls", "tls"})
    if unknown:
        raise SpecError("%s: unknown member %s" % (where, ", ".join(unknown)))


def smtp_addresses(hosts):
    """{host: its own loopback address}: SMTP_BASE + 1, + 2, ... in name order."""
    ordered = sorted(set(hosts))
    if len(ordered) > SMTP_MAX_HOSTS:
        raise SpecError("%d SMTP hosts: the world has addresses for %d" % (len(ordered),
                                                                           SMTP_MAX_HOSTS))
    return {host: str(SMTP_BASE + i + 1) for i, host in enumerate(ordered)}


class PhaseWorld:
    """What the world serves in one phase: DNS records by name, HTTPS and SMTP entries by host.

    `addresses` ({host: address}) gives SMTP hosts their addresses; without it they are
    numbered among this phase's SMTP hosts only."""

    def __init__(self, addresses=None):
        self.records = {}  # name -> [record, ...] (no duplicates)
        self.https = {}  # host -> entry
        self.smtp = {}  # host -> entry, with "address" once placed
        self.owners = {}  # name or host -> tcId that first defined it
        self.addresses = addresses

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

    def add_smtp(self, entry, owner):
        where = "tcId %s: smtp %s" % (owner, entry.get("host"))
        _check_smtp(entry, where)
        host = normalize_name(entry.get("host"))
        canonical = dict(entry, host=host)
        if host in self.smtp and self.smtp[host] != canonical:
            raise SpecError("%s: host already served differently for tcId %s"
                            % (where, self.owners.get("smtp:" + host)))
        self.smtp[host] = canonical
        self.owners.setdefault("smtp:" + host, owner)

    def place_smtp_hosts(self):
        """Gives each SMTP host its address: its entry's "address", and its A record's."""
        addresses = self.addresses or smtp_addresses(self.smtp)
        for host, entry in sorted(self.smtp.items()):
            where = "tcId %s: smtp %s" % (self.owners.get("smtp:" + host), host)
            if host in self.https:
                raise SpecError("%s: also an HTTPS host (HTTPS is served on %s only, an SMTP "
                                "host has an address of its own)" % (where, WORLD_ADDRESS))
            records = self.records.get(host, [])
            a_records = [r for r in records if r["type"] == "A"]
            if [r["address"] for r in a_records] != [WORLD_ADDRESS] or any(
                    r["type"] in ("CNAME", "SERVFAIL") for r in records):
                raise SpecError("%s: needs exactly one A record %s at its name (the world "
                                "serves it with the host's own address); has %s" % (
                                    where, WORLD_ADDRESS,
                                    json.dumps([r.get("address", r["type"]) for r in records])))
            if host not in addresses:
                raise SpecError("%s: no address assigned" % where)
            entry["address"] = addresses[host]
            a_records[0]["address"] = addresses[host]

    def check_consistency(self):
        servfail = [n for n, rs in self.records.items() if any(r["type"] == "SERVFAIL" for r in rs)]
        for name, records in self.records.items():
            types = {r["type"] for r in records}
            if "SERVFAIL" in types and in_signed_zone(name):
                raise SpecError("%s: SERVFAIL inside the signed zone %s" % (name, SIGNED_ZONE))
            if "SERVFAIL" in types and len(types) > 1:
                raise SpecError("%s: SERVFAIL and other records at one name" % name)
            if "CNAME" in types and (len(types) > 1 or len(records) > 1):
                raise SpecError("%s: a CNAME cannot share its name (RFC 1034 §3.6.2)" % name)
            for failing in servfail:
                if name != failing and name.endswith("." + failing):
                    raise SpecError("%s: records below the SERVFAIL name %s (the world fails "
                                    "the whole subtree)" % (name, failing))
        self.place_smtp_hosts()

    def all_records(self):
        return [r for name in sorted(self.records) for r in self.records[name]]


def all_smtp_hosts(tests):
    """The SMTP host names of every step of every scenario (for smtp_addresses)."""
    return {host_name(entry.get("host")) for test in tests for step in test["steps"]
            for entry in step.get("world", {}).get("smtp", [])}


def phase_world(tests, phase):
    world = PhaseWorld(smtp_addresses(all_smtp_hosts(tests)))
    for test in in_phase(tests, phase):
        _add_step_world(world, test["steps"][phase].get("world", {}), test["tcId"])
    world.check_consistency()
    return world


def _add_step_world(world, step_world, owner):
    for record in step_world.get("dns", []):
        world.add_record(record, owner)
    for entry in step_world.get("https", []):
        world.add_https(entry, owner)
    for entry in step_world.get("smtp", []):
        world.add_smtp(entry, owner)


def step_has_smtp(step):
    """Whether a step's world has SMTP servers (its request then asks for mxTls)."""
    return bool(step.get("world", {}).get("smtp"))


def world_from_dict(spec, owner="spec"):
    """A PhaseWorld from one {"dns": [...], "https": [...], "smtp": [...]} object (the
    built-in checks)."""
    world = PhaseWorld()
    _add_step_world(world, spec, owner)
    world.check_consistency()
    return world
