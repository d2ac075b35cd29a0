#!/usr/bin/python3
"""The world's SMTP: MX hosts that answer EHLO and STARTTLS (stdlib sockets, threads and ssl).

  smtp_server.py TABLE.json LOG.jsonl

TABLE: {"idleTimeout": seconds, "default": {"cert", "key"},
        "hosts": [{"host", "address", "starttls", "cert", "key"}, ...]}.

Each host listens on port 25 of its own loopback address (scenarios.py says why): the server
knows the host from the address the client connected to, before any TLS, and advertises
STARTTLS or not. After STARTTLS the certificate is chosen by SNI, as a real MX does it: the
host's own when the client names the host, the default.world.test one when it sends no SNI or
another name. The session is as small as a sending MTA's checks need:

  220 <host> ESMTP greeting; EHLO (multi-line 250, STARTTLS listed when the entry offers it
  and TLS is not on yet); HELO; STARTTLS -> 220 and the handshake, or 502 when not offered,
  503 when TLS is on already; after the handshake the client starts again with EHLO (RFC 3207
  §4.2); MAIL, RCPT, RSET, NOOP -> 250; DATA -> 354, the message is read and dropped, 250;
  QUIT -> 221; anything else 502.

Plaintext the client sent after STARTTLS, before the handshake, is discarded rather than read
as commands after it (the STARTTLS command injection of CVE-2011-0411). A connection idle for
idleTimeout seconds gets 421 and is closed, so a stuck client never holds the world. Each
connection is logged as one JSON line at its end (what it sent, SNI, which certificate, how it
ended), for the tests and for debugging.
"""

import json
import os
import socket
import ssl
import sys
import threading
import time

sys.dont_write_bytecode = True  # run as a script: no __pycache__ in the source tree
import procs  # noqa: E402
import smtp_probe  # noqa: E402
from certs import DEFAULT_HOST  # noqa: E402

PORT = 25
MAX_LINE = 4096  # RFC 5321 §4.5.3.1.4 says 512 for a command line; this is lenient
MAX_MESSAGE = 1 << 20
EHLO_KEYWORDS = ("SIZE %d" % MAX_MESSAGE, "8BITMIME")
MARKER_HEADER = "X-Mtasts-Marker"  # the MTA driver's (run_mta.py) mark of each message
DELIVERIES_LOG = "deliveries.jsonl"  # beside LOG.jsonl: one line per accepted message


class Closed(Exception):
    """The connection ended (EOF, timeout, overlong line); the reason is the text."""


class LineReader:
    """CRLF (or bare LF) lines from a socket that may be swapped for its TLS wrapper."""

    def __init__(self, sock, idle_timeout):
        self.sock = sock
        self.idle_timeout = idle_timeout
        self.buffer = b""

    def line(self):
        while b"\n" not in self.buffer:
            if len(self.buffer) > MAX_LINE:
                raise Closed("line longer than %d bytes" % MAX_LINE)
            self.sock.settimeout(self.idle_timeout)
            try:
                chunk = self.sock.recv(65536)
            except socket.timeout:
                raise Closed("idle timeout")
            except (ssl.SSLError, OSError) as e:
                raise Closed("read failed: %s" % e)
            if not chunk:
                raise Closed("eof")
            self.buffer += chunk
        line, _, self.buffer = self.buffer.partition(b"\n")
        return line.rstrip(b"\r").decode("utf-8", "replace")

    def discard_pending(self):
        """Drops what was received but not read; returns its length."""
        pending = len(self.buffer)
        self.buffer = b""
        return pending


class Session:
    """One client connection to one host's listener."""

    def __init__(self, sock, peer, host_entry, contexts, idle_timeout):
        self.sock = sock
        self.entry = host_entry
        self.host = host_entry["host"]
        self.contexts = contexts  # (default context, the host's context)
        self.reader = LineReader(sock, idle_timeout)
        self.tls = False
        self.log = {"host": self.host, "address": host_entry["address"], "peer": peer[0],
                    "starttlsOffered": host_entry["starttls"], "commands": [], "tls": None,
                    "end": None, "deliveries": []}
        self.envelope = {"mailFrom": None, "rcptTo": []}
        self.sni = None
        self.deliveries = None  # a JsonLog of accepted messages (deliveries.jsonl)

    def send(self, code, *texts):
        """A reply: one line, or a multi-line one (code-text ... code text)."""
        lines = ["%d%s%s" % (code, " " if i == len(texts) - 1 else "-", text)
                 for i, text in enumerate(texts)]
        self.sock.sendall(("\r\n".join(lines) + "\r\n").encode("utf-8"))

    def run(self):
        try:
            self.send(220, "%s ESMTP mtasts test world" % self.host)
            while True:
                line = self.reader.line()
                self.log["commands"].append(line[:200])
                if not self.dispatch(line):
                    return
        except Closed as e:
            self.log["end"] = str(e)
            if str(e) == "idle timeout":
                self._try_send(421, "4.4.2 %s idle timeout, closing" % self.host)
        except (OSError, ssl.SSLError) as e:
            self.log["end"] = "write failed: %s" % e

    def _try_send(self, code, text):
        try:
            self.send(code, text)
        except (OSError, ssl.SSLError):
            pass

    def dispatch(self, line):
        """Answers one command line; False when the session is over."""
        verb, _, argument = line.partition(" ")
        verb = verb.upper()
        if verb == "EHLO":
            keywords = list(EHLO_KEYWORDS)
            if self.entry["starttls"] and not self.tls:
                keywords.append("STARTTLS")
            self.send(250, "%s greets %s" % (self.host, argument.strip() or "you"), *keywords)
        elif verb == "HELO":
            self.send(250, self.host)
        elif verb == "STARTTLS":
            return self.starttls(argument)
        elif verb in ("MAIL", "RCPT", "RSET", "NOOP"):
            self.envelope_command(verb, argument)
            self.send(250, "2.0.0 OK")
        elif verb == "DATA":
            self.send(354, "end data with <CR><LF>.<CR><LF>")
            marker = self.read_message()
            self.record_delivery(marker)
            self.send(250, "2.0.0 accepted (test world)")
        elif verb == "QUIT":
            self.send(221, "2.0.0 %s closing" % self.host)
            self.log["end"] = "quit"
            return False
        else:
            self.send(502, "5.5.1 command not implemented")
        return True

    def envelope_command(self, verb, argument):
        """The envelope's paths as the client gave them (MAIL FROM:<a> SIZE=.. -> <a>)."""
        value = (argument.partition(":")[2].split() or [""])[0][:200]
        if verb == "MAIL":
            self.envelope = {"mailFrom": value, "rcptTo": []}
        elif verb == "RCPT":
            self.envelope["rcptTo"].append(value)
        elif verb == "RSET":
            self.envelope = {"mailFrom": None, "rcptTo": []}

    def read_message(self):
        """Reads the message up to the lone dot; returns its marker header's value (the MTA
        driver puts one in every message it submits) or None."""
        size = 0
        marker = None
        while True:
            line = self.reader.line()
            if line == ".":
                return marker
            if marker is None and line.lower().startswith(MARKER_HEADER.lower() + ":"):
                marker = line.split(":", 1)[1].strip()[:200]
            size += len(line) + 2
            if size > MAX_MESSAGE:
                raise Closed("message over %d bytes" % MAX_MESSAGE)

    def record_delivery(self, marker):
        """A message this MX accepted: what the scenarios of kind mta are judged on (what the
        MTA under test says about it is only a detail)."""
        tls = self.log["tls"] if self.tls else None
        self.log["deliveries"].append({
            "marker": marker, "mailFrom": self.envelope["mailFrom"],
            "rcptTo": list(self.envelope["rcptTo"]), "tls": self.tls,
            "tlsVersion": tls and tls.get("version"), "sni": tls and tls.get("sni"),
            "cert": tls and tls.get("cert"), "certKind": tls and tls.get("certKind")})
        self.envelope = {"mailFrom": None, "rcptTo": []}
        if self.deliveries is not None:
            # Written before the 250 goes out: a delivery the client knows of is on file.
            self.deliveries.write(dict(self.log["deliveries"][-1], host=self.host,
                                       address=self.entry["address"]))

    def starttls(self, argument):
        if not self.entry["starttls"]:
            self.send(502, "5.5.1 STARTTLS not offered")
            return True
        if self.tls:
            self.send(503, "5.5.1 TLS already active")
            return True
        if argument.strip():
            self.send(501, "5.5.4 STARTTLS takes no argument")
            return True
        self.send(220, "2.0.0 ready to start TLS")
        dropped = self.reader.discard_pending()
        if self.entry.get("tls") == "abort":
            # "STARTTLS then failure": the server agreed, then hangs up instead of a handshake.
            self.log["tls"] = {"sni": None, "cert": None, "error": "aborted by the world"}
            self.log["end"] = "tls aborted"
            return False
        default_context, _ = self.contexts
        try:
            self.sock.settimeout(self.reader.idle_timeout)
            tls_sock = default_context.wrap_socket(self.sock, server_side=True)
        except (ssl.SSLError, OSError) as e:
            self.log["tls"] = {"sni": self.sni, "cert": self._cert_shown(), "error": str(e)}
            self.log["end"] = "tls handshake failed"
            return False
        self.sock = tls_sock
        self.reader.sock = tls_sock
        self.tls = True
        self.log["tls"] = {"sni": self.sni, "cert": self._cert_shown(),
                           "certKind": self._cert_kind(), "version": tls_sock.version()}
        if dropped:
            self.log["tls"]["discardedPlaintext"] = dropped
        return True

    def _cert_shown(self):
        return "host" if self.sni == self.host else "default"

    def _cert_kind(self):
        """The kind of the certificate shown (certs.KINDS), "valid" for the default one."""
        return self.entry.get("certKind", "valid") if self.sni == self.host else "valid"

    def choose_certificate(self, ssl_sock, server_name, _context):
        """The SNI callback: the host's certificate when the client names the host."""
        self.sni = server_name.lower().rstrip(".") if server_name else None
        if self.sni == self.host:
            ssl_sock.context = self.contexts[1]


def server_context(cert, key, sni_callback=None, legacy=False):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    if legacy:
        # TLS 1.0 and 1.1 only (RFC 8461 4.2 asks senders for 1.2 or newer); OpenSSL 3 needs
        # security level 0 to speak them at all.
        ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
        ctx.minimum_version = ssl.TLSVersion.TLSv1
        ctx.maximum_version = ssl.TLSVersion.TLSv1_1
    ctx.load_cert_chain(cert, key)
    if sni_callback is not None:
        ctx.sni_callback = sni_callback
    return ctx


class Listener:
    """Port 25 of one host's address; a thread per connection."""

    def __init__(self, entry, default, idle_timeout, log, deliveries=None):
        self.deliveries = deliveries
        self.entry = entry
        self.default = default
        self.idle_timeout = idle_timeout
        self.log = log
        self.legacy = entry.get("tls") == "legacy"
        self.host_context = server_context(entry["cert"], entry["key"], legacy=self.legacy)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((entry["address"], PORT))
        self.sock.listen(64)

    def serve(self):
        while True:
            conn, peer = self.sock.accept()
            threading.Thread(target=self.handle, args=(conn, peer), daemon=True).start()

    def handle(self, conn, peer):
        start = time.monotonic()
        session = None
        try:
            # A context per connection: its SNI callback belongs to this session.
            session = Session(conn, peer, self.entry, None, self.idle_timeout)
            default_context = server_context(self.default["cert"], self.default["key"],
                                             session.choose_certificate, self.legacy)
            session.contexts = (default_context, self.host_context)
            session.deliveries = self.deliveries
            session.run()
        finally:
            # After STARTTLS the session's socket is the TLS wrapper of `conn`.
            try:
                (session.sock if session is not None else conn).close()
            except OSError:
                pass
            if session is not None:
                session.log["seconds"] = round(time.monotonic() - start, 3)
                self.log.write(session.log)


class JsonLog:
    def __init__(self, path):
        self.file = open(path, "a", encoding="utf-8")
        self.lock = threading.Lock()

    def write(self, obj):
        with self.lock:
            self.file.write(json.dumps(obj, ensure_ascii=False) + "\n")
            self.file.flush()


def serve(table_path, log_path):
    with open(table_path, encoding="utf-8") as f:
        table = json.load(f)
    log = JsonLog(log_path)
    deliveries = JsonLog(os.path.join(os.path.dirname(log_path), DELIVERIES_LOG))
    listeners = [Listener(entry, table["default"], table["idleTimeout"], log, deliveries)
                 for entry in table["hosts"]]
    for listener in listeners:
        threading.Thread(target=listener.serve, daemon=True).start()
    sys.stderr.write("smtp_server: %d hosts listening\n" % len(listeners))
    sys.stderr.flush()
    threading.Event().wait()


# --- the world's side: start, wait until every host answers, stop ---------------------------

class SmtpServer:
    """Runs smtp_server.py for a phase's SMTP entries (none: nothing runs)."""

    def __init__(self, log_dir, certs, idle_timeout):
        self.log_dir = log_dir
        self.certs = certs
        self.idle_timeout = idle_timeout
        self.proc = None
        self.addresses = []

    def table(self, entries):
        return {"idleTimeout": self.idle_timeout,
                "default": {"cert": self.certs.leaf(DEFAULT_HOST, "valid"),
                            "key": self.certs.leaf_key},
                "hosts": [{"host": e["host"], "address": e["address"], "starttls": e["starttls"],
                           "tls": e.get("tls", "normal"), "certKind": e["cert"],
                           "cert": self.certs.leaf(e["host"], e["cert"]),
                           "key": self.certs.leaf_key} for e in entries]}

    def start(self, entries, phase_dir):
        table_path = os.path.join(phase_dir, "smtp-table.json")
        with open(table_path, "w", encoding="utf-8") as f:
            json.dump(self.table(entries), f, indent=1)
        self.addresses = [e["address"] for e in entries]
        if not entries:
            return
        log = os.path.join(self.log_dir, "smtp.stderr.log")
        self.proc = procs.start([sys.executable, os.path.abspath(__file__), table_path,
                                 os.path.join(self.log_dir, "smtp.jsonl")], log)
        if not procs.wait_until(self._all_greet, timeout=procs.READY_TIMEOUT):
            raise RuntimeError("the SMTP server did not greet on every address: "
                               + procs.log_tail(log))

    def _all_greet(self):
        if self.proc.poll() is not None:
            raise RuntimeError("the SMTP server exited with status %s: %s" % (
                self.proc.returncode,
                procs.log_tail(os.path.join(self.log_dir, "smtp.stderr.log"))))
        for address in self.addresses:
            try:
                if not smtp_probe.greets(address, timeout=1):
                    return False
            except OSError:
                return False
        return True

    def stop(self):
        procs.stop(self.proc)
        self.proc = None
        self.addresses = []


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit("usage: smtp_server.py TABLE.json LOG.jsonl")
    serve(sys.argv[1], sys.argv[2])
