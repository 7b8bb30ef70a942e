# shellcheck shell=bash
# Builds external-dns from the module pinned in hack/tools/external-dns (its README says why two
# providers are trimmed and what the one fix on top of the release is) and copies the pinned CRDs of external-dns and cert-manager out of their
# release modules. Sourced by hack/dnsstack.sh, after lib.sh.

# external-dns needs Go 1.27: its build, and only its build, runs with this toolchain.
external_dns_toolchain=$(cat "$external_dns_tools/toolchain.txt")

build_external_dns() {
  [[ -x $external_dns_bin ]] && return
  mkdir -p "$cache/bin"
  exec 8>"$cache/bin/.build.lock"
  flock 8
  local work=$cache/build/external-dns-$external_dns_version module
  module=$(GOTOOLCHAIN=$external_dns_toolchain module_dir \
    "sigs.k8s.io/external-dns@$external_dns_version")
  rm -rf "$work"
  mkdir -p "$work"
  cp -r "$module" "$work/src"
  chmod -R u+w "$work/src"
  rm -rf "$work/src/provider/civo" "$work/src/provider/exoscale"
  local p
  for p in "${external_dns_patches[@]}"; do
    patch -s -d "$work/src" -p1 <"$p" ||
      die "$(basename "$p") no longer applies to external-dns ${external_dns_version}"
  done
  cp "$external_dns_tools/go.mod" "$external_dns_tools/go.sum" "$work/"
  GOTOOLCHAIN=$external_dns_toolchain go_build "$external_dns_bin" "$work" sigs.k8s.io/external-dns \
    "-X sigs.k8s.io/external-dns/pkg/apis/externaldns.Version=$external_dns_version" >/dev/null
  flock -u 8
  rm -rf "$work"
}

# The CRD files the tests install, exactly as the releases ship them.
fetch_crds() {
  [[ -s $crds_dir/dnsendpoints.externaldns.k8s.io.yaml ]] && return
  local external_dns cert_manager
  external_dns=$(GOTOOLCHAIN=$external_dns_toolchain module_dir \
    "sigs.k8s.io/external-dns@$external_dns_version")
  cert_manager=$(GOTOOLCHAIN=$external_dns_toolchain module_dir \
    "github.com/cert-manager/cert-manager@$cert_manager_version")
  rm -rf "$crds_dir.partial"
  mkdir -p "$crds_dir.partial"
  cp "$cert_manager/deploy/crds/cert-manager.io_certificates.yaml" \
    "$crds_dir.partial/certificates.cert-manager.io.yaml"
  cp "$external_dns/config/crd/standard/dnsendpoints.externaldns.k8s.io.yaml" "$crds_dir.partial/"
  rm -rf "$crds_dir"
  mv "$crds_dir.partial" "$crds_dir"
}
