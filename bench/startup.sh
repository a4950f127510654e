#!/usr/bin/env bash
# Start-up and the CLI (issue 19): seconds from `java -jar` to /q/health/ready answering UP, and `classify` over the
# 629 Sisimai corpus mails as a whole process, each first with an empty compiled-rules cache (the rules are compiled
# and their scenarios run) and then RUNS times with the cache it left (README "Start-up"). With an AppCDS archive
# (./mvnw -B package -DskipTests -Dquarkus.package.jar.appcds.enabled=true) the same runs again with it.
# Needs the package (./mvnw -B package -DskipTests); APP names another quarkus-run.jar.
set -euo pipefail
cd "$(dirname "$0")/.."
APP=${APP:-target/quarkus-app/quarkus-run.jar}
# Run from the application's directory: an AppCDS archive only loads for the class path it was made with.
APP_DIR=$(cd "$(dirname "$APP")" && pwd)
JAR=$(basename "$APP")
RULES=${RULES:-$PWD/rules}
RUNS=${RUNS:-5}
PORT=${PORT:-18096}
CORPUS=$(cd "${CORPUS:-src/test/resources/corpus/sisimai/maildir/bsd}" && pwd)
work=$(mktemp -d)
trap 'kill $(cat "$work/app.pid" 2>/dev/null) 2>/dev/null || true; rm -rf "$work"' EXIT
now() { date +%s%N; }

ready_seconds() { # $1: cache dir; rest: JVM options
  local cache=$1; shift
  rm -rf "$work/db"*
  local start; start=$(now)
  (cd "$APP_DIR" && RULES_DIR=$RULES RULES_CACHE_DIR=$cache SECURITY_BOOTSTRAP_KEY="bdk_$(openssl rand -hex 32)" \
    DB_URL="jdbc:h2:file:$work/db;DB_CLOSE_ON_EXIT=FALSE" QUARKUS_HTTP_PORT=$PORT exec java "$@" -jar "$JAR") >"$work/app.log" 2>&1 &
  echo $! >"$work/app.pid"
  until curl -sf -o /dev/null "http://127.0.0.1:$PORT/q/health/ready"; do
    kill -0 "$(cat "$work/app.pid")" 2>/dev/null || { echo "the service stopped; its log ends:" >&2; tail -20 "$work/app.log" >&2; exit 1; }
    sleep 0.02
  done
  local end; end=$(now)
  kill "$(cat "$work/app.pid")"; wait "$(cat "$work/app.pid")" 2>/dev/null || true
  echo "scale=2; ($end - $start) / 1000000000" | bc
}

classify_seconds() { # $1: cache dir; rest: JVM options
  local cache=$1; shift
  local start; start=$(now)
  (cd "$APP_DIR" && RULES_DIR=$RULES RULES_CACHE_DIR=$cache exec java "$@" -jar "$JAR" classify "$CORPUS") >"$work/classify.tsv" 2>"$work/classify.err"
  # Every run must print what the first printed: the cache changes the time, never an answer.
  if [ -f "$work/classify.first" ]; then cmp -s "$work/classify.first" "$work/classify.tsv" || echo "DIFFERENT OUTPUT" >&2; else cp "$work/classify.tsv" "$work/classify.first"; fi
  local end; end=$(now)
  echo "scale=2; ($end - $start) / 1000000000" | bc
}

series() { # $1: label; rest: JVM options
  local label=$1; shift
  local cache="$work/cache-$RANDOM"
  local cold warm=() cl_cold cl_warm=()
  cold=$(ready_seconds "$cache" "$@")
  for _ in $(seq 1 "$RUNS"); do warm+=("$(ready_seconds "$cache" "$@")"); done
  local cl_cache="$work/cache-$RANDOM"
  cl_cold=$(classify_seconds "$cl_cache" "$@")
  for _ in $(seq 1 "$RUNS"); do cl_warm+=("$(classify_seconds "$cl_cache" "$@")"); done
  echo "$label: ready, cache empty: ${cold} s; ready, cached rules: ${warm[*]} s"
  echo "$label: classify ($(wc -l <"$work/classify.tsv") lines), cache empty: ${cl_cold} s; cached rules: ${cl_warm[*]} s"
}

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) before the run"
series "plain JVM"
# The launcher the README gives for commands: the same jar with the JVM settings for a short process.
launcher() {
  local cache="$work/cache-$RANDOM" cold warm=() start end
  start=$(now); RULES_CACHE_DIR=$cache BD_JAR="$APP_DIR/$JAR" RULES_DIR=$RULES ./bounce-doctor classify "$CORPUS" >"$work/classify.tsv" 2>"$work/classify.err"; end=$(now)
  cold=$(echo "scale=2; ($end - $start) / 1000000000" | bc)
  for _ in $(seq 1 "$RUNS"); do
    start=$(now); RULES_CACHE_DIR=$cache BD_JAR="$APP_DIR/$JAR" RULES_DIR=$RULES ./bounce-doctor classify "$CORPUS" >"$work/classify.tsv" 2>"$work/classify.err"; end=$(now)
    cmp -s "$work/classify.first" "$work/classify.tsv" || echo "DIFFERENT OUTPUT" >&2
    warm+=("$(echo "scale=2; ($end - $start) / 1000000000" | bc)")
  done
  echo "./bounce-doctor: classify ($(wc -l <"$work/classify.tsv") lines), cache empty: ${cold} s; cached rules: ${warm[*]} s"
}
launcher
if [ -f "$APP_DIR/app-cds.jsa" ]; then
  series "AppCDS" -XX:SharedArchiveFile=app-cds.jsa -Xlog:cds=off -Xlog:cds+dynamic=off
fi
