#!/usr/bin/env bash
# What the starter adds to an empty Boot web app: time to ApplicationReadyEvent and classes loaded, measured against
# the same app without the starter, alternating runs in one session; plus the size of the starter's dependency tree.
#   discovery-benchmarks/startup.sh [runs]      (default 10 runs of each)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-10}"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
./mvnw -q -B -ntp -DskipTests install -pl discovery-spring-boot-starter -am
for v in baseline spring-cloud with-starter; do
	./mvnw -q -B -ntp -f discovery-benchmarks/startup/$v/pom.xml dependency:build-classpath -Dmdep.outputFile="$work/$v.cp"
done
mkdir -p "$work/classes"
javac -q -d "$work/classes" -cp "$(cat "$work/baseline.cp")" discovery-benchmarks/startup/app/src/main/java/startup/EmptyApp.java 2>/dev/null \
	|| javac -d "$work/classes" -cp "$(cat "$work/baseline.cp")" discovery-benchmarks/startup/app/src/main/java/startup/EmptyApp.java

measure() { java -Xshare:auto -cp "$work/classes:$(cat "$work/$1.cp")" startup.EmptyApp | sed -n 's/^READY uptimeMs=\([0-9]*\) classes=\([0-9]*\)/\1 \2/p'; }
variants="baseline spring-cloud with-starter"
for v in $variants; do measure "$v" >/dev/null; : >"$work/$v.txt"; done   # warm the file cache
for _ in $(seq 1 "$runs"); do
	for v in $variants; do measure "$v" >>"$work/$v.txt"; done
done
median() { sort -n | awk '{a[NR]=$1} END{print (NR%2)? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
ms() { cut -d' ' -f1 "$work/$1.txt" | median; }
cl() { cut -d' ' -f2 "$work/$1.txt" | median; }
jars() { tr ':' '\n' <"$work/$1.cp" | grep -c '\.jar$'; }
mb() { tr ':' '\n' <"$work/$1.cp" | grep '\.jar$' | xargs du -cb | tail -1 | cut -f1 | awk '{printf "%.1f", $1/1048576}'; }
row() { printf '| %s | %s | %s | %s | %s MB |\n' "$1" "$(ms "$2")" "$(cl "$2")" "$(jars "$2")" "$(mb "$2")"; }
delta() {
	printf '| %s | +%s ms (x%s) | +%s | +%s | +%s MB |\n' "$1" "$(awk "BEGIN{print $(ms "$3")-$(ms "$2")}")" \
		"$(awk "BEGIN{printf \"%.2f\", $(ms "$3")/$(ms "$2")}")" "$(awk "BEGIN{print $(cl "$3")-$(cl "$2")}")" \
		"$(($(jars "$3") - $(jars "$2")))" "$(awk "BEGIN{printf \"%.1f\", $(mb "$3")-$(mb "$2")}")"
}
echo
echo "Empty Boot web app, median of $runs alternating runs each (time to ApplicationReadyEvent = JVM uptime):"
echo
printf '| app | ready (ms) | classes loaded | jars | jar bytes |\n|---|---|---|---|---|\n'
row "spring-boot-starter-webmvc" baseline
row "+ spring-cloud-starter-loadbalancer" spring-cloud
row "+ discovery-spring-boot-starter" with-starter
delta "starter vs plain Boot" baseline with-starter
delta "starter vs Spring Cloud LoadBalancer alone" spring-cloud with-starter
