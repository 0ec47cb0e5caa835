// simd_math.h: e^x, sigmoid and tanh on four float lanes (WebAssembly SIMD128, SIMDe
// natively), inline so that fused kernels (nn/mlp.cpp) and the element-wise activations
// (ops/activations_exp_simd128.cpp) share one implementation. Error bounds: activations.h.
#pragma once

#include "kernels/simd.h"

#if NNPLAY_HAVE_SIMD128

namespace nnplay {
namespace simd128 {

// e^x per lane. Cody–Waite: n = round(x·log2 e), r = x − n·C1 − n·C2 (C1 has 9 significant
// bits, so n·C1 is exact for |n| ≤ 150), then e^r ≈ 1 + r + r²·P(r) on |r| ≤ ln2/2 (Cephes
// expf coefficients), times 2^⌊n/2⌋ · 2^(n − ⌊n/2⌋): both factors are normal floats for
// n ∈ [−150, 128], so the result is correctly scaled down into the subnormals.
// Arguments are clamped to [−104, 88.72]; below −104 the result is 0, above 88.72 +∞.
// A NaN lane gives NaN (callers put the input NaN back anyway).
inline v128_t Exp4(v128_t x) {
  const v128_t hi = wasm_f32x4_splat(88.72f), lo = wasm_f32x4_splat(-104.0f);
  const v128_t xc = wasm_f32x4_pmax(wasm_f32x4_pmin(x, hi), lo);
  // round(x·log2 e) by the 1.5·2^23 trick (|·| < 2^22; round to nearest even): t's low
  // mantissa bits hold n, and t − magic is n as a float. Cheaper than f32x4.nearest +
  // trunc_sat, which SIMDe emulates lane by lane on plain SSE2.
  const v128_t magic = wasm_f32x4_splat(12582912.0f);
  const v128_t t =
      wasm_f32x4_add(wasm_f32x4_mul(xc, wasm_f32x4_splat(1.44269504088896341f)), magic);
  const v128_t fn = wasm_f32x4_sub(t, magic);
  v128_t r = wasm_f32x4_sub(xc, wasm_f32x4_mul(fn, wasm_f32x4_splat(0.693359375f)));
  r = wasm_f32x4_sub(r, wasm_f32x4_mul(fn, wasm_f32x4_splat(-2.12194440e-4f)));
  v128_t q = wasm_f32x4_splat(1.9875691500e-4f);
  q = wasm_f32x4_add(wasm_f32x4_mul(q, r), wasm_f32x4_splat(1.3981999507e-3f));
  q = wasm_f32x4_add(wasm_f32x4_mul(q, r), wasm_f32x4_splat(8.3334519073e-3f));
  q = wasm_f32x4_add(wasm_f32x4_mul(q, r), wasm_f32x4_splat(4.1665795894e-2f));
  q = wasm_f32x4_add(wasm_f32x4_mul(q, r), wasm_f32x4_splat(1.6666665459e-1f));
  q = wasm_f32x4_add(wasm_f32x4_mul(q, r), wasm_f32x4_splat(5.0000001201e-1f));
  const v128_t r2 = wasm_f32x4_mul(r, r);
  v128_t e = wasm_f32x4_add(wasm_f32x4_add(wasm_f32x4_mul(q, r2), r), wasm_f32x4_splat(1.0f));
  const v128_t n = wasm_i32x4_sub(t, magic);  // exact integer in [−150, 128]
  const v128_t n1 = wasm_i32x4_shr(n, 1);     // ⌊n/2⌋
  const v128_t n2 = wasm_i32x4_sub(n, n1);
  const v128_t bias = wasm_i32x4_splat(127);
  const v128_t s1 = wasm_i32x4_shl(wasm_i32x4_add(n1, bias), 23);
  const v128_t s2 = wasm_i32x4_shl(wasm_i32x4_add(n2, bias), 23);
  e = wasm_f32x4_mul(wasm_f32x4_mul(e, s1), s2);
  e = wasm_v128_andnot(e, wasm_f32x4_lt(x, lo));  // → +0
  return wasm_v128_bitselect(wasm_f32x4_splat(__builtin_inff()), e, wasm_f32x4_gt(x, hi));
}

inline v128_t Sigmoid4(v128_t x) {
  const v128_t one = wasm_f32x4_splat(1.0f);
  const v128_t e = Exp4(wasm_f32x4_neg(wasm_f32x4_abs(x)));  // exp of a non-positive number
  const v128_t d = wasm_f32x4_add(one, e);
  const v128_t pos = wasm_f32x4_ge(x, wasm_f32x4_splat(0.0f));
  const v128_t y = wasm_f32x4_div(wasm_v128_bitselect(one, e, pos), d);
  return wasm_v128_bitselect(x, y, wasm_f32x4_ne(x, x));  // NaN passes through
}

inline v128_t Tanh4(v128_t x) {
  const v128_t one = wasm_f32x4_splat(1.0f);
  const v128_t sign = wasm_f32x4_splat(-0.0f);
  const v128_t a = wasm_f32x4_abs(x);
  // |x| < 0.625: a + a·z·P(z), z = a² (Cephes tanhf; relative error ~1.3e-7).
  const v128_t z = wasm_f32x4_mul(a, a);
  v128_t q = wasm_f32x4_splat(-5.70498872745e-3f);
  q = wasm_f32x4_add(wasm_f32x4_mul(q, z), wasm_f32x4_splat(2.06390887954e-2f));
  q = wasm_f32x4_add(wasm_f32x4_mul(q, z), wasm_f32x4_splat(-5.37397155531e-2f));
  q = wasm_f32x4_add(wasm_f32x4_mul(q, z), wasm_f32x4_splat(1.33314422036e-1f));
  q = wasm_f32x4_add(wasm_f32x4_mul(q, z), wasm_f32x4_splat(-3.33332819422e-1f));
  const v128_t small = wasm_f32x4_add(wasm_f32x4_mul(wasm_f32x4_mul(q, z), a), a);
  // else (1 − e)/(1 + e), e = exp(−2|x|) ≤ e^−1.25: no cancellation.
  const v128_t e = Exp4(wasm_f32x4_mul(a, wasm_f32x4_splat(-2.0f)));
  const v128_t large = wasm_f32x4_div(wasm_f32x4_sub(one, e), wasm_f32x4_add(one, e));
  const v128_t t = wasm_v128_bitselect(small, large, wasm_f32x4_lt(a, wasm_f32x4_splat(0.625f)));
  const v128_t y = wasm_v128_or(t, wasm_v128_and(x, sign));  // t ≥ 0: put the sign of x on it
  return wasm_v128_bitselect(x, y, wasm_f32x4_ne(x, x));     // NaN passes through
}

// tanh per lane, cheaper than Tanh4 (about half the operations: no exp): Eigen's rational
// minimax approximation (generic_fast_tanh_float), p(x)/q(x) with x clamped to ±7.9053,
// and x itself below |x| = 0.0004. Error ≤ 4.2e-7 relative over all floats (measured
// against double tanh in tests/engine/mlp_test.cpp); |result| ≤ 1. NaN passes through.
inline v128_t TanhFast4(v128_t x) {
  const v128_t limit = wasm_f32x4_splat(7.90531110763549805f);
  const v128_t xc = wasm_f32x4_pmax(wasm_f32x4_pmin(x, limit), wasm_f32x4_neg(limit));
  const v128_t x2 = wasm_f32x4_mul(xc, xc);
  v128_t p = wasm_f32x4_splat(-2.76076847742355e-16f);
  p = wasm_f32x4_add(wasm_f32x4_mul(p, x2), wasm_f32x4_splat(2.00018790482477e-13f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, x2), wasm_f32x4_splat(-8.60467152213735e-11f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, x2), wasm_f32x4_splat(5.12229709037114e-08f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, x2), wasm_f32x4_splat(1.48572235717979e-05f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, x2), wasm_f32x4_splat(6.37261928875436e-04f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, x2), wasm_f32x4_splat(4.89352455891786e-03f));
  p = wasm_f32x4_mul(p, xc);
  v128_t q = wasm_f32x4_splat(1.19825839466702e-06f);
  q = wasm_f32x4_add(wasm_f32x4_mul(q, x2), wasm_f32x4_splat(1.18534705686654e-04f));
  q = wasm_f32x4_add(wasm_f32x4_mul(q, x2), wasm_f32x4_splat(2.26843463243900e-03f));
  q = wasm_f32x4_add(wasm_f32x4_mul(q, x2), wasm_f32x4_splat(4.89352518554385e-03f));
  const v128_t tiny = wasm_f32x4_lt(wasm_f32x4_abs(x), wasm_f32x4_splat(0.0004f));
  return wasm_v128_bitselect(x, wasm_f32x4_div(p, q), tiny);
}

}  // namespace simd128
}  // namespace nnplay

#endif  // NNPLAY_HAVE_SIMD128
