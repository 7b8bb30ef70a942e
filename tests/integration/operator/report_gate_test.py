#!/usr/bin/python3
"""Gate 6 on the real control plane: a policy with tlsRpt.ingest whose senders' TLS reports,
POSTed as senders post them to https://mta-sts.<domain>/tlsrpt, through nginx with the production
config to the operator's intake (--report-bind-address), show failures above
rollout.maxFailureRate stays in testing after its testing period, and says why in its status (as
`kubectl describe` shows it); once good reports bring the rate under the threshold it reaches
enforce. A twin without ingest, given the same reports, is not held. Once enforced, one more
failure reported demotes it to testing (onMxDrift Demote). The world is rollout_test's (nginx,
BIND9 fed by external-dns, the CA issuer, an SMTP server with STARTTLS as the MX).

    report_gate_test.py [unittest args]   (KUBECONFIG, MTASTS_CONTROLPLANE, MTASTS_OPERATOR and
                                           MTASTS_CLI set; BIND9 up)
"""
import datetime
import gzip
import json
import time
import unittest

import operator_test as e2e
import rollout_test as rollout
import world
from world import wait_for



def report(report_id, domains, successful, failed):
    """An RFC 8460 report of today for domains, failed sessions on mx1 (certificate-expired)."""
    day = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d")
    return {
        "organization-name": "Company-X", "contact-info": "tlsrpt@company-x.example",
        "report-id": report_id,
        "date-range": {"start-datetime": f"{day}T00:00:00Z", "end-datetime": f"{day}T23:59:59Z"},
        "policies": [{
            "policy": {"policy-type": "sts", "policy-string": ["version: STSv1", "mode: testing"],
                       "policy-domain": domain.upper()},
            "summary": {"total-successful-session-count": successful,
                        "total-failure-session-count": failed},
            "failure-details": [{"result-type": "certificate-expired",
                                 "receiving-mx-hostname": f"mx1.{domain}",
                                 "failed-session-count": failed}] if failed else []}
            for domain in domains]}


class ReportGate(rollout.RolloutCase):
    def test_failures_hold_testing_until_good_reports_arrive(self):
        self.bring_up({"good": ("good", ["mx1.held", "mx1.free"])},
                      operator_flags=["--report-bind-address", world.report_address(1)])
        w = self.world
        domains = {label: f"{label}.{self.domain}" for label in ("held", "free")}
        for label, domain in domains.items():
            self.point_mx(domain, [(f"mx1.{label}", "good")])
            w.apply(rollout.manifest(label, domain, [f"mx1.{domain}"], ingest=label == "held"))
        # The rua of the held policy's host, once it has its certificate (nginx presents none
        # before); the operator behind it counts every report, whichever host took it.
        host = f"mta-sts.{domains['held']}"
        wait_for(lambda: self.nginx[0].served(host), rollout.CONVERGE, f"{host} served")

        def post(body, content_type="application/tlsrpt+gzip"):
            return self.nginx[0].post_report(host, body, content_type)

        # 10 of 100 sessions failed: 10% > the default 1%.
        bad = gzip.compress(json.dumps(report("r1", domains.values(), 90, 10)).encode())
        # Counted for both (the intake counts for every domain a policy claims); only the one
        # with tlsRpt.ingest is held by them.
        self.assertEqual(post(bad), (200, f"counted for {domains['free']}, {domains['held']}\n"))
        self.assertEqual(post(bad)[0], 200)  # a retry counts once
        self.assertIn("received before", post(bad)[1])
        self.assertEqual(post(b"{}", "application/json")[0], 415)
        self.assertEqual(post(b"not gzip")[0], 400)

        self.announced("free", domains["free"], "enforce", rollout.PROMOTE)
        held = self.wait_policy("held", lambda p: e2e.conditions(p).get("Ready", {}).get(
            "reason") == "ReportedFailures", "held by its reports", rollout.PROMOTE)
        ready = e2e.conditions(held)["Ready"]
        self.assertEqual(held["status"]["effectiveMode"], "testing")
        for words in ("1 report of the last 14 days count 100 sessions, 10 failed",
                      "more than rollout.maxFailureRate 1%", "certificate-expired 10",
                      f"mx1.{domains['held']} 10"):
            self.assertIn(words, ready["message"])
        self.assertEqual(held["status"]["reports"], {
            "windowDays": 14, "reports": 1, "sessions": 100, "failedSessions": 10,
            "failureRate": "10%", "failuresByResult": {"certificate-expired": 10},
            "failuresByMx": {f"mx1.{domains['held']}": 10}})
        self.assertNotIn("reports", w.policy("free")["status"])  # it does not ingest
        described = world.kubectl("describe", "mtastspolicy", "held", "-n", w.namespace).stdout
        self.assertIn("ReportedFailures", described)
        self.assertIn("more than rollout.maxFailureRate 1%", described.replace("\n", " "))
        time.sleep(2 * rollout.INTERVAL)  # revalidations change nothing
        self.assertEqual(w.policy("held")["status"]["effectiveMode"], "testing")

        # 10 of 10,100 sessions: under 1%.
        good = json.dumps(report("r2", [domains["held"]], 10000, 0)).encode()
        self.assertEqual(post(good, "application/tlsrpt+json")[0], 200)
        enforced = self.announced("held", domains["held"], "enforce", rollout.CONVERGE)
        self.assertEqual((enforced["status"]["reports"]["sessions"],
                          enforced["status"]["reports"]["failureRate"]), (10100, "0.09%"))
        self.sender_sees(domains["held"], "enforce", enforced["status"]["policyId"])

        # While enforcing, a sender reports a session enforce refused: drift, and with the
        # manifest's onMxDrift Demote, testing is served and announced with a new id.
        failing = json.dumps(report("r3", [domains["held"]], 100, 1)).encode()
        self.assertEqual(post(failing, "application/tlsrpt+json")[0], 200)
        demoted = self.announced("held", domains["held"], "testing", rollout.CONVERGE,
                                 other_than=enforced["status"]["policyId"])
        self.assertEqual(demoted["status"]["promotion"]["reportedFailures"], 11)
        demotions = [e[2] for e in self.events("held") if e[:2] == ("Warning", "Demoted")]
        self.assertTrue(any("senders reported 1 failed session of result types enforce refuses"
                            in m for m in demotions), demotions)
        self.assert_alive()


if __name__ == "__main__":
    unittest.main(verbosity=2)
