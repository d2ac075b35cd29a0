"""The world's DNS: dnsmasq on 127.0.0.1:53 serving one phase's records.

dnsmasq does not re-read TXT records on SIGHUP, so a phase switch stops it and starts a new one
with the new configuration. Every name under world.test that the phase does not define is
NXDOMAIN (`local=/world.test/`), a defined name asked for another type is NODATA, and
TTLs are 0 with no cache, so nothing of an earlier phase survives a switch. Names under
scenarios.SIGNED_ZONE are served DNSSEC-signed by dnssec.py's servers; dnsmasq forwards them
there and passes the validator's AD bit on (`proxy-dnssec`).
"""

import os

import dnssec
import dnswire
import procs
from scenarios import SIGNED_ZONE, TXT_ESCAPES, ZONE, in_signed_zone

DNS_PORT = 53
READY_NAME = "_world-ready." + ZONE


def quote_txt(text):
    return '"' + "".join(TXT_ESCAPES.get(ch, ch) for ch in text) + '"'


def record_line(record, servfail_port):
    name = record["name"]
    rtype = record["type"]
    if rtype == "TXT":
        return "txt-record=%s,%s" % (name, ",".join(quote_txt(s) for s in record["strings"]))
    if rtype == "A":
        return "host-record=%s,%s" % (name, record["address"])
    if rtype == "CNAME":
        return "cname=%s,%s" % (name, record["target"])
    if rtype == "MX":
        return "mx-host=%s,%s,%d" % (name, record["exchange"], record["preference"])
    if rtype == "SERVFAIL":
        return "server=/%s/127.0.0.1#%d" % (name, servfail_port)
    raise ValueError("record type %r" % rtype)


def config_text(records, servfail_port, log_path, signed=False):
    lines = [
        "# one phase of the mtasts test world (conformance/world/dns_server.py)",
        "port=%d" % DNS_PORT,
        "listen-address=127.0.0.1",
        "bind-interfaces",
        "no-resolv",
        "no-hosts",
        "no-poll",
        "user=root",
        "group=root",
        "local=/%s/" % ZONE,
        "local-ttl=0",
        "cache-size=0",
        "no-negcache",
        "log-queries",
        "log-facility=%s" % log_path,
    ]
    if signed:
        lines += ["server=/%s/127.0.0.1#%d" % (SIGNED_ZONE, dnssec.VALIDATOR_PORT), "proxy-dnssec"]
    lines += [record_line(r, servfail_port) for r in records]
    return "\n".join(lines) + "\n"


class DnsServer:
    def __init__(self, run_dir, log_dir, servfail_port, leaf_key):
        self.run_dir = run_dir
        self.log_dir = log_dir
        self.servfail_port = servfail_port
        self.proc = None
        self.signed_zone = dnssec.SignedZone(run_dir, log_dir, leaf_key)

    def start(self, records, conf_path):
        signed = [r for r in records if in_signed_zone(r["name"])]
        if signed:
            missing = dnssec.missing_tools()
            if missing:
                raise RuntimeError("the signed zone %s needs %s (ci/packages.txt: ldnsutils, nsd)"
                                   % (SIGNED_ZONE, ", ".join(missing)))
            self.signed_zone.start(signed, os.path.dirname(conf_path))
        records = [r for r in records if not in_signed_zone(r["name"])]
        with open(conf_path, "w", encoding="utf-8") as f:
            f.write(config_text(records, self.servfail_port,
                                os.path.join(self.log_dir, "dnsmasq.log"), bool(signed)))
        self.proc = procs.start(["dnsmasq", "--keep-in-foreground", "--pid-file=",
                                 "--conf-file=" + conf_path],
                                os.path.join(self.log_dir, "dnsmasq.stderr.log"))
        if not procs.wait_until(self._answers, timeout=procs.READY_TIMEOUT):
            raise RuntimeError("dnsmasq did not answer on 127.0.0.1:53: %s"
                               % procs.log_tail(os.path.join(self.log_dir, "dnsmasq.stderr.log")))

    def _answers(self):
        if self.proc.poll() is not None:
            raise RuntimeError("dnsmasq exited with status %s" % self.proc.returncode)
        try:
            return dnswire.query(READY_NAME, "TXT", timeout=0.2).rcode == "NXDOMAIN"
        except OSError:
            return False

    def stop(self):
        procs.stop(self.proc)
        self.proc = None
        self.signed_zone.stop()
