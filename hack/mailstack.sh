#!/usr/bin/env bash
# The local mail stack: the world `mtasts check` and the interop tests run against, on loopback.
#
#   hack/mailstack.sh up [--owner ID]     generate what is missing and start NSD, nginx and
#                                         the SMTP servers
#   hack/mailstack.sh down [--owner ID] [--purge]
#                                         stop them (by pid); --purge also deletes the state
#   hack/mailstack.sh env                 print export lines: DNS server, CA file, addresses, ports
#   hack/mailstack.sh status              say what runs; exit 0 only if everything does
#
# What it serves comes from tests/integration/mail/scenarios.json (the scenario table): one DNS
# zone per scenario domain (NSD on 127.25.0.53:53), the policy files behind nginx on
# 127.25.0.43:443 running charts/mta-sts-operator/files/nginx.conf (the production config, used
# as is), and SMTP servers with STARTTLS on port 25 of their own 127.25.0.x addresses, with good,
# expired, expiring, wrong-name, untrusted, TLS-1.0-only and no-STARTTLS behaviour. Certificates
# come from a throwaway test CA (and a second, untrusted one) made with openssl.
#
# Environment:
#   MTASTS_MAILSTACK_DIR      state directory (default /tmp/mta-sts-mailstack); nothing is
#                             written inside the repository
#   MAILSTACK_BENCH_DOMAINS   N: also serve bench-1.test ... bench-N.test, N good domains whose
#                             MX hosts mx1..mx4.bench-pool.test sit on 127.25.0.61-64
#
# `up` is idempotent: certificates are reused while valid, and a running server is restarted
# only when its inputs changed. `up --owner ID` records ID as the owner when it starts anything;
# `down --owner ID` then stops the stack only if ID still owns it, so a test run (the ctest
# fixture passes its build directory) never stops a stack someone else started and still uses.
# Ports 53, 443 and 25 need root (postfix-mta-sts-resolver hard-codes 53 and 443).
# Needs nsd, nginx, openssl, dig and Debian's python3-aiosmtpd.
set -euo pipefail
# nginx workers run as nobody: what they read must be world-readable, whatever the caller's umask.
umask 022

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
state=${MTASTS_MAILSTACK_DIR:-/tmp/mta-sts-mailstack}
scenarios=$root/tests/integration/mail/scenarios.json
bench=${MAILSTACK_BENCH_DOMAINS:-0}
python=/usr/bin/python3 # Debian's interpreter: it has aiosmtpd
pki=$state/pki
# Set by sourcing $state/stack.env, which render.py writes from the scenario table.
dns_address='' https_address='' probe_zone=''
started=0 # set when `up` starts (or restarts) a server

die() { echo "mailstack: $*" >&2; exit 1; }
say() { echo "mailstack: $*" >&2; }

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; }

# --- processes ---------------------------------------------------------------------------------

# alive PID: true while the process exists and is not a zombie (an orphaned server that exited
# stays a zombie until init reaps it, and kill -0 still succeeds on it).
alive() {
  local stat
  read -r stat 2>/dev/null <"/proc/$1/stat" || return 1
  stat=${stat##*) }
  [[ ${stat%% *} != Z ]]
}

# running PIDFILE: true when the pid in PIDFILE is alive.
running() { [[ -s $1 ]] && alive "$(cat "$1")"; }

# stop_pid NAME PIDFILE: TERM, wait up to 5 s, then KILL; removes the pidfile.
stop_pid() {
  local name=$1 pidfile=$2 pid i
  if running "$pidfile"; then
    pid=$(cat "$pidfile")
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do alive "$pid" || break; sleep 0.05; done
    if alive "$pid"; then
      say "$name (pid $pid) ignored TERM; killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    say "stopped $name (pid $pid)"
  fi
  rm -f "$pidfile"
}

# inputs_changed NAME HASH: true when the service's inputs differ from those it was started with.
inputs_changed() { [[ ! -f $state/$1.inputs || $(cat "$state/$1.inputs") != "$2" ]]; }

# shellcheck source=SCRIPTDIR/mailstack/certs.sh
source "$root/hack/mailstack/certs.sh"

# --- servers -----------------------------------------------------------------------------------

# wait_until SECONDS NAME PIDFILE LOG COMMAND...: polls COMMAND; fails early if the server whose
# pid PIDFILE holds died (a daemon that writes its own pidfile is only checked once it has).
wait_until() {
  local seconds=$1 name=$2 pidfile=$3 log=$4 i
  shift 4
  for ((i = 0; i < seconds * 20; i++)); do
    "$@" >/dev/null 2>&1 && return 0
    if [[ -s $pidfile ]] && ! running "$pidfile"; then
      die "$name exited during start; its log ($log) ends with:
$(tail -n 15 "$log" 2>/dev/null)"
    fi
    sleep 0.05
  done
  die "$name did not become ready in ${seconds}s; its log ($log) ends with:
$(tail -n 15 "$log" 2>/dev/null)"
}

dns_answers() {
  [[ -n $(dig +short +norec +time=1 +tries=1 @"$dns_address" -p 53 SOA "$probe_zone") ]]
}

start_nsd() {
  local dir=$state/nsd pidfile=$state/nsd/run.pid inputs
  inputs=$(cat "$dir/nsd.conf" "$dir"/zones/*.zone | sha256sum)
  if running "$pidfile" && ! inputs_changed nsd "$inputs"; then return 0; fi
  stop_pid nsd "$pidfile"
  nsd-checkconf "$dir/nsd.conf" || die "NSD rejects $dir/nsd.conf"
  (exec 9>&-; cd "$dir" && exec nohup nsd -d -c "$dir/nsd.conf" >>"$dir/nsd.out" 2>&1 </dev/null) &
  echo $! >"$pidfile"
  wait_until 15 nsd "$pidfile" "$dir/nsd.log" dns_answers
  echo "$inputs" >"$state/nsd.inputs"
  started=1
  say "nsd serves $(find "$dir/zones" -name '*.zone' | wc -l) zones on $dns_address:53" \
    "(pid $(cat "$pidfile"))"
}

start_nginx() {
  local prefix=$state/nginx config=$root/charts/mta-sts-operator/files/nginx.conf inputs
  local pidfile=$state/nginx/logs/nginx.pid
  mkdir -p "$prefix/logs" "$prefix/tmp"
  # The production file itself, not a copy: the prefix is the config's directory (see its header).
  ln -sfn "$config" "$prefix/nginx.conf"
  inputs=$(cat "$config" "$prefix/listen.conf" "$prefix/intake.conf" | sha256sum)
  if running "$pidfile" && ! inputs_changed nginx "$inputs"; then return 0; fi
  stop_pid nginx "$pidfile"
  nginx -q -t -p "$prefix/" -c "$prefix/nginx.conf" || die "nginx rejects $config"
  # Its master keeps stderr (the compiled-in error log) open: give it a file, not ours.
  nginx -p "$prefix/" -c "$prefix/nginx.conf" </dev/null >>"$prefix/logs/startup.log" 2>&1 9>&- ||
    die "nginx did not start; $prefix/logs/startup.log ends with:
$(tail -n 5 "$prefix/logs/startup.log")"
  # The master has bound its socket before it daemonizes; its child writes the pidfile.
  wait_until 5 nginx "$pidfile" "$prefix/logs/error.log" running "$pidfile"
  echo "$inputs" >"$state/nginx.inputs"
  started=1
  say "nginx serves $(find "$prefix/www" -mindepth 1 -maxdepth 1 | wc -l) policy hosts on" \
    "$https_address:443 (pid $(cat "$pidfile"))"
}

smtpd_ready() { grep -q '^ready$' "$state/smtpd.log"; }

start_smtpd() {
  local pidfile=$state/smtpd.pid inputs
  inputs=$(cat "$state/smtpd.json" "$pki"/smtp-*.crt | sha256sum)
  if running "$pidfile" && ! inputs_changed smtpd "$inputs"; then return 0; fi
  stop_pid smtpd "$pidfile"
  : >"$state/smtpd.log"
  (exec 9>&-; cd "$state" && exec nohup "$python" -W ignore::DeprecationWarning \
    "$root/hack/mailstack/smtpd.py" "$state/smtpd.json" >>"$state/smtpd.log" 2>&1 </dev/null) &
  echo $! >"$pidfile"
  wait_until 20 smtpd "$pidfile" "$state/smtpd.log" smtpd_ready
  echo "$inputs" >"$state/smtpd.inputs"
  started=1
  say "SMTP servers listen on port 25 of $(grep -c '"address"' "$state/smtpd.json") addresses" \
    "(pid $(cat "$pidfile"))"
}

# --- commands ----------------------------------------------------------------------------------

lock() {
  mkdir -p "$state"
  exec 9>"$state/lock"
  flock 9
}

cmd_up() {
  local owner=-
  if [[ ${1:-} == --owner ]]; then owner=${2:?--owner needs an ID}; fi
  [[ $(id -u) -eq 0 ]] || die "up needs root: NSD binds port 53, nginx 443 and the SMTP servers 25"
  local tool
  for tool in nsd nsd-checkconf nginx openssl dig flock "$python"; do
    command -v "$tool" >/dev/null || die "$tool is missing; hack/install-deps.sh installs it"
  done
  "$python" -c 'import aiosmtpd' 2>/dev/null ||
    die "$python lacks aiosmtpd; hack/install-deps.sh installs python3-aiosmtpd"
  [[ $bench =~ ^[0-9]+$ ]] || die "MAILSTACK_BENCH_DOMAINS must be a number, not '$bench'"
  lock
  "$python" "$root/hack/mailstack/render.py" "$scenarios" "$state" "$bench" ||
    die "could not render the stack from $scenarios"
  # shellcheck source=/dev/null
  source "$state/stack.env"
  echo "nameserver $dns_address" >"$state/resolv.conf"
  make_certs
  start_nsd
  start_nginx
  start_smtpd
  if ((started)); then echo "$owner" >"$state/owner"; fi
  say "up in ${SECONDS}s; state in $state; see: $0 env"
}

cmd_down() {
  local owner='' purge=0
  while (($#)); do
    case $1 in
      --owner) owner=${2:?--owner needs an ID}; shift 2 ;;
      --purge) purge=1; shift ;;
      *) die "down: unknown option '$1'" ;;
    esac
  done
  lock
  if [[ -n $owner && -f $state/owner && $(cat "$state/owner") != "$owner" ]]; then
    say "left running: started by $(cat "$state/owner"), not by $owner"
    return 0
  fi
  stop_pid smtpd "$state/smtpd.pid"
  stop_pid nginx "$state/nginx/logs/nginx.pid"
  stop_pid nsd "$state/nsd/run.pid"
  rm -f "$state"/*.inputs "$state/owner"
  if ((purge)); then
    [[ -f $state/stack.env ]] || die "$state does not look like a mail stack; not deleting it"
    rm -rf "$state"
    say "deleted $state"
  fi
}

cmd_env() {
  [[ -f $state/stack.env ]] || die "no stack in $state; run: $0 up"
  # shellcheck source=/dev/null
  source "$state/stack.env"
  cat <<EOF
export MTASTS_MAILSTACK_DIR=$state
export MAILSTACK_SCENARIOS=$scenarios
export MAILSTACK_DNS_SERVER=$dns_address:53
export MAILSTACK_RESOLV_CONF=$state/resolv.conf
export MAILSTACK_CA_FILE=$pki/test-ca.crt
export MAILSTACK_UNTRUSTED_CA_FILE=$pki/untrusted-ca.crt
export MAILSTACK_HTTPS_ADDRESS=$https_address
export MAILSTACK_HTTPS_PORT=443
export MAILSTACK_NGINX_PREFIX=$state/nginx
export MAILSTACK_SMTP_PORT=25
EOF
  local var
  for var in $(compgen -v smtp_address_); do
    echo "export MAILSTACK_SMTP_${var#smtp_address_}=${!var}" | sed 's/_SMTP_[a-z0-9_]*/\U&/'
  done
  echo "# mtasts check --dns-server \$MAILSTACK_DNS_SERVER --ca-file \$MAILSTACK_CA_FILE good.test"
}

cmd_status() {
  local ok=0 name pidfile
  for name in nsd nginx smtpd; do
    case $name in
      nsd) pidfile=$state/nsd/run.pid ;;
      nginx) pidfile=$state/nginx/logs/nginx.pid ;;
      smtpd) pidfile=$state/smtpd.pid ;;
    esac
    if running "$pidfile"; then
      echo "$name: running (pid $(cat "$pidfile"))"
    else
      echo "$name: stopped"
      ok=3
    fi
  done
  return $ok
}

case ${1:-} in
  up) cmd_up "${@:2}" ;;
  down) cmd_down "${@:2}" ;;
  env) cmd_env ;;
  status) cmd_status ;;
  -h | --help | help) usage ;;
  *)
    echo "mailstack: unknown command '${1:-}'; usage: $0 up|down|env|status|--help" >&2
    exit 2
    ;;
esac
