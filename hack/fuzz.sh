#!/usr/bin/env bash
# Runs every libFuzzer target of a fuzz build for a bounded time. Corpora grow across runs under
# the cache directory (outside the repo); before each run the seeds are written afresh from the
# RFC test vectors (../shared/spec/vectors.json), the examples and tests/fuzz/corpus/<fuzzer>/.
# Exit status 1 if any fuzzer found a crash, a leak, a hang or a broken property; the
# reproducer's path is printed with the command that replays it.
#
#   hack/fuzz.sh BUILD_DIR          (BUILD_DIR configured with -DMTASTS_FUZZ=ON, target fuzzers)
#   FUZZ_SECONDS=600 hack/fuzz.sh build-fuzz          longer runs
#   FUZZ_ONLY=spec_fuzzer hack/fuzz.sh build-fuzz     one fuzzer
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:?usage: hack/fuzz.sh BUILD_DIR}" && pwd)
seconds=${FUZZ_SECONDS:-10}
cache=${XDG_CACHE_HOME:-$HOME/.cache}/mta-sts-operator/fuzz

mapfile -t fuzzers < <(find "$build/tests/fuzz" -maxdepth 1 -type f -name "${FUZZ_ONLY:-*_fuzzer}" \
  -perm -u+x | sort)
if ((${#fuzzers[@]} == 0)); then
  echo "fuzz.sh: no fuzzers under $build/tests/fuzz (configure with -DMTASTS_FUZZ=ON and build" \
    "the fuzzers target)" >&2
  exit 1
fi

seeds=$cache/seeds
rm -rf "$seeds"
python3 "$root/tests/fuzz/seed_corpus.py" "$seeds" "$root/../shared/spec/vectors.json" \
  "$root"/examples/*.yaml "$root"/tests/integration/cli/testdata/*

failed=()
for fuzzer in "${fuzzers[@]}"; do
  name=$(basename "$fuzzer")
  corpus=$cache/$name
  mkdir -p "$corpus/crashes"
  inputs=("$corpus")  # new inputs are written to the first directory only
  [[ -d $seeds/$name ]] && inputs+=("$seeds/$name")
  [[ -d $root/tests/fuzz/corpus/$name ]] && inputs+=("$root/tests/fuzz/corpus/$name")
  options=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=0
           -artifact_prefix="$corpus/crashes/")
  [[ -f $root/tests/fuzz/$name.dict ]] && options+=(-dict="$root/tests/fuzz/$name.dict")
  echo "fuzz.sh: $name for ${seconds}s"
  if ! ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=$root/hack/lsan.supp \
      "$fuzzer" "${options[@]}" "${inputs[@]}" >"$corpus/last.log" 2>&1; then
    tail -40 "$corpus/last.log" >&2
    reproducer=$(grep -oE 'Test unit written to [^ ]+' "$corpus/last.log" | tail -1 | cut -d' ' -f5)
    echo "fuzz.sh: $name failed; reproducer: ${reproducer:-in $corpus/crashes/}" >&2
    echo "fuzz.sh: replay it with: $fuzzer ${reproducer:-CRASH_FILE}" >&2
    failed+=("$name")
  fi
done
if ((${#failed[@]})); then
  echo "fuzz.sh: failed: ${failed[*]}" >&2
  exit 1
fi
echo "fuzz.sh: ${#fuzzers[@]} fuzzers ran ${seconds}s each without a finding"
