#!/usr/bin/env bash
# Runs the syncer benchmark against the local control plane: starts it if it is not up (and stops
# it again afterwards), and prints the figures.
#
#   tests/bench/syncer_bench.sh [BUILD_DIR] [N] [SERVE_DIR] [NAMESPACE]
#   defaults: build 10000, a /tmp folder, a new namespace (see syncer_bench.cc)
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
cmake --build "$build" --target syncer_bench >&2
"$build/tests/bench/syncer_bench" "$n" "${3:-}" ${4:+"$4"}
