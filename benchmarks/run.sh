#!/usr/bin/env bash
# Runs every benchmark and writes benchmarks/RESULTS.md (--out elsewhere). With the defaults about 45 minutes on 2 cores
# (the 60 s load-at-rest windows and the 20 crash rounds of each backend take most of it).
# Usage: benchmarks/run.sh [--rounds 50] [--warmup-rounds 0] [--crash-rounds 20] [--candidates 3] [--lease-ms 2000] [--rest-seconds 60]
#   [--herd 200] [--herd-per-jvm 50] [--startup-runs 5] [--backends local,...]  (all options: benchmarks/README.md)
set -euo pipefail
cd "$(dirname "$0")/.."
# MVN overrides the Maven command, e.g. MVN="mvn -o" on a machine without network.
mvn_cmd=${MVN:-$(command -v mvn >/dev/null 2>&1 && echo mvn || echo ./mvnw)}
# -am builds the starter in the same reactor: nothing is installed into ~/.m2.
$mvn_cmd -B -q package -DskipTests -pl benchmarks -am
cd benchmarks
classes="$PWD/target/classes"
deps_file="$PWD/target/runtime-classpath.txt"
exec java -Xmx512m -cp "$classes:$(cat "$deps_file")" \
  -Dbench.classes="$classes" -Dbench.classpath.file="$deps_file" \
  dev.leader.bench.Benchmarks --out "$PWD/RESULTS.md" "$@"
