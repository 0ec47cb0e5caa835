// gemm_ref.cpp: the scalar reference matrix multiply and the packing routines (see gemm.h).
// gemm_ref is the specification: per output, terms in k order from +0, the bias last.
#include <cstddef>

#include "kernels/gemm.h"
#include "kernels/simd.h"

namespace nnplay {

void gemm_ref(int m, int n, int k, const float* a, int lda, const float* b, int ldb,
              const float* bias, float* c, int ldc) {
  for (int i = 0; i < m; ++i) {
    const float* a_i = a + static_cast<size_t>(i) * lda;
    float* c_i = c + static_cast<size_t>(i) * ldc;
    for (int j = 0; j < n; ++j) {
      float acc = 0.0f;
      for (int kk = 0; kk < k; ++kk) acc += a_i[kk] * b[static_cast<size_t>(kk) * ldb + j];
      if (bias) acc += bias[i];
      c_i[j] = acc;
    }
  }
}

size_t gemm_packed_a_size(int m, int k) {
  return static_cast<size_t>((m + 3) / 4) * 4 * static_cast<size_t>(k);
}

size_t gemm_packed_b_size(int k, int n) {
  return static_cast<size_t>((n + 7) / 8) * 8 * static_cast<size_t>(k);
}

// The packing routines: these scalar ones where SIMD128 is unavailable, else the vector
// copies and 4×4 transposes in gemm_simd128.cpp (the same layout, element for element).
#if !NNPLAY_HAVE_SIMD128

void gemm_pack_a(int m, int k, const float* a, int lda, float* packed_a) {
  for (int p = 0; p < m; p += 4) {
    const int rows = m - p < 4 ? m - p : 4;
    float* dst = packed_a + static_cast<size_t>(p) * k;
    for (int kk = 0; kk < k; ++kk, dst += 4) {
      for (int r = 0; r < rows; ++r) dst[r] = a[static_cast<size_t>(p + r) * lda + kk];
      for (int r = rows; r < 4; ++r) dst[r] = 0.0f;
    }
  }
}

void gemm_pack_b(int k, int n, const float* b, int ldb, float* packed_b) {
  for (int q = 0; q < n; q += 8) {
    const int cols = n - q < 8 ? n - q : 8;
    float* dst = packed_b + static_cast<size_t>(q) * k;
    for (int kk = 0; kk < k; ++kk, dst += 8) {
      const float* src = b + static_cast<size_t>(kk) * ldb + q;
      for (int c = 0; c < cols; ++c) dst[c] = src[c];
      for (int c = cols; c < 8; ++c) dst[c] = 0.0f;
    }
  }
}

void gemm_pack_b_transposed(int k, int n, const float* bt, int ldbt, float* packed_b) {
  for (int q = 0; q < n; q += 8) {
    const int cols = n - q < 8 ? n - q : 8;
    float* dst = packed_b + static_cast<size_t>(q) * k;
    for (int kk = 0; kk < k; ++kk, dst += 8) {
      for (int c = 0; c < cols; ++c) dst[c] = bt[static_cast<size_t>(q + c) * ldbt + kk];
      for (int c = cols; c < 8; ++c) dst[c] = 0.0f;
    }
  }
}

#endif  // !NNPLAY_HAVE_SIMD128

size_t gemm_workspace_size(int m, int n, int k) {
  return gemm_packed_a_size(m, k) + gemm_packed_b_size(k, n);
}

}  // namespace nnplay
