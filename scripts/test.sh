#!/usr/bin/env bash
# Runs every test of the project against real servers, installing the missing ones first.
# Usage: ./scripts/test.sh [extra Maven arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v etcd >/dev/null 2>&1 || need+=(etcd-server)
command -v etcdctl >/dev/null 2>&1 || need+=(etcd-client)
command -v ip >/dev/null 2>&1 || need+=(iproute2)
# TLS tests make their certificates with openssl.
command -v openssl >/dev/null 2>&1 || need+=(openssl)
# The JDBC backend's tests: PostgreSQL 15 (run as the user 'postgres' through setpriv) and MariaDB.
[ -x /usr/lib/postgresql/15/bin/postgres ] || need+=(postgresql-15 postgresql-contrib)
[ -x /usr/sbin/mariadbd ] || need+=(mariadb-server)
[ -e /usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1 ] || command -v faketime >/dev/null 2>&1 || need+=(faketime)
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing test servers: ${need[*]}"
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
# Debian starts the packaged servers as services; the tests start their own on free ports.
for service in redis-server etcd postgresql mariadb; do
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet "$service" 2>/dev/null; then
    systemctl stop "$service" || true
  fi
done

# The LAN backend's tests send multicast on the loopback interface only (TTL 1), which must allow it.
if [ "$(id -u)" -eq 0 ]; then ip link set lo multicast on 2>/dev/null || true; fi

./mvnw -B -ntp verify "$@"

# The sample processed ahead of time (the aot profile) must still elect a leader.
./mvnw -B -ntp -pl sample-app -am -Paot verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=AotSampleIT -Dfailsafe.failIfNoSpecifiedTests=false "$@"

# The library is built for Java 17 and must also run on the newest LTS: when a JDK 25 is
# installed, build the library with it and run every backend's contract tests, the core's and the
# Spring glue's tests on it (LEADER_SKIP_JDK25=1 skips this; LEADER_JDK25_ALL=1 runs every test).
# The long outage and failure tests run once, on JDK 17, above.
jdk25=/usr/lib/jvm/temurin-25-jdk-amd64
if [ -z "${LEADER_SKIP_JDK25:-}" ] && [ -x "$jdk25/bin/java" ]; then
  echo "Running the library's tests again on $("$jdk25/bin/java" -version 2>&1 | head -1)"
  selection=(-Dtest='*ContractTest,*Tests,ElectionTransitionsTest,ArchitectureTest,!LeaderHealthOutageTests,!LeadershipSpreadingTests'
    -Dsurefire.failIfNoSpecifiedTests=false)
  if [ -n "${LEADER_JDK25_ALL:-}" ]; then selection=(); fi
  JAVA_HOME="$jdk25" ./mvnw -B -ntp verify -pl test-support,leader-spring-boot-autoconfigure,leader-spring-boot-test \
    "${selection[@]}" "$@"
fi
