"""A minimal DNS client (stdlib only) to look at what the world's DNS server really answers.

The world's own checks and tests use it instead of dig (not installed on CI) so that TXT
character-strings can be compared byte for byte. It speaks plain DNS over UDP (with an EDNS0
OPT record so large RRsets are not truncated) or TCP, and parses the answer section.
"""

import random
import socket
import struct

TYPES = {"A": 1, "NS": 2, "CNAME": 5, "SOA": 6, "MX": 15, "TXT": 16, "AAAA": 28, "OPT": 41}
TYPE_NAMES = {number: name for name, number in TYPES.items()}
RCODES = {0: "NOERROR", 1: "FORMERR", 2: "SERVFAIL", 3: "NXDOMAIN", 4: "NOTIMP", 5: "REFUSED"}


class DnsAnswer:
    """One response: its rcode name, flags and answer records.

    Each record is a dict {"name", "type", "ttl", ...} with "strings" (a list of bytes) for
    TXT, "address" for A, "target" for CNAME, "preference"/"exchange" for MX.
    """

    def __init__(self, rcode, flags, answers, truncated):
        self.rcode = rcode
        self.flags = flags
        self.answers = answers
        self.truncated = truncated

    def of_type(self, rtype):
        return [rr for rr in self.answers if rr["type"] == rtype]

    def __repr__(self):
        return "DnsAnswer(%s, %r)" % (self.rcode, self.answers)


def encode_name(name):
    out = b""
    for label in name.rstrip(".").split("."):
        raw = label.encode("ascii")
        if not 0 < len(raw) < 64:
            raise ValueError("bad label in %r" % name)
        out += bytes([len(raw)]) + raw
    return out + b"\0"


def build_query(name, rtype, query_id, edns=True):
    flags = 0x0100  # RD: what a stub resolver sends
    additional = 1 if edns else 0
    header = struct.pack("!HHHHHH", query_id, flags, 1, 0, 0, additional)
    question = encode_name(name) + struct.pack("!HH", TYPES[rtype], 1)
    opt = b"\0" + struct.pack("!HHIH", TYPES["OPT"], 4096, 0, 0) if edns else b""
    return header + question + opt


def _read_name(message, offset):
    labels = []
    jumped_to = None
    hops = 0
    while True:
        if offset >= len(message):
            raise ValueError("name runs past the message")
        length = message[offset]
        if length & 0xC0 == 0xC0:
            hops += 1
            if hops > 64:
                raise ValueError("compression loop")
            pointer = struct.unpack("!H", message[offset : offset + 2])[0] & 0x3FFF
            if jumped_to is None:
                jumped_to = offset + 2
            offset = pointer
            continue
        offset += 1
        if length == 0:
            break
        labels.append(message[offset : offset + length].decode("ascii", "replace"))
        offset += length
    return ".".join(labels), (jumped_to if jumped_to is not None else offset)


def _parse_rdata(message, rtype, start, length):
    rdata = message[start : start + length]
    if rtype == TYPES["TXT"]:
        strings = []
        pos = 0
        while pos < len(rdata):
            size = rdata[pos]
            strings.append(bytes(rdata[pos + 1 : pos + 1 + size]))
            pos += 1 + size
        return {"strings": strings}
    if rtype == TYPES["A"]:
        return {"address": socket.inet_ntoa(rdata)}
    if rtype == TYPES["CNAME"]:
        return {"target": _read_name(message, start)[0]}
    if rtype == TYPES["MX"]:
        return {"preference": struct.unpack("!H", rdata[:2])[0],
                "exchange": _read_name(message, start + 2)[0]}
    return {"rdata": bytes(rdata)}


def parse_response(message, query_id):
    if len(message) < 12:
        raise ValueError("short DNS message")
    rid, flags, qdcount, ancount, _nscount, _arcount = struct.unpack("!HHHHHH", message[:12])
    if rid != query_id:
        raise ValueError("answer to another query")
    offset = 12
    for _ in range(qdcount):
        _, offset = _read_name(message, offset)
        offset += 4
    answers = []
    for _ in range(ancount):
        name, offset = _read_name(message, offset)
        rtype, _rclass, ttl, rdlength = struct.unpack("!HHIH", message[offset : offset + 10])
        offset += 10
        record = {"name": name, "type": TYPE_NAMES.get(rtype, str(rtype)), "ttl": ttl}
        record.update(_parse_rdata(message, rtype, offset, rdlength))
        answers.append(record)
        offset += rdlength
    rcode = RCODES.get(flags & 0xF, str(flags & 0xF))
    return DnsAnswer(rcode, flags, answers, bool(flags & 0x0200))


def query(name, rtype, server="127.0.0.1", port=53, timeout=2.0, tcp=False, edns=True):
    """Asks `server` once; returns a DnsAnswer. Raises OSError (socket.timeout) when no answer."""
    query_id = random.randrange(1, 0x10000)
    packet = build_query(name, rtype, query_id, edns=edns)
    if tcp:
        with socket.create_connection((server, port), timeout=timeout) as sock:
            sock.sendall(struct.pack("!H", len(packet)) + packet)
            size = struct.unpack("!H", _recv_exact(sock, 2))[0]
            return parse_response(_recv_exact(sock, size), query_id)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(timeout)
        sock.sendto(packet, (server, port))
        while True:
            data, _ = sock.recvfrom(65535)
            try:
                return parse_response(data, query_id)
            except ValueError:
                continue  # a stray datagram; wait for ours


def _recv_exact(sock, size):
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            raise ConnectionError("DNS server closed the TCP connection")
        data += chunk
    return data
