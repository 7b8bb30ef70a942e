#!/usr/bin/env bash
# The local control plane answers as a cluster would: ready, RBAC enforced for anyone outside
# system:masters, and a ConfigMap written through kube-apiserver is read back and deleted.
set -euo pipefail
k() { "${MTASTS_CONTROLPLANE:?run under ctest or set MTASTS_CONTROLPLANE}" kubectl "$@"; }
fail() {
  echo "FAIL: $*" >&2
  exit 1
}

[[ $(k get --raw /readyz) == ok ]] || fail "/readyz is not ok"
[[ $(k auth can-i list configmaps) == yes ]] || fail "the admin may not list configmaps"
if k auth can-i list configmaps --as=somebody >/dev/null; then
  fail "RBAC is off: an unknown user may list configmaps"
fi

name=smoke-$$
k apply -f - <<YAML
apiVersion: v1
kind: ConfigMap
metadata:
  name: $name
  namespace: default
data:
  greeting: hello
YAML
[[ $(k get configmap "$name" -o jsonpath='{.data.greeting}') == hello ]] ||
  fail "configmap $name did not read back"
k delete configmap "$name" --wait=true
if k get configmap "$name" >/dev/null 2>&1; then fail "configmap $name is still there"; fi
echo "PASS: ready, RBAC on, configmap apply/get/delete"
