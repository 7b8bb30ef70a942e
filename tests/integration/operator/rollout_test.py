#!/usr/bin/python3
"""The rollout's invariants (DESIGN §6, I1-I6) on the real parts: a real kube-apiserver, BIND9
fed by the real external-dns, nginx running the production config, the CA issuer playing
cert-manager, the mail stack's SMTP servers as MX hosts (STARTTLS on 127.26.1.x:2525, with
good, expired, wrong-name and untrusted certificates: world.MxServers), and a real sender,
postfix-mta-sts-resolver, fetching the policy at every step (world.Sender).

Each case has its own World and namespace; its domains live under <namespace>.operator.test and
their MX records go into BIND9 by RFC 2136 updates (world.set_mx), as a mail admin's would. The
operator revalidates every INTERVAL seconds and each policy has a short testing period and
max_age, so a whole story takes a minute or two.

    rollout_test.py [unittest args]   (KUBECONFIG, MTASTS_CONTROLPLANE, MTASTS_OPERATOR and
                                       MTASTS_CLI set; BIND9 up; root, for ports 53 and 443)
"""
import base64
import contextlib
import datetime
import hashlib
import socket
import ssl
import time
import unittest

from cryptography import x509

import operator_test as e2e
import world
from world import Timeline, WriteWatch, ZONE, wait_for

INTERVAL = 3  # --revalidate-interval, seconds
TESTING_PERIOD = 10  # spec.rollout.testingPeriod, seconds
MAX_AGE = 20  # spec.maxAge and spec.rollout.testingMaxAge: the removal hold
CONVERGE = e2e.CONVERGE
# An MX drift is acted on within one revalidation interval (jittered by up to a tenth), plus one
# run of the gates (a DNS look-up and a STARTTLS handshake per MX, on loopback) and the pass that
# serves the demotion: a few seconds on two loaded cores (7.0 s was seen during a full test run).
# Ten intervals, the break this test was seen to catch, take far longer.
DRIFT_BUDGET = INTERVAL * 1.1 + 6
# How long a promotion may take: the testing period, then a revalidation, served, announced.
PROMOTE = TESTING_PERIOD + CONVERGE

# I4: what the operator says of a policy-host certificate within 30 days of its end: this
# condition (type, status, reason), and a Warning Event whose reason or message holds a word.
CERT_CONDITION = ("CertificateValid", "False", "ExpiresSoon")
CERT_EVENT_WORDS = ("expir",)


def manifest(name, domain, mx, mode="enforce", on_drift="Demote", removal="Graceful",
             ingest=False):
    """An MtaStsPolicy (operator_test's, with TLS-RPT) whose rollout fits a test: a short
    testing period and max_age."""
    return e2e.manifest(name, domain, mx, mode=mode, ingest=ingest, extra=(
        f"  maxAge: {MAX_AGE}\n  removal: {removal}\n"
        f"  rollout: {{testingPeriod: {TESTING_PERIOD}s, testingMaxAge: {MAX_AGE},"
        f" onMxDrift: {on_drift}}}\n"))


def status(policy):
    return (policy or {}).get("status") or {}


def promotion(policy):
    return status(policy).get("promotion") or {}


def digest(data):
    """The content digest every id made for data ends with (policy_id.h)."""
    return hashlib.sha256(data).hexdigest()[:8]


def timestamp(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def made_at(policy_id):
    """When an id was made: its leading YYYYMMDDTHHMMSSZ (policy_id.h)."""
    return datetime.datetime.strptime(policy_id[:16], "%Y%m%dT%H%M%SZ").replace(
        tzinfo=datetime.timezone.utc).timestamp()


def presented_certificate(address, host, port=world.HTTPS_PORT):
    """The leaf certificate nginx presents for host (not verified), or None without one."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    with contextlib.suppress(OSError):
        with socket.create_connection((address, port), timeout=5) as raw:
            with context.wrap_socket(raw, server_hostname=host) as tls:
                return x509.load_der_x509_certificate(tls.getpeercert(binary_form=True))
    return None


class RolloutCase(e2e.OperatorCase):
    """A World with nginx (listening for the sender too), external-dns, the CA issuer, one
    operator per nginx revalidating every INTERVAL seconds, the MX servers and the sender."""

    def bring_up(self, mx_servers, nginx=1, operator_flags=()):
        """mx_servers: name -> (certificate profile, [MX host prefixes]); each prefix p names
        the host p.<the world's domain>. Sets self.mx: server name -> address. operator_flags:
        added to each operator's."""
        w = self.world
        self.domain = f"{w.namespace}.{ZONE}"
        w.apply_crds()
        self.nginx = [w.add_nginx(sender_port=True) for _ in range(nginx)]
        self.mx = w.start_mx_servers({name: (profile, [f"{p}.{self.domain}" for p in prefixes])
                                      for name, (profile, prefixes) in mx_servers.items()})
        w.start_external_dns()
        w.start_ca_issuer()
        self.operators = [w.start_operator(n, self.nginx, extra=[
            "--revalidate-interval", f"{INTERVAL}s", *operator_flags]) for n in self.nginx]
        self.sender = w.sender()

    def point_mx(self, domain, records):
        """domain's MX hosts: [(host prefix, server name)], host = prefix.<the world's domain>."""
        self.world.set_mx(domain, [(f"{p}.{self.domain}", self.mx[s]) for p, s in records])

    def announced(self, name, domain, mode, timeout=CONVERGE, other_than=None):
        """The policy once its status announces mode with an id (not other_than) that DNS
        answers alone; fails showing the status otherwise."""
        def done(policy):
            s = status(policy)
            return (e2e.is_current(policy) and s.get("effectiveMode") == mode
                    and s.get("policyId") not in (None, other_than)
                    and world.sts_ids(f"_mta-sts.{domain}") == [s["policyId"]])
        return self.wait_policy(name, done, f"{mode} announced for {domain}", timeout)

    def sender_sees(self, domain, mode, policy_id=None, timeout=20):
        """The sender's view of domain once it fetches mode (and policy_id, when given)."""
        return wait_for(lambda: self.sender.fetch(domain), timeout,
                        f"postfix-mta-sts-resolver fetching {mode} for {domain}",
                        until=lambda v: v.mode == mode and policy_id in (None, v.policy_id))

    def events(self, name):
        """(type, reason, message) of the Events about policy name, oldest first."""
        items = self.world.client.get(f"/api/v1/namespaces/{self.world.namespace}/events")
        found = [e for e in items["items"] if e["involvedObject"]["name"] == name
                 and e["involvedObject"].get("kind") == "MtaStsPolicy"]
        found.sort(key=lambda e: e.get("lastTimestamp") or e.get("eventTime") or "")
        return [(e.get("type"), e.get("reason"), e.get("message", "")) for e in found]

    def served_timelines(self, host):
        return {n.endpoint: Timeline(lambda n=n: n.served(host), 0.1) for n in self.nginx}


class I1NeverEnforceUnlessEveryMxPasses(RolloutCase):
    """I1: a policy whose MX presents an expired, wrong-name or untrusted certificate, or whose
    live MX set has a host no pattern covers, never reaches enforce, and blockedBy names the MX
    and the finding code `mtasts check` gives; a good twin beside them does reach enforce, so
    the wait was long enough to have promoted them."""

    # domain label -> (the MX server its only (or second) MX host is on, the blocking code)
    BROKEN = {
        "expired": ("expired", "certificate-expired"),
        "wrong-name": ("wrong-name", "certificate-host-mismatch"),
        "untrusted": ("untrusted", "certificate-not-trusted"),
        "uncovered": ("good", "validation-failure"),
    }

    def test_broken_mx_hosts_hold_testing_and_are_named(self):
        self.bring_up({"good": ("good", ["mx.good", "mx1.uncovered", "mx2.uncovered"]),
                       "expired": ("expired", ["mx.expired"]),
                       "wrong-name": ("wrong-name", ["mx.wrong-name"]),
                       "untrusted": ("untrusted", ["mx.untrusted"])})
        w = self.world
        domains = {label: f"{label}.{self.domain}" for label in ["good", *self.BROKEN]}
        for label in ("good", "expired", "wrong-name", "untrusted"):
            self.point_mx(domains[label], [(f"mx.{label}", label)])
        # Uncovered: the policy names mx1 only; DNS has mx2 as well.
        self.point_mx(domains["uncovered"], [("mx1.uncovered", "good"), ("mx2.uncovered", "good")])
        mx_of = {label: [f"mx.{label}.{self.domain}"] for label in domains}
        mx_of["uncovered"] = [f"mx1.uncovered.{self.domain}"]
        hosts = {label: f"mta-sts.{d}" for label, d in domains.items()}
        # What a finding names: the MX host no pattern covers; the address of an MX server
        # whose certificate failed.
        broken = {label: self.mx[server] for label, (server, _) in self.BROKEN.items()}
        broken["uncovered"] = f"mx2.uncovered.{self.domain}"

        served = {label: Timeline(lambda h=hosts[label]: self.nginx[0].served(h), 0.25)
                  for label in self.BROKEN}
        modes = {label: Timeline(lambda label=label: (
            status(w.policy(label)).get("effectiveMode"),
            promotion(w.policy(label)).get("servingMode")), 0.25) for label in self.BROKEN}
        with contextlib.ExitStack() as sampling:
            for timeline in [*served.values(), *modes.values()]:
                sampling.enter_context(timeline)
            for label, domain in domains.items():
                w.apply(manifest(label, domain, mx_of[label]))
            good = self.announced("good", domains["good"], "enforce", PROMOTE + TESTING_PERIOD)
            self.sender_sees(domains["good"], "enforce", good["status"]["policyId"])
            time.sleep(2 * INTERVAL)  # two more revalidations for the broken ones

        for label, (_, code) in self.BROKEN.items():
            with self.subTest(label):
                policy = w.policy(label)
                self.assertEqual(status(policy).get("effectiveMode"), "testing", status(policy))
                enforcing = [v for _, _, v in modes[label].samples if "enforce" in v]
                self.assertEqual(enforcing, [], "effectiveMode or servingMode enforce")
                bodies = {v for _, _, v in served[label].samples if v}
                self.assertTrue(bodies, "never served")
                self.assertFalse([b for b in bodies if b"mode: enforce" in b], bodies)
                blocked = promotion(policy).get("blockedBy") or []
                self.assertIn((code, broken[label]),
                              [(b.get("code"), b.get("target")) for b in blocked], blocked)
                # mtasts check, the same checks by hand, finds the same.
                report = w.check(domains[label])
                self.assertIn((code, broken[label]),
                              [(f["code"], f.get("target")) for f in report["findings"]])
                view = self.sender.fetch(domains[label])
                self.assertEqual((view.mode, view.policy_id),
                                 ("testing", status(policy)["policyId"]), view)
        self.assert_alive()


class I2IdFollowsTheBytes(RolloutCase):
    """I2 over a whole story (apply, promote, change mx while one nginx is down, demote,
    restore, roll back, remove): every id DNS ever answered was made for exactly one byte
    content, consecutive ids name different bytes, and each id's bytes were served on every
    endpoint before the DNSEndpoint, and so DNS, held it. The
    sender sees each step: testing, enforce, enforce with the new mx, testing, enforce, testing,
    none, then nothing."""

    def test_a_whole_story(self):
        self.bring_up({"good": ("good", ["mx1", "mx2", "mx3"])}, nginx=2)
        w, name, domain = self.world, "story", self.domain
        host, txt = f"mta-sts.{domain}", f"_mta-sts.{domain}"
        mx1, mx2 = f"mx1.{domain}", f"mx2.{domain}"
        self.point_mx(domain, [("mx1", "good")])
        served = self.served_timelines(host)
        self.txt_name = txt  # for endpoint_ids
        written = Timeline(lambda: self.endpoint_ids(name), 0.1)  # the operator's announcement
        dns = Timeline(lambda: tuple(world.sts_ids(txt)), 0.1)
        seen = []  # what the sender fetched at each step

        def step(mode, policy_id, mx=None):
            view = self.sender_sees(domain, mode, policy_id)
            if mx is not None:
                self.assertEqual(sorted(view.mx), sorted(mx), view)
            seen.append(view.mode)
            return view

        with contextlib.ExitStack() as sampling:
            for timeline in [*served.values(), written, dns]:
                sampling.enter_context(timeline)
            # Apply: testing first, then enforce once the period is over and the gates pass.
            w.apply(manifest(name, domain, [mx1]))
            self.announced(name, domain, "testing")
            testing = self.wait_policy(name, lambda p: status(p).get("testingSince")
                                       and promotion(p).get("eligibleAt"), "testingSince")
            step("testing", testing["status"]["policyId"])
            since, eligible = (timestamp(status(testing)["testingSince"]),
                               timestamp(promotion(testing)["eligibleAt"]))
            self.assertAlmostEqual(eligible - since, TESTING_PERIOD, delta=1)
            enforce = self.announced(name, domain, "enforce", PROMOTE)
            self.assertGreaterEqual(made_at(enforce["status"]["policyId"]), int(eligible),
                                    "enforce before eligibleAt")
            step("enforce", enforce["status"]["policyId"], [mx1])
            # Change mx: new bytes, a new id, still enforce (the live MX stays covered). One
            # nginx is down meanwhile: the new id must wait until it serves the new bytes.
            self.nginx[1].stop()
            w.apply(manifest(name, domain, [mx1, mx2]))
            time.sleep(5)
            self.assertEqual(world.sts_ids(txt), [enforce["status"]["policyId"]],
                             "a new id announced while an endpoint did not serve its bytes")
            self.nginx[1].start()
            changed = self.wait_policy(name, lambda p: status(p).get("effectiveMode") == "enforce"
                                       and status(p).get("policyId") != enforce["status"]
                                       ["policyId"] and world.sts_ids(txt) == [
                                           status(p)["policyId"]], "enforce with mx2", PROMOTE)
            step("enforce", changed["status"]["policyId"], [mx1, mx2])
            # Demote: an MX host no pattern covers appears in DNS.
            self.point_mx(domain, [("mx1", "good"), ("mx3", "good")])
            demoted = self.announced(name, domain, "testing", CONVERGE)
            step("testing", demoted["status"]["policyId"])
            # Restore: the stray MX goes; enforce again after a new testing period.
            self.point_mx(domain, [("mx1", "good")])
            again = self.announced(name, domain, "enforce", PROMOTE + TESTING_PERIOD)
            step("enforce", again["status"]["policyId"], [mx1, mx2])
            # Roll back: spec.mode testing.
            w.apply(manifest(name, domain, [mx1, mx2], mode="testing"))
            back = self.announced(name, domain, "testing")
            step("testing", back["status"]["policyId"])
            # Remove: mode none, held for max_age, then the records go.
            world.kubectl("delete", "-n", w.namespace, "mtastspolicy", name, "--wait=false")
            gone = self.announced(name, domain, "none")
            step("none", gone["status"]["policyId"])
            wait_for(lambda: world.sts_ids(txt), MAX_AGE + CONVERGE, f"{txt} gone",
                     until=lambda ids: ids == [])
            self.assertEqual(self.sender.fetch(domain).result, "NONE")
            seen.append(None)

        self.assertEqual(seen, ["testing", "enforce", "enforce", "testing", "enforce", "testing",
                                "none", None])
        bodies = {v for t in served.values() for _, _, v in t.samples if v}
        ids = []  # each id DNS answered, in order
        for _, _, answered in dns.samples:
            for policy_id in answered if isinstance(answered, tuple) else ():
                if policy_id not in ids:
                    ids.append(policy_id)
        self.assertGreaterEqual(len(ids), 6, ids)
        content = {}
        for policy_id in ids:
            matching = [b for b in bodies if policy_id.endswith(digest(b))]
            self.assertEqual(len(matching), 1, f"{policy_id}: bytes {matching} of {bodies}")
            content[policy_id] = matching[0]
            for announced, where in ((written, "the DNSEndpoint"), (dns, "DNS")):
                self.assertEqual(world.announced_before_served(served, announced, matching[0],
                                                               policy_id, where), [], policy_id)
        for before, after in zip(ids, ids[1:]):
            self.assertNotEqual(content[before], content[after],
                                f"{before} and {after}: a new id for the same bytes")
        self.assert_alive()


class I3DriftWithinOneInterval(RolloutCase):
    """I3: under enforce, an MX host added to DNS that no pattern covers is acted on within one
    revalidation interval: onMxDrift Demote serves and announces testing with a new id;
    Alert raises Degraded and keeps enforce and its id."""

    def test_demote_and_alert(self):
        self.bring_up({"good": ("good", ["mx1.demote", "mx2.demote", "mx1.alert", "mx2.alert"])})
        w = self.world
        domains = {drift: f"{drift.lower()}.{self.domain}" for drift in ("Demote", "Alert")}
        first = {}
        for drift, domain in domains.items():
            label = drift.lower()
            self.point_mx(domain, [(f"mx1.{label}", "good")])
            w.apply(manifest(label, domain, [f"mx1.{domain}"], on_drift=drift))
        for drift, domain in domains.items():
            first[drift] = self.announced(drift.lower(), domain, "enforce", PROMOTE + 10)
            self.sender_sees(domain, "enforce", first[drift]["status"]["policyId"])

        def observe(label):
            def snapshot():
                p = w.policy(label)
                return (promotion(p).get("servingMode"), status(p).get("effectiveMode"),
                        e2e.conditions(p).get("Degraded", {}).get("status"))
            return Timeline(snapshot, 0.1)
        demote, alert = observe("demote"), observe("alert")
        with demote, alert:
            drifted_at = time.time()
            for drift, domain in domains.items():
                label = drift.lower()
                self.point_mx(domain, [(f"mx1.{label}", "good"), (f"mx2.{label}", "good")])
            demoted = self.announced("demote", domains["Demote"], "testing",
                                     other_than=first["Demote"]["status"]["policyId"])
            acted = demote.first_seen(lambda v: v[0] == "testing")
            self.assertIsNotNone(acted, demote.changes)
            print(f"Demote: testing decided {acted - drifted_at:.1f} s after the drift")
            self.assertLessEqual(acted - drifted_at, DRIFT_BUDGET, demote.changes)
            self.wait_policy("alert", e2e.has_condition("Degraded", "True"), "Degraded")
            time.sleep(2 * INTERVAL)  # Alert keeps enforce over later revalidations too
        self.assertIn(("Warning", "Demoted"), [e[:2] for e in self.events("demote")])
        self.sender_sees(domains["Demote"], "testing", demoted["status"]["policyId"])

        raised = alert.first_seen(lambda v: v[2] == "True")
        self.assertIsNotNone(raised, alert.changes)
        print(f"Alert: Degraded {raised - drifted_at:.1f} s after the drift")
        self.assertLessEqual(raised - drifted_at, DRIFT_BUDGET, alert.changes)
        self.assertEqual([v for _, _, v in alert.samples if v[0] != "enforce" or v[1] != "enforce"],
                         [], "Alert left enforce")
        alert_id = first["Alert"]["status"]["policyId"]
        self.assertEqual(status(w.policy("alert"))["policyId"], alert_id)
        self.assertEqual(world.sts_ids(f"_mta-sts.{domains['Alert']}"), [alert_id])
        self.assertTrue([e for e in self.events("alert") if e[0] == "Warning"],
                        self.events("alert"))
        self.sender_sees(domains["Alert"], "enforce", alert_id)
        self.assert_alive()


class I4PolicyHostCertificate(RolloutCase):
    """I4: a certificate of mta-sts.<domain> within 30 days of its end gets a warning condition
    and a Warning Event; an expired one is never presented by nginx: the last valid one stays,
    and the warning with it. The Secret is rewritten by hand, as a failed renewal leaves it."""

    def replace_certificate(self, name, host, lifetime, age=datetime.timedelta(0)):
        """Puts a new certificate for host into the policy's Secret; its end (a timestamp)."""
        chain, key, _, not_after = self.world.ca.sign([host], lifetime, age=age)
        path = world.kube.object_path("v1", "secrets", self.world.namespace, f"{name}-mta-sts-tls")
        self.world.client.merge_patch(path, {"data": {
            "tls.crt": base64.b64encode(chain).decode(), "tls.key": base64.b64encode(key).decode()}},
            "test")
        return not_after.timestamp()

    def presented_end(self, host):
        """The end of the certificate nginx presents for host (a timestamp), or None."""
        cert = presented_certificate(self.nginx[0].address, host)
        return cert and cert.not_valid_after.replace(tzinfo=datetime.timezone.utc).timestamp()

    def warning(self, name):
        """The CERT_CONDITION condition, when the policy has it, else None."""
        kind, state, reason = CERT_CONDITION
        found = e2e.conditions(self.world.policy(name)).get(kind, {})
        return found if (found.get("status"), found.get("reason")) == (state, reason) else None

    def warning_events(self, name):
        return [e for e in self.events(name) if e[0] == "Warning"
                and any(w in (e[1] + e[2]).lower() for w in CERT_EVENT_WORDS)]

    def test_warns_before_the_end_and_never_serves_an_expired_one(self):
        self.bring_up({"good": ("good", ["mx1"])})
        name, domain = "p", self.domain
        host = f"mta-sts.{domain}"
        self.point_mx(domain, [("mx1", "good")])
        self.world.apply(manifest(name, domain, [f"mx1.{domain}"], mode="testing"))
        policy = self.announced(name, domain, "testing")
        self.assertIsNone(self.warning(name))
        self.assertEqual(self.warning_events(name), [])
        data = self.nginx[0].served(host)

        # Within 30 days of its end: 20 days left.
        near_end = self.replace_certificate(name, host, datetime.timedelta(days=20))
        wait_for(lambda: self.presented_end(host), CONVERGE, "the 20-day certificate presented",
                 until=lambda end: end == near_end)
        condition = wait_for(lambda: self.warning(name), CONVERGE, f"{CERT_CONDITION}")
        events = wait_for(lambda: self.warning_events(name), CONVERGE, "a Warning Event")
        print(f"near its end: {condition}; {events}")

        # Expired: never presented; the last valid certificate keeps serving, and the warning.
        presented = Timeline(lambda: self.presented_end(host), 0.1)
        warned = Timeline(lambda: bool(self.warning(name)), 0.25)
        with presented, warned:
            self.replace_certificate(name, host, datetime.timedelta(days=1),
                                     age=datetime.timedelta(days=2))
            time.sleep(3 * INTERVAL)  # the syncer has seen the Secret; the endpoints rechecked
        self.assertEqual({end for _, _, end in presented.samples}, {near_end},
                         "nginx presented another certificate than the last valid one")
        self.assertEqual({w for _, _, w in warned.samples}, {True}, warned.changes)
        self.assertEqual(self.nginx[0].served(host), data)
        self.sender_sees(domain, "testing", policy["status"]["policyId"])
        self.assert_alive()


USER_AGENTS = [None, "", "Mozilla/5.0 (X11; Linux x86_64)", "postfix-mta-sts-resolver",
               "curl/8.5.0", "x" * 2000, "\u00e9\u00e8 pas ASCII"]


class I5EndpointThroughEveryStep(RolloutCase):
    """I5: from the first announcement until DNS forgets the domain, every fetch of the policy,
    on every nginx, on the operator's port and the sender's, with any User-Agent (none, empty,
    a browser's, long, bytes that are not ASCII), answers 200, text/plain, no redirect, at
    most 64 KiB: through testing, enforce, a roll back and the removal hold."""

    def test_every_fetch_answers_well(self):
        self.bring_up({"good": ("good", ["mx1"])}, nginx=2)
        w, name, domain = self.world, "p", self.domain
        host, txt = f"mta-sts.{domain}", f"_mta-sts.{domain}"
        self.point_mx(domain, [("mx1", "good")])
        rounds = [0]

        def fetch_all():
            rounds[0] += 1
            agent = USER_AGENTS[rounds[0] % len(USER_AGENTS)]
            out = []
            for nginx in self.nginx:
                for port in nginx.ports:
                    try:
                        code, headers, body = world.request(nginx.address, host, w.ca_file, port,
                                                            user_agent=agent)
                        out.append((nginx.address, port, agent, code,
                                    headers.get("content-type", ""), "location" in headers,
                                    len(body)))
                    except OSError as e:
                        out.append((nginx.address, port, agent, f"error: {e}"))
            return out
        endpoint = Timeline(fetch_all, 0.1)
        dns = Timeline(lambda: tuple(world.sts_ids(txt)), 0.1)
        with endpoint, dns:
            w.apply(manifest(name, domain, [f"mx1.{domain}"]))
            self.announced(name, domain, "testing")
            self.sender_sees(domain, "testing")
            self.announced(name, domain, "enforce", PROMOTE)
            self.sender_sees(domain, "enforce")
            w.apply(manifest(name, domain, [f"mx1.{domain}"], mode="testing"))
            self.announced(name, domain, "testing")
            self.sender_sees(domain, "testing")
            world.kubectl("delete", "-n", w.namespace, "mtastspolicy", name, "--wait=false")
            self.announced(name, domain, "none")
            self.sender_sees(domain, "none")
            wait_for(lambda: world.sts_ids(txt), MAX_AGE + CONVERGE, f"{txt} gone",
                     until=lambda ids: ids == [])
        # The window: from the first sample that saw an id to the last one (DNS goes first on
        # removal, so the files were still there at any earlier moment).
        announced = [start for start, _, ids in dns.samples if ids and isinstance(ids, tuple)]
        first, last = announced[0], announced[-1]
        checked, bad = 0, []
        for start, end, results in endpoint.samples:
            if start < first or end > last:
                continue
            for result in results:
                checked += 1
                if (len(result) != 7 or result[3] != 200
                        or not result[4].startswith("text/plain") or result[5]
                        or result[6] > 65536):
                    bad.append((round(start, 3), result))
        self.assertGreater(checked, 100)
        self.assertEqual(bad[:10], [], f"{len(bad)} of {checked} fetches answered badly")
        print(f"{checked} fetches answered 200 text/plain, no redirect, <= 64 KiB")
        self.assert_alive()


class I6RemovalHold(RolloutCase):
    """I6: deleting a policy serves and announces mode none with a new id, holds it for the
    largest max_age ever announced (counted from status.removalHoldSince, so a restart of the
    operator during the hold keeps it), then removes the DNS records first and the ConfigMap,
    Certificate and Secret after them, and only then releases the finalizer. removal: Immediate
    skips the hold and says so in a Warning Event."""

    def test_held_for_max_age_across_a_restart_then_gone_in_order(self):
        self.bring_up({"good": ("good", ["mx1.graceful", "mx1.immediate"])})
        w = self.world
        domains = {label: f"{label}.{self.domain}" for label in ("graceful", "immediate")}
        for label, domain in domains.items():
            self.point_mx(domain, [(f"mx1.{label}", "good")])
            w.apply(manifest(label, domain, [f"mx1.{domain}"], removal=label.capitalize()))
        enforcing = {label: self.announced(label, d, "enforce", PROMOTE + 10)
                     for label, d in domains.items()}
        for label, domain in domains.items():
            self.sender_sees(domain, "enforce", enforcing[label]["status"]["policyId"])
            self.assertIn("mtasts.io/removal", enforcing[label]["metadata"].get("finalizers", []))
        txt = {label: f"_mta-sts.{d}" for label, d in domains.items()}
        kinds = [e2e.POLICIES, e2e.CONFIGMAPS, e2e.CERTIFICATES, e2e.DNSENDPOINTS, e2e.SECRETS]
        graceful_dns = Timeline(lambda: tuple(world.sts_ids(txt["graceful"])), 0.1)
        with WriteWatch(w, kinds) as writes, graceful_dns:
            deleted_at = time.time()
            for label in domains:
                world.kubectl("delete", "-n", w.namespace, "mtastspolicy", label, "--wait=false")
            # Immediate: records gone well before the hold would end, and a Warning says so.
            wait_for(lambda: world.sts_ids(txt["immediate"]), CONVERGE, "immediate's TXT gone",
                     until=lambda ids: ids == [])
            self.assertLess(time.time() - deleted_at, MAX_AGE)
            # Graceful: none announced with a new id; the sender now holds none.
            held = self.announced("graceful", domains["graceful"], "none")
            self.assertNotEqual(held["status"]["policyId"],
                                enforcing["graceful"]["status"]["policyId"])
            self.sender_sees(domains["graceful"], "none", held["status"]["policyId"])
            # The hold starts on the pass that sees DNS answer the id, which may come after
            # this test saw it.
            held = self.wait_policy("graceful", lambda p: status(p).get("removalHoldSince"),
                                    "removal hold started")
            hold_since = status(held)["removalHoldSince"]
            self.assertEqual(status(held)["largestMaxAge"], MAX_AGE)
            hold_end = timestamp(hold_since) + MAX_AGE
            # A restart during the hold keeps it: same start, records kept until its end.
            self.assertEqual(self.operators[0].process.stop(), 0)
            self.operators[0] = w.start_operator(self.nginx[0], self.nginx, extra=[
                "--revalidate-interval", f"{INTERVAL}s"])
            wait_for(lambda: self.operators[0].get("/readyz")[0] == 200, CONVERGE, "/readyz")
            self.assertEqual(status(w.policy("graceful"))["removalHoldSince"], hold_since)
            wait_for(lambda: w.policy("graceful"), hold_end - time.time() + CONVERGE,
                     "graceful released", until=lambda p: p is None)
        # The record was still there at the end of the hold (to the second status counts in).
        last_held = max((s for s, _, ids in graceful_dns.samples if ids), default=None)
        self.assertIsNotNone(last_held, graceful_dns.changes)
        self.assertGreaterEqual(last_held, hold_end - 1.5, "the TXT record went before the hold"
                                f" ended at {hold_end:.3f}: {graceful_dns.changes}")
        self.assertEqual(world.sts_ids(txt["graceful"]), [])
        self.assertEqual(self.sender.fetch(domains["graceful"]).result, "NONE")
        # The order of the deletions.
        deleted = {(plural, obj): t for t, plural, kind, obj, _, _ in writes.since(deleted_at)
                   if kind == "DELETED"}
        names = {e2e.DNSENDPOINTS[1]: "graceful-mta-sts",
                 e2e.CONFIGMAPS[1]: "graceful-mta-sts-policy",
                 e2e.CERTIFICATES[1]: "graceful-mta-sts", e2e.SECRETS[1]: "graceful-mta-sts-tls",
                 e2e.POLICIES[1]: "graceful"}
        order = [deleted.get((plural, obj)) for plural, obj in names.items()]
        self.assertNotIn(None, order, f"not all deleted: {deleted}")
        self.assertLessEqual(hold_end - 1, order[0], "the DNSEndpoint went before the hold ended")
        self.assertLessEqual(order[0], min(order[1:4]), "the DNSEndpoint went first")
        self.assertLessEqual(last_held, order[1], "DNS still answered when the ConfigMap went")
        self.assertLessEqual(max(order[1:4]), order[4], "the finalizer went last")
        self.assertFalse(self.nginx[0].served(f"mta-sts.{domains['graceful']}"))
        self.assertTrue([e for e in self.events("immediate") if e[0] == "Warning"
                         and e[1] == "RemovedImmediately"], self.events("immediate"))
        self.assertEqual([n for n, _ in w.crashed() if not n.startswith("operator")], [])


if __name__ == "__main__":
    unittest.main(verbosity=2)
