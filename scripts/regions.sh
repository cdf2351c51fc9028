#!/usr/bin/env bash
# Emulated regions on one machine (README "Emulated regions"). Builds N network namespaces joined by veth
# pairs to a bridge on the host, and runs our user-space link emulator (tests/LinkEmulator; this kernel has
# no tc netem) that carries region-to-region UDP with per-direction delay, jitter, loss and rate.
#
#   scripts/regions.sh up                      namespaces, bridge, addresses, emulator
#   scripts/regions.sh down                    removes all of it (idempotent)
#   scripts/regions.sh status                  what exists, link settings, emulator counters
#   scripts/regions.sh link A B [delay 80ms] [jitter 5ms] [loss 5%] [rate 1mbit] [both]
#                                              sets link A->B (and B->A with "both") while running;
#                                              unnamed impairments become 0; "link A B" alone clears it
#   scripts/regions.sh endpoint A B            the IP:PORT region A sends to to reach region B
#   scripts/regions.sh exec A CMD...           runs CMD inside region A's namespace
#
# Regions are 1..N (also accepted: r1, <prefix>-r1). Region i lives in namespace <prefix>-r<i> at
# <subnet>.<10+i>; the host's bridge is <subnet>.1, where the emulator listens on one port per directed
# link: region A reaches region B at <subnet>.1:<base port + 10*A + B>, and B sees A's traffic come from
# <subnet>.1:<base port + 10*B + A>, which is also where B sends to reach A. The emulator delivers to
# the port the peer last sent from on its own link, else to the target port.
#
# Settings (environment), so parallel runs can use their own names and subnet:
#   RTC_REGIONS_PREFIX      name prefix of namespaces and interfaces (default rtc; at most 8 characters)
#   RTC_REGIONS_SUBNET      first three octets of the /24 (default 10.77.0)
#   RTC_REGIONS_COUNT       number of regions, 2-9 (default 4)
#   RTC_REGIONS_BASE_PORT   emulator port base (default 47000)
#   RTC_REGIONS_TARGET_PORT port in each region datagrams go to before a peer has sent (default 7400)
#   RTC_REGIONS_STATE       state directory (default /run/rtc-regions/<prefix>)
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
prefix="${RTC_REGIONS_PREFIX:-rtc}"
subnet="${RTC_REGIONS_SUBNET:-10.77.0}"
count="${RTC_REGIONS_COUNT:-4}"
base_port="${RTC_REGIONS_BASE_PORT:-47000}"
target_port="${RTC_REGIONS_TARGET_PORT:-7400}"
state="${RTC_REGIONS_STATE:-/run/rtc-regions/$prefix}"
emulator_dll="$repo/tests/LinkEmulator/bin/Release/net10.0/LinkEmulator.dll"
bridge="$prefix-br"

die() { echo "regions.sh: $*" >&2; exit 1; }

[ "${#prefix}" -le 8 ] || die "RTC_REGIONS_PREFIX must be at most 8 characters (interface names are limited to 15)"
[[ "$count" =~ ^[2-9]$ ]] || die "RTC_REGIONS_COUNT must be 2-9"

namespace() { echo "$prefix-r$1"; }
address() { echo "$subnet.$((10 + $1))"; }
port_for() { echo $((base_port + 10 * $1 + $2)); }

region() {
  local r="${1#"$prefix"-}"
  r="${r#r}"
  [[ "$r" =~ ^[1-9]$ ]] && [ "$r" -le "$count" ] || die "unknown region '$1' (1-$count)"
  echo "$r"
}

emulator_pid() {
  local pid
  [ -f "$state/emulator.pid" ] || return 1
  pid=$(cat "$state/emulator.pid")
  # Only a process we started: its command line names the emulator and our state directory.
  [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q "LinkEmulator.dll serve --state $state " || return 1
  echo "$pid"
}

up() {
  [ -d "$state" ] && die "$state exists: regions '$prefix' are up (or a failed run left them; run down)"
  [ -f "$emulator_dll" ] || dotnet build "$repo/tests/LinkEmulator" -c Release -nologo -clp:ErrorsOnly >&2
  mkdir -p "$state"
  set -E
  trap 'echo "regions.sh: up failed; removing what it made" >&2; down > /dev/null' ERR
  ip link add "$bridge" type bridge
  ip addr add "$subnet.1/24" dev "$bridge"
  ip link set "$bridge" up
  local regions="" i ns
  for i in $(seq 1 "$count"); do
    ns=$(namespace "$i")
    ip netns add "$ns"
    ip link add "$ns-h" type veth peer name "$ns-n"
    ip link set "$ns-h" master "$bridge" up
    ip link set "$ns-n" netns "$ns"
    ip -n "$ns" link set "$ns-n" name eth0
    ip -n "$ns" addr add "$(address "$i")/24" dev eth0
    ip -n "$ns" link set lo up
    ip -n "$ns" link set eth0 up
    ip -n "$ns" route add default via "$subnet.1"
    regions="$regions${regions:+,}$i=$(address "$i")"
  done
  nohup dotnet "$emulator_dll" serve --state "$state" --listen "$subnet.1" --base-port "$base_port" \
    --regions "$regions" --target-port "$target_port" > "$state/emulator.log" 2>&1 &
  echo $! > "$state/emulator.pid"
  for _ in $(seq 1 100); do
    [ -f "$state/applied" ] && { echo "regions '$prefix' up: $count regions on $subnet.0/24, emulator pid $(cat "$state/emulator.pid")"; return 0; }
    kill -0 "$(cat "$state/emulator.pid")" 2>/dev/null || break
    sleep 0.1
  done
  cat "$state/emulator.log" >&2 || true
  die "the link emulator did not start (log above); run down to clean up"
}

down() {
  local pid i
  if pid=$(emulator_pid); then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  for i in $(seq 1 "$count"); do
    # Processes still running inside our namespaces (silos, probes started with "exec") go with them.
    for pid in $(ip netns pids "$(namespace "$i")" 2>/dev/null); do kill -9 "$pid" 2>/dev/null || true; done
    ip netns del "$(namespace "$i")" 2>/dev/null || true
    ip link del "$(namespace "$i")-h" 2>/dev/null || true
  done
  ip link del "$bridge" 2>/dev/null || true
  rm -rf "$state"
  echo "regions '$prefix' down"
}

status() {
  local i ns pid
  echo "bridge $bridge: $(ip -br addr show dev "$bridge" 2>/dev/null || echo absent)"
  for i in $(seq 1 "$count"); do
    ns=$(namespace "$i")
    if ip netns list | grep -qw "$ns"; then
      echo "region $i: namespace $ns, $(ip -n "$ns" -br -4 addr show dev eth0 2>/dev/null | awk '{print $3}')"
    else
      echo "region $i: namespace $ns absent"
    fi
  done
  if pid=$(emulator_pid); then echo "emulator: pid $pid, generation $(cat "$state/applied" 2>/dev/null)"; else echo "emulator: not running"; fi
  [ -f "$state/links.conf" ] && { echo "links.conf:"; sed 's/^/  /' "$state/links.conf"; }
  [ -f "$state/stats" ] && { echo "counters:"; sed 's/^/  /' "$state/stats"; }
  return 0
}

# "80ms" / "1.5s" -> milliseconds; "5%" -> percent; "1mbit" / "300kbit" -> kbit/s
to_ms() {
  case "$1" in
    *ms) echo "${1%ms}" ;;
    *s) awk -v v="${1%s}" 'BEGIN { print v * 1000 }' ;;
    *) die "a time needs a unit (ms or s): '$1'" ;;
  esac
}
to_kbit() {
  case "$1" in
    *gbit) awk -v v="${1%gbit}" 'BEGIN { print v * 1000000 }' ;;
    *mbit) awk -v v="${1%mbit}" 'BEGIN { print v * 1000 }' ;;
    *kbit) echo "${1%kbit}" ;;
    *) die "a rate needs a unit (kbit, mbit or gbit): '$1'" ;;
  esac
}

link() {
  [ $# -ge 2 ] || die "usage: link A B [delay 80ms] [jitter 5ms] [loss 5%] [rate 1mbit] [both]"
  local a b delay=0 jitter=0 loss=0 rate=0 both=0 number='^[0-9]+([.][0-9]+)?$'
  a=$(region "$1"); b=$(region "$2"); shift 2
  [ "$a" != "$b" ] || die "a link joins two different regions"
  while [ $# -gt 0 ]; do
    case "$1" in
      delay) delay=$(to_ms "${2:?}"); shift 2 ;;
      jitter) jitter=$(to_ms "${2:?}"); shift 2 ;;
      loss) loss="${2:?}"; loss="${loss%\%}"; shift 2 ;;
      rate) rate=$(to_kbit "${2:?}"); shift 2 ;;
      both) both=1; shift ;;
      *) die "unknown link setting '$1'" ;;
    esac
  done
  for v in "$delay" "$jitter" "$loss" "$rate"; do [[ "$v" =~ $number ]] || die "not a number: '$v'"; done
  awk -v v="$loss" 'BEGIN { exit !(v <= 100) }' || die "loss is at most 100%"
  emulator_pid > /dev/null || die "regions '$prefix' are not up"

  local conf="$state/links.conf" generation
  generation=$(( $(sed -n 's/^generation //p' "$conf" 2>/dev/null || echo 0) + 1 ))
  {
    echo "# from to delay_ms jitter_ms loss_pct rate_kbit (written by regions.sh link)"
    echo "generation $generation"
    grep -E '^[0-9]' "$conf" 2>/dev/null | awk -v a="$a" -v b="$b" -v both="$both" \
      '!(($1 == a && $2 == b) || (both && $1 == b && $2 == a))' || true
    echo "$a $b $delay $jitter $loss $rate"
    [ "$both" = 1 ] && echo "$b $a $delay $jitter $loss $rate"
  } > "$conf.tmp"
  mv "$conf.tmp" "$conf"
  for _ in $(seq 1 100); do
    [ "$(cat "$state/applied" 2>/dev/null)" = "$generation" ] && {
      local which="$a->$b"
      [ "$both" = 1 ] && which="$which and $b->$a"
      echo "link $which: delay ${delay}ms jitter ${jitter}ms loss ${loss}% rate ${rate}kbit (0 = unlimited)"
      return 0; }
    sleep 0.05
  done
  die "the emulator did not apply generation $generation within 5 s (see $state/emulator.log)"
}

command="${1:-}"
[ $# -gt 0 ] && shift
case "$command" in
  up) up ;;
  down) down ;;
  status) status ;;
  link) link "$@" ;;
  endpoint)
    [ $# -eq 2 ] || die "usage: endpoint A B"
    echo "$subnet.1:$(port_for "$(region "$1")" "$(region "$2")")" ;;
  exec)
    [ $# -ge 2 ] || die "usage: exec A CMD..."
    ns=$(namespace "$(region "$1")"); shift
    exec ip netns exec "$ns" "$@" ;;
  *) sed -n '2,27p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
