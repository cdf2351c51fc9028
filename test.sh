#!/usr/bin/env bash
# The whole test suite. Installs what it needs (Debian packages as root, Azurite from npm), starts
# Azurite and PostgreSQL on loopback, runs every test project, replays the fuzz regression inputs,
# and stops the servers again.
set -euo pipefail
cd "$(dirname "$0")"

scripts/install-deps.sh
eval "$(scripts/services.sh start)"
trap 'scripts/services.sh stop' EXIT

dotnet build Orleans.sln -c Release -nologo -clp:ErrorsOnly

# Fuzz targets: replay every kept input (seeds and past crashes) through each SharpFuzz target.
for dir in tests/MediaPlane.Fuzz/corpus/*/; do
  [ -d "$dir" ] || continue
  target=$(basename "$dir")
  files=("$dir"*)
  [ -e "${files[0]}" ] || continue
  dotnet tests/MediaPlane.Fuzz/bin/Release/net10.0/MediaPlane.Fuzz.dll "$target" "${files[@]}"
done

# The log of a failing run is long; repeat each failed test with its message at the very end.
log=$(mktemp)
set +e
dotnet test Orleans.sln -c Release --no-build -nologo --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
if [ "$status" -ne 0 ]; then
  echo "==================== failed tests ===================="
  grep -E -A 30 '^\s+Failed [A-Za-z_]' "$log" | grep -vE '^\s*(info|dbug|trce):' | head -300
fi
rm -f "$log"
exit "$status"
