#!/usr/bin/env bash
# Makes TorchSharp's libLibTorchSharp.so load on systems whose libstdc++ predates GCC 13 (Debian 12).
#
# Why: TorchSharp 0.107.0's native library was linked against GCC 13+, which makes it ask for
# std::ios_base_library_init() at version GLIBCXX_3.4.32. Debian 12's libstdc++ stops at 3.4.30,
# so the loader refuses the whole library. That function only initialises the standard streams,
# which libstdc++ already does itself, so an empty definition is enough (ENVIRONMENT.md: verified).
#
# What: for each folder given, patches the libLibTorchSharp.so COPY in that build output (never the
# NuGet cache): builds a one-line shim library defining the function, clears the symbol's version,
# adds the shim as NEEDED, and marks the GLIBCXX_3.4.32 requirement weak (VER_FLG_WEAK) so the
# loader no longer insists on it. Does nothing when libstdc++ is new enough or the copy is patched.
#
# Usage: patch-libtorchsharp.sh DIR...   (exit 0 done or nothing to do, 1 missing tool or failure)
set -euo pipefail

shim_name=libgreentrain_iosinit.so
symbol=_ZSt21ios_base_library_initv
wanted=GLIBCXX_3.4.32

say() { echo "GreenTrain LibTorchSharp patch: $*"; }
# MSBuild's Exec task turns lines in this canonical form into build errors.
fail() { echo "error GT0001: $*" >&2; exit 1; }

system_libstdcxx() {
  ldconfig -p 2>/dev/null | awk '/libstdc\+\+\.so\.6 .*x86-64/ { print $NF; exit }'
}

# GREENTRAIN_LIBSTDCXX names the libstdc++ to judge by (tests use it to play a newer system).
lib_std=${GREENTRAIN_LIBSTDCXX:-$(system_libstdcxx || true)}
if [[ -n "$lib_std" && -f "$lib_std" ]] && grep -qa "$wanted" "$lib_std"; then
  say "$lib_std has $wanted; no patch needed."
  exit 0
fi

targets=()
for dir in "$@"; do
  [[ -f "$dir/libLibTorchSharp.so" ]] && targets+=("$dir/libLibTorchSharp.so")
done
[[ ${#targets[@]} -eq 0 ]] && exit 0

for tool in patchelf gcc python3; do
  command -v "$tool" >/dev/null 2>&1 || fail "libLibTorchSharp.so needs $wanted, which this system's libstdc++ (${lib_std:-not found}) lacks, and patching it needs '$tool', which is missing. Install it: sudo apt-get install -y patchelf gcc python3"
done

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
for lib in "${targets[@]}"; do
  dir=$(dirname "$lib")
  if patchelf --print-needed "$lib" | grep -qx "$shim_name"; then
    continue # already patched by an earlier build
  fi
  # A hard link would share the NuGet cache's inode: break it so only the build output changes.
  if [[ $(stat -c %h "$lib") -gt 1 ]]; then
    cp --preserve=mode,timestamps "$lib" "$lib.copy" && mv -f "$lib.copy" "$lib"
  fi
  if [[ ! -f "$dir/$shim_name" ]]; then
    echo "void $symbol(void) {}" | gcc -shared -fPIC -O2 -x c -o "$dir/$shim_name" -
  fi
  patchelf --clear-symbol-version "$symbol" --add-needed "$shim_name" "$lib"
  python3 "$here/mark-version-weak.py" "$lib" "$wanted"
  say "patched $lib"
done
