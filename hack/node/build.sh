# shellcheck shell=bash
# Builds what the node runs into the cache, each keyed by its pinned version: kubelet,
# kube-scheduler and kube-controller-manager (the control plane's Kubernetes release), containerd
# 2 with ctr and the runc shim, three CNI plugins, and the sandbox image. Sourced by
# hack/node.sh, after lib.sh.

# containerd as its release is built, minus the snapshotters that need C libraries or kernel
# features a test node does not use (btrfs, devicemapper, ZFS).
containerd_tags=no_btrfs,no_devmapper,no_zfs,urfave_cli_no_docs

build_node() {
  mkdir -p "$cache/bin"
  exec 8>"$cache/bin/.build.lock"
  flock 8
  local name
  for name in kubelet kube-scheduler kube-controller-manager; do
    go_build "$bin_dir/$name" "$tools" "k8s.io/kubernetes/cmd/$name" "$(k8s_ldflags)"
  done
  for name in containerd ctr containerd-shim-runc-v2; do
    local tags=$containerd_tags
    # As the release builds its shim: without the gRPC server it never serves.
    [[ $name == containerd-shim-* ]] && tags+=,no_grpc
    CGO_ENABLED=0 GOFLAGS="$GOFLAGS -tags=$tags" go_build "$containerd_dir/$name" \
      "$tools/containerd" "github.com/containerd/containerd/v2/cmd/$name" \
      "-X github.com/containerd/containerd/v2/version.Version=$containerd_version"
  done
  for name in main/loopback main/tap ipam/host-local; do
    CGO_ENABLED=0 go_build "$cni_bin_dir/${name#*/}" "$tools/cni" \
      "github.com/containernetworking/plugins/plugins/$name"
  done
  build_pause
  flock -u 8
}

# The sandbox image: Kubernetes' own pause.c from the pinned release, linked statically, in an
# image FROM scratch, written as an OCI archive that `ctr images import` reads. buildah works in a
# storage of its own, so nothing is left in the machine's image store.
build_pause() {
  [[ -s $pause_archive ]] && return
  [[ -n ${go_bin:-} ]] || go_bin=$(find_go)
  local start=$SECONDS source tmp
  source=$(cd "$tools" && "$go_bin" list -m -f '{{.Dir}}' k8s.io/kubernetes)/build/pause/linux
  [[ -r $source/pause.c ]] || die "no build/pause/linux/pause.c in k8s.io/kubernetes ${k8s_version}"
  command -v buildah >/dev/null ||
    die "buildah is needed to build the pause image (apt-get install buildah)"
  tmp=$(mktemp -d)
  gcc -Os -Wall -Werror -static -DVERSION="$k8s_version" -o "$tmp/pause" "$source/pause.c" ||
    die "cannot link pause.c statically (apt-get install gcc libc6-dev)"
  strip "$tmp/pause"
  local store=(--root "$tmp/storage" --runroot "$tmp/run" --storage-driver vfs) container
  container=$(buildah "${store[@]}" from scratch)
  buildah "${store[@]}" copy "$container" "$tmp/pause" /pause >/dev/null
  buildah "${store[@]}" config --entrypoint '["/pause"]' --user 65535:65535 "$container"
  buildah "${store[@]}" commit -q "$container" "$pause_image" >/dev/null
  buildah "${store[@]}" push -q "$pause_image" "oci-archive:$pause_archive.tmp:$pause_image"
  buildah "${store[@]}" rm -a >/dev/null
  buildah "${store[@]}" rmi -a -f >/dev/null 2>&1 || true
  rm -rf "$tmp"
  mv "$pause_archive.tmp" "$pause_archive"
  log "built the pause image ${pause_image} in $((SECONDS - start)) s"
}
