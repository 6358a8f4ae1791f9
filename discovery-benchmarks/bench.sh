#!/usr/bin/env bash
# Runs a benchmark: a scenario harness that prints a table, or JMH.
#   discovery-benchmarks/bench.sh <Harness> [args]     e.g. etcd.PropagationBenchmark
#   discovery-benchmarks/bench.sh jmh [JMH args]       e.g. jmh GetInstances -f 1 -wi 3 -i 5
# Builds what it needs first. Run on an otherwise idle machine; figures are ratios against baselines measured in
# the same run, because absolute times on a small machine are noisy.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -ntp -DskipTests install -pl discovery-benchmarks -am
cp="discovery-benchmarks/target/classes:$(cat discovery-benchmarks/target/classpath.txt)"
what="${1:?usage: bench.sh <Harness>|jmh [args]}"; shift
if [ "$what" = jmh ]; then
	exec java -cp "$cp" org.openjdk.jmh.Main "$@"
fi
exec java -Xms256m -cp "$cp" "io.github.rpcdiscovery.bench.$what" "$@"
