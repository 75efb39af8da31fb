#!/usr/bin/env bash
# Renders the HTML reports people read (the demo's and reproduce's report.html) in headless Chromium and
# saves full-page PNG screenshots, to look at every figure's labels, legends and axes as a reader sees
# them (tests check the HTML text; only a browser shows what it draws).
#
#   scripts/screenshot-reports.sh [OUT]      OUT defaults to target/screenshots
#
# Chromium comes from Debian (apt-get install -y chromium; installed here when missing and root). The
# demo runs afresh into OUT/demo; the reproduce report is docs/results/report.html as committed.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$root/target/screenshots}"
mkdir -p "$out"
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "error: chromium is not installed: apt-get install -y chromium (as root)" >&2
    exit 2
  fi
fi
"$root/twolayer" demo --out "$out/demo" >/dev/null
shot() { # page, png, height in pixels
  # The flags keep Chromium from reaching for the network at start (closed on these machines).
  timeout 120 chromium --headless=new --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --user-data-dir="$out/.chromium" \
    --hide-scrollbars --window-size="1200,$3" --screenshot="$2" "file://$1" >/dev/null 2>&1
  echo "wrote $2"
}
shot "$out/demo/report.html" "$out/demo.png" 2600
shot "$root/docs/results/report.html" "$out/reproduce.png" 16000
