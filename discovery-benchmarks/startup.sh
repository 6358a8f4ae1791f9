#!/usr/bin/env bash
# What the starter costs an empty Boot web app, per mode: time to ready and classes loaded, against plain Boot and
# Spring Cloud LoadBalancer alone, alternating runs in one session; then where the time and the classes go.
#   discovery-benchmarks/startup.sh [runs]      (default 10 runs of each row)
# Rows: plain Boot; + Spring Cloud LoadBalancer; + this starter with no rpc config, with direct endpoints, with etcd
# (a real etcd on 127.0.0.1: ready = the app's own registration listed by its DiscoveryClient), with Kubernetes
# (fabric8's mock API server on 127.0.0.1: ready = the Service's first list).
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-10}"
work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
[ -n "${KEEP_WORK:-}" ] && trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; echo "kept $work"' EXIT
command -v etcd >/dev/null || { echo "etcd is not on the PATH: sudo apt-get install -y etcd-server etcd-client" >&2; exit 1; }

./mvnw -q -B -ntp -DskipTests install -pl discovery-spring-boot-starter -am
./mvnw -q -B -ntp -DskipTests package -pl discovery-benchmarks
for v in baseline spring-cloud with-starter; do
	./mvnw -q -B -ntp -f discovery-benchmarks/startup/$v/pom.xml dependency:build-classpath -Dmdep.outputFile="$work/$v.cp"
done
# Spring Cloud LoadBalancer with spring-retry, which the starter brings for blocking retries: with it on the classpath
# Spring Cloud's own retry configuration (a CGLIB-proxied @Configuration) loads, whatever the starter does
{ cat "$work/spring-cloud.cp"; printf ':'; tr ':' '\n' <"$work/with-starter.cp" | grep '/spring-retry-'; } | tr -d '\n' >"$work/spring-retry.cp"
mkdir -p "$work/classes"
javac -d "$work/classes" -cp "$(cat "$work/with-starter.cp")" discovery-benchmarks/startup/app/src/main/java/startup/EmptyApp.java

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
client_port="$(free_port)"; peer_port="$(free_port)"
etcd --name startup --data-dir "$work/etcd" --listen-client-urls "http://127.0.0.1:$client_port" \
	--advertise-client-urls "http://127.0.0.1:$client_port" --listen-peer-urls "http://127.0.0.1:$peer_port" \
	--initial-advertise-peer-urls "http://127.0.0.1:$peer_port" --initial-cluster "startup=http://127.0.0.1:$peer_port" \
	>"$work/etcd.log" 2>&1 &
pids+=($!)
mkfifo "$work/api.in"
java -cp "discovery-benchmarks/target/classes:$(cat discovery-benchmarks/target/classpath.txt)" \
	io.github.rpcdiscovery.bench.startup.StartupApiServer <"$work/api.in" >"$work/api.out" 2>"$work/api.err" &
pids+=($!)
exec 3>"$work/api.in"   # keeps the mock API server serving until this script exits
for _ in $(seq 1 300); do grep -q '^URL ' "$work/api.out" 2>/dev/null && break; sleep 0.1; done
api_url="$(sed -n 's/^URL //p' "$work/api.out")"
[ -n "$api_url" ] || { echo "the mock API server did not start:" >&2; cat "$work/api.err" >&2; exit 1; }
until ETCDCTL_API=3 etcdctl --endpoints "127.0.0.1:$client_port" endpoint health >/dev/null 2>&1; do sleep 0.1; done

variants="baseline spring-cloud spring-retry jars-only none direct etcd kubernetes"
classpath_of() { case "$1" in baseline|spring-cloud|spring-retry) echo "$1" ;; *) echo with-starter ;; esac; }
run_index=0
# the starter's jars without its code: every auto-configuration it declares excluded
ours="$(unzip -p "$(tr ':' '\n' <"$work/with-starter.cp" | grep '/discovery-spring-boot-autoconfigure-')" \
	META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports | paste -sd, -)"
args_of() {
	case "$1" in
	jars-only) echo "--spring.autoconfigure.exclude=$ours" ;;
	direct) echo "--rpc.clients[0].name=direct.rpc --rpc.clients[0].endpoints[0]=127.0.0.1:9 --startup.await=direct.rpc" ;;
	etcd)   # a key of its own per run: a key left by an earlier run could not make the first list look instant
		local key="startup-$run_index.rpc"
		echo "--spring.application.name=$key --rpc.listen-on=127.0.0.1 --rpc.etcd.hosts=127.0.0.1:$client_port" \
			"--rpc.clients[0].name=$key --rpc.clients[0].etcd.key=$key --startup.await=$key" ;;
	kubernetes) echo "--rpc.target=k8s://startup/startup-svc:8080 --rpc.kubernetes.master-url=$api_url" \
		"--rpc.kubernetes.token=startup-token --startup.await=startup-svc" ;;
	esac
}
launch() {   # launch <variant> [JVM option]; extra app arguments in $extra_args
	local v="$1"; shift
	run_index=$((run_index + 1))
	# shellcheck disable=SC2046,SC2086
	java -Xshare:auto "$@" -cp "$work/classes:$(cat "$work/$(classpath_of "$v").cp")" startup.EmptyApp $(args_of "$v") ${extra_args:-}
}
# "<ms to ready or listed> <classes> <ms to ApplicationReadyEvent>"
measure() { launch "$1" | sed -n 's/^CONTEXT readyMs=\([0-9]*\)/\1/p; s/^READY uptimeMs=\([0-9]*\) classes=\([0-9]*\)/\1 \2/p' | tr '\n' ' ' | awk '{print $2, $3, $1}'; }
for v in $variants; do
	[ -n "$(measure "$v")" ] || { echo "the $v row did not start:" >&2; launch "$v" >&2 || true; exit 1; }
	: >"$work/$v.txt"
done
for _ in $(seq 1 "$runs"); do
	for v in $variants; do measure "$v" >>"$work/$v.txt"; done
done

median() { sort -n | awk '{a[NR]=$1} END{print (NR%2)? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
ms() { cut -d' ' -f1 "$work/$1.txt" | median; }
cl() { cut -d' ' -f2 "$work/$1.txt" | median; }
cp_of() { tr ':' '\n' <"$work/$(classpath_of "$1").cp" | grep '\.jar$'; }
jars() { cp_of "$1" | wc -l; }
mb() { cp_of "$1" | xargs du -cb | tail -1 | cut -f1 | awk '{printf "%.1f", $1/1048576}'; }
over() { awk "BEGIN{printf \"%+d ms, %+d classes\", $(ms "$1")-$(ms "${2:-spring-cloud}"), $(cl "$1")-$(cl "${2:-spring-cloud}")}"; }
echo
echo "Empty Boot web app, median of $runs alternating runs each (ready = JVM uptime at ApplicationReadyEvent, or at"
echo "the first list where stated); goals over Spring Cloud LoadBalancer alone: no config and direct <= 100 ms and"
echo "<= 40 classes, etcd and Kubernetes <= 300 ms including the first registration / list:"
echo
printf '| app | ready (ms) | classes loaded | over Spring Cloud LoadBalancer | over it + spring-retry | jars | jar bytes |\n|---|---|---|---|---|---|---|\n'
row() { printf '| %s | %s | %s | %s | %s | %s | %s MB |\n' "$1" "$(ms "$2")" "$(cl "$2")" "$(over "$2")" "$(over "$2" spring-retry)" "$(jars "$2")" "$(mb "$2")"; }
row "spring-boot-starter-webmvc" baseline
row "+ spring-cloud-starter-loadbalancer" spring-cloud
row "+ spring-retry (the starter brings it)" spring-retry
row "+ the starter's jars, its auto-configurations excluded" jars-only
row "+ discovery-spring-boot-starter, no rpc config" none
row "+ starter, direct endpoints (first list)" direct
row "+ starter, etcd (registered and listed)" etcd
row "+ starter, Kubernetes (first list)" kubernetes
after_ready() { awk '{print $1 - $3}' "$work/$1.txt" | median; }
echo
echo "Of which after ApplicationReadyEvent (registration and the first list): etcd $(after_ready etcd) ms," \
	"Kubernetes $(after_ready kubernetes) ms, direct $(after_ready direct) ms."

# Where it goes: classes loaded per library against Spring Cloud LoadBalancer alone (one -Xlog:class+load run of
# each), and the slowest bean instantiations in each mode (Spring's startup steps; a bean's time includes the beans
# it creates).
group_of() {
	awk '{ c = $0; sub(/^.*\] /, "", c); sub(/ .*$/, "", c);
		g = "other";
		if (c ~ /^io\.github\.rpcdiscovery\./) g = "starter (io.github.rpcdiscovery)";
		else if (c ~ /^org\.springframework\.cloud\./) g = "Spring Cloud";
		else if (c ~ /^org\.springframework\./) g = "Spring Framework / Boot";
		else if (c ~ /^io\.etcd\./) g = "jetcd";
		else if (c ~ /^io\.grpc\./) g = "grpc-java";
		else if (c ~ /^io\.netty\./) g = "Netty";
		else if (c ~ /^io\.vertx\./) g = "Vert.x";
		else if (c ~ /^io\.fabric8\./) g = "fabric8";
		else if (c ~ /^com\.google\./) g = "Guava / protobuf";
		else if (c ~ /^reactor\./) g = "Reactor";
		else if (c ~ /^com\.fasterxml\.|^tools\.jackson\./) g = "Jackson";
		else if (c ~ /^(java|javax|jdk|sun|com\.sun)\./) g = "JDK";
		n[g]++ } END { for (g in n) print g "\t" n[g] }'
}
for v in spring-retry none direct etcd kubernetes; do
	extra_args="--startup.steps=6" launch "$v" -Xlog:class+load=info:file="$work/$v.load" >"$work/$v.steps"
	group_of <"$work/$v.load" | sort >"$work/$v.groups"
done
echo
echo "Classes loaded per library, over Spring Cloud LoadBalancer with spring-retry (one run each with -Xlog:class+load):"
echo
printf '| library | no config | direct | etcd | Kubernetes |\n|---|---|---|---|---|\n'
cut -f1 "$work"/{spring-retry,none,direct,etcd,kubernetes}.groups | sort -u | while IFS= read -r g; do
	count() { awk -F'\t' -v g="$g" '$1 == g { print $2; f = 1 } END { if (!f) print 0 }' "$work/$1.groups"; }
	base="$(count spring-retry)"
	printf '| %s |' "$g"
	for v in none direct etcd kubernetes; do printf ' %+d |' "$(( $(count "$v") - base ))"; done
	echo
done
echo
echo "Slowest bean instantiations (ms, a bean's time includes the beans it creates), one run each:"
for v in none direct etcd kubernetes; do
	echo
	echo "$v:"
	sed -n 's/^STEP /  /p' "$work/$v.steps"
done
