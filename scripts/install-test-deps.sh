#!/usr/bin/env bash
# Installs what the tests need on a Debian/Ubuntu machine: real peers (nginx upstreams, curl, openssl s_client,
# h2load/wrk, Pebble for ACME, testssl.sh as the reference auditor, Chromium for browser tests) from Debian
# packages. Idempotent: packages already present are not reinstalled.
set -euo pipefail

packages=(nginx-light curl openssl nghttp2-client wrk ca-certificates pebble testssl.sh chromium)

as_root() {
  if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi
}

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "install-test-deps: installing ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  # policy-rc.d keeps Debian's nginx package from starting a system nginx on port 80: tests start their own.
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' | as_root tee /usr/sbin/policy-rc.d >/dev/null
    as_root chmod +x /usr/sbin/policy-rc.d
    trap 'as_root rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null
fi
echo "install-test-deps: ready ($(nginx -v 2>&1), $(curl --version | head -1 | cut -d' ' -f1-2))"

# Browser tests (Http3BrowserTest) drive the Chromium above with Playwright from it-browser/ (lockfile pinned).
if command -v npm >/dev/null; then
  npm ci --prefix "$(dirname "$0")/../it-browser" --no-audit --no-fund --silent
fi
