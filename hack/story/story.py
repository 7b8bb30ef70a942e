#!/usr/bin/python3
"""The rollout told as it happens: the operator takes examples/example-test.yaml from nothing to
enforce on the local world (the control plane, BIND9 fed by the real external-dns, nginx with the
production config, the CA issuer playing cert-manager, an SMTP server with STARTTLS as the MX),
and a real sender, postfix-mta-sts-resolver, fetches the result. Every line says what changed:
served, announced, validated, promoted, and the Events the operator wrote.

    story.py     (KUBECONFIG, MTASTS_OPERATOR, MTASTS_CLI set; the control plane and BIND9 up;
                  root, for the sender's ports 53 and 443). hack/story.sh does all of that.
Exit status 0 once the sender holds the enforce policy; 1 otherwise, with what was seen last.
"""
import os
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "integration", "operator"))

import world  # noqa: E402 - after the path
from world import kubectl  # noqa: E402

EXAMPLE = os.path.join(ROOT, "examples", "example-test.yaml")
NAME, DOMAIN, MX = "example-test", "example.operator.test", "mx1.example.operator.test"
HOST = "mta-sts." + DOMAIN
TIMEOUT = 300  # seconds: the testing period is 30 s, the rest takes seconds


class Narrator:
    def __init__(self):
        self.start = time.monotonic()

    def say(self, text):
        print(f"[{time.monotonic() - self.start:6.1f}s] {text}", flush=True)


def mode_of(body):
    """The mode line of a policy file, or None."""
    for line in (body or b"").decode("ascii", "replace").splitlines():
        if line.startswith("mode:"):
            return line.split(":", 1)[1].strip()
    return None


def ready(status):
    for c in status.get("conditions", []):
        if c.get("type") == "Ready":
            return c.get("status"), c.get("reason"), c.get("message", "")
    return None, None, ""


def get_columns(w):
    return kubectl("get", "mtastspolicies", "-n", w.namespace, "-o", "wide").stdout.rstrip()


def main():
    say = Narrator().say
    w = world.World("story")
    try:
        say(f"the world: namespace {w.namespace}, zone {world.ZONE} on BIND9 {w.dns_server}")
        w.apply_crds()
        nginx = w.add_nginx(sender_port=True)
        say(f"nginx with charts/mta-sts-operator/files/nginx.conf on {nginx.address}:8443 and :443")
        mx = w.start_mx_servers({"mx1": ("good", [MX])})["mx1"]
        w.set_mx(DOMAIN, [(MX, mx)])
        say(f"{MX}: an SMTP server with STARTTLS on {mx}:{world.SMTP_PORT}, "
            f"the MX of {DOMAIN} in DNS")
        w.start_external_dns()
        w.start_ca_issuer()
        w.start_operator(nginx, [nginx], extra=["--revalidate-interval", "10s"])
        say("external-dns (rfc2136 into BIND9), the CA issuer and mta-sts-operator are running")
        with open(EXAMPLE) as f:
            w.apply(f.read())
        say(f"kubectl apply -f examples/example-test.yaml: {DOMAIN}, target mode enforce, "
            "testing period 30s")
        return watch(w, nginx, say)
    finally:
        w.close()
        say("stopped everything the story started")


def watch(w, nginx, say):
    seen_events, last = set(), {}
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        policy = w.policy(NAME) or {}
        status = policy.get("status") or {}
        now = {
            "served": mode_of(nginx.served(HOST)),
            "dns": tuple(world.sts_ids("_mta-sts." + DOMAIN)),
            "effective": (status.get("effectiveMode"), status.get("policyId")),
            "ready": ready(status)[:2],
            "validation": ((status.get("promotion") or {}).get("lastValidation") or {}).get(
                "result"),
        }
        if now["served"] != last.get("served") and now["served"]:
            say(f"served: https://{HOST}/.well-known/mta-sts.txt answers mode {now['served']}")
        if now["dns"] != last.get("dns") and now["dns"]:
            say(f"announced: _mta-sts.{DOMAIN} answers id {', '.join(now['dns'])}")
        if now["effective"] != last.get("effective") and now["effective"][0]:
            say(f"status: effectiveMode {now['effective'][0]}, policyId {now['effective'][1]}")
        if now["validation"] != last.get("validation") and now["validation"]:
            say(f"validated: the enforce gates ran against the live domain: {now['validation']}")
        if now["ready"] != last.get("ready") and now["ready"][0]:
            say(f"Ready={now['ready'][0]} ({now['ready'][1]}): {ready(status)[2]}")
        for kind, reason, message in events(w):
            if (reason, message) not in seen_events:
                seen_events.add((reason, message))
                say(f"event {kind} {reason}: {message}")
        last = now
        mode, policy_id = now["effective"]
        if mode == "enforce" and now["dns"] == (policy_id,) and now["ready"][0] == "True":
            return finish(w, say, policy_id)
        time.sleep(0.5)
    say(f"not enforced within {TIMEOUT} s; last seen: {last}")
    print(get_columns(w))
    return 1


def events(w):
    items = w.client.get(f"/api/v1/namespaces/{w.namespace}/events").get("items", [])
    mine = [e for e in items if e["involvedObject"].get("kind") == "MtaStsPolicy"]
    mine.sort(key=lambda e: e.get("lastTimestamp") or e.get("eventTime") or "")
    return [(e.get("type"), e.get("reason"), e.get("message", "")) for e in mine]


def finish(w, say, policy_id):
    print(get_columns(w), flush=True)
    view = world.wait_for(lambda: w.sender().fetch(DOMAIN), 30,
                          f"postfix-mta-sts-resolver fetching the enforce policy of {DOMAIN}",
                          until=lambda v: v.mode == "enforce" and v.policy_id == policy_id)
    say(f"postfix-mta-sts-resolver, a real sender's MTA-STS client, fetched the policy of "
        f"{DOMAIN}: result {view.result}, id {view.policy_id}, mode {view.mode}, "
        f"mx {', '.join(view.mx)}, max_age {view.max_age}")
    say(f"done: a sender now holds the enforce policy of {DOMAIN}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
