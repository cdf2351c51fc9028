#!/usr/bin/env bash
# A fault-injection run (issue 20 item 9): a three-silo cluster with two standalone gateways (scripts/cluster.sh, its
# own Azurite) under steady load from our client (bench/Benchmarks `chaos`: publishers and subscribers in several
# rooms, reconnecting when asked or when their media stops), while this script SIGKILLs silos and gateways, SIGSTOPs
# Azurite for a few seconds and restarts them, at random, for N minutes. Then it puts everything back and the clients
# check: every client has media again, no session is left on a node or in a grain once they leave, and every room's
# log is complete and agrees with what they did. Prints the counts; exits 1 if anything was lost.
#
#   scripts/chaos.sh [MINUTES]       default 5
#
# Environment (optional): RTC_CHAOS_ROOMS (3), RTC_CHAOS_PUBLISHERS (1 per room), RTC_CHAOS_SUBSCRIBERS (2 per room),
# RTC_CHAOS_SEED (random), RTC_CLUSTER_PORT_OFFSET (500: ports apart from a default cluster), RTC_CHAOS_DIR (run dir,
# default a fresh temp dir, kept for its logs). Not part of ./test.sh: a 5-minute run plus start-up and checks is too long.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
minutes=${1:-5}
[[ "$minutes" =~ ^[0-9]+$ ]] && [ "$minutes" -ge 1 ] || { echo "usage: $0 [MINUTES]" >&2; exit 2; }
export RTC_CLUSTER_DIR="${RTC_CHAOS_DIR:-$(mktemp -d /tmp/rtc-chaos.XXXXXX)}"
export RTC_CLUSTER_PORT_OFFSET="${RTC_CLUSTER_PORT_OFFSET:-500}"
export RTC_CLUSTER_WAIT="${RTC_CLUSTER_WAIT:-180}"
# Orphans are reconciled every 10 s instead of every minute, so the end-of-run convergence check is quick.
export MediaNode__ReconcilePeriod=00:00:10
RANDOM=${RTC_CHAOS_SEED:-$$}
cluster="$root/scripts/cluster.sh"
run=$RTC_CLUSTER_DIR
bench_dll="$root/bench/Benchmarks/bin/Release/net10.0/Benchmarks.dll"
log() { echo "chaos: $(date -u +%H:%M:%S) $*" >&2; }

kills_silo=0 kills_gateway=0 pauses=0 restarts=0 restart_failures=0
driver_pid=""
cleanup() {
  [ -n "$driver_pid" ] && kill "$driver_pid" 2>/dev/null || true
  [ -f "$run/azurite.pid" ] && kill -CONT "$(cat "$run/azurite.pid")" 2>/dev/null || true
  "$cluster" down >/dev/null 2>&1 || true
}
trap cleanup EXIT

log "building Silo, Gateway and Benchmarks (Release)"
dotnet build "$root/Silo" -c Release -nologo -clp:ErrorsOnly >&2
dotnet build "$root/Gateway" -c Release -nologo -clp:ErrorsOnly >&2
dotnet build "$root/bench/Benchmarks" -c Release -nologo -clp:ErrorsOnly >&2
log "starting the cluster in $run (port offset $RTC_CLUSTER_PORT_OFFSET)"
"$cluster" up
# shellcheck disable=SC1091
source "$run/cluster.env"
o=$RTC_CLUSTER_PORT_OFFSET
gateways="http://127.0.0.1:$((8081 + o)),http://127.0.0.1:$((8082 + o))"

until_file="$run/faults-over"
rm -f "$until_file"
dotnet "$bench_dll" chaos --gateways "$gateways" --api-key "$Auth__ApiKey" --api-secret "$Auth__ApiSecret" \
  --until-file "$until_file" --rooms "${RTC_CHAOS_ROOMS:-3}" --publishers "${RTC_CHAOS_PUBLISHERS:-1}" \
  --subscribers "${RTC_CHAOS_SUBSCRIBERS:-2}" >"$run/driver.log" 2>&1 &
driver_pid=$!
sleep 20 # clients join before the first fault

pick() { local a=("$@"); echo "${a[$((RANDOM % ${#a[@]}))]}"; }
between() { echo $(($1 + RANDOM % ($2 - $1 + 1))); }

restart() { # what (region or gateway-N): start it again; a failed start is counted and retried once
  if "$cluster" start "$1" >>"$run/chaos-restarts.log" 2>&1; then
    restarts=$((restarts + 1))
  else
    restart_failures=$((restart_failures + 1))
    log "restart of $1 failed once; trying again"
    "$cluster" start "$1" >>"$run/chaos-restarts.log" 2>&1 && restarts=$((restarts + 1)) || log "restart of $1 failed again"
  fi
}

deadline=$((SECONDS + minutes * 60))
while [ "$SECONDS" -lt "$deadline" ]; do
  kill -0 "$driver_pid" 2>/dev/null || { log "the client driver exited early; see $run/driver.log"; break; }
  case $(pick silo silo gateway azurite) in
    silo)
      region=$(pick eu us ap)
      log "SIGKILL silo $region"
      "$cluster" kill "$region" >/dev/null 2>&1 && kills_silo=$((kills_silo + 1))
      sleep "$(between 5 15)"
      log "restart silo $region"
      restart "$region"
      ;;
    gateway)
      n=$(pick 1 2)
      log "SIGKILL gateway $n"
      "$cluster" kill "gateway-$n" >/dev/null 2>&1 && kills_gateway=$((kills_gateway + 1))
      sleep "$(between 3 10)"
      log "restart gateway $n"
      restart "gateway-$n"
      ;;
    azurite)
      seconds=$(between 3 6)
      log "SIGSTOP Azurite for $seconds s"
      kill -STOP "$(cat "$run/azurite.pid")" && pauses=$((pauses + 1))
      sleep "$seconds"
      kill -CONT "$(cat "$run/azurite.pid")"
      ;;
  esac
  sleep "$(between 5 15)"
done

# Everything back (a silo or gateway whose restart failed is started again), then the clients check.
for r in eu us ap; do [ -f "$run/silo-$r.pid" ] && kill -0 "$(cat "$run/silo-$r.pid")" 2>/dev/null || restart "$r"; done
for n in 1 2; do [ -f "$run/gateway-$n.pid" ] && kill -0 "$(cat "$run/gateway-$n.pid")" 2>/dev/null || restart "gateway-$n"; done
log "faults over: $kills_silo silo kills, $kills_gateway gateway kills, $pauses Azurite pauses, $restarts restarts ($restart_failures failed first tries)"
touch "$until_file"
status=0
wait "$driver_pid" || status=$?
driver_pid=""
cat "$run/driver.log"
echo "chaos: faults: silo kills $kills_silo, gateway kills $kills_gateway, Azurite pauses $pauses, restarts $restarts ($restart_failures failed first tries); logs in $run"
exit "$status"
