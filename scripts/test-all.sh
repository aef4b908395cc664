#!/usr/bin/env bash
# The one command that installs what the tests need and runs every test (unit, integration, slow, and the
# fresh-clone smoke run of ./portcullis). CI runs exactly this through .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-test-deps.sh
mvn -B -ntp -Dbuild.suffix= install
./scripts/smoke-run.sh
