#!/usr/bin/python3
"""What Argo CD (docs/gitops/mtastspolicy-health.lua) and Flux (kstatus) say of MtaStsPolicy
objects through a real rollout, read live from the API server at each step, and that the
operator never writes spec, so neither tool sees drift it did not cause.

The world is the rollout tests' (tests/integration/operator: the control plane, BIND9 fed by the
real external-dns, nginx on the production config, the CA issuer, SMTP servers with STARTTLS as
MX hosts, the operator). Two policies: "ready", whose MX presents a good certificate, soaks in
testing and reaches enforce; "stalled", whose MX presents an expired one, stays in testing and
Stalled. One is applied as Flux applies (server-side, field manager kustomize-controller), the
other as Argo CD does (client-side, field manager argocd-controller).

HealthyOnlyAtTarget is an expected failure: it records an operator status that says Ready for
one version before spec.mode is announced (see the test).

    rollout_test.py [unittest args]   (KUBECONFIG, MTASTS_CONTROLPLANE, MTASTS_OPERATOR and
                                       MTASTS_CLI set; BIND9 up; hack/gitops.sh build done)
"""
import os
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gitops  # noqa: E402

sys.path.insert(0, os.path.join(gitops.ROOT, "tests", "integration", "operator"))
import rollout_test as rollout  # noqa: E402
import world  # noqa: E402
from operator_test import CONVERGE, MANAGER, POLICIES, conditions, is_current  # noqa: E402
from world import WriteWatch, wait_for  # noqa: E402

# How each tool applies a manifest and compares it with the live object: the flags of kubectl
# apply and kubectl diff.
FLUX = ["--server-side", "--field-manager=kustomize-controller"]
ARGOCD = ["--field-manager=argocd-controller"]
# What the operator may own on a policy: status (through the status subresource) and, on the
# object itself, its removal finalizer.
OPERATOR_MAY_OWN = {"status": {"f:status"}, "": {"f:metadata"}}


def expected(policy):
    """What both tools must say of a policy, from the operator's conditions."""
    if not is_current(policy):
        return ("Progressing", "InProgress")
    c = conditions(policy)
    if c.get("Stalled", {}).get("status") == "True":
        return ("Degraded", "Failed")
    if c.get("Ready", {}).get("status") == "True":
        return ("Healthy", "Current")
    return ("Progressing", "InProgress")


def operator_owns(policy):
    """The operator's managedFields entries: (subresource, fieldsV1)."""
    return [(m.get("subresource", ""), m.get("fieldsV1", {}))
            for m in policy["metadata"].get("managedFields", []) if m["manager"] == MANAGER]


class GitopsRollout(rollout.RolloutCase):
    def bring_up_world(self, mx_servers):
        """rollout.RolloutCase.bring_up without the sender: only the policies' statuses matter."""
        w = self.world
        self.domain = f"{w.namespace}.{world.ZONE}"
        w.apply_crds()
        self.nginx = [w.add_nginx()]
        self.mx = w.start_mx_servers({name: (profile, [f"{p}.{self.domain}" for p in prefixes])
                                      for name, (profile, prefixes) in mx_servers.items()})
        w.start_external_dns()
        w.start_ca_issuer()
        self.operators = [w.start_operator(self.nginx[0], self.nginx, extra=[
            "--revalidate-interval", f"{rollout.INTERVAL}s"])]

    def write(self, name, text):
        path = os.path.join(self.world.dir, f"{name}.yaml")
        with open(path, "w") as f:
            f.write(text)
        return path

    def kubectl(self, verb, flags, path, check=True):
        return world.kubectl(verb, "-n", self.world.namespace, *flags, "-f", path, check=check)

    def live(self, name):
        """The object as the API server has it, managedFields and all."""
        return self.world.get(*POLICIES, name)

    def live_until(self, name, until, what, timeout=CONVERGE):
        return wait_for(lambda: self.live(name), timeout, f"{name}: {what}", until=until)

    def assert_verdicts(self, policy, want, step):
        got, messages = gitops.verdicts(policy)
        self.assertEqual(got, want, f"{step}: {messages}; status {policy.get('status')}")
        return messages

    def world_with_mx(self):
        """The world, with ready.<domain> on a good MX and stalled.<domain> on an expired one."""
        self.bring_up_world({"good": ("good", ["mx1.ready", "mx2.ready"]),
                             "expired": ("expired", ["mx.stalled"])})
        self.domains = {"ready": f"ready.{self.domain}", "stalled": f"stalled.{self.domain}"}
        self.point_mx(self.domains["ready"], [("mx1.ready", "good")])
        self.point_mx(self.domains["stalled"], [("mx.stalled", "expired")])

    def watched(self):
        """Every version of the policies the API server holds from now on (WriteWatch)."""
        return WriteWatch(self.world, [POLICIES])

    def verdicts_of_every_version(self, writes):
        """What both tools said of each version written, in order: name -> [(verdict, policy)].
        Each verdict follows the operator's conditions; before the operator's first status,
        kstatus has nothing to judge and says Current, the health check Progressing."""
        seen = {}
        for _, _, kind, name, version, obj in writes:
            if kind == "DELETED":
                continue
            got, messages = gitops.verdicts(obj)
            want = expected(obj) if obj.get("status") else ("Progressing", "Current")
            self.assertEqual(got, want, f"{name} at {version}: {messages}")
            seen.setdefault(name, []).append((got, obj))
        for name, versions in seen.items():
            changes = [v for i, (v, _) in enumerate(versions) if i == 0 or versions[i - 1][0] != v]
            print(f"{name}: {' -> '.join('/'.join(v) for v in changes)}", file=sys.stderr)
        return seen

    def test_statuses_through_a_rollout_and_no_drift(self):
        self.world_with_mx()
        mx1, mx2 = f"mx1.ready.{self.domain}", f"mx2.ready.{self.domain}"
        ready = self.write("ready", rollout.manifest("ready", self.domains["ready"], [mx1]))
        stalled = self.write("stalled", rollout.manifest("stalled", self.domains["stalled"],
                                                         [f"mx.stalled.{self.domain}"]))
        with self.watched() as watch:
            start = time.time()
            self.kubectl("apply", FLUX, ready)
            self.kubectl("apply", ARGOCD, stalled)
            policy = self.live_until("ready", soaking, "testing announced, soaking")
            self.assert_verdicts(policy, ("Progressing", "InProgress"), "soaking")
            policy = self.live_until("ready", enforced, "enforce, Ready", rollout.PROMOTE + 20)
            self.assert_verdicts(policy, ("Healthy", "Current"), "enforce")
            policy = self.live_until("stalled", stalled_now, "Stalled")
            messages = self.assert_verdicts(policy, ("Degraded", "Failed"), "stalled")
            self.assertIn(self.mx["expired"], messages["argocd"])
            self.assertEqual(policy["status"]["effectiveMode"], "testing")

            # A spec change the operator has not seen yet: it is stopped while Git changes.
            operator = self.operators[0].process
            operator.stop()
            ready = self.write("ready", rollout.manifest("ready", self.domains["ready"],
                                                         [mx1, mx2]))
            self.kubectl("apply", FLUX, ready)
            policy = self.live("ready")
            self.assertGreater(policy["metadata"]["generation"],
                               policy["status"]["observedGeneration"])
            self.assert_verdicts(policy, ("Progressing", "InProgress"), "spec change unseen")
            operator.start()
            policy = self.live_until("ready", enforced, "the change served under enforce")
            self.assertIn(mx2, policy["spec"]["mx"])
            self.assert_verdicts(policy, ("Healthy", "Current"), "the change served")
            writes = watch.since(start)

        # Every version of each policy, as Argo CD and Flux would have seen it: the good one is
        # never Degraded, the broken one never Healthy; and the operator owned nothing but
        # status and its finalizer in any of them.
        seen = self.verdicts_of_every_version(writes)
        ready_verdicts = [v for v, _ in seen["ready"]]
        self.assertNotIn("Degraded", [argo for argo, _ in ready_verdicts])
        self.assertNotIn("Healthy", [argo for (argo, _), _ in seen["stalled"]])
        self.assertEqual(ready_verdicts[-1], ("Healthy", "Current"))
        for name, versions in seen.items():
            for _, obj in versions:
                for subresource, fields in operator_owns(obj):
                    where = f"{name} at {obj['metadata']['resourceVersion']} ({subresource})"
                    self.assertLessEqual(set(fields), OPERATOR_MAY_OWN.get(subresource, set()),
                                         where)
                    if subresource == "":
                        self.assertLessEqual(set(fields["f:metadata"]), {"f:finalizers"}, where)
        # The operator did write: its status entry is there to be checked.
        owned = operator_owns(self.live("ready"))
        self.assertIn("status", [s for s, _ in owned], owned)

        # What each tool compares: the manifest from Git against the live object. No drift.
        for path, flags in ((ready, FLUX), (stalled, ARGOCD)):
            with self.subTest(diff=os.path.basename(path)):
                out = self.kubectl("diff", flags, path, check=False)
                self.assertEqual((out.returncode, out.stdout), (0, ""), out.stderr)
        self.assert_alive()

    # Healthy (and Current) only once spec.mode is announced: a Flux wait or an Argo CD sync
    # wave must not take the rollout as done while the pass that promotes is still to announce.
    def test_healthy_only_once_spec_mode_is_announced(self):
        self.world_with_mx()
        path = self.write("ready", rollout.manifest("ready", self.domains["ready"],
                                                    [f"mx1.ready.{self.domain}"]))
        with self.watched() as watch:
            start = time.time()
            self.kubectl("apply", FLUX, path)
            self.live_until("ready", enforced, "enforce, Ready", rollout.PROMOTE + 20)
            writes = watch.since(start)
        early = [(obj["status"].get("effectiveMode"), conditions(obj)["Ready"]["message"])
                 for (argo, _), obj in self.verdicts_of_every_version(writes)["ready"]
                 if argo == "Healthy" and obj["status"].get("effectiveMode") != "enforce"]
        print(f"Healthy before spec.mode enforce was announced: {early}", file=sys.stderr)
        self.assertEqual(early, [])


def soaking(policy):
    return (is_current(policy) and policy["status"].get("effectiveMode") == "testing"
            and conditions(policy).get("Ready", {}).get("reason") == "Testing")


def enforced(policy):
    return (is_current(policy) and policy["status"].get("effectiveMode") == "enforce"
            and conditions(policy).get("Ready", {}).get("status") == "True")


def stalled_now(policy):
    return is_current(policy) and conditions(policy).get("Stalled", {}).get("status") == "True"


if __name__ == "__main__":
    unittest.main(verbosity=2)
