#!/usr/bin/env bash
# The one test command (README.md, .ci/run): installs what the tests need when it is missing, then runs
# every test project and ends with a 'N passed, N failed' line. Test fixtures start their own servers.
set -uo pipefail
cd "$(dirname "$0")/.."

# Debian/Ubuntu packages the tests use: redis-server (the real Redis the store tests start themselves),
# patchelf, gcc and python3 (the build makes TorchSharp's native library load on Debian 12, see ENVIRONMENT notes
# in docs/development.md), chromium (the web UI tests drive it through Playwright, tests/GreenTrain.Ui.Tests).
packages=(redis-server patchelf gcc python3 chromium)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  echo "tests/run.sh: installing ${missing[*]}"
  if ! command -v apt-get >/dev/null; then
    echo "tests/run.sh: cannot install ${missing[*]}: this machine has no apt-get; install them by hand." >&2
    exit 1
  fi
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  if ! { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq -o DPkg::Lock::Timeout=600 "${missing[@]}"; } >/tmp/greentrain-apt.log 2>&1; then
    echo "tests/run.sh: apt-get could not install ${missing[*]} (log: /tmp/greentrain-apt.log)." >&2
    tail -5 /tmp/greentrain-apt.log >&2
    exit 1
  fi
fi

log=$(mktemp)
dotnet test GreenTrain.Aspire.sln -c Release "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# Sum the per-project summaries that dotnet test prints ("Passed!  - Failed: 0, Passed: 16, Skipped: 0, ...").
read -r passed failed skipped < <(grep -E '^(Passed|Failed)! +- Failed: ' "$log" \
  | sed -E 's/.*Failed: +([0-9]+), Passed: +([0-9]+), Skipped: +([0-9]+).*/\2 \1 \3/' \
  | awk '{p+=$1; f+=$2; s+=$3} END {print p+0, f+0, s+0}')
rm -f "$log"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1 # the build or a test host failed before any test could report
fi
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
