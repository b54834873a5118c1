#!/usr/bin/env bash
# Make Debian's Chromium available for the browser tests (the HTML report, the browser
# client): install the `chromium` package when /usr/bin/chromium is missing. Idempotent.
set -euo pipefail

log() { printf '[ci-chromium] %s\n' "$*" >&2; }

if [ -x /usr/bin/chromium ]; then
  log "chromium already installed: $(/usr/bin/chromium --version 2>/dev/null || echo unknown version)"
  exit 0
fi

SUDO=''
if [ "$(id -u)" != 0 ]; then SUDO='sudo'; fi
log "installing chromium from Debian's packages"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null
log "installed: $(/usr/bin/chromium --version 2>/dev/null || echo unknown version)"
