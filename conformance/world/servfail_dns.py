#!/usr/bin/python3
"""A DNS server that answers every query with SERVFAIL, over UDP and TCP.

dnsmasq has no way to make a local name fail, and forwarding to a closed port makes it wait and
then say nothing (the client times out, which is another failure). So the world forwards each
SERVFAIL name here (dnsmasq `server=/NAME/127.0.0.1#PORT`) and dnsmasq relays the SERVFAIL at
once.

Usage: servfail_dns.py PORT   (listens on 127.0.0.1)

Each answer is noted on stdout (`udp NAME type N`), flushed before the answer is sent: a client
that got a SERVFAIL can read in the log that it came from here, not from a timeout elsewhere.
"""

import socketserver
import struct
import sys
import threading

SERVFAIL = 2


def servfail_for(query):
    """The SERVFAIL answer to `query` (its question echoed), or None for a runt."""
    if len(query) < 12:
        return None
    query_id, flags, qdcount = struct.unpack("!HHH", query[:6])
    # QR=1, keep opcode and RD, RA=1.
    answer_flags = 0x8000 | (flags & 0x7900) | 0x0080 | SERVFAIL
    question = _question(query) if qdcount == 1 else b""
    return struct.pack("!HHHHHH", query_id, answer_flags, 1 if question else 0, 0, 0, 0) + question


def note(transport, query):
    """Writes `TRANSPORT NAME type N` for the query on stdout, at once."""
    question = _question(query)
    labels, offset = [], 0
    while offset < len(question) and question[offset]:
        length = question[offset]
        labels.append(question[offset + 1 : offset + 1 + length].decode("latin-1"))
        offset += 1 + length
    qtype = struct.unpack("!H", question[offset + 1 : offset + 3])[0] if question else 0
    sys.stdout.write("%s %s type %d\n" % (transport, ".".join(labels) or ".", qtype))
    sys.stdout.flush()


def _question(query):
    offset = 12
    while offset < len(query):
        length = query[offset]
        if length == 0:
            end = offset + 5
            return query[12:end] if end <= len(query) else b""
        if length & 0xC0:
            return b""
        offset += 1 + length
    return b""


class UdpHandler(socketserver.BaseRequestHandler):
    def handle(self):
        data, sock = self.request
        answer = servfail_for(data)
        if answer:
            note("udp", data)
            sock.sendto(answer, self.client_address)


class TcpHandler(socketserver.StreamRequestHandler):
    def handle(self):
        while True:
            size = self.rfile.read(2)
            if len(size) < 2:
                return
            query = self.rfile.read(struct.unpack("!H", size)[0])
            answer = servfail_for(query)
            if not answer:
                return
            note("tcp", query)
            self.wfile.write(struct.pack("!H", len(answer)) + answer)


class UdpServer(socketserver.ThreadingMixIn, socketserver.UDPServer):
    daemon_threads = True
    allow_reuse_address = True


class TcpServer(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True
    allow_reuse_address = True


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: servfail_dns.py PORT\n")
        return 2
    address = ("127.0.0.1", int(argv[1]))
    udp = UdpServer(address, UdpHandler)
    tcp = TcpServer(address, TcpHandler)
    threading.Thread(target=tcp.serve_forever, daemon=True).start()
    udp.serve_forever()
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except KeyboardInterrupt:
        sys.exit(0)
