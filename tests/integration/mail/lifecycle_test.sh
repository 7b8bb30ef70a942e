#!/usr/bin/env bash
# hack/mailstack.sh on a running stack: `up` again is a no-op (same processes, nothing remade),
# `status` and `env` tell the truth, bad input is refused with a clear message and exit status.
set -euo pipefail

: "${MTASTS_MAILSTACK_DIR:?run under ctest (label mail) or after: eval \"\$(hack/mailstack.sh env)\"}"
stack=$(cd "$(dirname "$0")/../../.." && pwd)/hack/mailstack.sh
failures=0
expect() { # expect WHAT COMMAND...: the command must succeed
  if "${@:2}" >/dev/null; then echo "ok   $1"; else echo "FAIL $1"; failures=$((failures + 1)); fi
}

# Converge first: on a shared machine someone else's `up` may have changed what is served.
"$stack" up 2>/dev/null
before=$("$stack" status)
expect "status reports all three servers running" test "$(grep -c running <<<"$before")" == 3
expect "status exits 0 while everything runs" "$stack" status
stamp=$(stat -c %Y "$MTASTS_MAILSTACK_DIR/pki/test-ca.crt")
log=$("$stack" up 2>&1)
expect "a second up keeps every process" test "$("$stack" status)" == "$before"
expect "a second up restarts nothing" test "$(grep -c -E 'serves|listen' <<<"$log" || true)" == 0
if grep -q -E 'serves|listen' <<<"$log"; then echo "the second up said: $log"; fi
expect "a second up remakes no certificate" \
  test "$(stat -c %Y "$MTASTS_MAILSTACK_DIR/pki/test-ca.crt")" == "$stamp"
expect "env names the DNS server the fixture uses" \
  grep -qx "export MAILSTACK_DNS_SERVER=$MAILSTACK_DNS_SERVER" <("$stack" env)

set +e
out=$(MAILSTACK_BENCH_DOMAINS=lots "$stack" up 2>&1)
code=$?
out2=$("$stack" frobnicate 2>&1)
code2=$?
set -e
expect "a bad MAILSTACK_BENCH_DOMAINS is refused" test "$code" == 1
expect "and the message says what is wrong" grep -q "must be a number, not 'lots'" <<<"$out"
expect "an unknown command exits 2" test "$code2" == 2
expect "and names the command" grep -q "unknown command 'frobnicate'" <<<"$out2"
expect "the stack still runs after bad input" "$stack" status

((failures == 0)) || { echo "$failures check(s) failed"; exit 1; }
echo "all checks passed"
