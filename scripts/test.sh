#!/usr/bin/env bash
# The project's whole test suite, as README.md gives it and CI runs it: unit, property and golden
# tests (surefire), then the integration tiers (failsafe) against a real kube-apiserver, etcd,
# kube-scheduler and KWOK, whose binaries scripts/control-plane.sh builds once and caches.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/java-env.sh
echo "respool: JDK $JAVA_HOME"
eval "$(scripts/control-plane.sh --print-env)"
echo "respool: control plane $KUBERNETES_VERSION from $RESPOOL_BIN"
exec mvn -B -ntp verify "$@"
