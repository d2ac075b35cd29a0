"""A small SMTP client (stdlib socket and ssl) that shows what the world's MX hosts really say.

Used to wait until the SMTP server is up, by `world.py check`, and by the end-to-end fake
adapter of the tests. smtplib would hide what matters here: it takes the TLS server name from
the address it connects to, so it can neither connect to an address while naming a host in
SNI nor leave SNI out.
"""

import socket
import ssl

import https_probe

PORT = 25


class SmtpReply:
    def __init__(self, code, lines):
        self.code = code
        self.lines = lines  # the text of each line, without the code and separator

    def __repr__(self):
        return "SmtpReply(%d, %r)" % (self.code, self.lines)


class SmtpClient:
    """One connection: replies are read whole (multi-line included); starttls() upgrades it."""

    def __init__(self, address, timeout=5.0):
        self.timeout = timeout
        self.sock = socket.create_connection((address, PORT), timeout=timeout)
        self.buffer = b""
        self.cert = None  # getpeercert() after a verified STARTTLS

    def close(self):
        self.sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def _line(self):
        while b"\n" not in self.buffer:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("the server closed the connection")
            self.buffer += chunk
        line, _, self.buffer = self.buffer.partition(b"\n")
        return line.rstrip(b"\r").decode("utf-8", "replace")

    def reply(self):
        lines = []
        while True:
            line = self._line()
            if len(line) < 3 or not line[:3].isdigit() or line[3:4] not in ("", " ", "-"):
                raise ValueError("not an SMTP reply line: %r" % line)
            lines.append(line[4:])
            if line[3:4] != "-":
                return SmtpReply(int(line[:3]), lines)

    def command(self, text):
        self.sock.sendall(text.encode("utf-8") + b"\r\n")
        return self.reply()

    def ehlo_keywords(self, name="probe.world.test"):
        """(reply, the upper-cased keywords of an EHLO reply's lines after the first)."""
        reply = self.command("EHLO " + name)
        return reply, [line.split(" ")[0].upper() for line in reply.lines[1:]]

    def starttls(self, sni, cafile, verify=True, check_hostname=False):
        """STARTTLS and the handshake with SNI `sni` (None: no SNI). Returns the 220 reply;
        raises ssl.SSLCertVerificationError when the certificate is rejected."""
        reply = self.command("STARTTLS")
        if reply.code != 220:
            return reply
        ctx = https_probe.context(cafile, verify, check_hostname)
        self.sock = ctx.wrap_socket(self.sock, server_hostname=sni)
        self.cert = self.sock.getpeercert() if verify else {}
        return reply


def greets(address, timeout=1.0):
    """True when `address`:25 sends a 220 greeting (then QUIT)."""
    with SmtpClient(address, timeout) as client:
        if client.reply().code != 220:
            return False
        client.command("QUIT")
        return True


def tls_check(address, host, cafile, timeout=5.0):
    """What a sending MTA finds at an MX host: (outcome, detail, OpenSSL verify code or None).
    outcome: "ok", "no-starttls" (not advertised, or refused), or "cert" (chain and expiry
    checked by OpenSSL, the name against `host`, sent as SNI)."""
    with SmtpClient(address, timeout) as client:
        client.reply()
        _, keywords = client.ehlo_keywords()
        if "STARTTLS" not in keywords:
            return "no-starttls", "STARTTLS not advertised", None
        try:
            reply = client.starttls(host, cafile, check_hostname=True)
        except ssl.SSLCertVerificationError as e:
            return "cert", e.verify_message, e.verify_code
        if reply.code != 220:
            return "no-starttls", "STARTTLS answered %d" % reply.code, None
        client.command("EHLO probe.world.test")
        client.command("QUIT")
        return "ok", "verified", None
