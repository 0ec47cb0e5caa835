// bench_cases.h: the convolution cases every nnplay benchmark runs, and the deterministic
// data they run on. Shared by the wasm module (bench_exports.cpp, timed from node next to
// tfjs-wasm) and the native timer (conv_bench_native.cpp), so both time the same work.
//
// Shapes follow /work/shared/notes/performance.md: 3×3 filters, stride 1, no padding
// ("valid"). The engine's layouts: input CHW, weights OIHW, output CHW.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "kernels/conv2d.h"
#include "kernels/gemm.h"
#include "ops/activations.h"
#include "ops/dense.h"
#include "ops/softmax.h"

namespace nnplay_bench {

struct ConvCase {
  const char* name;
  int in_c, h, w, out_c, k, stride, pad;
};

inline constexpr ConvCase kConvCases[] = {
    {"(a) 6x6x1->1", 1, 6, 6, 1, 3, 1, 0},         {"(b) 28x28x1->8", 1, 28, 28, 8, 3, 1, 0},
    {"(c) 64x64x16->32", 16, 64, 64, 32, 3, 1, 0}, {"(d) 224x224x3->16", 3, 224, 224, 16, 3, 1, 0},
    {"(e) 56x56x64->64", 64, 56, 56, 64, 3, 1, 0},
};
inline constexpr int kConvCaseCount = static_cast<int>(sizeof(kConvCases) / sizeof(kConvCases[0]));

inline nnplay::Conv2dParams MakeParams(int in_c, int h, int w, int out_c, int k, int stride,
                                       int pad) {
  nnplay::Conv2dParams p;
  p.in_c = in_c, p.in_h = h, p.in_w = w, p.out_c = out_c;
  p.k_h = p.k_w = k;
  p.stride_h = p.stride_w = stride;
  p.pad_top = p.pad_left = p.pad_bottom = p.pad_right = pad;
  return p;
}

// Values in [-1, 1) from a 32-bit LCG: the same numbers natively and in wasm, no libc rand.
inline void FillDeterministic(std::vector<float>* v, uint32_t seed) {
  uint32_t s = seed;
  for (float& x : *v) {
    s = s * 1664525u + 1013904223u;
    x = static_cast<float>(s >> 8) * (2.0f / 16777216.0f) - 1.0f;
  }
}

// One case's buffers, allocated once; the timed calls allocate nothing.
struct ConvBuffers {
  nnplay::Conv2dParams p;
  std::vector<float> input, weights, output;

  void Setup(const nnplay::Conv2dParams& params) {
    p = params;
    input.assign(p.input_size(), 0.0f);
    weights.assign(p.weight_size(), 0.0f);
    output.assign(p.output_size(), 0.0f);
    FillDeterministic(&input, 1u);
    FillDeterministic(&weights, 2u);
  }
};

// Kernel ids, as the wasm exports and the native timer take them.
enum KernelId : int { kRef = 0, kSimd128 = 1, kDispatch = 2 };

using ConvKernelFn = void (*)(const nnplay::Conv2dParams&, const float*, const float*, const float*,
                              float*);

inline ConvKernelFn KernelById(int id) {
  switch (id) {
    case kSimd128:
      return nnplay::conv2d_forward_simd128;
    case kDispatch:
      return nnplay::conv2d_forward;
    default:
      return nnplay::conv2d_forward_ref;
  }
}

// ---- matmul: C[n×n] = A[n×n] · B[n×n] -----------------------------------------------------

inline constexpr int kMatmulSizes[] = {256, 1024};
inline constexpr int kMatmulSizeCount =
    static_cast<int>(sizeof(kMatmulSizes) / sizeof(kMatmulSizes[0]));

// Matmul kernel ids (the same kernels gemm_test.cpp checks):
// 0 gemm_ref; 1 gemm_4x8_simd128 (packs A and B into the workspace on every call);
// 2 gemm_packed_4x8_simd128 with B packed once at setup (weights), A packed per call;
// 3 gemm_packed_4x8_simd128 alone, A and B both packed at setup (the packed GEMM's own speed,
//   what the peak comparison in conv_bench.mjs uses).
enum GemmKernelId : int {
  kGemmRef = 0,
  kGemm4x8 = 1,
  kGemm4x8PrepackedB = 2,
  kGemm4x8PackedAB = 3
};

struct MatmulBuffers {
  int n = 0;
  std::vector<float> a, b, c, workspace, packed_a, packed_b;

  void Setup(int size) {
    n = size;
    const size_t nn = static_cast<size_t>(n) * n;
    a.assign(nn, 0.0f), b.assign(nn, 0.0f), c.assign(nn, 0.0f);
    FillDeterministic(&a, 3u);
    FillDeterministic(&b, 4u);
    workspace.assign(nnplay::gemm_workspace_size(n, n, n), 0.0f);
    packed_b.assign(nnplay::gemm_packed_b_size(n, n), 0.0f);
    nnplay::gemm_pack_b(n, n, b.data(), n, packed_b.data());
    packed_a.assign(nnplay::gemm_packed_a_size(n, n), 0.0f);
    nnplay::gemm_pack_a(n, n, a.data(), n, packed_a.data());
  }

  void Run(int kernel) {
    switch (kernel) {
      case kGemm4x8:
        nnplay::gemm_4x8_simd128(n, n, n, a.data(), n, b.data(), n, nullptr, c.data(), n,
                                 workspace.data());
        break;
      case kGemm4x8PrepackedB:
        nnplay::gemm_pack_a(n, n, a.data(), n, workspace.data());
        nnplay::gemm_packed_4x8_simd128(n, n, n, workspace.data(), packed_b.data(), nullptr,
                                        c.data(), n);
        break;
      case kGemm4x8PackedAB:
        nnplay::gemm_packed_4x8_simd128(n, n, n, packed_a.data(), packed_b.data(), nullptr,
                                        c.data(), n);
        break;
      default:
        nnplay::gemm_ref(n, n, n, a.data(), n, b.data(), n, nullptr, c.data(), n);
    }
  }
};

// ---- MLP 4→3→2 (dense, ReLU, dense, softmax), one sample, one call -------------------------

struct Mlp432 {
  float x[4] = {0.5f, -1.0f, 0.25f, 2.0f};
  float w1[12], b1[3], w2[6], b2[2];  // dense.h layout: W [out, in]
  float h[3], z[2], p[2];

  Mlp432() {
    std::vector<float> v(12 + 3 + 6 + 2);
    FillDeterministic(&v, 5u);
    const float* s = v.data();
    for (float& w : w1) w = *s++;
    for (float& b : b1) b = *s++;
    for (float& w : w2) w = *s++;
    for (float& b : b2) b = *s++;
  }

  // The whole forward pass; the result is p (2 probabilities).
  void Forward() {
    nnplay::dense_forward(1, 4, 3, x, w1, b1, h);
    nnplay::relu_forward(h, h, 3);
    nnplay::dense_forward(1, 3, 2, h, w2, b2, z);
    nnplay::softmax_forward<float>(1, 2, z, p);
  }
};

}  // namespace nnplay_bench
