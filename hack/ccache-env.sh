# Sourced by hack/test.sh and hack/demo.sh (with $root set to the checkout): ccache lives outside
# the checkout and keys on paths relative to it, so a fresh clone in another folder hits the cache.
cache=${XDG_CACHE_HOME:-$HOME/.cache}/mta-sts-operator
export CCACHE_DIR=${CCACHE_DIR:-$cache/ccache}
export CCACHE_BASEDIR=$root CCACHE_NOHASHDIR=1
mkdir -p "$CCACHE_DIR"
