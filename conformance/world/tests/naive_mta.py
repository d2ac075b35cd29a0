#!/usr/bin/python3
"""A scripted MTA adapter for test_mta.py (MTA protocol of conformance/ADAPTERS.md).

  naive_mta.py naive | holds | garbage

naive: an MTA without MTA-STS, in a few lines: the domain's MX records from the world's DNS,
in preference order; per host EHLO, STARTTLS when offered (any certificate, TLS 1.0 and up,
SNI = the host), the next host when STARTTLS or the handshake fails, the message in clear
text when STARTTLS is not offered. holds: never delivers, answers "deferred". garbage: answers
a line that is not JSON.
"""

import json
import os
import smtplib
import ssl
import sys

TESTS = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(TESTS))
import dnswire  # noqa: E402
import mta_support  # noqa: E402


def mx_hosts(domain):
    answer = dnswire.query(domain, "MX", timeout=5)
    records = sorted((r["preference"], r["exchange"]) for r in answer.of_type("MX"))
    return [host for _, host in records]


def context():
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
    ctx.minimum_version = ssl.TLSVersion.TLSv1
    return ctx


def deliver(request):
    for host in mx_hosts(request["domain"]):
        try:
            with smtplib.SMTP(host, 25, timeout=30) as client:
                client.ehlo("naive.world.test")
                if client.has_extn("starttls"):
                    client._host = host  # SNI: smtplib sends self._host
                    client.starttls(context=context())
                    client.ehlo("naive.world.test")
                client.sendmail(mta_support.SENDER, [request["recipient"]],
                                mta_support.message(request))
                return {"queue": "delivered", "reason": "to " + host}
        except (OSError, smtplib.SMTPException, ssl.SSLError):
            continue
    return {"queue": "deferred", "reason": "every MX failed"}


def main():
    mode = sys.argv[1]
    if mode == "garbage":
        for _ in sys.stdin:
            print("this is not json", flush=True)
        return 0
    if mode == "holds":
        return mta_support.serve(lambda request: {"queue": "deferred", "reason": "held"})
    return mta_support.serve(deliver)


if __name__ == "__main__":
    sys.exit(main())
