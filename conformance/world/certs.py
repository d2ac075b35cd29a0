"""The world's test CA and its certificates, made with the `openssl` command at test time.

Nothing here is committed: a run directory gets a fresh CA, and every (host, kind) leaf is made
once per run directory and reused by later phases. All keys are EC P-256 (fast to make); one key
serves every leaf, which is harmless in a test world and saves a key generation per certificate.

Certificate kinds (vectors/scenarios/FORMAT.md):
  valid             leaf for the host, signed by the CA, valid now
  expired           as valid, but its validity ended a day ago
  not-yet-valid     as valid, but its validity starts in ten years
  wrong-name        a valid leaf for another name (WRONG_NAME)
  self-signed       the right name, signed by its own key rather than the CA
  wildcard          SAN "*." + the host's parent domain
  partial-wildcard  SAN "mta*." + the host's parent domain
  cn-only           the right name as subject CN only, no subjectAltName
"""

import datetime
import os
import subprocess

KINDS = ("valid", "expired", "not-yet-valid", "wrong-name", "self-signed", "wildcard",
         "partial-wildcard", "cn-only")
WRONG_NAME = "wrong-name.world.test"
DEFAULT_HOST = "default.world.test"

# Validity windows, in days relative to the moment the certificate is made. Scenario clocks
# run at most a few years ahead of the real one, so "valid" and "not-yet-valid" keep their
# meaning for any step of a scenario even if a resolver checked certificates at the step's time.
VALID_DAYS = (-1, 3650)
EXPIRED_DAYS = (-730, -1)
NOT_YET_VALID_DAYS = (3650, 7300)

OPENSSL_CONFIG = """\
[ req ]
distinguished_name = req_dn
prompt = no
[ req_dn ]
CN = world
[ ca_ext ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[ self_signed_ext ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
[ ca ]
default_ca = world_ca
[ world_ca ]
dir = {dir}
database = $dir/index.txt
serial = $dir/serial
new_certs_dir = $dir/issued
certificate = $dir/ca.pem
private_key = $dir/ca.key
default_md = sha256
policy = policy_any
unique_subject = no
copy_extensions = none
[ policy_any ]
commonName = supplied
"""

LEAF_EXTENSIONS = """\
[ leaf ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
"""


class CertError(Exception):
    pass


def _openssl(args, cwd):
    proc = subprocess.run(["openssl"] + args, cwd=cwd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise CertError("openssl %s failed: %s" % (args[0], proc.stderr.strip()))


def _asn1_time(days_from_now):
    moment = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=days_from_now)
    return moment.strftime("%Y%m%d%H%M%SZ")


def parent_domain(host):
    return host.split(".", 1)[1] if "." in host else host


def leaf_names(host, kind):
    """(subject CN, [SAN DNS names]) of a `kind` certificate for `host`."""
    if kind == "wrong-name":
        return WRONG_NAME, [WRONG_NAME]
    if kind == "wildcard":
        name = "*." + parent_domain(host)
        return name, [name]
    if kind == "partial-wildcard":
        name = "mta*." + parent_domain(host)
        return name, [name]
    if kind == "cn-only":
        return host, []
    return host, [host]


def validity_days(kind):
    if kind == "expired":
        return EXPIRED_DAYS
    if kind == "not-yet-valid":
        return NOT_YET_VALID_DAYS
    return VALID_DAYS


class CertFactory:
    """Makes the CA on first use and each leaf on first request; later requests reuse files."""

    def __init__(self, directory):
        self.dir = os.path.abspath(directory)
        self.ca_cert = os.path.join(self.dir, "ca.pem")
        self.leaf_key = os.path.join(self.dir, "leaf.key")
        self.made = 0
        if not os.path.exists(self.ca_cert):
            self._make_ca()

    def _make_ca(self):
        os.makedirs(os.path.join(self.dir, "issued"), exist_ok=True)
        os.makedirs(os.path.join(self.dir, "leaves"), exist_ok=True)
        with open(os.path.join(self.dir, "openssl.cnf"), "w") as f:
            f.write(OPENSSL_CONFIG.format(dir=self.dir))
        open(os.path.join(self.dir, "index.txt"), "w").close()
        with open(os.path.join(self.dir, "serial"), "w") as f:
            f.write("1000\n")
        _openssl(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ca.key"],
                 self.dir)
        _openssl(["req", "-config", "openssl.cnf", "-new", "-x509", "-key", "ca.key",
                  "-subj", "/CN=mtasts test world CA", "-days", "10950",
                  "-extensions", "ca_ext", "-out", "ca.pem.tmp"], self.dir)
        _openssl(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "leaf.key"],
                 self.dir)
        # The CA file last: its presence means the directory is complete.
        os.rename(os.path.join(self.dir, "ca.pem.tmp"), self.ca_cert)

    def leaf(self, host, kind):
        """Path of the PEM certificate of `kind` for `host` (the key is self.leaf_key)."""
        if kind not in KINDS:
            raise CertError("unknown certificate kind %r" % kind)
        path = os.path.join(self.dir, "leaves", "%s.%s.pem" % (host, kind))
        if not os.path.exists(path):
            self._make_leaf(host, kind, path)
        return path

    def _make_leaf(self, host, kind, path):
        common_name, san = leaf_names(host, kind)
        tmp = path + ".tmp"
        if kind == "self-signed":
            _openssl(["req", "-config", "openssl.cnf", "-new", "-x509", "-key", "leaf.key",
                      "-subj", "/CN=" + common_name, "-days", str(VALID_DAYS[1]),
                      "-extensions", "self_signed_ext",
                      "-addext", "subjectAltName=" + ",".join("DNS:" + n for n in san),
                      "-out", tmp], self.dir)
        else:
            extensions = LEAF_EXTENSIONS
            if san:
                extensions += "subjectAltName = " + ",".join("DNS:" + n for n in san) + "\n"
            ext_file = path + ".ext"
            csr = path + ".csr"
            with open(ext_file, "w") as f:
                f.write(extensions)
            start, end = validity_days(kind)
            _openssl(["req", "-config", "openssl.cnf", "-new", "-key", "leaf.key",
                      "-subj", "/CN=" + common_name, "-out", csr], self.dir)
            _openssl(["ca", "-config", "openssl.cnf", "-batch", "-notext",
                      "-in", csr, "-out", tmp, "-startdate", _asn1_time(start),
                      "-enddate", _asn1_time(end), "-extfile", ext_file, "-extensions", "leaf"],
                     self.dir)
            os.unlink(ext_file)
            os.unlink(csr)
        os.rename(tmp, path)
        self.made += 1
