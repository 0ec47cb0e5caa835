// gemm_simd128.cpp: the packed, cache-blocked 4×8 SIMD128 GEMM (see gemm.h).
//
// Register tile: 4 rows × 8 columns = 8 f32x4 accumulators, 2 B vectors and 4 A splats
// live per k step (V8 keeps ≤ 12 accumulators in registers; 4×16 and 6×8 spill, see
// /work/shared/notes/performance.md). Blocking: k in blocks of kKc (a 4×kKc A panel and a
// kKc×8 B panel fit L1 together), m in blocks of kMc rows (the kMc×kKc A block stays in L2
// while every 8-column B panel passes over it). A k block other than the first resumes from
// the partial sums stored in C, so every lane adds the terms in gemm_ref's order.
#include <cstddef>

#include "kernels/gemm.h"
#include "kernels/simd.h"

namespace nnplay {

#if NNPLAY_HAVE_SIMD128

namespace {

// Measured on 1024³, 64×2912×576 (conv (e) as a GEMM), 32×3848×144 and 256³, CPU time per
// call, interleaved (bench/README.md): k blocks of 1024 and m blocks of 64 beat the former
// 256 / 128 by 9–10 % on 1024³ and 6–12 % on the conv shape, equal on the smaller two.
constexpr int kKc = 1024;  // k block: a 4×kKc A panel 16 KB, a kKc×8 B panel 32 KB (L1: 48 KB)
constexpr int kMc = 64;    // m block (multiple of 4): the 64×kKc A block (256 KB) stays in L2

// c[4][8] (row stride ldc) = (resume ? c : 0) + Σ_kk a[kk][r]·b[kk][col], then + bias[r].
inline void Tile4x8(int kc, const float* a, const float* b, float* c, int ldc, bool resume,
                    const float* bias) {
  float* c0 = c;
  float* c1 = c0 + ldc;
  float* c2 = c1 + ldc;
  float* c3 = c2 + ldc;
  v128_t x00, x01, x10, x11, x20, x21, x30, x31;
  if (resume) {
    x00 = wasm_v128_load(c0), x01 = wasm_v128_load(c0 + 4);
    x10 = wasm_v128_load(c1), x11 = wasm_v128_load(c1 + 4);
    x20 = wasm_v128_load(c2), x21 = wasm_v128_load(c2 + 4);
    x30 = wasm_v128_load(c3), x31 = wasm_v128_load(c3 + 4);
  } else {
    x00 = x01 = x10 = x11 = x20 = x21 = x30 = x31 = wasm_f32x4_splat(0.0f);
  }
#define NNPLAY_GEMM_STEP(A, B)                                                               \
  do {                                                                                       \
    const v128_t b0 = wasm_v128_load(B), b1 = wasm_v128_load((B) + 4);                       \
    const v128_t a0 = wasm_v128_load32_splat(A), a1 = wasm_v128_load32_splat((A) + 1);       \
    x00 = wasm_f32x4_add(x00, wasm_f32x4_mul(a0, b0));                                       \
    x01 = wasm_f32x4_add(x01, wasm_f32x4_mul(a0, b1));                                       \
    x10 = wasm_f32x4_add(x10, wasm_f32x4_mul(a1, b0));                                       \
    x11 = wasm_f32x4_add(x11, wasm_f32x4_mul(a1, b1));                                       \
    const v128_t a2 = wasm_v128_load32_splat((A) + 2), a3 = wasm_v128_load32_splat((A) + 3); \
    x20 = wasm_f32x4_add(x20, wasm_f32x4_mul(a2, b0));                                       \
    x21 = wasm_f32x4_add(x21, wasm_f32x4_mul(a2, b1));                                       \
    x30 = wasm_f32x4_add(x30, wasm_f32x4_mul(a3, b0));                                       \
    x31 = wasm_f32x4_add(x31, wasm_f32x4_mul(a3, b1));                                       \
  } while (0)
  // Not unrolled: with 4 steps unrolled LLVM hoists the loads and V8 spills (measured
  // 30 vs 46 GF/s on 256³).
  for (int kk = 0; kk < kc; ++kk, a += 4, b += 8) NNPLAY_GEMM_STEP(a, b);
#undef NNPLAY_GEMM_STEP
  if (bias) {
    const v128_t y0 = wasm_v128_load32_splat(bias), y1 = wasm_v128_load32_splat(bias + 1);
    const v128_t y2 = wasm_v128_load32_splat(bias + 2), y3 = wasm_v128_load32_splat(bias + 3);
    x00 = wasm_f32x4_add(x00, y0), x01 = wasm_f32x4_add(x01, y0);
    x10 = wasm_f32x4_add(x10, y1), x11 = wasm_f32x4_add(x11, y1);
    x20 = wasm_f32x4_add(x20, y2), x21 = wasm_f32x4_add(x21, y2);
    x30 = wasm_f32x4_add(x30, y3), x31 = wasm_f32x4_add(x31, y3);
  }
  wasm_v128_store(c0, x00), wasm_v128_store(c0 + 4, x01);
  wasm_v128_store(c1, x10), wasm_v128_store(c1 + 4, x11);
  wasm_v128_store(c2, x20), wasm_v128_store(c2 + 4, x21);
  wasm_v128_store(c3, x30), wasm_v128_store(c3 + 4, x31);
}

// A tile cut by the edge of C (rows < 4 or cols < 8): through a full 4×8 scratch tile.
void EdgeTile(int kc, const float* a, const float* b, float* c, int ldc, int rows, int cols,
              bool resume, const float* bias) {
  float t[32] = {};
  float tb[4] = {};
  for (int r = 0; r < rows; ++r) {
    if (resume)
      for (int j = 0; j < cols; ++j) t[r * 8 + j] = c[static_cast<size_t>(r) * ldc + j];
    if (bias) tb[r] = bias[r];
  }
  Tile4x8(kc, a, b, t, 8, resume, bias ? tb : nullptr);
  for (int r = 0; r < rows; ++r)
    for (int j = 0; j < cols; ++j) c[static_cast<size_t>(r) * ldc + j] = t[r * 8 + j];
}

}  // namespace

void gemm_packed_4x8_simd128(int m, int n, int k, const float* packed_a, const float* packed_b,
                             const float* bias, float* c, int ldc) {
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {  // empty sums: 0, then the bias
    for (int i = 0; i < m; ++i)
      for (int j = 0; j < n; ++j)
        c[static_cast<size_t>(i) * ldc + j] = bias ? 0.0f + bias[i] : 0.0f;
    return;
  }
  for (int k0 = 0; k0 < k; k0 += kKc) {
    const int kc = k - k0 < kKc ? k - k0 : kKc;
    const bool resume = k0 > 0;
    const float* blk_bias = k0 + kc == k ? bias : nullptr;  // the bias goes in last
    for (int m0 = 0; m0 < m; m0 += kMc) {
      const int m1 = m - m0 < kMc ? m : m0 + kMc;
      for (int j = 0; j < n; j += 8) {
        const int cols = n - j < 8 ? n - j : 8;
        const float* bp = packed_b + static_cast<size_t>(j) * k + static_cast<size_t>(k0) * 8;
        for (int i = m0; i < m1; i += 4) {
          const int rows = m1 - i < 4 ? m1 - i : 4;
          const float* ap = packed_a + static_cast<size_t>(i) * k + static_cast<size_t>(k0) * 4;
          float* ct = c + static_cast<size_t>(i) * ldc + j;
          const float* tb = blk_bias ? blk_bias + i : nullptr;
          if (rows == 4 && cols == 8) {
            Tile4x8(kc, ap, bp, ct, ldc, resume, tb);
          } else {
            EdgeTile(kc, ap, bp, ct, ldc, rows, cols, resume, tb);
          }
        }
      }
    }
  }
}

// ---- packing (layouts in gemm.h): vector copies and 4×4 transposes, edges element-wise ----

namespace {

// dst[0..3] = column kk of rows r0..r3 for kk in [0, 4): a 4×4 transpose of rows r[i] + kk0.
inline void Transpose4(const float* r0, const float* r1, const float* r2, const float* r3,
                       float* dst, size_t dst_stride) {
  const v128_t x0 = wasm_v128_load(r0), x1 = wasm_v128_load(r1);
  const v128_t x2 = wasm_v128_load(r2), x3 = wasm_v128_load(r3);
  const v128_t t0 = wasm_i32x4_shuffle(x0, x1, 0, 4, 1, 5);  // r0[0] r1[0] r0[1] r1[1]
  const v128_t t1 = wasm_i32x4_shuffle(x2, x3, 0, 4, 1, 5);  // r2[0] r3[0] r2[1] r3[1]
  const v128_t t2 = wasm_i32x4_shuffle(x0, x1, 2, 6, 3, 7);
  const v128_t t3 = wasm_i32x4_shuffle(x2, x3, 2, 6, 3, 7);
  wasm_v128_store(dst, wasm_i32x4_shuffle(t0, t1, 0, 1, 4, 5));
  wasm_v128_store(dst + dst_stride, wasm_i32x4_shuffle(t0, t1, 2, 3, 6, 7));
  wasm_v128_store(dst + 2 * dst_stride, wasm_i32x4_shuffle(t2, t3, 0, 1, 4, 5));
  wasm_v128_store(dst + 3 * dst_stride, wasm_i32x4_shuffle(t2, t3, 2, 3, 6, 7));
}

// Rows [r, r + rows) of src (row stride ld), columns [0, k), into panel dst with `width`
// floats per kk (4 for A, 8 for Bᵀ) at lane offset `lane`: dst[kk·width + lane + i] =
// src[(r + i)·ld + kk]; lanes past `rows` are zero.
void PackRowsAsColumns(const float* src, size_t ld, int rows, int k, float* dst, int width,
                       int lane) {
  int kk = 0;
  if (rows == 4) {
    const float* r0 = src;
    const float* r1 = r0 + ld;
    const float* r2 = r1 + ld;
    const float* r3 = r2 + ld;
    for (; kk + 4 <= k; kk += 4)
      Transpose4(r0 + kk, r1 + kk, r2 + kk, r3 + kk, dst + static_cast<size_t>(kk) * width + lane,
                 width);
  }
  for (; kk < k; ++kk) {
    float* d = dst + static_cast<size_t>(kk) * width + lane;
    for (int i = 0; i < 4; ++i) d[i] = i < rows ? src[i * ld + kk] : 0.0f;
  }
}

}  // namespace

void gemm_pack_a(int m, int k, const float* a, int lda, float* packed_a) {
  for (int p = 0; p < m; p += 4) {
    const int rows = m - p < 4 ? m - p : 4;
    PackRowsAsColumns(a + static_cast<size_t>(p) * lda, lda, rows, k,
                      packed_a + static_cast<size_t>(p) * k, 4, 0);
  }
}

void gemm_pack_b(int k, int n, const float* b, int ldb, float* packed_b) {
  for (int q = 0; q < n; q += 8) {
    const int cols = n - q < 8 ? n - q : 8;
    float* dst = packed_b + static_cast<size_t>(q) * k;
    const float* src = b + q;
    if (cols == 8) {
      for (int kk = 0; kk < k; ++kk, dst += 8, src += ldb) {
        wasm_v128_store(dst, wasm_v128_load(src));
        wasm_v128_store(dst + 4, wasm_v128_load(src + 4));
      }
    } else {
      for (int kk = 0; kk < k; ++kk, dst += 8, src += ldb)
        for (int c = 0; c < 8; ++c) dst[c] = c < cols ? src[c] : 0.0f;
    }
  }
}

void gemm_pack_b_transposed(int k, int n, const float* bt, int ldbt, float* packed_b) {
  for (int q = 0; q < n; q += 8) {
    const int cols = n - q < 8 ? n - q : 8;
    float* dst = packed_b + static_cast<size_t>(q) * k;
    const float* src = bt + static_cast<size_t>(q) * ldbt;
    PackRowsAsColumns(src, ldbt, cols < 4 ? cols : 4, k, dst, 8, 0);
    PackRowsAsColumns(cols > 4 ? src + 4 * static_cast<size_t>(ldbt) : src, ldbt,
                      cols > 4 ? cols - 4 : 0, k, dst, 8, 4);
  }
}

void gemm_4x8_simd128(int m, int n, int k, const float* a, int lda, const float* b, int ldb,
                      const float* bias, float* c, int ldc, float* workspace) {
  float* pa = workspace;
  float* pb = workspace + gemm_packed_a_size(m, k);
  gemm_pack_a(m, k, a, lda, pa);
  gemm_pack_b(k, n, b, ldb, pb);
  gemm_packed_4x8_simd128(m, n, k, pa, pb, bias, c, ldc);
}

#else

// Without SIMD128: the reference on the packed operands' sources is not available, so
// unpack through the reference formula directly.
void gemm_packed_4x8_simd128(int m, int n, int k, const float* packed_a, const float* packed_b,
                             const float* bias, float* c, int ldc) {
  for (int i = 0; i < m; ++i)
    for (int j = 0; j < n; ++j) {
      float acc = 0.0f;
      for (int kk = 0; kk < k; ++kk)
        acc += packed_a[static_cast<size_t>(i / 4) * 4 * k + kk * 4 + i % 4] *
               packed_b[static_cast<size_t>(j / 8) * 8 * k + kk * 8 + j % 8];
      if (bias) acc += bias[i];
      c[static_cast<size_t>(i) * ldc + j] = acc;
    }
}

void gemm_4x8_simd128(int m, int n, int k, const float* a, int lda, const float* b, int ldb,
                      const float* bias, float* c, int ldc, float* /*workspace*/) {
  gemm_ref(m, n, k, a, lda, b, ldb, bias, c, ldc);
}

#endif

}  // namespace nnplay
