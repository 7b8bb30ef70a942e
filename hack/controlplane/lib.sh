# shellcheck shell=bash
# Settings and helpers shared by hack/controlplane.sh and the files it sources: where things
# live, which versions are pinned (read from hack/tools/), logging, and process control by pid.
# Sourced, not run; expects $root and $tools to be set.

cache=${XDG_CACHE_HOME:-$HOME/.cache}/mta-sts-operator
state=${MTASTS_CONTROLPLANE_DIR:-/tmp/mta-sts-controlplane}
apiserver_port=${MTASTS_APISERVER_PORT:-16443}
etcd_port=${MTASTS_ETCD_PORT:-12379}
etcd_peer_port=$((etcd_port + 1))
kubeconfig=$state/admin.kubeconfig
pki=$state/pki

log() { echo "controlplane: $*" >&2; }
die() {
  log "error: $*"
  exit 1
}

# shellcheck source=hack/lib/go.sh
source "$root/hack/lib/go.sh"

k8s_version=$(pinned_version "$tools/go.mod" k8s.io/kubernetes)
etcd_version=$(pinned_version "$tools/etcd/go.mod" go.etcd.io/etcd/server/v3)
[[ -n $k8s_version && -n $etcd_version ]] || die "cannot read the pinned versions in $tools"

# Binaries are keyed by version, so a bump builds fresh ones and a clean checkout reuses these.
bin_dir=$cache/bin/kubernetes-$k8s_version
etcd_bin=$cache/bin/etcd-$etcd_version/etcd
apiserver_bin=$bin_dir/kube-apiserver

port_hint="choose other ports with MTASTS_APISERVER_PORT and MTASTS_ETCD_PORT"
# shellcheck source=hack/lib/process.sh
source "$root/hack/lib/process.sh"

fail_start() {
  log "${1} ${2}; the end of ${state}/${1}.log:"
  tail -n 40 "$state/$1.log" >&2 || true
  stop_process kube-apiserver KILL
  stop_process etcd KILL
  die "${1} did not start"
}
