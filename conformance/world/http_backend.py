#!/usr/bin/python3
"""The bytes behind the world's HTTPS servers: nginx terminates TLS and proxies here.

Why a backend at all: nginx alone cannot serve a response without a Content-Type field, nor
choose per response between Content-Length and chunked framing. This process writes exactly the
status line, Location, Content-Type (or none), and body of each `https` entry, and frames it as
the entry's `transfer` asks; nginx, proxying without buffering, passes that on: a response with a
Content-Length keeps it, one without (closed by the backend) reaches HTTP/1.1 clients chunked.

Usage: http_backend.py SOCKET TABLE.json
  SOCKET: the Unix socket nginx proxies to (X-World-Entry names the entry);
  TABLE:  {"ENTRY": {"status", "location", "contentType", "body", "transfer"}, ...}.
"""

import http
import json
import os
import socketserver
import sys
import time

SLOW_SECONDS = 12.0
SLOW_PIECES = 24


def reason_phrase(status):
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return "Status"


def response_head(entry, body_length):
    status = int(entry["status"])
    lines = ["HTTP/1.0 %d %s" % (status, reason_phrase(status))]
    if entry.get("location") is not None:
        lines.append("Location: " + entry["location"])
    if entry.get("contentType") is not None:
        lines.append("Content-Type: " + entry["contentType"])
    if entry.get("transfer", "length") != "chunked":
        lines.append("Content-Length: %d" % body_length)
    lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def slow_pieces(body):
    """The body cut so that sending one piece every SLOW_SECONDS / pieces takes ~SLOW_SECONDS."""
    count = max(1, min(SLOW_PIECES, len(body)))
    size = -(-len(body) // count) if body else 0
    return [body[i : i + size] for i in range(0, len(body), size)] if body else [b""]


class Handler(socketserver.StreamRequestHandler):
    table = {}

    def handle(self):
        request_line = self.rfile.readline(8192)
        entry_id = None
        while True:
            line = self.rfile.readline(8192)
            if line in (b"\r\n", b"\n", b""):
                break
            name, _, value = line.decode("latin-1").partition(":")
            if name.strip().lower() == "x-world-entry":
                entry_id = value.strip()
        entry = self.table.get(entry_id)
        if entry is None:
            self.wfile.write(b"HTTP/1.0 500 No Such Entry\r\nContent-Length: 0\r\n\r\n")
            return
        body = entry["body"].encode("utf-8")
        head_only = request_line.startswith(b"HEAD ")
        self.wfile.write(response_head(entry, len(body)))
        if head_only:
            return
        if entry.get("transfer") == "slow":
            pieces = slow_pieces(body)
            for piece in pieces:
                time.sleep(SLOW_SECONDS / len(pieces))
                self.wfile.write(piece)
                self.wfile.flush()
        else:
            self.wfile.write(body)


class Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A client that gives up on a slow body (its timeout) closes the connection: expected.
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return
        super().handle_error(request, client_address)


def main(argv):
    if len(argv) != 3:
        sys.stderr.write("usage: http_backend.py SOCKET TABLE.json\n")
        return 2
    socket_path, table_path = argv[1], argv[2]
    with open(table_path, encoding="utf-8") as f:
        Handler.table = json.load(f)
    if os.path.exists(socket_path):
        os.unlink(socket_path)
    with Server(socket_path, Handler) as server:
        server.serve_forever()
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except (BrokenPipeError, KeyboardInterrupt):
        sys.exit(0)
