#!/usr/bin/env bash
# Webhook ingest: SendGrid-style signed batches of 1,000 events posted to POST /v1/webhooks/sendgrid, one call after
# another (as SendGrid sends them), against the packaged service on :8094 with its embedded H2 (the default build:
# ./mvnw -B package -DskipTests). Makes a throw-away ECDSA P-256 key pair with openssl for the signatures. CALLS and
# BATCH change the run; APP names another quarkus-run.jar.
set -euo pipefail
cd "$(dirname "$0")/.."
CALLS=${CALLS:-20}
BATCH=${BATCH:-1000}
APP=${APP:-target/quarkus-app/quarkus-run.jar}
work=$(mktemp -d)
cleanup() {
  [ -f "$work/app.pid" ] && kill "$(cat "$work/app.pid")" 2>/dev/null || true
  sleep 1
  rm -rf "$work"
}
trap cleanup EXIT
openssl ecparam -name prime256v1 -genkey -noout -out "$work/key.pem"
openssl pkcs8 -topk8 -nocrypt -in "$work/key.pem" -outform DER -out "$work/key.der"
public=$(openssl ec -in "$work/key.pem" -pubout -outform DER 2>/dev/null | base64 -w0)
WEBHOOKS_SENDGRID_PUBLIC_KEY=$public DB_URL="jdbc:h2:file:$work/db/bounce-doctor" QUARKUS_HTTP_PORT=8094 java -jar "$APP" >"$work/app.log" 2>&1 &
echo $! >"$work/app.pid"
ready=
for _ in $(seq 1 90); do curl -sf http://127.0.0.1:8094/q/health/ready >/dev/null && ready=1 && break; sleep 1; done
if [ -z "$ready" ]; then
  echo "the service did not become ready; its log ends:" >&2
  tail -20 "$work/app.log" >&2
  exit 1
fi
java bench/WebhookBench.java http://127.0.0.1:8094 "$work/key.der" "$CALLS" "$BATCH"
