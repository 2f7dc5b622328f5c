#!/usr/bin/env bash
# The fault suite's soak: fault-app JVMs (fault-tests/app) against real backends under a seeded plan of faults.
# Usage: scripts/soak.sh [--duration 20m] [--seed N] [--backends redis,etcd] [--parallel 1] [--out file.md]
# --backends takes ids of dev.leader.autoconfigure.BackendType and defaults to every backend.
# Needs root (network namespaces), redis-server, etcd, PostgreSQL 15, faketime: ./scripts/test.sh installs them.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn_cmd=${MVN:-./mvnw}
# The apps run fault-tests/app's jar, which -am builds too: a soak must not test yesterday's library.
$mvn_cmd -B -q -ntp package -DskipTests -pl fault-tests -am
ip link set lo multicast on 2>/dev/null || true
cp="fault-tests/target/classes:$(cat fault-tests/target/runtime-classpath.txt)"
exec java -Xmx256m -cp "$cp" -Dfault.app.jar=fault-tests/app/target/fault-app.jar dev.leader.fault.FaultSuite "$@"
