#!/usr/bin/env bash
# Builds everything and runs every test: the README's test command, and what CI runs.
#
#   scripts/test.sh
#
# 1. installs what is missing (scripts/deps.sh: apt, Debian sources, SDL2 for wasm, npm);
# 2. checks formatting (clang-format) of the project's C++;
# 3. native build (Debug, AddressSanitizer + UndefinedBehaviorSanitizer, -Werror) and its
#    tests: the engine suites and the nnplay CLI; then a minute of libFuzzer on the links;
#    then the thread pool's and threaded kernels' suites under ThreadSanitizer (native-tsan);
# 4. wasm build (the web app and the engine suites) and its tests: the same suites under
#    node, and the browser tests (playwright-core driving Debian's Chromium, headless).
# Ends with one line "tests: N passed, M failed"; exits non-zero on any failure.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
start=$(date +%s)
JOBS="${JOBS:-$(nproc)}"

source scripts/deps.sh

echo "== format"
mapfile -t sources < <(git ls-files '*.cpp' '*.h' 2>/dev/null || true)
if [[ ${#sources[@]} -gt 0 ]]; then
  clang-format --dry-run --Werror "${sources[@]}"
fi

passed=0
failed=0
run_ctest() {  # $1 build dir; adds the counts of its summary line
  local log
  log="$(mktemp)"
  local rc=0
  ctest --test-dir "$1" --output-on-failure -j "$JOBS" --timeout 300 2>&1 | tee "$log" || rc=$?
  local line
  line="$(grep -E '[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -n 1 || true)"
  rm -f "$log"
  if [[ -z "$line" ]]; then
    echo "test.sh: ctest in $1 printed no summary" >&2
    failed=$((failed + 1))
    return
  fi
  local f total
  f="$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1/' <<<"$line")"
  total="$(sed -E 's/.* failed out of ([0-9]+).*/\1/' <<<"$line")"
  passed=$((passed + total - f))
  failed=$((failed + f))
  [[ $rc -eq 0 ]] || [[ $f -gt 0 ]] || failed=$((failed + 1))
}

echo "== native (ASan + UBSan)"
cmake --preset native >/dev/null
cmake --build build/native -j "$JOBS"
run_ctest build/native

echo "== native ThreadSanitizer (the thread pool and the threaded kernels' suites)"
cmake --preset native-tsan >/dev/null
cmake --build build/native-tsan -j "$JOBS" --target parallel_tests
run_ctest build/native-tsan

echo "== fuzz (libFuzzer on the link decoder, ASan + UBSan, 60 s)"
if scripts/fuzz.sh 60; then passed=$((passed + 1)); else failed=$((failed + 1)); fi

echo "== wasm (node and Chromium)"
cmake --preset wasm -DNNPLAY_IMGUI_DIR="$NNPLAY_IMGUI_DIR" \
  -DCMAKE_PREFIX_PATH="$NNPLAY_WASM_PREFIX" >/dev/null
cmake --build build/wasm -j "$JOBS"
run_ctest build/wasm

echo "test.sh: finished in $(($(date +%s) - start)) s"
echo "tests: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
