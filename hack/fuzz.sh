#!/usr/bin/env bash
# Runs every libFuzzer target of a fuzz build for a bounded time; exits non-zero on the first
# crash, leak or hang. Corpora grow across runs under the cache directory, seeded from
# tests/fuzz/corpus/<fuzzer>/ when that exists; crash inputs land beside the corpus.
#
#   hack/fuzz.sh BUILD_DIR          (BUILD_DIR configured with -DMTASTS_FUZZ=ON, target fuzzers)
#   FUZZ_SECONDS=60 hack/fuzz.sh build-fuzz
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:?usage: hack/fuzz.sh BUILD_DIR}
seconds=${FUZZ_SECONDS:-10}
cache=${XDG_CACHE_HOME:-$HOME/.cache}/mta-sts-operator/fuzz

mapfile -t fuzzers < <(find "$build/tests/fuzz" -maxdepth 1 -type f -name '*_fuzzer' -perm -u+x | sort)
if ((${#fuzzers[@]} == 0)); then
  echo "fuzz.sh: no fuzzers under $build/tests/fuzz (configure with -DMTASTS_FUZZ=ON and build" \
    "the fuzzers target)" >&2
  exit 1
fi
for fuzzer in "${fuzzers[@]}"; do
  name=$(basename "$fuzzer")
  corpus=$cache/$name
  mkdir -p "$corpus/crashes"
  seeds=()
  [[ -d $root/tests/fuzz/corpus/$name ]] && seeds=("$root/tests/fuzz/corpus/$name")
  echo "fuzz.sh: $name for ${seconds}s"
  ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=$root/hack/lsan.supp \
    "$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=0 \
    -artifact_prefix="$corpus/crashes/" "$corpus" "${seeds[@]}" >"$corpus/last.log" 2>&1 || {
    tail -40 "$corpus/last.log" >&2
    echo "fuzz.sh: $name failed; the input is in $corpus/crashes/" >&2
    exit 1
  }
done
echo "fuzz.sh: ${#fuzzers[@]} fuzzers ran ${seconds}s each without a finding"
