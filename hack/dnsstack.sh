#!/usr/bin/env bash
# The DNS side of the operator's tests: a real BIND9, authoritative on loopback for the test
# zones, taking TSIG-signed RFC 2136 updates and AXFR; the real external-dns (pinned in
# hack/tools/external-dns, built from its Go module and cached) that publishes DNSEndpoint
# objects into it; and the real CRDs of external-dns and cert-manager from their pinned releases.
#
#   hack/dnsstack.sh build                 build (or reuse) external-dns; fetch the pinned CRDs
#   hack/dnsstack.sh up                    start BIND9; a no-op when already up
#   hack/dnsstack.sh down                  stop BIND9; nothing is left running
#   hack/dnsstack.sh env                   print the exports the tests use (DNSSTACK_*)
#   hack/dnsstack.sh external-dns ARGS...  run external-dns against this BIND9 with the flags the
#                                          operator documents (rfc2136, TSIG, AXFR, A/AAAA/TXT
#                                          managed, --policy=sync, a txt owner id) plus ARGS,
#                                          e.g. --kubeconfig K --source=crd --once
#   hack/dnsstack.sh status                say what runs; exit 0 only when BIND9 answers
#
# Environment:
#   MTASTS_DNSSTACK_DIR     state: named.conf, zones, journals, logs (default /tmp/mta-sts-dnsstack)
#   MTASTS_DNSSTACK_PORT    BIND9's port on 127.0.0.1 (default 5354; BIND9 listens only on
#                           addresses configured on an interface, so not on other 127.x addresses)
#   MTASTS_DNSSTACK_ZONES   the zones BIND9 is authoritative for (default "operator.test")
#   XDG_CACHE_HOME          external-dns and the CRDs live under $XDG_CACHE_HOME/mta-sts-operator
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=hack/dnsstack/lib.sh
source "$root/hack/dnsstack/lib.sh"
# shellcheck source=hack/dnsstack/build.sh
source "$root/hack/dnsstack/build.sh"
# shellcheck source=hack/dnsstack/bind.sh
source "$root/hack/dnsstack/bind.sh"

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; }

main() {
  local cmd=${1:-}
  (($#)) && shift
  case $cmd in
    build) cmd_build ;;
    up) cmd_up ;;
    down) cmd_down ;;
    env) cmd_env ;;
    external-dns) cmd_external_dns "$@" ;;
    status) cmd_status ;;
    -h | --help | help) usage ;;
    "") die "no command given; see '$0 --help'" ;;
    *) die "unknown command '${cmd}'; see '$0 --help'" ;;
  esac
}

cmd_build() {
  local start=$SECONDS
  build_external_dns
  fetch_crds
  log "external-dns ${external_dns_version} and the CRDs are in ${cache} ($((SECONDS - start)) s)"
}

cmd_up() {
  if bind_ready; then
    log "already up on 127.0.0.1:${port}"
    return
  fi
  start_bind
  log "BIND9 up on 127.0.0.1:${port} for: ${zones}"
}

cmd_down() {
  stop_process named
  log "down"
}

cmd_env() {
  cat <<EOF
export DNSSTACK_SERVER=127.0.0.1:${port}
export DNSSTACK_ZONES="${zones}"
export DNSSTACK_TSIG_KEY=${tsig_name}
export DNSSTACK_TSIG_SECRET=$(tsig_secret)
export DNSSTACK_EXTERNAL_DNS=${external_dns_bin}
export DNSSTACK_CRDS=${crds_dir}
EOF
}

cmd_external_dns() {
  [[ -x $external_dns_bin ]] || die "external-dns is not built; run '$0 build'"
  bind_ready || die "BIND9 is not up; run '$0 up'"
  local args=(--provider=rfc2136 --rfc2136-host=127.0.0.1 "--rfc2136-port=${port}"
    "--rfc2136-tsig-keyname=${tsig_name}" "--rfc2136-tsig-secret=$(tsig_secret)"
    --rfc2136-tsig-secret-alg=hmac-sha256 --rfc2136-axfr
    --managed-record-types=A --managed-record-types=AAAA --managed-record-types=TXT
    --policy=sync --registry=txt --txt-owner-id=mta-sts-test)
  local zone
  for zone in $zones; do args+=("--rfc2136-zone=${zone}" "--domain-filter=${zone}"); done
  exec "$external_dns_bin" "${args[@]}" "$@"
}

cmd_status() {
  if bind_ready; then
    log "BIND9 answers on 127.0.0.1:${port} (pid $(pid_of named)) for: ${zones}"
  else
    log "BIND9 is not running"
    return 1
  fi
}

main "$@"
