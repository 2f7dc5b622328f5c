#!/usr/bin/env bash
# Builds (once) and runs the sample application. Extra arguments go to the application,
# e.g. ./scripts/sample.sh --server.port=8082
set -euo pipefail
cd "$(dirname "$0")/.."
jar=sample-app/target/sample-app.jar
if [ ! -f "$jar" ] || [ -n "$(find leader-spring-boot-autoconfigure/src sample-app/src -newer "$jar" -type f 2>/dev/null | head -1)" ]; then
  ./mvnw -B -q -ntp -DskipTests -pl sample-app -am package
fi
exec java -jar "$jar" "$@"
