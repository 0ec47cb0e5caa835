// conv_direct.cpp: see conv_direct.h. SIMD128 tiles (natively through SIMDe), a scalar loop
// in the same order without SIMD128.
#include "kernels/conv_direct.h"

#include <algorithm>
#include <cstring>

#include "kernels/fill.h"
#include "kernels/simd.h"

namespace nnplay {

void conv_direct_pad(const ConvDirectShape& s, int in_h, int in_w, int top, int left,
                     const float* in, float* padded) {
  const size_t plane = static_cast<size_t>(s.ph) * s.pw;
  const int right = s.pw - in_w - left;
  for (int c = 0; c < s.in_c; ++c) {
    // The top rows, each row's right border with the next row's left border (adjacent in
    // memory), the bottom rows zeroed; the interior copied.
    float* pl = padded + c * plane;
    const float* ip = in + static_cast<size_t>(c) * in_h * in_w;
    ZeroFloats(pl, static_cast<size_t>(top) * s.pw + left);
    for (int y = 0; y < in_h; ++y) {
      float* d = pl + static_cast<size_t>(y + top) * s.pw + left;
      CopyFloats(d, ip + static_cast<size_t>(y) * in_w, static_cast<size_t>(in_w));
      const size_t gap = y + 1 < in_h ? static_cast<size_t>(right + left) : 0;
      ZeroFloats(d + in_w, gap);
    }
    float* tail = pl + static_cast<size_t>(top + in_h - 1) * s.pw + left + in_w;
    ZeroFloats(tail, static_cast<size_t>(pl + plane - tail));
  }
  float* end = padded + s.in_c * plane;
  ZeroFloats(end, kConvDirectSlack);
}

void conv_direct_offsets(const ConvDirectShape& s, int* off) {
  for (int c = 0; c < s.in_c; ++c)
    for (int ky = 0; ky < s.k_h; ++ky)
      for (int kx = 0; kx < s.k_w; ++kx) *off++ = (c * s.ph + ky) * s.pw + kx;
}

size_t conv_direct_packed_dout_size(int out_c, int hw, int batch) {
  return static_cast<size_t>((out_c + 3) / 4 * 4) * hw * batch;
}

int conv_direct_dout_tiles(int out_c) {
  return (out_c + 7) / 8;
}

int conv_direct_wgrad_items(const ConvDirectShape& s) {
  return conv_direct_dout_tiles(s.out_c) * ((s.taps() + 3) / 4);
}

namespace {

// Width of dout tile t: 8, or 4 when at most 4 channels are left.
int TileWidth(int out_c, int t) {
  return out_c - 8 * t > 4 ? 8 : 4;
}

}  // namespace

void conv_direct_pack_dout(int out_c, int hw, int batch, const float* dout, float* packed,
                           int t_begin, int t_end) {
  const size_t nhw = static_cast<size_t>(batch) * hw;
  for (int t = t_begin; t < t_end; ++t) {
    const int width = TileWidth(out_c, t);
    float* tile = packed + static_cast<size_t>(8 * t) * nhw;
    for (int g = 0; g < width / 4; ++g) {
      const int o0 = 8 * t + 4 * g, rows = std::min(4, out_c - o0);
      for (int s = 0; s < batch; ++s) {
        const float* src = dout + (static_cast<size_t>(s) * out_c + o0) * hw;
        float* dst = tile + static_cast<size_t>(s) * hw * width + 4 * g;
        int pos = 0;
#if NNPLAY_HAVE_SIMD128
        if (rows == 4) {
          // 4 channels × 4 positions at a time: a 4×4 transpose.
          for (; pos + 4 <= hw; pos += 4) {
            const v128_t x0 = wasm_v128_load(src + pos), x1 = wasm_v128_load(src + hw + pos);
            const v128_t x2 = wasm_v128_load(src + 2 * hw + pos);
            const v128_t x3 = wasm_v128_load(src + 3 * hw + pos);
            const v128_t t0 = wasm_i32x4_shuffle(x0, x1, 0, 4, 1, 5);
            const v128_t t1 = wasm_i32x4_shuffle(x2, x3, 0, 4, 1, 5);
            const v128_t t2 = wasm_i32x4_shuffle(x0, x1, 2, 6, 3, 7);
            const v128_t t3 = wasm_i32x4_shuffle(x2, x3, 2, 6, 3, 7);
            float* d = dst + static_cast<size_t>(pos) * width;
            wasm_v128_store(d, wasm_i32x4_shuffle(t0, t1, 0, 1, 4, 5));
            wasm_v128_store(d + width, wasm_i32x4_shuffle(t0, t1, 2, 3, 6, 7));
            wasm_v128_store(d + 2 * width, wasm_i32x4_shuffle(t2, t3, 0, 1, 4, 5));
            wasm_v128_store(d + 3 * width, wasm_i32x4_shuffle(t2, t3, 2, 3, 6, 7));
          }
        }
#endif
        for (; pos < hw; ++pos)
          for (int r = 0; r < 4; ++r)
            dst[static_cast<size_t>(pos) * width + r] =
                r < rows ? src[static_cast<size_t>(r) * hw + pos] : 0.0f;
      }
    }
  }
}

#if NNPLAY_HAVE_SIMD128

namespace {

// Output quad n (4 adjacent positions of one output row; NB of them: 1 or 2, in any rows):
// out_n[r·ostride + i] for r < rows, i < cols (≤ 4; the second quad is whole) = Σ_j a[4j + r] ·
// base_n[off[j] + i] (+ bias[r]).
template <int NB>
inline void ForwardTile(int kk, const float* a, const float* base0, const float* base1,
                        const int* off, const float* bias, float* out0, float* out1, size_t ostride,
                        int rows, int cols) {
  v128_t x[4][NB];
  for (int r = 0; r < 4; ++r)
    for (int n = 0; n < NB; ++n) x[r][n] = wasm_f32x4_splat(0.0f);
  for (int j = 0; j < kk; ++j, a += 4) {
    v128_t bv[NB];
    bv[0] = wasm_v128_load(base0 + off[j]);
    if (NB > 1) bv[NB - 1] = wasm_v128_load(base1 + off[j]);
    for (int r = 0; r < 4; ++r) {
      const v128_t ar = wasm_v128_load32_splat(a + r);
      for (int n = 0; n < NB; ++n) x[r][n] = wasm_f32x4_add(x[r][n], wasm_f32x4_mul(ar, bv[n]));
    }
  }
  if (bias)
    for (int r = 0; r < rows; ++r) {
      const v128_t y = wasm_v128_load32_splat(bias + r);
      for (int n = 0; n < NB; ++n) x[r][n] = wasm_f32x4_add(x[r][n], y);
    }
  for (int r = 0; r < rows; ++r) {
    if (cols == 4) {
      wasm_v128_store(out0 + r * ostride, x[r][0]);
    } else {
      float t[4];
      wasm_v128_store(t, x[r][0]);
      for (int i = 0; i < cols; ++i) out0[r * ostride + i] = t[i];
    }
    if (NB > 1) wasm_v128_store(out1 + r * ostride, x[r][NB - 1]);
  }
}

// acc[t][i] = Σ over the batch's positions of a[4i..4i+3] · splat(padded_s[toff[t] + pos]):
// 4 taps × 4·NA channels.
template <int NA>
inline void WgradTile(int batch, int oh, int ow, int pw, const float* padded, size_t padded_stride,
                      const float* a, const int* toff, v128_t acc[4][2]) {
  v128_t x[4][NA];
  for (int t = 0; t < 4; ++t)
    for (int i = 0; i < NA; ++i) x[t][i] = wasm_f32x4_splat(0.0f);
  for (int s = 0; s < batch; ++s) {
    const float* ps = padded + static_cast<size_t>(s) * padded_stride;
    for (int oy = 0; oy < oh; ++oy, a += 4 * NA * ow) {
      const float* row = ps + static_cast<size_t>(oy) * pw;
      const float *p0 = row + toff[0], *p1 = row + toff[1], *p2 = row + toff[2],
                  *p3 = row + toff[3];
      for (int ox = 0; ox < ow; ++ox) {
        v128_t av[NA];
        for (int i = 0; i < NA; ++i) av[i] = wasm_v128_load(a + (4 * NA) * ox + 4 * i);
        const v128_t s0 = wasm_v128_load32_splat(p0 + ox), s1 = wasm_v128_load32_splat(p1 + ox);
        for (int i = 0; i < NA; ++i) {
          x[0][i] = wasm_f32x4_add(x[0][i], wasm_f32x4_mul(av[i], s0));
          x[1][i] = wasm_f32x4_add(x[1][i], wasm_f32x4_mul(av[i], s1));
        }
        const v128_t s2 = wasm_v128_load32_splat(p2 + ox), s3 = wasm_v128_load32_splat(p3 + ox);
        for (int i = 0; i < NA; ++i) {
          x[2][i] = wasm_f32x4_add(x[2][i], wasm_f32x4_mul(av[i], s2));
          x[3][i] = wasm_f32x4_add(x[3][i], wasm_f32x4_mul(av[i], s3));
        }
      }
    }
  }
  for (int t = 0; t < 4; ++t)
    for (int i = 0; i < NA; ++i) acc[t][i] = x[t][i];
}

}  // namespace

void conv_direct_forward(const ConvDirectShape& s, const float* padded, const float* packed_w,
                         const int* off, const float* bias, float* out, int p_begin, int p_end) {
  const int kk = s.taps(), oh = s.out_h(), ow = s.out_w();
  const size_t hw = static_cast<size_t>(oh) * ow;
  for (int p = p_begin; p < p_end; ++p) {
    const int rows = std::min(4, s.out_c - 4 * p);
    const float* a = packed_w + static_cast<size_t>(p) * 4 * kk;
    float tb[4] = {};
    if (bias)
      for (int r = 0; r < rows; ++r) tb[r] = bias[4 * p + r];
    const float* b = bias ? tb : nullptr;
    float* o = out + static_cast<size_t>(4 * p) * hw;
    // The whole quads of every row (4 positions: one vector of the padded input per tap),
    // two at a time, across rows too (a row of 12 is three quads: no half-empty tiles); then
    // an odd last quad; then each row's last ow % 4 positions.
    const int per_row = ow / 4, quads = oh * per_row;
    const auto in_at = [&](int q) {
      return padded + static_cast<size_t>(q / per_row) * s.pw + 4 * (q % per_row);
    };
    const auto out_at = [&](int q) {
      return o + static_cast<size_t>(q / per_row) * ow + 4 * (q % per_row);
    };
    int q = 0;
    for (; q + 2 <= quads; q += 2)
      ForwardTile<2>(kk, a, in_at(q), in_at(q + 1), off, b, out_at(q), out_at(q + 1), hw, rows, 4);
    if (q < quads)
      ForwardTile<1>(kk, a, in_at(q), nullptr, off, b, out_at(q), nullptr, hw, rows, 4);
    if (ow % 4)
      for (int oy = 0; oy < oh; ++oy)
        ForwardTile<1>(kk, a, padded + static_cast<size_t>(oy) * s.pw + 4 * per_row, nullptr, off,
                       b, o + static_cast<size_t>(oy) * ow + 4 * per_row, nullptr, hw, rows,
                       ow % 4);
  }
}

void conv_direct_wgrad(const ConvDirectShape& s, int batch, const float* padded,
                       size_t padded_stride, const float* packed_dout, const int* off, float* dw,
                       int i_begin, int i_end) {
  const int kk = s.taps(), groups = (kk + 3) / 4, oh = s.out_h(), ow = s.out_w();
  const size_t nhw = static_cast<size_t>(batch) * oh * ow;
  for (int item = i_begin; item < i_end; ++item) {
    const int t = item / groups, j0 = 4 * (item % groups);
    const int width = TileWidth(s.out_c, t);
    const float* a = packed_dout + static_cast<size_t>(8 * t) * nhw;
    // Taps past the last one read tap j0 again; their sums are not stored.
    int toff[4];
    for (int q = 0; q < 4; ++q) toff[q] = off[j0 + q < kk ? j0 + q : j0];
    v128_t acc[4][2];
    if (width == 8)
      WgradTile<2>(batch, oh, ow, s.pw, padded, padded_stride, a, toff, acc);
    else
      WgradTile<1>(batch, oh, ow, s.pw, padded, padded_stride, a, toff, acc);
    // acc[q][i] lane l = dw[8t + 4i + l][j0 + q]: per channel group a 4×4 transpose.
    const int taps = std::min(4, kk - j0);
    for (int i = 0; i < width / 4; ++i) {
      const v128_t t0 = wasm_i32x4_shuffle(acc[0][i], acc[1][i], 0, 4, 1, 5);
      const v128_t t1 = wasm_i32x4_shuffle(acc[2][i], acc[3][i], 0, 4, 1, 5);
      const v128_t t2 = wasm_i32x4_shuffle(acc[0][i], acc[1][i], 2, 6, 3, 7);
      const v128_t t3 = wasm_i32x4_shuffle(acc[2][i], acc[3][i], 2, 6, 3, 7);
      const v128_t rows[4] = {
          wasm_i32x4_shuffle(t0, t1, 0, 1, 4, 5), wasm_i32x4_shuffle(t0, t1, 2, 3, 6, 7),
          wasm_i32x4_shuffle(t2, t3, 0, 1, 4, 5), wasm_i32x4_shuffle(t2, t3, 2, 3, 6, 7)};
      for (int l = 0; l < 4; ++l) {
        const int o = 8 * t + 4 * i + l;
        if (o >= s.out_c) break;
        float* d = dw + static_cast<size_t>(o) * kk + j0;
        if (taps == 4) {
          wasm_v128_store(d, rows[l]);
        } else {
          float v[4];
          wasm_v128_store(v, rows[l]);
          for (int q = 0; q < taps; ++q) d[q] = v[q];
        }
      }
    }
  }
}

#else  // no SIMD128: the same sums, one output at a time

void conv_direct_forward(const ConvDirectShape& s, const float* padded, const float* packed_w,
                         const int* off, const float* bias, float* out, int p_begin, int p_end) {
  const int kk = s.taps(), oh = s.out_h(), ow = s.out_w();
  for (int o = 4 * p_begin; o < s.out_c && o < 4 * p_end; ++o) {
    const float* a = packed_w + static_cast<size_t>(o / 4) * 4 * kk + o % 4;
    for (int oy = 0; oy < oh; ++oy)
      for (int ox = 0; ox < ow; ++ox) {
        const float* base = padded + static_cast<size_t>(oy) * s.pw + ox;
        float acc = 0.0f;
        for (int j = 0; j < kk; ++j) acc += a[4 * j] * base[off[j]];
        if (bias) acc += bias[o];
        out[(static_cast<size_t>(o) * oh + oy) * ow + ox] = acc;
      }
  }
}

void conv_direct_wgrad(const ConvDirectShape& s, int batch, const float* padded,
                       size_t padded_stride, const float* packed_dout, const int* off, float* dw,
                       int i_begin, int i_end) {
  const int kk = s.taps(), groups = (kk + 3) / 4, oh = s.out_h(), ow = s.out_w();
  const size_t nhw = static_cast<size_t>(batch) * oh * ow;
  for (int item = i_begin; item < i_end; ++item) {
    const int t = item / groups, j0 = 4 * (item % groups);
    const int width = TileWidth(s.out_c, t);
    for (int l = 0; l < width && 8 * t + l < s.out_c; ++l)
      for (int j = j0; j < j0 + 4 && j < kk; ++j) {
        const float* a = packed_dout + static_cast<size_t>(8 * t) * nhw + l;
        float acc = 0.0f;
        for (int b = 0; b < batch; ++b) {
          const float* ps = padded + static_cast<size_t>(b) * padded_stride + off[j];
          for (int oy = 0; oy < oh; ++oy)
            for (int ox = 0; ox < ow; ++ox, a += width)
              acc += *a * ps[static_cast<size_t>(oy) * s.pw + ox];
        }
        dw[static_cast<size_t>(8 * t + l) * kk + j] = acc;
      }
  }
}

#endif

}  // namespace nnplay
