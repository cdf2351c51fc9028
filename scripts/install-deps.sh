#!/usr/bin/env bash
# Installs what the tests need when it is missing: Debian packages (as root) and Azurite from npm.
# Idempotent; a second run installs nothing.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

# Debian packages: PostgreSQL server for the PostgreSQL profile's tests; chromium for the browser
# end-to-end tests (Playwright drives Debian's binary, no `playwright install`).
need=()
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || need+=(postgresql)
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v npm >/dev/null 2>&1 || need+=(npm)
# The DTLS interop tests run OpenSSL's own s_server/s_client against our DTLS.
command -v openssl >/dev/null 2>&1 || need+=(openssl)
# Browser end-to-end tests drive Debian's chromium (headless, fake camera and microphone).
command -v chromium >/dev/null 2>&1 || need+=(chromium)
# `ss -uapn` shows which UDP ports the browsers use.
command -v ss >/dev/null 2>&1 || need+=(iproute2)
# scripts/cluster.sh (and its test fixture) asks the gateways over HTTP and reads their JSON.
command -v curl >/dev/null 2>&1 || need+=(curl)
command -v jq >/dev/null 2>&1 || need+=(jq)
# The recording tests encode test clips to RTP with ffmpeg and judge the written files with ffprobe/ffmpeg.
# Debian's ffmpeg is a GPL build: it is only ever run as a separate process, never linked.
command -v ffmpeg >/dev/null 2>&1 || need+=(ffmpeg)
# The uplink-loss browser test drops a share of one publisher's packets with nftables (numgen random).
command -v nft >/dev/null 2>&1 || need+=(nftables)
if ((${#need[@]})); then
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps: missing ${need[*]}; run as root (apt-get) or install them first" >&2
    exit 1
  fi
  echo "install-deps: apt-get install ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

# Azurite, Microsoft's Azure Storage emulator, pinned, into the project's own tools folder.
azurite_version=3.37.0
tools="$root/.tools/azurite"
if [ ! -x "$tools/node_modules/.bin/azurite" ]; then
  echo "install-deps: npm install azurite@$azurite_version"
  mkdir -p "$tools"
  (cd "$tools" && npm install --silent --no-audit --no-fund "azurite@$azurite_version" >/dev/null)
fi
