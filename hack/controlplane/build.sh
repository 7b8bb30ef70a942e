# shellcheck shell=bash
# Builds kube-apiserver, kubectl and etcd from the modules pinned in hack/tools/ into the cache.
# Sourced by hack/controlplane.sh, after lib.sh (which brings hack/lib/go.sh).

# The kubectl to use: the machine's when its minor version is within one of the server's
# (kubectl's supported skew), otherwise the one built from the same release.
kubectl_path() {
  local system minor want=${k8s_version#v1.}
  want=${want%%.*}
  system=$(command -v kubectl || true)
  if [[ -n $system && $system != "$bin_dir/kubectl" ]]; then
    minor=$("$system" version --client -o json 2>/dev/null |
      sed -n 's/.*"minor": *"\([0-9]*\).*/\1/p' | head -1)
    if [[ -n $minor ]] && ((minor - want <= 1 && want - minor <= 1)); then
      echo "$system"
      return
    fi
  fi
  echo "$bin_dir/kubectl"
}

# The version stamps Kubernetes' own build sets (hack/lib/version.sh), so /version and
# kubectl report the real release instead of v0.0.0-master.
k8s_ldflags() {
  local minor=${k8s_version#v1.} pkg flags=""
  minor=${minor%%.*}
  for pkg in k8s.io/client-go/pkg/version k8s.io/component-base/version; do
    flags+=" -X $pkg.gitVersion=$k8s_version -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
    flags+=" -X $pkg.gitTreeState=clean"
  done
  echo "$flags"
}

# Builds whatever is missing, one build at a time across concurrent callers.
build_all() {
  mkdir -p "$cache/bin"
  exec 8>"$cache/bin/.build.lock"
  flock 8
  go_build "$apiserver_bin" "$tools" k8s.io/kubernetes/cmd/kube-apiserver "$(k8s_ldflags)"
  go_build "$etcd_bin" "$tools/etcd" go.etcd.io/etcd/server/v3
  if [[ $(kubectl_path) == "$bin_dir/kubectl" ]]; then
    go_build "$bin_dir/kubectl" "$tools" k8s.io/kubernetes/cmd/kubectl "$(k8s_ldflags)"
  fi
  flock -u 8
}
