#!/usr/bin/python3
"""The reference for probe_bench's "discovery" mode: postfix-mta-sts-resolver (Debian's
python3 package) discovering COUNT policies, CONCURRENCY at a time, with its own STSResolver.

It reads DNS servers only from /etc/resolv.conf and fetches from port 443, so run it against
the local mail stack in a private mount namespace (the system file is never touched):

  eval "$(hack/mailstack.sh env)"
  SSL_CERT_FILE=$MAILSTACK_CA_FILE unshare --mount sh -c \\
    'mount --bind "$0" /etc/resolv.conf && exec /usr/bin/python3 "$@"' "$MAILSTACK_RESOLV_CONF" \\
    tests/bench/postfix_resolver_bench.py 1000 16 good.test multi-string.test

Prints domains/s and CPU seconds per 1000 domains, in probe_bench's format.
"""
import asyncio
import resource
import sys
import time

from postfix_mta_sts_resolver.resolver import STSFetchResult, STSResolver


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def main(count, concurrency, domains):
    resolver = STSResolver(loop=asyncio.get_running_loop(), timeout=30)
    slots = asyncio.Semaphore(concurrency)

    async def discover(domain):
        async with slots:
            status, _ = await resolver.resolve(domain)
            return status == STSFetchResult.VALID

    cpu_start, start = cpu_seconds(), time.monotonic()
    ok = sum(await asyncio.gather(*(discover(domains[i % len(domains)]) for i in range(count))))
    wall, cpu = time.monotonic() - start, cpu_seconds() - cpu_start
    print(f"resolver: domains={count} ok={ok} concurrency={concurrency} wall={wall:.2f}s "
          f"domains/s={count / wall:.1f} cpu={cpu:.2f}s cpu/1000={cpu * 1000 / count:.2f}s")
    return 0 if ok == count else 1


if __name__ == "__main__":
    if len(sys.argv) < 4:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(asyncio.run(main(int(sys.argv[1]), int(sys.argv[2]), sys.argv[3:])))
