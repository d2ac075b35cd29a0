"""A small HTTPS/1.1 client (stdlib ssl) that shows what the world's servers really send.

Used to wait until nginx is up, by `world.py check`, and by the end-to-end fake adapter of the
tests. It keeps what a library client would hide: whether the body came chunked or with a
Content-Length, and whether a Content-Type field was there at all.
"""

import socket
import ssl
import time

WORLD_ADDRESS = ("127.0.0.1", 443)


class Response:
    def __init__(self, status, headers, body, chunked, cert, elapsed):
        self.status = status
        self.headers = headers  # [(lower-case name, value), ...] in order
        self.body = body
        self.chunked = chunked
        self.cert = cert  # getpeercert() of a verified chain, else {}
        self.elapsed = elapsed

    def header(self, name):
        values = [v for n, v in self.headers if n == name.lower()]
        return values[0] if values else None


def context(cafile, verify=True, check_hostname=False):
    ctx = ssl.create_default_context(cafile=cafile) if verify else ssl.SSLContext(
        ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = check_hostname and verify
    if not verify:
        ctx.verify_mode = ssl.CERT_NONE
    return ctx


def fetch(sni, path="/.well-known/mta-sts.txt", cafile=None, verify=True, check_hostname=False,
          timeout=5.0, address=WORLD_ADDRESS, host=None, method="GET"):
    """GETs `path` with SNI `sni` (None: no SNI) within an overall `timeout`.

    Raises ssl.SSLCertVerificationError on a rejected certificate and OSError (socket.timeout
    included) when the deadline passes or the server misbehaves at the TCP/TLS level.
    """
    start = time.monotonic()
    deadline = start + timeout
    ctx = context(cafile, verify, check_hostname)
    with socket.create_connection(address, timeout=timeout) as raw:
        with ctx.wrap_socket(raw, server_hostname=sni) as tls:
            request = "%s %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: mtasts-world-probe\r\n" \
                      "Connection: close\r\n\r\n" % (method, path, host or sni or "127.0.0.1")
            tls.sendall(request.encode("ascii"))
            data = _read_to_close(tls, deadline)
            cert = tls.getpeercert() if verify else {}
    status, headers, body, chunked = parse(data, head_only=(method == "HEAD"))
    return Response(status, headers, body, chunked, cert, time.monotonic() - start)


def _read_to_close(tls, deadline):
    data = b""
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise socket.timeout("deadline passed after %d bytes" % len(data))
        tls.settimeout(remaining)
        try:
            chunk = tls.recv(65536)
        except ssl.SSLZeroReturnError:
            chunk = b""
        if not chunk:
            return data
        data += chunk


def parse(data, head_only=False):
    head, sep, rest = data.partition(b"\r\n\r\n")
    if not sep:
        raise ValueError("no end of header section")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = []
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers.append((name.strip().lower(), value.strip()))
    names = [n for n, _ in headers]
    chunked = any(n == "transfer-encoding" and "chunked" in v.lower() for n, v in headers)
    if head_only:
        return status, headers, b"", chunked
    if chunked:
        return status, headers, _dechunk(rest), True
    if "content-length" in names:
        length = int(dict(headers)["content-length"])
        if len(rest) < length:
            raise ValueError("body shorter than its Content-Length")
        return status, headers, rest[:length], False
    return status, headers, rest, False


def _dechunk(data):
    body = b""
    while True:
        size_line, sep, data = data.partition(b"\r\n")
        if not sep:
            raise ValueError("truncated chunked body")
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            return body
        body += data[:size]
        data = data[size + 2 :]
