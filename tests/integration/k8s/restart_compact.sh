#!/usr/bin/env bash
# The two disruptions the k8s tests stage: objects survive kube-apiserver restarts (SIGKILL and
# SIGTERM) because etcd keeps running, and after `compact` a list or a watch from an older
# resourceVersion gets 410 Gone, as it does in a cluster that compacted past a slow client.
set -euo pipefail
cp=${MTASTS_CONTROLPLANE:?run under ctest or set MTASTS_CONTROLPLANE}
k() { "$cp" kubectl "$@"; }
fail() {
  echo "FAIL: $*" >&2
  exit 1
}
api=/api/v1/namespaces/default/configmaps

name=restart-$$
k create configmap "$name" --from-literal=n=1 >/dev/null
old_rv=$(k get configmap "$name" -o jsonpath='{.metadata.resourceVersion}')
k patch configmap "$name" -p '{"data":{"n":"2"}}' >/dev/null

"$cp" compact
if out=$(k get --raw "$api?resourceVersion=$old_rv&resourceVersionMatch=Exact" 2>&1); then
  fail "a list at compacted resourceVersion $old_rv succeeded: $out"
fi
[[ $out == *Expired* || $out == *"too old"* || $out == *410* ]] ||
  fail "a list at compacted resourceVersion $old_rv failed without 410: $out"
events=$(k get --raw "$api?watch=true&resourceVersion=$old_rv&timeoutSeconds=5")
[[ $events == *'"type":"ERROR"'*'"code":410'* ]] ||
  fail "a watch from compacted resourceVersion $old_rv got no 410: $events"

for how in --kill --term; do
  "$cp" restart-apiserver "$how"
  [[ $(k get configmap "$name" -o jsonpath='{.data.n}') == 2 ]] ||
    fail "configmap $name lost across restart-apiserver $how"
done
k delete configmap "$name" >/dev/null
echo "PASS: 410 Gone after compact; objects survive SIGKILL and SIGTERM restarts"
