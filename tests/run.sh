#!/usr/bin/env bash
# The one test command (README.md, .ci/run): installs what the tests need when it is missing, then runs
# every test project and ends with a 'N passed, N failed' line. Test fixtures start their own servers.
set -uo pipefail
cd "$(dirname "$0")/.."

# Debian/Ubuntu packages the tests, examples and benchmarks use, each with the file or command that shows it is
# there (checked rather than dpkg's database, so a machine that has them some other way installs nothing):
#   redis-server           the real Redis the store tests start themselves
#   patchelf gcc python3   the build makes TorchSharp's native library load on Debian 12 (docs/development.md)
#   binutils               readelf, with which the build tests check that patch
#   dataset-fashion-mnist  Fashion-MNIST (DataSetTests, Trainer/examples/fashion-mnist-cnn.json, Trainer/Benchmarks, the dedup and methods benchmarks)
#   fortunes               plain English text (Trainer/examples/gpt-text.json and dedup-fortunes.json, the GPT, dedup and methods benchmarks)
#   python3-torch          Debian's PyTorch, which loads a trained model's state_dict (Trainer.Tests/Export)
#   python3-yaml           PyYAML, which parses the model card's front matter (Telemetry.Tests/Reports)
#   chromium               the web UI's browser tests drive it through Playwright (tests/GreenTrain.Ui.Tests)
needs=(
  "redis-server          command:redis-server"
  "redis-tools           command:redis-cli"
  "patchelf              command:patchelf"
  "gcc                   command:gcc"
  "python3               command:python3"
  "binutils              command:readelf"
  "dataset-fashion-mnist file:/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz"
  "fortunes              file:/usr/share/games/fortunes/fortunes"
  "python3-torch         file:/usr/lib/python3/dist-packages/torch/__init__.py"
  "python3-yaml          file:/usr/lib/python3/dist-packages/yaml/__init__.py"
  "chromium              command:chromium"
)
missing=()
for need in "${needs[@]}"; do
  read -r package probe <<<"$need"
  case "$probe" in
    command:*) command -v "${probe#command:}" >/dev/null 2>&1 || missing+=("$package") ;;
    file:*) [ -e "${probe#file:}" ] || missing+=("$package") ;;
  esac
done
if ((${#missing[@]})); then
  echo "tests/run.sh: installing ${missing[*]}"
  if ! command -v apt-get >/dev/null; then
    echo "tests/run.sh: cannot install ${missing[*]}: this machine has no apt-get; install them by hand." >&2
    exit 1
  fi
  # As root apt-get runs as it is; otherwise through sudo, which may ask for a password once.
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null; then
      echo "tests/run.sh: installing ${missing[*]} needs root: run this as root, or install sudo, or install them by hand." >&2
      exit 1
    fi
    sudo=(sudo)
  fi
  if ! { "${sudo[@]}" apt-get update -qq \
        && "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=600 "${missing[@]}"; } \
        >/tmp/greentrain-apt.log 2>&1; then
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
