#!/usr/bin/env bash
# Runs the conformance runner from this folder and compares its exit status and its exact output
# with a golden file, so a test can assert that it FAILs what it should, for the right reason.
#   expect_output.sh EXPECTED_STATUS GOLDEN_FILE RUNNER [VECTOR_FILE ...]
set -uo pipefail
want_status=$1 golden=$2 runner=$3
shift 3
cd "$(dirname "$0")" || exit 2
out=$("$runner" "$@")
status=$?
if ! diff -u "$golden" <(printf '%s\n' "$out"); then
  echo "output differs from $golden (above)"
  exit 1
fi
if [[ $status != "$want_status" ]]; then
  echo "exit status $status, expected $want_status"
  exit 1
fi
echo "exit status $status and output as expected"
