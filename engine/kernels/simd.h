// simd.h: the one place that decides where WebAssembly SIMD128 intrinsics come from.
//
// - Emscripten with -msimd128: the real <wasm_simd128.h>.
// - Native builds (NNPLAY_SIMDE): SIMDe's portable implementation of the same
//   intrinsics, so every SIMD128 kernel also compiles, runs and is sanitized natively.
// Kernels include this header and use the wasm_* names only.
#pragma once

#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#define NNPLAY_HAVE_SIMD128 1
#elif defined(NNPLAY_SIMDE)
#define SIMDE_ENABLE_NATIVE_ALIASES
#include <simde/wasm/simd128.h>
#define NNPLAY_HAVE_SIMD128 1
#else
#define NNPLAY_HAVE_SIMD128 0
#endif
