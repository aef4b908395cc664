#!/usr/bin/env bash
# The one command that installs what the tests need and runs every test (unit, integration, slow), the fresh-clone
# smoke run of ./portcullis, and the benchmark harness in its short mode (so it cannot rot; no targets enforced).
# CI runs exactly this through .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-test-deps.sh
mvn -B -ntp -Dbuild.suffix= install
./scripts/smoke-run.sh
bench/run.sh --short
bench/jmh.sh --short
