#!/usr/bin/env bash
# The helm the chart tests run: helm v3 built from the module pinned in hack/tools/helm and
# cached per version, so the tests use the real tool users run, not a look-alike.
#
#   hack/helm.sh build    build (or reuse) helm, and copy the pinned ServiceMonitor CRD out of
#                         prometheus-operator's release module (the chart's optional object)
#   hack/helm.sh path     print the cached binary's path (fails when it is not built)
#   hack/helm.sh crds     print the folder of that CRD (fails when it is not fetched)
#
# Environment:
#   XDG_CACHE_HOME        helm and the Go caches live under $XDG_CACHE_HOME/mta-sts-operator
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cache=${XDG_CACHE_HOME:-$HOME/.cache}/mta-sts-operator

log() { echo "helm.sh: $*" >&2; }
die() {
  log "error: $*"
  exit 1
}

# shellcheck source=hack/lib/go.sh
source "$root/hack/lib/go.sh"

tools=$root/hack/tools/helm
version=$(pinned_version "$tools/go.mod" helm.sh/helm/v3)
[[ -n $version ]] || die "cannot read the pinned helm version in ${tools}/go.mod"
bin=$cache/bin/helm-$version/helm
monitoring_version=$(pinned_version "$root/hack/tools/prometheus-operator.version" \
  github.com/prometheus-operator/prometheus-operator)
[[ -n $monitoring_version ]] || die "cannot read hack/tools/prometheus-operator.version"
crds_dir=$cache/crds/prometheus-operator-$monitoring_version

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; }

cmd_build() {
  [[ -x $bin ]] && return
  mkdir -p "$cache/bin"
  exec 8>"$cache/bin/.build.lock"
  flock 8
  # The version `helm version` reports: a build from the module does not know it otherwise.
  go_build "$bin" "$tools" helm.sh/helm/v3/cmd/helm \
    "-X helm.sh/helm/v3/internal/version.version=$version" >/dev/null
  flock -u 8
}

# The ServiceMonitor CRD exactly as the release ships it, so the chart's ServiceMonitor meets the
# real schema on the API server.
fetch_crds() {
  [[ -s $crds_dir/servicemonitors.monitoring.coreos.com.yaml ]] && return
  local module
  module=$(module_dir "github.com/prometheus-operator/prometheus-operator@$monitoring_version")
  rm -rf "$crds_dir.partial"
  mkdir -p "$crds_dir.partial"
  cp "$module/example/prometheus-operator-crd/monitoring.coreos.com_servicemonitors.yaml" \
    "$crds_dir.partial/servicemonitors.monitoring.coreos.com.yaml"
  rm -rf "$crds_dir"
  mv "$crds_dir.partial" "$crds_dir"
}

cmd_path() {
  [[ -x $bin ]] || die "helm ${version} is not built: run '$0 build'"
  echo "$bin"
}

cmd_crds() {
  [[ -s $crds_dir/servicemonitors.monitoring.coreos.com.yaml ]] ||
    die "the ServiceMonitor CRD is not fetched: run '$0 build'"
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
