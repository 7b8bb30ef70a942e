#!/usr/bin/env bash
# A local Kubernetes control plane for the integration tests: one etcd and one kube-apiserver
# on 127.0.0.1, both built from the Go modules pinned in hack/tools/ (no containers, no cluster).
# No controllers run: no garbage collection, no pods, no service-account tokens minted for you.
#
#   hack/controlplane.sh build              build (or reuse) kube-apiserver, etcd and kubectl
#   hack/controlplane.sh up                 start etcd + kube-apiserver; no-op when already up
#   hack/controlplane.sh down               stop both; nothing is left running
#   hack/controlplane.sh env                print the exports for kubectl (KUBECONFIG, PATH)
#   hack/controlplane.sh kubectl ARGS...    run the matching kubectl against the control plane
#   hack/controlplane.sh restart-apiserver [--kill]
#                                           stop kube-apiserver (SIGTERM, or SIGKILL with --kill)
#                                           and start it again on the same etcd
#   hack/controlplane.sh compact [--no-restart]
#                                           compact etcd to its current revision and restart
#                                           kube-apiserver, so a watch or a list from an older
#                                           resourceVersion gets 410 Gone (with --no-restart
#                                           only an exact list does: the watch cache remembers)
#   hack/controlplane.sh status             say what runs; exit 0 only when ready
#
# Environment:
#   MTASTS_CONTROLPLANE_DIR   state: certificates, kubeconfig, etcd data, logs, pid files
#                             (default /tmp/mta-sts-controlplane)
#   MTASTS_APISERVER_PORT     kube-apiserver's secure port on 127.0.0.1 (default 16443)
#   MTASTS_ETCD_PORT          etcd's client port on 127.0.0.1 (default 12379; peer port +1)
#   XDG_CACHE_HOME            the Go toolchain, Go caches and binaries live under
#                             $XDG_CACHE_HOME/mta-sts-operator (default ~/.cache)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
tools=$root/hack/tools
# shellcheck source=hack/controlplane/lib.sh
source "$root/hack/controlplane/lib.sh"
# shellcheck source=hack/controlplane/build.sh
source "$root/hack/controlplane/build.sh"
# shellcheck source=hack/controlplane/pki.sh
source "$root/hack/controlplane/pki.sh"
# shellcheck source=hack/controlplane/servers.sh
source "$root/hack/controlplane/servers.sh"

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; }

main() {
  local cmd=${1:-}
  (($#)) && shift
  case $cmd in
    build) cmd_build ;;
    up) cmd_up ;;
    down) cmd_down ;;
    env) cmd_env ;;
    kubectl) cmd_kubectl "$@" ;;
    restart-apiserver) cmd_restart_apiserver "$@" ;;
    compact) cmd_compact "$@" ;;
    status) cmd_status ;;
    -h | --help | help) usage ;;
    "") die "no command given; see '$0 --help'" ;;
    *) die "unknown command '${cmd}'; see '$0 --help'" ;;
  esac
}

cmd_build() {
  local start=$SECONDS
  local fresh
  fresh=$(build_all)
  if [[ -n $fresh ]]; then
    log "built${fresh} in $((SECONDS - start)) s; cached in ${cache}/bin"
  else
    log "binaries cached in ${bin_dir} (checked in $((SECONDS - start)) s)"
  fi
}

cmd_up() {
  if apiserver_ready; then
    log "already up: export KUBECONFIG=${kubeconfig}"
    return
  fi
  build_all >/dev/null
  cleanup_leftovers
  local start=$SECONDS
  make_pki
  start_etcd
  start_apiserver
  write_kubeconfig
  log "up in $((SECONDS - start)) s: kube-apiserver https://127.0.0.1:${apiserver_port}," \
    "etcd http://127.0.0.1:${etcd_port}; export KUBECONFIG=${kubeconfig}"
}

cmd_down() {
  stop_process kube-apiserver
  stop_process etcd
  rm -f "$kubeconfig"
  log "down"
}

cmd_env() {
  echo "export KUBECONFIG=${kubeconfig}"
  local kubectl
  kubectl=$(kubectl_path)
  if [[ $kubectl == "$bin_dir"/* ]]; then echo "export PATH=${bin_dir}:\$PATH"; fi
}

cmd_kubectl() {
  local kubectl
  kubectl=$(kubectl_path)
  [[ -x $kubectl ]] || die "kubectl is not built yet: run '$0 build'"
  KUBECONFIG=$kubeconfig exec "$kubectl" "$@"
}

cmd_restart_apiserver() {
  local signal=TERM
  case ${1:-} in
    --kill) signal=KILL ;;
    --term | "") ;;
    *) die "restart-apiserver: unknown option '$1' (use --kill or --term)" ;;
  esac
  running etcd || die "etcd is not running: run '$0 up' first"
  local start=$SECONDS
  stop_process kube-apiserver "$signal"
  start_apiserver
  log "kube-apiserver restarted (SIG${signal}) in $((SECONDS - start)) s"
}

# kube-apiserver's watch cache keeps serving watches from revisions that etcd has compacted
# away, so by default the apiserver restarts too: its cache then begins after the compaction.
cmd_compact() {
  local restart=yes
  case ${1:-} in
    --no-restart) restart=no ;;
    "") ;;
    *) die "compact: unknown option '$1' (use --no-restart)" ;;
  esac
  running etcd || die "etcd is not running: run '$0 up' first"
  local revision
  revision=$(compact_etcd)
  log "etcd compacted to revision ${revision}"
  if [[ $restart == yes ]]; then cmd_restart_apiserver --term; fi
}

cmd_status() {
  local name
  for name in etcd kube-apiserver; do
    if running "$name"; then
      echo "${name}: running (pid $(cat "$state/${name}.pid"), log ${state}/${name}.log)"
    else
      echo "${name}: stopped"
    fi
  done
  echo "versions: kubernetes ${k8s_version}, etcd ${etcd_version}"
  if apiserver_ready; then
    echo "ready: https://127.0.0.1:${apiserver_port}; export KUBECONFIG=${kubeconfig}"
  else
    echo "not ready"
    return 1
  fi
}

main "$@"
