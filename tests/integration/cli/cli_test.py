#!/usr/bin/env python3
"""Runs the mtasts binary as a user would: exact outputs, exit codes, and hostile inputs.

Usage: cli_test.py MTASTS_BINARY SOURCE_DIR
"""
import hashlib
import os
import subprocess
import sys
import tempfile
import unittest

MTASTS = ""
SOURCE = ""
HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLE = ""
AT = "2026-01-01T00:00:00Z"


def run(*args, stdin=b"", timeout=20):
    p = subprocess.run([MTASTS, *args], input=stdin, capture_output=True, timeout=timeout)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def data(name):
    return os.path.join(HERE, "testdata", name)


class Render(unittest.TestCase):
    def test_example_exact(self):
        code, out, err = run("render", "--at", AT, EXAMPLE)
        self.assertEqual((code, err), (0, ""))
        with open(data("example-com.render.txt")) as f:
            self.assertEqual(out, f.read())

    def test_only_policy_is_the_served_bytes(self):
        code, out, _ = run("render", "--only", "policy", EXAMPLE)
        self.assertEqual(code, 0)
        self.assertEqual(out, "version: STSv1\r\nmode: enforce\r\nmx: *.mail.example.com\r\n"
                              "mx: mx1.example.com\r\nmax_age: 1209600\r\n")

    def test_testing_stage_and_stdin(self):
        with open(EXAMPLE, "rb") as f:
            code, out, _ = run("render", "--mode", "testing", "--only", "policy", "-",
                               stdin=f.read())
        self.assertEqual(code, 0)
        self.assertIn("mode: testing\r\n", out)
        self.assertIn("max_age: 86400\r\n", out)

    def test_id_is_time_and_digest_of_served_bytes(self):
        policy = run("render", "--only", "policy", EXAMPLE)[1].encode()
        digest = hashlib.sha256(policy).hexdigest()[:8]
        self.assertEqual(run("render", "--only", "sts", "--at", AT, EXAMPLE),
                         (0, "v=STSv1; id=20260101T000000Z" + digest + "\n", ""))

    def test_id_follows_time_and_bytes(self):
        ids = {run("render", "--only", "sts", "--at", at, "--mode", mode, EXAMPLE)[1]
               for at in (AT, "2026-01-02T00:00:00Z") for mode in ("testing", "enforce")}
        self.assertEqual(len(ids), 4)
        self.assertTrue(all(i.startswith("v=STSv1; id=2026010") for i in ids))

    def test_live_mx_when_spec_has_none(self):
        spec = (b"apiVersion: mtasts.io/v1alpha1\nkind: MtaStsPolicy\n"
                b"spec: {domain: example.org, mode: testing}\n")
        code, _, err = run("render", "-", stdin=spec)
        self.assertEqual(code, 1)
        self.assertIn("no mx patterns", err)
        code, out, _ = run("render", "--only", "policy", "--mx", "MX2.example.org.",
                           "--mx", "mx1.example.org", "-", stdin=spec)
        self.assertEqual(code, 0)
        self.assertIn("mx: mx1.example.org\r\nmx: mx2.example.org\r\n", out)

    def test_errors_listed_with_lines(self):
        code, out, err = run("render", data("broken.yaml"))
        self.assertEqual((code, out), (1, ""))
        self.assertIn("broken.yaml:6:9: error: spec.mode:", err)


class Lint(unittest.TestCase):
    def test_example_is_clean(self):
        self.assertEqual(run("lint", "--strict", EXAMPLE),
                         (0, EXAMPLE + ": ok (MtaStsPolicy)\n", ""))

    def test_resource_problems_with_line_and_column(self):
        code, out, err = run("lint", data("broken.yaml"))
        self.assertEqual(code, 1)
        name = data("broken.yaml")
        self.assertEqual(err.splitlines(), [
            name + ':5:11: error: spec.domain: "Example.com" has upper case; write it in '
                   'lower case: "example.com"',
            name + ':6:9: error: spec.mode: "enforcing" is not one of none, testing, enforce; '
                   'did you mean enforce?',
            name + ':10:7: error: spec.mx[1]: "*.com" covers every host under a top-level '
                   'domain; list your MX hosts or a wildcard under your own domain '
                   '(RFC 8461 §10.4)',
            name + ':12:5: error: spec.rollout.testingPerod: unknown field; did you mean '
                   'testingPeriod?',
            name + ':13:18: error: spec.rollout.autoPromote: write true or false, not yes',
        ])
        self.assertEqual(out, name + ": 5 errors, 0 warnings (MtaStsPolicy)\n")

    def test_policy_file_problems_with_lines(self):
        code, out, err = run("lint", data("policy-broken.txt"))
        self.assertEqual(code, 1)
        lines = err.splitlines()
        self.assertTrue(any(":4: error: " in l and "[bad_mx]" in l for l in lines), err)
        self.assertTrue(any(":6: warning: " in l and "[duplicate_field]" in l for l in lines), err)
        self.assertTrue(out.endswith("(policy file)\n"))

    def test_warnings_fail_only_when_strict(self):
        spec = (b"apiVersion: mtasts.io/v1alpha1\nkind: MtaStsPolicy\n"
                b"spec: {domain: example.org, mode: testing, maxAge: 3600}\n")
        code, out, err = run("lint", "-", stdin=spec)
        self.assertEqual(code, 0)
        self.assertIn("<stdin>:3:52: warning: spec.maxAge: 3600 is under one day", err)
        self.assertEqual(out, "<stdin>: 0 errors, 2 warnings (MtaStsPolicy)\n")
        self.assertEqual(run("lint", "--strict", "-", stdin=spec)[0], 1)

    def test_several_files_worst_status_wins(self):
        code, out, _ = run("lint", data("policy-ok.txt"), EXAMPLE, "/nonexistent/x.yaml")
        self.assertEqual(code, 2)
        self.assertIn("policy-ok.txt: ok (policy file)", out)


class HostileInput(unittest.TestCase):
    """Every bad input: one clear line on stderr, a non-zero status, no crash and no hang."""

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.TemporaryDirectory()
        d = cls.dir.name
        cls.files = {}

        def write(name, content):
            path = os.path.join(d, name)
            with open(path, "wb") as f:
                f.write(content)
            cls.files[name] = path

        write("empty.yaml", b"")
        write("garbage.bin", bytes(range(256)) * 64)
        write("ten-mb.yaml", b"a: b\n" * (2 * 1024 * 1024))
        levels = [b'a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
        levels += [b"a%d: &a%d [%s]" % (i, i, b", ".join([b"*a%d" % (i - 1)] * 9))
                   for i in range(1, 10)]
        write("bomb.yaml", b"apiVersion: mtasts.io/v1alpha1\nkind: MtaStsPolicy\n" +
              b"\n".join(levels) + b"\n")
        write("deep.yaml", b"spec: " + b"[" * 100000 + b"]" * 100000 + b"\n")
        write("latin1.yaml", b"apiVersion: mtasts.io/v1alpha1\nkind: MtaStsPolicy\n"
                             b"spec: {domain: caf\xe9.example, mode: none}\n")
        write("unknown.yaml", b"apiVersion: mtasts.io/v1alpha1\nkind: MtaStsPolicy\n"
                              b"spec: {domain: example.com, mode: none, colour: blue}\n")

    @classmethod
    def tearDownClass(cls):
        cls.dir.cleanup()

    def check(self, args, status, message, stdin=b""):
        code, out, err = run(*args, stdin=stdin)
        self.assertEqual(code, status, (args, err))
        self.assertNotIn("terminate called", err)
        self.assertNotIn("Sanitizer", err)
        self.assertEqual(len(err.splitlines()), 1, err)
        self.assertIn(message, err)

    def test_bad_inputs(self):
        f = self.files
        cases = [
            (f["empty.yaml"], 1, "the file is empty"),
            (f["garbage.bin"], 1, "is this a binary file?"),
            (f["ten-mb.yaml"], 1, "larger than 1 MiB"),
            (f["bomb.yaml"], 1, "YAML anchors (&name) are not accepted"),
            (f["deep.yaml"], 1, "nesting deeper than 32 levels"),
            (f["latin1.yaml"], 1, ":3: invalid UTF-8"),
            (f["unknown.yaml"], 1, "spec.colour: unknown field"),
            (self.dir.name, 2, "is a directory"),
            ("/nonexistent/policy.yaml", 2, "no such file"),
        ]
        for command in ("lint", "render"):
            for path, status, message in cases:
                with self.subTest(command=command, path=os.path.basename(path)):
                    self.check([command, path], status, message)

    def test_bad_stdin(self):
        for command in ("lint", "render"):
            with self.subTest(command=command):
                self.check([command, "-"], 1, "<stdin>: the file is empty")
                self.check([command, "-"], 1, "is this a binary file?", stdin=b"\x00\x01\x02")

    def test_usage_errors(self):
        code, _, err = run()
        self.assertEqual(code, 2)
        self.assertTrue(err.startswith("Usage: mtasts COMMAND"))
        self.check(["frobnicate"], 2, 'unknown command "frobnicate"')
        self.check(["render"], 2, "expected one FILE")
        self.check(["lint"], 2, "expected at least one FILE")
        self.check(["render", "--mode", "fast", EXAMPLE], 2, "--mode must be")


def main():
    global MTASTS, SOURCE, EXAMPLE
    MTASTS, SOURCE = sys.argv[1], sys.argv[2]
    EXAMPLE = os.path.join(SOURCE, "examples", "example-com.yaml")
    unittest.main(argv=[sys.argv[0], "-v"])


if __name__ == "__main__":
    main()
