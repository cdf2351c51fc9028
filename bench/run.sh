#!/usr/bin/env bash
# The whole comparison in one command: ours vs Janus vs the kernel baseline, same load, same run.
#   bench/run.sh
# Knobs (environment): TARGETS="ours janus baseline" COUNTS="10 50 200" RUNS=3 SECONDS_PER_RUN=10 WARMUP_S=30 SEARCH_BUDGET_S=240 JOIN_PARALLEL=8 NICE=0
#   RX=spin|sleep (see below)
#   PIN=none|same|split: CPU placement of server and load generator (none: the scheduler's; same: both on CPU 0;
#   split: server on CPU 0, load generator on CPU 1). On this VM a wake-up of another CPU costs the waker tens of µs,
#   so at low packet rates the placement moves every server's CPU per packet several-fold (bench/NOTES.md).
# Writes bench/results/*.json, bench/README.md and bench/cpu.png. Needs root only to apt-get install
# janus / gnuplot when they are missing.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
counts="${COUNTS:-10 50 200}"
runs="${RUNS:-3}"
seconds="${SECONDS_PER_RUN:-10}"
# After the joins, before the window: a JIT-compiled server (ours) tiers up its hot and its 1 Hz timer paths here.
warmup="${WARMUP_S:-30}"
pin="${PIN:-none}"
case "$pin" in
    none) server_cpus="" load_cpus="" ;;
    same) server_cpus=0 load_cpus=0 ;;
    split) server_cpus=0 load_cpus=1 ;;
    *) echo "PIN must be none, same or split" >&2; exit 2 ;;
esac
# RX=spin: the load generator's receive thread polls (epoll_wait with no timeout) instead of sleeping, so a
# server's send never has to wake it: on one machine that wake-up is otherwise charged to the server's CPU,
# which over a network it never is (bench/NOTES.md). sleep: receive threads block in epoll_wait.
rx="${RX:-spin}"
case "$rx" in
    spin) rx_args=(--rx-spin --rx-threads 1) ;;
    sleep) rx_args=() ;;
    *) echo "RX must be spin or sleep" >&2; exit 2 ;;
esac
search_budget="${SEARCH_BUDGET_S:-240}"
join_parallel="${JOIN_PARALLEL:-8}"
out="$root/bench/results"
work="${BENCH_WORK:-/tmp/sfu-bench}"
export JANUS_DIR="$work/janus"
# Ports away from the defaults, so a silo or Janus someone else runs on this machine does not collide.
http_port=18080 media_port=17882 janus_port=18088 fanout_port=19999
export JANUS_HTTP_PORT=$janus_port

rm -rf "$out" && mkdir -p "$out" "$work"
echo "== build (Release)"
dotnet build Silo -c Release -v q -nologo | grep -E 'error|Warn' || true
dotnet build bench/Benchmarks -c Release -v q -nologo | grep -E 'error|Warn' || true
bench/janus/setup.sh install
gcc -O2 -Wall -o "$work/fanout" bench/baseline/fanout.c
command -v gnuplot >/dev/null || { [ "$(id -u)" = 0 ] && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends gnuplot-nox >/dev/null; } || true
# NICE=-5 runs the servers and the load generator ahead of whatever else this machine is doing (root only).
nice_level="${NICE:-0}"
loadgen=(nice -n "$nice_level" dotnet bench/Benchmarks/bin/Release/net10.0/Benchmarks.dll load)
[ -n "$load_cpus" ] && loadgen=(taskset -c "$load_cpus" "${loadgen[@]}")

server_pid=""
start_server() {
    case "$1" in
    ours)
        rm -rf "$work/silo-data"
        nice -n "$nice_level" dotnet Silo/bin/Release/net10.0/Silo.dll --Storage:DataDirectory="$work/silo-data" \
            --Gateway:Url="http://127.0.0.1:$http_port" --MediaPort:Port=$media_port --MediaPort:BindAddress=127.0.0.1 \
            --MediaPort:AdvertisedAddress=127.0.0.1 --Silo:SiloPort=21111 --Silo:GatewayPort=31000 \
            --Logging:LogLevel:Default=Warning --RateLimits:Enabled=false --Limits:SessionsPerParticipant=0 --Limits:SessionsPerRoom=0 --Limits:SessionsPerClientAddress=0 > "$work/silo.log" 2>&1 &
        server_pid=$!
        for _ in $(seq 1 300); do
            curl -s -o /dev/null "http://127.0.0.1:$http_port/" && return
            kill -0 $server_pid 2>/dev/null || { tail -20 "$work/silo.log" >&2; exit 1; }
            sleep 0.1
        done
        echo "silo did not come up" >&2; exit 1 ;;
    janus)
        bench/janus/setup.sh start >/dev/null
        server_pid=$(bench/janus/setup.sh pid) ;;
    baseline)
        nice -n "$nice_level" "$work/fanout" $fanout_port &
        server_pid=$!
        sleep 0.2 ;;
    esac
}
stop_server() {
    case "$1" in
    janus) bench/janus/setup.sh stop ;;
    *) kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true ;;
    esac
    server_pid=""
}
cleanup() { bench/janus/setup.sh stop 2>/dev/null || true; [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true; }
trap cleanup EXIT
url_of() {
    case "$1" in
    ours) echo "http://127.0.0.1:$http_port" ;;
    janus) echo "http://127.0.0.1:$janus_port/janus" ;;
    baseline) echo "udp://127.0.0.1:$fanout_port" ;;
    esac
}
one_run() { # target subscribers json
    start_server "$1"
    # Every thread the server has now; threads it starts later inherit the mask.
    [ -n "$server_cpus" ] && taskset -a -c -p "$server_cpus" "$server_pid" >/dev/null
    "${loadgen[@]}" --target "$1" --pid "$server_pid" --url "$(url_of "$1")" --subscribers "$2" --seconds "$seconds" \
        --warmup-seconds "$warmup" --join-parallel "$join_parallel" "${rx_args[@]}" --json "$3" | grep -E '^\| (ours|janus|baseline)|failed' || true
    stop_server "$1"
}

started=$(date +%s)
for n in $counts; do
    for r in $(seq 1 "$runs"); do
        for t in ${TARGETS:-ours janus baseline}; do
            echo "== $t, $n subscribers, run $r/$runs (load average $(cut -d' ' -f1 /proc/loadavg))"
            one_run $t "$n" "$out/$t-$n-$r.json"
        done
    done
done

# Capacity: from the largest fixed count, double per server while loss stays under 1%, within the budget.
last=$(echo "$counts" | tr ' ' '\n' | sort -n | tail -1)
for t in ${TARGETS:-ours janus baseline}; do
    n=$last
    search_start=$(date +%s)
    while [ $(( $(date +%s) - search_start )) -lt $(( search_budget / 3 )) ]; do
        loss=$(python3 -c "import json,glob,statistics as s; print(s.median([json.load(open(f))['LossPercent'] for f in glob.glob('$out/$t-$n-*.json') + glob.glob('$out/search-$t-$n.json')] or [100]))")
        python3 -c "import sys; sys.exit(0 if float('$loss') < 1 else 1)" || break
        n=$(( n * 2 ))
        echo "== search: $t, $n subscribers (load average $(cut -d' ' -f1 /proc/loadavg))"
        one_run $t "$n" "$out/search-$t-$n.json"
    done
done

machine="PIN=$pin, RX=$rx, warm-up $warmup s, $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GB RAM, $(uname -r), load average at the end $(cut -d' ' -f1-3 /proc/loadavg); total run $(( $(date +%s) - started )) s"
dotnet bench/Benchmarks/bin/Release/net10.0/Benchmarks.dll report --in "$out" --out bench/README.md --png bench/cpu.png \
    --machine "$machine" --notes bench/NOTES.md
