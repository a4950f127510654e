#!/usr/bin/env bash
# Ingest throughput (issue 19): the packaged service on a throw-away database, a mail log seeded with SEED events, then
#   1. CLIENTS (16) clients posting EVENTS single events to POST /v1/events (events/s, request p50/p99),
#   2. BATCH_CLIENTS (4) clients posting arrays of BATCH (500) events to POST /v1/events/batch,
#   3. WEBHOOK_CALLS SendGrid arrays of BATCH events to POST /v1/webhooks/sendgrid, one call after another.
#   4. the same facts as 2 through POST /v1/diagnoses/batch: the rules alone, nothing stored (the ceiling the rules set).
# Usage:
#   ./mvnw -B package -DskipTests -Dquarkus.datasource.db-kind=postgresql && bench/ingest.sh pg
#   ./mvnw -B package -DskipTests && bench/ingest.sh h2
#   SEED=10000000 bench/ingest.sh pg        the grown log: 10 million events loaded with COPY before the run
# PostgreSQL runs with its defaults (fsync and synchronous_commit on) from Debian's server binaries (PG_BIN). The seed is
# written by bench/seed.py; on H2 it is loaded with CSVREAD while the service is stopped. JFR=1 records a profile of the
# service (settings=profile) and keeps it in bench/out/. APP names another quarkus-run.jar; PHASES=single,batch,webhook.
set -euo pipefail
cd "$(dirname "$0")/.."
DB=${1:?usage: bench/ingest.sh pg|h2}
PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
CLIENTS=${CLIENTS:-16}
# Batches are for throughput: a few clients at once, each batch one transaction that must finish within REQUEST_MAX_SECONDS.
BATCH_CLIENTS=${BATCH_CLIENTS:-4}
EVENTS=${EVENTS:-20000}
BATCH=${BATCH:-500}
BATCH_EVENTS=${BATCH_EVENTS:-40000}
WEBHOOK_CALLS=${WEBHOOK_CALLS:-20}
SEED=${SEED:-10000}
PHASES=${PHASES:-single,batch,webhook,rules}
APP=${APP:-target/quarkus-app/quarkus-run.jar}
PORT=${PORT:-8095}
PG_PORT=${PG_PORT:-55434}
work=$(mktemp -d)
mkdir -p bench/out
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres:postgres "$work"
stop_app() {
  if [ -f "$work/app.pid" ]; then
    kill "$(cat "$work/app.pid")" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$(cat "$work/app.pid")" 2>/dev/null || break; sleep 0.5; done
    rm -f "$work/app.pid"
  fi
}
cleanup() {
  stop_app
  [ "$DB" = pg ] && as_pg "$PG_BIN/pg_ctl" -D "$work/pg" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

openssl ecparam -name prime256v1 -genkey -noout -out "$work/key.pem"
openssl pkcs8 -topk8 -nocrypt -in "$work/key.pem" -outform DER -out "$work/key.der"
export WEBHOOKS_SENDGRID_PUBLIC_KEY=$(openssl ec -in "$work/key.pem" -pubout -outform DER 2>/dev/null | base64 -w0)
export BENCH_API_KEY="bdk_$(openssl rand -hex 32)"
export SECURITY_BOOTSTRAP_KEY=$BENCH_API_KEY QUARKUS_HTTP_PORT=$PORT
if [ "$DB" = pg ]; then
  as_pg "$PG_BIN/initdb" -D "$work/pg" -U postgres -A trust -E UTF8 --locale=C >/dev/null
  as_pg "$PG_BIN/pg_ctl" -D "$work/pg" -l "$work/pg/log" -w -o "-p $PG_PORT -k $work/pg -c listen_addresses=127.0.0.1 -c max_wal_size=4GB" start >/dev/null
  export DB_KIND=postgresql DB_URL=jdbc:postgresql://127.0.0.1:$PG_PORT/postgres DB_USERNAME=postgres DB_PASSWORD=
  psql() { command psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -q "$@"; }
else
  export DB_URL="jdbc:h2:file:$work/db/bounce-doctor;DB_CLOSE_ON_EXIT=FALSE" DB_USERNAME=sa DB_PASSWORD=
fi

start_app() {
  local jfr=()
  [ "${JFR:-0}" = 1 ] && jfr=("-XX:StartFlightRecording=filename=$PWD/bench/out/ingest-$DB-$(date +%H%M%S).jfr,settings=profile")
  java "${jfr[@]}" -jar "$APP" >>"$work/app.log" 2>&1 &
  echo $! >"$work/app.pid"
  for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$PORT/q/health/ready" >/dev/null && return 0; sleep 1; done
  echo "the service did not become ready; its log ends:" >&2
  tail -20 "$work/app.log" >&2
  exit 1
}

seed() {
  local t0=$SECONDS
  python3 bench/seed.py events "$SEED" >"$work/events.csv"
  python3 bench/seed.py recipients "$SEED" >"$work/recipients.csv"
  local cols="event_id,recipient,sender,provider,status,reported_status,smtp_code,enhanced_code,occurred_at,received_at,diagnosed,reason,category,retry,suppress,flagged,failure,rule_set_version"
  if [ "$DB" = pg ]; then
    psql -c "\\copy mail_event ($cols) from '$work/events.csv' with (format csv, header true)" \
         -c "\\copy recipient_state (address,flagged_invalid,suppressed,consecutive_failures) from '$work/recipients.csv' with (format csv, header true)" \
         -c "vacuum analyze mail_event" -c "vacuum analyze recipient_state"
  else
    local h2jar
    h2jar=$(ls "$(dirname "$APP")"/lib/main/com.h2database.h2-*.jar)
    java -cp "$h2jar" org.h2.tools.Shell -url "jdbc:h2:file:$work/db/bounce-doctor" -user sa -password "" \
      -sql "insert into mail_event ($cols) select * from csvread('$work/events.csv', null, 'charset=UTF-8 null='); insert into recipient_state (address,flagged_invalid,suppressed,consecutive_failures) select * from csvread('$work/recipients.csv'); analyze" >/dev/null
  fi
  rm -f "$work/events.csv" "$work/recipients.csv"
  echo "seeded $SEED events in $((SECONDS - t0)) s"
}

# The first start creates the schema (Flyway); H2's file can only be loaded while the service is stopped.
start_app
if [ "$SEED" -gt 0 ]; then
  if [ "$DB" = h2 ]; then stop_app; seed; start_app; else seed; fi
fi
echo "db=$DB seed=$SEED app=$APP clients=$CLIENTS $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ), commit $(git rev-parse --short HEAD)"
base="http://127.0.0.1:$PORT"
# CPU seconds (user + system) the service and the database used: where a phase's time went on the shared cores.
ticks() { local t=0 p; for p in "$@"; do [ -r "/proc/$p/stat" ] && t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done; echo "$t"; }
db_pids() { [ "$DB" = pg ] && { head -1 "$work/pg/postmaster.pid"; ps -o pid= --ppid "$(head -1 "$work/pg/postmaster.pid")"; }; true; }
phase() {
  local app0 db0 t0=$SECONDS hz
  hz=$(getconf CLK_TCK)
  app0=$(ticks "$(cat "$work/app.pid")"); db0=$(ticks $(db_pids))
  "$@"
  echo "  cpu: service $(( ($(ticks "$(cat "$work/app.pid")") - app0) / hz )) s, database $(( ($(ticks $(db_pids)) - db0) / hz )) s, in $((SECONDS - t0)) s of wall time"
}
case ",$PHASES," in *,single,*) phase java bench/IngestBench.java "$base" single "$CLIENTS" "$EVENTS" ;; esac
case ",$PHASES," in *,batch,*) phase java bench/IngestBench.java "$base" batch "$BATCH_CLIENTS" "$BATCH_EVENTS" "$BATCH" ;; esac
case ",$PHASES," in *,webhook,*) phase java bench/WebhookBench.java "$base" "$work/key.der" "$WEBHOOK_CALLS" "$BATCH" ;; esac
case ",$PHASES," in *,rules,*) phase java bench/IngestBench.java "$base" rules "$BATCH_CLIENTS" "$BATCH_EVENTS" "$BATCH" ;; esac
if [ "$DB" = pg ]; then
  echo "events in the log at the end: $(psql -tAc 'select count(*) from mail_event')"
fi
echo "service errors logged: $(grep -c ' ERROR ' "$work/app.log" || true)"
