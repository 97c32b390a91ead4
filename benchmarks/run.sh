#!/usr/bin/env bash
# Builds the project, installs the Node peer (npm ci, lockfile pinned) and runs the benchmark harness.
#   benchmarks/run.sh            full mode (bounded: < 30 min, ~15 min on 2 cores)
#   benchmarks/run.sh --short    quick check (< 12 min, ~6.5 min)
# Other flags: --only ours-native,tyrus-bare,ours-sio,node-sio,netty-sio,redis   --jfr (JFR recordings in target/jfr)
#   --polling-only   only the fan-out-polling scenario (Engine.IO long-polling clients), ours-sio, node-sio, netty-sio
#   BENCH_SKIP_BUILD=1 skips the install and class-path steps (build with the reactor instead: see README.md)
#   BENCH_MAVEN_REPO=/path installs into and resolves from that local repository instead of ~/.m2 (-Dmaven.repo.local),
#                and BENCH_MAVEN_OFFLINE=1 adds -o
#   --soak       also the security soak: 2,000 clients behind one address, 5 msgs/s each for 60 s, under attack
#                (slow bodies, slowloris, path spellings); figures in realtime-jakarta/target/soak.txt
#   --chaos      also the chaos run: 3 nodes, 1,000 clients, 200 events/s for 2 min under kill -9 and Redis faults;
#                figures in examples/target/chaos.txt
# Results: stdout table, benchmarks/target/results.json, benchmarks/target/results.md
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
# 10,000 connections need ~10,000 descriptors in the harness and in the server: raise the soft limit to the hard one
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt 12000 ]; then
  echo "warning: ulimit -n is $(ulimit -n); the 10,000-connection scenarios need about 12,000" >&2
fi
export BENCH_ULIMIT_N="$(ulimit -n)"
mvnopts=(-B -q)
if [ -n "${BENCH_MAVEN_REPO:-}" ]; then
  mvnopts+=("-Dmaven.repo.local=$BENCH_MAVEN_REPO")
fi
if [ "${BENCH_MAVEN_OFFLINE:-}" = 1 ]; then
  mvnopts+=(-o)
fi
if [ "${BENCH_SKIP_BUILD:-}" != 1 ]; then
  (cd "$root" && mvn "${mvnopts[@]}" install -DskipTests)
  (cd "$here" && mvn "${mvnopts[@]}" dependency:build-classpath -Dmdep.outputFile=target/classpath.txt)
fi
(cd "$here/node" && npm ci --no-audit --no-fund --loglevel=error)
args=()
for a in "$@"; do
  if [ "$a" = --soak ]; then
    (cd "$root" && mvn "${mvnopts[@]}" -Dmeasure -pl realtime-jakarta verify -Dtest=HostileSoakMeasurement \
      -Dsurefire.failIfNoSpecifiedTests=false)
    cat "$root/realtime-jakarta/target/soak.txt"
  elif [ "$a" = --chaos ]; then
    (cd "$root" && mvn "${mvnopts[@]}" -Dmeasure -pl examples verify -Dtest=ChaosMeasurement \
      -Dsurefire.failIfNoSpecifiedTests=false)
    cat "$root/examples/target/chaos.txt"
  else
    args+=("$a")
  fi
done
set -- "${args[@]+"${args[@]}"}"
exec java -Xms1g -Xmx3g -Dbench.dir="$here" -cp "$here/target/classes:$(cat "$here/target/classpath.txt")" \
  dev.realtime.bench.Bench "$@"
