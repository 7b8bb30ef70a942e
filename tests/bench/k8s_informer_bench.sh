#!/usr/bin/env bash
# Runs the informer benchmark against the local control plane: starts it if it is not up (and
# stops it again afterwards), installs the Widget CRD, and prints the figures.
#
#   tests/bench/k8s_informer_bench.sh [BUILD_DIR] [N]     defaults: build 10000
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
n=${2:-10000}
cp=$root/hack/controlplane.sh

started=
if ! "$cp" status >/dev/null 2>&1; then
  "$cp" up >&2
  started=yes
fi
cleanup() { if [[ -n $started ]]; then "$cp" down >&2; fi; }
trap cleanup EXIT

eval "$("$cp" env)"
"$cp" kubectl apply -f "$root/tests/integration/k8s/testdata/widgets-crd.yaml" >&2
"$cp" kubectl wait --for=condition=Established --timeout=60s crd/widgets.test.mtasts.io >&2
cmake --build "$build" --target k8s_informer_bench >&2
"$build/tests/bench/k8s_informer_bench" "$n"
