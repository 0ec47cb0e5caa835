// gemm_parallel.cpp: see gemm_parallel.h.
#include "kernels/gemm_parallel.h"

#include <algorithm>
#include <cstddef>

#include "kernels/gemm.h"

namespace nnplay {

namespace {

ThreadPool& Pool(ThreadPool* pool) {
  return pool ? *pool : EnginePool();
}

// Part i of n equal parts of [0, total), in whole units.
int Cut(int total, int parts, int i) {
  return static_cast<int>(static_cast<long long>(total) * i / parts);
}

}  // namespace

void gemm_packed_4x8_parallel(int m, int n, int k, const float* packed_a, const float* packed_b,
                              const float* bias, float* c, int ldc, ThreadPool* pool,
                              int max_workers) {
  ThreadPool& tp = Pool(pool);
  const int row_panels = (m + 3) / 4, col_panels = (n + 7) / 8;
  const double work = static_cast<double>(m) * n * std::max(k, 1);
  if (work < kParallelMinWork || m <= 0 || n <= 0) {
    gemm_packed_4x8_simd128(m, n, k, packed_a, packed_b, bias, c, ldc);
    return;
  }
  // Through the pool even when it has one thread (then one inline block): the same path.
  const int workers = std::max(1, tp.WorkersFor(row_panels * col_panels, max_workers));
  // Column blocks first; row blocks when the columns alone cannot feed every worker.
  const int col_blocks = std::min(col_panels, workers);
  const int row_blocks = std::min(row_panels, (workers + col_blocks - 1) / col_blocks);
  tp.ParallelFor(
      row_blocks * col_blocks,
      [&](int chunk, int) {
        const int rb = chunk / col_blocks, cb = chunk % col_blocks;
        const int r0 = 4 * Cut(row_panels, row_blocks, rb);
        const int r1 = std::min(m, 4 * Cut(row_panels, row_blocks, rb + 1));
        const int c0 = 8 * Cut(col_panels, col_blocks, cb);
        const int c1 = std::min(n, 8 * Cut(col_panels, col_blocks, cb + 1));
        if (r0 >= r1 || c0 >= c1) return;
        const size_t kk = static_cast<size_t>(std::max(k, 0));
        gemm_packed_4x8_simd128(r1 - r0, c1 - c0, k, packed_a + static_cast<size_t>(r0) * kk,
                                packed_b + static_cast<size_t>(c0) * kk, bias ? bias + r0 : nullptr,
                                c + static_cast<size_t>(r0) * ldc + c0, ldc);
      },
      max_workers);
}

void gemm_pack_a_parallel(int m, int k, const float* a, int lda, float* packed_a,
                          ThreadPool* pool) {
  ThreadPool& tp = Pool(pool);
  const int panels = (m + 3) / 4;
  if (static_cast<double>(m) * k < kParallelMinWork) {
    gemm_pack_a(m, k, a, lda, packed_a);
    return;
  }
  const int workers = std::max(1, tp.WorkersFor(panels));
  tp.ParallelFor(workers, [&](int chunk, int) {
    const int r0 = 4 * Cut(panels, workers, chunk);
    const int r1 = std::min(m, 4 * Cut(panels, workers, chunk + 1));
    if (r0 < r1)
      gemm_pack_a(r1 - r0, k, a + static_cast<size_t>(r0) * lda, lda,
                  packed_a + static_cast<size_t>(r0) * k);
  });
}

void gemm_pack_b_parallel(int k, int n, const float* b, int ldb, float* packed_b,
                          ThreadPool* pool) {
  ThreadPool& tp = Pool(pool);
  const int panels = (n + 7) / 8;
  if (static_cast<double>(n) * k < kParallelMinWork) {
    gemm_pack_b(k, n, b, ldb, packed_b);
    return;
  }
  const int workers = std::max(1, tp.WorkersFor(panels));
  tp.ParallelFor(workers, [&](int chunk, int) {
    const int c0 = 8 * Cut(panels, workers, chunk);
    const int c1 = std::min(n, 8 * Cut(panels, workers, chunk + 1));
    if (c0 < c1) gemm_pack_b(k, c1 - c0, b + c0, ldb, packed_b + static_cast<size_t>(c0) * k);
  });
}

void gemm_4x8_parallel(int m, int n, int k, const float* a, int lda, const float* b, int ldb,
                       const float* bias, float* c, int ldc, float* workspace, ThreadPool* pool) {
  float* pa = workspace;
  float* pb = workspace + gemm_packed_a_size(m, k);
  gemm_pack_a_parallel(m, k, a, lda, pa, pool);
  gemm_pack_b_parallel(k, n, b, ldb, pb, pool);
  gemm_packed_4x8_parallel(m, n, k, pa, pb, bias, c, ldc, pool);
}

}  // namespace nnplay
