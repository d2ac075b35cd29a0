#!/usr/bin/python3
"""MTA adapter (conformance/ADAPTERS.md, "MTA protocol (kind mta)") for chasquid 1.11
(Debian), whose outgoing courier applies MTA-STS itself (its internal/sts cache).

chasquid runs inside the world's namespace from a configuration made here in
$MTASTS_MTA_WORKDIR: its SMTP and submission listeners on free ports of 127.0.0.1 (never
port 25, which belongs to the world's MX hosts), a local domain sender.world.test with one
user, a self-signed certificate for its own submission TLS, the world's DNS (the namespace's
resolv.conf) and the world's CA (Go reads SSL_CERT_FILE). chasquid has no sendmail: each
message is submitted over authenticated submission (STARTTLS + AUTH PLAIN), and the outcome
comes from its mail log (to=... sent / failed (temporary) / failed (permanent)). chasquid retries a failed delivery on its own
clock, so after a failure the adapter stops it and empties its queue (its STS cache and
per-domain TLS levels stay): no retry of one step leaks into another.
"""

import os
import re
import shutil
import smtplib
import socket
import ssl
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(HERE)), "world"))
import mta_support  # noqa: E402

CHASQUID = "/usr/bin/chasquid"
UTIL = "/usr/bin/chasquid-util"
PASSWORD = "world-test-password"
START_GUARD = 30


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Chasquid:
    def __init__(self, work):
        self.work = work
        self.conf = os.path.join(work, "etc")
        self.data = os.path.join(work, "data")
        self.mail_log = os.path.join(work, "mail.log")
        self.proc = None
        self.port = None
        self.configured = False

    def configure(self):
        shutil.rmtree(self.work, ignore_errors=True)
        certs = os.path.join(self.conf, "certs", "sender.world.test")
        os.makedirs(certs)
        os.makedirs(os.path.join(self.conf, "domains", "sender.world.test"))
        os.makedirs(self.data)
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                        "ec_paramgen_curve:prime256v1", "-nodes", "-days", "30",
                        "-subj", "/CN=sender.world.test",
                        "-keyout", os.path.join(certs, "privkey.pem"),
                        "-out", os.path.join(certs, "fullchain.pem")],
                       check=True, capture_output=True)
        self.port = free_port()
        with open(os.path.join(self.conf, "chasquid.conf"), "w") as f:
            f.write('hostname: "sender.world.test"\n'
                    'smtp_address: "127.0.0.1:%d"\n'
                    'submission_address: "127.0.0.1:%d"\n'
                    'data_dir: "%s"\n'
                    'mail_log_path: "%s"\n' % (free_port(), self.port, self.data,
                                                self.mail_log))
        subprocess.run([UTIL, "--configdir=" + self.conf, "user-add", mta_support.SENDER,
                        "--password=" + PASSWORD], check=True, capture_output=True)
        self.configured = True

    def start(self):
        log = open(os.path.join(self.work, "chasquid.log"), "ab")
        self.proc = subprocess.Popen([CHASQUID, "-config_dir", self.conf, "-alsologtostderr"],
                                     stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                     preexec_fn=mta_support.die_with_parent)
        log.close()
        if mta_support.wait_for(self._listening, START_GUARD) is None:
            raise RuntimeError("chasquid did not listen: %s"
                               % mta_support.tail(os.path.join(self.work, "chasquid.log")))

    def _listening(self):
        if self.proc.poll() is not None:
            raise RuntimeError("chasquid exited (%s): %s" % (
                self.proc.returncode, mta_support.tail(os.path.join(self.work, "chasquid.log"))))
        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
            return True
        except OSError:
            return None

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def submit(self, request):
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE  # its own self-signed certificate
        with smtplib.SMTP("127.0.0.1", self.port, timeout=30) as client:
            client.starttls(context=context)
            client.login(mta_support.SENDER, PASSWORD)
            client.sendmail(mta_support.SENDER, [request["recipient"]],
                            mta_support.message(request))

    def send(self, request):
        if not self.configured:
            self.configure()
        if self.proc is None:
            self.start()
        _, offset = mta_support.read_from(self.mail_log, 0)
        self.submit(request)
        rcpt = re.escape(request["recipient"])

        def outcome():
            text, _ = mta_support.read_from(self.mail_log, offset)
            return mta_support.first_match(r"to=%s (sent|failed[^:]*)(?:: (.*))?$"
                                           % rcpt, text)

        result = mta_support.wait_for(outcome)
        if result is None:
            self.reset()
            return {"queue": "unknown", "reason": "no outcome in chasquid's mail log",
                    "detail": mta_support.tail(self.mail_log, 5)}
        status, reason = result
        if status == "sent":
            return {"queue": "delivered", "reason": ""}
        self.reset()
        return {"queue": "bounced" if "permanent" in status else "deferred",
                "reason": (reason or "")[:300]}

    def reset(self):
        """Stops chasquid and empties its queue, so that it retries nothing later."""
        self.stop()
        shutil.rmtree(os.path.join(self.data, "queue"), ignore_errors=True)


def main():
    chasquid = Chasquid(mta_support.workdir())
    return mta_support.serve(chasquid.send, chasquid.stop)


if __name__ == "__main__":
    sys.exit(main())
