#!/usr/bin/env bash
# The "node" fixture: hack/node.sh up before the first node test and down after the last, with
# the proof that the node leaves the machine as it found it: the same iptables rules and the
# same kernel settings kubelet touches, compared before `up` and after `down`.
#
#   fixture.sh up|down SNAPSHOT_DIR
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
node=$root/hack/node.sh
snapshots=$2

# What the node must not change, as text.
host_settings() {
  echo "== iptables"
  iptables-save 2>/dev/null | grep -v '^#' || echo "(no iptables)"
  echo "== ip6tables"
  ip6tables-save 2>/dev/null | grep -v '^#' || echo "(no ip6tables)"
  echo "== forwarding"
  cat /proc/sys/net/ipv4/ip_forward /proc/sys/net/ipv6/conf/all/forwarding
  echo "== routes"
  ip route show
  ip -6 route show
  echo "== sysctls kubelet sets"
  local name
  for name in vm/overcommit_memory vm/panic_on_oom kernel/panic kernel/panic_on_oops \
    kernel/keys/root_maxkeys kernel/keys/root_maxbytes; do
    echo "$name $(cat "/proc/sys/$name")"
  done
}

case $1 in
  up)
    mkdir -p "$snapshots"
    host_settings >"$snapshots/before.txt"
    "$node" up
    ;;
  down)
    "$node" down
    host_settings >"$snapshots/after.txt"
    if ! diff -u "$snapshots/before.txt" "$snapshots/after.txt"; then
      echo "the node changed the host's settings above" >&2
      exit 1
    fi
    echo "host settings unchanged (iptables, forwarding, routes, sysctls)"
    ;;
  *)
    echo "usage: $0 up|down SNAPSHOT_DIR" >&2
    exit 2
    ;;
esac
