#!/usr/bin/env bash
# After a run: fail if any container, network or run-built image of the project is left
# (label org.ws-auth-conformance=true). Images made by build-local-images.sh are kept on
# purpose (they carry org.ws-auth-conformance.local-image, not the project label).
# Anonymous volumes carry no label: with WSAC_VOLUMES_BEFORE naming a file that lists
# the volumes from before the run (`docker volume ls -q | sort`), any new one fails too.
set -euo pipefail
filter='label=org.ws-auth-conformance=true'
containers="$(docker ps -aq --filter "$filter")"
networks="$(docker network ls -q --filter "$filter")"
images="$(docker images -aq --filter "$filter")"
volumes=""
if [ -n "${WSAC_VOLUMES_BEFORE:-}" ]; then
  volumes="$(docker volume ls -q | sort | comm -13 "$WSAC_VOLUMES_BEFORE" -)"
fi
if [ -n "$containers$networks$images$volumes" ]; then
  echo "[check-clean] left behind by the project:" >&2
  [ -z "$containers" ] || docker ps -a --filter "$filter" >&2
  [ -z "$networks" ] || docker network ls --filter "$filter" >&2
  [ -z "$images" ] || docker images -a --filter "$filter" >&2
  [ -z "$volumes" ] || { echo "volumes:"; echo "$volumes"; } >&2
  exit 1
fi
echo "[check-clean] no container, network, run-built image${WSAC_VOLUMES_BEFORE:+ or new volume} of the project remains"
