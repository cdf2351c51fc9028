#!/usr/bin/env bash
# Debian's Janus for the side-by-side benchmark, on loopback only.
#   bench/janus/setup.sh install   apt-get install janus if missing (needs root), build the shim, write the config
#   bench/janus/setup.sh start     start Janus in the background (pid in $JANUS_DIR/janus.pid), wait for its HTTP API
#   bench/janus/setup.sh stop      stop the Janus started by `start` (by its pid)
#   bench/janus/setup.sh pid       print that pid
# JANUS_DIR (default /tmp/janus-bench) holds the config, the shim, the log and the pid file.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dir="${JANUS_DIR:-/tmp/janus-bench}"
port="${JANUS_HTTP_PORT:-8088}"
libdir=/usr/lib/x86_64-linux-gnu/janus

install() {
    if ! command -v janus >/dev/null; then
        [ "$(id -u)" = 0 ] || { echo "janus is missing and installing it needs root" >&2; exit 1; }
        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends janus
        # Debian's package enables a system service with the stock config; we run our own instance.
        systemctl disable --now janus >/dev/null 2>&1 || true
    fi
    mkdir -p "$dir/conf"
    gcc -O2 -shared -fPIC -o "$dir/loopback_shim.so" "$here/loopback_shim.c" -ldl
    # Only the videoroom plugin and the HTTP transport; no event handlers or loggers.
    local plugins transports
    plugins=$(cd "$libdir/plugins" && ls *.so | grep -v '^libjanus_videoroom.so$' | paste -sd, -)
    transports=$(cd "$libdir/transports" && ls *.so | grep -v '^libjanus_http.so$' | paste -sd, -)
    cat > "$dir/conf/janus.jcfg" <<JCFG
general: {
    configs_folder = "$dir/conf"
    plugins_folder = "$libdir/plugins"
    transports_folder = "$libdir/transports"
    events_folder = "$libdir/events"
    loggers_folder = "$libdir/loggers"
    debug_level = 3
    session_timeout = 120
}
certificates: {
}
media: {
    rtp_port_range = "40000-60000"
    no_media_timer = 5
}
nat: {
    # With the shim, "lo" is an ordinary interface: gather only 127.0.0.1, no STUN/TURN, no IPv6.
    ice_enforce_list = "lo"
    ice_tcp = false
    full_trickle = false
}
plugins: {
    disable = "$plugins"
}
transports: {
    disable = "$transports"
}
loggers: {
    disable = "libjanus_jsonlog.so"
}
events: {
    broadcast = false
}
JCFG
    cat > "$dir/conf/janus.transport.http.jcfg" <<JCFG
general: {
    json = "plain"
    base_path = "/janus"
    http = true
    port = $port
    ip = "127.0.0.1"
    https = false
}
admin: {
    admin_http = false
    admin_https = false
}
cors: {
}
JCFG
    # Rooms are created per run through the API (the load generator's `create` request).
    cat > "$dir/conf/janus.plugin.videoroom.jcfg" <<JCFG
general: {
}
JCFG
    echo "janus config in $dir/conf, shim $dir/loopback_shim.so"
}

start() {
    [ -f "$dir/conf/janus.jcfg" ] || install
    if [ -f "$dir/janus.pid" ] && kill -0 "$(cat "$dir/janus.pid")" 2>/dev/null; then
        echo "janus already running, pid $(cat "$dir/janus.pid")"; return
    fi
    LD_PRELOAD="$dir/loopback_shim.so" nice -n "${NICE:-0}" janus -F "$dir/conf" -C "$dir/conf/janus.jcfg" > "$dir/janus.log" 2>&1 &
    echo $! > "$dir/janus.pid"
    for _ in $(seq 1 100); do
        if curl -sf "http://127.0.0.1:$port/janus/info" >/dev/null; then
            echo "janus up, pid $(cat "$dir/janus.pid"), http://127.0.0.1:$port/janus"; return
        fi
        kill -0 "$(cat "$dir/janus.pid")" 2>/dev/null || { echo "janus exited:" >&2; tail -20 "$dir/janus.log" >&2; exit 1; }
        sleep 0.1
    done
    echo "janus did not answer on :$port" >&2; exit 1
}

stop() {
    if [ -f "$dir/janus.pid" ]; then
        local pid; pid=$(cat "$dir/janus.pid")
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
        rm -f "$dir/janus.pid"
    fi
}

case "${1:-}" in
    install) install ;;
    start) start ;;
    stop) stop ;;
    pid) cat "$dir/janus.pid" ;;
    *) echo "usage: $0 install|start|stop|pid" >&2; exit 2 ;;
esac
