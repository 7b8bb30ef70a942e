#!/usr/bin/python3
"""Leader election between real processes over a real kube-apiserver.

Runs lease_contender processes (default timings: lease 15 s, renew deadline 10 s, retry 2 s,
campaign retries jittered up to 2.2 retry periods), each writing a ConfigMap while it leads, and
checks from their timestamped "leading"/"write"/"stopped" lines that:
  1. after the leader is killed with SIGKILL, the survivor leads once the lease has expired:
     no sooner than lease - retry, no later than lease + 2 campaign retries (the survivor polls
     once per campaign retry) after the kill;
  2. a leader stopped with SIGTERM releases the lease and its successor leads within about one
     campaign retry;
  3. a leader cut off from kube-apiserver (its lease requests go through a relay frozen with
     SIGSTOP, so they hang, while its writes still go through) stops within the renew deadline,
     at least lease - renew before the other one leads;
  4. in every scenario two contenders never lead at the same time, and no contender begins a
     write outside its own leadership: the old leader's reconcile is cancelled, so it writes
     nothing after its successor starts.

    lease_handover.py PATH/TO/lease_contender      (KUBECONFIG and MTASTS_CONTROLPLANE set)
"""
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time

LEASE, RENEW, RETRY = 15.0, 10.0, 2.0
CAMPAIGN_RETRY = RETRY * 2.2  # the longest jittered campaign retry
SLACK = 1.0  # process scheduling on a loaded machine


class Failure(Exception):
    pass


class Contender:
    """One lease_contender process and the lines it printed, as (unix seconds, text)."""

    def __init__(self, binary, workdir, identity, lease, server=None):
        self.identity = identity
        self.lines = []
        self.killed_at = None
        self.stderr_path = os.path.join(workdir, identity + ".log")
        args = [binary, "--identity", identity, "--lease", lease, "--namespace", "default",
                "--write-configmap", lease + "-writes"]
        if server:
            args += ["--server", server]
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, text=True,
                                     stderr=open(self.stderr_path, "w"))
        self.changed = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            stamp, text = line.rstrip("\n").split(" ", 1)
            with self.changed:
                self.lines.append((int(stamp) / 1000.0, text))
                self.changed.notify_all()

    def wait_for(self, text, timeout):
        """Time at which the contender printed a line starting with text (waits up to timeout)."""
        deadline = time.time() + timeout
        with self.changed:
            while True:
                for stamp, line in self.lines:
                    if line.startswith(text):
                        return stamp
                left = deadline - time.time()
                if left <= 0:
                    raise Failure(f"{self.identity} did not print '{text}' within {timeout:.0f} s;"
                                  f" it printed {self.lines}")
                self.changed.wait(left)

    def kill(self):
        self.killed_at = time.time()
        self.proc.kill()
        self.proc.wait()

    def terms(self):
        """Leadership intervals [start, end]; a term still open ends now (or at the SIGKILL)."""
        terms, start = [], None
        for stamp, line in self.lines:
            if line == "leading":
                start = stamp
            elif line == "stopped" and start is not None:
                terms.append((start, stamp))
                start = None
        if start is not None:
            terms.append((start, self.killed_at or time.time()))
        return terms


def check_never_two_leaders(contenders):
    terms = sorted((t, c.identity) for c in contenders for t in c.terms())
    for ((_, end), first), ((start, _), second) in zip(terms, terms[1:]):
        if start < end:
            raise Failure(f"{first} and {second} both led from {start:.3f} to {end:.3f}")


def check_writes_only_while_leading(contenders):
    for c in contenders:
        writes = [stamp for stamp, line in c.lines if line == "write"]
        if not writes:
            raise Failure(f"{c.identity} never wrote: the check proves nothing")
        for stamp in writes:
            if not any(start <= stamp <= end for start, end in c.terms()):
                raise Failure(f"{c.identity} began a write at {stamp:.3f} outside its "
                              f"leadership {c.terms()}")


def lease_spec(name):
    out = subprocess.run([os.environ["MTASTS_CONTROLPLANE"], "kubectl", "get", "lease", name,
                          "-n", "default", "-o", "json"], check=True, capture_output=True,
                         text=True).stdout
    return json.loads(out)["spec"]


def expect(condition, message):
    if not condition:
        raise Failure(message)
    print("ok:", message, flush=True)


def kill_then_survivor_takes_over(start):
    a = start("kill-a")
    a.wait_for("leading", 30)
    b = start("kill-b")
    time.sleep(2 * RETRY + 1)  # b now watches a renew
    killed = time.time()
    a.kill()
    took_over = b.wait_for("leading", LEASE + 2 * CAMPAIGN_RETRY + 10) - killed
    expect(LEASE - RETRY - SLACK <= took_over <= LEASE + 2 * CAMPAIGN_RETRY + SLACK,
           f"survivor led {took_over:.2f} s after the SIGKILL (lease {LEASE:.0f} s, retry "
           f"{RETRY:.0f} s, jittered up to {CAMPAIGN_RETRY:.1f} s)")
    spec = lease_spec(a.lease)
    expect(spec.get("holderIdentity") == "kill-b" and spec.get("leaseTransitions") == 1,
           f"lease names kill-b with 1 transition: {spec}")
    return [a, b]


def graceful_release_hands_over(start, leader):
    successor = start("graceful-c")
    time.sleep(CAMPAIGN_RETRY + 1)
    leader.proc.send_signal(signal.SIGTERM)
    released = leader.wait_for("exit ok", RENEW)
    expect(leader.proc.wait(10) == 0, f"{leader.identity} exited 0 after SIGTERM")
    handover = successor.wait_for("leading", LEASE) - released
    expect(handover <= CAMPAIGN_RETRY + SLACK,
           f"successor led {handover:.2f} s after the release (retry {RETRY:.0f} s, jittered up "
           f"to {CAMPAIGN_RETRY:.1f} s)")
    spec = lease_spec(leader.lease)
    expect(spec.get("holderIdentity") == "graceful-c" and spec.get("leaseTransitions") == 2,
           f"lease names graceful-c with 2 transitions: {spec}")
    successor.wait_for("write", 10)  # so the write check has a write of its own to judge
    successor.proc.send_signal(signal.SIGTERM)
    expect(successor.proc.wait(30) == 0, "graceful-c exited 0 after SIGTERM")
    return [successor]


def cut_off_leader_stops(start, here, apiserver):
    relay = subprocess.Popen([sys.executable, os.path.join(here, "tcp_relay.py"), *apiserver],
                             stdout=subprocess.PIPE, text=True)
    try:
        port = relay.stdout.readline().strip()
        d = start("cut-d", server=f"https://127.0.0.1:{port}")
        d.wait_for("leading", 30)
        e = start("cut-e")
        time.sleep(2 * RETRY + 1)
        cut = time.time()
        relay.send_signal(signal.SIGSTOP)
        stopped = d.wait_for("stopped", RENEW + 10)
        expect(stopped - cut <= RENEW + SLACK / 2,
               f"cut-off leader stopped {stopped - cut:.2f} s after the cut (renew deadline "
               f"{RENEW:.0f} s)")
        gap = e.wait_for("leading", LEASE + 2 * CAMPAIGN_RETRY + 10) - stopped
        expect(gap >= LEASE - RENEW - SLACK / 2,
               f"the other contender led {gap:.2f} s after the cut-off leader stopped")
        # The hung renewal ends by its request timeout (half the renew deadline), so cut-d exits
        # while its relay is still frozen.
        d.wait_for("exit lost", RENEW)
        relay.send_signal(signal.SIGCONT)
        expect(d.proc.wait(10) == 1, "cut-d exited 1: leadership lost")
        e.wait_for("write", 10)  # so the write check has a write of its own to judge
        e.proc.send_signal(signal.SIGTERM)
        e.proc.wait(30)
        return [d, e]
    finally:
        relay.send_signal(signal.SIGCONT)
        relay.kill()
        relay.wait()


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    binary, here = sys.argv[1], os.path.dirname(os.path.abspath(__file__))
    kubeconfig = open(os.environ["KUBECONFIG"]).read()
    apiserver = re.search(r"server:\s*https://([^:/\s]+):(\d+)", kubeconfig).groups()
    workdir = tempfile.mkdtemp(prefix="lease-handover-")
    all_contenders = []
    try:
        for scenario in ("kill", "cut"):
            lease = f"handover-{scenario}-{os.getpid()}"

            def start(identity, server=None, lease=lease):
                c = Contender(binary, workdir, identity, lease, server)
                c.lease = lease
                all_contenders.append(c)
                return c

            if scenario == "kill":
                group = kill_then_survivor_takes_over(start)
                group += graceful_release_hands_over(start, group[1])
            else:
                group = cut_off_leader_stops(start, here, apiserver)
            check_never_two_leaders(group)
            check_writes_only_while_leading(group)
            print(f"ok: never two leaders at once, and writes only while leading, in scenario "
                  f"{scenario}: "
                  + ", ".join(f"{c.identity} {[(round(s, 3), round(e, 3)) for s, e in c.terms()]}"
                              for c in group), flush=True)
    except Failure as failure:
        print("FAIL:", failure, file=sys.stderr)
        for c in all_contenders:
            print(f"--- {c.identity} stdout: {c.lines}\n--- {c.identity} stderr:", file=sys.stderr)
            print(open(c.stderr_path).read(), file=sys.stderr)
        return 1
    finally:
        for c in all_contenders:
            if c.proc.poll() is None:
                c.proc.kill()
                c.proc.wait()
    print("PASS: lease handover by SIGKILL, by release, and away from a cut-off leader; no write "
          "from an old leader after its successor started")
    return 0


if __name__ == "__main__":
    sys.exit(main())
