#!/usr/bin/env bash
# Lints the repository's C++ with its own configs: clang-format (.clang-format) must change no
# file, and clang-tidy (.clang-tidy) must report nothing its WarningsAsErrors names. clang-tidy
# reads the compile commands of a configured build (build/ unless LINT_BUILD_DIR says otherwise)
# and checks every .cc file that build compiles, LINT_JOBS (default 2) at a time.
#
#   ./hack/lint.sh            both
#   ./hack/lint.sh format     clang-format only (fast; no build needed)
#   ./hack/lint.sh tidy       clang-tidy only; prints its findings and a count per check
set -euo pipefail
cd "$(dirname "$0")/.."
build=${LINT_BUILD_DIR:-build}
jobs=${LINT_JOBS:-2}

check_format() {
  local file unformatted=()
  while IFS= read -r -d '' file; do
    clang-format --dry-run -Werror "$file" >/dev/null 2>&1 || unformatted+=("$file")
  done < <(git ls-files -z -- '*.cc' '*.h')
  if ((${#unformatted[@]})); then
    printf 'lint: not clang-formatted: %s\n' "${unformatted[@]}"
    echo "lint: ${#unformatted[@]} files need clang-format -i"
    return 1
  fi
  echo "lint: clang-format: every file formatted"
}

# The repository's .cc files that the build compiles (the fuzzers only build under MTASTS_FUZZ).
compiled_sources() {
  python3 - "$build/compile_commands.json" <<'PY'
import json, os, subprocess, sys
compiled = {os.path.realpath(e["file"]) for e in json.load(open(sys.argv[1]))}
tracked = subprocess.run(["git", "ls-files", "-z", "--", "*.cc"], capture_output=True,
                         check=True, text=True).stdout.split("\0")
for path in tracked:
    if path and os.path.realpath(path) in compiled:
        print(path)
PY
}

check_tidy() {
  if [[ ! -f $build/compile_commands.json ]]; then
    echo "lint: $build/compile_commands.json is missing; configure first:" \
      "cmake -S . -B $build -G Ninja" >&2
    return 2
  fi
  local logs status=0
  logs=$(mktemp -d)
  # shellcheck disable=SC2064
  trap "rm -rf '$logs'" RETURN
  # Each file's report goes to a log of its own, so parallel runs do not interleave.
  compiled_sources | xargs -P "$jobs" -I{} sh -c \
    'clang-tidy -p "$1" --quiet "$2" >"$3/$(printf %s "$2" | tr / _).log" 2>&1 || touch "$3/failed"' \
    sh "$build" {} "$logs"
  # A header's finding shows up once per file that includes it: each is printed once.
  grep -h -A2 -E '(warning|error): .*\[[a-z0-9.,-]+\]$' "$logs"/*.log | grep -v '^--$' |
    awk '/(warning|error): .*\]$/ {keep = !seen[$0]++} keep' || true
  local counts
  counts=$(grep -h -E '(warning|error): .*\[[a-z0-9.,-]+\]$' "$logs"/*.log | sort -u |
    sed -E 's/.*\[([a-z0-9.-]+)(,-warnings-as-errors)?\]$/\1/' | sort | uniq -c | sort -rn ||
    true)
  if [[ -n $counts ]]; then
    echo "lint: clang-tidy findings per check:"
    echo "$counts"
  fi
  if [[ -e $logs/failed ]]; then
    grep -h -E 'error: ' "$logs"/*.log | grep -v -E '\[[a-z0-9.,-]+\]$' | sort -u || true
    echo "lint: clang-tidy failed (the checks WarningsAsErrors names, or a file it cannot parse)"
    status=1
  else
    echo "lint: clang-tidy: nothing WarningsAsErrors names"
  fi
  return $status
}

case ${1:-all} in
  format) check_format ;;
  tidy) check_tidy ;;
  all)
    status=0
    check_format || status=1
    check_tidy || status=1
    exit $status
    ;;
  *)
    echo "usage: $0 [format|tidy]" >&2
    exit 2
    ;;
esac
