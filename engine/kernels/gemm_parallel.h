// gemm_parallel.h: the packed GEMM (gemm.h) spread over a thread pool (parallel/thread_pool.h).
//
// C is cut into blocks of whole panels, 4-row panels of A by 8-column panels of B, and each
// block is one call of gemm_packed_4x8_simd128 on its sub-range (packed_a + row·k, packed_b
// + column·k, c + row·ldc + column). A block computes its outputs exactly as the whole call
// would (every output's terms in k order, the bias last), so the result is bit-identical to
// the single-threaded call for every thread count. Columns are split first (each worker
// streams its own B panels past all of A); when there are fewer 8-column panels than
// workers, rows too. Problems under kParallelMinWork multiply-adds run as one call.
//
// pool: the engine's pool (EnginePool()) when null. max_workers ≤ 0: no limit.
#pragma once

#include "parallel/thread_pool.h"

namespace nnplay {

void gemm_packed_4x8_parallel(int m, int n, int k, const float* packed_a, const float* packed_b,
                              const float* bias, float* c, int ldc, ThreadPool* pool = nullptr,
                              int max_workers = 0);

// gemm_pack_a / gemm_pack_b split by panel over the pool (the same bytes as one call).
void gemm_pack_a_parallel(int m, int k, const float* a, int lda, float* packed_a,
                          ThreadPool* pool = nullptr);
void gemm_pack_b_parallel(int k, int n, const float* b, int ldb, float* packed_b,
                          ThreadPool* pool = nullptr);

// Plain operands, as gemm_4x8_simd128: packs A and B into workspace (gemm_workspace_size
// floats) in parallel, then the GEMM above. Bit-identical to gemm_4x8_simd128.
void gemm_4x8_parallel(int m, int n, int k, const float* a, int lda, const float* b, int ldb,
                       const float* bias, float* c, int ldc, float* workspace,
                       ThreadPool* pool = nullptr);

}  // namespace nnplay
