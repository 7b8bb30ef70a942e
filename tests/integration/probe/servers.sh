#!/usr/bin/env bash
# Throwaway servers for the probe and dns integration tests, on loopback only:
#   NSD      127.77.3.53:5353  zones probe.test and delegated.test (+ broken.probe.test: SERVFAIL)
#   HTTPS    127.77.3.10:8443  one policy host per test domain, chosen by SNI and Host
#   SMTP     127.77.3.21-27:2525  good, no STARTTLS, bytes after 220, expired, wrong name,
#                                 untrusted, TLS 1.0 only
# Certificates come from a test CA made here (and a second CA nobody trusts).
#
#   servers.sh up DIR     generate into DIR and start everything; returns once all answer
#   servers.sh down DIR   stop what `up` started (by pid)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cmd=${1:-}
dir=${2:-}
[[ -n $cmd && -n $dir ]] || { sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
python=/usr/bin/python3

stop() {
  local pidfile=$1 pid i
  [[ -s $pidfile ]] || return 0
  pid=$(cat "$pidfile")
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$pidfile"
}

# issue NAME CA DNS-NAMES [openssl ca date options...]: a P-256 leaf signed by CA.
issue() {
  local name=$1 ca=$2 sans=$3
  shift 3
  local pki=$dir/pki
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$name" \
    -keyout "$pki/$name.key" -out "$pki/$name.csr" 2>/dev/null
  printf 'subjectAltName=%s\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' "$sans" \
    >"$pki/$name.ext"
  : >"$pki/$ca.index"
  openssl ca -batch -notext -rand_serial -config "$pki/ca.cnf" -name "$ca" \
    -extfile "$pki/$name.ext" -in "$pki/$name.csr" -out "$pki/$name.crt" "$@" 2>/dev/null
}

make_pki() {
  local pki=$dir/pki
  mkdir -p "$pki/issued"
  for ca in ca rogue; do
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 \
      -subj "/CN=Probe Test ${ca^^}" -keyout "$pki/$ca.key" -out "$pki/$ca.crt" \
      -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign 2>/dev/null
  done
  for ca in ca rogue; do
    printf '[%s]\ndatabase=%s\nnew_certs_dir=%s\ncertificate=%s\nprivate_key=%s\nserial=%s\n' \
      "$ca" "$pki/$ca.index" "$pki/issued" "$pki/$ca.crt" "$pki/$ca.key" "$pki/$ca.serial"
    printf 'default_md=sha256\npolicy=any\nunique_subject=no\ndefault_days=20\n'
  done >"$pki/ca.cnf"
  printf '[any]\ncommonName=supplied\n' >>"$pki/ca.cnf"
  issue good ca "DNS:mx.good.probe.test,DNS:*.good.probe.test,DNS:mta-sts.good.probe.test"
  issue policy ca "$(sed 's/\([^ ]*\)/DNS:mta-sts.\1.probe.test/g; s/ /,/g' <<<"good redirect html big bigchunked exact chunked missing delegated slow")"
  issue expired ca "DNS:mx.expired.probe.test,DNS:mta-sts.expired.probe.test" \
    -startdate 20200101000000Z -enddate 20210101000000Z
  issue expiring ca "DNS:mx.expiring.probe.test" -days 3
  issue wrongname ca "DNS:other.probe.test,DNS:mta-sts.other.probe.test"
  issue untrusted rogue "DNS:mx.untrusted.probe.test,DNS:mta-sts.untrusted.probe.test"
}

start_nsd() {
  local dns=$dir/dns
  mkdir -p "$dns"
  cp "$here/probe.test.zone" "$here/delegated.test.zone" "$dns/"
  cat >"$dns/nsd.conf" <<CONF
server:
  ip-address: 127.77.3.53@5353
  username: ""
  chroot: ""
  database: ""
  zonesdir: "$dns"
  pidfile: "$dns/nsd.pid"
  logfile: "$dns/nsd.log"
  xfrdfile: "$dns/xfrd.state"
  zonelistfile: "$dns/zone.list"
  verbosity: 1
remote-control:
  control-enable: no
zone:
  name: probe.test
  zonefile: probe.test.zone
zone:
  name: delegated.test
  zonefile: delegated.test.zone
zone:
  name: broken.probe.test
  zonefile: missing.zone
CONF
  nsd -c "$dns/nsd.conf"  # daemonizes and writes its pidfile
}

wait_for() {  # wait_for WHAT COMMAND...: up to 10 s
  local what=$1 i
  shift
  for ((i = 0; i < 100; i++)); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "servers.sh: $what did not come up; see $dir" >&2
  return 1
}

case $cmd in
  up)
    "$0" down "$dir"
    rm -rf "$dir"
    mkdir -p "$dir"
    make_pki
    start_nsd
    cd "$dir"
    nohup "$python" "$here/servers.py" "$dir/pki" >"$dir/servers.log" 2>&1 &
    echo $! >"$dir/servers.pid"
    wait_for NSD dig +time=1 +tries=1 -p 5353 @127.77.3.53 probe.test SOA +short
    wait_for "the python servers" grep -q '^ready' "$dir/servers.log"
    ;;
  down)
    stop "$dir/servers.pid"
    stop "$dir/dns/nsd.pid"
    ;;
  *)
    echo "servers.sh: unknown command $cmd (up or down)" >&2
    exit 2
    ;;
esac
