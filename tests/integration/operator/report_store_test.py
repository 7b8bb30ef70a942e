#!/usr/bin/python3
"""The TLS report windows across replicas and restarts, on the real control plane: two operators
(leader election), each receiving the reports its nginx passes on (as in each pod of the chart);
a report counts once in the leader's status whichever replica received it, the window is kept in
the policy's <policy>-mta-sts-reports ConfigMap so a restarted operator loses nothing, the
_smtp._tls record (through external-dns into BIND9) names the intake, and the window goes with
the policy.

    report_store_test.py [unittest args]   (KUBECONFIG, MTASTS_CONTROLPLANE, MTASTS_OPERATOR and
                                           MTASTS_CLI set; BIND9 up)
"""
import gzip
import json
import os
import subprocess
import time
import unittest

import operator_test as e2e
import world
from report_gate_test import report
from world import wait_for

CONVERGE = e2e.CONVERGE
CONFIGMAPS = ("v1", "configmaps")
GZIP = "application/tlsrpt+gzip"


def gzipped(report_body):
    return gzip.compress(json.dumps(report_body).encode())


def post_with_cli(operator, body):
    """(exit status, stderr) of `mtasts report --post` forwarding a gzip report from standard
    input to operator's intake, as a mailbox rule pipes a report in."""
    r = subprocess.run([os.environ["MTASTS_CLI"], "report", "--post",
                        f"http://{operator.address}:8082/tlsrpt", "-"],
                       input=gzipped(body), capture_output=True, timeout=60)
    return r.returncode, r.stderr.decode("utf-8", "replace")


class ReportsStored(e2e.OperatorCase):
    def start_operator(self, nginx):
        index = len(self.world.operators) + 1
        return self.world.start_operator(nginx, self.nginx, extra=[
            "--report-bind-address", world.report_address(index),
            "--report-flush-interval", "1s"])

    def reports_in_status(self, count):
        return self.wait_policy("p", lambda p: ((p or {}).get("status") or {}).get(
            "reports", {}).get("reports") == count, f"status.reports counts {count} reports")

    def test_a_report_counts_once_across_replicas_and_restarts(self):
        w = self.world
        w.apply_crds()
        self.nginx = [w.add_nginx() for _ in range(2)]
        w.start_external_dns()
        w.start_ca_issuer()
        self.operators = [self.start_operator(n) for n in self.nginx]
        domain = f"{w.namespace}.{world.ZONE}"
        w.apply(e2e.manifest("p", domain, [f"mx1.{domain}"], ingest=True,
                             extra="  removal: Immediate\n"))
        self.reports_in_status(0)

        # One report through each pod's nginx to its operator: whichever leads, one of them came
        # through the other's stored window.
        host = f"mta-sts.{domain}"
        first, second = report("r1", [domain], 90, 10), report("r2", [domain], 50, 0)
        for nginx, body in zip(self.nginx, (first, second)):
            self.assertEqual(nginx.post_report(host, gzipped(body), GZIP),
                             (200, f"counted for {domain}\n"))
        self.reports_in_status(2)

        def days(config_map):
            window = json.loads(((config_map or {}).get("data") or {}).get("window.json", "{}"))
            return [(d["reports"], d["successful"], d["failed"]) for d in window.values()]
        # The replica whose write lost the race stores its count on top at its next flush.
        stored = wait_for(lambda: w.get(*CONFIGMAPS, "p-mta-sts-reports"), CONVERGE,
                          "both reports stored", until=lambda cm: days(cm) == [(2, 140, 10)])
        self.assertEqual(stored["metadata"]["labels"]["mtasts.io/content"], "reports")
        self.assertEqual([o["kind"] for o in stored["metadata"]["ownerReferences"]],
                         ["MtaStsPolicy"])
        # The sender retries r1 through the other replica: still two reports.
        self.assertEqual(self.nginx[1].post_report(host, gzipped(first), GZIP)[0], 200)
        time.sleep(3)  # several flushes and passes
        self.assertEqual(w.policy("p")["status"]["reports"]["reports"], 2)

        # Senders learn the intake from the published record.
        intake = f"https://mta-sts.{domain}/tlsrpt"
        wait_for(lambda: world.dig(f"_smtp._tls.{domain}"), CONVERGE,
                 "_smtp._tls names the intake", until=lambda txt: any(intake in r for r in txt))

        # Both replicas restart: the window is read back, so a new report makes three (posted
        # to the new process directly, by the CLI: the nginx in front listens for the old one).
        for operator in self.operators:
            self.assertEqual(operator.process.stop(), 0, "the exit status on SIGTERM")
        restarted = self.start_operator(self.nginx[0])
        # Until it has read the policies and the windows, it asks the sender to retry (503).
        status, said = wait_for(lambda: post_with_cli(restarted, report("r3", [domain], 10, 0)),
                                CONVERGE, "r3 accepted", until=lambda a: "503" not in a[1])
        self.assertEqual(status, 0, said)
        self.assertIn(f"posted: 200 counted for {domain}", said)
        self.reports_in_status(3)
        self.assertEqual(w.policy("p")["status"]["reports"]["failedSessions"], 10)

        # The window goes with the policy.
        world.kubectl("delete", "mtastspolicy", "p", "-n", w.namespace, "--wait=false")
        wait_for(lambda: w.get(*CONFIGMAPS, "p-mta-sts-reports"), CONVERGE,
                 "the reports ConfigMap deleted", until=lambda cm: cm is None)
        self.assert_alive()


if __name__ == "__main__":
    unittest.main(verbosity=2)
