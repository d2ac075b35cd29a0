"""The world's HTTPS: nginx on 127.0.0.1:443, one server per policy host chosen by SNI.

nginx does what a real policy host's web server does (TLS, SNI, certificate selection, the
default server, 404 for other paths); the response of /.well-known/mta-sts.txt comes from
http_backend.py, which nginx proxies to without buffering (see there why). A phase switch
restarts both with the new phase's entries.

The default server answers clients that send no SNI, or an unknown name, with a certificate
for default.world.test: such a client fails every fetch (RFC 8461 §7.1 requires SNI).
"""

import json
import os
import socket
import ssl
import sys

import https_probe
import procs
from certs import DEFAULT_HOST

HERE = os.path.dirname(os.path.abspath(__file__))
POLICY_PATH = "/.well-known/mta-sts.txt"
TEMP_DIRS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")


def nginx_config(prefix, entries, certs, socket_path, log_dir):
    """entries: [(entry id, host, cert path)]; certs: the CertFactory (key, default cert)."""
    temp = os.path.join(prefix, "temp")
    servers = [_server_block("listen 127.0.0.1:443 ssl default_server;", DEFAULT_HOST,
                             certs.leaf(DEFAULT_HOST, "valid"), certs.leaf_key, None, socket_path)]
    for entry_id, host, cert in entries:
        servers.append(_server_block("listen 127.0.0.1:443 ssl;", host, cert, certs.leaf_key,
                                     entry_id, socket_path))
    return """\
# one phase of the mtasts test world (conformance/world/https_server.py)
daemon off;
master_process on;
worker_processes 1;
user root;
pid {prefix}/nginx.pid;
error_log {logs}/nginx-error.log info;
events {{ worker_connections 512; }}
http {{
    access_log {logs}/nginx-access.log;
    server_tokens off;
    # Long names (*.world.test hosts of many scenarios) need more than the default bucket.
    server_names_hash_bucket_size 128;
    server_names_hash_max_size 4096;
    client_body_temp_path {temp}/client_body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
{servers}}}
""".format(prefix=prefix, logs=log_dir, temp=temp, servers="".join(servers))


def _server_block(listen, host, cert, key, entry_id, socket_path):
    if entry_id is None:
        policy = ""
    else:
        policy = """\
        location = {path} {{
            proxy_pass http://unix:{sock}:;
            proxy_set_header X-World-Entry "{entry}";
            proxy_buffering off;
            proxy_redirect off;
            proxy_read_timeout 60s;
        }}
""".format(path=POLICY_PATH, sock=socket_path, entry=entry_id)
    return """\
    server {{
        {listen}
        server_name {host};
        ssl_certificate {cert};
        ssl_certificate_key {key};
{policy}        location / {{ return 404; }}
    }}
""".format(listen=listen, host=host, cert=cert, key=key, policy=policy)


def backend_table(https_entries):
    """{entry id: entry} for http_backend.py, with ids in host order."""
    return {str(i): entry for i, entry in enumerate(https_entries)}


class HttpsServer:
    def __init__(self, run_dir, log_dir, certs):
        self.prefix = os.path.join(run_dir, "nginx")
        self.log_dir = log_dir
        self.certs = certs
        self.socket_path = os.path.join(run_dir, "backend.sock")
        self.backend = None
        self.nginx = None
        for name in TEMP_DIRS:
            os.makedirs(os.path.join(self.prefix, "temp", name), exist_ok=True)

    def start(self, https_entries, phase_dir):
        """https_entries: the phase's entries (dicts with host, cert, status ...)."""
        table = backend_table(https_entries)
        table_path = os.path.join(phase_dir, "https-table.json")
        with open(table_path, "w", encoding="utf-8") as f:
            json.dump(table, f, indent=1, ensure_ascii=False)
        entries = [(entry_id, e["host"], self.certs.leaf(e["host"], e["cert"]))
                   for entry_id, e in table.items()]
        conf_path = os.path.join(phase_dir, "nginx.conf")
        with open(conf_path, "w") as f:
            f.write(nginx_config(self.prefix, entries, self.certs, self.socket_path,
                                 self.log_dir))
        self._start_backend(table_path)
        self._start_nginx(conf_path)

    def _start_backend(self, table_path):
        if os.path.exists(self.socket_path):
            os.unlink(self.socket_path)
        log = os.path.join(self.log_dir, "backend.log")
        self.backend = procs.start([sys.executable, os.path.join(HERE, "http_backend.py"),
                                    self.socket_path, table_path], log)
        if not procs.wait_until(self._backend_listens, timeout=procs.READY_TIMEOUT):
            raise RuntimeError("the HTTP backend did not start: " + procs.log_tail(log))

    def _backend_listens(self):
        if self.backend.poll() is not None:
            raise RuntimeError("the HTTP backend exited with status %s: %s" % (
                self.backend.returncode, procs.log_tail(os.path.join(self.log_dir, "backend.log"))))
        try:
            with socket.socket(socket.AF_UNIX) as sock:
                sock.connect(self.socket_path)
            return True
        except OSError:
            return False

    def _start_nginx(self, conf_path):
        log = os.path.join(self.log_dir, "nginx.stderr.log")
        self.nginx = procs.start(["nginx", "-p", self.prefix, "-c", conf_path,
                                  "-e", os.path.join(self.log_dir, "nginx-error.log")], log)
        if not procs.wait_until(self._nginx_answers, timeout=procs.READY_TIMEOUT):
            raise RuntimeError("nginx did not answer on 127.0.0.1:443: "
                               + procs.log_tail(os.path.join(self.log_dir, "nginx-error.log")))

    def _nginx_answers(self):
        if self.nginx.poll() is not None:
            raise RuntimeError("nginx exited with status %s: %s" % (
                self.nginx.returncode,
                procs.log_tail(os.path.join(self.log_dir, "nginx-error.log"))))
        try:
            response = https_probe.fetch(DEFAULT_HOST, "/", cafile=self.certs.ca_cert, timeout=1)
        except (OSError, ssl.SSLError, ValueError):
            return False
        return response.status == 404

    def stop(self):
        # nginx first, so no request reaches a backend that is going away.
        procs.stop(self.nginx)
        procs.stop(self.backend)
        self.nginx = None
        self.backend = None
