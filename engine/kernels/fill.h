// fill.h: clearing and copying float buffers with SIMD128 stores, inline, for the training
// step's many small and mid-sized clears and row copies (nn/network.cpp, kernels/conv_direct).
//
// Why not std::fill / std::memcpy: in wasm they become calls to the C library's memset and
// memcpy, compiled to wasm themselves (without bulk memory: 8 bytes a store) and paying a
// call per row; in the MNIST demo's profile memset was 6 % and memcpy 1 % of a step. clang
// turns a plain clearing loop back into memset, hence no_builtin on these functions.
#pragma once

#include <cstddef>

#include "kernels/simd.h"

#if defined(__clang__)
#define NNPLAY_NO_MEM_BUILTINS __attribute__((no_builtin("memset", "memcpy")))
#else
#define NNPLAY_NO_MEM_BUILTINS
#endif

namespace nnplay {

// p[0, n) = +0.
NNPLAY_NO_MEM_BUILTINS inline void ZeroFloats(float* p, size_t n) {
  size_t i = 0;
#if NNPLAY_HAVE_SIMD128
  const v128_t z = wasm_f32x4_splat(0.0f);
  for (; i + 16 <= n; i += 16) {
    wasm_v128_store(p + i, z);
    wasm_v128_store(p + i + 4, z);
    wasm_v128_store(p + i + 8, z);
    wasm_v128_store(p + i + 12, z);
  }
  for (; i + 4 <= n; i += 4) wasm_v128_store(p + i, z);
#endif
  for (; i < n; ++i) p[i] = 0.0f;
}

// dst[0, n) = src[0, n) (the ranges do not overlap).
NNPLAY_NO_MEM_BUILTINS inline void CopyFloats(float* dst, const float* src, size_t n) {
  size_t i = 0;
#if NNPLAY_HAVE_SIMD128
  for (; i + 8 <= n; i += 8) {
    const v128_t a = wasm_v128_load(src + i), b = wasm_v128_load(src + i + 4);
    wasm_v128_store(dst + i, a);
    wasm_v128_store(dst + i + 4, b);
  }
  for (; i + 4 <= n; i += 4) wasm_v128_store(dst + i, wasm_v128_load(src + i));
#endif
  for (; i < n; ++i) dst[i] = src[i];
}

}  // namespace nnplay
