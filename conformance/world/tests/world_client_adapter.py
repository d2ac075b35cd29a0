#!/usr/bin/python3
"""A resolve adapter (protocol v1) whose resolver is a few lines of stdlib Python that really
query the world: the end-to-end test of the world and the driver.

It is not an MTA-STS implementation to measure anything with; it is just enough of one for the
fixture scenarios (tests/fixtures/scenarios-mini.json) to come out right only if the world
serves what they say: DNS through the server named in /etc/resolv.conf (CNAMEs, SERVFAIL,
NXDOMAIN), HTTPS trusting only $SSL_CERT_FILE with the host name checked, status, Content-Type,
chunked and slow bodies, the fetch timeout, and with `mxTls` each MX host's SMTP server (EHLO,
STARTTLS with SNI, the certificate). Its cache is a dict in memory (a restart loses it).
"""

import json
import os
import re
import socket
import ssl
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import dnswire  # noqa: E402
import https_probe  # noqa: E402
import smtp_probe  # noqa: E402

CACHE = {}  # domain -> {"id", "fetched_at", "max_age", "mode", "mx"}
# Seconds a DNS query or an SMTP session may take: a hang guard (the world answers at once), so
# generous that a loaded machine never turns an answer into an error. The fetch timeout is the
# request's, as the protocol asks.
GUARD = 30
# OpenSSL's verification codes -> RFC 8460 §4.3.1 result types (anything else:
# validation-failure).
TLS_RESULTS = {10: "certificate-expired", 62: "certificate-host-mismatch",
               18: "certificate-not-trusted", 19: "certificate-not-trusted",
               20: "certificate-not-trusted", 21: "certificate-not-trusted"}


def nameserver():
    with open("/etc/resolv.conf") as f:
        for line in f:
            fields = line.split()
            if fields[:1] == ["nameserver"]:
                return fields[1]
    raise RuntimeError("no nameserver in /etc/resolv.conf")


def discover(domain):
    """(state, id): state is valid, absent, invalid or dns-error."""
    answer = dnswire.query("_mta-sts." + domain, "TXT", server=nameserver(), timeout=GUARD)
    if answer.rcode == "NXDOMAIN":
        return "absent", None
    if answer.rcode != "NOERROR":
        return "dns-error", None
    records = [b"".join(rr["strings"]).decode() for rr in answer.of_type("TXT")]
    records = [r for r in records if r.startswith("v=STSv1")]
    if not records:
        return "absent", None
    match = re.search(r"(?:^|;)\s*id=([A-Za-z0-9]{1,32})\s*(?:;|$)", records[0])
    if len(records) != 1 or not match:
        return "invalid", None
    return "valid", match.group(1)


def parse_policy(body):
    fields = {"mx": []}
    for line in body.decode("utf-8").splitlines():
        key, _, value = line.partition(":")
        key, value = key.strip(), value.strip()
        if key == "mx":
            fields["mx"].append(value)
        elif key:
            fields[key] = value
    if fields.get("version") != "STSv1" or fields.get("mode") not in ("enforce", "testing",
                                                                       "none"):
        return None
    if not fields.get("max_age", "").isdigit():
        return None
    return {"mode": fields["mode"], "mx": fields["mx"], "max_age": int(fields["max_age"])}


def fetch(domain, timeout):
    """(policy or None, rpt, detail)."""
    host = "mta-sts." + domain
    try:
        response = https_probe.fetch(host, cafile=os.environ["SSL_CERT_FILE"],
                                     check_hostname=True, timeout=timeout,
                                     address=(socket.gethostbyname(host), 443))
    except ssl.SSLCertVerificationError as e:
        return None, "sts-webpki-invalid", "certificate: %s" % e.verify_message
    except socket.timeout:
        # Where the deadline passed (inside a read, or between two) depends on when the last
        # piece of a slow body came; that it passed does not.
        return None, "sts-policy-fetch-error", "fetch: timed out"
    except (OSError, ValueError) as e:
        return None, "sts-policy-fetch-error", "fetch: %s" % (e or type(e).__name__)
    if response.status != 200:
        return None, "sts-policy-fetch-error", "status %d" % response.status
    media = (response.header("content-type") or "").split(";")[0].strip().lower()
    if media != "text/plain":
        return None, "sts-policy-fetch-error", "content type %r" % response.header("content-type")
    policy = parse_policy(response.body)
    if policy is None:
        return None, "sts-policy-invalid", "unparsable policy"
    how = "chunked" if response.chunked else "length"
    return policy, "", "fetched (%s)" % how


def matches(pattern, host):
    pattern, host = pattern.lower(), host.lower()
    if pattern.startswith("*."):
        return "." in host and host.split(".", 1)[1] == pattern[2:]
    return pattern == host


def mx_tls(host, mode, patterns):
    """({"verdict", "rpt"}, what was met) for delivering to `host` under the policy."""
    if mode not in ("enforce", "testing"):
        return {"verdict": "deliver", "rpt": ""}, "not checked"
    if not any(matches(p, host) for p in patterns):
        rpt, seen = "validation-failure", "not in the policy"
    else:
        outcome, seen, code = smtp_probe.tls_check(socket.gethostbyname(host), host,
                                                   os.environ["SSL_CERT_FILE"], timeout=GUARD)
        rpt = {"ok": "", "no-starttls": "starttls-not-supported"}.get(outcome)
        if rpt is None:
            rpt = TLS_RESULTS.get(code, "validation-failure")
    if not rpt:
        return {"verdict": "deliver", "rpt": ""}, seen
    return {"verdict": "refuse" if mode == "enforce" else "deliver-and-report", "rpt": rpt}, seen


def resolve(request):
    domain = request["domain"]
    now = request["now"]
    if request["step"] == 0:
        CACHE.pop(domain, None)
    cached = CACHE.get(domain)
    if cached and now - cached["fetched_at"] > cached["max_age"]:
        cached = None
    state, live_id = discover(domain)
    detail = "discovery %s" % state
    apply, rpt = "none", ""
    fresh = cached and now - cached["fetched_at"] < request["refresh"]
    if state == "valid" and not (fresh and cached["id"] == live_id):
        policy, rpt, why = fetch(domain, request["timeout"])
        detail += "; " + why
        if policy:
            cached = dict(policy, id=live_id, fetched_at=now)
            CACHE[domain] = cached
            apply = "new"
        elif cached:
            apply = "cached"
    elif cached:
        apply = "cached"
    answer = {"tcId": request["tcId"], "step": request["step"], "apply": apply, "rpt": rpt,
              "detail": detail}
    if apply == "none":
        answer.update(mode="none", mx=[])
    else:
        answer.update(mode=cached["mode"], id=cached["id"], mx=cached["mx"])
        if cached["mode"] != "none":
            answer["mxMatch"] = {h: any(matches(p, h) for p in cached["mx"])
                                 for h in request["mx"]}
    if request.get("mxTls"):
        answer["mxTls"] = {}
        for host in request["mx"]:
            answer["mxTls"][host], seen = mx_tls(host, answer["mode"], answer["mx"])
            answer["detail"] += "; %s: %s" % (host, seen)
    return answer


def main():
    scratch = os.path.join(os.environ["MTASTS_WORLD_DIR"], "world-client")
    if not os.path.isdir(scratch):
        sys.stderr.write("no scratch directory %s\n" % scratch)
        return 1
    for line in sys.stdin:
        request = json.loads(line)
        start = time.monotonic()
        try:
            answer = resolve(request)
        except Exception as e:  # noqa: BLE001 - an adapter reports, it does not die
            answer = {"tcId": request["tcId"], "step": request["step"],
                      "error": "%s: %s" % (type(e).__name__, e)}
        sys.stderr.write("tcId %d step %d: %.2f s\n" % (request["tcId"], request["step"],
                                                         time.monotonic() - start))
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
