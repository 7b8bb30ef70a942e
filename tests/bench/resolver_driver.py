#!/usr/bin/python3
"""Fetches the MTA-STS policy of every domain on stdin with postfix-mta-sts-resolver's own
library (its STSResolver, as its daemon uses it), `--concurrency` at a time on one asyncio loop.
Prints one JSON object: the count of each result ("VALID", "NONE", "FETCH_ERROR", ...).

Run it with Debian's interpreter (/usr/bin/python3), with /etc/resolv.conf naming the DNS server
to ask (port 53) and SSL_CERT_FILE naming the CA to trust: the library takes both from there.
"""
import argparse
import asyncio
import collections
import json
import sys

from postfix_mta_sts_resolver.resolver import STSResolver


async def fetch_all(domains, concurrency, timeout):
    resolver = STSResolver(loop=asyncio.get_running_loop(), timeout=timeout)
    gate = asyncio.Semaphore(concurrency)

    async def one(domain):
        async with gate:
            status, _ = await resolver.resolve(domain)
            return status.name

    return collections.Counter(await asyncio.gather(*(one(d) for d in domains)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--timeout", type=int, default=30)
    args = parser.parse_args()
    domains = [line.strip() for line in sys.stdin if line.strip()]
    counts = asyncio.run(fetch_all(domains, args.concurrency, args.timeout))
    print(json.dumps(dict(counts), sort_keys=True))


if __name__ == "__main__":
    main()
