// peak_exports.cpp: the SIMD128 multiply-add peak of this machine, measured in the same wasm
// build as the kernels (bench/conv_bench.mjs times it next to the packed GEMM).
//
// A loop of independent chains acc += x · y (one f32x4.mul and one f32x4.add per chain and
// iteration, no FMA in SIMD128). The chains are an R×C outer product: R vectors x held in
// registers, C vectors y loaded afresh every iteration (behind a compiler barrier, so LLVM
// can neither hoist the products out of the loop nor merge equal ones). That is the GEMM
// tile's instruction mix without its loads, the most multiply-adds per cycle the loop can
// issue. Variants with 4, 6, 8 and 9 chains, plus the notes' form (12 chains of
// acc = acc · y + z, mul and add both on the chain: latency-bound, for comparison with
// /work/shared/notes/performance.md). The peak is the fastest variant.
#include <emscripten/emscripten.h>

#include "kernels/simd.h"

namespace {

#define NNPLAY_PEAK_BARRIER() __asm__ volatile("" ::: "memory")

alignas(16) float g_peak_data[64] = {
    0.5f, 0.25f, 0.125f, 0.0625f, 0.75f, 0.375f, 0.1875f, 0.09375f, 0.5f, 0.25f, 0.125f,
};

template <int R, int C>
float OuterChains(int iters) {
  const float* p = g_peak_data;
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
    NNPLAY_PEAK_BARRIER();
  }
  v128_t s = wasm_f32x4_splat(0.0f);
  for (int r = 0; r < R; ++r)
    for (int c = 0; c < C; ++c) s = wasm_f32x4_add(s, acc[r][c]);
  return wasm_f32x4_extract_lane(s, 0);
}

// The notes' form: acc = acc · y + z, 12 chains (each step waits for mul then add).
float LatencyChains12(int iters) {
  v128_t acc[12];
  for (int i = 0; i < 12; ++i) acc[i] = wasm_f32x4_splat(1e-3f * static_cast<float>(i));
  const v128_t y = wasm_f32x4_splat(0.999f), z = wasm_f32x4_splat(1e-4f);
#pragma clang loop unroll(disable)
  for (int it = 0; it < iters; ++it) {
#pragma clang loop unroll(full)
    for (int i = 0; i < 12; ++i) acc[i] = wasm_f32x4_add(wasm_f32x4_mul(acc[i], y), z);
  }
  v128_t s = acc[0];
  for (int i = 1; i < 12; ++i) s = wasm_f32x4_add(s, acc[i]);
  return wasm_f32x4_extract_lane(s, 0);
}

struct PeakVariant {
  int chains;
  float (*run)(int);
};

// Names in conv_bench.mjs: 2×2, 3×2, 4×2, 3×3 outer products; the notes' 12 chains.
const PeakVariant kPeak[] = {
    {4, OuterChains<2, 2>}, {6, OuterChains<3, 2>}, {8, OuterChains<4, 2>},
    {9, OuterChains<3, 3>}, {12, LatencyChains12},
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
// Runs variant i for iters iterations.
EMSCRIPTEN_KEEPALIVE void bench_peak_run(int i, int iters) {
  if (i >= 0 && i < kPeakCount) g_peak_sink = kPeak[i].run(iters);
}

}  // extern "C"
