#!/usr/bin/python3
"""The operator's test world on its own, before any operator runs in it: nginx with the production
config serves what is in its serve dir, external-dns publishes a DNSEndpoint into BIND9, the CA
issuer signs a Certificate written as the operator writes it, and nothing is left running.

    harness_test.py [unittest args]   (KUBECONFIG and MTASTS_CONTROLPLANE set; BIND9 up)
"""
import datetime
import os
import socket
import time
import unittest

import world
from world import ZONE, wait_for

POLICY = b"version: STSv1\r\nmode: testing\r\nmx: mx1.h.operator.test\r\nmax_age: 86400\r\n"


def serve_by_hand(nginx, host, policy, chain, key):
    """Writes what the syncer writes, in both certificate layouts nginx.conf may read (one
    combined PEM, or .crt and .key), so the test holds whichever the config uses."""
    www, certs = os.path.join(nginx.prefix, "www", host), os.path.join(nginx.prefix, "certs")
    os.makedirs(www, exist_ok=True)
    os.makedirs(certs, exist_ok=True)
    for path, data in ((os.path.join(www, "mta-sts.txt"), policy),
                       (os.path.join(certs, host + ".pem"), chain + key),
                       (os.path.join(certs, host + ".crt"), chain),
                       (os.path.join(certs, host + ".key"), key)):
        with open(path + ".tmp", "wb") as f:
            f.write(data)
        os.chmod(path + ".tmp", 0o640)
        os.rename(path + ".tmp", path)


class Nginx(world.WorldTestCase):
    def test_serves_the_serve_dir_and_stops_and_starts(self):
        host = f"mta-sts.h.{ZONE}"
        first, second = self.world.add_nginx(), self.world.add_nginx()
        chain, key, _, _ = self.world.ca.sign([host], datetime.timedelta(days=1))
        serve_by_hand(first, host, POLICY, chain, key)
        self.assertEqual(first.fetch(host), (200, POLICY))
        # The other instance has its own serve dir, without this host: no handshake.
        self.assertIsNone(second.served(host))
        first.stop()
        self.assertIsNone(first.served(host))
        first.start()
        self.assertEqual(first.served(host), POLICY)


class ExternalDns(world.WorldTestCase):
    def test_publishes_a_dnsendpoint_that_mtasts_check_then_reads(self):
        w = self.world
        w.apply_crds()
        nginx = w.add_nginx()
        w.start_external_dns()
        domain, policy_id = f"h.{ZONE}", "20261130T000000Zharness"
        chain, key, _, _ = w.ca.sign([f"mta-sts.{domain}"], datetime.timedelta(days=1))
        serve_by_hand(nginx, f"mta-sts.{domain}", POLICY, chain, key)
        started = time.monotonic()
        w.apply(f"""apiVersion: externaldns.k8s.io/v1alpha1
kind: DNSEndpoint
metadata: {{name: by-hand}}
spec:
  endpoints:
  - {{dnsName: _mta-sts.{domain}, recordType: TXT, recordTTL: 60,
     targets: ['"v=STSv1; id={policy_id}"']}}
  - {{dnsName: mta-sts.{domain}, recordType: A, recordTTL: 60, targets: [{nginx.address}]}}
""")
        wait_for(lambda: world.sts_ids(f"_mta-sts.{domain}") == [policy_id], 15, "the id")
        wait_for(lambda: world.dig(f"mta-sts.{domain}", "A") == [nginx.address], 15, "the A")
        print(f"external-dns published in {time.monotonic() - started:.1f} s")
        self.assertEqual(world.dig(f"_mta-sts.{domain}"), [f"v=STSv1; id={policy_id}"])
        # mtasts check, as the operator tests run it, reads both through BIND9 and nginx.
        report = w.check(domain)
        self.assertEqual(report["txt"]["mta_sts"]["id"], policy_id, report)
        self.assertEqual((report["policy"]["http_status"], report["policy"]["mode"],
                          report["policy"]["mx"]), (200, "testing", [f"mx1.{domain}"]), report)


class OrderCheck(world.WorldTestCase):
    """The check behind "served first, announced second", on real nginx and DNS: it passes when
    the bytes were served before the id was published and fails when they came after."""

    def test_tells_serving_first_from_announcing_first(self):
        w = self.world
        w.apply_crds()
        nginx = w.add_nginx()
        w.start_external_dns()
        host = f"mta-sts.o.{ZONE}"
        chain, key, _, _ = w.ca.sign([host], datetime.timedelta(days=1))

        def publish(policy_id):
            w.apply(f"""apiVersion: externaldns.k8s.io/v1alpha1
kind: DNSEndpoint
metadata: {{name: order}}
spec:
  endpoints:
  - {{dnsName: _mta-sts.o.{ZONE}, recordType: TXT, targets: ['"v=STSv1; id={policy_id}"']}}
""")
            wait_for(lambda: policy_id in world.sts_ids(f"_mta-sts.o.{ZONE}"), 15, policy_id)

        def serve(data):
            serve_by_hand(nginx, host, data, chain, key)
            wait_for(lambda: nginx.served(host) == data, 15, "served")

        for first in ("serve", "announce"):
            data, policy_id = POLICY + first.encode(), f"20261130T000000Z{first}"
            served = world.Timeline(lambda: nginx.served(host))
            dns = world.Timeline(lambda: tuple(world.sts_ids(f"_mta-sts.o.{ZONE}")))
            with served, dns:
                steps = [lambda: serve(data), lambda: publish(policy_id)]
                for step in steps if first == "serve" else reversed(steps):
                    step()
                    time.sleep(0.5)  # a breach longer than the samples' resolution
            problems = world.announced_before_served({nginx.endpoint: served}, dns, data,
                                                     policy_id)
            if first == "serve":
                self.assertEqual(problems, [])
            else:
                self.assertEqual(len(problems), 1, problems)
                self.assertIn("did not serve its bytes yet", problems[0])


class CaIssuer(world.WorldTestCase):
    def test_signs_the_certificate_the_operator_writes(self):
        w = self.world
        w.apply_crds()
        w.start_ca_issuer()
        host = f"mta-sts.h.{ZONE}"
        w.apply(f"""apiVersion: cert-manager.io/v1
kind: Certificate
metadata: {{name: h-mta-sts}}
spec:
  dnsNames: [{host}]
  secretName: h-mta-sts-tls
  issuerRef: {{kind: ClusterIssuer, name: test-ca}}
  secretTemplate:
    labels: {{app.kubernetes.io/managed-by: mta-sts-operator, mtasts.io/content: certificate}}
    annotations: {{mtasts.io/policy-host: {host}, mtasts.io/policy: {w.namespace}/h}}
""")
        secret = wait_for(lambda: w.get("v1", "secrets", "h-mta-sts-tls"), 15, "the Secret")
        self.assertEqual(secret["metadata"]["labels"]["mtasts.io/content"], "certificate")
        self.assertEqual(secret["type"], "kubernetes.io/tls")
        ready = wait_for(lambda: [c for c in (w.get("cert-manager.io/v1", "certificates",
                                                    "h-mta-sts").get("status") or {})
                                  .get("conditions", []) if c["type"] == "Ready"], 15, "Ready")
        self.assertEqual((ready[0]["status"], ready[0]["reason"]), ("True", "Ready"))


class MailParts(world.WorldTestCase):
    """The MX servers of each certificate profile, MX records in BIND9, and the sender
    (postfix-mta-sts-resolver) fetching a policy through the relay and nginx on port 443: what
    the rollout tests build on. mtasts check names each broken MX as the operator's gates do."""

    def test_mx_servers_records_and_a_sender(self):
        w = self.world
        nginx = w.add_nginx(sender_port=True)
        domain = f"m.{ZONE}"
        hosts = {profile: f"{profile}.{domain}" for profile in world.MX_PROFILES}
        address = w.start_mx_servers({p: (p, [h]) for p, h in hosts.items()})
        host, policy_id = f"mta-sts.{domain}", "20261130T000000Zmail"
        chain, key, _, _ = w.ca.sign([host], datetime.timedelta(days=1))
        serve_by_hand(nginx, host, POLICY, chain, key)
        w.set_mx(domain, [(h, address[p]) for p, h in hosts.items()])
        world.nsupdate(w, [f"update delete _mta-sts.{domain} TXT",
                           f'update add _mta-sts.{domain} 5 TXT "v=STSv1; id={policy_id}"',
                           f"update delete {host} A", f"update add {host} 5 A {nginx.address}"])
        self.assertEqual(world.dig(domain, "MX"),
                         sorted(f"{10 * i} {h}." for i, h in enumerate(hosts.values(), 1)))
        report = w.check(domain)
        codes = {(f["code"], f.get("target", "")) for f in report["findings"]}
        for profile, code in (("expired", "certificate-expired"),
                              ("wrong-name", "certificate-host-mismatch"),
                              ("untrusted", "certificate-not-trusted"),
                              ("expiring", "certificate-expiring")):
            # A certificate finding names the MX address that presented it.
            self.assertIn((code, address[profile]), codes, profile)
        self.assertFalse([c for c, t in codes if t == address["good"]], codes)
        view = w.sender().fetch(domain)
        self.assertEqual((view.result, view.policy_id, view.mode, view.mx),
                         ("VALID", policy_id, "testing", ("mx1.h.operator.test",)), view)
        world.nsupdate(w, [f"update delete _mta-sts.{domain} TXT"])
        self.assertEqual(w.sender().fetch(domain).result, "NONE")


def endpoint_and_certificate(name, policy_id):
    return f"""apiVersion: externaldns.k8s.io/v1alpha1
kind: DNSEndpoint
metadata: {{name: {name}}}
spec:
  endpoints:
  - {{dnsName: _mta-sts.{name}.{ZONE}, recordType: TXT, targets: ['"v=STSv1; id={policy_id}"']}}
---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata: {{name: {name}}}
spec: {{dnsNames: [mta-sts.{name}.{ZONE}], secretName: {name}-tls,
        issuerRef: {{kind: ClusterIssuer, name: test-ca}}}}
"""


class ApiServerRestart(world.WorldTestCase):
    def test_external_dns_and_the_ca_issuer_carry_on_after_a_restart(self):
        w = self.world
        w.apply_crds()
        w.start_external_dns()
        w.start_ca_issuer()
        for step, restart in enumerate([None, [], ["--kill"]]):
            started = time.monotonic()
            if restart is not None:
                world.run(os.environ["MTASTS_CONTROLPLANE"], "restart-apiserver", *restart,
                          check=True)
            restarted = time.monotonic()
            name, policy_id = f"r{step}", f"20261130T000000Z{step}"
            w.apply(endpoint_and_certificate(name, policy_id))
            wait_for(lambda: world.sts_ids(f"_mta-sts.{name}.{ZONE}") == [policy_id], 30,
                     f"external-dns publishing {name}")
            wait_for(lambda: w.get("v1", "secrets", f"{name}-tls"), 30,
                     f"the CA issuer signing {name}")
            print(f"{name}: restart-apiserver {restart} took {restarted - started:.1f} s;"
                  f" published and signed {time.monotonic() - restarted:.1f} s later")
        self.assertEqual(w.crashed(), [])


class Teardown(unittest.TestCase):
    def test_nothing_is_left_running(self):
        w = world.World("teardown")
        try:
            w.apply_crds()
            nginx = w.add_nginx()
            w.start_external_dns()
            w.start_ca_issuer()
            wait_for(lambda: "watching" in w.processes[-1].log(), 15, "the CA issuer watching")
            groups = [p.proc.pid for p in w.processes]
        finally:
            w.close()
            w.report(failed=False)
        for pgid in groups:
            members = [pid for pid in os.listdir("/proc") if pid.isdigit() and _pgid(pid) == pgid]
            self.assertEqual(members, [], f"process group {pgid} still runs")
        with self.assertRaises(OSError):
            socket.create_connection((nginx.address, nginx.port), timeout=1).close()
        self.assertFalse(os.path.exists(w.dir))


def _pgid(pid):
    try:
        return os.getpgid(int(pid))
    except OSError:
        return None


if __name__ == "__main__":
    unittest.main(verbosity=2)
