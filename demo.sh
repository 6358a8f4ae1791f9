#!/usr/bin/env bash
# The demo: builds the samples, starts two sample-servers and a sample-client on free loopback ports (direct mode),
# shows what the client discovers and how 30 load-balanced calls spread, then stops everything it started.
set -euo pipefail
cd "$(dirname "$0")"

work="$(mktemp -d -t rpc-discovery-demo.XXXXXX)"
pids=()
cleanup() {
	for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
	for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
	rm -rf "$work"
}
trap cleanup EXIT

start_ns="$(date +%s%N)"
say() {
	local ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
	printf '[demo %3d.%01ds] %s\n' $((ms / 1000)) $((ms % 1000 / 100)) "$*"
}

say "building the samples (./mvnw -q -DskipTests install)"
./mvnw -q -B -ntp -DskipTests install

server_jar=sample-server/target/sample-server-0.1.0-SNAPSHOT.jar
client_jar=sample-client/target/sample-client-0.1.0-SNAPSHOT.jar

# start <name> <portfile> <jar> [args...]: port 0 lets the OS pick a free port; the app writes it to <portfile>
start_app() {
	local name="$1" portfile="$2" jar="$3"; shift 3
	PORTFILE="$portfile" java -Xms64m -XX:TieredStopAtLevel=1 -jar "$jar" --server.port=0 "$@" >"$work/$name.log" 2>&1 &
	pids+=("$!")
}
wait_port() {
	local name="$1" portfile="$2"
	for _ in $(seq 1 240); do
		if [ -s "$portfile" ]; then cat "$portfile"; return 0; fi
		sleep 0.25
	done
	echo "$name did not start; its log:" >&2; tail -40 "$work/$name.log" >&2; exit 1
}

start_app server-1 "$work/server-1.port" "$server_jar" --server.address=127.0.0.1
start_app server-2 "$work/server-2.port" "$server_jar" --server.address=127.0.0.2
p1="$(wait_port server-1 "$work/server-1.port")"
p2="$(wait_port server-2 "$work/server-2.port")"
say "sample-server #1 listens on 127.0.0.1:$p1, #2 on 127.0.0.2:$p2"

start_app client "$work/client.port" "$client_jar" --server.address=127.0.0.1 \
	--rpc.clients[0].name=sample-server --rpc.clients[0].endpoints=127.0.0.1:$p1,127.0.0.2:$p2
pc="$(wait_port client "$work/client.port")"
say "sample-client listens on 127.0.0.1:$pc"

say "GET /instances/sample-server -> $(curl -sf "http://127.0.0.1:$pc/instances/sample-server")"
result="$(curl -sf "http://127.0.0.1:$pc/call/sample-server?n=30")"
say "GET /call/sample-server?n=30 -> $result"

if [[ "$result" == *"127.0.0.1:$p1"* && "$result" == *"127.0.0.2:$p2"* && "$result" == *'"failures":0'* ]]; then
	say "calls spread over both servers, no failures"
else
	say "unexpected spread: $result"; exit 1
fi
