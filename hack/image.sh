#!/usr/bin/env bash
# The operator image and the nginx sidecar image, as OCI archives, with no daemon and no
# registry: the Debian 12 bases are made by mmdebstrap from Debian's packages, the Dockerfile is
# built by buildah, and the archives are smoke-run by podman.
#
#   hack/image.sh            build both images, then smoke-run them
#   hack/image.sh build      make (or reuse) the bases, build both images, write the archives
#   hack/image.sh smoke      load the archives written before and smoke-run them
#   hack/image.sh sizes      print each image's size
#   hack/image.sh --help
#
# The archives, $IMAGE_OUT/mta-sts-operator.oci.tar and $IMAGE_OUT/mta-sts-nginx.oci.tar, name
# their image docker.io/library/NAME:VERSION, which is what the chart's default values resolve to:
#     podman load -i ARCHIVE    or    ctr -n k8s.io images import ARCHIVE
# The smoke run: `mta-sts-operator --version` and `mtasts --version` in the operator image, and
# `nginx -t` on the chart's files/nginx.conf in the nginx image, read-only, as the chart runs it.
#
# Environment:
#   IMAGE_OUT             where the archives go (default: build/image in the checkout)
#   IMAGE_REFRESH_BASES   1: make the bases again even when their key is unchanged
#   XDG_CACHE_HOME        the bases are cached under $XDG_CACHE_HOME/mta-sts-operator/image,
#                         keyed by their package lists and the dates of Debian's Release files;
#                         the build stage compiles with the ccache there (hack/ccache-env.sh)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
out=${IMAGE_OUT:-$root/build/image}
# shellcheck source=hack/ccache-env.sh
source "$root/hack/ccache-env.sh"
bases_dir=$cache/image

log() { echo "image.sh: $*" >&2; }
die() {
  log "error: $*"
  exit 1
}
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; }

version=$(sed -n 's/^project(mta-sts-operator VERSION \([0-9.]*\).*/\1/p' "$root/CMakeLists.txt")
[[ -n $version ]] || die "cannot read the version in CMakeLists.txt"
images=(mta-sts-operator mta-sts-nginx)
declare -A target=([mta-sts-operator]=operator [mta-sts-nginx]=nginx)
# The name each archive carries: what the chart's "NAME:VERSION" means to a container runtime.
ref() { echo "docker.io/library/$1:$version"; }
archive() { echo "$out/$1.oci.tar"; }

# What each base holds, from Debian 12's packages with their dependencies, on Debian's essential
# set (dpkg, a shell: what the packages' own scripts need). The runtime base holds what
# `ldd mta-sts-operator mtasts` lists, and the CA certificates for the live checks.
declare -A BASES=(
  [build]="g++ cmake ninja-build pkg-config ccache libcpprest-dev libyaml-cpp-dev libc-ares-dev
           libssl-dev nlohmann-json3-dev zlib1g-dev"
  [runtime]="ca-certificates libcpprest2.10 libyaml-cpp0.7 libc-ares2 libssl3"
  [nginx]="nginx"
)
MMDEBSTRAP_OPTS=(
  --variant=essential
  # /bin -> /usr/bin etc. without the usrmerge package (and the perl it needs).
  --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr
  # No documentation but the copyright files.
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright'
  --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/info/*'
  --dpkgopt='path-exclude=/usr/share/locale/*'
)

# The host's Debian 12 archives ("deb URI SUITE COMPONENT" lines), as apt is configured here.
debian_sources() {
  apt-get indextargets --format '$(REPO_URI) $(RELEASE) $(COMPONENT)' \
    'Identifier: Packages' 'Origin: Debian' | sort -u |
    awk '$2 ~ /^bookworm/ {print "deb " $1 " " $2 " " $3}'
}

# A base is made again when its packages, its options, the sources or the archive's Release
# dates (what `apt-get update` saw last) change.
base_key() {
  local name=$1 suite
  {
    echo "${BASES[$name]}" | tr -s ' \n' ' '
    printf '%s\n' "${MMDEBSTRAP_OPTS[@]}"
    debian_sources
    for suite in $(debian_sources | awk '{print $3}' | sort -u); do
      grep -h '^Date:' /var/lib/apt/lists/*_dists_"${suite}"_InRelease 2>/dev/null || true
    done
  } | sha256sum | cut -c1-16
}

# Prints the image name of base NAME, made by mmdebstrap and imported into containers-storage
# unless already there.
make_base() {
  local name=$1 key tar image
  key=$(base_key "$name")
  tar=$bases_dir/base-$name-$key.tar
  image=localhost/mta-sts-base-$name:$key
  if [[ ${IMAGE_REFRESH_BASES:-} == 1 ]]; then
    rm -f "$tar"
    podman rmi -f "$image" >/dev/null 2>&1 || true
  fi
  if [[ ! -s $tar ]]; then
    local -a sources includes
    mapfile -t sources < <(debian_sources)
    ((${#sources[@]})) || die "apt knows no Debian 12 (bookworm) archive on this machine"
    read -ra includes <<<"$(tr '\n' ' ' <<<"${BASES[$name]}")"
    log "making the $name base with mmdebstrap: ${includes[*]}"
    rm -f "$tar.partial"
    mmdebstrap --quiet "${MMDEBSTRAP_OPTS[@]}" --include="$(
      IFS=,
      echo "${includes[*]}"
    )" --format=tar bookworm "$tar.partial" "${sources[@]}" >"$tar.log" 2>&1 || {
      tail -n 20 "$tar.log" >&2
      die "mmdebstrap could not make the $name base (log: $tar.log)"
    }
    mv "$tar.partial" "$tar"
    # Older bases of the same name are of no further use.
    find "$bases_dir" -maxdepth 1 -name "base-$name-*" ! -name "${tar##*/}*" -delete
  fi
  if ! podman image exists "$image"; then
    podman import --quiet "$tar" "$image" >/dev/null
  fi
  echo "$image"
}

# Removes the bases that the given ones replaced, and the layers built on them (buildah's layer
# cache keeps every intermediate image, a compile tree on the build base among them).
forget_old_bases() {
  local image old=()
  while read -r image; do
    [[ " $* " == *" $image "* ]] || old+=("$image")
  done < <(podman images --format '{{.Repository}}:{{.Tag}}' \
    --filter reference='localhost/mta-sts-base-*')
  ((${#old[@]})) || return 0
  log "removing the replaced bases ${old[*]} and what was built on them"
  podman rmi --force "${old[@]}" >/dev/null
  podman image prune --force >/dev/null
}

# Waits for every background job; fails when one failed.
wait_all() {
  local pid failed=0
  for pid in $(jobs -p); do
    wait "$pid" || failed=1
  done
  return "$failed"
}

cmd_build() {
  local build_base runtime_base nginx_base name start=$SECONDS
  mkdir -p "$bases_dir" "$out"
  # apt knows the archives' origins only from lists it has fetched.
  [[ -n $(debian_sources) ]] || apt-get update -qq
  # One build at a time per machine: two would fight over the bases and the tags.
  exec 9>"$bases_dir/.lock"
  flock 9
  # The three bases in parallel: making one mostly waits on the mirror.
  local -A made
  local base
  for base in "${!BASES[@]}"; do
    made[$base]=$(mktemp)
    make_base "$base" >"${made[$base]}" &
  done
  wait_all || die "a base could not be made"
  build_base=$(<"${made[build]}") runtime_base=$(<"${made[runtime]}")
  nginx_base=$(<"${made[nginx]}")
  rm -f "${made[@]}"
  forget_old_bases "$build_base" "$runtime_base" "$nginx_base"
  log "bases ready after $((SECONDS - start)) s"
  for name in "${images[@]}"; do
    log "building $name:$version"
    # --network none: RUN steps need no network, and the default one would change iptables.
    buildah bud --quiet --format oci --layers --pull=never --network none \
      --volume "$CCACHE_DIR:/ccache" --build-arg "JOBS=$(nproc)" --build-arg "VERSION=$version" \
      --build-arg "BUILD_BASE=$build_base" --build-arg "RUNTIME_BASE=$runtime_base" \
      --build-arg "NGINX_BASE=$nginx_base" \
      --target "${target[$name]}" --tag "localhost/$name:$version" \
      --file "$root/Dockerfile" "$root" >/dev/null
    rm -f "$(archive "$name")"
    buildah push --quiet "localhost/$name:$version" \
      "oci-archive:$(archive "$name"):$(ref "$name")" >/dev/null
  done
  log "built in $((SECONDS - start)) s: $(archive mta-sts-operator) $(archive mta-sts-nginx)"
}

# podman as HANDBOOK's machines need it: runc, no network, bounded limits.
run() {
  podman --runtime runc run --rm --network none \
    --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 "$@"
}

# Runs nginx -t in the nginx image the way the chart's Deployment runs nginx: a read-only root,
# the serve directory an empty volume (logs/ and tmp/ in it) that the user may write, with the
# chart's three config files mounted into it.
nginx_test() {
  local files=$root/charts/mta-sts-operator/files serve=/srv/mta-sts dir status=0
  dir=$(mktemp -d)
  mkdir "$dir/logs" "$dir/tmp"
  chown -R 65532:65532 "$dir"
  run --read-only --volume "$dir:$serve" \
    --volume "$files/nginx.conf:$serve/nginx.conf:ro" \
    --volume "$files/listen.conf:$serve/listen.conf:ro" \
    --volume "$files/intake.conf:$serve/intake.conf:ro" \
    "$(ref mta-sts-nginx)" -t || status=$?
  rm -rf "$dir"
  return "$status"
}

cmd_smoke() {
  local name got
  for name in "${images[@]}"; do
    [[ -s $(archive "$name") ]] || die "$(archive "$name") is missing: run '$0 build'"
    podman load --quiet --input "$(archive "$name")" >/dev/null
  done
  got=$(run "$(ref mta-sts-operator)" --version)
  [[ $got == "mta-sts-operator $version" ]] || die "mta-sts-operator --version said: $got"
  log "$got"
  got=$(run --entrypoint mtasts "$(ref mta-sts-operator)" --version)
  [[ $got == "mtasts $version" ]] || die "mtasts --version said: $got"
  log "$got"
  nginx_test || die "nginx -t failed on the chart's nginx.conf"
  log "nginx -t: the chart's nginx.conf is good, on a read-only root"
}

cmd_sizes() {
  local name
  for name in "${images[@]}"; do
    podman image inspect --format "$name {{.Size}}" "$(ref "$name")" |
      awk '{printf "%s: %.1f MB unpacked, ", $1, $2 / 1e6}'
    stat --format '%s' "$(archive "$name")" | awk '{printf "%.1f MB archive\n", $1 / 1e6}'
  done
}

case ${1:-all} in
  -h | --help | help)
    usage
    exit 0
    ;;
esac
[[ $(id -u) -eq 0 ]] || die "run as root: mmdebstrap, buildah and podman use the root storage"
case ${1:-all} in
  all)
    cmd_build
    cmd_smoke
    cmd_sizes
    ;;
  build) cmd_build ;;
  smoke) cmd_smoke ;;
  sizes) cmd_sizes ;;
  *) die "unknown command '${1}'; see '$0 --help'" ;;
esac
