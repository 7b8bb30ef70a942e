# shellcheck shell=bash
# Building tools from Go modules pinned under hack/tools/ into the cache: finds a Go new enough
# for them, or fetches the pinned toolchain from the Go module proxy (the only place a bare
# machine can get one). Sourced, not run; the caller sets $root, $cache, log and die.

# The version a go.mod pins for a module: "require M v" or a line "M v" inside a block.
pinned_version() {
  awk -v m="$2" '{ for (i = 1; i < NF; i++) if ($i == m && $(i + 1) ~ /^v/) { print $(i + 1); exit } }' "$1"
}

# The toolchain fetched when the machine's go is missing or older than hack/tools needs.
go_fallback=1.26.8
go_fallback_sha256_amd64=30c2b1bf7dcc88d3eb0a1364e47ddd9128edb3110a30e8a0ef61cd5856b31de7

export GOMODCACHE=$cache/go/mod GOCACHE=$cache/go/build
export GOTOOLCHAIN=local GOFLAGS="-modcacherw -buildvcs=false"

version_at_least() { [[ $(printf '%s\n%s\n' "$2" "$1" | sort -V | head -1) == "$2" ]]; }

find_go() {
  local need have
  need=$(awk '$1 == "go" { print $2 }' "$root/hack/tools/go.mod")
  if command -v go >/dev/null; then
    have=$(go env GOVERSION 2>/dev/null | sed 's/^go//; s/[ -].*//')
    if [[ -n $have ]] && version_at_least "$have" "$need"; then
      command -v go
      return
    fi
    log "go ${have:-?} on PATH is older than the ${need} that hack/tools needs"
  fi
  fetch_go
}

fetch_go() {
  local dir=$cache/go/toolchain/go$go_fallback
  if [[ ! -x $dir/bin/go ]]; then
    [[ $(uname -m) == x86_64 ]] || die "no pinned Go toolchain for $(uname -m): install Go ${go_fallback}"
    local proxy=${GOPROXY:-https://proxy.golang.org}
    proxy=${proxy%%[,|]*}
    [[ $proxy == http* ]] || proxy=https://proxy.golang.org
    local name=v0.0.1-go$go_fallback.linux-amd64 tmp=$dir.partial
    rm -rf "$tmp"
    mkdir -p "$tmp"
    log "fetching Go ${go_fallback} from ${proxy}"
    curl -fsSL --retry 3 -o "$tmp/go.zip" "$proxy/golang.org/toolchain/@v/$name.zip" ||
      die "cannot download the Go toolchain from ${proxy}"
    echo "$go_fallback_sha256_amd64  $tmp/go.zip" | sha256sum -c --quiet - ||
      die "the Go toolchain from ${proxy} does not match its pinned sha256"
    unzip -q "$tmp/go.zip" -d "$tmp"
    rm -rf "$dir"
    mv "$tmp/golang.org/toolchain@$name" "$dir"
    rm -rf "$tmp"
  fi
  echo "$dir/bin/go"
}

# go_build OUT MODULE_DIR PACKAGE [LDFLAGS]: builds one binary unless it is already cached.
# Prints its name when it had to be built.
go_build() {
  local out=$1 dir=$2 pkg=$3 ldflags=${4:-} start=$SECONDS
  [[ -x $out ]] && return
  [[ -n ${go_bin:-} ]] || go_bin=$(find_go)
  log "building $(basename "$out") (${pkg}) with $("$go_bin" env GOVERSION); this takes a while"
  mkdir -p "$(dirname "$out")"
  (cd "$dir" && nice -n 10 "$go_bin" build -trimpath -ldflags="-s -w $ldflags" -o "$out.tmp" "$pkg") ||
    die "building ${pkg} failed"
  mv "$out.tmp" "$out"
  log "built $(basename "$out") in $((SECONDS - start)) s"
  printf ' %s' "$(basename "$out")"
}

# module_dir MODULE@VERSION: downloads the module (checksum-verified) into the module cache and
# prints its folder. A GOTOOLCHAIN given for the call (GOTOOLCHAIN=go1.27.3 module_dir ...) is used.
module_dir() {
  local dir
  [[ -n ${go_bin:-} ]] || go_bin=$(find_go)
  dir=$(cd "$cache" && "$go_bin" mod download -json "$1" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
  [[ -d $dir ]] || die "cannot download ${1} from the Go module proxy"
  echo "$dir"
}
