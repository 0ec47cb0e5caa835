// gemm.h: single-precision matrix multiply, C = A · B (+ bias per row), and the convolution
// written as an indirect GEMM over the input (no im2col buffer).
//
// Shapes (row-major, leading dimensions in floats):
//   A [m, k] (lda)    B [k, n] (ldb)    bias [m] (may be null)    C [m, n] (ldc)
//
// Kernels, side by side:
// - gemm_ref:              scalar reference; the specification. Per output the terms are
//                          added in k order starting from +0, the bias last.
// - gemm_4x8_simd128:      4 rows × 8 columns of C in 8 SIMD128 accumulators (the notes'
//                          register budget under V8: ≤ 12 live accumulators), A and B packed
//                          into panels, cache-blocked over k (kc) and m (mc). Each lane still
//                          adds the reference's terms in the reference's order (a k block
//                          resumes from the partial sum stored in C), and SIMD128 has no FMA,
//                          so it equals gemm_ref bit for bit (natively with -ffp-contract=off).
// - gemm_packed_4x8_simd128: the same on operands packed beforehand (pack weights once).
//
// Packing (nothing is allocated by the kernels; the caller owns every buffer):
// - A in panels of 4 rows: panel p holds A[4p + r][kk] at [p·k·4 + kk·4 + r] (zero-padded).
// - B in panels of 8 columns: panel q holds B[kk][8q + c] at [q·k·8 + kk·8 + c] (zero-padded).
// - gemm_pack_b_transposed takes Bᵀ [n, k] (a dense layer's W [out, in]) instead.
#pragma once

#include <cstddef>

#include "kernels/conv2d.h"

namespace nnplay {

// ---- the specification -------------------------------------------------------------------
void gemm_ref(int m, int n, int k, const float* a, int lda, const float* b, int ldb,
              const float* bias, float* c, int ldc);

// ---- packing -------------------------------------------------------------------------------
size_t gemm_packed_a_size(int m, int k);  // floats: ⌈m/4⌉·4·k
size_t gemm_packed_b_size(int k, int n);  // floats: ⌈n/8⌉·8·k
void gemm_pack_a(int m, int k, const float* a, int lda, float* packed_a);
void gemm_pack_b(int k, int n, const float* b, int ldb, float* packed_b);
void gemm_pack_b_transposed(int k, int n, const float* bt, int ldbt, float* packed_b);

// ---- SIMD128 kernels -----------------------------------------------------------------------
// Operands packed by gemm_pack_a / gemm_pack_b (or _transposed) with the same m, n, k.
void gemm_packed_4x8_simd128(int m, int n, int k, const float* packed_a, const float* packed_b,
                             const float* bias, float* c, int ldc);
// Plain operands: packs A and B into workspace (gemm_workspace_size floats), then runs.
size_t gemm_workspace_size(int m, int n, int k);
void gemm_4x8_simd128(int m, int n, int k, const float* a, int lda, const float* b, int ldb,
                      const float* bias, float* c, int ldc, float* workspace);

// ---- convolution as an indirect GEMM -------------------------------------------------------
// conv2d_forward_4x8_simd128: the conv2d_forward contract (conv2d.h), stride_w == 1 only
// (asserted by returning false and writing nothing otherwise). Per output row it builds a
// table of input offsets for the taps (channel, kernel row, kernel column) and runs a 4
// output channels × 8 output columns tile whose "B" rows are read straight from the input
// (8 adjacent columns = two unaligned loads). Rows that read vertical padding skip those
// taps; columns that read horizontal padding go through a 4-channels × 1-column vector loop
// that skips them too. With ≥ 13 filters (4 blocks) and ≥ 64 taps (channels × kernel rows
// × kernel columns) per output, the 8 columns of every tap are first copied into a panel
// (tap-major, 8 floats each) that every 4-filter block then reads contiguously; without
// border columns, the rows whose taps all read the input form one run of pixels and a tile
// may wrap from one output row to the next. Same terms, same order as conv2d_forward_ref:
// bit for bit equal.
// Scratch (packed weights and the tap table) lives in a per-thread buffer that only grows.
bool conv2d_forward_4x8_simd128(const Conv2dParams& p, const float* input, const float* weights,
                                const float* bias, float* output);

}  // namespace nnplay
