#!/usr/bin/env bash
# Portcullis beside nginx, haproxy and caddy on this machine (see bench/README.md).
#   bench/run.sh [--short] [--only NAME[,NAME...]] [--repeat N] [--duration S] [--write-results] [--no-install]
# NAME is a workload (h1 paced h2 handshake proxy large idle startup) or a server (portcullis nginx haproxy caddy).
# Exit 0 when the harness worked (no performance target is enforced), 1 when a workload run failed,
# 2 when a server did not start, 3 when a tool is missing or cannot be installed, 4 on a machine it cannot measure.
# PORTCULLIS_JAR=path uses that jar instead of cli/target/portcullis.jar (built when missing or stale).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"

install=1
args=()
for a in "$@"; do
  case "$a" in
    --no-install) install=0 ;;
    -h|--help) sed -n '2,7p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) args+=("$a") ;;
  esac
done

if ((install)); then
  "$here/install-peers.sh" || exit 3
fi
for tool in nginx haproxy caddy wrk h2load openssl curl gcc taskset python3 java; do
  command -v "$tool" >/dev/null 2>&1 || { echo "bench: required tool '$tool' is missing" >&2; exit 3; }
done
if (( $(nproc --all) < 2 )); then
  echo "bench: needs at least 2 cores (server on core 1, load on core 0); this machine has $(nproc --all)" >&2
  exit 4
fi

jar="${PORTCULLIS_JAR:-$root/cli/target/portcullis.jar}"
stale() {
  [[ ! -f "$jar" ]] && return 0
  [[ -n "${PORTCULLIS_JAR:-}" ]] && return 1   # an explicit jar is taken as is
  [[ -n "$(find "$root" -path "$root/*/target*" -prune -o -path "$root/.git" -prune -o -path "$root/bench" -prune \
      -o \( -name '*.java' -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) -type f -newer "$jar" -print -quit)" ]]
}
if stale; then
  if [[ -n "${PORTCULLIS_JAR:-}" ]]; then
    echo "bench: PORTCULLIS_JAR=$jar does not exist" >&2; exit 3
  fi
  echo "bench: building $jar ..." >&2
  (cd "$root" && mvn -q -B -DskipTests -Dbuild.suffix= package -pl cli -am) >&2 || { echo "bench: build failed" >&2; exit 3; }
fi

# 10,000 idle connections need file descriptors in every server and in the client.
ulimit -Hn 65536 2>/dev/null || true
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

exec python3 "$here/harness/bench.py" --jar "$jar" "${args[@]}"
