#!/usr/bin/env bash
# The helm the chart tests run: helm v3 built from the module pinned in hack/tools/helm and
# cached per version, so the tests use the real tool users run, not a look-alike.
#
#   hack/helm.sh build    build (or reuse) helm; prints nothing else when it is cached
#   hack/helm.sh path     print the cached binary's path (fails when it is not built)
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

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; }

cmd_build() {
  [[ -x $bin ]] && return
  mkdir -p "$cache/bin"
  exec 8>"$cache/bin/.build.lock"
  flock 8
  # helm prints this version; without it a source build reports v3.x-dev-like defaults.
  go_build "$bin" "$tools" helm.sh/helm/v3/cmd/helm \
    "-X helm.sh/helm/v3/internal/version.version=$version" >/dev/null
  flock -u 8
}

cmd_path() {
  [[ -x $bin ]] || die "helm ${version} is not built: run '$0 build'"
  echo "$bin"
}

case ${1:-} in
  build) cmd_build ;;
  path) cmd_path ;;
  -h | --help | help) usage ;;
  "") die "no command given; see '$0 --help'" ;;
  *) die "unknown command '${1}'; see '$0 --help'" ;;
esac
