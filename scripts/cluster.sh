#!/usr/bin/env bash
# A local multi-region cluster: three silos (regions eu, us, ap; fewer with RTC_CLUSTER_REGIONS) and two standalone gateways, all on
# 127.0.0.1, on Azure Storage (our own Azurite unless a connection string is given) or PostgreSQL.
#
#   scripts/cluster.sh up              build if needed, start everything, wait until it is ready
#   scripts/cluster.sh status          processes, then nodes with region, load and membership state
#   scripts/cluster.sh down            SIGTERM everything, wait, SIGKILL what is left
#   scripts/cluster.sh kill REGION     SIGKILL one silo (eu|us|ap), as a crash would; `kill gateway-1|gateway-2` a gateway
#   scripts/cluster.sh start REGION    start that silo again (same ports and cluster) and wait for it; `start gateway-N` too
#
# Environment (all optional):
#   RTC_CLUSTER_DIR                run directory: pids, logs, env, token (default .cluster/)
#   RTC_CLUSTER_REGIONS            the silos `up` starts, a subset of "eu us ap" (default all three; "eu" = one
#                                  silo); ports stay per region. `start REGION` may add one not started by `up`
#   RTC_CLUSTER_PROVIDER           AzureStorage (default) or PostgreSql
#   RTC_CLUSTER_CONNECTION_STRING  storage account / PostgreSQL connection string; without it (AzureStorage)
#                                  the script runs its own Azurite on 127.0.0.1:10100-10102, data kept in the run dir
#   RTC_CLUSTER_ID                 Orleans ClusterId (default: a fresh one per `up`; reusing one waits for stale rows)
#   RTC_CLUSTER_SERVICE_ID         Orleans ServiceId (default rtc; keeps grain state across runs)
#   RTC_CLUSTER_PORT_OFFSET        added to every port below (default 0), to run two clusters side by side
#   RTC_CLUSTER_WAIT               seconds `up`/`start` wait for readiness (default 60)
#   Auth__ApiKey, Auth__ApiSecret  the API key pair (default: a fresh random pair per `up`, kept in the run dir)
#   Relay__ClusterKey              base64 key (32 bytes) from which the silos' relay link keys are derived
#                                  (default: a fresh random one per `up`, kept in the run dir)
#   Cluster__CertificatePath, Cluster__CertificatePassword
#                                  the cluster certificate (PKCS#12) for TLS between silos and gateways (default: a
#                                  fresh self-signed one per `up`, made with openssl, kept in the run dir)
#
# Ports (offset 0):  process    HTTP  silo   orleans-gw  media/udp  relay
#                    silo eu    8091  11111  30000       7882       7883
#                    silo us    8092  11112  30001       7892       7893
#                    silo ap    8093  11113  30002       7902       7903
#                    gateway 1  8081
#                    gateway 2  8082
# Client networks (NodeSelection:Regions): 10.1.0.0/16 eu, 10.2.0.0/16 us, 10.3.0.0/16 ap; trusted proxy 127.0.0.1.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
run="${RTC_CLUSTER_DIR:-$root/.cluster}"
mkdir -p "$run"
run=$(cd "$run" && pwd)
silo_dll="$root/Silo/bin/Release/net10.0/Silo.dll"
gateway_dll="$root/Gateway/bin/Release/net10.0/Gateway.dll"
all_regions=(eu us ap)
# The regions `up` starts and `status` lists; ports and client networks stay those of all_regions.
read -r -a regions <<<"${RTC_CLUSTER_REGIONS:-eu us ap}"
azurite_key='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='

log() { echo "cluster: $*" >&2; }
die() { log "$*"; exit 1; }

region_index() { # eu -> 0
  local i
  for i in "${!all_regions[@]}"; do [ "${all_regions[$i]}" = "$1" ] && { echo "$i"; return 0; }; done
  die "unknown region '$1' (eu, us or ap)"
}

# Ports of silo number $1 (0..2) and of gateway number $1 (1..2), offset applied.
o() { echo $(($1 + ${RTC_CLUSTER_PORT_OFFSET:-0})); }
silo_http() { o $((8091 + $1)); }
silo_port() { o $((11111 + $1)); }
silo_gw_port() { o $((30000 + $1)); }
media_port() { o $((7882 + 10 * $1)); }
relay_port() { o $((7883 + 10 * $1)); }
gateway_http() { o $((8080 + $1)); }
azurite_port() { o $((10100 + $1)); }

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

http_ok() { curl -fsS -o /dev/null --max-time 3 "$1" 2>/dev/null; }

wait_port() { # host port name seconds
  local deadline=$((SECONDS + $4))
  until (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; do
    [ "$SECONDS" -lt "$deadline" ] || die "$3 did not open $1:$2"
    sleep 0.2
  done
}

build_if_missing() {
  if [ ! -f "$silo_dll" ] || [ ! -f "$gateway_dll" ]; then
    log "building Silo and Gateway (Release)"
    dotnet build "$root/Silo" -c Release -nologo -clp:ErrorsOnly >&2
    dotnet build "$root/Gateway" -c Release -nologo -clp:ErrorsOnly >&2
  fi
}

# Everything the processes share goes to $run/cluster.env, so that `start REGION` can restart one later.
write_env() {
  local provider="${RTC_CLUSTER_PROVIDER:-AzureStorage}" connection="${RTC_CLUSTER_CONNECTION_STRING:-}"
  local key="${Auth__ApiKey:-}" secret="${Auth__ApiSecret:-}"
  if [ -z "$connection" ]; then
    [ "$provider" = AzureStorage ] || die "RTC_CLUSTER_PROVIDER=$provider needs RTC_CLUSTER_CONNECTION_STRING"
    connection="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$azurite_key;BlobEndpoint=http://127.0.0.1:$(azurite_port 0)/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$(azurite_port 1)/devstoreaccount1;TableEndpoint=http://127.0.0.1:$(azurite_port 2)/devstoreaccount1;"
    echo 1 >"$run/own-azurite"
  else
    rm -f "$run/own-azurite"
  fi
  [ -n "$key" ] || key="local-$(head -c 6 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  [ -n "$secret" ] || secret=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
  local relay_key="${Relay__ClusterKey:-}"
  [ -n "$relay_key" ] || relay_key=$(head -c 32 /dev/urandom | base64 -w0)
  local certificate="${Cluster__CertificatePath:-}" certificate_password="${Cluster__CertificatePassword:-}"
  if [ -z "$certificate" ]; then
    certificate="$run/cluster.pfx"
    certificate_password=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
    make_certificate "$certificate" "$certificate_password"
  fi
  local cluster_id="${RTC_CLUSTER_ID:-rtc-$(date -u +%Y%m%d%H%M%S)-$(head -c 3 /dev/urandom | od -An -tx1 | tr -d ' \n')}"
  umask 077
  {
    printf 'export Cluster__Provider=%q\n' "$provider"
    printf 'export Cluster__ConnectionString=%q\n' "$connection"
    printf 'export Cluster__ClusterId=%q\n' "$cluster_id"
    printf 'export Cluster__ServiceId=%q\n' "${RTC_CLUSTER_SERVICE_ID:-rtc}"
    printf 'export Auth__ApiKey=%q\n' "$key"
    printf 'export Auth__ApiSecret=%q\n' "$secret"
    printf 'export Relay__ClusterKey=%q\n' "$relay_key"
    printf 'export Cluster__CertificatePath=%q\n' "$certificate"
    printf 'export Cluster__CertificatePassword=%q\n' "$certificate_password"
    printf 'export RTC_CLUSTER_PORT_OFFSET=%q\n' "${RTC_CLUSTER_PORT_OFFSET:-0}"
    printf 'export RTC_CLUSTER_REGIONS=%q\n' "${regions[*]}"
    # Node selection, the same for the in-silo and the standalone gateways.
    echo 'export NodeSelection__TrustedProxies__0=127.0.0.1'
    echo 'export NodeSelection__Regions__eu__0=10.1.0.0/16'
    echo 'export NodeSelection__Regions__us__0=10.2.0.0/16'
    echo 'export NodeSelection__Regions__ap__0=10.3.0.0/16'
    echo 'export NodeSelection__Nearest__eu__0=us,ap'
    echo 'export NodeSelection__Nearest__us__0=eu,ap'
    echo 'export NodeSelection__Nearest__ap__0=us,eu'
  } >"$run/cluster.env"
  umask 022
}

# A self-signed P-256 certificate that every process of this cluster holds: Orleans' TLS requires it of each peer.
make_certificate() { # pfx-path password
  local dir
  command -v openssl >/dev/null || die "openssl is needed for the cluster certificate (apt-get install openssl)"
  dir=$(mktemp -d)
  (
    umask 077
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 -subj "/CN=rtc-cluster" \
      -keyout "$dir/key.pem" -out "$dir/cert.pem" 2>/dev/null &&
    openssl pkcs12 -export -inkey "$dir/key.pem" -in "$dir/cert.pem" -out "$1" -passout "pass:$2"
  ) || { rm -rf "$dir"; die "openssl could not make the cluster certificate"; }
  rm -rf "$dir"
}

start_azurite() {
  [ -f "$run/own-azurite" ] || return 0
  alive "$run/azurite.pid" && return 0
  local bin="$root/.tools/azurite/node_modules/.bin/azurite"
  [ -x "$bin" ] || "$root/scripts/install-deps.sh" >&2
  mkdir -p "$run/azurite"
  "$bin" --disableTelemetry --silent --skipApiVersionCheck --location "$run/azurite" \
    --blobHost 127.0.0.1 --blobPort "$(azurite_port 0)" --queueHost 127.0.0.1 --queuePort "$(azurite_port 1)" \
    --tableHost 127.0.0.1 --tablePort "$(azurite_port 2)" </dev/null >"$run/azurite.log" 2>&1 &
  echo $! >"$run/azurite.pid"
  wait_port 127.0.0.1 "$(azurite_port 2)" Azurite 30
}

start_silo() { # region
  local region=$1 i
  i=$(region_index "$region")
  alive "$run/silo-$region.pid" && die "silo $region already runs (pid $(cat "$run/silo-$region.pid"))"
  # shellcheck disable=SC1091
  (
    source "$run/cluster.env"
    cd "$run"
    exec dotnet "$silo_dll" \
      --Silo:Region "$region" --Silo:SiloPort "$(silo_port "$i")" --Silo:GatewayPort "$(silo_gw_port "$i")" \
      --Silo:AdvertisedAddress 127.0.0.1 --Gateway:Url "http://127.0.0.1:$(silo_http "$i")" \
      --MediaPort:BindAddress 127.0.0.1 --MediaPort:Port "$(media_port "$i")" \
      --RelayPort:BindAddress 127.0.0.1 --RelayPort:Port "$(relay_port "$i")"
  ) </dev/null >>"$run/silo-$region.log" 2>&1 &
  echo $! >"$run/silo-$region.pid"
}

start_gateway() { # number 1|2
  local n=$1
  (
    source "$run/cluster.env"
    cd "$run"
    exec dotnet "$gateway_dll" --contentRoot "$(dirname "$gateway_dll")" --Gateway:Urls "http://127.0.0.1:$(gateway_http "$n")"
  ) </dev/null >>"$run/gateway-$n.log" 2>&1 &
  echo $! >"$run/gateway-$n.pid"
}

# An admin token from the silo CLI with this run's key pair, cached for 11 h (it lives 12 h).
admin_token() {
  local file="$run/admin.token"
  if [ -z "$(find "$file" -mmin -660 2>/dev/null)" ]; then
    (umask 077; source "$run/cluster.env"; dotnet "$silo_dll" token --room '*' --identity cluster-admin --admin --ttl 12h >"$file")
  fi
  cat "$file"
}

nodes_json() {
  curl -fsS --max-time 10 -H "Authorization: Bearer $(admin_token)" "http://127.0.0.1:$(gateway_http 1)/v1/nodes"
}

live_regions() { # prints the regions that have a live node, one per line
  nodes_json 2>/dev/null | jq -r '.nodes[] | select(.live) | .region // empty' 2>/dev/null | sort -u
}

wait_http() { # url name: until it answers 2xx, the process exits, or the wait runs out
  local deadline=$((SECONDS + ${RTC_CLUSTER_WAIT:-60}))
  until http_ok "$1"; do
    alive "$run/$2.pid" || { log "$2 exited; see $run/$2.log"; return 1; }
    [ "$SECONDS" -lt "$deadline" ] || { log "$2 not ready after ${RTC_CLUSTER_WAIT:-60} s"; return 1; }
    sleep 0.5
  done
}

wait_ready() { # regions that must be live...
  local deadline=$((SECONDS + ${RTC_CLUSTER_WAIT:-60})) missing r n p live
  while :; do
    missing=()
    for n in 1 2; do http_ok "http://127.0.0.1:$(gateway_http "$n")/readyz" || missing+=("gateway-$n"); done
    for r in "${all_regions[@]}"; do
      alive "$run/silo-$r.pid" || continue
      http_ok "http://127.0.0.1:$(silo_http "$(region_index "$r")")/readyz" || missing+=("silo-$r")
    done
    if [ ${#missing[@]} -eq 0 ]; then
      live=$(live_regions || true)
      for r in "$@"; do grep -qx "$r" <<<"$live" || missing+=("node-$r"); done
      [ ${#missing[@]} -eq 0 ] && return 0
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      log "not ready after ${RTC_CLUSTER_WAIT:-60} s: ${missing[*]} (logs in $run)"
      return 1
    fi
    for p in "$run"/silo-*.pid "$run"/gateway-*.pid; do
      if [ -f "$p" ] && ! alive "$p"; then
        log "$(basename "$p" .pid) exited; see $run/$(basename "$p" .pid).log"
        return 1
      fi
    done
    sleep 0.5
  done
}

up() {
  for p in "$run"/*.pid; do
    [ -f "$p" ] && alive "$p" && die "already up ($(basename "$p" .pid) runs); run '$0 down' first"
  done
  command -v jq >/dev/null || die "jq is needed (apt-get install jq)"
  [ ${#regions[@]} -gt 0 ] || die "RTC_CLUSTER_REGIONS is empty"
  for r in "${regions[@]}"; do region_index "$r" >/dev/null; done
  build_if_missing
  rm -f "$run"/*.pid "$run"/*.log "$run/admin.token"
  write_env
  start_azurite
  if [ "${RTC_CLUSTER_PROVIDER:-AzureStorage}" = PostgreSql ]; then
    # Orleans' ADO.NET clustering races when several silos create a new cluster's version row at once
    # ("Sequence contains no elements" in InsertMembershipVersionRowAsync): let the first one create it.
    start_silo "${regions[0]}"
    wait_http "http://127.0.0.1:$(silo_http "$(region_index "${regions[0]}")")/readyz" "silo-${regions[0]}" || { down; exit 1; }
    for r in "${regions[@]:1}"; do start_silo "$r"; done
  else
    for r in "${regions[@]}"; do start_silo "$r"; done
  fi
  for n in 1 2; do start_gateway "$n"; done
  if ! wait_ready "${regions[@]}"; then
    down
    exit 1
  fi
  source "$run/cluster.env"
  log "up: cluster $Cluster__ClusterId, gateways http://127.0.0.1:$(gateway_http 1) http://127.0.0.1:$(gateway_http 2); '$0 status' shows the nodes"
}

stop_pid() { # pidfile
  local f=$1 pid i
  [ -f "$f" ] || return 0
  pid=$(cat "$f")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      log "$(basename "$f" .pid) did not stop in 10 s; SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$f"
}

down() {
  local f stoppers=()
  # Gateways first (no new sessions), then silos in parallel, then the storage. Wait for the stoppers
  # only: after a failed `up` the processes themselves are children of this shell too.
  for f in "$run"/gateway-*.pid; do stop_pid "$f" & stoppers+=($!); done
  [ ${#stoppers[@]} -eq 0 ] || wait "${stoppers[@]}"
  stoppers=()
  for f in "$run"/silo-*.pid; do stop_pid "$f" & stoppers+=($!); done
  [ ${#stoppers[@]} -eq 0 ] || wait "${stoppers[@]}"
  stop_pid "$run/azurite.pid"
  log "down"
}

status() {
  [ -f "$run/cluster.env" ] || die "no cluster in $run; run '$0 up'"
  source "$run/cluster.env"
  read -r -a regions <<<"${RTC_CLUSTER_REGIONS:-eu us ap}"
  echo "cluster $Cluster__ClusterId ($Cluster__Provider), run dir $run"
  printf '%-10s %-8s %-7s %s\n' PROCESS PID STATE URL
  local r n state
  for r in "${all_regions[@]}"; do
    # A region `up` did not start is listed only once `start REGION` ran it.
    [[ " ${regions[*]} " == *" $r "* ]] || [ -f "$run/silo-$r.pid" ] || continue
    state=down; alive "$run/silo-$r.pid" && state=up
    printf '%-10s %-8s %-7s %s\n' "silo-$r" "$(cat "$run/silo-$r.pid" 2>/dev/null || echo -)" "$state" "http://127.0.0.1:$(silo_http "$(region_index "$r")")"
  done
  for n in 1 2; do
    state=down; alive "$run/gateway-$n.pid" && state=up
    http_ok "http://127.0.0.1:$(gateway_http "$n")/readyz" && state=ready
    printf '%-10s %-8s %-7s %s\n' "gateway-$n" "$(cat "$run/gateway-$n.pid" 2>/dev/null || echo -)" "$state" "http://127.0.0.1:$(gateway_http "$n")"
  done
  echo
  local json
  json=$(nodes_json) || die "GET /v1/nodes failed on gateway 1"
  printf '%-7s %-13s %-5s %-9s %-7s %-8s %-22s %s\n' REGION MEMBERSHIP LIVE SESSIONS CPU PKT/S MEDIA NODE
  jq -r '.nodes[] | [(.region // "-"), (.membership // "?"), (if .live then "yes" else "no" end), (.sessions // "-"),
      (if .cpuUsage then ((.cpuUsage * 1000 | round) / 10 | tostring) + "%" else "-" end), (.packetsPerSecond // "-"),
      (if .mediaAddress then "\(.mediaAddress):\(.mediaPort)" else "-" end), .nodeId] | @tsv' <<<"$json" |
    while IFS=$'\t' read -r region member live sessions cpu pps media node; do
      printf '%-7s %-13s %-5s %-9s %-7s %-8s %-22s %s\n' "$region" "$member" "$live" "$sessions" "$cpu" "$pps" "$media" "$node"
    done
}

kill_silo() { # region
  local f="$run/silo-$1.pid"
  region_index "$1" >/dev/null
  alive "$f" || die "silo $1 is not running"
  kill -KILL "$(cat "$f")"
  rm -f "$f"
  log "silo $1 killed (SIGKILL)"
}

restart_silo() { # region
  [ -f "$run/cluster.env" ] || die "no cluster in $run; run '$0 up'"
  start_silo "$1"
  wait_ready "$1" || exit 1
  log "silo $1 is back"
}

kill_gateway() { # 1|2
  local f="$run/gateway-$1.pid"
  alive "$f" || die "gateway $1 is not running"
  kill -KILL "$(cat "$f")"
  rm -f "$f"
  log "gateway $1 killed (SIGKILL)"
}

restart_gateway() { # 1|2
  [ -f "$run/cluster.env" ] || die "no cluster in $run; run '$0 up'"
  alive "$run/gateway-$1.pid" && die "gateway $1 already runs"
  start_gateway "$1"
  wait_http "http://127.0.0.1:$(gateway_http "$1")/readyz" "gateway-$1" || exit 1
  log "gateway $1 is back"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  kill) [ $# -eq 2 ] || die "usage: $0 kill eu|us|ap|gateway-1|gateway-2"
    case "$2" in gateway-[12]) kill_gateway "${2#gateway-}" ;; *) kill_silo "$2" ;; esac ;;
  start) [ $# -eq 2 ] || die "usage: $0 start eu|us|ap|gateway-1|gateway-2"
    case "$2" in gateway-[12]) restart_gateway "${2#gateway-}" ;; *) restart_silo "$2" ;; esac ;;
  *) echo "usage: $0 up|status|down|kill REGION|start REGION" >&2; exit 2 ;;
esac
