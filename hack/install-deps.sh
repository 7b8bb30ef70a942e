#!/usr/bin/env bash
# Installs every system dependency of the build, the tests and the demo, with apt.
# Idempotent: when every package is present it does nothing and asks no mirror.
# Run as root on Debian 12 (bookworm).
set -euo pipefail

packages=(
  # build
  build-essential cmake ninja-build pkg-config ccache git
  libcpprest-dev libyaml-cpp-dev libc-ares-dev libssl-dev nlohmann-json3-dev zlib1g-dev
  libgtest-dev libgmock-dev
  # fuzzing (libFuzzer ships in clang's runtime)
  clang libclang-rt-14-dev llvm
  # lint (hack/lint.sh)
  clang-format clang-tidy
  # the local mail stack and the sending-side peer
  nsd nginx-light openssl python3 python3-aiosmtpd postfix-mta-sts-resolver dnsutils
  # the DNS world external-dns publishes into (hack/dnsstack.sh); patch trims external-dns
  bind9 bind9-utils patch
  # the operator's test world: the CA issuer signs with cryptography, reads kubeconfig with yaml
  python3-cryptography python3-yaml
  # the images (hack/image.sh): Debian bases, an offline build, a smoke run; no daemon
  mmdebstrap buildah podman runc
  # tools the scripts use
  curl ca-certificates procps util-linux iproute2 time unzip
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "install-deps: missing packages: ${missing[*]}; run this script as root" >&2
    exit 1
  fi
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # Services that packages would start (nsd and named on :53, nginx on :80) are not wanted: the
  # tests start their own instances on loopback. policy-rc.d stops the package scripts starting
  # them.
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
