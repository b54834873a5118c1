#!/usr/bin/env bash
# Make a Docker engine available on a machine that starts without one (CI here, a fresh
# dev box): install docker.io from Debian's packages when dockerd is missing, start it in
# the background, and wait until `docker info` answers. Idempotent: a running engine is
# left alone.
set -euo pipefail

log() { printf '[ci-docker] %s\n' "$*" >&2; }

if docker info >/dev/null 2>&1; then
  log "a Docker engine already answers; nothing to do"
  exit 0
fi

SUDO=''
if [ "$(id -u)" != 0 ]; then SUDO='sudo'; fi

if ! command -v dockerd >/dev/null 2>&1; then
  log "installing docker.io from Debian's packages"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends docker.io iptables ca-certificates >/dev/null
fi
# debootstrap is what build-local-images.sh needs; install it in the same step when missing.
if ! command -v debootstrap >/dev/null 2>&1; then
  log "installing debootstrap from Debian's packages"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get install -y -qq --no-install-recommends debootstrap >/dev/null \
    || { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq --no-install-recommends debootstrap >/dev/null; }
fi

LOG_FILE="${WSAC_DOCKERD_LOG:-/tmp/wsac-dockerd.log}"
log "starting dockerd in the background (log: $LOG_FILE)"
# setsid: the engine outlives this script and is not killed with the caller's process group.
$SUDO setsid dockerd >"$LOG_FILE" 2>&1 < /dev/null &

for i in $(seq 1 60); do
  if docker info >/dev/null 2>&1; then
    log "Docker engine up after ${i}s: $(docker version --format '{{.Server.Version}}')"
    exit 0
  fi
  sleep 1
done
log "dockerd did not answer within 60 s; last lines of $LOG_FILE:"
tail -n 30 "$LOG_FILE" >&2 || true
exit 1
