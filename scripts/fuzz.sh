#!/usr/bin/env bash
# Fuzzes the share-link decoder (tests/fuzz/link_fuzzer.cpp) with libFuzzer under ASan +
# UBSan: any bytes through EvalLinkToJson, plus the round-trip properties.
#
#   scripts/fuzz.sh [SECONDS]         build, write the seeds, fuzz for SECONDS (default 60)
#   scripts/fuzz.sh --repro FILE...   build, run the fuzzer on saved inputs (a crash file)
#
# Build: build/fuzz (its own CMake project, tests/fuzz/CMakeLists.txt; clang 14, Ninja),
# incremental. Seeds: build/fuzz/seeds, written afresh on every run by the fuzzer itself
# (every preset of every lab, hand-written links, binary tensors); libFuzzer lengthens
# inputs up to 10,000 bytes, past the 8,192-character link limit. Corpus: build/fuzz/corpus,
# kept between runs (delete it to start over). Crashes, leaks, timeouts and out-of-memory
# inputs go to build/fuzz/artifacts/, and the script exits non-zero. Limits: one input
# running over 20 s is a hang (the largest CNN-lab network takes ~3 s to evaluate at 0
# steps under ASan); RSS over 512 MB, or a single allocation over 64 MB, is out-of-memory
# (the largest legitimate allocation: that network's im2col workspace, 36 MB).
# An accepted link whose canonical form is longer than the link limit is a failure like any
# other (every lab's decoder refuses such a link).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

mode=fuzz
seconds=60
if [[ "${1:-}" == "--repro" ]]; then
  mode=repro
  shift
  [[ $# -gt 0 ]] || { echo "usage: scripts/fuzz.sh --repro FILE..." >&2; exit 2; }
elif [[ $# -gt 0 ]]; then
  [[ "$1" =~ ^[0-9]+$ ]] || { echo "usage: scripts/fuzz.sh [SECONDS] | --repro FILE..." >&2; exit 2; }
  seconds="$1"
fi

CXX_FUZZ="${CXX_FUZZ:-clang++}"
command -v "$CXX_FUZZ" >/dev/null || {
  echo "fuzz.sh: $CXX_FUZZ not found (scripts/deps.sh installs clang and libclang-rt-14-dev)" >&2
  exit 1
}

BUILD="$ROOT/build/fuzz"
if [[ ! -f "$BUILD/build.ninja" ]]; then
  cmake -S tests/fuzz -B "$BUILD" -G Ninja -DCMAKE_CXX_COMPILER="$CXX_FUZZ" \
    -DCMAKE_C_COMPILER="${CC_FUZZ:-clang}" >/dev/null
fi
echo "== fuzz: build ($BUILD)"
cmake --build "$BUILD" --target link_fuzzer -j "${JOBS:-$(nproc)}"
FUZZER="$BUILD/link_fuzzer"

export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
# A smaller use-after-free quarantine than ASan's 256 MB keeps RSS well under the limit.
export ASAN_OPTIONS="${ASAN_OPTIONS:-quarantine_size_mb=64}"

if [[ "$mode" == repro ]]; then
  exec "$FUZZER" -rss_limit_mb=512 -malloc_limit_mb=64 -timeout=20 "$@"
fi

SEEDS="$BUILD/seeds"
CORPUS="$BUILD/corpus"
ARTIFACTS="$BUILD/artifacts"
LOG="$BUILD/fuzz.log"
rm -rf "$SEEDS"
mkdir -p "$SEEDS" "$CORPUS" "$ARTIFACTS"
"$FUZZER" --write-seeds "$SEEDS"

echo "== fuzz: ${seconds} s (log: $LOG)"
rc=0
# New inputs go to CORPUS (the first directory); SEEDS is read only.
"$FUZZER" "$CORPUS" "$SEEDS" \
  -dict=tests/fuzz/link.dict \
  -max_total_time="$seconds" \
  -timeout=20 \
  -rss_limit_mb=512 \
  -malloc_limit_mb=64 \
  -max_len=10000 \
  -use_value_profile=1 \
  -print_final_stats=1 \
  -artifact_prefix="$ARTIFACTS/" \
  >"$LOG" 2>&1 || rc=$?

final_stat() { sed -nE "s/^stat::$1: *([0-9]+).*/\1/p" "$LOG" | tail -n 1; }
execs="$(final_stat number_of_executed_units)"
per_second="$(final_stat average_exec_per_sec)"
corpus_files="$(find "$CORPUS" -type f | wc -l)"
corpus_kb="$(find "$CORPUS" -type f -printf '%s\n' | awk '{ s += $1 } END { printf "%d", (s + 1023) / 1024 }')"
echo "fuzz: ${execs:-?} executions (${per_second:-?}/s), corpus ${corpus_files} inputs (${corpus_kb} KB)"

if [[ $rc -ne 0 ]]; then
  # The report: the sanitizer's or libFuzzer's error, its stack, and the saved input.
  grep -n -m 1 -E '^==[0-9]+==ERROR|runtime error|deadly signal|property violated|timeout|out-of-memory' "$LOG" >&2 || true
  tail -n 60 "$LOG" >&2
  echo "fuzz.sh: FAILED (exit $rc); inputs in $ARTIFACTS/; replay: scripts/fuzz.sh --repro FILE" >&2
  exit "$rc"
fi
echo "fuzz: no crash, leak, hang or out-of-memory"
