#!/usr/bin/env bash
# Build, without any container registry, local equivalents of the images the container
# target uses:
#
#   wsac-base:bookworm      debootstrap --variant=minbase bookworm, with postgresql-15
#   wsac-postgres:local     that base + an entrypoint honouring the official postgres
#                           image's POSTGRES_USER / POSTGRES_PASSWORD / POSTGRES_DB contract
#   wsac-node:local         that base + this host's own node and npm
#   wsac-backend:local      containers/Dockerfile built FROM wsac-node:local
#
# One debootstrap rootfs serves both images (it costs ~80-120 s; two would double that).
# Every step is skipped when its tag already exists (the backend: when its tag was built
# from the same sources), so a second run costs seconds.
# Force a rebuild with WSAC_REBUILD=1 (all) or by removing a tag (`docker rmi wsac-backend:local`).
#
# Afterwards select the images with:
#   export WSAC_POSTGRES_IMAGE=wsac-postgres:local WSAC_BACKEND_IMAGE=wsac-backend:local
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
WORK="${WSAC_IMAGE_WORKDIR:-${TMPDIR:-/tmp}/wsac-images}"
BASE_IMAGE="${WSAC_BASE_IMAGE:-wsac-base:bookworm}"
POSTGRES_IMAGE="${WSAC_POSTGRES_IMAGE:-wsac-postgres:local}"
NODE_IMAGE="${WSAC_NODE_IMAGE:-wsac-node:local}"
BACKEND_IMAGE="${WSAC_BACKEND_IMAGE:-wsac-backend:local}"
SUITE="${WSAC_DEBIAN_SUITE:-bookworm}"
PG_MAJOR="${WSAC_PG_MAJOR:-15}"
# Every image built here carries this label, so `docker image prune --filter label=...` finds them.
LABEL="org.ws-auth-conformance.local-image=true"

log() { printf '[build-local-images] %s\n' "$*" >&2; }
has_image() { [ "${WSAC_REBUILD:-0}" != 1 ] && docker image inspect "$1" >/dev/null 2>&1; }
now() { date +%s.%N; }
# docker build's own output goes to a log, shown only when the build fails.
build() {
  local name="$1"; shift
  if ! docker build --force-rm "$@" >"$WORK/build-$name.log" 2>&1; then
    log "docker build of $name failed; last lines of $WORK/build-$name.log:"
    tail -n 40 "$WORK/build-$name.log" >&2
    exit 1
  fi
}
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

T0="$(now)"
command -v docker >/dev/null || { log "docker CLI not found; run containers/ci-docker.sh first"; exit 1; }
docker info >/dev/null 2>&1 || { log "no Docker engine answers; run containers/ci-docker.sh first"; exit 1; }
mkdir -p "$WORK"

# 1. The base: one minbase rootfs with PostgreSQL, imported as a single-layer image.
if has_image "$BASE_IMAGE"; then
  log "$BASE_IMAGE exists, skipping debootstrap"
else
  command -v debootstrap >/dev/null || { log "debootstrap missing: apt-get install -y debootstrap"; exit 1; }
  t="$(now)"
  rootfs="$WORK/rootfs-$SUITE"
  rm -rf "$rootfs"
  log "debootstrap --variant=minbase $SUITE with postgresql-$PG_MAJOR (30-90 s)"
  debootstrap --variant=minbase --include="postgresql-$PG_MAJOR" "$SUITE" "$rootfs" >"$WORK/debootstrap.log" 2>&1 \
    || { log "debootstrap failed; last lines of $WORK/debootstrap.log:"; tail -n 30 "$WORK/debootstrap.log" >&2; exit 1; }
  # Slim the image: package caches, docs and the cluster Debian's postinst created
  # (the entrypoint creates its own from POSTGRES_* at first start, as the official image does).
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* \
    "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/locale/* \
    "$rootfs"/var/lib/postgresql/"$PG_MAJOR" "$rootfs"/etc/postgresql/"$PG_MAJOR"
  tar -C "$rootfs" -c . | docker import \
    --change "ENV PATH=/usr/lib/postgresql/$PG_MAJOR/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    --change "LABEL $LABEL" \
    - "$BASE_IMAGE" >/dev/null
  rm -rf "$rootfs"
  log "$BASE_IMAGE built in $(elapsed "$t") s"
fi

# 2. PostgreSQL with the official image's entrypoint contract.
if has_image "$POSTGRES_IMAGE"; then
  log "$POSTGRES_IMAGE exists, skipping"
else
  t="$(now)"
  ctx="$WORK/ctx-postgres"
  rm -rf "$ctx" && mkdir -p "$ctx"
  cp "$HERE/local/postgres-entrypoint.sh" "$ctx/docker-entrypoint.sh"
  cp "$HERE/local/postgres.Dockerfile" "$ctx/Dockerfile"
  build postgres --build-arg BASE_IMAGE="$BASE_IMAGE" --build-arg PG_MAJOR="$PG_MAJOR" \
    --label "$LABEL" -t "$POSTGRES_IMAGE" "$ctx"
  log "$POSTGRES_IMAGE built in $(elapsed "$t") s"
fi

# 3. A node base from this host's own node binary and npm (the host is Debian bookworm too,
#    so its node links against the same glibc and libstdc++ as the rootfs).
if has_image "$NODE_IMAGE"; then
  log "$NODE_IMAGE exists, skipping"
else
  t="$(now)"
  ctx="$WORK/ctx-node"
  rm -rf "$ctx" && mkdir -p "$ctx"
  node_bin="$(readlink -f "$(command -v node)")"
  npm_dir="$(cd "$(dirname "$(readlink -f "$(command -v npm)")")/.." && pwd)"
  cp "$node_bin" "$ctx/node"
  cp -r "$npm_dir" "$ctx/npm"
  cp "$HERE/local/node.Dockerfile" "$ctx/Dockerfile"
  build node --build-arg BASE_IMAGE="$BASE_IMAGE" --label "$LABEL" -t "$NODE_IMAGE" "$ctx"
  log "$NODE_IMAGE built in $(elapsed "$t") s ($("$node_bin" --version))"
fi

# 4. The reference backend, from the same Dockerfile users build, FROM the local node base.
#    Its sources change, so the tag is reused only while their hash is the same.
t="$(now)"
# One context per checkout: two checkouts building at once must not stage into one directory.
ctx="$WORK/ctx-backend-$(printf '%s' "$ROOT" | sha256sum | cut -c1-8)"
"$HERE/stage-backend-context.sh" "$ctx"
src_hash="$( (cd "$ctx" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum; echo "$NODE_IMAGE $(docker image inspect -f '{{.Id}}' "$NODE_IMAGE")") | sha256sum | cut -c1-16)"
have_hash="$(docker image inspect -f '{{index .Config.Labels "org.ws-auth-conformance.source-hash"}}' "$BACKEND_IMAGE" 2>/dev/null || true)"
if [ "${WSAC_REBUILD:-0}" != 1 ] && [ "$have_hash" = "$src_hash" ]; then
  log "$BACKEND_IMAGE is up to date with the sources ($src_hash), skipping"
else
  "$HERE/stage-backend-context.sh" "$ctx" --node-modules
  build backend -f "$ctx/containers/Dockerfile" --build-arg NODE_IMAGE="$NODE_IMAGE" --label "$LABEL" \
    --label "org.ws-auth-conformance.source-hash=$src_hash" -t "$BACKEND_IMAGE" "$ctx"
  # The previous build's layers, now untagged, are of no further use.
  docker image prune -f --filter "label=$LABEL" >/dev/null 2>&1 || true
  log "$BACKEND_IMAGE built in $(elapsed "$t") s (sources $src_hash)"
fi
rm -rf "$ctx"

log "images ready in $(elapsed "$T0") s: $POSTGRES_IMAGE $BACKEND_IMAGE"
log "use them with: export WSAC_POSTGRES_IMAGE=$POSTGRES_IMAGE WSAC_BACKEND_IMAGE=$BACKEND_IMAGE"
