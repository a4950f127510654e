#!/usr/bin/env bash
# Soak and fault run: SECONDS (600 by default) of mixed load against the packaged service in a -Xmx256m JVM on a
# throw-away PostgreSQL, with a rule edit and reload every 15 s, hostile requests among the ordinary ones, and the database
# stopped for 10 s half-way through. Reports the answers by kind and status, the failed requests (a 5xx other than
# the documented 503, or no answer; target 0), the events acknowledged against those stored (target equal), and the
# JVM's memory at start and end.
# Needs the package built for PostgreSQL (./mvnw -B package -DskipTests -Dquarkus.datasource.db-kind=postgresql),
# Debian's postgresql server binaries, curl and openssl. APP names another quarkus-run.jar.
set -euo pipefail
cd "$(dirname "$0")/.."
PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)}
DURATION=${SECONDS_TOTAL:-${1:-600}}
CLIENTS=${CLIENTS:-6}
APP=${APP:-target/quarkus-app/quarkus-run.jar}
PORT=8094
PG_PORT=55433
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
pg() { as_pg "$PG_BIN/pg_ctl" -D "$work/pg" -l "$work/pg/log" -w -o "-p $PG_PORT -k $work/pg -c listen_addresses=127.0.0.1" "$@" >/dev/null; }
as_pg "$PG_BIN/initdb" -D "$work/pg" -U postgres -A trust -E UTF8 --locale=C >/dev/null
pg start
export BENCH_API_KEY="bdk_$(openssl rand -hex 32)"
# The rules the run edits: a copy, so that the working tree stays as it is.
cp -r rules "$work/rules"
RULES_DIR="$work/rules" SECURITY_BOOTSTRAP_KEY=$BENCH_API_KEY DB_KIND=postgresql DB_URL=jdbc:postgresql://127.0.0.1:$PG_PORT/postgres DB_USERNAME=postgres DB_PASSWORD= \
  QUARKUS_HTTP_PORT=$PORT java -Xmx256m -jar "$APP" >"$work/app.log" 2>&1 &
echo $! >"$work/app.pid"
ready=
for _ in $(seq 1 120); do curl -sf http://127.0.0.1:$PORT/q/health/ready >/dev/null && ready=1 && break; sleep 1; done
if [ -z "$ready" ]; then
  echo "the service did not become ready; its log ends:" >&2
  tail -20 "$work/app.log" >&2
  exit 1
fi
memory() {
  local rss heap
  rss=$(ps -o rss= -p "$(cat "$work/app.pid")" | tr -d ' ')
  heap=$(curl -sf -H "X-API-Key: $BENCH_API_KEY" http://127.0.0.1:$PORT/q/metrics \
    | awk '/^jvm_memory_used_bytes\{.*area="heap"/ { sum += $NF } END { printf "%.0f", sum / 1048576 }')
  echo "memory $1: resident $((rss / 1024)) MiB, heap used ${heap} MiB"
}
memory start
# The fault: the database goes away for 10 s half-way through, and comes back.
( sleep $((DURATION / 2)); pg stop -m fast; echo "database stopped at $((DURATION / 2)) s"; sleep 10; pg start; echo "database started again" ) &
fault=$!
java bench/Soak.java "http://127.0.0.1:$PORT" "$DURATION" "$CLIENTS" "$work/acked.txt" src/test/resources/corpus/sisimai/maildir/bsd "$work/rules"
wait "$fault"
memory end
stored=$(as_pg "$PG_BIN/psql" -h 127.0.0.1 -p $PG_PORT -U postgres -tAc "select count(*) from mail_event where event_id like 'soak-%'")
as_pg "$PG_BIN/psql" -h 127.0.0.1 -p $PG_PORT -U postgres -q -c "create temp table acked(id text)" \
  -c "\\copy acked from '$work/acked.txt'" -tA -c "select count(*) from acked a where not exists (select 1 from mail_event e where e.event_id = a.id)" \
  > "$work/lost.txt"
echo "events acknowledged: $(wc -l < "$work/acked.txt"), stored: $stored, acknowledged but not stored: $(tail -1 "$work/lost.txt")"
echo "service errors logged: $(grep -c ' ERROR ' "$work/app.log" || true) (see the service's log for causes)"
