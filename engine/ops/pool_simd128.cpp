// pool_simd128.cpp: max and average pooling forward with WebAssembly SIMD128 (SIMDe
// natively); see pool.h. Bit for bit equal to the reference, argmax included.
#include <cmath>
#include <cstddef>

#include "kernels/simd.h"
#include "ops/pool.h"

namespace nnplay {

#if NNPLAY_HAVE_SIMD128

namespace {

// The reference's scalar computation of one output (oy, ox) of channel plane in_c.
void MaxCell(const Pool2dParams& p, const float* in_c, int oy, int ox, float* out, int* arg) {
  const int ys = oy * p.stride_h - p.pad_top, xs = ox * p.stride_w - p.pad_left;
  const int y0 = ys < 0 ? 0 : ys, y1 = ys + p.k_h > p.h ? p.h : ys + p.k_h;
  const int x0 = xs < 0 ? 0 : xs, x1 = xs + p.k_w > p.w ? p.w : xs + p.k_w;
  int best = y0 * p.w + x0;
  for (int y = y0; y < y1; ++y)
    for (int x = x0; x < x1; ++x) {
      const float v = in_c[y * p.w + x], m = in_c[best];
      if (v > m || (std::isnan(v) && !std::isnan(m))) best = y * p.w + x;
    }
  *out = in_c[best];
  if (arg) *arg = best;
}

void AvgCell(const Pool2dParams& p, const float* in_c, int oy, int ox, float* out) {
  const int ys = oy * p.stride_h - p.pad_top, xs = ox * p.stride_w - p.pad_left;
  const int y0 = ys < 0 ? 0 : ys, y1 = ys + p.k_h > p.h ? p.h : ys + p.k_h;
  const int x0 = xs < 0 ? 0 : xs, x1 = xs + p.k_w > p.w ? p.w : xs + p.k_w;
  float sum = 0;
  for (int y = y0; y < y1; ++y)
    for (int x = x0; x < x1; ++x) sum += in_c[y * p.w + x];
  const float div = p.count_include_pad ? static_cast<float>(p.k_h * p.k_w)
                                        : static_cast<float>((y1 - y0) * (x1 - x0));
  *out = sum / div;
}

// Output columns [*lo, *hi] whose window lies inside the input horizontally (hi < lo: none).
void InteriorColumns(const Pool2dParams& p, int ow, int* lo, int* hi) {
  *lo = (p.pad_left + p.stride_w - 1) / p.stride_w;
  const int last = p.w - p.k_w + p.pad_left;  // xs + k_w ≤ w  ⇔  ox·s ≤ last
  *hi = last < 0 ? -1 : (last / p.stride_w < ow - 1 ? last / p.stride_w : ow - 1);
}

// Lanes l = 0..3 read src[l·s]; src[0, avail) lies inside the input row.
inline v128_t LoadStrided(const float* src, int s, int avail) {
  if (s == 1) return wasm_v128_load(src);
  if (s == 2 && avail >= 8)  // two loads, keep the even lanes
    return wasm_i32x4_shuffle(wasm_v128_load(src), wasm_v128_load(src + 4), 0, 2, 4, 6);
  if (s == 3 && avail >= 10)  // src[0..3] and src[6..9]: lanes 0, 3 of each
    return wasm_i32x4_shuffle(wasm_v128_load(src), wasm_v128_load(src + 6), 0, 3, 4, 7);
  return wasm_f32x4_make(src[0], src[s], src[2 * s], src[3 * s]);
}

}  // namespace

void maxpool2d_forward_simd128(const Pool2dParams& p, const float* input, float* output,
                               int* argmax) {
  const int oh = p.out_h(), ow = p.out_w(), s = p.stride_w;
  int lo, hi;
  InteriorColumns(p, ow, &lo, &hi);
  for (int ch = 0; ch < p.c; ++ch) {
    const float* in_c = input + static_cast<size_t>(ch) * p.h * p.w;
    for (int oy = 0; oy < oh; ++oy) {
      const size_t row = (static_cast<size_t>(ch) * oh + oy) * ow;
      const int ys = oy * p.stride_h - p.pad_top;
      const int y0 = ys < 0 ? 0 : ys, y1 = ys + p.k_h > p.h ? p.h : ys + p.k_h;
      int* arg_row = argmax ? argmax + row : nullptr;
      int ox = 0;
      for (; ox < lo && ox < ow; ++ox)
        MaxCell(p, in_c, oy, ox, output + row + ox, arg_row ? arg_row + ox : nullptr);
      for (; ox + 4 <= hi + 1; ox += 4) {
        const int xs = ox * s - p.pad_left;  // ≥ 0: interior
        // lane l: input column of tap (y, kx) is xs + l·s + kx
        const v128_t lane_x = wasm_i32x4_make(xs, xs + s, xs + 2 * s, xs + 3 * s);
        v128_t m = LoadStrided(in_c + y0 * p.w + xs, s, p.w - xs);
        v128_t best = wasm_i32x4_add(lane_x, wasm_i32x4_splat(y0 * p.w));
        v128_t m_nan = wasm_f32x4_ne(m, m);
        for (int y = y0; y < y1; ++y) {
          for (int kx = (y == y0 ? 1 : 0); kx < p.k_w; ++kx) {
            const v128_t v = LoadStrided(in_c + y * p.w + xs + kx, s, p.w - xs - kx);
            const v128_t v_nan = wasm_f32x4_ne(v, v);
            // Beats(v, m): v > m, or v is NaN and m is not.
            const v128_t beats = wasm_v128_or(wasm_f32x4_gt(v, m), wasm_v128_andnot(v_nan, m_nan));
            m = wasm_v128_bitselect(v, m, beats);
            m_nan = wasm_v128_or(m_nan, v_nan);  // once NaN, stays the first NaN
            best = wasm_v128_bitselect(wasm_i32x4_add(lane_x, wasm_i32x4_splat(y * p.w + kx)), best,
                                       beats);
          }
        }
        wasm_v128_store(output + row + ox, m);
        if (arg_row) wasm_v128_store(arg_row + ox, best);
      }
      // leftovers
      for (; ox < ow; ++ox)
        MaxCell(p, in_c, oy, ox, output + row + ox, arg_row ? arg_row + ox : nullptr);
    }
  }
}

void avgpool2d_forward_simd128(const Pool2dParams& p, const float* input, float* output) {
  const int oh = p.out_h(), ow = p.out_w(), s = p.stride_w;
  int lo, hi;
  InteriorColumns(p, ow, &lo, &hi);
  for (int ch = 0; ch < p.c; ++ch) {
    const float* in_c = input + static_cast<size_t>(ch) * p.h * p.w;
    for (int oy = 0; oy < oh; ++oy) {
      float* out_row = output + (static_cast<size_t>(ch) * oh + oy) * ow;
      const int ys = oy * p.stride_h - p.pad_top;
      const int y0 = ys < 0 ? 0 : ys, y1 = ys + p.k_h > p.h ? p.h : ys + p.k_h;
      const v128_t div =
          wasm_f32x4_splat(p.count_include_pad ? static_cast<float>(p.k_h * p.k_w)
                                               : static_cast<float>((y1 - y0) * p.k_w));
      int ox = 0;
      for (; ox < lo && ox < ow; ++ox) AvgCell(p, in_c, oy, ox, out_row + ox);
      for (; ox + 4 <= hi + 1; ox += 4) {
        const int xs = ox * s - p.pad_left;
        v128_t sum = wasm_f32x4_splat(0.0f);
        for (int y = y0; y < y1; ++y)
          for (int kx = 0; kx < p.k_w; ++kx)
            sum = wasm_f32x4_add(sum, LoadStrided(in_c + y * p.w + xs + kx, s, p.w - xs - kx));
        wasm_v128_store(out_row + ox, wasm_f32x4_div(sum, div));
      }
      // leftovers
      for (; ox < ow; ++ox) AvgCell(p, in_c, oy, ox, out_row + ox);
    }
  }
}

#else

void maxpool2d_forward_simd128(const Pool2dParams& p, const float* input, float* output,
                               int* argmax) {
  maxpool2d_forward_ref(p, input, output, argmax);
}
void avgpool2d_forward_simd128(const Pool2dParams& p, const float* input, float* output) {
  avgpool2d_forward_ref(p, input, output);
}

#endif

// A vector needs four output columns; below that the reference runs (same results).
void maxpool2d_forward(const Pool2dParams& p, const float* input, float* output, int* argmax) {
  if (p.out_w() >= 4 && p.dil_h == 1 && p.dil_w == 1 && !p.ceil_mode) {
    maxpool2d_forward_simd128(p, input, output, argmax);
  } else {
    maxpool2d_forward_ref(p, input, output, argmax);
  }
}
void avgpool2d_forward(const Pool2dParams& p, const float* input, float* output) {
  if (p.out_w() >= 4 && !p.ceil_mode) {
    avgpool2d_forward_simd128(p, input, output);
  } else {
    avgpool2d_forward_ref(p, input, output);
  }
}

}  // namespace nnplay
