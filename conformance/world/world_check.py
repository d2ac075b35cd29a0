"""`world.py check`: a small built-in world, and checks of what its servers really answer.

Every behaviour the scenarios rely on is looked at from the client's side, with the stdlib DNS
client (dnswire.py), HTTPS client (https_probe.py) and SMTP client (smtp_probe.py): TXT
character-strings byte for byte, RRsets, CNAME chains, MX, NXDOMAIN / NODATA / SERVFAIL, each
certificate kind, status, Location, Content-Type present or absent, Content-Length or chunked
framing, the slow body, the default server, the MX hosts' greeting, EHLO with and without
STARTTLS, the handshake by SNI, 502, QUIT, the idle timeout, a phase switch (how long it took
is printed, never checked), and the namespace's isolation.

No check depends on how fast the machine is or how loaded: each one compares what the servers
decided (a SERVFAIL relayed from servfail_dns.py, a body that cannot be complete yet because
the server sleeps between its pieces, a 421 that only the idle timeout sends). Every timeout
of a client here is a hang guard, generous, never the thing checked.
"""

import json
import os
import socket
import ssl
import threading
import time

import dnswire
import https_probe
import netns
import procs
import scenarios
import smtp_probe
from certs import DEFAULT_HOST, WRONG_NAME
from world import World, WorldError

D = "chk.world.test"
POLICY = "version: STSv1\r\nmode: enforce\r\nmx: mx1.chk.world.test\r\nmax_age: 86400\r\n"
PRINTABLE = "".join(chr(c) for c in range(0x20, 0x7F))
TRICKY = [PRINTABLE, 'a;b"c\\d e', "  lead", "trail  ", "", "#not a comment,"]
ESCAPED = ["\t\r\n\x1b\b", "é ü"]
LONG = ["x" * 255, "y" * 255, "z" * 255]
EXPIRED_CODE = 10  # X509_V_ERR_CERT_HAS_EXPIRED
NOT_YET_VALID_CODE = 9  # X509_V_ERR_CERT_NOT_YET_VALID
SELF_SIGNED_CODE = 18  # X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT
HOSTNAME_MISMATCH_CODE = 62  # X509_V_ERR_HOSTNAME_MISMATCH
SLOW_TIMEOUT = 5.0
# The check world's SMTP idle timeout (the real one: world.SMTP_IDLE_TIMEOUT). Its wait runs
# beside the slow body's SLOW_TIMEOUT, so it costs nothing; every other session of the check
# has that long between two of its commands.
SMTP_IDLE = 5
# How long the silent client waits for the 421: room for any load above SMTP_IDLE, and short of
# the real 30 s, so a server that ignored the check world's idle timeout fails the check.
IDLE_WAIT = 20
GUARD = 30  # seconds a client here waits for what must come (a hang guard, not a speed claim)
MX_OK = "mx-ok." + D
MX_EXPIRED = "mx-expired." + D
MX_PLAIN = "mx-plain." + D


def _query(*args, **kwargs):
    kwargs.setdefault("timeout", GUARD)
    return dnswire.query(*args, **kwargs)


def _fetch(*args, **kwargs):
    kwargs.setdefault("timeout", GUARD)
    return https_probe.fetch(*args, **kwargs)


def _txt(name, *strings):
    return {"name": name, "type": "TXT", "strings": list(strings)}


def _https(label, cert="valid", status=200, content_type="text/plain", body=POLICY,
           transfer="length", location=None):
    entry = {"host": "mta-sts.%s.%s" % (label, D) if label else "mta-sts." + D, "cert": cert,
             "status": status, "contentType": content_type, "body": body, "transfer": transfer}
    if location is not None:
        entry["location"] = location
    return entry


def phase_a():
    return {
        "dns": [
            _txt("_mta-sts." + D, "v=STSv1; id=chk1;"),
            _txt("_mta-sts." + D, "v=STSv1; ", "id=second;"),
            _txt("tricky." + D, *TRICKY),
            _txt("escaped." + D, *ESCAPED),
            _txt("long." + D, *LONG),
            _txt("long." + D, "second RR"),
            {"name": "mta-sts." + D, "type": "A", "address": "127.0.0.1"},
            {"name": "alias." + D, "type": "CNAME", "target": "_mta-sts." + D},
            {"name": "www." + D, "type": "CNAME", "target": "mta-sts." + D},
            {"name": D, "type": "MX", "preference": 10, "exchange": "mx1." + D},
            {"name": "broken." + D, "type": "SERVFAIL"},
            {"name": MX_OK, "type": "A", "address": "127.0.0.1"},
            {"name": MX_EXPIRED, "type": "A", "address": "127.0.0.1"},
            {"name": MX_PLAIN, "type": "A", "address": "127.0.0.1"},
        ],
        "https": [
            _https(None),
            _https("expired", cert="expired"),
            _https("future", cert="not-yet-valid"),
            _https("wrong", cert="wrong-name"),
            _https("self", cert="self-signed"),
            _https("wild", cert="wildcard"),
            _https("partial", cert="partial-wildcard"),
            _https("cn", cert="cn-only"),
            _https("noct", content_type=None, body="no type"),
            _https("chunked", transfer="chunked", body=POLICY + "x" * 3000),
            _https("missing", status=404, content_type="text/html", body="<p>gone</p>"),
            _https("moved", status=301, body="moved",
                   location="https://mta-sts.%s/.well-known/mta-sts.txt" % D),
            _https("slow", transfer="slow"),
        ],
        "smtp": [
            {"host": MX_OK, "cert": "valid", "starttls": True},
            {"host": MX_EXPIRED, "cert": "expired", "starttls": True},
            {"host": MX_PLAIN, "cert": "valid", "starttls": False},
        ],
    }


def phase_b():
    return {
        "dns": [_txt("_mta-sts." + D, "v=STSv1; id=chk2;"),
                {"name": "mta-sts." + D, "type": "A", "address": "127.0.0.1"}],
        "https": [_https(None, body=POLICY.replace("enforce", "testing"))],
    }


class Checker:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def expect(self, description, condition, detail=""):
        if condition:
            self.passed += 1
            print("ok    %s" % description)
        else:
            self.failed += 1
            print("FAIL  %s%s" % (description, (": " + detail) if detail else ""))

    def guarded(self, description, function):
        """Runs function(); an exception is a failed check rather than the end of all."""
        try:
            function()
        except Exception as e:  # noqa: BLE001 - a check reports, never crashes the rest
            self.expect(description, False, "%s: %s" % (type(e).__name__, e))


def strings_of(answer):
    return [rr["strings"] for rr in answer.of_type("TXT")]


def check_namespace(ck):
    ck.expect("namespace: only the loopback interface exists", netns.interfaces() == ["lo"],
              "interfaces: %s" % netns.interfaces())
    with open("/etc/resolv.conf") as f:
        resolv = f.read()
    ck.expect("namespace: /etc/resolv.conf names only 127.0.0.1", resolv == netns.RESOLV_CONF,
              repr(resolv))
    with open("/etc/hosts") as f:
        hosts = f.read()
    ck.expect("namespace: /etc/hosts has only localhost lines", hosts == netns.HOSTS, repr(hosts))


def _servfail_relayed(log_path, name, rtype):
    """True when servfail_dns.py's log has its answer to `name`/`rtype` over UDP (it writes the
    line before it answers, so it is there once the client has the answer)."""
    wanted = "udp %s type %d" % (name.lower(), dnswire.TYPES[rtype])
    with open(log_path, encoding="utf-8", errors="replace") as f:
        return any(line.strip().lower() == wanted for line in f)


def check_dns(ck, servfail_log):
    rrset = _query("_mta-sts." + D, "TXT")
    ck.expect("DNS: two TXT RRs at one name make an RRset (one with two strings)",
              sorted(strings_of(rrset)) == sorted([[b"v=STSv1; id=chk1;"],
                                                   [b"v=STSv1; ", b"id=second;"]]),
              repr(rrset))
    ck.expect("DNS: TTL 0 on local records", all(rr["ttl"] == 0 for rr in rrset.answers))
    tricky = _query("tricky." + D, "TXT")
    ck.expect("DNS: TXT strings byte for byte (all printable ASCII, ; \" \\ spaces, empty, #)",
              strings_of(tricky) == [[s.encode() for s in TRICKY]], repr(tricky))
    escaped = _query("escaped." + D, "TXT")
    ck.expect("DNS: TXT strings with TAB CR LF ESC BS and UTF-8 byte for byte",
              strings_of(escaped) == [[s.encode() for s in ESCAPED]], repr(escaped))
    long_udp = _query("long." + D, "TXT", edns=False)
    ck.expect("DNS: a large RRset sets TC over UDP without EDNS0", long_udp.truncated)
    long_tcp = _query("long." + D, "TXT", tcp=True, edns=False)
    ck.expect("DNS: the same RRset in full over TCP (3 x 255-byte strings + another RR)",
              sorted(strings_of(long_tcp)) == sorted([[s.encode() for s in LONG],
                                                      [b"second RR"]]),
              repr(long_tcp)[:200])
    alias = _query("alias." + D, "TXT")
    ck.expect("DNS: a CNAME is followed by its target's TXT RRset in the answer",
              alias.rcode == "NOERROR" and alias.answers[0]["type"] == "CNAME"
              and alias.answers[0]["target"] == "_mta-sts." + D
              and len(alias.of_type("TXT")) == 2, repr(alias))
    www = _query("www." + D, "A")
    ck.expect("DNS: a CNAME to a host is followed by its A record",
              [rr["type"] for rr in www.answers] == ["CNAME", "A"]
              and www.answers[1]["address"] == "127.0.0.1", repr(www))
    mx = _query(D, "MX")
    ck.expect("DNS: MX", [(rr["preference"], rr["exchange"]) for rr in mx.of_type("MX")]
              == [(10, "mx1." + D)], repr(mx))
    nx = _query("nothere." + D, "TXT")
    ck.expect("DNS: an unknown name under world.test is NXDOMAIN",
              nx.rcode == "NXDOMAIN" and not nx.answers, repr(nx))
    nodata = _query("mta-sts." + D, "TXT")
    ck.expect("DNS: a name with other types only is NODATA (NOERROR, no answer)",
              nodata.rcode == "NOERROR" and not nodata.answers, repr(nodata))
    nodata6 = _query("mta-sts." + D, "AAAA")
    ck.expect("DNS: AAAA of an A-only name is NODATA",
              nodata6.rcode == "NOERROR" and not nodata6.answers, repr(nodata6))
    for rtype in ("TXT", "A"):
        failing = _query("broken." + D, rtype)
        # From servfail_dns.py, which answers as soon as it is asked: not a SERVFAIL that
        # dnsmasq made up after waiting for a server that never answered.
        ck.expect("DNS: a SERVFAIL name fails %s queries with the SERVFAIL of servfail_dns.py"
                  % rtype, failing.rcode == "SERVFAIL"
                  and _servfail_relayed(servfail_log, "broken." + D, rtype), repr(failing))
    failing_tcp = _query("broken." + D, "TXT", tcp=True)
    ck.expect("DNS: ... over TCP too", failing_tcp.rcode == "SERVFAIL", repr(failing_tcp))
    outside = _query("example.com", "A")
    ck.expect("DNS: names outside world.test get no answer (REFUSED)",
              outside.rcode == "REFUSED" and not outside.answers, repr(outside))
    addresses = {info[4][0] for info in socket.getaddrinfo("mta-sts." + D, 443,
                                                           proto=socket.IPPROTO_TCP)}
    ck.expect("DNS: the system resolver (getaddrinfo via /etc/resolv.conf) finds the world",
              addresses == {"127.0.0.1"}, repr(addresses))


def _verify_error(host, ca):
    try:
        _fetch(host, cafile=ca, check_hostname=True)
    except ssl.SSLCertVerificationError as e:
        return e.verify_code
    return None


def _san(cert):
    return [value for kind, value in cert.get("subjectAltName", ()) if kind == "DNS"]


def _cn(cert):
    return [value for rdn in cert.get("subject", ()) for key, value in rdn if key == "commonName"]


def check_certificates(ck, ca):
    host = "mta-sts." + D
    valid = _fetch(host, cafile=ca, check_hostname=True)
    ck.expect("TLS valid: chain and host name verify; SAN = the host",
              _san(valid.cert) == [host], repr(valid.cert))
    ck.expect("TLS expired: rejected as expired",
              _verify_error("mta-sts.expired." + D, ca) == EXPIRED_CODE)
    ck.expect("TLS not-yet-valid: rejected as not yet valid",
              _verify_error("mta-sts.future." + D, ca) == NOT_YET_VALID_CODE)
    ck.expect("TLS self-signed: rejected as self-signed",
              _verify_error("mta-sts.self." + D, ca) == SELF_SIGNED_CODE)
    ck.expect("TLS wrong-name: rejected as a host name mismatch",
              _verify_error("mta-sts.wrong." + D, ca) == HOSTNAME_MISMATCH_CODE)
    wrong = _fetch("mta-sts.wrong." + D, cafile=ca)
    ck.expect("TLS wrong-name: the chain verifies, the name is %s" % WRONG_NAME,
              _san(wrong.cert) == [WRONG_NAME])
    wild = _fetch("mta-sts.wild." + D, cafile=ca, check_hostname=True)
    ck.expect("TLS wildcard: SAN *.<parent>, matches the host",
              _san(wild.cert) == ["*.wild." + D], repr(wild.cert))
    partial = _fetch("mta-sts.partial." + D, cafile=ca)
    ck.expect("TLS partial-wildcard: SAN mta*.<parent>",
              _san(partial.cert) == ["mta*.partial." + D], repr(partial.cert))
    cn_only = _fetch("mta-sts.cn." + D, cafile=ca)
    ck.expect("TLS cn-only: no subjectAltName, subject CN = the host",
              "subjectAltName" not in cn_only.cert and _cn(cn_only.cert) == ["mta-sts.cn." + D],
              repr(cn_only.cert))
    no_sni = _fetch(None, cafile=ca, host=host)
    # nginx picks the certificate by SNI but the virtual server by Host, as real servers do:
    # a client without SNI that skipped the name check would get the policy.
    ck.expect("TLS without SNI: the default server's certificate (%s); Host routes the request"
              % DEFAULT_HOST, _san(no_sni.cert) == [DEFAULT_HOST] and no_sni.status == 200,
              "%r, status %d" % (no_sni.cert, no_sni.status))
    unknown = _fetch("unknown." + D, cafile=ca)
    ck.expect("TLS unknown SNI: the default server's certificate, 404",
              _san(unknown.cert) == [DEFAULT_HOST] and unknown.status == 404)


def check_responses(ck, ca):
    ok = _fetch("mta-sts." + D, cafile=ca)
    ck.expect("HTTP length: 200, Content-Type text/plain, Content-Length, exact body",
              ok.status == 200 and ok.header("content-type") == "text/plain"
              and ok.header("content-length") == str(len(POLICY)) and not ok.chunked
              and ok.body == POLICY.encode(), repr(ok.headers))
    other = _fetch("mta-sts." + D, path="/other", cafile=ca)
    ck.expect("HTTP: any other path is 404", other.status == 404)
    noct = _fetch("mta-sts.noct." + D, cafile=ca)
    ck.expect("HTTP contentType null: no Content-Type field at all",
              noct.status == 200 and noct.header("content-type") is None
              and noct.body == b"no type", repr(noct.headers))
    chunked = _fetch("mta-sts.chunked." + D, cafile=ca)
    ck.expect("HTTP chunked: Transfer-Encoding chunked, no Content-Length, exact body",
              chunked.chunked and chunked.header("content-length") is None
              and chunked.body == (POLICY + "x" * 3000).encode(), repr(chunked.headers))
    missing = _fetch("mta-sts.missing." + D, cafile=ca)
    ck.expect("HTTP status 404 with the entry's type and body",
              missing.status == 404 and missing.header("content-type") == "text/html"
              and missing.body == b"<p>gone</p>", repr(missing.headers))
    moved = _fetch("mta-sts.moved." + D, cafile=ca)
    ck.expect("HTTP status 301 with the entry's Location",
              moved.status == 301
              and moved.header("location") == "https://mta-sts.%s/.well-known/mta-sts.txt" % D,
              repr(moved.headers))


def start_slow_check(ca):
    """Starts the slow fetch in a thread; returns a function that waits for it and returns
    (body bytes that came with the header section or None, outcome text).

    Decided whatever the load: the backend sleeps 12 s / 24 before each piece of the body, so
    no client can have it all SLOW_TIMEOUT s after its request (however late it reads), and the
    header section comes before the body ends unless this thread sleeps through 12 s."""
    result = {}

    def run():
        host = "mta-sts.slow." + D
        try:
            with socket.create_connection(https_probe.WORLD_ADDRESS, timeout=GUARD) as raw:
                with https_probe.context(ca).wrap_socket(raw, server_hostname=host) as tls:
                    sent = time.monotonic()
                    tls.sendall(("GET /.well-known/mta-sts.txt HTTP/1.1\r\nHost: %s\r\n"
                                 "Connection: close\r\n\r\n" % host).encode())
                    data = b""
                    while b"\r\n\r\n" not in data:
                        chunk = tls.recv(65536)
                        if not chunk:
                            result["outcome"] = "closed in the header section"
                            return
                        data += chunk
                    result["with_head"] = len(data.partition(b"\r\n\r\n")[2])
                    while True:
                        remaining = sent + SLOW_TIMEOUT - time.monotonic()
                        if remaining <= 0:
                            break
                        tls.settimeout(remaining)
                        try:
                            chunk = tls.recv(65536)
                        except socket.timeout:
                            break
                        if not chunk:
                            result["outcome"] = "complete within %.0f s" % SLOW_TIMEOUT
                            return
                        data += chunk
                    body = len(data.partition(b"\r\n\r\n")[2])
                    result["outcome"] = "incomplete at %.0f s: %d of %d bytes" % (
                        SLOW_TIMEOUT, body, len(POLICY))
        except Exception as e:  # noqa: BLE001
            result["outcome"] = "%s: %s" % (type(e).__name__, e)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()

    def wait():
        thread.join()
        return result.get("with_head"), result.get("outcome")

    return wait


def _session_start(address):
    """A client that has read the greeting and sent EHLO: (client, greeting, ehlo, keywords)."""
    client = smtp_probe.SmtpClient(address, timeout=GUARD)
    greeting = client.reply()
    ehlo, keywords = client.ehlo_keywords()
    return client, greeting, ehlo, keywords


def _smtp_cert(address, sni, ca):
    """The certificate an SMTP host shows after STARTTLS to SNI `sni` (chain verified)."""
    with smtp_probe.SmtpClient(address, timeout=GUARD) as client:
        client.reply()
        client.ehlo_keywords()
        client.starttls(sni, ca)
        return client.cert


def _smtp_verify_error(address, host, ca):
    with smtp_probe.SmtpClient(address, timeout=GUARD) as client:
        client.reply()
        client.ehlo_keywords()
        try:
            client.starttls(host, ca, check_hostname=True)
        except ssl.SSLCertVerificationError as e:
            return e.verify_code
    return None


def check_smtp(ck, world_spec, ca, log_path):
    ok, expired, plain = (world_spec.smtp[h]["address"] for h in (MX_OK, MX_EXPIRED, MX_PLAIN))
    answer = _query(MX_OK, "A")
    ck.expect("SMTP: an MX host's A record is its own address %s, not 127.0.0.1" % ok,
              [rr["address"] for rr in answer.of_type("A")] == [ok] and ok.startswith("127.0.1."),
              repr(answer))
    client, greeting, ehlo, keywords = _session_start(ok)
    with client:
        ck.expect("SMTP: greeting 220 <host> ESMTP",
                  greeting.code == 220 and greeting.lines[0].startswith(MX_OK + " ESMTP"),
                  repr(greeting))
        ck.expect("SMTP: EHLO is a multi-line 250 that lists STARTTLS",
                  ehlo.code == 250 and len(ehlo.lines) > 1 and "STARTTLS" in keywords, repr(ehlo))
        ready = client.starttls(MX_OK, ca, check_hostname=True)
        ck.expect("SMTP: STARTTLS 220, then the handshake with SNI <host> shows the host's "
                  "certificate (chain and name verify)",
                  ready.code == 220 and _san(client.cert) == [MX_OK], repr(client.cert))
        again, keywords_tls = client.ehlo_keywords()
        ck.expect("SMTP: EHLO again over TLS: 250 without STARTTLS",
                  again.code == 250 and "STARTTLS" not in keywords_tls, repr(again))
        twice = client.command("STARTTLS")
        ck.expect("SMTP: STARTTLS inside TLS is 503", twice.code == 503, repr(twice))
        mail = client.command("MAIL FROM:<probe@world.test>")
        ck.expect("SMTP: MAIL is answered 250", mail.code == 250, repr(mail))
        bye = client.command("QUIT")
        ck.expect("SMTP: QUIT is 221", bye.code == 221, repr(bye))
    ck.expect("SMTP: no SNI gets the %s certificate" % DEFAULT_HOST,
              _san(_smtp_cert(ok, None, ca)) == [DEFAULT_HOST])
    ck.expect("SMTP: an unknown SNI gets the %s certificate" % DEFAULT_HOST,
              _san(_smtp_cert(ok, "unknown." + D, ca)) == [DEFAULT_HOST])
    ck.expect("SMTP: the expired host's certificate is rejected as expired",
              _smtp_verify_error(expired, MX_EXPIRED, ca) == EXPIRED_CODE)
    client, _, ehlo, keywords = _session_start(plain)
    with client:
        ck.expect("SMTP starttls false: EHLO 250 without STARTTLS",
                  ehlo.code == 250 and "STARTTLS" not in keywords and len(ehlo.lines) > 1,
                  repr(ehlo))
        refused = client.command("STARTTLS")
        ck.expect("SMTP starttls false: STARTTLS is 502", refused.code == 502, repr(refused))
        bye = client.command("QUIT")
        ck.expect("SMTP starttls false: QUIT is 221", bye.code == 221, repr(bye))
    check_smtp_injection(ck, ok, ca)
    try:
        smtp_probe.SmtpClient("127.0.0.1", timeout=GUARD).close()
        refused_on_world_address = False
    except ConnectionRefusedError:
        refused_on_world_address = True
    ck.expect("SMTP: nothing listens on 127.0.0.1:25 (an MX host without an smtp entry is "
              "connection refused)", refused_on_world_address)
    check_smtp_log(ck, log_path, ok)


def check_smtp_injection(ck, address, ca):
    """Plaintext pipelined after STARTTLS must not be answered inside TLS (CVE-2011-0411)."""
    with smtp_probe.SmtpClient(address, timeout=GUARD) as client:
        client.reply()
        client.ehlo_keywords()
        client.sock.sendall(b"STARTTLS\r\nNOOP injected\r\n")
        ready = client.reply()
        client.sock = https_probe.context(ca).wrap_socket(client.sock, server_hostname=MX_OK)
        first = client.command("EHLO after.world.test")
        ck.expect("SMTP: plaintext sent after STARTTLS is dropped, not answered inside TLS",
                  ready.code == 220 and first.code == 250
                  and first.lines[0].startswith(MX_OK + " greets after.world.test"),
                  repr(first))
        client.command("QUIT")


def _smtp_log_shows(log_path, address):
    """(the log's entries, whether they show the session and the injection of check_smtp)."""
    with open(log_path, encoding="utf-8") as f:
        entries = [json.loads(line) for line in f if line.endswith("\n")]
    tls = [e for e in entries if e["address"] == address and e["tls"]
           and e["tls"].get("sni") == MX_OK and e["end"] == "quit"]
    return entries, (any(e["tls"]["cert"] == "host"
                         and e["commands"][:2] == ["EHLO probe.world.test", "STARTTLS"]
                         for e in tls)
                     and any(e["tls"].get("discardedPlaintext") == len("NOOP injected\r\n")
                             for e in tls))


def check_smtp_log(ck, log_path, address):
    # The server writes a connection's line once it has closed it, which may be after the
    # client is gone: wait for the lines rather than for a time.
    procs.wait_until(lambda: _smtp_log_shows(log_path, address)[1], timeout=GUARD,
                     interval=0.05)
    entries, shown = _smtp_log_shows(log_path, address)
    ck.expect("SMTP: the log has each connection's commands, SNI, certificate and end", shown,
              repr(entries[-3:]))


def start_idle_check(address):
    """Starts a connection that stays silent; returns a function that waits for the server
    to give up on it and returns (reply, seconds)."""
    result = {}

    def run():
        start = time.monotonic()
        try:
            with smtp_probe.SmtpClient(address, timeout=IDLE_WAIT) as client:
                client.reply()
                result["reply"] = client.reply()
        except Exception as e:  # noqa: BLE001
            result["reply"] = "%s: %s" % (type(e).__name__, e)
        result["seconds"] = time.monotonic() - start

    thread = threading.Thread(target=run, daemon=True)
    thread.start()

    def wait():
        thread.join()
        return result.get("reply"), result.get("seconds")

    return wait


def check_switch(ck, world, ca, mx_ok_address):
    seconds = world.switch(scenarios.world_from_dict(phase_b()), "check-b")
    print("      phase switch took %.3f s" % seconds)
    txt = _query("_mta-sts." + D, "TXT")
    ck.expect("switch: the new phase's TXT replaces the old RRset",
              strings_of(txt) == [[b"v=STSv1; id=chk2;"]], repr(txt))
    gone = _query("tricky." + D, "TXT")
    ck.expect("switch: a name of the old phase only is NXDOMAIN", gone.rcode == "NXDOMAIN")
    body = _fetch("mta-sts." + D, cafile=ca).body
    ck.expect("switch: the new phase's policy body", b"mode: testing" in body, repr(body))
    ck.expect("switch: a host of the old phase only gets the default server",
              _san(_fetch("mta-sts.noct." + D, cafile=ca).cert) == [DEFAULT_HOST])
    try:
        smtp_probe.SmtpClient(mx_ok_address, timeout=GUARD).close()
        smtp_gone = False
    except ConnectionRefusedError:
        smtp_gone = True
    ck.expect("switch: a phase without SMTP entries has no SMTP server", smtp_gone)


def run(run_dir):
    netns.raise_on_termination()
    try:
        world = World(run_dir, smtp_idle_timeout=SMTP_IDLE)
    except WorldError as e:
        print("world.py check: %s" % e)
        return 2
    ck = Checker()
    with world:
        world_a = scenarios.world_from_dict(phase_a())
        try:
            seconds = world.switch(world_a, "check-a")
        except WorldError as e:
            print("world.py check: %s" % e)
            return 2
        print("world up in %.3f s (certificates made: %d); checking" % (seconds, world.certs.made))
        ca = world.ca_file
        wait_slow = start_slow_check(ca)
        wait_idle = start_idle_check(world_a.smtp[MX_OK]["address"])
        ck.guarded("namespace", lambda: check_namespace(ck))
        ck.guarded("DNS", lambda: check_dns(ck, world.servfail_log))
        ck.guarded("TLS", lambda: check_certificates(ck, ca))
        ck.guarded("HTTP", lambda: check_responses(ck, ca))
        ck.guarded("SMTP", lambda: check_smtp(ck, world_a, ca,
                                              os.path.join(world.log_dir, "smtp.jsonl")))
        reply, idle_seconds = wait_idle()
        # At least the idle timeout (the server cannot send 421 sooner); the upper bound is
        # IDLE_WAIT, the client's own timeout, which the real 30 s would exceed.
        ck.expect("SMTP: a client silent for the idle timeout (%d s here) gets 421 and is "
                  "closed" % SMTP_IDLE,
                  isinstance(reply, smtp_probe.SmtpReply) and reply.code == 421
                  and idle_seconds >= SMTP_IDLE, "%r after %.1f s" % (reply, idle_seconds))
        with_head, outcome = wait_slow()
        ck.expect("HTTP slow: the header section before the body's end, the body still "
                  "incomplete %.0f s after the request (%s)" % (SLOW_TIMEOUT, outcome),
                  with_head is not None and with_head < len(POLICY)
                  and outcome.startswith("incomplete"),
                  "%s body bytes came with the header section" % with_head)
        ck.guarded("switch", lambda: check_switch(ck, world, ca,
                                                  world_a.smtp[MX_OK]["address"]))
    print("%d passed, %d failed" % (ck.passed, ck.failed))
    return 0 if ck.failed == 0 else 1


if __name__ == "__main__":
    raise SystemExit("run it as `world.py check`")

