#!/usr/bin/env bash
# Scanner speed benchmark (issue 4): a full `portcullis scan` of a loopback openssl s_server must be at least 10x
# faster than testssl.sh on the same server and machine. Prints both wall times and the ratio; exits 1 when the
# ratio is below MIN_RATIO (default 10), 2 when a tool is missing.
#
#   mvn -B -o -pl cli -am package -DskipTests    # builds cli/target/portcullis.jar
#   bench/scan/compare-testssl.sh
#
# Env: JAR (default cli/target/portcullis.jar), TESTSSL (default: testssl, else testssl.sh), MIN_RATIO.
# The server offers TLS 1.2 + 1.3 with an ECDSA key (a typical modern config); both tools scan everything they
# scan by default, HTTP checks included.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
jar=${JAR:-$root/cli/target/portcullis.jar}
min_ratio=${MIN_RATIO:-10}
testssl=${TESTSSL:-$(command -v testssl || command -v testssl.sh || true)}
[[ -f $jar ]] || { echo "missing $jar (mvn -pl cli -am package -DskipTests)" >&2; exit 2; }
[[ -n $testssl ]] || { echo "testssl.sh not installed (apt-get install -y testssl.sh)" >&2; exit 2; }
command -v openssl >/dev/null || { echo "openssl not installed" >&2; exit 2; }

work=$(mktemp -d)
server_pid=
cleanup() {
  [[ -n $server_pid ]] && kill "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 -subj /CN=localhost \
  -addext subjectAltName=DNS:localhost -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
openssl s_server -accept 127.0.0.1:0 -cert "$work/cert.pem" -key "$work/key.pem" -www >"$work/s_server.log" 2>&1 &
server_pid=$!
port=
for _ in $(seq 100); do
  port=$(sed -n 's/^ACCEPT .*:\([0-9]*\)$/\1/p' "$work/s_server.log" | head -1)
  [[ -n $port ]] && break
  sleep 0.05
done
[[ -n $port ]] || { echo "openssl s_server did not start: $(cat "$work/s_server.log")" >&2; exit 2; }

now_ms() { date +%s%3N; }

t0=$(now_ms)
java -jar "$jar" scan "localhost:$port" --ip 127.0.0.1 --json "$work/portcullis.json" >"$work/portcullis.txt" 2>&1 || true
t1=$(now_ms)
grep -q '"grade"' "$work/portcullis.json" || { echo "portcullis scan produced no report:"; cat "$work/portcullis.txt"; exit 2; } >&2

"$testssl" --quiet --color 0 --warnings off --ip 127.0.0.1 --jsonfile "$work/testssl.json" "localhost:$port" \
  >"$work/testssl.txt" 2>&1 || true
t2=$(now_ms)
[[ -s $work/testssl.json ]] || { echo "testssl.sh produced no report:"; tail -20 "$work/testssl.txt"; exit 2; } >&2

portcullis_ms=$((t1 - t0))
testssl_ms=$((t2 - t1))
ratio=$(awk -v a="$testssl_ms" -v b="$portcullis_ms" 'BEGIN { printf "%.1f", a / (b > 0 ? b : 1) }')
echo "portcullis scan: ${portcullis_ms} ms"
echo "testssl.sh:      ${testssl_ms} ms"
echo "ratio:           ${ratio}x (required: >= ${min_ratio}x)"
awk -v r="$ratio" -v m="$min_ratio" 'BEGIN { exit !(r >= m) }' || { echo "FAIL: below ${min_ratio}x" >&2; exit 1; }
