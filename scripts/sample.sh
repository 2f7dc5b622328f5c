#!/usr/bin/env bash
# Builds (once) and runs the sample application. Extra arguments go to the application,
# e.g. ./scripts/sample.sh --server.port=8082
set -euo pipefail
cd "$(dirname "$0")/.."
jar=sample-app/target/sample-app.jar
# One build at a time: the README starts two instances at once, and two builds in one checkout collide.
mkdir -p sample-app/target
exec 9>sample-app/target/.build-lock
flock 9
if [ ! -f "$jar" ] || [ -n "$(find leader-spring-boot-autoconfigure/src sample-app/src -newer "$jar" -type f 2>/dev/null | head -1)" ]; then
  ./mvnw -B -q -ntp -DskipTests -pl sample-app -am package
fi
flock -u 9
exec 9>&-
exec java -jar "$jar" "$@"
