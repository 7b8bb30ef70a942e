#!/usr/bin/env bash
# A one-node Kubernetes cluster on loopback, for running the operator as a real Pod: a control
# plane of its own (hack/controlplane.sh in its own folder, on its own ports), containerd 2 with
# runc, kubelet, kube-scheduler and kube-controller-manager, all built from the Go modules
# pinned in hack/tools/ (kubelet and the controllers from kube-apiserver's release). Images are
# imported from archives, never pulled: the sandbox image is built here from Kubernetes' pause.c.
#
# The node has no Service network (no kube-proxy: it would rewrite iptables), so a pod that calls
# kube-apiserver runs with hostNetwork and is told the apiserver's loopback address
# (KUBERNETES_SERVICE_HOST/PORT, printed by `env`). The node changes no iptables rule, route or
# forwarding setting; kubelet sets a few kernel sysctls on start, which `down` restores.
# Needs root, runc (Debian's), buildah and a static libc (for the pause image); tried on cgroup v1.
#
#   hack/node.sh build            build (or reuse) every binary and the pause image (cached)
#   hack/node.sh up               start the control plane and the node; wait until it is Ready
#   hack/node.sh down             stop everything, remove the pods' containers, mounts and
#                                 cgroups, restore the sysctls; the logs stay in the state folder
#   hack/node.sh import ARCHIVE   import an OCI or docker image archive for pods to run
#                                 (imagePullPolicy: Never or IfNotPresent)
#   hack/node.sh env              print the exports for kubectl and for pods: KUBECONFIG, PATH,
#                                 MTASTS_NODE_APISERVER_HOST/PORT, MTASTS_NODE_PAUSE_IMAGE
#   hack/node.sh kubectl ARGS...  run the matching kubectl against the node's control plane
#   hack/node.sh status           say what runs; exit 0 only when the node is Ready
#
# Environment:
#   MTASTS_NODE_DIR               state: configuration, containerd's and kubelet's folders, logs
#                                 (default /tmp/mta-sts-node)
#   MTASTS_NODE_APISERVER_PORT    its kube-apiserver's port on 127.0.0.1 (default 26443)
#   MTASTS_NODE_ETCD_PORT         its etcd's client port (default 22379; peer port +1)
#   MTASTS_NODE_KUBELET_PORT      kubelet's port on 127.0.0.1 (default 20250; its health port is
#                                 2 below, the scheduler's 9 above, the controller-manager's 7)
#   XDG_CACHE_HOME                binaries and Go caches live under $XDG_CACHE_HOME/mta-sts-operator
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=hack/node/lib.sh
source "$root/hack/node/lib.sh"
# shellcheck source=hack/node/build.sh
source "$root/hack/node/build.sh"
# shellcheck source=hack/node/config.sh
source "$root/hack/node/config.sh"
# shellcheck source=hack/node/servers.sh
source "$root/hack/node/servers.sh"

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; }

main() {
  local cmd=${1:-}
  (($#)) && shift
  case $cmd in
    build) cmd_build ;;
    up) cmd_up ;;
    down) cmd_down ;;
    import) cmd_import "$@" ;;
    env) cmd_env ;;
    kubectl) kubectl_node "$@" ;;
    status) cmd_status ;;
    -h | --help | help) usage ;;
    "") die "no command given; see '$0 --help'" ;;
    *) die "unknown command '${cmd}'; see '$0 --help'" ;;
  esac
}

cmd_build() {
  local start=$SECONDS
  "$root/hack/controlplane.sh" build
  build_node >/dev/null
  log "binaries and the pause image cached in ${cache}/bin ($((SECONDS - start)) s)"
}

cmd_up() {
  [[ $(id -u) == 0 ]] || die "a node needs root (mounts, cgroups, namespaces)"
  if node_ready 2>/dev/null && running kubelet; then
    log "already up: export KUBECONFIG=${admin_kubeconfig}"
    return
  fi
  cmd_build >/dev/null
  cmd_down 2>/dev/null
  local start=$SECONDS
  "$root/hack/controlplane.sh" up
  rm -rf "$state/containerd" "$state/kubelet" "$state/pod-logs" "$state/cni"
  write_config
  start_containerd
  import_image "$pause_archive"
  start_kubelet
  start_scheduler
  start_controller_manager
  wait_until kubelet 120 node_ready
  log "up in $((SECONDS - start)) s: node ${node_name} is Ready;" \
    "export KUBECONFIG=${admin_kubeconfig}"
}

cmd_down() {
  stop_process kube-controller-manager
  stop_process kube-scheduler
  stop_process kubelet
  remove_pods
  stop_process containerd
  unmount_state
  remove_runtime_dirs
  remove_cgroups
  restore_sysctls
  "$root/hack/controlplane.sh" down
  log "down"
}

cmd_import() {
  (($# == 1)) || die "import needs one image archive"
  running containerd || die "the node is not up: run '$0 up' first"
  import_image "$1"
  log "imported ${1}"
}

cmd_env() {
  "$root/hack/controlplane.sh" env
  echo "export MTASTS_NODE_APISERVER_HOST=127.0.0.1"
  echo "export MTASTS_NODE_APISERVER_PORT=${MTASTS_APISERVER_PORT}"
  echo "export MTASTS_NODE_PAUSE_IMAGE=${pause_image}"
}

cmd_status() {
  local name ok=0
  for name in containerd kubelet kube-scheduler kube-controller-manager; do
    if running "$name"; then
      echo "${name}: running (pid $(pid_of "$name"), log ${state}/${name}.log)"
    else
      echo "${name}: stopped"
    fi
  done
  "$root/hack/controlplane.sh" status || ok=1
  echo "versions: kubernetes ${k8s_version}, containerd ${containerd_version}," \
    "CNI plugins ${cni_version}"
  if node_ready; then
    echo "ready: node ${node_name}; export KUBECONFIG=${admin_kubeconfig}"
  else
    echo "node ${node_name} not ready"
    ok=1
  fi
  return "$ok"
}

main "$@"
