# shellcheck shell=bash
# Starts and stops the node's processes: containerd, kubelet, kube-scheduler and
# kube-controller-manager, and cleans up what kubelet leaves on the machine (mounts, cgroups,
# sysctls). Sourced by hack/node.sh, after lib.sh.

# kubelet adds chains to iptables when it finds the iptables command; it runs with a PATH
# without the sbin folders, where Debian keeps that command, so the host's rules stay untouched.
node_path() { echo "$containerd_dir:$bin_dir:/usr/local/bin:/usr/bin"; }

containerd_ready() { ctr_k8s version >/dev/null 2>&1; }

start_containerd() {
  launch containerd env PATH="$(node_path)" "$containerd_dir/containerd" \
    --config "$state/containerd/config.toml"
  wait_until containerd 60 containerd_ready
}

# import_image ARCHIVE: an OCI or docker archive into the namespace kubelet's images live in.
# ctr's output (a cgroup v1 deprecation warning on every call) is shown only when it fails.
import_image() {
  [[ -r $1 ]] || die "no image archive ${1}"
  local out
  out=$(ctr_k8s images import "$1" 2>&1) || die "ctr could not import ${1}: ${out}"
}

kubelet_ready() {
  [[ $(curl -sS --max-time 2 "http://127.0.0.1:$kubelet_health_port/healthz" 2>/dev/null) == ok ]]
}

# kubelet, the scheduler and the controller-manager all use the control plane's admin
# credentials (system:masters): one test node, no node authorizer to satisfy.
start_kubelet() {
  save_sysctls
  launch kubelet env PATH="$(node_path)" "$bin_dir/kubelet" \
    --config="$state/kubelet/config.yaml" --kubeconfig="$admin_kubeconfig" \
    --root-dir="$state/kubelet/root" --cert-dir="$state/kubelet/pki" \
    --hostname-override="$node_name" --v=1
  wait_until kubelet 120 kubelet_ready
}

component_ready() {
  [[ $(curl -ksS --max-time 2 "https://127.0.0.1:$1/healthz" 2>/dev/null) == ok ]]
}

# One of each, so no leader election. The controller-manager makes every namespace's "default"
# ServiceAccount and its kube-root-ca.crt ConfigMap (from the CA), which pods need to start.
start_scheduler() {
  launch kube-scheduler "$bin_dir/kube-scheduler" --kubeconfig="$admin_kubeconfig" \
    --authentication-kubeconfig="$admin_kubeconfig" \
    --authorization-kubeconfig="$admin_kubeconfig" \
    --bind-address=127.0.0.1 --secure-port="$scheduler_port" --leader-elect=false
  wait_until kube-scheduler 60 component_ready "$scheduler_port"
}

start_controller_manager() {
  launch kube-controller-manager "$bin_dir/kube-controller-manager" \
    --kubeconfig="$admin_kubeconfig" --authentication-kubeconfig="$admin_kubeconfig" \
    --authorization-kubeconfig="$admin_kubeconfig" \
    --bind-address=127.0.0.1 --secure-port="$controller_manager_port" --leader-elect=false \
    --service-account-private-key-file="$controlplane_pki/sa.key" \
    --root-ca-file="$controlplane_pki/ca.crt" --service-cluster-ip-range=10.0.0.0/24 \
    --use-service-account-credentials=false
  wait_until kube-controller-manager 60 component_ready "$controller_manager_port"
}

node_ready() {
  [[ $(kubectl_node get node "$node_name" \
    -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null) == True ]] &&
    kubectl_node get serviceaccount default -n default >/dev/null 2>&1
}

save_sysctls() {
  [[ -s $sysctls_saved ]] && return
  local name
  for name in $kubelet_sysctls; do echo "$name $(cat "/proc/sys/$name")"; done >"$sysctls_saved"
}

restore_sysctls() {
  [[ -s $sysctls_saved ]] || return 0
  local name value
  while read -r name value; do echo "$value" >"/proc/sys/$name"; done <"$sysctls_saved"
  rm -f "$sysctls_saved"
}

# What kubelet and containerd leave behind once stopped: the pods' containers (kubelet does not
# stop them when it exits), their mounts under $state, and the pod cgroups kubelet made.
remove_pods() {
  if running containerd; then
    local task
    for task in $(ctr_k8s tasks list -q 2>/dev/null); do
      ctr_k8s tasks kill -s KILL "$task" >/dev/null 2>&1 || true
    done
    sleep 0.5
    for task in $(ctr_k8s tasks list -q 2>/dev/null); do
      ctr_k8s tasks delete -f "$task" >/dev/null 2>&1 || true
    done
    for task in $(ctr_k8s containers list -q 2>/dev/null); do
      ctr_k8s containers delete "$task" >/dev/null 2>&1 || true
    done
  fi
}

unmount_state() {
  local mount
  # Deepest first, so a mount inside another goes before it.
  for mount in $(findmnt -rn -o TARGET | awk -v dir="$state/" 'index($0, dir) == 1' | sort -r); do
    umount "$mount" 2>/dev/null || umount -l "$mount" || true
  done
}

# The shims' sockets and ctr's fifos go to fixed folders under /run/containerd: removed when
# nothing is left in them.
remove_runtime_dirs() {
  [[ -d /run/containerd ]] && find /run/containerd -depth -type d -empty -delete
  return 0
}

remove_cgroups() {
  local dir
  for dir in /sys/fs/cgroup/*/kubepods /sys/fs/cgroup/*/kubepods.slice; do
    [[ -d $dir ]] || continue
    find "$dir" -depth -type d -exec rmdir {} \; 2>/dev/null || true
  done
}
