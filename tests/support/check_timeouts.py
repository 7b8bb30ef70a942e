#!/usr/bin/env python3
"""Fails if any ctest test of a build folder has no TIMEOUT, so a deadlock fails the run instead
of hanging it. Asks ctest itself, so tests discovered from GoogleTest binaries count too.

    check_timeouts.py BUILD_DIR
"""
import json
import subprocess
import sys


def main():
    listing = subprocess.run(
        ["ctest", "--test-dir", sys.argv[1], "--show-only=json-v1"],
        capture_output=True, text=True, check=True)
    tests = json.loads(listing.stdout)["tests"]
    missing = []
    for test in tests:
        # A GoogleTest binary not built yet stands in as NAME_NOT_BUILT; it fails if run.
        if test["name"].endswith("_NOT_BUILT"):
            continue
        names = {p["name"] for p in test.get("properties", [])}
        if "TIMEOUT" not in names:
            missing.append(test["name"])
    for name in missing:
        print(f"{name}: no TIMEOUT; give it one (its helper's TIMEOUT argument or "
              "set_tests_properties)")
    print(f"{len(tests)} tests, {len(missing)} without a TIMEOUT")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
