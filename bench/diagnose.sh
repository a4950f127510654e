#!/usr/bin/env bash
# Diagnoses over HTTP (issue 19): POST /v1/diagnoses beside the no-rules baseline at 16 connections, in turns, and the
# same load during 10 rule reloads. Starts the packaged service (./mvnw -B package -DskipTests) on a throw-away H2
# database and a copy of rules/, with the baseline endpoint on; bench/DiagnoseBench.java is the client.
# CONNECTIONS (16), ROUNDS (3), ROUND_SECONDS (10), WARMUP_SECONDS (30), RELOADS (10; 0 skips them); APP names
# another quarkus-run.jar.
set -euo pipefail
cd "$(dirname "$0")/.."
APP=${APP:-target/quarkus-app/quarkus-run.jar}
PORT=${PORT:-8095}
work=$(mktemp -d)
cleanup() {
  [ -f "$work/app.pid" ] && kill "$(cat "$work/app.pid")" 2>/dev/null || true
  sleep 1
  rm -rf "$work"
}
trap cleanup EXIT
cp -r rules "$work/rules"
export BENCH_API_KEY="bdk_$(openssl rand -hex 32)"
RULES_DIR="$work/rules" RULES_POLL_INTERVAL=1h SECURITY_BOOTSTRAP_KEY=$BENCH_API_KEY BENCH_NO_RULES_ENDPOINT=true \
  DB_URL="jdbc:h2:file:$work/db;DB_CLOSE_ON_EXIT=FALSE" QUARKUS_HTTP_PORT=$PORT java -jar "$APP" >"$work/app.log" 2>&1 &
echo $! >"$work/app.pid"
ready=
for _ in $(seq 1 120); do curl -sf http://127.0.0.1:$PORT/q/health/ready >/dev/null && ready=1 && break; sleep 1; done
if [ -z "$ready" ]; then
  echo "the service did not become ready; its log ends:" >&2
  tail -20 "$work/app.log" >&2
  exit 1
fi
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) before the run"
java bench/DiagnoseBench.java compare "http://127.0.0.1:$PORT" "${CONNECTIONS:-16}" "${ROUNDS:-3}" "${ROUND_SECONDS:-10}"
[ "${RELOADS:-10}" = 0 ] && exit 0
java bench/DiagnoseBench.java reload "http://127.0.0.1:$PORT" "${CONNECTIONS:-16}" "${RELOADS:-10}" "$work/rules"
