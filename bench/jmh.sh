#!/usr/bin/env bash
# JMH micro-benchmarks of the request hot paths (see bench/README.md).
#   bench/jmh.sh            full: every benchmark and parameter, the annotations' forks/iterations
#   bench/jmh.sh --short    CI smoke: 1 fork, 1 warm-up and 2 measured iterations of 1 s, one parameter set each
#   bench/jmh.sh [--short] [JMH args...]   e.g. bench/jmh.sh RoutingBench -p hostCase=exact
# Builds bench/target${BUILD_SUFFIX}/benchmarks.jar when missing or older than the sources. Results (JSON) go to
# bench/results/jmh-<timestamp>.json.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
suffix="${BUILD_SUFFIX-}"
jar="$here/target$suffix/benchmarks.jar"

short=0
args=()
for a in "$@"; do
  case "$a" in
    --short) short=1 ;;
    -h|--help) sed -n '2,8p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) args+=("$a") ;;
  esac
done

stale() {
  [[ ! -f "$jar" ]] && return 0
  [[ -n "$(find "$root" -path "$root/*/target*" -prune -o -path "$root/.git" -prune -o \
      \( -name '*.java' -o -name 'pom.xml' \) -type f -newer "$jar" -print -quit)" ]]
}
if stale; then
  echo "jmh: building $jar ..." >&2
  (cd "$root" && mvn -q -B ${MVN_OFFLINE:+-o} -Dmaven.test.skip=true "-Dbuild.suffix=$suffix" package -pl bench -am) >&2
fi

mkdir -p "$here/results"
out="$here/results/jmh-$(date -u +%Y%m%dT%H%M%SZ).json"
opts=(-rf json -rff "$out")
if ((short)); then
  opts+=(-f 1 -wi 1 -i 2 -w 1s -r 1s
    -p hostCase=wildcard -p pathCase=deep -p policyCase=full -p requestCase=browser -p headerCase=browser -p helloCase=browser)
fi
# The server's JVM options (jvm.options, as ./portcullis uses them), so pooled direct buffers behave as in production.
jvm=()
while IFS= read -r line; do
  [[ -z "${line//[[:space:]]/}" || "$line" =~ ^[[:space:]]*# ]] || jvm+=("$line")
done < "$root/jvm.options"
jvm+=(-Dorg.slf4j.simpleLogger.defaultLogLevel=warn)
java -jar "$jar" "${opts[@]}" -jvmArgsAppend "${jvm[*]}" "${args[@]}"
echo "jmh: results in $out" >&2
