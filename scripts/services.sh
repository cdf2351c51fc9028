#!/usr/bin/env bash
# Starts and stops the storage servers the tests run against, on loopback only:
#   scripts/services.sh start   -> Azurite on 127.0.0.1:10000-10002, PostgreSQL on 127.0.0.1:55432
#   scripts/services.sh stop
# State lives under $RTC_RUN_DIR (default .run/), wiped on start. Prints the env vars to export.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
run="${RTC_RUN_DIR:-$root/.run}"
pg_port="${RTC_PG_PORT:-55432}"
pg_bin=$(dirname "$(ls /usr/lib/postgresql/*/bin/postgres | sort -V | tail -n1)")
# PostgreSQL refuses to run as root: its data directory belongs to the postgres user.
pg_data=/tmp/rtc-postgres-$pg_port

as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

wait_port() { # host port name
  for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null && return 0
    sleep 0.2
  done
  echo "services: $3 did not open $1:$2" >&2
  return 1
}

start() {
  stop >/dev/null 2>&1 || true
  rm -rf "$run"; mkdir -p "$run/azurite"
  "$root/.tools/azurite/node_modules/.bin/azurite" --disableTelemetry --silent --skipApiVersionCheck \
    --location "$run/azurite" --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 \
    >"$run/azurite.log" 2>&1 &
  echo $! >"$run/azurite.pid"

  rm -rf "$pg_data"; mkdir -p "$pg_data"
  [ "$(id -u)" -eq 0 ] && chown postgres "$pg_data"
  as_postgres "$pg_bin/initdb" -D "$pg_data" -U postgres --auth=trust >"$run/postgres-init.log" 2>&1
  as_postgres "$pg_bin/pg_ctl" -D "$pg_data" -l "$pg_data/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $pg_data -c fsync=off" start >/dev/null
  as_postgres "$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -q \
    -c "CREATE ROLE rtc LOGIN PASSWORD 'rtc';" -c "CREATE DATABASE rtc OWNER rtc;" >/dev/null

  wait_port 127.0.0.1 10002 Azurite
  wait_port 127.0.0.1 "$pg_port" PostgreSQL
  echo "export RTC_TEST_AZURITE='UseDevelopmentStorage=true'"
  echo "export RTC_TEST_POSTGRES='Host=127.0.0.1;Port=$pg_port;Username=rtc;Password=rtc;Database=rtc'"
}

stop() {
  if [ -f "$run/azurite.pid" ]; then kill "$(cat "$run/azurite.pid")" 2>/dev/null || true; rm -f "$run/azurite.pid"; fi
  if [ -d "$pg_data" ]; then as_postgres "$pg_bin/pg_ctl" -D "$pg_data" -m fast stop >/dev/null 2>&1 || true; fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
