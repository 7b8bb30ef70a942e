#!/usr/bin/env bash
# The rollout, told as it happens: installs what is missing, builds the operator (cold, this
# builds kube-apiserver, etcd and external-dns from their Go modules too: progress is shown),
# starts the local control plane and BIND9, then hack/story/story.py runs the operator, nginx,
# external-dns, the CA issuer and an SMTP server for the MX on loopback, applies
# examples/example-test.yaml (target enforce, a 30-second testing period) and narrates: served,
# announced, validated, promoted, ending with postfix-mta-sts-resolver fetching the enforce
# policy. Everything it started is stopped at the end. Exit status 0 once the sender holds it.
#
#   ./hack/story.sh           (as root on Debian 12; no arguments, no terminal needed)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

step() { printf '\n==> %s\n' "$*"; }

step "dependencies"
"$root/hack/install-deps.sh"

step "build mta-sts-operator and mtasts (build/, ccache in ~/.cache/mta-sts-operator)"
# shellcheck source=hack/ccache-env.sh
. "$root/hack/ccache-env.sh"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
# Ninja's [done/total] lines, one per twentieth of the build, so a cold build shows it moves.
cmake --build build -j "$(nproc)" --target mta-sts-operator mtasts |
  awk -F'[][/]' '/^\[[0-9]+\/[0-9]+\]/ { p = int($2 * 20 / $3); if (p != last) print; last = p; next }
                 { print }'

step "the control plane and external-dns (built from their pinned Go modules when not cached)"
"$root/hack/controlplane.sh" build
"$root/hack/dnsstack.sh" build

# One user of the control plane and BIND9 at a time (the tests take the same lock).
exec 9>/tmp/mtasts-k8s.lock
flock 9
cleanup() {
  "$root/hack/dnsstack.sh" down >/dev/null 2>&1 || true
  "$root/hack/controlplane.sh" down >/dev/null 2>&1 || true
}
trap cleanup EXIT
step "start the control plane and BIND9"
"$root/hack/controlplane.sh" up
"$root/hack/dnsstack.sh" up
eval "$("$root/hack/controlplane.sh" env)"

step "the story"
MTASTS_OPERATOR=$root/build/controller/mta-sts-operator MTASTS_CLI=$root/build/src/cli/mtasts \
  PYTHONDONTWRITEBYTECODE=1 /usr/bin/python3 "$root/hack/story/story.py"
