#!/usr/bin/env bash
# Installs the benchmark peers and load tools from Debian packages (idempotent: present packages are skipped).
# Debian's nginx/haproxy/caddy packages would start system services on 80/443: a temporary policy-rc.d (exit 101)
# stops that, and is removed again afterwards if we created it.
set -euo pipefail

packages=(nginx-light haproxy caddy wrk nghttp2-client openssl curl gcc libc6-dev libssl-dev util-linux procps python3 ca-certificates)

as_root() {
  if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi
}

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "bench: installing ${missing[*]}" >&2
  created_policy=0
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' | as_root tee /usr/sbin/policy-rc.d >/dev/null
    as_root chmod +x /usr/sbin/policy-rc.d
    created_policy=1
  fi
  cleanup() { if ((created_policy)); then as_root rm -f /usr/sbin/policy-rc.d; fi; }
  trap cleanup EXIT
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null
  # Belt and braces: if a package's service started anyway (no systemd here, or policy-rc.d pre-existed with another
  # verdict), stop it so nothing of ours is left listening on 80/443.
  for svc in nginx haproxy caddy; do
    if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet "$svc" 2>/dev/null; then
      as_root systemctl stop "$svc" || true
      as_root systemctl disable "$svc" >/dev/null 2>&1 || true
    fi
  done
fi
for tool in nginx haproxy caddy wrk h2load openssl curl gcc taskset python3; do
  command -v "$tool" >/dev/null 2>&1 || { echo "bench: required tool '$tool' is missing after install" >&2; exit 3; }
done
