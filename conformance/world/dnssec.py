"""The world's DNSSEC-signed zone (scenarios.SIGNED_ZONE), for the DANE scenarios (ruling R31).

dnsmasq cannot serve RRSIG, DNSKEY or NSEC records, so the names under the signed zone are
served apart: the phase's records go into a zone file, ldns-signzone signs it with a key made
once per run (ldns-keygen), nsd serves it on 127.0.0.1:NSD_PORT, and a second dnsmasq on
127.0.0.1:VALIDATOR_PORT validates it (`dnssec`, the key's DS as its only trust anchor). The
world's own dnsmasq forwards the zone to that validator with `proxy-dnssec`, so an MTA asking
127.0.0.1:53 gets the AD bit exactly when the answer validated, as from any validating
resolver (RFC 7672 §2.2: only such TLSA records are usable).

TLSA data "world-key" stands for SHA-256 of the SubjectPublicKeyInfo of the world's leaf key
(certs.py: one key for every leaf), so "3 1 1 world-key" matches every certificate the world's
MX hosts show, whatever its name, issuer or validity: DANE-EE (RFC 7671 §5.1) ignores them.
"""

import hashlib
import os
import shutil
import subprocess

import dnswire
import procs
from scenarios import SIGNED_ZONE

NSD_PORT = 5312
VALIDATOR_PORT = 5311  # clear of world.SERVFAIL_PORT (5300)
TOOLS = ("ldns-keygen", "ldns-signzone", "nsd")
WORLD_KEY = "world-key"


def missing_tools():
    return [tool for tool in TOOLS if shutil.which(tool) is None]


def spki_sha256(key_path):
    der = subprocess.run(["openssl", "pkey", "-in", key_path, "-pubout", "-outform", "DER"],
                         check=True, capture_output=True).stdout
    return hashlib.sha256(der).hexdigest()


def zone_string(raw):
    """One TXT character-string in zone-file syntax (non-printable bytes as \\DDD)."""
    out = []
    for byte in raw.encode("utf-8"):
        ch = chr(byte)
        out.append("\\" + ch if ch in '"\\' else ch if 0x20 <= byte < 0x7f else "\\%03d" % byte)
    return '"' + "".join(out) + '"'


def zone_line(record, world_key):
    name = record["name"] + "."
    rtype = record["type"]
    if rtype == "TXT":
        data = " ".join(zone_string(s) for s in record["strings"])
    elif rtype == "A":
        data = record["address"]
    elif rtype == "CNAME":
        data = record["target"] + "."
    elif rtype == "MX":
        data = "%d %s." % (record["preference"], record["exchange"])
    elif rtype == "TLSA":
        digest = world_key if record["data"] == WORLD_KEY else record["data"]
        data = "%d %d %d %s" % (record["usage"], record["selector"], record["matchingType"],
                                digest)
    else:
        raise ValueError("record type %r in the signed zone" % rtype)
    return "%s 0 IN %s %s" % (name, rtype, data)


def zone_text(records, world_key):
    head = ["$ORIGIN %s." % SIGNED_ZONE,
            "@ 0 IN SOA ns.%s. hostmaster.%s. 1 3600 600 86400 0" % (SIGNED_ZONE, SIGNED_ZONE),
            "@ 0 IN NS ns.%s." % SIGNED_ZONE, "ns 0 IN A 127.0.0.1"]
    return "\n".join(head + [zone_line(r, world_key) for r in records]) + "\n"


NSD_CONF = """\
server:
  ip-address: 127.0.0.1@{port}
  port: {port}
  username: ""
  database: ""
  pidfile: ""
  zonelistfile: {dir}/zone.list
  xfrdfile: {dir}/xfrd.state
  logfile: {log}
remote-control:
  control-enable: no
zone:
  name: {zone}
  zonefile: {zonefile}
"""


class SignedZone:
    """nsd and the validating dnsmasq for one phase; the key lives as long as the run."""

    def __init__(self, run_dir, log_dir, leaf_key):
        self.dir = os.path.join(run_dir, "dnssec")
        self.log_dir = log_dir
        self.leaf_key = leaf_key
        self.key = None
        self.world_key = None
        self.procs = []

    def _make_key(self):
        os.makedirs(self.dir, exist_ok=True)
        base = subprocess.run(["ldns-keygen", "-a", "ECDSAP256SHA256", "-k", SIGNED_ZONE],
                              cwd=self.dir, check=True, capture_output=True,
                              text=True).stdout.strip()
        self.key = os.path.join(self.dir, base)
        with open(self.key + ".ds", encoding="ascii") as f:
            tag, alg, digest_type, digest = f.read().split()[-4:]  # "<zone> [ttl] IN DS ..."
        self.anchor = "%s,%s,%s,%s,%s" % (SIGNED_ZONE, tag, alg, digest_type, digest)
        self.world_key = spki_sha256(self.leaf_key)

    def start(self, records, phase_dir):
        """Signs `records` (all under SIGNED_ZONE) and serves them validated on VALIDATOR_PORT."""
        if self.key is None:
            self._make_key()
        zonefile = os.path.join(phase_dir, "signed.zone")
        with open(zonefile, "w", encoding="utf-8") as f:
            f.write(zone_text(records, self.world_key))
        # -n: NSEC3 denials, as most signed zones publish them.
        subprocess.run(["ldns-signzone", "-n", "-f", zonefile + ".signed", zonefile, self.key],
                       check=True, capture_output=True)
        nsd_conf = os.path.join(phase_dir, "nsd.conf")
        with open(nsd_conf, "w", encoding="utf-8") as f:
            f.write(NSD_CONF.format(port=NSD_PORT, dir=phase_dir, zone=SIGNED_ZONE,
                                    zonefile=zonefile + ".signed",
                                    log=os.path.join(self.log_dir, "nsd.log")))
        self.procs.append(procs.start(["nsd", "-d", "-c", nsd_conf],
                                      os.path.join(self.log_dir, "nsd.stderr.log")))
        self._wait(NSD_PORT, "nsd")
        self.procs.append(procs.start(self._validator_argv(phase_dir),
                                      os.path.join(self.log_dir, "validator.stderr.log")))
        self._wait(VALIDATOR_PORT, "the validating dnsmasq")

    def _validator_argv(self, phase_dir):
        conf = os.path.join(phase_dir, "validator.conf")
        lines = ["port=%d" % VALIDATOR_PORT, "listen-address=127.0.0.1", "bind-interfaces",
                 "no-resolv", "no-hosts", "no-poll", "user=root", "group=root",
                 "server=/%s/127.0.0.1#%d" % (SIGNED_ZONE, NSD_PORT), "dnssec",
                 "trust-anchor=" + self.anchor, "log-queries=extra",
                 # dnsmasq insists on a root anchor; the validator is asked about the signed
                 # zone only, where the zone's own anchor ends every chain before the root.
                 "trust-anchor=.,1,13,2," + "00" * 32,
                 "log-facility=" + os.path.join(self.log_dir, "validator.log")]
        with open(conf, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        return ["dnsmasq", "--keep-in-foreground", "--pid-file=", "--conf-file=" + conf]

    def _wait(self, port, what):
        proc = self.procs[-1]

        def answers():
            if proc.poll() is not None:
                raise RuntimeError("%s exited with status %s" % (what, proc.returncode))
            try:
                return dnswire.query(SIGNED_ZONE, "SOA", port=port, timeout=0.2).rcode == \
                    "NOERROR"
            except OSError:
                return False

        if not procs.wait_until(answers, timeout=procs.READY_TIMEOUT):
            raise RuntimeError("%s did not answer on 127.0.0.1:%d" % (what, port))

    def stop(self):
        for proc in reversed(self.procs):
            procs.stop(proc)
        self.procs = []
