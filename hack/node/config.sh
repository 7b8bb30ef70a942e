# shellcheck shell=bash
# Writes the node's configuration into $state: containerd's (own root, state and socket; runc
# from the machine; the local pause image), a CNI network of loopback alone, and kubelet's.
# Sourced by hack/node.sh, after lib.sh.
#
# The node has no Service network: there is no kube-proxy, because it would rewrite iptables.
# Pods that must reach kube-apiserver use the host's network and its loopback address.

write_config() {
  mkdir -p "$state/containerd" "$state/cni" "$state/kubelet" "$state/pod-logs"
  write_containerd_config
  write_cni_config
  write_kubelet_config
}

write_containerd_config() {
  local runc
  runc=$(PATH=/usr/sbin:/usr/bin:/sbin:/bin command -v runc) ||
    die "runc is needed (apt-get install runc)"
  cat >"$state/containerd/config.toml" <<EOF
version = 3
root = "$state/containerd/root"
state = "$state/containerd/state"
# No plugins from /opt/containerd, no NRI socket in /var/run/nri, no TCP listener.
disabled_plugins = ["io.containerd.nri.v1.nri"]

[grpc]
  address = "$containerd_socket"

[ttrpc]
  address = "$state/containerd/containerd.sock.ttrpc"

[plugins."io.containerd.internal.v1.opt"]
  path = "$state/containerd/opt"

[plugins."io.containerd.cri.v1.images"]
  snapshotter = "overlayfs"
  [plugins."io.containerd.cri.v1.images".pinned_images]
    sandbox = "$pause_image"

[plugins."io.containerd.cri.v1.runtime"]
  # kubelet asks for OOM scores below containerd's own (-998 for the sandbox), which needs
  # CAP_SYS_RESOURCE; without it (as on these machines) runc fails with "failed to update
  # /proc/self/oom_score_adj: Permission denied". This keeps each score at or above containerd's.
  restrict_oom_score_adj = true
  # Pods' network namespaces in $state, not /var/run/netns.
  netns_mounts_under_state_dir = true
  [plugins."io.containerd.cri.v1.runtime".containerd.runtimes.runc]
    runtime_type = "io.containerd.runc.v2"
    [plugins."io.containerd.cri.v1.runtime".containerd.runtimes.runc.options]
      BinaryName = "$runc"
      Root = "$state/containerd/runc"
      SystemdCgroup = false
  [plugins."io.containerd.cri.v1.runtime".cni]
    bin_dirs = ["$cni_bin_dir"]
    conf_dir = "$state/cni"

[plugins."io.containerd.grpc.v1.cri"]
  disable_tcp_service = true
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
EOF
}

# With a network configured the runtime reports NetworkReady, so the node becomes Ready. A pod
# not on the host's network gets its loopback and a tap interface holding an address (the runtime
# wants one), both made inside the pod's network namespace: no bridge, no veth, no route out,
# nothing changed on the host. (This kernel has no dummy interfaces.) Owner and group make the
# tap plugin use netlink rather than the ip command. Addresses are kept in $state.
write_cni_config() {
  cat >"$state/cni/10-pods.conflist" <<EOF
{
  "cniVersion": "1.0.0",
  "name": "mtasts-pods",
  "plugins": [{
    "type": "tap", "owner": 0, "group": 0,
    "ipam": {"type": "host-local", "dataDir": "$state/cni/ipam",
             "ranges": [[{"subnet": "$pod_subnet"}]]}
  }]
}
EOF
}

# cgroup v1 is what these machines have (kubelet 1.35+ refuses it unless told). kube-apiserver
# calls kubelet's API for logs and exec without a client certificate, so that API, on 127.0.0.1
# only, lets anonymous requests through.
write_kubelet_config() {
  cat >"$state/kubelet/config.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
failCgroupV1: false
cgroupDriver: cgroupfs
containerRuntimeEndpoint: unix://$containerd_socket
address: 127.0.0.1
port: $kubelet_port
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: $kubelet_health_port
authentication:
  anonymous: {enabled: true}
  webhook: {enabled: false}
authorization:
  mode: AlwaysAllow
podLogsDir: $state/pod-logs
resolvConf: /etc/resolv.conf
failSwapOn: false
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
EOF
}
