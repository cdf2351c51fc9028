#!/usr/bin/env bash
# Coverage-guided fuzzing of one SharpFuzz target with Debian's afl++, for a bounded time:
#   scripts/fuzz.sh TARGET SECONDS      e.g. scripts/fuzz.sh stun 300
#   scripts/fuzz.sh all SECONDS         every target in turn, SECONDS each
# Installs afl++ (apt-get, as root) and the SharpFuzz instrumenter (dotnet tool, into .tools/) when missing,
# builds the fuzz project into .fuzz/build (never the test build: instrumented assemblies stay out of it),
# instruments the assembly that holds the target's code, runs afl-fuzz from the target's corpus, and copies
# every crash and hang it finds into tests/MediaPlane.Fuzz/corpus/TARGET/ (test.sh replays that folder, so
# a crash becomes a regression case once fixed). Prints executions, paths found and crashes per target.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

target=${1:-}
seconds=${2:-}
if [ -z "$target" ] || ! [[ "$seconds" =~ ^[0-9]+$ ]]; then
  echo "usage: $0 TARGET|all SECONDS" >&2
  exit 2
fi

if ! command -v afl-fuzz >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then echo "fuzz: afl++ is missing; run as root or apt-get install afl++" >&2; exit 1; fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq afl++ >/dev/null
fi
sharpfuzz="$root/.tools/sharpfuzz/sharpfuzz"
if [ ! -x "$sharpfuzz" ]; then
  dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path "$root/.tools/sharpfuzz" >/dev/null
fi

work="$root/.fuzz"
build="$work/build"
rm -rf "$build"
dotnet build tests/MediaPlane.Fuzz -c Release -nologo -clp:ErrorsOnly -o "$build" >/dev/null
# The targets' code under test: SDP and ICE-restart fragments live in the gateway, the rest in the media plane.
"$sharpfuzz" "$build/MediaPlane.dll" >/dev/null
"$sharpfuzz" "$build/Gateway.dll" >/dev/null

fuzz_one() { # target
  local name=$1 corpus="tests/MediaPlane.Fuzz/corpus/$1" out="$work/out/$1"
  if [ ! -d "$corpus" ]; then echo "fuzz: no corpus folder $corpus" >&2; return 1; fi
  rm -rf "$out"; mkdir -p "$out"
  # dotnet itself is not instrumented (SharpFuzz instruments the managed code), hence AFL_SKIP_BIN_CHECK.
  AFL_SKIP_BIN_CHECK=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 \
    AFL_NO_AFFINITY=1 AFL_FORKSRV_INIT_TMOUT=60000 \
    timeout --kill-after=30 $((seconds + 60)) \
    afl-fuzz -i "$corpus" -o "$out" -V "$seconds" -t 5000 -m none -- dotnet "$build/MediaPlane.Fuzz.dll" "$name" \
    >"$out.log" 2>&1 || true
  local stats="$out/default/fuzzer_stats"
  if [ ! -f "$stats" ]; then
    echo "fuzz: $name: afl-fuzz did not start, see $out.log:" >&2
    tail -n 20 "$out.log" >&2
    return 1
  fi
  local kept=0
  for kind in crashes hangs; do
    for f in "$out/default/$kind"/id:*; do
      [ -e "$f" ] || continue
      cp "$f" "$corpus/$kind-$(date -u +%Y%m%d)-$(sha1sum "$f" | cut -c1-12)"
      kept=$((kept + 1))
    done
  done
  stat() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$stats"; }
  printf '%-18s %6ss  execs %10s  execs/s %8s  paths %6s (from %s seeds)  crashes %s  hangs %s  kept %s\n' \
    "$name" "$seconds" "$(stat execs_done)" "$(stat execs_per_sec)" "$(stat corpus_count)" \
    "$(find "$corpus" -maxdepth 1 -type f | wc -l)" "$(stat saved_crashes)" "$(stat saved_hangs)" "$kept"
}

if [ "$target" = all ]; then
  for dir in tests/MediaPlane.Fuzz/corpus/*/; do fuzz_one "$(basename "$dir")"; done
else
  fuzz_one "$target"
fi
