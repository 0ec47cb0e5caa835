// conv2d_transpose.cpp: see conv2d_transpose.h.
#include "kernels/conv2d_transpose.h"

namespace nnplay {

int Conv2dTransposeOutExtent(int n, int pad_before, int pad_after, int k, int stride, int dilation,
                             int output_padding) {
  const long out = static_cast<long>(n - 1) * stride - pad_before - pad_after +
                   static_cast<long>(dilation) * (k - 1) + output_padding + 1;
  return out > 0 && n > 0 ? static_cast<int>(out) : 0;
}

float conv2d_transpose_cell_ref(const Conv2dParams& p, const float* input, const float* weights,
                                int o, int oy, int ox) {
  float acc = 0.0f;
  const int cpg = p.in_c / p.groups, c0 = o / (p.out_c / p.groups) * cpg;
  ForEachConv2dTransposeTap(p, o, oy, ox, [&](int c, int iy, int ix, int ky, int kx) {
    acc += input[(static_cast<size_t>(c) * p.in_h + iy) * p.in_w + ix] *
           weights[((static_cast<size_t>(o) * cpg + (c - c0)) * p.k_h + ky) * p.k_w + kx];
  });
  return acc;
}

void conv2d_transpose_forward_ref(const Conv2dParams& p, const float* input, const float* weights,
                                  float* output) {
  const int oh = Conv2dTransposeOutExtent(p.in_h, p.pad_top, p.pad_bottom, p.k_h, p.stride_h,
                                          p.dil_h, p.out_pad_h);
  const int ow = Conv2dTransposeOutExtent(p.in_w, p.pad_left, p.pad_right, p.k_w, p.stride_w,
                                          p.dil_w, p.out_pad_w);
  for (int o = 0; o < p.out_c; ++o)
    for (int y = 0; y < oh; ++y)
      for (int x = 0; x < ow; ++x)
        output[(static_cast<size_t>(o) * oh + y) * ow + x] =
            conv2d_transpose_cell_ref(p, input, weights, o, y, x);
}

void conv2d_transpose_backward_ref(const Conv2dParams& p, const float* input, const float* weights,
                                   const float* doutput, float* dinput, float* dweights) {
  const int oh = Conv2dTransposeOutExtent(p.in_h, p.pad_top, p.pad_bottom, p.k_h, p.stride_h,
                                          p.dil_h, p.out_pad_h);
  const int ow = Conv2dTransposeOutExtent(p.in_w, p.pad_left, p.pad_right, p.k_w, p.stride_w,
                                          p.dil_w, p.out_pad_w);
  const int cpg = p.in_c / p.groups;
  for (int o = 0; o < p.out_c; ++o) {
    const int c0 = o / (p.out_c / p.groups) * cpg;
    for (int y = 0; y < oh; ++y) {
      for (int x = 0; x < ow; ++x) {
        const float g = doutput[(static_cast<size_t>(o) * oh + y) * ow + x];
        ForEachConv2dTransposeTap(p, o, y, x, [&](int c, int iy, int ix, int ky, int kx) {
          const size_t in = (static_cast<size_t>(c) * p.in_h + iy) * p.in_w + ix;
          const size_t w = ((static_cast<size_t>(o) * cpg + (c - c0)) * p.k_h + ky) * p.k_w + kx;
          if (dinput) dinput[in] += g * weights[w];
          if (dweights) dweights[w] += g * input[in];
        });
      }
    }
  }
}

}  // namespace nnplay
