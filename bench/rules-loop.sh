#!/usr/bin/env bash
# The rule author's loop (issue 17: "validate and reload a one-file change in under 2 s"): against the packaged
# service on :8095 with a private copy of rules/, one small edit (a comment added to one file) is
#   1. validated (POST /v1/rules/validate, the file uploaded as it is), RUNS times;
#   2. reloaded (POST /v1/rules/reload after writing the file), RUNS times;
# and the jar's own commands are timed as whole processes: check-rules (compile and run every scenario) and classify
# over the 629 mails of the tuning corpus (CORPUS). Prints each time in seconds and the median.
# Needs the packaged jar (./mvnw -B package -DskipTests) and curl.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
APP=${APP:-target/quarkus-app/quarkus-run.jar}
CORPUS=${CORPUS:-src/test/resources/corpus/sisimai/maildir}
FILE=${FILE:-advise/not-delivered.drl}
work=$(mktemp -d)
cleanup() {
  [ -f "$work/app.pid" ] && kill "$(cat "$work/app.pid")" 2>/dev/null || true
  sleep 1
  rm -rf "$work"
}
trap cleanup EXIT
cp -r rules "$work/rules"
KEY="bdk_$(openssl rand -hex 32)"
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
seconds() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N); echo "$e - $s" | bc; }

start=$(date +%s.%N)
RULES_DIR="$work/rules" RULES_POLL_INTERVAL=1h SECURITY_BOOTSTRAP_KEY=$KEY DB_URL="jdbc:h2:file:$work/db/bounce-doctor" \
  QUARKUS_HTTP_PORT=8095 java -jar "$APP" >"$work/app.log" 2>&1 &
echo $! >"$work/app.pid"
ready=
for _ in $(seq 1 300); do curl -sf http://127.0.0.1:8095/q/health/ready >/dev/null && ready=1 && break; sleep 0.1; done
[ -n "$ready" ] || { echo "the service did not become ready; its log ends:" >&2; tail -20 "$work/app.log" >&2; exit 1; }
echo "start to ready: $(echo "$(date +%s.%N) - $start" | bc | xargs printf '%.2f') s"

# A change that moves nothing: a comment in a DRL file, an empty line at the end of a table (FILE=classify/phrases.csv).
edit() { case "$FILE" in *.csv) printf '\n' >>"$work/rules/$FILE" ;; *) printf '\n// bench edit %s\n' "$1" >>"$work/rules/$FILE" ;; esac; }
validate() {
  curl -sf -H "X-API-Key: $KEY" -F "$FILE=@$work/rules/$FILE" http://127.0.0.1:8095/v1/rules/validate | grep -q '"valid":true'
}
reload() {
  curl -sf -X POST -H "X-API-Key: $KEY" http://127.0.0.1:8095/v1/rules/reload | grep -q "\"version\""
}
echo "validate a one-file change ($FILE), $RUNS runs:"
for i in $(seq 1 "$RUNS"); do edit "v$i"; seconds validate; done | tee "$work/validate" | xargs printf '  %.2f s\n'
echo "  median $(median <"$work/validate" | xargs printf '%.2f') s"
echo "reload after a one-file change, $RUNS runs:"
for i in $(seq 1 "$RUNS"); do edit "r$i"; seconds reload; done | tee "$work/reload" | xargs printf '  %.2f s\n'
echo "  median $(median <"$work/reload" | xargs printf '%.2f') s"
kill "$(cat "$work/app.pid")"; rm "$work/app.pid"; sleep 2

echo "check-rules as a whole process, $RUNS runs:"
for _ in $(seq 1 "$RUNS"); do seconds java -jar "$APP" check-rules "$work/rules"; done | tee "$work/check" | xargs printf '  %.2f s\n'
echo "  median $(median <"$work/check" | xargs printf '%.2f') s"
echo "classify over $(find "$CORPUS" -name '*.eml' | wc -l) corpus mails as a whole process, $RUNS runs:"
for _ in $(seq 1 "$RUNS"); do seconds java -jar "$APP" classify "$CORPUS"; done | tee "$work/classify" | xargs printf '  %.2f s\n'
echo "  median $(median <"$work/classify" | xargs printf '%.2f') s"
