#!/usr/bin/env bash
# threads.sh: the engine on 1, 2 and every thread (bench/threads_bench.cpp), natively and as
# a wasm -pthread module under node; the tables of bench/README.md, "Threads".
#
#   bench/threads.sh             # build if needed (build/bench/, as run.sh), run both
#   bench/threads.sh --reps 20   # arguments go to threads_bench
#
# Assumes scripts/deps.sh has been run (emscripten, cmake, ninja, simde).
set -euo pipefail

readonly ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly BUILD="$ROOT/build/bench"
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)

# $1 build dir, then extra configure arguments (the same trees as bench/run.sh).
build() {
  local dir="$1"
  shift
  if [[ ! -f "$dir/CMakeCache.txt" ]]; then
    cmake -S "$ROOT/bench/standalone" -B "$dir" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release "$@" \
      >"$dir.configure.log" 2>&1 || {
      tail -n 30 "$dir.configure.log" >&2
      exit 1
    }
  fi
  cmake --build "$dir" -j "${JOBS:-2}" --target threads_bench >"$dir.threads.build.log" 2>&1 || {
    tail -n 30 "$dir.threads.build.log" >&2
    exit 1
  }
}

mkdir -p "$BUILD"
echo "bench/threads.sh: building (logs in build/bench/); load: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
build "$BUILD/native"
toolchain="$ROOT/cmake/emscripten-toolchain.cmake"
NODE_PATH=/usr/share/nodejs build "$BUILD/wasm" --toolchain "$toolchain"

"$BUILD/native/bench/threads_bench" "$@"
echo
# --no-experimental-fetch: node 20's fetch breaks emscripten 3.1.6 loaders.
node --no-experimental-fetch "$BUILD/wasm/bench/threads_bench.js" "$@"
echo "bench/threads.sh: load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
