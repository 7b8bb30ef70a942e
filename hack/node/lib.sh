# shellcheck shell=bash
# Settings and helpers shared by hack/node.sh and the files it sources: where things live, which
# versions are pinned (read from hack/tools/), logging. The node has a control plane of its own
# (hack/controlplane.sh with its own folder and ports), so it never touches the shared one.
# Sourced, not run; expects $root to be set.

node_state=${MTASTS_NODE_DIR:-/tmp/mta-sts-node}
# The node's own control plane: hack/controlplane.sh reads these.
export MTASTS_CONTROLPLANE_DIR=$node_state/controlplane
export MTASTS_APISERVER_PORT=${MTASTS_NODE_APISERVER_PORT:-26443}
export MTASTS_ETCD_PORT=${MTASTS_NODE_ETCD_PORT:-22379}
# kubelet's API on 127.0.0.1 (kube-apiserver reads logs through it); the scheduler's and the
# controller-manager's health ports follow it.
kubelet_port=${MTASTS_NODE_KUBELET_PORT:-20250}
kubelet_health_port=$((kubelet_port - 2))
scheduler_port=$((kubelet_port + 9))
controller_manager_port=$((kubelet_port + 7))
# kubelet refuses a loopback --node-ip, but takes an address given as the node's name for its
# InternalIP as is, and kube-apiserver reaches kubelet there.
node_name=127.0.0.1

tools=$root/hack/tools
# kube-apiserver's version, binaries, ldflags and kubectl come from the control plane's scripts,
# so the node runs the same Kubernetes release.
# shellcheck source=hack/controlplane/lib.sh
source "$root/hack/controlplane/lib.sh"
# shellcheck source=hack/controlplane/build.sh
source "$root/hack/controlplane/build.sh"
controlplane_pki=$pki
admin_kubeconfig=$kubeconfig
# process.sh (sourced by the control plane's lib.sh) keeps pid files and logs in $state: from here
# on that is the node's folder.
state=$node_state

log() { echo "node: $*" >&2; }
die() {
  log "error: $*"
  exit 1
}
port_hint="choose other ports with MTASTS_NODE_KUBELET_PORT"

containerd_version=$(pinned_version "$tools/containerd/go.mod" github.com/containerd/containerd/v2)
cni_version=$(pinned_version "$tools/cni/go.mod" github.com/containernetworking/plugins)
[[ -n $containerd_version && -n $cni_version ]] || die "cannot read the pinned versions in $tools"
containerd_dir=$cache/bin/containerd-$containerd_version
cni_bin_dir=$cache/bin/cni-plugins-$cni_version
# Pods' addresses, each on a tap interface inside its pod: reachable from nowhere, so any
# private range that the machine does not route to does.
pod_subnet=10.88.0.0/24
# The sandbox ("pause") image, built from the same Kubernetes release: nothing is pulled.
pause_archive=$bin_dir/pause.oci.tar
pause_image=localhost/kubernetes/pause:$k8s_version

containerd_socket=$state/containerd/containerd.sock
# The sysctls kubelet sets on start (vm.overcommit_memory, kernel.panic, ...): saved by `up`,
# restored by `down`.
sysctls_saved=$state/sysctls.saved
kubelet_sysctls="vm/overcommit_memory vm/panic_on_oom kernel/panic kernel/panic_on_oops
  kernel/keys/root_maxkeys kernel/keys/root_maxbytes"

fail_start() {
  log "${1} ${2}; the end of ${state}/${1}.log:"
  tail -n 40 "$state/$1.log" >&2 || true
  die "${1} did not start; '$0 down' stops what did"
}

ctr_k8s() { "$containerd_dir/ctr" --address "$containerd_socket" --namespace k8s.io "$@"; }
kubectl_node() { KUBECONFIG=$admin_kubeconfig "$(kubectl_path)" "$@"; }
