#!/usr/bin/env bash
# Times `classify` over the Sisimai corpus against the Sisimai peer on the same files, in one run.
# Needs: ./mvnw -B package -DskipTests first, and Debian's libsisimai-perl.
# Prints: Sisimai's wall time for the whole directory (one perl process, three runs), our whole
# command (cold JVM, one pass), and our warm passes (one JVM, --passes 300, the last five: the JIT compiles the parser and the
# rule network's hundreds of generated constraint classes for about 200 passes on two cores; until then its threads take CPU
# from the workers and a pass is up to twice as slow).
# A batch run wants throughput, not short pauses: the JVM gets the parallel collector (JAVA_OPTS overrides).
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=${1:-src/test/resources/corpus/sisimai/maildir/bsd}
JAR=target/quarkus-app/quarkus-run.jar
JAVA_OPTS=${JAVA_OPTS:--XX:+UseParallelGC}
files=$(ls "$DIR"/*.eml | wc -l)

ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

for i in 1 2 3; do
  t=$(date +%s%N)
  perl -MSisimai -e 'my $v = Sisimai->make($ARGV[0]) || []; print $_->reason, "\n" for @$v' "$DIR" > /dev/null
  echo "sisimai: $files mails in $(ms "$t") ms (whole perl process)"
done
t=$(date +%s%N)
java $JAVA_OPTS -jar "$JAR" classify "$DIR" > /dev/null 2>&1
echo "bounce-doctor cold: $files mails in $(ms "$t") ms (whole JVM, one pass)"
for threads in 1 2; do
  passes=$(java $JAVA_OPTS -jar "$JAR" classify "$DIR" --passes 300 --threads "$threads" 2>&1 > /dev/null | grep '^classify pass')
  echo "$passes" | tail -5 | sed "s/^/bounce-doctor warm: /"
  # Throughput over the last 100 passes: what a long batch run sees, single slow passes included.
  echo "$passes" | tail -100 | awk -v t="$threads" '{ sub(/ ms$/, "", $9); ms += $9; n++ }
    END { printf "bounce-doctor warm: mean of the last %d passes, %d thread(s): %.1f ms\n", n, t, ms / n }'
done
