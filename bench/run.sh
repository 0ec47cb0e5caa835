#!/usr/bin/env bash
# run.sh: builds the benchmark (the wasm module and the native timer, Release, from the
# engine's CMake target) and runs bench/conv_bench.mjs, which prints the table, then
# bench/cnn_bench.mjs (CNN training against ConvNetJS, a second node process).
#
#   bench/run.sh                 # build if needed, run, print the table (~30 s on 2 cores)
#   bench/run.sh --markdown      # the same, as Markdown tables (for bench/README.md)
#   bench/run.sh --reps 15       # other arguments go to conv_bench.mjs
#
# Builds go to build/bench/{wasm,native} through bench/standalone/CMakeLists.txt, so neither
# the top-level CMakeLists.txt nor the presets' build trees are touched.
# Assumes scripts/deps.sh has been run (emscripten, cmake, ninja, simde, node_modules).
set -euo pipefail

readonly ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly BUILD="$ROOT/build/bench"

die() {
  printf 'bench/run.sh: %s\n' "$*" >&2
  exit 1
}

for tool in cmake em++ node c++; do
  command -v "$tool" >/dev/null || die "'$tool' not found; run scripts/deps.sh first"
done

modules_dir="${NNPLAY_BENCH_MODULES_DIR:-$ROOT}"
if [[ ! -d "$modules_dir/node_modules/@tensorflow/tfjs-backend-wasm" ||
  ! -d "$modules_dir/node_modules/@tensorflow/tfjs-core" ]]; then
  die "$modules_dir/node_modules has no @tensorflow/tfjs-core + @tensorflow/tfjs-backend-wasm.
  Install the repo's npm dependencies:  scripts/deps.sh   (or: cd $ROOT && npm ci)"
fi

generator=()
command -v ninja >/dev/null && generator=(-G Ninja)

# $1 build dir, $2 target, then extra configure arguments.
build() {
  local dir="$1" target="$2"
  shift 2
  if [[ ! -f "$dir/CMakeCache.txt" ]]; then
    cmake -S "$ROOT/bench/standalone" -B "$dir" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release "$@" \
      >"$dir.configure.log" 2>&1 || {
      tail -n 30 "$dir.configure.log" >&2
      die "configuring $dir failed; log: $dir.configure.log"
    }
  fi
  cmake --build "$dir" --target "$target" >"$dir.build.log" 2>&1 || {
    tail -n 30 "$dir.build.log" >&2
    die "building $target failed; log: $dir.build.log"
  }
}

mkdir -p "$BUILD"
echo "bench/run.sh: building the wasm module and the native timer (logs in build/bench/)" >&2

# The project's toolchain file carries the Debian emscripten fixes; Emscripten's own file
# needs NODE_PATH for its optimising link step (docs: toolchain pitfalls).
toolchain="$ROOT/cmake/emscripten-toolchain.cmake"
[[ -f "$toolchain" ]] || toolchain=/usr/share/emscripten/cmake/Modules/Platform/Emscripten.cmake
NODE_PATH=/usr/share/nodejs build "$BUILD/wasm" nnplay_bench_wasm --toolchain "$toolchain"
build "$BUILD/native" conv_bench_native

echo "bench/run.sh: running (about 30 s)" >&2
# --no-experimental-fetch: node 20's fetch breaks emscripten 3.1.6 loaders.
node --no-experimental-fetch "$ROOT/bench/conv_bench.mjs" \
  --wasm "$BUILD/wasm/bench/nnplay_bench.cjs" \
  --native "$BUILD/native/bench/conv_bench_native" "$@"
# Second run: CNN training, ConvNetJS against nnplay's Network (about 40 s).
echo "bench/run.sh: CNN training against ConvNetJS (about 40 s)" >&2
exec node --no-experimental-fetch "$ROOT/bench/cnn_bench.mjs" \
  --wasm "$BUILD/wasm/bench/nnplay_bench.cjs" "$@"
