#!/usr/bin/env bash
# Stage the reference backend's minimal Docker build context into DIR, laid out like the
# repository (build with `docker build -f containers/Dockerfile DIR`): only what the image
# needs (package.json, package-lock.json, model/, src/, conformance/), never node_modules,
# .git or tests.
#   --node-modules  also install the locked production dependencies, with this host's npm
#                   and its cache, into containers/prebuilt/node_modules, so that the image
#                   build itself needs no network (air-gapped CI). Linux x64 hosts only:
#                   the modules must match the image's platform.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
DIR="${1:?usage: stage-backend-context.sh DIR [--node-modules]}"
rm -rf "$DIR" && mkdir -p "$DIR/containers/prebuilt"
cp "$HERE/Dockerfile" "$DIR/containers/Dockerfile"
cp "$ROOT/package.json" "$ROOT/package-lock.json" "$DIR/"
tar -C "$ROOT" --exclude='*.test.ts' -c model src conformance | tar -C "$DIR" -x
if [ "${2:-}" = --node-modules ]; then
  pre="$DIR/containers/prebuilt"
  cp "$ROOT/package.json" "$ROOT/package-lock.json" "$pre/"
  (cd "$pre" && npm ci --omit=dev --ignore-scripts --prefer-offline --no-audit --no-fund --loglevel=error >/dev/null)
  rm -f "$pre/package.json" "$pre/package-lock.json"
fi
