#!/usr/bin/env bash
# The project's whole test suite, as README.md gives it and CI runs it: unit, property and golden
# tests (surefire), then the integration tiers (failsafe) that need real control-plane binaries.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/java-env.sh
echo "respool: JDK $JAVA_HOME"
exec mvn -B -ntp verify "$@"
