#!/usr/bin/env bash
# Events/second ingested into PostgreSQL over loopback, with 1 and with 8 concurrent clients.
# Starts a throw-away PostgreSQL cluster on 127.0.0.1:55432 and the packaged service on :8093,
# runs bench/IngestBench.java against them, and stops both. Needs the package built for PostgreSQL
# (./mvnw -B package -DskipTests -Dquarkus.datasource.db-kind=postgresql; the default build is H2's and
# refuses DB_KIND=postgresql) and Debian's postgresql server binaries. APP names another quarkus-run.jar.
set -euo pipefail
cd "$(dirname "$0")/.."
PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)}
EVENTS=${EVENTS:-2000}
APP=${APP:-target/quarkus-app/quarkus-run.jar}
work=$(mktemp -d)
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres:postgres "$work"
cleanup() {
  [ -f "$work/app.pid" ] && kill "$(cat "$work/app.pid")" 2>/dev/null || true
  sleep 2
  as_pg "$PG_BIN/pg_ctl" -D "$work/pg" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
as_pg "$PG_BIN/initdb" -D "$work/pg" -U postgres -A trust -E UTF8 --locale=C >/dev/null
as_pg "$PG_BIN/pg_ctl" -D "$work/pg" -l "$work/pg/log" -w -o "-p 55432 -k $work/pg -c listen_addresses=127.0.0.1" start >/dev/null
# The API needs a key: the fresh database gets this one (every role) as its first key.
export BENCH_API_KEY="bdk_$(openssl rand -hex 32)"
SECURITY_BOOTSTRAP_KEY=$BENCH_API_KEY DB_KIND=postgresql DB_URL=jdbc:postgresql://127.0.0.1:55432/postgres DB_USERNAME=postgres DB_PASSWORD= \
  QUARKUS_HTTP_PORT=8093 java -jar "$APP" >"$work/app.log" 2>&1 &
echo $! >"$work/app.pid"
ready=
for _ in $(seq 1 90); do curl -sf http://127.0.0.1:8093/q/health/ready >/dev/null && ready=1 && break; sleep 1; done
if [ -z "$ready" ]; then
  echo "the service did not become ready; its log ends:" >&2
  tail -20 "$work/app.log" >&2
  exit 1
fi
java bench/IngestBench.java http://127.0.0.1:8093 single 1 "$EVENTS"
java bench/IngestBench.java http://127.0.0.1:8093 single 8 "$((EVENTS * 2))"
