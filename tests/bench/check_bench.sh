#!/usr/bin/env bash
# Benchmark: `mtasts check` against postfix-mta-sts-resolver on the same synthetic domains served
# by the local mail stack (bench-1.test ... bench-N.test), in one run, with the same concurrency.
#
#   tests/bench/check_bench.sh                 1000 domains, concurrency 64
#   BENCH_DOMAINS=200 BENCH_CONCURRENCY=32 MTASTS=build/src/cli/mtasts tests/bench/check_bench.sh
#
# mtasts does the whole check of each domain (both TXT records, the MX set, the policy over
# HTTPS, STARTTLS and the certificate of every MX address, which the run probes once per
# (host, address)); the resolver does what a sending MTA does before delivery (the _mta-sts TXT
# and the policy over HTTPS). Both must find every domain valid, or the figures do not count.
# Prints wall time, domains/s, CPU seconds (user+sys), peak RSS (/usr/bin/time), the CPU seconds
# the stack's servers spent meanwhile, the ratios, and the load average before and after, since
# the machine may be shared. Needs root (the stack listens on ports 53, 443 and 25; the resolver
# runs in a private mount namespace).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
n=${BENCH_DOMAINS:-1000}
concurrency=${BENCH_CONCURRENCY:-64}
mtasts=${MTASTS:-$root/build/src/cli/mtasts}
[[ -x $mtasts ]] || { echo "check_bench: no mtasts binary at $mtasts; build it or set MTASTS" >&2; exit 2; }

MAILSTACK_BENCH_DOMAINS=$n "$root/hack/mailstack.sh" up >&2
eval "$("$root/hack/mailstack.sh" env)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
seq -f "bench-%g.test" 1 "$n" >"$work/domains"
timefmt='%e %U %S %M'  # wall s, user s, sys s, peak RSS KiB
state=${MTASTS_MAILSTACK_DIR:-/tmp/mta-sts-mailstack}
ticks=$(getconf CLK_TCK)

# CPU seconds the stack's servers (nginx, NSD, the SMTP server, with their children) have used so
# far. They share the cores with the tool measured, and one nginx worker serves every policy
# fetch, so their figure shows how much of a tool's wall time the server side sets.
servers_cpu() {
  local pid stats=() f
  for f in nginx/logs/nginx.pid nsd/nsd.pid smtpd.pid; do
    read -r pid <"$state/$f" || continue
    for pid in "$pid" $(pgrep -P "$pid" || true); do stats+=("/proc/$pid/stat"); done
  done
  # Fields after the command name: utime and stime are the 12th and 13th.
  cat "${stats[@]}" 2>/dev/null | sed 's/^.*) //' |
    awk -v hz="$ticks" '{t += $12 + $13} END {printf "%.2f\n", t / hz}'
}

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"

# Both output forms: the human report (the default) and --json, which also carries each
# domain's policy and certificate details.
servers_cpu >"$work/servers.cpu"
# shellcheck disable=SC2046  # one argument per domain
/usr/bin/time -f "$timefmt" -o "$work/text.time" "$mtasts" check \
  --dns-server "$MAILSTACK_DNS_SERVER" --ca-file "$MAILSTACK_CA_FILE" \
  --concurrency "$concurrency" $(cat "$work/domains") >"$work/mtasts.txt" || true
servers_cpu >>"$work/servers.cpu"
text_ok=$(grep -c '^bench-[0-9]*\.test: ready for mode: enforce$' "$work/mtasts.txt" || true)
# shellcheck disable=SC2046
/usr/bin/time -f "$timefmt" -o "$work/json.time" "$mtasts" check --json \
  --dns-server "$MAILSTACK_DNS_SERVER" --ca-file "$MAILSTACK_CA_FILE" \
  --concurrency "$concurrency" $(cat "$work/domains") >"$work/mtasts.json" || true
servers_cpu >>"$work/servers.cpu"
json_ok=$(/usr/bin/python3 -c '
import json, sys
print(sum(1 for r in json.load(open(sys.argv[1])) if r["enforce_ready"] and r["policy"]))' \
  "$work/mtasts.json")

unshare --mount sh -c '
  mount --bind "$1" /etc/resolv.conf &&
  exec env SSL_CERT_FILE="$2" /usr/bin/time -f "$3" -o "$4" \
    /usr/bin/python3 "$5" --concurrency "$6" <"$7" >"$8"' sh \
  "$MAILSTACK_RESOLV_CONF" "$MAILSTACK_CA_FILE" "$timefmt" "$work/resolver.time" \
  "$root/tests/bench/resolver_driver.py" "$concurrency" "$work/domains" "$work/resolver.json"
servers_cpu >>"$work/servers.cpu"
resolver_ok=$(/usr/bin/python3 -c '
import json, sys
print(json.load(open(sys.argv[1])).get("VALID", 0))' "$work/resolver.json")

echo "load after:  $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/python3 - "$n" "$concurrency" "$text_ok" "$json_ok" "$resolver_ok" \
  "$(cat "$work/text.time")" "$(cat "$work/json.time")" "$(cat "$work/resolver.time")" \
  "$(cat "$work/servers.cpu")" <<'PY'
import sys
n, conc, text_ok, json_ok, r_ok = (int(x) for x in sys.argv[1:6])
def parse(line):
    wall, user, sys_, rss = line.split()[-4:]
    return {"wall": float(wall), "cpu": float(user) + float(sys_), "rss": int(rss) / 1024}
text, js, r = (parse(x) for x in sys.argv[6:9])
marks = [float(x) for x in sys.argv[9].split()]  # servers' CPU s before and after each run
for t, before, after in zip((text, js, r), marks, marks[1:]):
    t["servers"] = after - before
print(f"{n} domains, concurrency {conc}")
print(f"{'':28}{'valid':>7}{'wall s':>9}{'domains/s':>11}{'CPU s':>8}{'peak RSS MiB':>14}"
      f"{'servers CPU s':>15}")
rows = (("mtasts check", text_ok, text), ("mtasts check --json", json_ok, js),
        ("postfix-mta-sts-resolver", r_ok, r))
for name, ok, t in rows:
    print(f"{name:28}{ok:>7}{t['wall']:>9.2f}{n / t['wall']:>11.1f}{t['cpu']:>8.2f}{t['rss']:>14.1f}"
          f"{t['servers']:>15.2f}")
for name, _, t in rows[:2]:
    print(f"{name}: {r['wall'] / t['wall']:.1f}x the resolver's domains/s, "
          f"{t['cpu'] / r['cpu']:.2f}x its CPU seconds, {t['rss'] / r['rss']:.2f}x its peak RSS")
if min(text_ok, json_ok, r_ok) != n:
    sys.exit(f"not every domain was valid (mtasts {text_ok}/{json_ok}, resolver {r_ok}, of {n}):"
             " figures void")
PY
