#!/usr/bin/env bash
# Makes sure Debian's chromium is at /usr/bin/chromium: the dashboard's browser test drives it with
# playwright-core, which downloads no browser of its own (no `playwright install`), so a fresh CI machine needs it.
#
# 1. If /usr/bin/chromium (or CHROMIUM_PATH) runs, do nothing.
# 2. Else install Debian's chromium package (root or password-less sudo only); otherwise fail with what to do.
# Running it again once chromium is there is a no-op.
set -euo pipefail

log() { printf 'ensure-chromium: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

bin="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [[ -x "$bin" ]] && "$bin" --version >/dev/null 2>&1; then
  log "$("$bin" --version 2>/dev/null) at $bin; nothing to do."
  exit 0
fi

if [[ "$(id -u)" == 0 ]]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  die "$bin is missing and this user cannot install it (not root, no password-less sudo).
  Install it: sudo apt-get install chromium"
fi
command -v apt-get >/dev/null 2>&1 || die "$bin is missing and there is no apt-get here; install chromium yourself"

log "installing Debian's chromium ..."
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq >/dev/null
"${as_root[@]}" apt-get install -y -qq --no-install-recommends chromium >/dev/null
[[ -x "$bin" ]] || die "apt-get finished but $bin is still missing"
log "$("$bin" --version 2>/dev/null) installed at $bin."
