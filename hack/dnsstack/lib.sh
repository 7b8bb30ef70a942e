# shellcheck shell=bash
# Settings shared by hack/dnsstack.sh and the files it sources: where things live, the pinned
# versions (read from hack/tools/), logging. Sourced, not run; expects $root to be set.

cache=${XDG_CACHE_HOME:-$HOME/.cache}/mta-sts-operator
state=${MTASTS_DNSSTACK_DIR:-/tmp/mta-sts-dnsstack}
port=${MTASTS_DNSSTACK_PORT:-5354}
zones=${MTASTS_DNSSTACK_ZONES:-operator.test}
tsig_name=mta-sts-test

log() { echo "dnsstack: $*" >&2; }
die() {
  log "error: $*"
  exit 1
}

port_hint="choose another port with MTASTS_DNSSTACK_PORT"
# shellcheck source=hack/lib/process.sh
source "$root/hack/lib/process.sh"

fail_start() {
  log "${1} ${2}; the end of ${state}/${1}.log:"
  tail -n 40 "$state/$1.log" >&2 || true
  stop_process "$1" KILL
  die "${1} did not start"
}

# shellcheck source=hack/lib/go.sh
source "$root/hack/lib/go.sh"

external_dns_tools=$root/hack/tools/external-dns
external_dns_version=$(pinned_version "$external_dns_tools/go.mod" sigs.k8s.io/external-dns)
cert_manager_version=$(pinned_version "$root/hack/tools/cert-manager.version" github.com/cert-manager/cert-manager)
[[ -n $external_dns_version && -n $cert_manager_version ]] ||
  die "cannot read the pinned versions in hack/tools/external-dns/go.mod and hack/tools/cert-manager.version"

# The patches applied to the release's code (README.md there); the binary is kept per their content.
external_dns_patches=("$external_dns_tools/trim-providers.patch"
  "$external_dns_tools/rfc2136-txt-removal.patch")
external_dns_patched=$(cat "${external_dns_patches[@]}" | sha256sum | cut -c1-12)
external_dns_bin=$cache/bin/external-dns-$external_dns_version-$external_dns_patched/external-dns
crds_dir=$cache/crds/external-dns-$external_dns_version-cert-manager-$cert_manager_version

# The shared TSIG secret of the test zones: made once per state folder.
tsig_secret() {
  [[ -s $state/tsig.secret ]] || {
    mkdir -p "$state"
    openssl rand -base64 32 >"$state/tsig.secret"
  }
  cat "$state/tsig.secret"
}
