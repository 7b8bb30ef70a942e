#!/usr/bin/env python3
"""Writes the seed corpus of each fuzzer: the inputs of the RFC test vectors and our examples.

Usage: seed_corpus.py OUT_DIR VECTORS_JSON_OR_MISSING FILE...
  OUT_DIR/<fuzzer>/<name> is written for every vector; each FILE goes to the fuzzer its
  extension names (.yaml: spec_fuzzer, .txt: policy_fuzzer), a TLS report (tlsrpt-*.json) to
  report_intake_fuzzer twice: as JSON and gzip-compressed, each behind the byte that makes the
  fuzzer send it with its own Content-Type.
"""
import gzip
import json
import os
import sys

FUZZER_OF_KIND = {
    "policy": "policy_fuzzer",
    "txt": "sts_record_fuzzer",
    "tlsrpt_txt": "tlsrpt_record_fuzzer",
    "tlsrpt_report": "report_fuzzer",
}


def write(out_dir, fuzzer, name, data):
    os.makedirs(os.path.join(out_dir, fuzzer), exist_ok=True)
    with open(os.path.join(out_dir, fuzzer, name), "wb") as f:
        f.write(data)


# report_intake_fuzzer's first byte picks the Content-Type (see report_intake_fuzzer.cc).
INTAKE_JSON, INTAKE_GZIP = b"\x00", b"\x01"


def write_intake_seeds(out_dir, name, report):
    write(out_dir, "report_intake_fuzzer", name, INTAKE_JSON + report)
    write(out_dir, "report_intake_fuzzer", name + ".gz",
          INTAKE_GZIP + gzip.compress(report, mtime=0))


def main():
    out_dir, vectors, files = sys.argv[1], sys.argv[2], sys.argv[3:]
    count = 0
    if os.path.exists(vectors):
        with open(vectors, encoding="utf-8") as f:
            cases = json.load(f)["cases"]
        for case in cases:
            fuzzer = FUZZER_OF_KIND.get(case["kind"])
            if fuzzer is None:
                continue
            text = case["input"]
            if "rrset" in case:  # the fuzzers read RRs split by LF, strings by 0x1f
                text = "\n".join("\x1f".join(rr) for rr in case["rrset"])
            write(out_dir, fuzzer, case["name"], text.encode("utf-8"))
            count += 1
    else:
        print(f"seed_corpus: {vectors} not found; seeding from the examples only",
              file=sys.stderr)
    for path in files:
        name = os.path.basename(path)
        if name.startswith("tlsrpt-") and name.endswith(".json"):
            with open(path, "rb") as f:
                write_intake_seeds(out_dir, name, f.read())
            count += 2
            continue
        fuzzer = "spec_fuzzer" if path.endswith(".yaml") else "policy_fuzzer"
        with open(path, "rb") as f:
            write(out_dir, fuzzer, os.path.basename(path), f.read())
        count += 1
    print(f"seed_corpus: {count} seeds in {out_dir}")


if __name__ == "__main__":
    main()
