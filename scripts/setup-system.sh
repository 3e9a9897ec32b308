#!/usr/bin/env bash
# Installs the system packages the tests use: Debian's chromium (browser tests through Playwright)
# and the PostgreSQL server (storage tests). Skips what is already there. Needs root for apt-get;
# without root it says what is missing, and under CI=true a missing package is an error.
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)   # the brief's PDF font
[ ${#need[@]} -eq 0 ] && { echo "system packages present: chromium, postgresql, fonts-dejavu-core"; exit 0; }
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "installing: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  # the postgresql package may start a cluster service; the tests start their own throwaway server
else
  echo "missing system packages: ${need[*]} (install them with apt-get as root)" >&2
  [ "${CI:-}" = "true" ] && exit 1
fi
exit 0
