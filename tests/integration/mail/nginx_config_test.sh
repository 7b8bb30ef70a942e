#!/usr/bin/env bash
# Tests the production nginx config (charts/mta-sts-operator/files/nginx.conf) as the mail stack
# runs it: only GET/HEAD of the policy file, the right headers, no redirects, hostile or unknown
# SNI never serves anything, a policy or a certificate with its key (one file, certs/<host>.pem,
# read by both ssl_ directives) replaced by rename is served on the next request or handshake
# with no reload, any User-Agent. Needs the stack (ctest fixture "mailstack") and its MAILSTACK_* environment.
set -euo pipefail

: "${MAILSTACK_CA_FILE:?run under ctest or after: eval \"\$(hack/mailstack.sh env)\"}"
addr=$MAILSTACK_HTTPS_ADDRESS
port=$MAILSTACK_HTTPS_PORT
prefix=$MAILSTACK_NGINX_PREFIX
good=mta-sts.good.test
scratch=mta-sts.scratch.test
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

pass() { echo "ok   $*"; }
fail() { echo "FAIL $*"; failures=$((failures + 1)); }
expect_eq() { # expect_eq WHAT ACTUAL EXPECTED
  if [[ $2 == "$3" ]]; then pass "$1"; else fail "$1: got '$2', want '$3'"; fi
}

# fetch HOST [curl args...]: prints the status; headers in $work/h, body in $work/b.
fetch() {
  local host=$1
  shift
  curl -s --max-time 10 --cacert "$MAILSTACK_CA_FILE" --resolve "$host:$port:$addr" \
    -D "$work/h" -o "$work/b" -w '%{http_code}' "$@" || true
}
fetch_policy() { fetch "$1" "https://$1:$port/.well-known/mta-sts.txt" "${@:2}"; }
header() { grep -i "^$1:" "$work/h" | head -n1 | cut -d' ' -f2- | tr -d '\r'; }

# handshake SNI: prints what a raw TLS client got for a GET with that SNI (empty: no handshake).
handshake() {
  printf 'GET /.well-known/mta-sts.txt HTTP/1.0\r\nHost: %s\r\n\r\n' "$good" |
    timeout 10 openssl s_client -quiet -connect "$addr:$port" "$@" 2>/dev/null || true
}

# The chart's files (nginx.conf with the production listen.conf and intake.conf) parse as shipped.
test_production_files_parse() {
  local files chart
  files=$(cd "$(dirname "$0")/../../.." && pwd)/charts/mta-sts-operator/files
  chart=$work/chart-prefix
  mkdir -p "$chart/logs" "$chart/tmp"
  cp "$files/nginx.conf" "$files/listen.conf" "$files/intake.conf" "$chart/"
  expect_eq "chart files pass nginx -t" \
    "$(nginx -q -t -p "$chart/" -c "$chart/nginx.conf" 2>&1 && echo valid)" valid
}

test_policy_get_and_head() {
  expect_eq "GET policy status" "$(fetch_policy $good)" 200
  expect_eq "GET policy body is the file" "$(cmp -s "$work/b" "$prefix/www/$good/mta-sts.txt" &&
    echo same)" same
  expect_eq "Content-Type" "$(header Content-Type)" "text/plain; charset=utf-8"
  expect_eq "Cache-Control" "$(header Cache-Control)" "no-cache"
  expect_eq "HEAD policy status" "$(fetch_policy $good -I)" 200
  expect_eq "HEAD Content-Type" "$(header Content-Type)" "text/plain; charset=utf-8"
  expect_eq "GET with a query string" \
    "$(fetch "$good" "https://$good:$port/.well-known/mta-sts.txt?x=1")" 200
}

test_other_methods_and_paths() {
  local method path
  for method in POST PUT DELETE OPTIONS PATCH; do
    expect_eq "$method policy -> 405" "$(fetch_policy $good -X "$method" -d x)" 405
    expect_eq "$method has no Location" "$(header Location)" ""
    expect_eq "$method is told what is allowed" "$(header Allow)" "GET, HEAD"
  done
  for path in / /.well-known /.well-known/ /.well-known/mta-sts.txt/ /mta-sts.txt \
    /certs/$good.pem /www/$good/mta-sts.txt /.well-known/../nginx.conf /nginx.conf \
    /logs/error.log; do
    expect_eq "GET $path -> 404" "$(fetch "$good" --path-as-is "https://$good:$port$path")" 404
    expect_eq "GET $path has no Location" "$(header Location)" ""
  done
  # Above the root nginx answers 400 before any location is chosen.
  for path in /../nginx.conf /../../etc/passwd /.well-known/../../certs/$good.pem; do
    expect_eq "GET $path -> 400" "$(fetch "$good" --path-as-is "https://$good:$port$path")" 400
  done
  expect_eq "POST / -> 404" "$(fetch "$good" -X POST -d x "https://$good:$port/")" 404
}

test_hostile_sni() {
  local sni long
  long=mta-sts.$(printf 'a%.0s' {1..247}) # 255 characters: above the 253 the map admits
  for sni in "../../etc/passwd" "mta-sts.good.test/../../../etc/passwd" "MTA-STS.GOOD.TEST" \
    "$long" "mta-sts.unknown.test" "good.test" "mta-sts..test" "mta-sts.good.test%00"; do
    expect_eq "SNI '${sni:0:40}' gets no handshake" "$(handshake -servername "$sni")" ""
  done
  expect_eq "no SNI gets no handshake" "$(handshake -noservername)" ""
  expect_eq "hostile SNI never reaches a path" \
    "$(grep -c passwd "$prefix/logs/error.log" || true)" 0
  expect_eq "nginx survives" "$(fetch_policy $good)" 200
}

test_tls_versions() {
  expect_eq "TLS 1.1 refused" "$(fetch_policy $good --tlsv1.1 --tls-max 1.1)" 000
  expect_eq "TLS 1.2 served" "$(fetch_policy $good --tlsv1.2 --tls-max 1.2)" 200
}

test_rename_is_served_at_once() {
  local dir=$prefix/www/$scratch round
  for round in 1 2 3; do
    printf 'version: STSv1\r\nmode: none\r\nmax_age: %d\r\n' "$round" >"$dir/.mta-sts.txt.tmp"
    mv "$dir/.mta-sts.txt.tmp" "$dir/mta-sts.txt"
    expect_eq "rename $round status" "$(fetch_policy $scratch)" 200
    expect_eq "rename $round served at once" "$(tail -n1 "$work/b" | tr -d '\r')" "max_age: $round"
  done
}

# served_serial HOST: the serial of the certificate nginx presents for HOST.
served_serial() {
  timeout 10 openssl s_client -connect "$addr:$port" -servername "$1" </dev/null 2>/dev/null |
    openssl x509 -noout -serial
}

# replace_by_rename SOURCE DEST: what the operator's syncer does (write a temp file, rename).
replace_by_rename() {
  cp "$1" "$2.tmp"
  chmod 644 "$2.tmp"
  mv -fT "$2.tmp" "$2"
}

# nginx_pid: the master's pid; a reload would keep it, so reloads are told by the log below.
nginx_pid() { cat "$prefix/logs/nginx.pid"; }
reloads() { grep -c 'signal 1 (SIGHUP)\|reconfiguring' "$prefix/logs/error.log" || true; }

test_certificate_renewal_is_served_at_once() {
  local certs=$prefix/certs pki=$MTASTS_MAILSTACK_DIR/pki saved pid reloaded
  saved=$(readlink "$certs/$scratch.pem")
  pid=$(nginx_pid)
  reloaded=$(reloads)
  expect_eq "the stack's file holds the certificate, then its key" \
    "$(grep -o 'BEGIN [A-Z ]*' "$certs/$scratch.pem" | tr '\n' ,)" \
    "BEGIN CERTIFICATE,BEGIN PRIVATE KEY,"
  printf 'subjectAltName=DNS:%s\n' "$scratch" >"$work/ext"
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$scratch" \
    -keyout "$work/renewed.key" -out "$work/renewed.csr" 2>/dev/null
  openssl x509 -req -in "$work/renewed.csr" -CA "$pki/test-ca.crt" -CAkey "$pki/test-ca.key" \
    -days 2 -set_serial "0x$(openssl rand -hex 8)" -extfile "$work/ext" \
    -out "$work/renewed.crt" 2>/dev/null
  # A new certificate with a new key: one file, one rename, as the operator's syncer writes it.
  cat "$work/renewed.crt" "$pki/test-ca.crt" "$work/renewed.key" >"$work/renewed.pem"
  replace_by_rename "$work/renewed.pem" "$certs/$scratch.pem"
  expect_eq "renewed certificate served at the next handshake" "$(served_serial $scratch)" \
    "$(openssl x509 -in "$work/renewed.crt" -noout -serial)"
  expect_eq "renewed certificate verifies" "$(fetch_policy $scratch)" 200
  ln -sfn "$saved" "$certs/$scratch.pem"
  expect_eq "the stack's certificate is back" "$(served_serial $scratch)" \
    "$(openssl x509 -in "$certs/$scratch.pem" -noout -serial)"
  expect_eq "no reload: the same master" "$(nginx_pid)" "$pid"
  expect_eq "no reload: none logged" "$(reloads)" "$reloaded"
}

test_user_agents() {
  local big
  big=$(head -c 16384 /dev/zero | tr '\0' 'U')
  expect_eq "16 KiB User-Agent" "$(fetch_policy $good -A "$big")" 200
  expect_eq "no User-Agent" "$(fetch_policy $good -A '')" 200
  expect_eq "mail-server User-Agent" "$(fetch_policy $good -A 'postfix-mta-sts-resolver')" 200
  expect_eq "HTTP/1.0 without Host" "$(printf 'GET /.well-known/mta-sts.txt HTTP/1.0\r\n\r\n' |
    timeout 10 openssl s_client -quiet -connect "$addr:$port" -servername $good 2>/dev/null |
    head -n1 | tr -d '\r')" "HTTP/1.1 200 OK"
  { printf 'X-Big: '; head -c 200000 /dev/zero | tr '\0' 'U'; } >"$work/big-header"
  expect_eq "200 KB header refused cleanly" "$(fetch_policy $good -H @"$work/big-header")" 400
  expect_eq "nginx survives" "$(fetch_policy $good)" 200
}

test_production_files_parse
test_policy_get_and_head
test_other_methods_and_paths
test_hostile_sni
test_tls_versions
test_rename_is_served_at_once
test_certificate_renewal_is_served_at_once
test_user_agents

if ((failures)); then
  echo "$failures check(s) failed"
  exit 1
fi
echo "all checks passed"
