#!/usr/bin/env bash
# The engine alone (issue 19): JMH throughput of the full rule set on the Sisimai corpus's facts, one thread, in
# facts per second per core (bench/jmh/EngineBenchmark.java). Compiles the project and the benchmark (Maven profile
# jmh adds JMH 1.37), then runs it; JMH options may follow, e.g. bench/engine.sh -wi 1 -i 2 for a short run.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
./mvnw -B -q -Pjmh test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$work/cp.txt" >/dev/null
cp="target/classes:$(cat "$work/cp.txt")"
javac -d "$work/classes" -cp "$cp" bench/jmh/*.java
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) before the run"
java -cp "$work/classes:$cp" org.openjdk.jmh.Main EngineBenchmark "$@"
