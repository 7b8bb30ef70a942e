#!/usr/bin/python3
"""Renders the local mail stack's world from the scenario table into the state directory.

Usage: render.py SCENARIOS.json STATE_DIR [BENCH_DOMAINS]

Writes, under STATE_DIR:
  nsd/nsd.conf, nsd/zones/*.zone     one zone per scenario domain (plus bench zones)
  nginx/www/<host>/mta-sts.txt        the policy bodies (replaced by rename, only when changed)
  nginx/certs/<host>.pem              symlinks into pki/ (nginx picks the certificate and key by
                                      file name; the .pem holds the chain, then the key)
  smtpd.json                          the SMTP listeners for smtpd.py
  certs.plan                          one line per certificate to make: NAME PROFILE NAME,NAME,...
  stack.env, nginx/listen.conf        the addresses, for mailstack.sh and nginx
  nginx/intake.conf                   where nginx passes POSTs to /tlsrpt: port 8082 of the https
                                      address, where no operator runs (502) unless a test puts
                                      a stand-in for the operator's report intake there
Certificates themselves are made by certs.sh with openssl from certs.plan.
Exits 1 with a message naming the scenario when the table is inconsistent.
"""
import json
import os
import shutil
import sys

from world import BENCH_POOL, TableError, build_world


def write_if_changed(path, text):
    """Replaces the file by rename, and only when its content changes (keeps mtimes stable)."""
    try:
        with open(path, encoding="utf-8", newline="") as f:
            if f.read() == text:
                return False
    except FileNotFoundError:
        pass
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="") as f:
        f.write(text)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)
    return True


def zone_text(zone, records):
    lines = [f"$ORIGIN {zone}.", "$TTL 60",
             f"@ IN SOA ns.{zone}. hostmaster.{zone}. 1 3600 600 86400 60"]
    lines += [f"{owner}. IN {rtype} {rdata}" for owner, rtype, rdata in records]
    return "\n".join(lines) + "\n"


def nsd_conf(state, world):
    nsd = os.path.join(state, "nsd")
    lines = ["server:",
             f"  ip-address: {world.servers['dns']}@53",
             '  username: ""', '  chroot: ""', '  database: ""',
             f'  zonesdir: "{nsd}/zones"', f'  pidfile: "{nsd}/nsd.pid"',
             f'  logfile: "{nsd}/nsd.log"', f'  xfrdfile: "{nsd}/xfrd.state"',
             f'  zonelistfile: "{nsd}/zone.list"', f'  xfrdir: "{nsd}"',
             "  server-count: 1", "  verbosity: 1", "  hide-version: yes",
             "remote-control:", "  control-enable: no"]
    for zone in sorted(world.zones):
        lines += ["zone:", f"  name: {zone}", f"  zonefile: {zone}.zone"]
    # A zone NSD is told about but has no data for is answered with SERVFAIL.
    for zone in sorted(world.servfail_zones):
        lines += ["zone:", f"  name: {zone}", "  zonefile: absent-on-purpose.zone"]
    return "\n".join(lines) + "\n"


def write_dns(state, world):
    zones_dir = os.path.join(state, "nsd", "zones")
    os.makedirs(zones_dir, exist_ok=True)
    wanted = set()
    for zone, records in world.zones.items():
        wanted.add(zone + ".zone")
        write_if_changed(os.path.join(zones_dir, zone + ".zone"), zone_text(zone, records))
    for stale in set(os.listdir(zones_dir)) - wanted:
        os.remove(os.path.join(zones_dir, stale))
    write_if_changed(os.path.join(state, "nsd", "nsd.conf"), nsd_conf(state, world))


def write_https(state, world):
    www = os.path.join(state, "nginx", "www")
    certs = os.path.join(state, "nginx", "certs")
    os.makedirs(www, exist_ok=True)
    os.makedirs(certs, exist_ok=True)
    for host, body in world.policies.items():
        write_if_changed(os.path.join(www, host, "mta-sts.txt"), body)
    for stale in set(os.listdir(www)) - set(world.policies) - {world.servers["https_scratch_host"]}:
        shutil.rmtree(os.path.join(www, stale))
    wanted = set()
    for host, cert in world.host_certs.items():
        link = os.path.join(certs, f"{host}.pem")
        target = os.path.join("..", "..", "pki", f"{cert}.pem")
        wanted.add(f"{host}.pem")
        if os.path.islink(link) and os.readlink(link) == target:
            continue
        if os.path.lexists(link):
            os.remove(link)
        os.symlink(target, link)
    for stale in set(os.listdir(certs)) - wanted:
        os.remove(os.path.join(certs, stale))


def write_smtp(state, world):
    pki = os.path.join(state, "pki")
    listeners = [{"name": name, "address": listener["address"], "port": 25,
                  "banner": f"smtp-{listener['address'].replace('.', '-')}.mailstack.test",
                  "tls": listener["tls"],
                  "cert": os.path.join(pki, f"smtp-{name}.crt"),
                  "key": os.path.join(pki, f"smtp-{name}.key"),
                  **({"greeting": listener["greeting"]} if "greeting" in listener else {})}
                 for name, listener in world.servers["smtp"].items()]
    if "smtp-bench" in world.certs:
        listeners += [{"name": f"bench{i + 1}", "address": address, "port": 25,
                       "banner": f"mx{i + 1}.{BENCH_POOL}", "tls": "modern",
                       "cert": os.path.join(pki, "smtp-bench.crt"),
                       "key": os.path.join(pki, "smtp-bench.key")}
                      for i, address in enumerate(world.servers["bench_smtp"])]
    write_if_changed(os.path.join(state, "smtpd.json"), json.dumps(listeners, indent=1) + "\n")


def write_cert_plan(state, world):
    lines = [f"{name} {profile} {','.join(names)}"
             for name, (profile, names) in sorted(world.certs.items())]
    write_if_changed(os.path.join(state, "certs.plan"), "\n".join(lines) + "\n")


def write_env(state, world):
    """Addresses for mailstack.sh (sourced), and the listen and intake lines for nginx."""
    servers = world.servers
    lines = [f"dns_address={servers['dns']}", f"https_address={servers['https']}",
             f"probe_zone={next(iter(world.zones))}"]
    lines += [f"smtp_address_{name.replace('-', '_').replace('.', '_')}={listener['address']}"
              for name, listener in servers["smtp"].items()]
    write_if_changed(os.path.join(state, "stack.env"), "\n".join(lines) + "\n")
    write_if_changed(os.path.join(state, "nginx", "listen.conf"),
                     f"listen {servers['https']}:443 ssl;\n")
    write_if_changed(os.path.join(state, "nginx", "intake.conf"),
                     f"server {servers['https']}:8082;\n")


def main(argv):
    if len(argv) not in (3, 4) or argv[1] in ("-h", "--help"):
        print(__doc__, file=sys.stderr)
        return 2
    bench = int(argv[3]) if len(argv) == 4 and argv[3] else 0
    try:
        with open(argv[1], encoding="utf-8") as f:
            table = json.load(f)
        world = build_world(table, bench)
    except (OSError, json.JSONDecodeError, TableError) as e:
        print(f"render: {argv[1]}: {e}", file=sys.stderr)
        return 1
    state = argv[2]
    write_dns(state, world)
    write_https(state, world)
    write_smtp(state, world)
    write_cert_plan(state, world)
    write_env(state, world)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
