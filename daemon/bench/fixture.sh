# shellcheck shell=bash
# daemon/bench/fixture.sh - sourced by socketmap.sh: the uncached lookups'
# world, on loopback in the benchmark's own network (and mount) namespace.
# N domains d<i><SUFFIX>, each with an _mta-sts TXT record (dnsmasq on
# 127.0.0.1:53, which /etc/resolv.conf names inside the namespace) and a
# policy host mta-sts.d<i><SUFFIX> at 127.0.0.1 (nginx on 443, one worker,
# the same enforce policy for every host). One leaf certificate names every
# policy host (a certificate per host would cost an openssl process each);
# the CA is DIR/ca.crt. Not conformance/world/: its policies come from a
# Python backend behind nginx, which would be most of what is timed here.

# fixture_start DIR N SUFFIX: write it all and start both servers.
fixture_start() {
  local dir=$1 n=$2 suffix=$3 i
  mkdir -p "$dir/nginx"
  {
    printf '[req]\ndistinguished_name = dn\n[dn]\n[ext]\nbasicConstraints = CA:FALSE\n'
    printf 'subjectAltName = @alt\n[alt]\n'
    for ((i = 0; i < n; i++)); do printf 'DNS.%d = mta-sts.d%d%s\n' "$((i + 1))" "$i" "$suffix"; done
  } >"$dir/leaf.cnf"
  openssl ecparam -name prime256v1 -genkey -noout -out "$dir/ca.key"
  openssl req -new -x509 -key "$dir/ca.key" -subj /CN=socketmap-bench-ca -days 2 -out "$dir/ca.crt"
  openssl ecparam -name prime256v1 -genkey -noout -out "$dir/leaf.key"
  openssl req -new -x509 -key "$dir/leaf.key" -subj "/CN=mta-sts.d0$suffix" -config "$dir/leaf.cnf" \
    -extensions ext -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -days 2 -out "$dir/leaf.crt"
  {
    printf 'port=53\nlisten-address=127.0.0.1\nbind-interfaces\nno-resolv\nno-hosts\nuser=root\ngroup=root\n'
    printf 'local=/%s/\naddress=/%s/127.0.0.1\n' "${suffix#.}" "${suffix#.}"
    for ((i = 0; i < n; i++)); do printf 'txt-record=_mta-sts.d%d%s,"v=STSv1; id=%d;"\n' "$i" "$suffix" "$i"; done
  } >"$dir/dnsmasq.conf"
  cat >"$dir/nginx.conf" <<NGINX
daemon off;
master_process off;
user root root;
worker_processes 1;
pid $dir/nginx/nginx.pid;
error_log $dir/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $dir/nginx; proxy_temp_path $dir/nginx; fastcgi_temp_path $dir/nginx;
  uwsgi_temp_path $dir/nginx; scgi_temp_path $dir/nginx;
  server {
    listen 127.0.0.1:443 ssl default_server;
    ssl_certificate $dir/leaf.crt;
    ssl_certificate_key $dir/leaf.key;
    default_type text/plain;
    location = /.well-known/mta-sts.txt {
      return 200 "version: STSv1\nmode: enforce\nmx: *$suffix\nmax_age: 604800\n";
    }
  }
}
NGINX
  ip link set lo up
  printf 'nameserver 127.0.0.1\noptions trust-ad\n' >"$dir/resolv.conf"
  mount --bind "$dir/resolv.conf" /etc/resolv.conf
  dnsmasq -k -C "$dir/dnsmasq.conf" 2>"$dir/dnsmasq.log" &
  FIXTURE_DNS=$!
  nginx -e "$dir/nginx/error.log" -c "$dir/nginx.conf" &
  FIXTURE_HTTPS=$!
  fixture_ready "$dir" "d$((n - 1))$suffix" "mta-sts.d0$suffix" && return 0
  echo "socketmap fixture: the DNS or HTTPS server did not answer (see $dir)" >&2
  return 1
}

# fixture_ready DIR DOMAIN HOST: within 10 s, DOMAIN's _mta-sts TXT record
# (the last one written) and HOST's policy, through the namespace's resolver.
fixture_ready() {
  python3 - "$@" <<'PY'
import socket, ssl, struct, sys, time, urllib.request
d, domain, host = sys.argv[1:]
name = b"".join(bytes([len(l)]) + l for l in ("_mta-sts." + domain).encode().split(b".")) + b"\0"
query = struct.pack(">6H", 0x1234, 0x0100, 1, 0, 0, 0) + name + struct.pack(">2H", 16, 1)
ctx = ssl.create_default_context(cafile=d + "/ca.crt")
for _ in range(50):
    try:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.settimeout(0.2)
        s.sendto(query, ("127.0.0.1", 53))
        url = "https://%s/.well-known/mta-sts.txt" % host
        if b"v=STSv1" in s.recv(512) and b"mode: enforce" in urllib.request.urlopen(
                url, context=ctx, timeout=1).read():
            sys.exit(0)
    except OSError:
        pass
    time.sleep(0.2)
sys.exit(1)
PY
}

fixture_stop() {
  local pid
  for pid in ${FIXTURE_DNS:-} ${FIXTURE_HTTPS:-}; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  FIXTURE_DNS='' FIXTURE_HTTPS=''

}
