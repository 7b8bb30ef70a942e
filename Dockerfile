# The operator image and its nginx sidecar image, built offline by hack/image.sh:
#
#     buildah bud --target operator ...    mta-sts-operator and mtasts on a small Debian 12 base
#     buildah bud --target nginx ...       Debian's nginx, for the chart's sidecar
#
# The three bases are Debian 12 roots that hack/image.sh makes with mmdebstrap from Debian's
# packages and imports under these names (its BASES list says what each holds), so no stage pulls
# from a registry. To build with another tool, make the same bases, or pass --build-arg *_BASE=.
ARG BUILD_BASE=localhost/mta-sts-base-build:latest
ARG RUNTIME_BASE=localhost/mta-sts-base-runtime:latest
ARG NGINX_BASE=localhost/mta-sts-base-nginx:latest
# The project's version (CMakeLists.txt), for the images' version label.
ARG VERSION=unknown

# Compiles the two binaries from the sources, with the same CMake build as the tests, and strips
# them. hack/image.sh mounts the host's ccache at /ccache; without that mount the build is cold.
FROM ${BUILD_BASE} AS build
# Parallel compile jobs; empty: ninja's default (cores + 2).
ARG JOBS=
COPY CMakeLists.txt /src/CMakeLists.txt
COPY src /src/src
COPY controller /src/controller
WORKDIR /src
RUN CCACHE_DIR=/ccache CCACHE_BASEDIR=/src CCACHE_NOHASHDIR=1 \
      cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMTASTS_TESTS=OFF \
    && CCACHE_DIR=/ccache CCACHE_BASEDIR=/src CCACHE_NOHASHDIR=1 \
      cmake --build build ${JOBS:+--parallel $JOBS} --target mta-sts-operator mtasts \
    && mkdir -p /out \
    && strip -o /out/mta-sts-operator build/controller/mta-sts-operator \
    && strip -o /out/mtasts build/src/cli/mtasts

# The operator: only the shared libraries the binaries link and the CA certificates; no shell
# tools beyond Debian's essential set, no compiler, no headers.
FROM ${RUNTIME_BASE} AS operator
ARG VERSION
COPY --from=build /out/mta-sts-operator /out/mtasts /usr/local/bin/
# The chart's serve directory, owned by the pod's fsGroup there; here for a plain `run` too.
RUN mkdir -p /srv/mta-sts && chown 65532:65532 /srv/mta-sts
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/mta-sts-operator"]
LABEL org.opencontainers.image.title="mta-sts-operator" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.description="MTA-STS and TLS-RPT for Kubernetes: operator, mtasts"

# The policy server. The config is not baked in: the chart mounts files/nginx.conf, listen.conf
# and intake.conf from a ConfigMap into the serve directory, nginx's prefix, so one file is the
# config everywhere (tests, chart, image). pid, logs and temporary files go under the prefix's
# logs/ and tmp/ (emptyDirs in the chart), so the root filesystem can be read-only.
FROM ${NGINX_BASE} AS nginx
ARG VERSION
RUN mkdir -p /srv/mta-sts && chown 65532:65532 /srv/mta-sts
USER 65532:65532
ENTRYPOINT ["nginx", "-e", "stderr", "-p", "/srv/mta-sts/", "-c", "/srv/mta-sts/nginx.conf", \
            "-g", "daemon off;"]
LABEL org.opencontainers.image.title="mta-sts-nginx" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.description="Debian's nginx: mta-sts-operator's policy server"
