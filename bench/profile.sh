#!/usr/bin/env bash
# Where our silo spends its CPU per forwarded packet: perf samples of the silo (JIT symbols through
# DOTNET_PerfMapEnabled) while the load generator runs N subscribers. Run bench/run.sh once first (it builds).
#   bench/profile.sh [subscribers=50] [seconds=8]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
n="${1:-50}" seconds="${2:-8}" work=/tmp/sfu-bench
mkdir -p "$work" && rm -rf "$work/silo-data"
DOTNET_PerfMapEnabled=1 dotnet Silo/bin/Release/net10.0/Silo.dll --Storage:DataDirectory="$work/silo-data" \
    --Gateway:Url=http://127.0.0.1:18080 --MediaPort:Port=17882 --MediaPort:BindAddress=127.0.0.1 \
    --MediaPort:AdvertisedAddress=127.0.0.1 --Silo:SiloPort=21111 --Silo:GatewayPort=31000 \
    --Logging:LogLevel:Default=Warning > "$work/silo.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do curl -s -o /dev/null http://127.0.0.1:18080/ && break; sleep 0.1; done
dotnet bench/Benchmarks/bin/Release/net10.0/Benchmarks.dll load --target ours --url http://127.0.0.1:18080 --pid $pid \
    --subscribers "$n" --seconds "$seconds" --json "$work/profile.json" > "$work/profile-load.log" 2>&1 &
load=$!
# Joins take a while; sample the measured window only (it starts after the joins, ~1 s after "joined").
for _ in $(seq 1 600); do grep -q 'joined' "$work/profile-load.log" 2>/dev/null && break; sleep 0.2; done
sleep 1.5
perf record -F 999 -g -p $pid -o "$work/perf.data" -- sleep $(( seconds - 2 )) 2>/dev/null
wait $load
grep -E '^\| ours' "$work/profile-load.log"
perf report -i "$work/perf.data" --no-children --sort dso,sym --stdio 2>/dev/null | grep -E '^ +[0-9]' | head -40
