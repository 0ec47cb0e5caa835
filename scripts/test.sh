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
#    node, and the browser tests (playwright-core driving Debian's Chromium, headless); a
#    browser test that fails is run once more, alone, and named as flaky if it then passes.
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
flaky=()
# $1 build dir; adds the counts of its summary line. With $2 = retry, a browser test that
# failed is run once more, alone (the suites run side by side on a small shared machine, and
# a page that gets too few frames can miss a deadline): it counts as passed only if it passes
# alone, and is named in the last line as flaky, its first failure left in the log above.
run_ctest() {
  local log
  log="$(mktemp)"
  local rc=0
  ctest --test-dir "$1" --output-on-failure -j "$JOBS" --timeout 300 2>&1 | tee "$log" || rc=$?
  local line
  line="$(grep -E '[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -n 1 || true)"
  local -a failing=()
  mapfile -t failing < <(sed -n '/The following tests FAILED:/,$p' "$log" |
    sed -nE 's/^[[:space:]]*[0-9]+ - ([^ ]+) .*/\1/p')
  rm -f "$log"
  if [[ -z "$line" ]]; then
    echo "test.sh: ctest in $1 printed no summary" >&2
    failed=$((failed + 1))
    return
  fi
  local f total
  f="$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1/' <<<"$line")"
  total="$(sed -E 's/.* failed out of ([0-9]+).*/\1/' <<<"$line")"
  if [[ "${2:-}" == retry ]]; then
    local name
    for name in "${failing[@]}"; do
      [[ "$name" == browser.* ]] || continue
      echo "test.sh: $name failed; running it once more, alone"
      if ctest --test-dir "$1" --output-on-failure -R "^${name//./\\.}\$" --timeout 600; then
        flaky+=("$name")
        f=$((f - 1))
      fi
    done
    [[ $f -gt 0 ]] || rc=0
  fi
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
run_ctest build/wasm retry

echo "test.sh: finished in $(($(date +%s) - start)) s"
if [[ ${#flaky[@]} -gt 0 ]]; then
  echo "tests: $passed passed, $failed failed (flaky, passed when run alone: ${flaky[*]})"
else
  echo "tests: $passed passed, $failed failed"
fi
[[ $failed -eq 0 ]]
