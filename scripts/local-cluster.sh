#!/usr/bin/env bash
# A Spark standalone cluster on this machine: one Master and two Workers, each its own JVM on 127.0.0.1,
# started from the project's own jars (twolayer-spark/target/lib; no Spark installation needed). It is
# the cluster the test suite runs twolayer against (ClusterIT), for a user who wants to see the cluster
# path before they have a cluster.
#
#   scripts/local-cluster.sh start [DIR]   start it; prints the master URL (also in DIR/master-url)
#   scripts/local-cluster.sh stop [DIR]    stop every JVM it started (and their executors), by PID
#   scripts/local-cluster.sh status [DIR]  which of its JVMs still run
#
# DIR (default target/local-cluster) holds the logs (DIR/logs), the executors' work directories and
# logs (DIR/work/worker-N/app-*/ID/stderr), the PIDs (DIR/pids) and the fake SPARK_HOME whose jars/
# the Workers launch executors from. Ports are chosen free by the JVMs themselves. Each Worker offers
# WORKER_CORES cores (default 1) and WORKER_MEMORY (default 1g).
#
#   scripts/local-cluster.sh start
#   ./twolayer recover --engine spark --master "$(cat target/local-cluster/master-url)" \
#     --data d.csv --k 5 --out model.json
#   scripts/local-cluster.sh stop
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
action="${1:-}"
dir="${2:-$root/target/local-cluster}"
lib="$root/twolayer-spark/target/lib"
workers=2

usage() { echo "usage: scripts/local-cluster.sh start|stop|status [DIR]" >&2; exit 2; }

# What Spark 3.5 needs to reach into the JDK on Java 17 (as in twolayer-spark/pom.xml and ./twolayer).
opens=(--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED
  --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED)

alive() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null; }

# wait_for FILE PATTERN PID WHAT: until FILE has a line matching PATTERN (60 s), or PID dies.
wait_for() {
  local file="$1" pattern="$2" pid="$3" what="$4"
  for _ in $(seq 1 600); do
    if grep -q -E "$pattern" "$file" 2>/dev/null; then return 0; fi
    if ! alive "$pid"; then
      echo "error: the $what exited while starting; its log, $file, says why:" >&2
      tail -n 20 "$file" >&2
      stop_all; exit 1
    fi
    sleep 0.1
  done
  echo "error: the $what did not start within 60 s; see $file" >&2
  stop_all; exit 1
}

# A JVM's PID with the PIDs of its descendants (a Worker's executors), children first.
tree() {
  local pid="$1" child
  for child in $(pgrep -P "$pid" 2>/dev/null || true); do tree "$child"; done
  echo "$pid"
}

stop_all() {
  [ -d "$dir/pids" ] || return 0
  local pids=() f p
  # Workers first (their shutdown stops their executors), the Master last.
  for f in "$dir"/pids/worker-* "$dir/pids/master"; do
    [ -f "$f" ] || continue
    p="$(cat "$f")"
    if alive "$p"; then
      mapfile -t -O "${#pids[@]}" pids < <(tree "$p")
    fi
    rm -f "$f"
  done
  [ "${#pids[@]}" -gt 0 ] || return 0
  kill "${pids[@]}" 2>/dev/null || true
  for _ in $(seq 1 100); do
    local any=0
    for p in "${pids[@]}"; do if alive "$p"; then any=1; fi; done
    [ "$any" = 0 ] && return 0
    sleep 0.1
  done
  kill -9 "${pids[@]}" 2>/dev/null || true
}

case "$action" in
  start)
    if [ ! -d "$lib" ] || [ ! -f "$root/twolayer-spark/target/twolayer-spark-0.1.0-cluster.jar" ]; then
      command -v mvn >/dev/null || { echo "error: Maven (mvn) is needed to build twolayer-spark; install it" >&2; exit 2; }
      echo "building twolayer-spark (first use; Spark's jars are fetched once from Maven Central)..." >&2
      (cd "$root" && mvn -B -q -DskipTests -pl twolayer-spark -am package) >&2
    fi
    if [ -f "$dir/master-url" ] && alive "$(cat "$dir/pids/master" 2>/dev/null || true)"; then
      echo "error: a cluster already runs from $dir ($(cat "$dir/master-url")); stop it first" >&2; exit 2
    fi
    stop_all
    rm -rf "$dir/logs" "$dir/work" "$dir/master-url"
    mkdir -p "$dir/logs" "$dir/work" "$dir/pids" "$dir/spark-home"
    # The Workers build each executor's class path from SPARK_HOME/jars (Scala 2.13 layout).
    ln -sfn "$lib" "$dir/spark-home/jars"
    export SPARK_HOME="$dir/spark-home" SPARK_SCALA_VERSION=2.13 SPARK_NO_DAEMONIZE=1
    java "${opens[@]}" -Xmx256m -cp "$lib/*" org.apache.spark.deploy.master.Master \
      --host 127.0.0.1 --port 0 --webui-port 0 >"$dir/logs/master.log" 2>&1 &
    echo $! >"$dir/pids/master"
    wait_for "$dir/logs/master.log" "Starting Spark master at spark://" "$!" "Spark master"
    url="$(grep -o -E 'spark://[0-9.]+:[0-9]+' "$dir/logs/master.log" | head -n 1)"
    for w in $(seq 1 "$workers"); do
      java "${opens[@]}" -Xmx256m -cp "$lib/*" org.apache.spark.deploy.worker.Worker \
        --host 127.0.0.1 --port 0 --webui-port 0 --cores "${WORKER_CORES:-1}" --memory "${WORKER_MEMORY:-1g}" \
        --work-dir "$dir/work/worker-$w" "$url" >"$dir/logs/worker-$w.log" 2>&1 &
      echo $! >"$dir/pids/worker-$w"
    done
    for w in $(seq 1 "$workers"); do
      wait_for "$dir/logs/worker-$w.log" "Successfully registered with master" "$(cat "$dir/pids/worker-$w")" \
        "Spark worker $w"
    done
    echo "$url" >"$dir/master-url"
    echo "$url"
    ;;
  stop)
    stop_all
    rm -f "$dir/master-url"
    ;;
  status)
    for f in "$dir"/pids/*; do
      [ -f "$f" ] || continue
      p="$(cat "$f")"
      if alive "$p"; then echo "$(basename "$f") $p running"; else echo "$(basename "$f") $p stopped"; fi
    done
    [ -f "$dir/master-url" ] && echo "master $(cat "$dir/master-url")"
    ;;
  *) usage ;;
esac
