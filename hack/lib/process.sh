# shellcheck shell=bash
# Running local servers from a script: start detached, tell ours from a reused pid, wait until
# ready, stop. Shared by hack/controlplane.sh and hack/dnsstack.sh. Sourced, not run; the caller
# sets $state (the folder of NAME.pid and NAME.log), log, die, and fail_start NAME WHY (what to
# clean up when a server does not start), and may set $port_hint (how to choose other ports).

pid_of() { cat "$state/$1.pid" 2>/dev/null || true; }

# True until the process has exited and closed its files (sockets included). Not `running`:
# an exiting process drops its command line before it closes its files.
alive() { [[ -e /proc/$1 && $(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null) != Z ]]; }

# True when the pid file names a live process running that binary, so a pid reused after a
# crash or reboot is never mistaken for ours.
running() {
  local pid argv0
  pid=$(pid_of "$1")
  [[ -n $pid ]] && alive "$pid" || return 1
  argv0=$(tr '\0' '\n' 2>/dev/null <"/proc/$pid/cmdline" | head -1)
  [[ $argv0 == */"$1" ]]
}

# launch NAME CMD ARGS...: starts a server detached, output appended to $state/NAME.log.
launch() {
  local name=$1
  shift
  echo "==== $(date -u +%FT%TZ) starting: $*" >>"$state/$name.log"
  (cd "$state" && exec nohup "$@" >>"$state/$name.log" 2>&1 </dev/null) &
  local pid=$! i
  echo "$pid" >"$state/$name.pid"
  # The child becomes the server only at its exec; until then its command line is bash's or
  # nohup's, and `running` would take a server that is still starting for one that exited.
  for ((i = 0; i < 100; i++)); do
    { running "$name" || ! alive "$pid"; } && break
    sleep 0.05
  done
}

# stop_process NAME [SIGNAL]: signals the server (TERM by default), waits for it to exit, and
# escalates to KILL after 20 s. Removes the pid file.
stop_process() {
  local name=$1 signal=${2:-TERM} pid i
  if running "$name"; then
    pid=$(pid_of "$name")
    kill "-$signal" "$pid" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do
      alive "$pid" || break
      sleep 0.2
    done
    if alive "$pid"; then
      log "${name} (pid ${pid}) ignored SIG${signal} for 20 s: sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      while alive "$pid"; do sleep 0.1; done
    fi
  fi
  rm -f "$state/$name.pid"
}

# wait_until NAME SECONDS CHECK...: polls CHECK until it succeeds; fails with the log's tail
# when the server exits or the time runs out.
wait_until() {
  local name=$1 limit=$2
  shift 2
  local deadline=$((SECONDS + limit))
  until "$@"; do
    if ! running "$name"; then
      fail_start "$name" "exited while starting"
    elif ((SECONDS >= deadline)); then
      fail_start "$name" "not ready after ${limit} s"
    fi
    sleep 0.25
  done
}

port_free() { [[ -z $(ss -Hltn "sport = :$1" 2>/dev/null) ]]; }

# Waits up to 10 s for a port to be free: a killed server's threads may still be closing it.
wait_port_free() {
  local i
  for ((i = 0; i < 50; i++)); do
    port_free "$1" && return
    sleep 0.2
  done
  die "port ${1} is in use ($(ss -Hltnp "sport = :$1" | head -1)); stop that process${port_hint:+ or ${port_hint}}"
}
