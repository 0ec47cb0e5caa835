// conv2d_backward_simd128.cpp: the conv2d backward pass with WebAssembly SIMD128 (SIMDe
// natively) for stride_w == 1; see conv2d_backward.h.
#include <cstddef>

#include "kernels/simd.h"
#include "ops/conv2d_backward.h"

namespace nnplay {

#if NNPLAY_HAVE_SIMD128

namespace {

inline float HorizontalSum(v128_t v) {
  return (wasm_f32x4_extract_lane(v, 0) + wasm_f32x4_extract_lane(v, 1)) +
         (wasm_f32x4_extract_lane(v, 2) + wasm_f32x4_extract_lane(v, 3));
}

}  // namespace

void conv2d_backward_simd128(const Conv2dParams& p, const float* input, const float* weights,
                             const float* doutput, float* dinput, float* dweights, float* dbias) {
  if (p.stride_w != 1) {
    conv2d_backward_ref(p, input, weights, doutput, dinput, dweights, dbias);
    return;
  }
  const int oh = p.out_h(), ow = p.out_w();
  if (oh == 0 || ow == 0) return;
  const int cpg = p.in_c / p.groups, opg = p.out_c / p.groups;
  const size_t plane = static_cast<size_t>(p.in_h) * p.in_w;
  const size_t oplane = static_cast<size_t>(oh) * ow;
  const size_t taps = static_cast<size_t>(p.k_h) * p.k_w;
  for (int o = 0; o < p.out_c; ++o) {
    const int c0 = (o / opg) * cpg;
    const float* g_o = doutput + static_cast<size_t>(o) * oplane;
    if (dbias) {
      v128_t acc = wasm_f32x4_splat(0.0f);
      size_t i = 0;
      for (; i + 4 <= oplane; i += 4) acc = wasm_f32x4_add(acc, wasm_v128_load(g_o + i));
      float s = HorizontalSum(acc);
      // leftovers
      for (; i < oplane; ++i) s += g_o[i];
      dbias[o] += s;
    }
    if (!dinput && !dweights) continue;
    for (int ci = 0; ci < cpg; ++ci) {
      const size_t in_c = static_cast<size_t>(c0 + ci) * plane;
      const size_t w_c = (static_cast<size_t>(o) * cpg + ci) * taps;
      for (int ky = 0; ky < p.k_h; ++ky) {
        for (int kx = 0; kx < p.k_w; ++kx) {
          const size_t k = w_c + static_cast<size_t>(ky) * p.k_w + kx;
          // Output column ox reads input column ox + dx; in bounds for ox in [x0, x1).
          const int dx = kx * p.dil_w - p.pad_left;
          const int x0 = dx < 0 ? -dx : 0;
          const int x1 = p.in_w - dx < ow ? p.in_w - dx : ow;
          if (x1 <= x0) continue;
          const float w = weights[k];
          const v128_t wv = wasm_f32x4_splat(w);
          v128_t acc = wasm_f32x4_splat(0.0f);
          float tail = 0.0f;
          for (int oy = 0; oy < oh; ++oy) {
            const int iy = oy * p.stride_h - p.pad_top + ky * p.dil_h;
            if (iy < 0 || iy >= p.in_h) continue;
            const float* g = g_o + static_cast<size_t>(oy) * ow;
            const size_t irow = in_c + static_cast<size_t>(iy) * p.in_w + dx;  // + ox
            int ox = x0;
            for (; ox + 4 <= x1; ox += 4) {
              const v128_t gv = wasm_v128_load(g + ox);
              if (dinput) {
                float* d = dinput + irow + ox;
                wasm_v128_store(d, wasm_f32x4_add(wasm_v128_load(d), wasm_f32x4_mul(gv, wv)));
              }
              if (dweights)
                acc = wasm_f32x4_add(acc, wasm_f32x4_mul(gv, wasm_v128_load(input + irow + ox)));
            }
            // leftovers
            for (; ox < x1; ++ox) {
              if (dinput) dinput[irow + ox] += g[ox] * w;
              if (dweights) tail += g[ox] * input[irow + ox];
            }
          }
          if (dweights) dweights[k] += HorizontalSum(acc) + tail;
        }
      }
    }
  }
}

#else

void conv2d_backward_simd128(const Conv2dParams& p, const float* input, const float* weights,
                             const float* doutput, float* dinput, float* dweights, float* dbias) {
  conv2d_backward_ref(p, input, weights, doutput, dinput, dweights, dbias);
}

#endif

void conv2d_backward(const Conv2dParams& p, const float* input, const float* weights,
                     const float* doutput, float* dinput, float* dweights, float* dbias) {
  if (p.stride_w == 1 && p.out_w() >= 4) {
    conv2d_backward_simd128(p, input, weights, doutput, dinput, dweights, dbias);
  } else {
    conv2d_backward_ref(p, input, weights, doutput, dinput, dweights, dbias);
  }
}

}  // namespace nnplay
