#!/usr/bin/env bash
# Takes the README's dashboard screenshots from a real local run: starts `dotnet run --project AppHost` with
# the defaults (embedded Garnet, replayed DE and FR traces, the demo experiment), waits for the dashboard's
# login URL, and lets capture.mjs drive headless Chromium through it. Needs `apt-get install chromium` and npm.
# Usage: bash docs/screenshots/capture.sh            (from the repository root; writes docs/screenshots/*.png)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
command -v chromium >/dev/null || { echo "error: chromium is not installed (apt-get install chromium)" >&2; exit 2; }
(cd "$here" && npm install --no-audit --no-fund --silent)

log=$(mktemp)
data=$(mktemp -d)   # a fresh store, so the demo starts from the beginning
dotnet run --project "$root/AppHost" -- --Store:DataPath="$data" >"$log" 2>&1 &
apphost=$!
trap 'kill $apphost 2>/dev/null; wait $apphost 2>/dev/null; rm -rf "$data"' EXIT

for _ in $(seq 1 300); do
  url=$(grep -o 'http[s]*://[^ ]*/login?t=[0-9a-f]*' "$log" | head -1 || true)
  [[ -n "$url" ]] && break
  kill -0 $apphost 2>/dev/null || { cat "$log" >&2; echo "error: the AppHost stopped" >&2; exit 1; }
  sleep 1   # polling the AppHost's output for its login line
done
[[ -n "${url:-}" ]] || { echo "error: no dashboard login URL in the AppHost output after 5 minutes" >&2; exit 1; }
echo "dashboard: $url"
node "$here/capture.mjs" "$url" "$here"
