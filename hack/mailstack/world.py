"""The local mail stack's world, built from the scenario table: zone records, policy files,
certificates to make and SMTP listeners. Pure: reads the table, writes nothing (render.py does).

build_world(table, bench_domains) -> World, or TableError naming the scenario at fault.
Certificate profiles (made by certs.sh): good, expired, expiring, wrong-name, untrusted.
"""

WRONG_NAMES = ["mx.elsewhere.test", "mta-sts.elsewhere.test"]
BENCH_POOL = "bench-pool.test"
BENCH_POLICY_BODY = "version: STSv1\r\nmode: enforce\r\nmx: {mx}\r\nmax_age: 1209600\r\n"


class TableError(Exception):
    pass


class World:
    """Everything the stack serves: zone records, policy files, certificates, listeners."""

    def __init__(self, servers):
        self.servers = servers
        self.zones = {}  # zone name -> list of (owner, type, rdata)
        self.servfail_zones = []
        self.policies = {}  # policy host -> body
        self.host_certs = {}  # policy host -> certificate name
        self.certs = {}  # certificate name -> (profile, [names])
        self.mx_by_listener = {name: [] for name in servers["smtp"]}

    def add_record(self, name, rtype, rdata):
        zone = max((z for z in self.zones if name == z or name.endswith("." + z)),
                   key=len, default=None)
        if zone is None:
            raise TableError(f"{name}: not inside any zone of the table; "
                             "put it under one of the scenario domains")
        self.zones[zone].append((name, rtype, rdata))

    def add_zone(self, zone):
        self.zones[zone] = [(zone, "NS", "ns." + zone + "."),
                            ("ns." + zone, "A", self.servers["dns"])]

    def add_policy_host(self, host, body, profile):
        if body is not None:
            self.policies[host] = body
        cert = "https-" + host
        self.host_certs[host] = cert
        self.certs[cert] = (profile, WRONG_NAMES if profile == "wrong-name" else [host])


def table_octets(text):
    """The table writes one octet per character (U+0000-U+00FF), so a scenario can publish
    bytes that are not ASCII or not printable."""
    try:
        return text.encode("latin-1")
    except UnicodeEncodeError as e:
        raise TableError(f"{text!r}: one octet per character, U+0000-U+00FF only") from e


def txt_rdata(record):
    strings = [record] if isinstance(record, str) else record
    quoted = []
    for s in strings:
        octets = table_octets(s)
        if len(octets) > 255:
            raise TableError(f"TXT string {s!r}: at most 255 octets")
        # Zone-file escapes (\DDD, decimal) for everything but plain printable ASCII.
        text = "".join(chr(b) if 0x20 <= b < 0x7f and b not in b'"\\' else f"\\{b:03d}"
                       for b in octets)
        quoted.append(f'"{text}"')
    return " ".join(quoted)


def add_scenario(world, sc):
    domain = sc["domain"]
    world.add_zone(domain)
    for name in sc.get("dns", {}).get("servfail", []):
        world.servfail_zones.append(name)
    for mx in sc["mx"]:
        listener = world.servers["smtp"].get(mx["server"])
        if listener is None:
            raise TableError(f"{domain}: mx {mx['host']} names unknown server {mx['server']!r}")
        world.add_record(domain, "MX", f"{mx['priority']} {mx['host']}.")
        world.add_record(mx["host"], "A", listener["address"])
        world.mx_by_listener[mx["server"]].append(mx["host"])
    for record in sc.get("txt", []):
        world.add_record("_mta-sts." + domain, "TXT", txt_rdata(record))
    for record in sc.get("tlsrpt", []):
        world.add_record("_smtp._tls." + domain, "TXT", txt_rdata(record))
    policy_host = sc.get("policy_host", {})
    host = "mta-sts." + domain
    if policy_host.get("address", True):
        world.add_record(host, "A", world.servers["https"])
    world.add_policy_host(host, sc["policy"], policy_host.get("cert", "good"))


def add_bench(world, count):
    """N synthetic good domains, each with its own policy host certificate; their MX hosts are
    shared, as big providers share theirs."""
    pool = world.servers["bench_smtp"]
    world.add_zone(BENCH_POOL)
    mx_hosts = [f"mx{i + 1}.{BENCH_POOL}" for i in range(len(pool))]
    for mx, address in zip(mx_hosts, pool):
        world.add_record(mx, "A", address)
    world.certs["smtp-bench"] = ("good", mx_hosts)
    for n in range(1, count + 1):
        domain = f"bench-{n}.test"
        mx = mx_hosts[n % len(mx_hosts)]
        world.add_zone(domain)
        world.add_record(domain, "MX", f"10 {mx}.")
        world.add_record("_mta-sts." + domain, "TXT", '"v=STSv1; id=20261128T000000Z"')
        world.add_record("_smtp._tls." + domain, "TXT", f'"v=TLSRPTv1; rua=mailto:tlsrpt@{domain}"')
        world.add_record("mta-sts." + domain, "A", world.servers["https"])
        # A certificate of its own, as each real domain has: one shared certificate naming
        # every bench host would make each handshake parse N names.
        world.add_policy_host("mta-sts." + domain, BENCH_POLICY_BODY.format(mx=mx), "good")


def build_world(table, bench):
    world = World(table["servers"])
    domains = [sc["domain"] for sc in table["scenarios"]]
    if len(set(domains)) != len(domains):
        raise TableError("scenario domains must be unique")
    for sc in table["scenarios"]:
        try:
            add_scenario(world, sc)
        except (KeyError, TypeError) as e:
            raise TableError(f"{sc.get('domain', '?')}: missing or malformed field {e}") from e
    scratch = world.servers["https_scratch_host"]
    world.add_policy_host(scratch, "version: STSv1\r\nmode: none\r\nmax_age: 86400\r\n", "good")
    for name, listener in world.servers["smtp"].items():
        if listener["cert"] is not None:
            names = world.mx_by_listener[name] or [f"{name}.smtp.test"]
            if listener["cert"] == "wrong-name":
                names = WRONG_NAMES
            world.certs["smtp-" + name] = (listener["cert"], sorted(set(names)))
    if bench:
        add_bench(world, bench)
    return world
