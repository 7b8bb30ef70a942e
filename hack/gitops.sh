#!/usr/bin/env bash
# What the GitOps tests run: gitops-status (hack/tools/gitops-status: Argo CD's Lua health check
# on gopher-lua, and Flux's kstatus from sigs.k8s.io/cli-utils, at the versions pinned there),
# built and cached per content of its module; and the Argo CD and Flux CRDs, copied exactly as
# their release modules ship them, for the API server to judge docs/gitops/ against.
#
#   hack/gitops.sh build    build (or reuse) gitops-status, and fetch the CRDs
#   hack/gitops.sh path     print the cached binary's path (fails when it is not built)
#   hack/gitops.sh crds     print the folder of the CRDs (fails when they are not fetched)
#
# Environment:
#   XDG_CACHE_HOME        the binary, the CRDs and the Go caches live under
#                         $XDG_CACHE_HOME/mta-sts-operator
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cache=${XDG_CACHE_HOME:-$HOME/.cache}/mta-sts-operator

log() { echo "gitops.sh: $*" >&2; }
die() {
  log "error: $*"
  exit 1
}

# shellcheck source=hack/lib/go.sh
source "$root/hack/lib/go.sh"

tools=$root/hack/tools/gitops-status
# Our own source: the cache is keyed by the module's content, so an edit builds anew.
key=$(cd "$tools" && cat go.mod go.sum ./*.go | sha256sum | cut -c1-12)
bin=$cache/bin/gitops-status-$key/gitops-status

# The CRDs docs/gitops/ is written for, as module@version and the file in that module. The Flux
# distribution v2.9.5 names the controllers' versions (its go.mod requires their api modules at
# these tags); Argo CD v3.5.7 is the newest release whose module this Go accepts.
crds=(
  github.com/argoproj/argo-cd/v3@v3.5.7 manifests/crds/application-crd.yaml
  github.com/fluxcd/source-controller@v1.9.5
  config/crd/bases/source.toolkit.fluxcd.io_helmrepositories.yaml
  github.com/fluxcd/source-controller@v1.9.5
  config/crd/bases/source.toolkit.fluxcd.io_gitrepositories.yaml
  github.com/fluxcd/helm-controller@v1.6.4 config/crd/bases/helm.toolkit.fluxcd.io_helmreleases.yaml
  github.com/fluxcd/kustomize-controller@v1.9.5
  config/crd/bases/kustomize.toolkit.fluxcd.io_kustomizations.yaml
)
crds_dir=$cache/crds/gitops-$(echo "${crds[*]}" | sha256sum | cut -c1-12)

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; }

cmd_build() {
  [[ -x $bin ]] && return
  mkdir -p "$cache/bin"
  exec 8>"$cache/bin/.build.lock"
  flock 8
  go_build "$bin" "$tools" . >/dev/null
  flock -u 8
}

fetch_crds() {
  [[ -s $crds_dir/done ]] && return
  local i module dir
  rm -rf "$crds_dir.partial"
  mkdir -p "$crds_dir.partial"
  for ((i = 0; i < ${#crds[@]}; i += 2)); do
    module=${crds[i]}
    dir=$(module_dir "$module")
    [[ -f $dir/${crds[i + 1]} ]] || die "cannot download ${module} with ${crds[i + 1]}"
    cp "$dir/${crds[i + 1]}" "$crds_dir.partial/"
  done
  echo "${crds[*]}" >"$crds_dir.partial/done"
  rm -rf "$crds_dir"
  mv "$crds_dir.partial" "$crds_dir"
}

cmd_path() {
  [[ -x $bin ]] || die "gitops-status is not built: run '$0 build'"
  echo "$bin"
}

cmd_crds() {
  [[ -s $crds_dir/done ]] || die "the Argo CD and Flux CRDs are not fetched: run '$0 build'"
  echo "$crds_dir"
}

case ${1:-} in
  build)
    cmd_build
    fetch_crds
    ;;
  path) cmd_path ;;
  crds) cmd_crds ;;
  -h | --help | help) usage ;;
  "") die "no command given; see '$0 --help'" ;;
  *) die "unknown command '${1}'; see '$0 --help'" ;;
esac
