#!/usr/bin/env bash
# The demo, on one machine in about a minute: builds the samples, starts its own etcd (or, without the etcd binary,
# says how to install it and uses direct mode), three sample-servers on 127.0.0.1-3 and a sample-client under steady
# load; stops one server gracefully, kills another with -9 and restarts it; prints a timeline and exits 0 only if
# the story held (every change seen by the client, not one failed call). It cleans up everything it started.
#   ./demo.sh            etcd if installed, else direct mode
#   ./demo.sh --direct   direct mode (static endpoints)
#   ./demo.sh --gateway  the same servers and faults, called through sample-gateway (Spring Cloud Gateway); needs etcd
set -euo pipefail
cd "$(dirname "$0")"
echo "[demo] building the samples (./mvnw -q -DskipTests package)"
modules=sample-server,sample-client,discovery-demo
if [[ " $* " == *" --gateway "* ]]; then modules="$modules,sample-gateway"; fi
./mvnw -q -B -ntp -DskipTests package -pl "$modules" -am
exec java -cp "discovery-demo/target/classes:$(cat discovery-demo/target/classpath.txt)" io.github.rpcdiscovery.demo.Demo "$@"
