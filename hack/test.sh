#!/usr/bin/env bash
# Runs every test: installs what is missing, builds, runs the unit tests (plain and under
# ASan+UBSan), the conformance vectors, the container images, the integration tests against real
# servers, and a short bounded run of each fuzzer, then the lint (hack/lint.sh: clang-format and
# clang-tidy).
# Exit status 0 only if all pass.
#
#   ./hack/test.sh            everything
#   FUZZ_SECONDS=60 ./hack/test.sh   longer fuzzing
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

"$root/hack/install-deps.sh"

# shellcheck source=hack/ccache-env.sh
. "$root/hack/ccache-env.sh"
jobs=$(nproc)

step() { printf '\n==> %s\n' "$*"; }

step "build (RelWithDebInfo)"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$jobs"

step "build unit tests and the probe integration tests under ASan+UBSan"
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DMTASTS_SANITIZE=ON >/dev/null
cmake --build build-asan -j "$jobs" --target unit-tests probe_integration_test mailstack_probe_test

step "build fuzzers (clang, libFuzzer)"
cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMTASTS_FUZZ=ON \
  -DCMAKE_CXX_COMPILER=clang++ >/dev/null
cmake --build build-fuzz -j "$jobs" --target fuzzers

step "unit tests, and the TLS probes against real servers, under ASan+UBSan"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
  LSAN_OPTIONS=suppressions=$root/hack/lsan.supp UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build-asan -L 'unit|sanitize' -j "$jobs" --output-on-failure

step "fuzzers, ${FUZZ_SECONDS:-10}s each"
FUZZ_SECONDS=${FUZZ_SECONDS:-10} "$root/hack/fuzz.sh" build-fuzz

# Cold, this builds kube-apiserver, etcd and kubectl from source (tens of minutes on 2 cores),
# here rather than inside a test's timeout; warm, it only checks the cache.
step "local Kubernetes control plane (hack/controlplane.sh build)"
"$root/hack/controlplane.sh" build

# Cold, this builds external-dns from its module (minutes); warm, it only checks the cache.
step "external-dns and the pinned CRDs (hack/dnsstack.sh build)"
"$root/hack/dnsstack.sh" build

# Cold, this builds helm from its module (minutes); warm, it only checks the cache.
step "helm for the chart tests (hack/helm.sh build)"
"$root/hack/helm.sh" build

# Cold, this builds gitops-status from its module (a minute or two); warm, it only checks the cache.
step "gitops-status and the Argo CD and Flux CRDs (hack/gitops.sh build)"
"$root/hack/gitops.sh" build

# Alone, before the rest: cold, it makes three Debian bases and compiles in the image's build
# stage (README, "Images"); warm, it takes seconds.
step "the images: build, smoke run, checks (label image)"
ctest --test-dir build -L image --output-on-failure

step "all other tests"
ctest --test-dir build -j "$jobs" -LE image --output-on-failure

step "lint: clang-format, clang-tidy (hack/lint.sh)"
LINT_BUILD_DIR=build LINT_JOBS=$jobs "$root/hack/lint.sh"
