# shellcheck shell=bash
# daemon/bench/fixture.sh - sourced by socketmap.sh: the uncached lookups'
# world, on loopback in the benchmark's own network (and mount) namespace.
# N domains d<i><SUFFIX>, each with an _mta-sts TXT record (dnsmasq on
# 127.0.0.1:53, which /etc/resolv.conf names inside the namespace) and a
# policy host mta-sts.d<i><SUFFIX> at 127.0.0.1 (nginx on 443, one process,
# the same enforce policy for every host). A leaf certificate names 50
# policy hosts (nginx picks it by SNI): one per host would cost an openssl
# process each, one for all a 35 KB certificate in every handshake. The CA
# is DIR/ca.crt. Not conformance/world/: its policies come from a Python
# backend behind nginx, which would be most of what is timed here.
FIXTURE_PER_CERT=50

# fixture_certs DIR N SUFFIX: the CA, the leaves, and nginx's server blocks
# (DIR/servers.conf), the first the default.
fixture_certs() {
  local dir=$1 n=$2 suffix=$3 g i names default=" default_server"
  openssl ecparam -name prime256v1 -genkey -noout -out "$dir/ca.key"
  openssl req -new -x509 -key "$dir/ca.key" -subj /CN=socketmap-bench-ca -days 2 -out "$dir/ca.crt"
  openssl ecparam -name prime256v1 -genkey -noout -out "$dir/leaf.key"
  for ((g = 0; g * FIXTURE_PER_CERT < n; g++)); do
    names=()
    for ((i = g * FIXTURE_PER_CERT; i < n && i < (g + 1) * FIXTURE_PER_CERT; i++)); do
      names+=("mta-sts.d$i$suffix")
    done
    {
      printf '[req]\ndistinguished_name = dn\n[dn]\n[ext]\nbasicConstraints = CA:FALSE\n'
      printf 'subjectAltName = @alt\n[alt]\n'
      for i in "${!names[@]}"; do printf 'DNS.%d = %s\n' "$((i + 1))" "${names[i]}"; done
    } >"$dir/leaf$g.cnf"
    openssl req -new -x509 -key "$dir/leaf.key" -subj "/CN=${names[0]}" -config "$dir/leaf$g.cnf" \
      -extensions ext -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -days 2 -out "$dir/leaf$g.crt"
    cat <<NGINX
  server {
    listen 127.0.0.1:443 ssl$default;
    server_name ${names[*]};
    ssl_certificate $dir/leaf$g.crt;
    ssl_certificate_key $dir/leaf.key;
    default_type text/plain;
    location = /.well-known/mta-sts.txt {
      return 200 "version: STSv1\nmode: enforce\nmx: *$suffix\nmax_age: 604800\n";
    }
  }
NGINX
    default=
  done >"$dir/servers.conf"
}

# fixture_start DIR N SUFFIX: write it all and start both servers.
fixture_start() {
  local dir=$1 n=$2 suffix=$3 i
  mkdir -p "$dir/nginx"
  fixture_certs "$dir" "$n" "$suffix"
  {
    printf 'port=53\nlisten-address=127.0.0.1\nbind-interfaces\nno-resolv\nno-hosts\nuser=root\ngroup=root\n'
    printf 'local=/%s/\naddress=/%s/127.0.0.1\n' "${suffix#.}" "${suffix#.}"
    for ((i = 0; i < n; i++)); do printf 'txt-record=_mta-sts.d%d%s,"v=STSv1; id=%d;"\n' "$i" "$suffix" "$i"; done
  } >"$dir/dnsmasq.conf"
  cat >"$dir/nginx.conf" <<NGINX
daemon off;
master_process off;
user root root;
pid $dir/nginx/nginx.pid;
error_log $dir/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  server_names_hash_max_size 4096;
  client_body_temp_path $dir/nginx; proxy_temp_path $dir/nginx; fastcgi_temp_path $dir/nginx;
  uwsgi_temp_path $dir/nginx; scgi_temp_path $dir/nginx;
  include $dir/servers.conf;
}
NGINX
  ip link set lo up
  printf 'nameserver 127.0.0.1\noptions trust-ad\n' >"$dir/resolv.conf"
  mount --bind "$dir/resolv.conf" /etc/resolv.conf
  dnsmasq -k -C "$dir/dnsmasq.conf" 2>"$dir/dnsmasq.log" &
  FIXTURE_DNS=$!
  nginx -e "$dir/nginx/error.log" -c "$dir/nginx.conf" &
  FIXTURE_HTTPS=$!
  fixture_ready "$dir" "d$((n - 1))$suffix" "mta-sts.d$((n - 1))$suffix" && return 0
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
