#!/usr/bin/env python3
"""Write the fuzz seed corpora from the test vectors, scenarios and RFC examples.

Every input of vectors/*.json (and every policy host of
vectors/scenarios/scenarios.json) is written into the corpus of each target
that can take it, in that target's byte format (fuzz/README.md), as
corpus/fuzz_<target>/<sha1 of the content>. Files named regress-* are never
touched: they are the regression corpus.

  fuzz/seed_corpora.py                       write the seeds
  fuzz/seed_corpora.py --clean               first remove every non-regress file
  fuzz/seed_corpora.py --merge build-fuzz/fuzz
                                             then minimise each corpus with
                                             libFuzzer -merge=1 (regress-* kept)
  fuzz/seed_corpora.py --targets "fetch http_response smtp_reply" ...
                                             only these targets' corpora
"""
import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGETS = ["txt_record", "txt_strings", "txt_rrset", "policy", "mx_match",
           "tlsrpt_record", "tlsrpt_rrset", "roundtrip", "fetch", "http_response",
           "smtp_reply", "report"]

LENIENT = 0x01
LITERAL = 0x02
# fuzz_roundtrip's kind bits (bits 2-3; bit 4 picks TLSRPT for strings)
RT_POLICY, RT_TXT, RT_TLSRPT, RT_STRINGS, RT_STRINGS_TLSRPT = 0x0, 0x4, 0x8, 0xC, 0x1C
# fuzz_fetch's flags (fuzz/README.md)
FETCH_REDIRECTED, FETCH_LENIENT, FETCH_SMALL_MX, FETCH_NO_TYPE = 0x01, 0x02, 0x10, 0x20
FETCH_STATUS = {200: 0x0, 204: 0x8}  # bits 2-3; any other status is index 3 (-200)
FETCH_PAD_LIMIT, FETCH_PAD_PAST, FETCH_PAD_NULL = 0x40, 0x80, 0xC0
# fuzz_policy's bits 2-7: mx entries an earlier parse left (63: an
# uninitialised result)
POLICY_STALE_SHIFT, POLICY_STALE_UNINIT = 2, 63

# RFC 8461 / RFC 8460 examples and a few hand-made shapes the vectors may
# lack (multi-string splits, RRsets with noise records, size limits).
RFC_TXT = [b"v=STSv1; id=20160831085700Z;", b"v=STSv1; id=20160831085700Z"]
RFC_POLICY = [
    b"version: STSv1\nmode: enforce\nmx: mail.example.com\nmx: *.example.net\n"
    b"mx: backupmx.example.com\nmax_age: 604800\n",
    b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.example.net\r\n"
    b"mx: backupmx.example.com\r\nmax_age: 604800\r\n",
    b"version: STSv1\nmode: none\nmax_age: 86400\n",
    b"version: STSv1\nmode: testing\nmx: mx.example.org\nmax_age: 31557600\next: \xc3\xa9t\xc3\xa9\n",
]
RFC_TLSRPT = [b"v=TLSRPTv1;rua=mailto:reports@example.com",
              b"v=TLSRPTv1; rua=https://reporting.example.com/v1/tlsrpt",
              b"v=TLSRPTv1; rua=mailto:a@example.com, https://r.example/x?y=z; ext=1;"]
RFC_MX = [(b"mail.example.com", b"mail.example.com"), (b"*.example.net", b"mx1.example.net"),
          (b"*.example.com", b"example.com"), (b"*.example.com", b"foo.bar.example.com"),
          (b"Mail.Example.Com", b"mail.example.com.")]


def wire(strings):
    """DNS wire format of one RR's character-strings (each <= 255 octets)."""
    out = bytearray()
    for s in strings:
        if not s:
            out.append(0)
        for i in range(0, len(s), 255):
            piece = s[i:i + 255]
            out.append(len(piece))
            out += piece
    return bytes(out)


def rrset(rrs):
    out = bytearray()
    for strings in rrs:
        rdata = wire(strings)
        out += len(rdata).to_bytes(2, "big") + rdata
    return bytes(out)


def splits(record):
    """The record as one string, and cut into pieces of 1..7 octets."""
    yield [record]
    if 1 < len(record) <= 400:
        pieces, i, step = [], 0, 1
        while i < len(record):
            pieces.append(record[i:i + step])
            i += step
            step = step % 7 + 1
        yield pieces


class Corpus:
    def __init__(self, root, targets):
        self.root = root
        self.written = {t: set() for t in targets}

    def add(self, target, data):
        if target in self.written:
            self.written[target].add(bytes(data))

    def flush(self, clean):
        for target, items in self.written.items():
            d = os.path.join(self.root, "fuzz_" + target)
            os.makedirs(d, exist_ok=True)
            if clean:
                for name in os.listdir(d):
                    if not name.startswith("regress-"):
                        os.remove(os.path.join(d, name))
            for data in items:
                name = hashlib.sha1(data).hexdigest()
                with open(os.path.join(d, name), "wb") as f:
                    f.write(data)


def add_txt(c, record, flags, kind):
    """A _mta-sts (kind 'txt') or _smtp._tls ('tlsrpt') record, everywhere it fits."""
    c.add(kind + "_record", bytes([flags]) + record)
    for strings in splits(record):
        if kind == "txt":
            c.add("txt_strings", bytes([flags]) + wire(strings))
        c.add(kind + "_rrset", bytes([flags]) + rrset([strings]))
        c.add(kind + "_rrset", bytes([flags | LITERAL]) + rrset([strings, [b"v=spf1 -all"]]))
        rt = RT_STRINGS if kind == "txt" else RT_STRINGS_TLSRPT
        c.add("roundtrip", bytes([flags | rt]) + wire(strings))
    c.add("roundtrip", bytes([flags | (RT_TXT if kind == "txt" else RT_TLSRPT)]) + record)


def add_policy(c, body, flags):
    c.add("policy", bytes([flags]) + body)
    c.add("roundtrip", bytes([flags | RT_POLICY]) + body)


def add_mx(c, pattern, host):
    c.add("mx_match", pattern + b"\n" + host)


def add_fetch(c, content_type, body, status=200, extra=0):
    """A fuzz_fetch input; content_type None means no Content-Type field."""
    if content_type is not None and b"\n" in content_type:
        return
    flags = FETCH_STATUS.get(status, 0xC) | extra
    if content_type is None:
        c.add("fetch", bytes([flags | FETCH_NO_TYPE]) + body)
    else:
        c.add("fetch", bytes([flags]) + content_type + b"\n" + body)


def http_bytes(status, content_type, body, transfer="length", location=None, head=b"",
               chunk=40):
    """An HTTP/1.1 response as a policy host could send it."""
    out = b"HTTP/1.1 %d X\r\n" % status + head
    if content_type is not None:
        out += b"Content-Type: " + content_type + b"\r\n"
    if location is not None:
        out += b"Location: " + location + b"\r\n"
    if transfer == "chunked":
        out += b"Transfer-Encoding: chunked\r\n\r\n"
        for i in range(0, len(body), chunk):
            piece = body[i:i + chunk]
            out += b"%x\r\n" % len(piece) + piece + b"\r\n"
        return out + b"0\r\n\r\n"
    if transfer == "close":
        return out + b"\r\n" + body
    return out + b"Content-Length: %d\r\n\r\n" % len(body) + body


def add_http(c, response, seed=0):
    c.add("http_response", bytes([seed]) + response)


def unhex(h):
    return bytes.fromhex(h)


def seed_vectors(c, vectors_dir):
    count = 0
    if not os.path.isdir(vectors_dir):
        return 0
    for fname in sorted(os.listdir(vectors_dir)):
        if not fname.endswith(".json") or fname.startswith("vectors.schema"):
            continue
        with open(os.path.join(vectors_dir, fname), encoding="utf-8") as f:
            doc = json.load(f)
        kind = doc.get("kind")
        for group in doc.get("testGroups", []):
            flags = LENIENT if group.get("profile") == "lenient" else 0
            for t in group.get("tests", []):
                count += 1
                if kind == "txt-record":
                    add_txt(c, unhex(t["inputHex"]), flags, "txt")
                elif kind == "tlsrpt-record":
                    add_txt(c, unhex(t["inputHex"]), flags, "tlsrpt")
                elif kind == "policy":
                    add_policy(c, unhex(t["inputHex"]), flags)
                elif kind == "txt-strings":
                    strings = [unhex(s) for s in t["stringsHex"]]
                    c.add("txt_strings", bytes([flags]) + wire(strings))
                    c.add("txt_record", bytes([flags]) + b"".join(strings))
                    c.add("roundtrip", bytes([flags | RT_STRINGS]) + wire(strings))
                elif kind in ("txt-rrset", "tlsrpt-rrset"):
                    rrs = [[unhex(s) for s in rr] for rr in t["rrsetHex"]]
                    target = "txt_rrset" if kind == "txt-rrset" else "tlsrpt_rrset"
                    c.add(target, bytes([flags]) + rrset(rrs))
                    c.add(target, bytes([flags | LITERAL]) + rrset(rrs))
                elif kind == "mx-match":
                    add_mx(c, t["pattern"].encode("utf-8"), t["host"].encode("utf-8"))
                elif kind == "tlsrpt-report":  # fuzz_report: the document, no flags byte
                    c.add("report", unhex(t["inputHex"]))
                else:
                    count -= 1
    return count


def seed_examples(c):
    for flags in (0, LENIENT):
        for r in RFC_TXT:
            add_txt(c, r, flags, "txt")
        for r in RFC_TLSRPT:
            add_txt(c, r, flags, "tlsrpt")
        for b in RFC_POLICY:
            add_policy(c, b, flags)
    for p, h in RFC_MX:
        add_mx(c, p, h)
    # What an earlier parse left in the mx array must not survive: 4 entries
    # (one more than the example stores) and an uninitialised result, under
    # a valid and an invalid body, in both profiles.
    for stale in (4, POLICY_STALE_UNINIT):
        for body in (RFC_POLICY[0], RFC_POLICY[0].replace(b"604800", b"x")):
            for flags in (0, LENIENT):
                c.add("policy", bytes([stale << POLICY_STALE_SHIFT | flags]) + body)
    # Size limits (R18) and RRset shapes.
    big = b"v=STSv1; id=a; x=" + b"b" * (4096 - 17)
    c.add("txt_record", b"\0" + big)
    c.add("txt_record", b"\0" + big + b"b")
    c.add("txt_strings", b"\0" + wire([big + b"b"]))
    c.add("txt_rrset", b"\0" + rrset([[big + b"b"], [b"v=STSv1; id=a;"]]))
    c.add("txt_rrset", b"\0" + rrset([]))
    c.add("txt_rrset", b"\0" + rrset([[b"v=STSv1; id=a;"], [b"v=STSv1 ; id=b"]]))
    c.add("txt_rrset", b"\2" + rrset([[b"v=STSv1; id=a;"], [b"v=STSv1 ; id=b"]]))
    c.add("tlsrpt_rrset", b"\0" + rrset([[b"v=TLSRPTv1;", b"rua=mailto:a@b.example"],
                                         [b"v=DMARC1; p=none"]]))
    head = b"version: STSv1\nmode: enforce\nmax_age: 86400\n"
    many = head + b"mx: a\n" * ((65536 - len(head)) // 6)
    c.add("policy", b"\0" + many)
    c.add("policy", b"\0" + many + b"x" * (65537 - len(many)))


def seed_scenarios(c, path):
    """Every policy host of the resolution scenarios, as fuzz_fetch and
    fuzz_http_response inputs."""
    if not os.path.exists(path):
        return 0
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    count = 0
    for group in doc.get("testGroups", []):
        for test in group.get("tests", []):
            for step in test.get("steps", []):
                for host in step.get("world", {}).get("https", []):
                    count += 1
                    ctype = host.get("contentType")
                    ctype = None if ctype is None else ctype.encode("utf-8")
                    body = host.get("body", "").encode("utf-8")
                    status = host.get("status", 200)
                    location = host.get("location")
                    location = None if location is None else location.encode("utf-8")
                    add_fetch(c, ctype, body, status)
                    transfer = "chunked" if host.get("transfer") == "chunked" else "length"
                    add_http(c, http_bytes(status, ctype, body, transfer, location))
    return count


# Content-Type values around R9 (RFC 9110 8.3.1 grammar edges).
MEDIA_TYPES = [b"text/plain", b"TEXT/Plain", b" text/plain\t", b"text/plain; charset=utf-8",
               b"text/plain;charset=\"US-ASCII\"", b"text/plain; charset=\"u\\tf-8\"",
               b"text/plain; charset=latin1", b"text/plain; charset=utf-8; charset=koi8-r",
               b"text/plain ;; a=b ;", b"text/plain; a=\"x\\\"y\"", b"text/plain; a=\"\x80\"",
               b"text/plainx", b"text/plain, text/html", b"text/plain;charset", b"text/plain; =x",
               b"text/html", b"text/", b"/plain", b"", b"text/plain; a=\"open",
               b"text/plain; a=\"\\\x7f\""]
POLICY = RFC_POLICY[0]

# HTTP framings and the reader's errors (wire/include/http_response.h).
HTTP_SHAPES = [
    http_bytes(200, b"text/plain", POLICY) + b"trailing bytes",
    http_bytes(200, b"text/plain", POLICY, "chunked"),
    http_bytes(200, b"text/plain", POLICY, "close"),
    b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </x>\r\n\r\n" +
    http_bytes(200, b"text/plain", POLICY),
    b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n",
    http_bytes(204, None, b"") + b"ignored",
    b"HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n",
    http_bytes(301, None, b"moved", location=b"https://elsewhere.example/"),
    b"HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx",
    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
    b"HTTP/1.1 200 OK\r\nX: a\r\n b\r\n\r\n",
    b"HTTP/1.1 200 OK\nContent-Length: 0\r\n\r\n",
    b"HTTP/1.1 200 OK\r\nContent-Length: 65537\r\n\r\n",
    b"HTTP/1.1 200 OK\r\nContent-Length: 12345678901234567890\r\n\r\n",
    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10001\r\n",
    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
    b"5 ; name=value\r\nhello\r\n0\r\nExpires: never\r\n\r\n",
    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloX",
    b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Type: text/html\r\n"
    b"Content-Length: 0\r\n\r\n",
    b"HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n",
    b"HTTP/1.1 200 OK\r\nX: \x01\r\n\r\n",
    b"HTTP/2 200\r\n\r\n",
    b"HTTP/1.1 600 Too High\r\n\r\n",
    b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort",
    b"\r\n",
    # Past the limits: a head over HTTP_HEAD_MAX, a body over HTTP_BODY_MAX
    # framed by the end of the stream, and one of exactly HTTP_BODY_MAX.
    b"HTTP/1.1 200 OK\r\nX: " + b"a" * 16384 + b"\r\n\r\n",
    http_bytes(200, b"text/plain", b"x" * 65537, "close"),
    http_bytes(200, b"text/plain", b"x" * 65536, "chunked", chunk=4096),
    # The extension and trailer budget (HTTP_HEAD_MAX octets, the final
    # CRLF included): used up exactly by the final LF, and one octet over.
    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX:" + b"a" * 16378 + b"\r\n\r\n",
    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX:" + b"a" * 16379 + b"\r\n\r\n",
]


def seed_fetch_http(c):
    # The policy vectors are fuzz_policy's: here the bodies are the RFC
    # examples and the scenarios', so the corpus stays on the engine.
    for body in RFC_POLICY:
        add_fetch(c, b"text/plain", body)
        add_fetch(c, b"text/plain", body, extra=FETCH_LENIENT)
    for ctype in MEDIA_TYPES:
        add_fetch(c, ctype, POLICY)
    for extra in (FETCH_REDIRECTED, FETCH_LENIENT, FETCH_SMALL_MX, FETCH_PAD_LIMIT,
                  FETCH_PAD_PAST):
        add_fetch(c, b"text/plain", POLICY, extra=extra)
    add_fetch(c, b"text/plain", b"", extra=FETCH_PAD_NULL)
    add_fetch(c, b"text/plain", POLICY, status=204)
    add_fetch(c, b"text/plain", POLICY, status=404)
    add_fetch(c, None, POLICY)
    for i, response in enumerate(HTTP_SHAPES):
        add_http(c, response, seed=i)


# SMTP replies (wire/include/smtp_reply.h): greetings and EHLO replies as MX
# hosts send them, the STARTTLS keyword's edges, every error and the limits.
EHLO = b"250-mx.example.com Hello\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n"
SMTP_SHAPES = [
    b"220 mx.example.com ESMTP ready\r\n",
    b"220-mx.example.com ESMTP\r\n220-more greeting\r\n220 ready\r\n",
    b"220\r\n",
    b"554 no service\r\n",
    b"421 4.3.2 shutting down\r\n",
    EHLO + b"250-STARTTLS\r\n250 8BITMIME\r\n",
    EHLO + b"250 STARTTLS\r\n",
    EHLO + b"250 starttls\r\n",
    EHLO + b"250-StartTLS extra\r\n250 HELP\r\n",
    EHLO + b"250-STARTTLSX\r\n250 HELP\r\n",
    EHLO + b"250-STARTTLS\tx\r\n250 HELP\r\n",
    EHLO + b"250-XSTARTTLS\r\n250 HELP\r\n",
    b"250 STARTTLS\r\n",
    b"250-STARTTLS\r\n250\r\n",
    b"250 ok\r\n220 next reply\r\n",
    b"250-a\r\n250 b\r\n\n",
    EHLO,
    b"250-mx",
    b"25",
    b"250",
    b"250\r",
    b"250 partial",
    b"199 low\r\n",
    b"150 first digit\r\n",
    b"1",
    b"600 high\r\n",
    b"260 second digit\r\n",
    b"25x ok\r\n",
    b"250_ok\r\n",
    b"250-a\r\n251 b\r\n",
    b"250 a\rb\r\n",
    b"250 a\nb\r\n",
    b"250\n",
    b"\r\n",
    b"250 \x00\x80\xff\r\n",
    # The line limit: 512 octets with CRLF, and one more.
    b"250 " + b"a" * 506 + b"\r\n",
    b"250 " + b"a" * 507 + b"\r\n",
    b"250-" + b"a" * 506 + b"\r\n250 " + b"b" * 506 + b"\r\n",
    # The line count: 100 lines, and 101.
    b"250-x\r\n" * 99 + b"250 last\r\n",
    b"250-x\r\n" * 100 + b"250 last\r\n",
]


def seed_smtp(c):
    for reply in SMTP_SHAPES:
        c.add("smtp_reply", reply)


def merge(c, fuzz_bin_dir):
    for target in c.written:
        binary = os.path.join(fuzz_bin_dir, "fuzz_" + target)
        d = os.path.join(c.root, "fuzz_" + target)
        if not os.path.exists(binary):
            sys.exit("no %s: build with -DMTASTS_BUILD_FUZZERS=ON first" % binary)
        with tempfile.TemporaryDirectory() as tmp:
            seeds, out = os.path.join(tmp, "seeds"), os.path.join(tmp, "out")
            os.makedirs(seeds)
            os.makedirs(out)
            for name in os.listdir(d):
                src = os.path.join(d, name)
                # The regression files form the base; seeds add what they add.
                shutil.copy(src, os.path.join(out if name.startswith("regress-") else seeds, name))
            before = len(os.listdir(seeds))
            subprocess.run([binary, "-merge=1", out, seeds], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for name in os.listdir(d):
                if not name.startswith("regress-"):
                    os.remove(os.path.join(d, name))
            kept = 0
            for name in os.listdir(out):
                if not name.startswith("regress-"):
                    shutil.copy(os.path.join(out, name), os.path.join(d, name))
                    kept += 1
            print("fuzz_%-14s %5d seeds -> %5d after -merge=1" % (target, before, kept))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--vectors", default=os.path.join(ROOT, "vectors"))
    ap.add_argument("--corpus", default=os.path.join(ROOT, "corpus"))
    ap.add_argument("--clean", action="store_true", help="remove non-regress files first")
    ap.add_argument("--merge", metavar="FUZZ_BIN_DIR",
                    help="directory with the libFuzzer fuzz_<target> binaries")
    ap.add_argument("--targets", default=" ".join(TARGETS),
                    help="space-separated subset of the targets (default: all)")
    args = ap.parse_args()
    selected = args.targets.split()
    unknown = [t for t in selected if t not in TARGETS]
    if unknown:
        sys.exit("unknown target(s): %s" % " ".join(unknown))
    c = Corpus(args.corpus, selected)
    n = seed_vectors(c, args.vectors)
    n += seed_scenarios(c, os.path.join(args.vectors, "scenarios", "scenarios.json"))
    seed_examples(c)
    seed_fetch_http(c)
    seed_smtp(c)
    c.flush(args.clean)
    for t in c.written:
        print("fuzz_%-14s %5d seed inputs" % (t, len(c.written[t])))
    print("from %d vectors, scenario policy hosts and the RFC examples" % n)
    if args.merge:
        merge(c, args.merge)


if __name__ == "__main__":
    main()
