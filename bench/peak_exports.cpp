// peak_exports.cpp: the SIMD128 multiply-add peak of this machine, measured in the same wasm
// build as the kernels (bench/conv_bench.mjs times it next to the packed GEMM).
//
// A loop of independent chains acc += x · y (one f32x4.mul and one f32x4.add per chain and
// iteration, no FMA in SIMD128). The chains are an R×C outer product: R vectors x held in
// registers, C vectors y loaded every iteration from a buffer the loop walks through (3 KB,
// in L1), as the GEMM tile loads its B row. y must be data the compiler cannot know: the
// loop this file had until 2026-12-02 read y from an array initialised and never written,
// LLVM folded those loads into constants and the products x · y with them, and the loop V8
// ran was 8 f32x4.add and no multiply (13 instructions; bench/README.md "How the peak is
// measured"): an add-only rate counted as mul + add. Variants with 4, 6, 8, 9 and 12 chains;
// the peak is the fastest. The former loop is kept as the last variant, for comparison only
// (bench_peak_is_mul_add says so; the peak leaves it out).
#include <emscripten/emscripten.h>

#include "kernels/simd.h"

namespace {

constexpr int kSteps = 64;  // iterations per pass over the buffer

alignas(16) float g_peak_data[kSteps * 3 * 4];  // written by bench_peak_run before each run

// The former loop's data, as it was: initialised and never written, so LLVM folds its loads
// into constants and computes the products x · y at compile time.
alignas(16) float g_fixed_data[64] = {
    0.5f, 0.25f, 0.125f, 0.0625f, 0.75f, 0.375f, 0.1875f, 0.09375f, 0.5f, 0.25f, 0.125f,
};

template <int R, int C>
float StreamChains(int iters) {
  v128_t acc[R][C], x[R];
  for (int r = 0; r < R; ++r) {
    x[r] = wasm_f32x4_splat(1e-3f * static_cast<float>(r + 1));
    for (int c = 0; c < C; ++c) acc[r][c] = wasm_f32x4_splat(0.0f);
  }
  const float* end = g_peak_data + kSteps * C * 4;
#pragma clang loop unroll(disable)
  for (int pass = 0; pass < iters / kSteps; ++pass) {
#pragma clang loop unroll(disable)
    for (const float* p = g_peak_data; p != end; p += C * 4) {
      v128_t y[C];
#pragma clang loop unroll(full)
      for (int c = 0; c < C; ++c) y[c] = wasm_v128_load(p + 4 * c);
#pragma clang loop unroll(full)
      for (int r = 0; r < R; ++r)
#pragma clang loop unroll(full)
        for (int c = 0; c < C; ++c)
          acc[r][c] = wasm_f32x4_add(acc[r][c], wasm_f32x4_mul(x[r], y[c]));
    }
  }
  v128_t s = wasm_f32x4_splat(0.0f);
  for (int r = 0; r < R; ++r)
    for (int c = 0; c < C; ++c) s = wasm_f32x4_add(s, acc[r][c]);
  return wasm_f32x4_extract_lane(s, 0);
}

// The former loop, unchanged: 8 chains (4×2), y loaded behind a compiler barrier from data
// that is never written. LLVM folds the loads into constants and the products x · y with
// them, so the loop V8 runs is 8 f32x4.add and nothing else.
template <int R, int C>
float FixedAddressChains(int iters) {
  const float* p = g_fixed_data;
  v128_t acc[R][C], x[R];
  for (int r = 0; r < R; ++r) {
    x[r] = wasm_f32x4_splat(1e-3f * static_cast<float>(r + 1));
    for (int c = 0; c < C; ++c) acc[r][c] = wasm_f32x4_splat(0.0f);
  }
#pragma clang loop unroll(disable)
  for (int it = 0; it < iters; ++it) {
    v128_t y[C];
#pragma clang loop unroll(full)
    for (int c = 0; c < C; ++c) y[c] = wasm_v128_load(p + 4 * c);
#pragma clang loop unroll(full)
    for (int r = 0; r < R; ++r)
#pragma clang loop unroll(full)
      for (int c = 0; c < C; ++c) acc[r][c] = wasm_f32x4_add(acc[r][c], wasm_f32x4_mul(x[r], y[c]));
    __asm__ volatile("" ::: "memory");
  }
  v128_t s = wasm_f32x4_splat(0.0f);
  for (int r = 0; r < R; ++r)
    for (int c = 0; c < C; ++c) s = wasm_f32x4_add(s, acc[r][c]);
  return wasm_f32x4_extract_lane(s, 0);
}

struct PeakVariant {
  int chains;
  bool mul_add;  // the loop runs a multiply and an add per chain and iteration
  float (*run)(int);
};

// Names in conv_bench.mjs: 2×2, 3×2, 4×2, 3×3, 4×3 outer products; the former loop.
const PeakVariant kPeak[] = {
    {4, true, StreamChains<2, 2>},  {6, true, StreamChains<3, 2>},
    {8, true, StreamChains<4, 2>},  {9, true, StreamChains<3, 3>},
    {12, true, StreamChains<4, 3>}, {8, false, FixedAddressChains<4, 2>},
};
constexpr int kPeakCount = static_cast<int>(sizeof(kPeak) / sizeof(kPeak[0]));

volatile float g_peak_sink = 0.0f;

}  // namespace

extern "C" {

EMSCRIPTEN_KEEPALIVE int bench_peak_count() {
  return kPeakCount;
}
// Floating-point operations per loop iteration of variant i (4 lanes × (mul + add) × chains).
EMSCRIPTEN_KEEPALIVE int bench_peak_flops(int i) {
  return i >= 0 && i < kPeakCount ? 8 * kPeak[i].chains : 0;
}
// Chains of variant i (conv_bench.mjs names the variants; the same order as kPeak).
EMSCRIPTEN_KEEPALIVE int bench_peak_chains(int i) {
  return i >= 0 && i < kPeakCount ? kPeak[i].chains : 0;
}
// 1 when variant i is a multiply-add loop (counts for the peak), 0 for the former loop.
EMSCRIPTEN_KEEPALIVE int bench_peak_is_mul_add(int i) {
  return i >= 0 && i < kPeakCount && kPeak[i].mul_add ? 1 : 0;
}
// Runs variant i for iters iterations (a multiple of 64).
EMSCRIPTEN_KEEPALIVE void bench_peak_run(int i, int iters) {
  if (i >= 0 && i < kPeakCount) {
    for (float& v : g_peak_data) v = 0.5f;
    g_peak_sink = kPeak[i].run(iters);
  }
}

}  // extern "C"
