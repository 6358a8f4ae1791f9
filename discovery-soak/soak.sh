#!/usr/bin/env bash
# Runs the randomized fault soak and prints its report (exit 1 if an invariant was violated).
#   discovery-soak/soak.sh [--seed=N] [--seconds=60] [--max-faults=10000] [--servers=2] [--clients=1] [--rps=20]
# e.g. the documented 30-minute run: discovery-soak/soak.sh --seconds=1800 --servers=4 --clients=2 --rps=20
# Builds what it needs first (packages the reactor modules, installs nothing), then runs from a copy of the classes
# and jars of this build, so that a rebuild during a long run cannot pull classes from under its JVMs.
# Loopback only; it kills only the processes it started.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -ntp -o -DskipTests package -pl discovery-soak -am
stage="$(mktemp -d "${TMPDIR:-/tmp}/rpc-discovery-soak-build-XXXXXX")"
cp -r discovery-soak/target/classes "$stage/classes"
cp="$stage/classes"
IFS=: read -ra entries < discovery-soak/target/classpath.txt || true # (no newline at its end)
for entry in "${entries[@]}"; do
	case "$entry" in
		"$PWD"/*) cp "$entry" "$stage/"; cp="$cp:$stage/$(basename "$entry")" ;;
		*) cp="$cp:$entry" ;;
	esac
done
status=0
java -Xmx256m -cp "$cp" io.github.rpcdiscovery.soak.harness.SoakHarness "$@" || status=$?
rm -rf "$stage"
exit "$status"
