#!/usr/bin/env bash
# The new user's path, end to end: `./portcullis run` with no config serves the welcome page over HTTPS with a
# certificate that verifies against the local CA it printed. Stops the server by PID.
set -euo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
./portcullis run >"$log" 2>&1 &
pid=$!
cleanup() { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -f "$log"; }
trap cleanup EXIT

url=""
for _ in $(seq 1 600); do
  url=$(grep -o 'https://localhost[^ ]*/' "$log" | head -1 || true)
  [[ -n "$url" ]] && break
  kill -0 "$pid" 2>/dev/null || { cat "$log"; echo "smoke: portcullis exited early"; echo "0 passed, 1 failed"; exit 1; }
  sleep 0.1
done
ca=$(grep -o 'trust its root to avoid browser warnings: .*' "$log" | sed 's/.*warnings: //' | head -1)
if [[ -z "$url" || -z "$ca" ]]; then cat "$log"; echo "smoke: no serving line"; echo "0 passed, 1 failed"; exit 1; fi
body=$(curl -sS --fail --cacert "$ca" "$url")
if grep -q "Welcome to Portcullis" <<<"$body"; then
  echo "smoke: $url served the welcome page, certificate verified against $ca"
  echo "smoke: 1 passed, 0 failed"
else
  cat "$log"; echo "smoke: unexpected body"; echo "smoke: 0 passed, 1 failed"; exit 1
fi
