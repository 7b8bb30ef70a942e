#!/usr/bin/env bash
# TLS reports per second, side by side: the intake in process and over loopback HTTP
# (report_bench), then the real operator process (mta-sts-operator --report-bind-address) posted
# to directly, and through nginx with the production config over TLS, as senders reach it:
# https://mta-sts.<domain>/tlsrpt. The same client (report_poster.py) posts both, a new connection
# and report-id per report, each counted for a policy the operator manages; and fetches the policy
# from the same nginx over the same kind of connection, to show what TLS alone costs there.
#
#   tests/bench/report_bench.sh [BUILD_DIR] [COUNT]     (default: build, 2000 reports a run)
#
# Starts the local control plane if it is not up (and stops it again afterwards): the operator
# needs one. Run it under the control plane's lock when tests may run beside it.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
here=$root/tests/bench
build=${1:-$root/build}
count=${2:-2000}
cp=$root/hack/controlplane.sh
python=/usr/bin/python3
operator=$build/controller/mta-sts-operator
domain=bench.test
host=mta-sts.$domain
address=127.28.0.1 # nginx and the operator's ports, on an address of this bench's own

die() { echo "report_bench: $*" >&2; exit 1; }
cmake --build "$build" --target report_bench mta-sts-operator >&2

started=
if ! "$cp" status >/dev/null 2>&1; then
  "$cp" up >&2
  started=yes
fi
work=$(mktemp -d /tmp/report-bench.XXXXXX)
pids=()
namespace=report-bench-$$
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  [[ -f $work/serve/logs/nginx.pid ]] && kill -QUIT "$(cat "$work/serve/logs/nginx.pid")" 2>/dev/null
  "$cp" kubectl delete namespace "$namespace" --wait=false >/dev/null 2>&1 || true
  [[ -n $started ]] && "$cp" down >&2
  rm -rf "$work"
}
trap cleanup EXIT
eval "$("$cp" env)"

echo "== the intake in process and over loopback HTTP (report_bench)"
"$build/tests/bench/report_bench" 100 | head -n 2

# A policy host certificate from a throwaway CA, as nginx reads it: chain, then key, in one file.
serve=$work/serve
mkdir -p "$serve/certs" "$serve/www" "$serve/logs" "$serve/tmp" "$work/operator-serve"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=bench-ca \
  -keyout "$work/ca.key" -out "$work/ca.crt" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$host" \
  -keyout "$work/host.key" -out "$work/host.csr" 2>/dev/null
openssl x509 -req -in "$work/host.csr" -CA "$work/ca.crt" -CAkey "$work/ca.key" -days 2 \
  -set_serial 1 -extfile <(printf 'subjectAltName=DNS:%s\n' "$host") -out "$work/host.crt" 2>/dev/null
cat "$work/host.crt" "$work/host.key" >"$serve/certs/$host.pem"
mkdir "$serve/www/$host"
printf 'version: STSv1\r\nmode: testing\r\nmx: mx1.%s\r\nmax_age: 86400\r\n' "$domain" \
  >"$serve/www/$host/mta-sts.txt"
chmod -R a+rX "$work"
cp "$root/charts/mta-sts-operator/files/nginx.conf" "$serve/"
echo "listen $address:8443 ssl;" >"$serve/listen.conf"
echo "server $address:8082;" >"$serve/intake.conf"
nginx -q -p "$serve/" -c "$serve/nginx.conf" 9>&-

# The operator, for one namespace with one policy claiming the domain (its intake counts the
# reports of the domains its policies claim); its own serve dir, so nginx's stays as made above.
"$cp" kubectl apply -f "$root/crds/" >/dev/null
"$cp" kubectl wait --for=condition=Established --timeout=60s crd/mtastspolicies.mtasts.io >/dev/null
"$cp" kubectl create namespace "$namespace" >/dev/null
"$cp" kubectl apply -n "$namespace" -f - >/dev/null <<EOF
apiVersion: mtasts.io/v1alpha1
kind: MtaStsPolicy
metadata: {name: bench}
spec: {domain: $domain, mode: testing, mx: [mx1.$domain]}
EOF
"$operator" --kubeconfig "$KUBECONFIG" --namespace "$namespace" --leader-elect=false \
  --serve-dir "$work/operator-serve" --metrics-bind-address "$address:8080" \
  --health-probe-bind-address "$address:8081" --report-bind-address "$address:8082" \
  >"$work/operator.log" 2>&1 9>&- &
pids+=($!)
for _ in $(seq 100); do
  if curl -s -o /dev/null "http://$address:8081/readyz"; then break; fi
  sleep 0.1
done
nginx_pid=$(cat "$serve/logs/nginx.pid")
nginx_workers=$(pgrep -P "$nginx_pid" | paste -sd,)

post() { "$python" "$here/report_poster.py" --domain "$domain" --count "$count" "$@"; }
# Ready (/readyz) means its caches hold the policy; this waits for the intake to count.
for _ in $(seq 100); do
  post --address "$address" --port 8082 --count 1 >/dev/null 2>&1 && break
  sleep 0.2
done

tls=(--address "$address" --port 8443 --tls-host "$host" --ca-file "$work/ca.crt")
for concurrency in 1 8; do
  echo "== concurrency $concurrency, a connection per report"
  printf 'the operator, HTTP straight to its intake:    '
  post --address "$address" --port 8082 --concurrency "$concurrency" --cpu "operator=${pids[0]}"
  printf 'through nginx, HTTPS to %s/tlsrpt: ' "$host"
  post "${tls[@]}" --concurrency "$concurrency" --cpu "operator=${pids[0]}" \
    --cpu "nginx=$nginx_workers"
  printf 'the same nginx, GET of the policy (no intake):   '
  post "${tls[@]}" --concurrency "$concurrency" --cpu "nginx=$nginx_workers" --policy
done
echo "load $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores"
