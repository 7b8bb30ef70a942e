# shellcheck shell=bash
# BIND9 as the test zones' authoritative server: TSIG-signed RFC 2136 updates and AXFR (what
# external-dns's rfc2136 provider needs), no recursion. Sourced by hack/dnsstack.sh, after lib.sh.

named_bin=$(command -v named || echo /usr/sbin/named)

# Ready: our named runs and answers the first zone's SOA.
bind_ready() {
  running named &&
    [[ -n $(dig +short +time=1 +tries=1 -p "$port" @127.0.0.1 "${zones%% *}" SOA 2>/dev/null) ]]
}

start_bind() {
  [[ -x $named_bin ]] || die "named is not installed; run hack/install-deps.sh"
  stop_process named KILL
  rm -rf "$state/zones" "$state/named.log"
  mkdir -p "$state/zones"
  wait_port_free "$port"
  write_named_conf >"$state/named.conf"
  local zone
  for zone in $zones; do write_zone "$zone" >"$state/zones/$zone.zone"; done
  # -g: foreground, log to stderr (our log file); -u root: the state folder is root's.
  launch named "$named_bin" -g -u root -c "$state/named.conf"
  wait_until named 30 bind_ready
}

write_named_conf() {
  cat <<EOF2
options {
  directory "${state}";
  pid-file "${state}/named.pid.bind";
  session-keyfile "${state}/session.key";
  listen-on port ${port} { 127.0.0.1; };
  listen-on-v6 { none; };
  recursion no;
  dnssec-validation no;
  notify no;
};
controls { };
key "${tsig_name}" { algorithm hmac-sha256; secret "$(tsig_secret)"; };
EOF2
  local zone
  for zone in $zones; do
    cat <<EOF2
zone "${zone}" {
  type primary;
  file "${state}/zones/${zone}.zone";
  allow-update { key "${tsig_name}"; };
  allow-transfer { key "${tsig_name}"; };
};
EOF2
  done
}

# A zone with only its SOA and NS: everything else comes from external-dns or the test.
write_zone() {
  cat <<EOF2
\$TTL 60
@   IN SOA ns.${1}. hostmaster.${1}. ( 1 60 60 3600 60 )
    IN NS  ns.${1}.
ns  IN A   127.0.0.1
EOF2
}
