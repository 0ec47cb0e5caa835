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

}  // namespace nnplay_bench
