// activations_exp_simd128.cpp: sigmoid and tanh with WebAssembly SIMD128 (SIMDe natively)
// on a vectorised exp; see activations.h for the method and the error bounds.
#include <cstddef>

#include "kernels/simd.h"
#include "kernels/simd_math.h"
#include "ops/activations.h"

namespace nnplay {

#if NNPLAY_HAVE_SIMD128

namespace {

using simd128::Sigmoid4;
using simd128::Tanh4;

// Runs f on all of x; the tail (< 4 values) goes through a zero-padded vector.
template <typename F>
void Map4(const float* x, float* y, size_t n, F f) {
  size_t i = 0;
  for (; i + 4 <= n; i += 4) wasm_v128_store(y + i, f(wasm_v128_load(x + i)));
  // leftovers
  if (i < n) {
    float in[4] = {0, 0, 0, 0}, out[4];
    for (size_t j = 0; i + j < n; ++j) in[j] = x[i + j];
    wasm_v128_store(out, f(wasm_v128_load(in)));
    for (size_t j = 0; i + j < n; ++j) y[i + j] = out[j];
  }
}

}  // namespace

void sigmoid_forward_simd128(const float* x, float* y, size_t n) {
  Map4(x, y, n, Sigmoid4);
}
void tanh_forward_simd128(const float* x, float* y, size_t n) {
  Map4(x, y, n, Tanh4);
}

#else

void sigmoid_forward_simd128(const float* x, float* y, size_t n) {
  sigmoid_forward_ref(x, y, n);
}
void tanh_forward_simd128(const float* x, float* y, size_t n) {
  tanh_forward_ref(x, y, n);
}

#endif

void sigmoid_forward(const float* x, float* y, size_t n) {
  if (n >= 4) {
    sigmoid_forward_simd128(x, y, n);
  } else {
    sigmoid_forward_ref(x, y, n);
  }
}
void tanh_forward(const float* x, float* y, size_t n) {
  if (n >= 4) {
    tanh_forward_simd128(x, y, n);
  } else {
    tanh_forward_ref(x, y, n);
  }
}

}  // namespace nnplay
