#!/usr/bin/python3
"""MTA adapter (conformance/ADAPTERS.md, "MTA protocol (kind mta)") for Postfix 3.7 with a
policy daemon: Debian's postfix, its TLS policy taken through smtp_tls_policy_maps =
socketmap from Debian's mta-sts-daemon (postfix-mta-sts-resolver), or with --mtasts-daemon
BINARY from this project's mtasts-daemon (the reference row), so that Postfix's own TLS client
checks the MX certificates.

Both run inside the world's namespace from configurations made here in $MTASTS_MTA_WORKDIR:
Postfix with its own config directory, queue and log file (no chroot, no SMTP listener: the
message is submitted with sendmail), the world's DNS (the namespace's /etc/resolv.conf) and
the world's CA (smtp_tls_CAfile = $SSL_CERT_FILE). Per request: sendmail, then the outcome
from Postfix's log (status=sent / deferred / bounced of the message's queue id), then the
message is removed from the queue so that no retry leaks into a later step.
"""

import os
import re
import shutil
import socket
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(HERE)), "world"))
import mta_support  # noqa: E402

DAEMON = "/usr/bin/mta-sts-daemon"
POSTFIX = "/usr/sbin/postfix"
START_GUARD = 30
# The services of a Debian Postfix: the installed master.cf, else the package's pristine copy.
MASTER_CF = ("/etc/postfix/master.cf", "/usr/share/postfix/master.cf.dist")

MAIN_CF = """\
compatibility_level = 3.6
myhostname = sender.world.test
mydomain = world.test
myorigin = sender.world.test
mydestination =
relay_domains =
local_recipient_maps =
alias_maps =
alias_database =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
queue_directory = {work}/spool
data_directory = {work}/data
maillog_file = {work}/postfix.log
maillog_file_prefixes = {work}
smtputf8_enable = no
biff = no
# The policy of each next-hop domain comes from the policy daemon; without one, DANE where the
# MX has DNSSEC-validated TLSA records (the world's signed zone), else opportunistic. A policy
# the daemon returns replaces this level for its domain (Postfix's TLS_README): the DANE
# scenarios show what that does to a domain that publishes both.
smtp_tls_security_level = dane
smtp_dns_support_level = dnssec
# glibc passes the resolver's AD bit on only with trust-ad; the world's DNS is on loopback.
import_environment = MAIL_CONFIG MAIL_DEBUG MAIL_LOGTAG TZ XAUTHORITY DISPLAY LANG=C
    POSTLOG_SERVICE POSTLOG_HOSTNAME RES_OPTIONS=trust-ad
smtp_tls_policy_maps = socketmap:inet:127.0.0.1:{port}:postfix
smtp_tls_CAfile = {ca}
smtp_tls_loglevel = 1
smtp_connection_cache_on_demand = no
smtp_connect_timeout = 10s
# One attempt per submission: no retry inside a step (the adapter deletes what stays queued).
queue_run_delay = 3600s
minimal_backoff_time = 3600s
maximal_backoff_time = 3600s
"""


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def resolver_argv(work, port):
    """postfix-mta-sts-resolver's mta-sts-daemon: its YAML config (proactive fetching off: it
    runs on the real clock), the log file."""
    cfg = os.path.join(work, "mta-sts-daemon.yml")
    with open(cfg, "w") as f:
        f.write("host: 127.0.0.1\nport: %d\ncache:\n  type: sqlite\n  options:\n"
                "    filename: %s\ndefault_zone:\n  strict_testing: false\n  timeout: 5\n"
                "  require_sni: true\nproactive_policy_fetching:\n  enabled: false\n"
                "shutdown_timeout: 1\n" % (port, os.path.join(work, "sts-cache.sqlite")))
    return [DAEMON, "-c", cfg, "-l", os.path.join(work, "policy-daemon.log"), "-v", "info"]


def mtasts_daemon_argv(binary):
    """This project's mtasts-daemon (daemon/, mtasts-daemon(8)): the world's CA, a fetch
    timeout of 5 s, no background refresh within a run, a disk cache of its own."""
    def argv(work, port):
        cfg = os.path.join(work, "mtasts-daemon.conf")
        with open(cfg, "w") as f:
            f.write("listen = 127.0.0.1:%d\ncache_dir = %s\nca_file = %s\ntimeout = 5\n"
                    "workers = 4\nrefresh = 86400\n" % (port, os.path.join(work, "cache"),
                                                        os.environ["SSL_CERT_FILE"]))
        os.makedirs(os.path.join(work, "cache"))
        return [binary, "-c", cfg]
    return argv


class Postfix:
    def __init__(self, work, policy_argv):
        self.work = work
        self.policy_argv = policy_argv  # (workdir, port) -> the policy daemon's argv
        self.conf = os.path.join(work, "etc")
        self.log = os.path.join(work, "postfix.log")
        self.daemon = None
        self.started = False

    def postconf(self, *args):
        subprocess.run(["/usr/sbin/postconf", "-c", self.conf] + list(args), check=True,
                       capture_output=True)

    def start(self):
        shutil.rmtree(self.work, ignore_errors=True)
        for sub in ("etc", "data", "spool"):
            os.makedirs(os.path.join(self.work, sub))
        shutil.chown(os.path.join(self.work, "data"), "postfix", "postfix")
        port = free_port()
        daemon_log = os.path.join(self.work, "policy-daemon.log")
        env = dict(os.environ, SSL_CERT_DIR=os.environ.get("SSL_CERT_DIR", "/nonexistent"))
        with open(daemon_log + ".out", "ab") as out:
            self.daemon = subprocess.Popen(self.policy_argv(self.work, port),
                                           stdin=subprocess.DEVNULL, stdout=out, stderr=out,
                                           env=env, preexec_fn=mta_support.die_with_parent)
        if mta_support.wait_for(lambda: self._listening(port), START_GUARD) is None:
            raise RuntimeError("the policy daemon did not listen: %s"
                               % mta_support.tail(daemon_log + ".out"))
        with open(os.path.join(self.conf, "main.cf"), "w") as f:
            f.write(MAIN_CF.format(work=self.work, port=port, ca=os.environ["SSL_CERT_FILE"]))
        master = [p for p in MASTER_CF if os.path.exists(p)]
        if not master:
            raise RuntimeError("no master.cf to start from (%s)" % ", ".join(MASTER_CF))
        shutil.copy(master[0], os.path.join(self.conf, "master.cf"))
        # Chroot would hide the namespace's /etc/resolv.conf and the world's CA; no listener.
        self.postconf("-F", "*/*/chroot = n")
        self.postconf("-M#", "smtp/inet")
        started = subprocess.run([POSTFIX, "-c", self.conf, "start"], capture_output=True,
                                 text=True)
        if started.returncode != 0:
            raise RuntimeError("postfix start: %s %s" % (started.stdout, started.stderr))
        self.started = True

    def _listening(self, port):
        if self.daemon.poll() is not None:
            raise RuntimeError("the policy daemon exited (%s): %s" % (
                self.daemon.returncode,
                mta_support.tail(os.path.join(self.work, "policy-daemon.log.out"))))
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return True
        except OSError:
            return None

    def stop(self):
        if self.started:
            subprocess.run([POSTFIX, "-c", self.conf, "stop"], capture_output=True)
            self.started = False
        if self.daemon is not None and self.daemon.poll() is None:
            self.daemon.terminate()
            try:
                self.daemon.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.daemon.kill()

    def send(self, request):
        if not self.started:
            self.start()
        _, offset = mta_support.read_from(self.log, 0)
        subprocess.run(["/usr/sbin/sendmail", "-C", self.conf, "-f", mta_support.SENDER,
                        request["recipient"]], input=mta_support.message(request), check=True,
                       capture_output=True, timeout=30)
        text = []

        def outcome():
            chunk, _ = mta_support.read_from(self.log, offset)
            text[:] = [chunk]
            found = mta_support.first_match(
                r"postfix/cleanup\[\d+\]: ([0-9A-F]+): message-id=<%s@" % re.escape(
                    request["marker"]), chunk)
            if found is None:
                return None
            return mta_support.first_match(
                r"%s: to=<[^>]*>.*, status=(sent|deferred|bounced) \((.*)\)$" % found[0], chunk)

        result = mta_support.wait_for(outcome)
        if result is None:
            return {"queue": "unknown", "reason": "no outcome in Postfix's log",
                    "detail": "\n".join(text[0].splitlines()[-5:]) if text else ""}
        status, reason = result
        if status != "sent":
            subprocess.run(["/usr/sbin/postsuper", "-c", self.conf, "-d", "ALL"],
                           capture_output=True)
        return {"queue": {"sent": "delivered"}.get(status, status), "reason": reason[:300]}


def main(argv):
    """mta.py                          Postfix + postfix-mta-sts-resolver
    mta.py --mtasts-daemon BINARY   Postfix + this project's mtasts-daemon (the reference row)"""
    if argv[:1] == ["--mtasts-daemon"] and len(argv) == 2:
        policy = mtasts_daemon_argv(argv[1])
    elif not argv:
        policy = resolver_argv
    else:
        print("usage: mta.py [--mtasts-daemon BINARY]", file=sys.stderr)
        return 2
    postfix = Postfix(mta_support.workdir(), policy)
    return mta_support.serve(postfix.send, postfix.stop)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
