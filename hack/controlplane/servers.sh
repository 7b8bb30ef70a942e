# shellcheck shell=bash
# Starts etcd and kube-apiserver on 127.0.0.1 and answers whether they are ready. Flags follow
# envtest's recipe: etcd without fsync (tests need speed, not durability), kube-apiserver with
# RBAC, client-certificate auth and service-account signing. The endpoint reconciler is off
# because it refuses a loopback address (and nothing here routes to the "kubernetes" Service).
# Sourced by hack/controlplane.sh.

curl_apiserver() {
  curl -sS --max-time 5 --cacert "$pki/ca.crt" --cert "$pki/admin.crt" --key "$pki/admin.key" \
    "$@"
}

# Ready means /readyz passes and the bootstrap has created the "default" namespace, which
# /readyz does not wait for and which most tests use at once.
apiserver_ready() {
  running kube-apiserver && [[ -r $pki/admin.key ]] || return 1
  [[ $(curl_apiserver "https://127.0.0.1:$apiserver_port/readyz" 2>/dev/null) == ok ]] &&
    [[ $(curl_apiserver -o /dev/null -w '%{http_code}' \
      "https://127.0.0.1:$apiserver_port/api/v1/namespaces/default" 2>/dev/null) == 200 ]]
}

etcd_healthy() {
  curl -fsS --max-time 2 "http://127.0.0.1:$etcd_port/health" 2>/dev/null | grep -q '"health":"true"'
}

# etcd_call PATH JSON: one request to etcd's JSON gateway; prints the answer, fails on an error.
etcd_call() {
  local answer
  answer=$(curl -sS --max-time 10 -X POST "http://127.0.0.1:$etcd_port$1" -d "$2") ||
    die "etcd did not answer ${1}"
  [[ $answer != *'"error"'* ]] || die "etcd ${1}: ${answer}"
  echo "$answer"
}

etcd_revision() {
  etcd_call /v3/maintenance/status '{}' | sed -n 's/.*"revision":"\([0-9]*\)".*/\1/p'
}

# Compacts etcd to its current revision and records it where kube-apiserver's own compactor
# does (the key compact_rev_key), so the apiserver learns of it as of its own compactions.
# Prints the revision.
compact_etcd() {
  local revision key
  revision=$(etcd_revision)
  [[ -n $revision ]] || die "cannot read etcd's revision"
  etcd_call /v3/kv/compaction "{\"revision\":\"${revision}\",\"physical\":true}" >/dev/null
  key=$(printf compact_rev_key | base64 -w0)
  etcd_call /v3/kv/put "{\"key\":\"${key}\",\"value\":\"$(printf '%s' "$revision" | base64 -w0)\"}" \
    >/dev/null
  echo "$revision"
}

# Kills what a crashed or interrupted run left behind and makes sure the ports are ours.
cleanup_leftovers() {
  mkdir -p "$state"
  stop_process kube-apiserver KILL
  stop_process etcd KILL
  rm -rf "$state/etcd-data" "$kubeconfig"
  : >"$state/etcd.log"
  : >"$state/kube-apiserver.log"
  local port
  for port in "$apiserver_port" "$etcd_port" "$etcd_peer_port"; do wait_port_free "$port"; done
}

start_etcd() {
  local client=http://127.0.0.1:$etcd_port peer=http://127.0.0.1:$etcd_peer_port
  launch etcd "$etcd_bin" --name=mtasts --data-dir="$state/etcd-data" \
    --listen-client-urls="$client" --advertise-client-urls="$client" \
    --listen-peer-urls="$peer" --initial-advertise-peer-urls="$peer" \
    --initial-cluster="mtasts=$peer" --initial-cluster-state=new --unsafe-no-fsync
  wait_until etcd 60 etcd_healthy
}

start_apiserver() {
  wait_port_free "$apiserver_port"
  launch kube-apiserver "$apiserver_bin" \
    --bind-address=127.0.0.1 --advertise-address=127.0.0.1 --secure-port="$apiserver_port" \
    --etcd-servers="http://127.0.0.1:$etcd_port" \
    --tls-cert-file="$pki/apiserver.crt" --tls-private-key-file="$pki/apiserver.key" \
    --client-ca-file="$pki/ca.crt" --cert-dir="$state/apiserver-certs" \
    --authorization-mode=RBAC \
    --service-account-issuer="https://127.0.0.1:$apiserver_port" \
    --service-account-key-file="$pki/sa.pub" --service-account-signing-key-file="$pki/sa.key" \
    --service-cluster-ip-range=10.0.0.0/24 --profiling=false \
    --endpoint-reconciler-type=none
  wait_until kube-apiserver 120 apiserver_ready
}
