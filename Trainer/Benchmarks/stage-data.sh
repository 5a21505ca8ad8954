#!/usr/bin/env bash
# Copies the benchmark's data (Fashion-MNIST from dataset-fashion-mnist, the fortunes text) into
# .pack/data/ (git-ignored), since the GPU machine has neither and cannot download: about 33 MB.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
mkdir -p "$root/.pack/data/fashion-mnist" "$root/.pack/data/fortunes"
cp /usr/share/datasets/fashion-mnist/*.gz "$root/.pack/data/fashion-mnist/"
# Regular files only (the .u8 links duplicate them); the .dat index files are binary and skipped by both readers anyway.
find /usr/share/games/fortunes -maxdepth 1 -type f ! -name '*.dat' -exec cp {} "$root/.pack/data/fortunes/" \;
du -sh "$root/.pack/data"
