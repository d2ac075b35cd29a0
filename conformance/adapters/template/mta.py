#!/usr/bin/python3
"""A template MTA adapter (conformance/ADAPTERS.md, "MTA protocol (kind mta)"): copy this folder
(anywhere), replace the six methods of `Mta` marked YOUR MTA, and point an mtas.json at it
(mtas.json beside this file is one). conformance/VALIDATE_MTA.md walks through it.

So that the template runs as it is, "the MTA" here is a stand-in of a few lines at the end of
this file (`stand_in_deliver`): it sends one spooled message to the recipient domain's MX hosts
in preference order, with STARTTLS when offered and any certificate accepted, and writes one
line per message to its mail log: an MTA without MTA-STS, like the Exim control row. It passes
the scenarios that opportunistic TLS passes and fails those where MTA-STS must refuse an MX.

The adapter runs inside the world's network namespace: /etc/resolv.conf names the world's DNS,
$SSL_CERT_FILE is the world's CA, $MTASTS_MTA_WORKDIR a directory of its own. The world's MX
hosts listen on port 25 of their own loopback addresses: the MTA must not listen there.
"""

import os
import re
import shutil
import smtplib
import ssl
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
# The suite's conformance/world/: beside adapters/ when this file is in the suite, else in the
# working directory, which is the suite's root when run_mta.py starts the adapter (so a copy
# of this file works from anywhere).
WORLD = os.path.join(os.path.dirname(os.path.dirname(HERE)), "world")
if not os.path.exists(os.path.join(WORLD, "mta_support.py")):
    WORLD = os.path.join(os.getcwd(), "conformance", "world")
sys.dont_write_bytecode = True
sys.path.insert(0, WORLD)
import mta_support  # noqa: E402  (the request loop, the marked message, log scanning)


class Mta:
    def __init__(self, work):
        self.work = work
        self.spool = os.path.join(work, "spool")
        self.mail_log = os.path.join(work, "mail.log")
        self.configured = False

    def configure(self):
        """YOUR MTA: write its configuration into self.work: the namespace's resolv.conf as its
        resolver, $SSL_CERT_FILE as its only trust store, its queue and logs in self.work, no
        listener on port 25, and retries far apart (the adapter clears the queue itself)."""
        shutil.rmtree(self.work, ignore_errors=True)
        os.makedirs(self.spool)
        self.configured = True

    def start(self):
        """YOUR MTA: start its daemon, if it has one (mta_support.die_with_parent as preexec_fn,
        so that it dies with the adapter), and wait until it listens. The stand-in has none."""

    def submit(self, request):
        """YOUR MTA: hand it mta_support.message(request) for request["recipient"] (sendmail or
        SMTP submission on loopback) and make it try at once (a flush)."""
        path = os.path.join(self.spool, request["marker"])
        with open(path, "wb") as f:
            f.write(mta_support.message(request))
        subprocess.Popen([sys.executable, os.path.abspath(__file__), "--stand-in", path,
                          request["recipient"], self.mail_log],
                         preexec_fn=mta_support.die_with_parent)

    def outcome(self, request, offset):
        """YOUR MTA: the attempt's outcome in its log since `offset`, or None while there is
        none yet: (status, reason). Match the log line by the recipient or the Message-ID
        (<marker>@sender.world.test)."""
        text, _ = mta_support.read_from(self.mail_log, offset)
        return mta_support.first_match(r"^%s to=%s status=(sent|deferred|bounced) \((.*)\)$"
                                       % (re.escape(request["marker"]),
                                          re.escape(request["recipient"])), text)

    def reset(self):
        """YOUR MTA: remove whatever is still queued, so that no retry reaches a later step."""
        shutil.rmtree(self.spool, ignore_errors=True)
        os.makedirs(self.spool)

    def stop(self):
        """YOUR MTA: stop its daemon (at the end of the run)."""

    # The part every adapter shares: one request in, one answer out.
    def send(self, request):
        if not self.configured:
            self.configure()
            self.start()
        _, offset = mta_support.read_from(self.mail_log, 0)
        self.submit(request)
        found = mta_support.wait_for(lambda: self.outcome(request, offset))
        self.reset()
        if found is None:
            return {"queue": "unknown", "reason": "no outcome in the mail log",
                    "detail": mta_support.tail(self.mail_log, 5)}
        status, reason = found
        return {"queue": {"sent": "delivered"}.get(status, status), "reason": reason[:300]}


def stand_in_deliver(path, recipient, mail_log):
    """The stand-in MTA's delivery of one message (run as a process of its own)."""
    import dnswire  # the world's stdlib DNS client (conformance/world/dnswire.py)

    marker = os.path.basename(path)
    domain = recipient.rsplit("@", 1)[1]
    with open(path, "rb") as f:
        message = f.read()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # no MTA-STS: any certificate will do
    status, reason = "deferred", "no MX host"
    answer = dnswire.query(domain, "MX", timeout=5)
    for _, host in sorted((r["preference"], r["exchange"]) for r in answer.of_type("MX")):
        try:
            with smtplib.SMTP(host, 25, timeout=30) as client:
                client.ehlo("sender.world.test")
                if client.has_extn("starttls"):
                    client._host = host  # smtplib sends its _host as SNI
                    client.starttls(context=context)
                    client.ehlo("sender.world.test")
                client.sendmail(mta_support.SENDER, [recipient], message)
            status, reason = "sent", "to " + host
            break
        except (OSError, smtplib.SMTPException) as e:
            reason = "%s: %s" % (host, e)
    with open(mail_log, "a", encoding="utf-8") as log:
        log.write("%s to=%s status=%s (%s)\n" % (marker, recipient, status, reason))


def main():
    if sys.argv[1:2] == ["--stand-in"]:
        stand_in_deliver(*sys.argv[2:5])
        return 0
    mta = Mta(mta_support.workdir())
    return mta_support.serve(mta.send, mta.stop)


if __name__ == "__main__":
    sys.exit(main())
