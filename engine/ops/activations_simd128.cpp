// activations_simd128.cpp: ReLU and leaky ReLU with WebAssembly SIMD128 (SIMDe natively).
// Each lane does the reference's comparison and select, so results are bit for bit equal
// (NaN inputs and −0 included: ReLU keeps x where x > 0 or x is NaN, else writes +0).
#include "kernels/simd.h"
#include "ops/activations.h"

#include <cmath>

namespace nnplay {

#if NNPLAY_HAVE_SIMD128

void relu_forward_simd128(const float* x, float* y, size_t n) {
  const v128_t zero = wasm_f32x4_splat(0.0f);
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    const v128_t v = wasm_v128_load(x + i);
    const v128_t keep = wasm_v128_or(wasm_f32x4_gt(v, zero), wasm_f32x4_ne(v, v));  // > 0 or NaN
    wasm_v128_store(y + i, wasm_v128_and(v, keep));
  }
  // leftovers
  for (; i < n; ++i) y[i] = x[i] > 0.0f ? x[i] : (std::isnan(x[i]) ? x[i] : 0.0f);
}

void relu_backward_simd128(const float* x, const float* dy, float* dx, size_t n) {
  const v128_t zero = wasm_f32x4_splat(0.0f);
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    const v128_t pass = wasm_f32x4_gt(wasm_v128_load(x + i), zero);
    const v128_t g = wasm_v128_and(wasm_v128_load(dy + i), pass);  // x > 0 ? dy : 0
    wasm_v128_store(dx + i, wasm_f32x4_add(wasm_v128_load(dx + i), g));
  }
  // leftovers
  for (; i < n; ++i) dx[i] += x[i] > 0.0f ? dy[i] : 0.0f;
}

void leaky_relu_forward_simd128(const float* x, float* y, size_t n, float slope) {
  const v128_t zero = wasm_f32x4_splat(0.0f), s = wasm_f32x4_splat(slope);
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    const v128_t v = wasm_v128_load(x + i);
    const v128_t neg = wasm_f32x4_lt(v, zero);
    wasm_v128_store(y + i, wasm_v128_bitselect(wasm_f32x4_mul(s, v), v, neg));
  }
  // leftovers
  for (; i < n; ++i) y[i] = x[i] < 0.0f ? slope * x[i] : x[i];
}

void leaky_relu_backward_simd128(const float* x, const float* dy, float* dx, size_t n,
                                 float slope) {
  const v128_t zero = wasm_f32x4_splat(0.0f), s = wasm_f32x4_splat(slope);
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    const v128_t g = wasm_v128_load(dy + i);
    const v128_t pass = wasm_f32x4_gt(wasm_v128_load(x + i), zero);
    const v128_t d = wasm_v128_bitselect(g, wasm_f32x4_mul(s, g), pass);
    wasm_v128_store(dx + i, wasm_f32x4_add(wasm_v128_load(dx + i), d));
  }
  // leftovers
  for (; i < n; ++i) dx[i] += x[i] > 0.0f ? dy[i] : slope * dy[i];
}

#else

void relu_forward_simd128(const float* x, float* y, size_t n) {
  relu_forward_ref(x, y, n);
}
void relu_backward_simd128(const float* x, const float* dy, float* dx, size_t n) {
  relu_backward_ref(x, dy, dx, n);
}
void leaky_relu_forward_simd128(const float* x, float* y, size_t n, float slope) {
  leaky_relu_forward_ref(x, y, n, slope);
}
void leaky_relu_backward_simd128(const float* x, const float* dy, float* dx, size_t n,
                                 float slope) {
  leaky_relu_backward_ref(x, dy, dx, n, slope);
}

#endif

// One vector needs four values; below that the reference runs (same results either way).
void relu_forward(const float* x, float* y, size_t n) {
  if (n >= 4) {
    relu_forward_simd128(x, y, n);
  } else {
    relu_forward_ref(x, y, n);
  }
}
void relu_backward(const float* x, const float* dy, float* dx, size_t n) {
  if (n >= 4) {
    relu_backward_simd128(x, dy, dx, n);
  } else {
    relu_backward_ref(x, dy, dx, n);
  }
}
void leaky_relu_forward(const float* x, float* y, size_t n, float slope) {
  if (n >= 4) {
    leaky_relu_forward_simd128(x, y, n, slope);
  } else {
    leaky_relu_forward_ref(x, y, n, slope);
  }
}
void leaky_relu_backward(const float* x, const float* dy, float* dx, size_t n, float slope) {
  if (n >= 4) {
    leaky_relu_backward_simd128(x, dy, dx, n, slope);
  } else {
    leaky_relu_backward_ref(x, dy, dx, n, slope);
  }
}

}  // namespace nnplay
