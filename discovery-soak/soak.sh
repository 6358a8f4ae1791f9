#!/usr/bin/env bash
# Runs the randomized fault soak and prints its report (exit 1 if an invariant was violated).
#   discovery-soak/soak.sh [--seed=N] [--seconds=60] [--max-faults=10000] [--servers=2] [--clients=1] [--rps=20]
# e.g. the documented 30-minute run: discovery-soak/soak.sh --seconds=1800 --servers=4 --clients=2 --rps=20
# Builds what it needs first (packages the reactor modules, installs nothing). Loopback only; it kills only the
# processes it started.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -ntp -o -DskipTests package -pl discovery-soak -am
cp="discovery-soak/target/classes:$(cat discovery-soak/target/classpath.txt)"
exec java -Xmx256m -cp "$cp" io.github.rpcdiscovery.soak.harness.SoakHarness "$@"
