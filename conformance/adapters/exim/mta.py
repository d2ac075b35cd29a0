#!/usr/bin/python3
"""MTA adapter (conformance/ADAPTERS.md, "MTA protocol (kind mta)") for Exim 4.96, the control
row: Exim has no MTA-STS, so it must fail the enforce scenarios an MTA-STS sender passes.

Exim and Postfix conflict as Debian packages, so Exim is not installed: setup.sh (beside this
file) extracts Debian's exim4-base and exim4-daemon-light (apt-get download + dpkg-deb -x)
into BUILD/mta/exim-root, and this adapter runs the binary from there. Debian's binary looks
up its user "Debian-exim" by name at start; the host has no such user, so each Exim command
runs in a private mount namespace (unshare -m) where copies of /etc/passwd and /etc/group
with that user are bind-mounted over the real ones: nothing on the host changes.

Configuration: the world's DNS (dnslookup router, the namespace's resolv.conf), the world's CA
(tls_verify_certificates), opportunistic TLS as Exim does by default (tls_try_verify_hosts:
verify when it can, deliver anyway), and DANE where the MX has DNSSEC-validated TLSA records
(hosts_try_dane; the world's signed zone). glibc passes the resolver's AD bit on only with
"options trust-ad", and Exim's delivery process does not keep RES_OPTIONS, so the mount
namespace also has a resolv.conf with it. Each message is submitted with -odi (delivered in the
foreground); the outcome is read from Exim's main log by the message's Message-ID (=> sent,
== deferred, ** bounced), and a message left queued is removed.
"""

import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(HERE)), "world"))
import mta_support  # noqa: E402

EXIM_UID = 64990  # a uid for Debian-exim that the host does not use (checked below)

CONFIGURE = """\
exim_path = {exim}
spool_directory = {work}/spool
log_file_path = {work}/log/%slog
primary_hostname = sender.world.test
qualify_domain = sender.world.test
local_interfaces = 127.0.0.1
keep_environment =
never_users =
trusted_users = root
host_lookup_order = bydns
dns_ipv4_lookup = *
disable_ipv6 = true
tls_on_connect_ports =

begin routers
dnslookup:
  driver = dnslookup
  dnssec_request_domains = *
  transport = remote_smtp
  no_more

begin transports
remote_smtp:
  driver = smtp
  tls_verify_certificates = {ca}
  tls_try_verify_hosts = *
  tls_verify_cert_hostnames = *
  dnssec_request_domains = *
  hosts_try_dane = *
  connect_timeout = 10s

begin retry
*   *   F,1d,1d
"""


def exim_root():
    build = os.environ.get("MTASTS_BUILD_DIR", "build")
    return os.path.join(build, "mta", "exim-root")


class Exim:
    def __init__(self, work):
        self.work = work
        self.exim = os.path.join(exim_root(), "usr", "sbin", "exim4")
        self.conf = os.path.join(work, "exim.conf")
        self.log = os.path.join(work, "log", "mainlog")
        self.ready = False

    def setup(self):
        shutil.rmtree(self.work, ignore_errors=True)
        for sub in ("spool", "log"):
            os.makedirs(os.path.join(self.work, sub))
            os.chown(os.path.join(self.work, sub), EXIM_UID, EXIM_UID)
        with open("/etc/passwd") as f:
            passwd = f.read()
        with open("/etc/group") as f:
            group = f.read()
        if ":%d:" % EXIM_UID in passwd or ":%d:" % EXIM_UID in group:
            raise RuntimeError("uid/gid %d is taken on this host" % EXIM_UID)
        if "\nDebian-exim:" not in "\n" + passwd:
            passwd += "Debian-exim:x:%d:%d::/nonexistent:/usr/sbin/nologin\n" % (EXIM_UID,
                                                                                EXIM_UID)
            group += "Debian-exim:x:%d:\n" % EXIM_UID
        with open("/etc/resolv.conf") as f:
            resolv = f.read() + "options trust-ad\n"
        for name, text in (("passwd", passwd), ("group", group), ("resolv.conf", resolv)):
            with open(os.path.join(self.work, name), "w") as f:
                f.write(text)
        with open(self.conf, "w") as f:
            f.write(CONFIGURE.format(exim=self.exim, work=self.work,
                                     ca=os.environ["SSL_CERT_FILE"]))
        self.ready = True

    def run(self, args, data=None):
        """An Exim command inside a mount namespace that knows Debian-exim."""
        script = ('mount --bind "$1/passwd" /etc/passwd && mount --bind "$1/group" /etc/group '
                  '&& mount --bind "$1/resolv.conf" /etc/resolv.conf && shift && exec "$@"')
        argv = ["unshare", "--mount", "sh", "-c", script, "sh", self.work, self.exim,
                "-C", self.conf] + args
        return subprocess.run(argv, input=data, capture_output=True, timeout=120)

    def send(self, request):
        if not self.ready:
            self.setup()
        _, offset = mta_support.read_from(self.log, 0)
        self.run(["-odi", "-f", mta_support.SENDER, "--", request["recipient"]],
                 mta_support.message(request))
        text, _ = mta_support.read_from(self.log, offset)
        ident = mta_support.first_match(r"^\S+ \S+ (\S+) <= .* id=%s@" % re.escape(
            request["marker"]), text)
        if ident is None:
            return {"queue": "unknown", "reason": "the message is not in Exim's log",
                    "detail": mta_support.tail(self.log, 5)}
        ident = ident[0]
        for sign, queue in (("=>", "delivered"), ("\\*\\*", "bounced"), ("==", "deferred")):
            found = mta_support.first_match(r"^\S+ \S+ %s %s (.*)$" % (ident, sign), text)
            if found:
                if queue != "delivered":
                    self.run(["-Mrm", ident])
                return {"queue": queue, "reason": found[0][:300]}
        self.run(["-Mrm", ident])
        return {"queue": "unknown", "reason": "no outcome for %s in Exim's log" % ident}


def main():
    exim = Exim(mta_support.workdir())
    return mta_support.serve(exim.send)


if __name__ == "__main__":
    sys.exit(main())
