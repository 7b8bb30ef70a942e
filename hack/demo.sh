#!/usr/bin/env bash
# The demo: builds the mtasts tool and shows what it makes of examples/example-com.yaml, the
# MtaStsPolicy of a mail domain: the lint verdict, the policy file and DNS records it publishes
# at each stage of the rollout, and how it answers a mistake.
#
#   ./hack/demo.sh          (as root on a fresh Debian 12: installs what is missing first)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
example=examples/example-com.yaml

bold='' dim='' plain=''
if [[ -t 1 ]]; then bold=$'\033[1m' dim=$'\033[2m' plain=$'\033[0m'; fi
say() { printf '\n%s==> %s%s\n' "$bold" "$*" "$plain"; }
show() { printf '%s$ %s%s\n' "$dim" "$*" "$plain"; "$@"; }

say "dependencies"
"$root/hack/install-deps.sh"

say "build mtasts (build/, ccache in ~/.cache/mta-sts-operator)"
# shellcheck source=hack/ccache-env.sh
. "$root/hack/ccache-env.sh"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$(nproc)" --target mtasts | tail -1
mtasts() { "$root/build/src/cli/mtasts" "$@"; }

say "the resource: $example"
grep -v '^#' "$example" | sed '/^$/d'

say "lint: is it valid? (the same rules as the CRD in crds/)"
show mtasts lint --strict "$example"

say "render: what the operator publishes once the rollout reaches spec.mode (enforce)"
show mtasts render "$example"

say "render: the first stage, testing (rollout.testingMaxAge as max_age, a different id)"
show mtasts render --mode testing --only policy "$example"
show mtasts render --mode testing --only sts "$example"

say "a mistake: lint points at the line and says how to fix it"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
broken=$scratch/example-com-typos.yaml
sed -e 's/testingPeriod:/testingPerod:/' -e 's/mode: enforce /mode: enforcing /' \
    -e 's/"\*.mail.example.com"/"*.com"/' "$example" >"$broken"
(cd "$scratch" && show mtasts lint "$(basename "$broken")") || echo "(exit status $?)"

say "done: mtasts --help and mtasts COMMAND --help say more"
