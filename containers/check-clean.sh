#!/usr/bin/env bash
# After a run: fail if any container, network or run-built image of the project is left
# (label org.ws-auth-conformance=true). Images made by build-local-images.sh are kept on
# purpose (they carry org.ws-auth-conformance.local-image, not the project label).
set -euo pipefail
filter='label=org.ws-auth-conformance=true'
containers="$(docker ps -aq --filter "$filter")"
networks="$(docker network ls -q --filter "$filter")"
images="$(docker images -aq --filter "$filter")"
if [ -n "$containers$networks$images" ]; then
  echo "[check-clean] left behind by the project:" >&2
  [ -z "$containers" ] || docker ps -a --filter "$filter" >&2
  [ -z "$networks" ] || docker network ls --filter "$filter" >&2
  [ -z "$images" ] || docker images -a --filter "$filter" >&2
  exit 1
fi
echo "[check-clean] no container, network or run-built image of the project remains"
