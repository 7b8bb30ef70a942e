#!/usr/bin/env bash
# Benchmark of the operator on the local control plane with N MtaStsPolicies (default 10,000):
# the first rollout (N new policies to all served and all announced), steady and peak RSS,
# apply→served and apply→announced for single changes under that load, served→announced, writes
# while idle, the cold start (the operator started afresh with every policy rolled out and an empty
# serve directory, as a new pod: to all served and verified, writing nothing); and in the same run
# the anchor, client-go informers over the same objects (tests/bench/informer_anchor). Prints each
# figure beside its target.
#
#   tests/bench/operator_bench.sh [N]                  defaults: 10000, idle 600 s, 50 changes
#   BENCH_IDLE_SECONDS=60 BENCH_SAMPLES=20 tests/bench/operator_bench.sh 1000    a quick run
#
# Environment: BENCH_WORKERS (the operator's --workers, default 8), BENCH_IDLE_SECONDS,
# BENCH_SAMPLES, MTASTS_OPERATOR (default build/controller/mta-sts-operator), BENCH_KEEP=1 keeps
# the work directory (logs, figures.json) after a run that succeeded, BENCH_OPERATOR_WRAPPER runs
# the operator under a command to find out where time or memory goes (e.g. "heaptrack -o DIR/ht",
# "env MALLOC_ARENA_MAX=2"; the figures then include its cost).
#
# It holds /tmp/mtasts-k8s.lock for the whole run and starts the control plane afresh (a clean
# etcd), stopping it at the end. Stand-ins, so that only the operator is measured: issuer.py
# plays cert-manager's CA issuer (ECDSA P-256 Secrets from a throwaway CA, Certificates marked
# Ready), dns_standin.py plays external-dns and the DNS server (the records of the DNSEndpoints,
# answered at once). nginx runs the production config (charts/mta-sts-operator/files/nginx.conf)
# with the serve directory as its prefix. Needs root (nginx's workers run as nobody).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
n=${1:-10000}
here=$root/tests/bench/operator_bench
operator=${MTASTS_OPERATOR:-$root/build/controller/mta-sts-operator}
cp=$root/hack/controlplane.sh
python=/usr/bin/python3  # Debian's, with python3-cryptography and python3-yaml

log() { echo "operator_bench: $*" >&2; }
die() {
  log "$*"
  exit 2
}
[[ -x $operator ]] || die "no operator at $operator; build it (cmake --build build --target mta-sts-operator) or set MTASTS_OPERATOR"

# The anchor, built like the control plane's tools and cached by its client-go version and
# source, never in the repo.
cache=${XDG_CACHE_HOME:-$HOME/.cache}/mta-sts-operator
# shellcheck source=hack/lib/go.sh
source "$root/hack/lib/go.sh"
anchor_dir=$root/tests/bench/informer_anchor
client_go=$(pinned_version "$anchor_dir/go.mod" k8s.io/client-go)
source_hash=$(cat "$anchor_dir"/go.mod "$anchor_dir"/go.sum "$anchor_dir"/*.go | sha256sum | cut -c1-12)
anchor=$cache/bin/informer-anchor-client-go-$client_go-$source_hash/informer_anchor
go_build "$anchor" "$anchor_dir" . >/dev/null

eval "$("$root/hack/dnsstack.sh" env)"
[[ -d $DNSSTACK_CRDS ]] || die "no cert-manager/external-dns CRDs in $DNSSTACK_CRDS; run hack/dnsstack.sh build"

exec 9>/tmp/mtasts-k8s.lock
if ! flock -n 9; then
  log "waiting for /tmp/mtasts-k8s.lock (a test holds the control plane)"
  flock 9
fi

work=$(mktemp -d /tmp/operator-bench.XXXXXX)
chmod 0755 "$work"  # nginx's workers traverse it
pids=()
ok=
cleanup() {
  local pid
  for pid in "${pids[@]}"; do
    pkill -P "$pid" 2>/dev/null || true  # the issuer's signing processes
    kill "$pid" 2>/dev/null || true
  done
  if [[ -s $work/serve/logs/nginx.pid ]]; then kill -QUIT "$(cat "$work/serve/logs/nginx.pid")" 2>/dev/null || true; fi
  "$cp" down >&2 || true
  if [[ -n $ok && -z ${BENCH_KEEP:-} ]]; then rm -rf "$work"; else log "logs and figures kept in $work"; fi
}
trap cleanup EXIT

# A clean etcd: objects of an earlier run or test would be counted.
if "$cp" status >/dev/null 2>&1; then "$cp" down >&2; fi
"$cp" up >&2 9>&-
eval "$("$cp" env)"
kubectl apply -f "$root/crds/" -f "$DNSSTACK_CRDS/" >&2
kubectl wait --for=condition=Established --timeout=60s crd --all >&2

free_port() { "$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# The serve directory is nginx's prefix; its workers (nobody:nogroup) read certs/ through its group.
serve=$work/serve
mkdir -p "$serve/logs" "$serve/tmp"
chgrp nogroup "$serve"
chmod 0750 "$serve"
cp "$root/charts/mta-sts-operator/files/nginx.conf" "$serve/nginx.conf"
nginx_port=$(free_port)
echo "listen 127.0.0.1:$nginx_port ssl;" >"$serve/listen.conf"
echo "server 127.0.0.1:1;" >"$serve/intake.conf" # no report intake in this bench
nginx -p "$serve/" -c "$serve/nginx.conf" 9>&-

# No child keeps the lock's descriptor (9>&-): one left behind would hold the lock.
"$python" "$here/issuer.py" --kubeconfig "$KUBECONFIG" --ca-dir "$work/ca" >"$work/issuer.log" 2>&1 9>&- &
pids+=($!)
"$python" "$here/dns_standin.py" --kubeconfig "$KUBECONFIG" --port-file "$work/dns.port" \
  >"$work/dns.log" 2>&1 9>&- &
pids+=($!)
for _ in $(seq 100); do
  [[ -s $work/ca/ca.crt && -s $work/dns.port ]] && break
  sleep 0.1
done
[[ -s $work/ca/ca.crt && -s $work/dns.port ]] || die "the stand-ins did not start; see $work/issuer.log, $work/dns.log"

"$python" "$here/driver.py" --kubeconfig "$KUBECONFIG" --operator "$operator" --n "$n" \
  --serve-dir "$serve" --nginx-port "$nginx_port" --ca-file "$work/ca/ca.crt" \
  --dns-port "$(cat "$work/dns.port")" --anchor "$anchor" --work "$work" \
  --issuer-log "$work/issuer.log" --workers "${BENCH_WORKERS:-8}" \
  --samples "${BENCH_SAMPLES:-50}" --idle-seconds "${BENCH_IDLE_SECONDS:-600}" 9>&-
ok=yes
