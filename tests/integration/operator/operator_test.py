#!/usr/bin/python3
"""mta-sts-operator end to end, on the real parts: a real kube-apiserver, BIND9 fed by the real
external-dns, nginx running the production config, and the CA issuer playing cert-manager
(ca_issuer.py). Each test case brings up its own World (world.py) and namespace; the policy's
domain is <namespace>.operator.test, so no two cases share a DNS name.

What it holds the operator to: the objects it writes (field manager mta-sts-operator,
our labels, owner references); the policy served byte for byte, as `mtasts render` renders it;
a TXT id published only after every serve endpoint served the bytes it names; the id changing iff
the bytes change; a held announcement named in a condition; quiet after a restart; convergence
after kube-apiserver restarts; conditions, not crashes, for a missing CRD or a hostile spec; and
`mtasts check` agreeing with the status at each step.

    operator_test.py [unittest args]   (KUBECONFIG, MTASTS_CONTROLPLANE, MTASTS_OPERATOR and
                                        MTASTS_CLI set; BIND9 up)
"""
import contextlib
import hashlib
import os
import subprocess
import time
import unittest

import world
from world import Timeline, WriteWatch, ZONE, wait_for

POLICIES = ("mtasts.io/v1alpha1", "mtastspolicies")
CONFIGMAPS = ("v1", "configmaps")
CERTIFICATES = ("cert-manager.io/v1", "certificates")
DNSENDPOINTS = ("externaldns.k8s.io/v1alpha1", "dnsendpoints")
SECRETS = ("v1", "secrets")
EVENTS = ("v1", "events")
MANAGER = "mta-sts-operator"
MANAGED_BY = {"app.kubernetes.io/managed-by": "mta-sts-operator"}
CONVERGE = 60  # seconds for any one step; the operator's own budget is a few


def manifest(name, domain, mx, extra="", mode="testing", ingest=False):
    """An MtaStsPolicy with TLS-RPT (ingest: the operator counts the reports it receives).
    Whatever the mode, the operator publishes testing at most (effectiveMode is the lower of
    spec.mode and testing; promotion comes with the rollout)."""
    mx_list = ", ".join(f'"{m}"' for m in mx)
    ingest_field = "ingest: true, " if ingest else ""
    return f"""apiVersion: mtasts.io/v1alpha1
kind: MtaStsPolicy
metadata: {{name: {name}}}
spec:
  domain: {domain}
  mode: {mode}
  mx: [{mx_list}]
  tlsRpt: {{{ingest_field}rua: ["mailto:tlsrpt@{domain}"]}}
{extra}"""


def conditions(policy):
    return {c["type"]: c for c in ((policy or {}).get("status") or {}).get("conditions", [])}


def is_current(policy):
    """Whether the policy's status is of its current generation."""
    status = (policy or {}).get("status") or {}
    return bool(policy) and status.get("observedGeneration") == policy["metadata"]["generation"]


def is_ready(policy):
    return is_current(policy) and conditions(policy).get("Ready", {}).get("status") == "True"


def announces(data):
    """Whether a policy's current status announces an id made for the bytes data."""
    digest = hashlib.sha256(data).hexdigest()[:8]
    return lambda p: is_current(p) and p["status"].get("policyId", "").endswith(digest)


def has_condition(kind, status, *words):
    """Whether a policy's current status has condition kind at status, its message holding
    every one of words."""
    def check(policy):
        c = conditions(policy).get(kind, {})
        return (is_current(policy) and c.get("status") == status
                and all(w in c.get("message", "") for w in words))
    return check


def parse_policy(data):
    """The fields of a policy file, as `mtasts check --json` reports them."""
    fields = {"mx": []}
    for line in data.decode().split("\r\n"):
        key, _, value = line.partition(": ")
        if key == "mx":
            fields["mx"].append(value)
        elif key:
            fields[key] = value
    return fields


class OperatorCase(world.WorldTestCase):
    """A World with nginx instances, external-dns, the CA issuer and one operator per nginx,
    each syncing into its own nginx's serve dir and verifying every nginx."""

    def bring_up(self, nginx=1, crds_without=()):
        w = self.world
        w.apply_crds(without=crds_without)
        self.nginx = [w.add_nginx() for _ in range(nginx)]
        w.start_external_dns()
        w.start_ca_issuer()
        self.operators = [w.start_operator(n, self.nginx) for n in self.nginx]
        self.domain = f"{w.namespace}.{ZONE}"
        self.host = f"mta-sts.{self.domain}"
        self.txt_name = f"_mta-sts.{self.domain}"

    def expected_bytes(self, text):
        """The bytes `mtasts render` gives for the policy in testing: what must be served."""
        r = subprocess.run([os.environ["MTASTS_CLI"], "render", "--only", "policy", "--mode",
                            "testing", "-"], input=text.encode(), capture_output=True, timeout=30)
        self.assertEqual(r.returncode, 0, r.stderr.decode())
        return r.stdout

    def served_everywhere(self, data):
        return all(n.served(self.host) == data for n in self.nginx)

    def wait_policy(self, name, until, what, timeout=CONVERGE):
        """The policy once until(policy) holds; on timeout the failure shows its status."""
        return wait_for(lambda: self.world.policy(name), timeout, f"{name}: {what}", until=until)

    def assert_dns_published(self, name, answered):
        """DNSPublished says what DNS answers (answered: the v=STSv1 records): True when it
        answers exactly the meant record; else False, naming what it answers and what was meant.
        (external-dns v0.23.0's rfc2136 provider cannot remove a TXT record holding ';', so an
        old id lingers beside a new one.)"""
        policy = self.world.policy(name)
        meant = f"v=STSv1; id={policy['status']['policyId']}"
        condition = conditions(policy).get("DNSPublished", {})
        if answered == [meant]:
            self.assertEqual(condition.get("status"), "True", condition)
        else:
            self.assertEqual(condition.get("status"), "False", (answered, condition))
            for record in answered + [meant]:
                self.assertIn(record, condition.get("message", ""), answered)

    def dns_published_agrees(self, name, answered):
        try:
            self.assert_dns_published(name, answered)
            return True
        except AssertionError:
            return False

    def endpoint_ids(self, name):
        """The ids in the TXT targets of the policy's DNSEndpoint (quoted or not)."""
        endpoint = self.world.get(*DNSENDPOINTS, f"{name}-mta-sts") or {}
        targets = [t.strip('"') for e in (endpoint.get("spec") or {}).get("endpoints", [])
                   if e.get("dnsName") == self.txt_name for t in e.get("targets", [])]
        return tuple(world.ids_of(targets))

    def announce(self, name, data, action):
        """Runs action (which makes data the policy to serve) while sampling what every nginx
        serves, the ids in the DNSEndpoint and those DNS answers; waits until the status and DNS
        announce an id for data, and checks that no nginx was still without data when the
        DNSEndpoint (the operator's announcement), and so DNS, held it. The policy."""
        served = [Timeline(lambda n=n: n.served(self.host)) for n in self.nginx]
        written = Timeline(lambda: self.endpoint_ids(name))
        dns = Timeline(lambda: tuple(world.sts_ids(self.txt_name)))
        with contextlib.ExitStack() as sampling:
            for timeline in served + [written, dns]:
                sampling.enter_context(timeline)
            action()
            wait_for(lambda: self.served_everywhere(data), CONVERGE, f"every nginx serving {data}")
            policy = self.wait_policy(name, announces(data),
                                      "the status announcing an id for the served bytes")
            policy_id = policy["status"]["policyId"]
            wait_for(lambda: policy_id in world.sts_ids(self.txt_name), CONVERGE,
                     f"{self.txt_name} answering {policy_id}")
        by_endpoint = dict(zip([n.endpoint for n in self.nginx], served))
        for announced, where in ((written, "the DNSEndpoint"), (dns, "DNS")):
            self.assertEqual(world.announced_before_served(by_endpoint, announced, data,
                                                           policy_id, where), [])
        return policy

    def publish(self, name, text):
        """Applies the policy text and waits for its announcement (announce); the policy."""
        return self.announce(name, self.expected_bytes(text), lambda: self.world.apply(text))

    def assert_check_agrees(self, name, data):
        """`mtasts check` sees what the status says: the served policy, and in DNS the status's
        id alone, or else (DNSPublished False) no usable id."""
        report = self.world.check(self.domain)
        sts = report["txt"]["mta_sts"]
        # While DNS lags, the operator looks again after a wait that doubles (1 s to a minute):
        # give its status that long to catch up with what DNS answers, then compare.
        with contextlib.suppress(AssertionError):
            wait_for(lambda: self.dns_published_agrees(name, sts["records"]), 2 * CONVERGE,
                     "DNSPublished saying what DNS answers")
        self.assert_dns_published(name, sts["records"])
        policy = self.world.policy(name)
        if conditions(policy)["DNSPublished"]["status"] == "True":
            self.assertEqual(sts["id"], policy["status"]["policyId"], report)
        else:
            self.assertIsNone(sts["id"], report)
        fields, fetched = parse_policy(data), report["policy"]
        self.assertEqual((fetched["http_status"], fetched["mode"], str(fetched["max_age"]),
                          sorted(fetched["mx"])),
                         (200, fields["mode"], fields["max_age"], sorted(fields["mx"])), report)

    def assert_alive(self):
        self.assertEqual(self.world.crashed(), [], "processes that exited by themselves")
        for operator in self.operators:
            if not operator.process.stopped:
                self.assertTrue(operator.process.alive(), operator.process.name)


class Announce(OperatorCase):
    def test_a_new_policy_is_written_served_then_announced(self):
        self.bring_up(nginx=2)
        w, name = self.world, "p"
        text = manifest(name, self.domain, [f"mx1.{self.domain}", f"*.mx.{self.domain}"])
        data = self.expected_bytes(text)
        policy_id = self.publish(name, text)["status"]["policyId"]
        # The operator's objects, by our names, labels and field manager.
        configmap = w.get(*CONFIGMAPS, f"{name}-mta-sts-policy")
        certificate = w.get(*CERTIFICATES, f"{name}-mta-sts")
        endpoint = w.get(*DNSENDPOINTS, f"{name}-mta-sts")
        self.assertEqual(configmap["data"]["mta-sts.txt"].encode(), data)
        self.assertEqual(configmap["metadata"]["annotations"]["mtasts.io/policy-host"], self.host)
        self.assertEqual(configmap["metadata"]["annotations"]["mtasts.io/policy"],
                         f"{w.namespace}/{name}")
        self.assertEqual(certificate["spec"]["dnsNames"], [self.host])
        self.assertEqual(certificate["spec"]["secretName"], f"{name}-mta-sts-tls")
        self.assertEqual(certificate["spec"]["issuerRef"]["name"], "test-ca")
        self.assertEqual(certificate["spec"]["secretTemplate"]["labels"],
                         dict(MANAGED_BY, **{"mtasts.io/content": "certificate"}))
        for obj in (configmap, certificate, endpoint):
            meta = obj["metadata"]
            self.assertLessEqual(MANAGED_BY.items(), meta["labels"].items(), meta["name"])
            self.assertIn(MANAGER, [f["manager"] for f in meta["managedFields"]], meta["name"])
            self.assertEqual([(o["kind"], o["name"]) for o in meta["ownerReferences"]],
                             [("MtaStsPolicy", name)], meta["name"])
        # What DNS answers: the one id, TLS-RPT, and the policy host at every serve endpoint.
        self.assertEqual(world.dig(self.txt_name), [f"v=STSv1; id={policy_id}"])
        self.assertEqual(world.dig(f"_smtp._tls.{self.domain}"),
                         [f"v=TLSRPTv1; rua=mailto:tlsrpt@{self.domain}"])
        self.assertEqual(world.dig(self.host, "A"), [n.address for n in self.nginx])
        # The status.
        policy = self.wait_policy(name, is_ready, "Ready")
        status = policy["status"]
        self.assertEqual(status["policyId"], policy_id)
        self.assertEqual(status["effectiveMode"], "testing")
        self.assertTrue(status.get("policyHash"))
        found = conditions(policy)
        for kind in ("Ready", "PolicyServed", "DNSPublished", "CertificateReady"):
            self.assertEqual(found[kind]["status"], "True", found)
        for kind in ("Reconciling", "Stalled"):
            self.assertNotEqual(found.get(kind, {}).get("status"), "True", found)
        self.assert_check_agrees(name, data)
        self.assert_alive()


class MxChange(OperatorCase):
    def test_new_bytes_are_served_then_a_new_id_announced_and_only_then(self):
        self.bring_up(nginx=2)
        name = "p"
        text = manifest(name, self.domain, [f"mx1.{self.domain}"])
        first = self.publish(name, text)
        first_id = first["status"]["policyId"]
        self.assert_check_agrees(name, self.expected_bytes(text))

        # A change that leaves the bytes alone (the TTL of the records; enforce asked for, which
        # waits for the rollout, so testing is still served) keeps the id.
        self.world.apply(manifest(name, self.domain, [f"mx1.{self.domain}"], "  dns: {ttl: 120}\n",
                                  mode="enforce"))
        policy = self.wait_policy(name, lambda p: is_current(p) and p["metadata"]["generation"]
                                  > first["metadata"]["generation"], "the new generation's status")
        self.assertEqual(policy["status"]["policyId"], first_id)
        self.assertEqual(policy["status"]["effectiveMode"], "testing")

        # A changed mx: new bytes everywhere first, then the new id.
        changed = manifest(name, self.domain, [f"mx2.{self.domain}"], "  dns: {ttl: 120}\n",
                           mode="enforce")
        policy = self.publish(name, changed)
        new_id = policy["status"]["policyId"]
        self.assertNotEqual(new_id, first_id)
        self.assert_check_agrees(name, self.expected_bytes(changed))
        self.assert_alive()


class HeldAnnouncement(OperatorCase):
    def test_an_endpoint_not_serving_holds_the_announcement_until_it_serves(self):
        self.bring_up(nginx=2)
        name = "p"
        first_id = self.publish(name, manifest(name, self.domain, [f"mx1.{self.domain}"]))[
            "status"]["policyId"]
        stopped = self.nginx[1]
        stopped.stop()
        changed = manifest(name, self.domain, [f"mx2.{self.domain}"])
        data = self.expected_bytes(changed)
        self.world.apply(changed)
        wait_for(lambda: self.nginx[0].served(self.host) == data, CONVERGE,
                 "the running nginx serving the new bytes")
        self.wait_policy(name, has_condition("PolicyServed", "False", stopped.endpoint),
                         f"PolicyServed=False naming {stopped.endpoint}")
        # Held: for a while, DNS and the status keep the old id.
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            self.assertEqual(world.sts_ids(self.txt_name), [first_id])
            self.assertEqual(self.world.policy(name)["status"]["policyId"], first_id)
            time.sleep(0.5)
        self.assertNotEqual(conditions(self.world.policy(name))["Ready"]["status"], "True")

        policy = self.announce(name, data, stopped.start)
        self.assertEqual(conditions(policy)["PolicyServed"]["status"], "True")
        self.assert_check_agrees(name, data)
        self.assert_alive()


class Restart(OperatorCase):
    QUIET = 60  # seconds

    def test_a_restarted_operator_keeps_the_id_and_writes_nothing(self):
        self.bring_up(nginx=1)
        name = "p"
        text = manifest(name, self.domain, [f"mx1.{self.domain}"])
        self.publish(name, text)
        data = self.expected_bytes(text)
        policy = self.wait_policy(name, is_ready, "Ready")
        time.sleep(5)  # the dust of the first announcement settles (its Events)
        kinds = [POLICIES, CONFIGMAPS, CERTIFICATES, DNSENDPOINTS, SECRETS, EVENTS]
        with WriteWatch(self.world, kinds) as writes:
            since = time.time()
            operator = self.operators[0]
            self.assertEqual(operator.process.stop(), 0, "the operator's exit status on SIGTERM")
            restarted = self.world.start_operator(self.nginx[0], self.nginx)
            wait_for(lambda: restarted.get("/readyz")[0] == 200, CONVERGE, "/readyz")
            time.sleep(self.QUIET)
            # Leader election's own Events (about the Lease) are lease traffic, set aside.
            written = [w[1:5] for w in writes.since(since)
                       if w[5].get("involvedObject", {}).get("kind") != "Lease"]
            self.assertEqual(written, [], "writes after the restart")
        after = self.world.policy(name)
        self.assertEqual(after["status"]["policyId"], policy["status"]["policyId"])
        self.assertEqual(world.sts_ids(self.txt_name), [policy["status"]["policyId"]])
        self.assertEqual(self.nginx[0].served(self.host), data)
        self.assert_alive()


class ApiServerRestart(OperatorCase):
    def restart_apiserver(self, *args):
        world.run(os.environ["MTASTS_CONTROLPLANE"], "restart-apiserver", *args, check=True)

    def test_converges_across_a_kube_apiserver_restart(self):
        self.bring_up(nginx=1)
        w, name = self.world, "p"
        text = manifest(name, self.domain, [f"mx1.{self.domain}"])

        def apply_then_restart_midway():
            w.apply(text)
            wait_for(lambda: w.get(*CONFIGMAPS, f"{name}-mta-sts-policy"), CONVERGE,
                     "the policy ConfigMap")
            self.restart_apiserver()
        self.announce(name, self.expected_bytes(text), apply_then_restart_midway)
        # The watches came back: a change made after a restart is taken up too.
        self.publish(name, manifest(name, self.domain, [f"mx2.{self.domain}"]))
        self.restart_apiserver("--kill")
        again = manifest(name, self.domain, [f"mx3.{self.domain}"])
        self.publish(name, again)
        self.assert_check_agrees(name, self.expected_bytes(again))
        # A leader that cannot renew its Lease while kube-apiserver is away exits (status 1)
        # and is started again, as a kubelet would; nothing else may exit.
        crashed = self.world.crashed()
        self.assertEqual([(n, set(codes)) for n, codes in crashed if n.startswith("operator")],
                         [(n, {1}) for n, _ in crashed], crashed)
        print(f"exits while kube-apiserver restarted: {crashed}")


class MissingCertManagerCrd(OperatorCase):
    def test_a_condition_and_an_event_then_recovery_once_installed(self):
        crd = "certificates.cert-manager.io"
        world.kubectl("delete", "crd", crd, "--ignore-not-found", timeout=180)
        self.bring_up(nginx=1, crds_without=(crd,))
        name = "p"
        text = manifest(name, self.domain, [f"mx1.{self.domain}"])
        self.world.apply(text)
        condition = conditions(self.wait_policy(
            name, has_condition("CertificateReady", "False", "cert-manager"),
            "CertificateReady=False naming cert-manager"))["CertificateReady"]
        self.assertNotEqual(conditions(self.world.policy(name))["Ready"]["status"], "True")
        # The Event is posted after the status is written: it may come a moment later.
        wait_for(lambda: [e for e in self.world.client.get(
                     f"/api/v1/namespaces/{self.world.namespace}/events")["items"]
                     if e["involvedObject"]["name"] == name
                     and "cert-manager" in e.get("message", "")],
                 CONVERGE, f"an Event about cert-manager; condition: {condition}")
        time.sleep(5)  # retried with backoff, never a crash loop
        self.assert_alive()
        self.assertEqual(self.operators[0].get("/healthz")[0], 200)

        self.world.apply_crds()
        data = self.expected_bytes(text)
        wait_for(lambda: self.served_everywhere(data), 2 * CONVERGE, "served once installed")
        self.wait_policy(name, announces(data), "announced")
        policy = self.wait_policy(name, is_ready, "Ready")
        self.assertEqual(conditions(policy)["CertificateReady"]["status"], "True")
        self.assert_alive()


# Specs the CRD admits that the operator must refuse: (name, spec lines, words the condition
# must carry).
LONG_DOMAIN = ".".join(["a" * 63] * 3 + ["b" * 47]) + "." + ZONE  # 253: mta-sts.<it> is not
HOSTILE = [
    ("ip-domain", "  domain: 192.0.2.1\n  mode: testing\n  mx: [mx1.operator.test]\n",
     "looks like an IP address"),
    ("long-period", "  domain: {domain}\n  mode: testing\n  mx: [mx1.operator.test]\n"
     "  rollout: {{testingPeriod: 9000h}}\n", "is not a duration"),
    ("long-host", f"  domain: {LONG_DOMAIN}\n  mode: testing\n  mx: [mx1.operator.test]\n",
     "253"),
]


class HostileSpec(OperatorCase):
    def test_each_gets_a_clear_condition_and_writes_nothing(self):
        self.bring_up(nginx=1)
        w = self.world
        for name, spec, _ in HOSTILE:
            w.apply(f"apiVersion: mtasts.io/v1alpha1\nkind: MtaStsPolicy\nmetadata: {{name: "
                    f"{name}}}\nspec:\n" + spec.format(domain=f"h-{name}.{self.domain}"))
        self.publish("good", manifest("good", self.domain, [f"mx1.{self.domain}"]))
        self.wait_policy("good", is_ready, "Ready beside them")
        for name, _, words in HOSTILE:
            with self.subTest(name):
                policy = self.wait_policy(name, is_current, "a status for its generation")
                found = conditions(policy)
                self.assertEqual(found["Ready"]["status"], "False", found)
                messages = [c.get("message", "") for c in found.values()
                            if c["type"] in ("Ready", "Stalled")]
                self.assertTrue(any(words in m for m in messages), found)
                for kind in (CONFIGMAPS, CERTIFICATES, DNSENDPOINTS):
                    suffix = "-mta-sts-policy" if kind == CONFIGMAPS else "-mta-sts"
                    self.assertIsNone(w.get(*kind, name + suffix), f"{kind[1]} for {name}")
        self.assert_alive()

    def test_the_younger_of_two_policies_for_one_domain_stands_back(self):
        self.bring_up(nginx=1)
        w = self.world
        older = self.publish("older", manifest("older", self.domain, [f"mx1.{self.domain}"]))
        time.sleep(1.1)  # creationTimestamp has whole seconds
        w.apply(manifest("younger", self.domain, [f"mx2.{self.domain}"]))
        policy = self.wait_policy("younger", lambda p: is_current(p) and any(
            f"{w.namespace}/older" in c.get("message", "") for c in conditions(p).values()),
            "a condition naming the older policy")
        self.assertEqual(conditions(policy)["Ready"]["status"], "False")
        for kind, suffix in ((CONFIGMAPS, "-mta-sts-policy"), (CERTIFICATES, "-mta-sts"),
                             (DNSENDPOINTS, "-mta-sts")):
            self.assertIsNone(w.get(*kind, "younger" + suffix), kind[1])
        self.assertEqual(world.sts_ids(self.txt_name), [older["status"]["policyId"]])
        self.assert_alive()


if __name__ == "__main__":
    unittest.main(verbosity=2)
