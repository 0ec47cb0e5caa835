// conv2d_transpose.h: transposed 2-D convolution ("deconvolution"), the adjoint of conv2d:
// every input value spreads its filter-weighted copy over the output.
//
//   y[o][iy·s − p_before + ky·d][ix·s − p_before + kx·d] += x[c][iy][ix] · w[o][c][ky][kx]
//
// Layouts as conv2d (input CHW with in_c channels, weights OIHW with I = in_c / groups), so
// the same filter tensor drives both modes of the convolution lab. Output o reads only the
// input channels of its group (o / (out_c / groups)). (PyTorch stores the transposed
// weights the other way round, [in_c, out_c / groups, k_h, k_w].) Output size per axis:
// (n − 1)·s − p_before − p_after + d(k − 1) + a + 1 with a the output padding (out_pad_h,
// out_pad_w: rows / columns after the last that only the padding reaches), or 0 when
// padding eats everything.
//
// - conv2d_transpose_cell_ref: one output value, gathered in the order (input channel,
//   kernel row, kernel column); the specification, and what the lab's trace shows.
// - conv2d_transpose_forward_ref: every output value through the cell function.
#pragma once

#include "kernels/conv2d.h"

namespace nnplay {

int Conv2dTransposeOutExtent(int n, int pad_before, int pad_after, int k, int stride, int dilation,
                             int output_padding = 0);

// For output value (o, oy, ox): calls fn(c, iy, ix, ky, kx) for every input value and
// weight that meet there, in the specification's order; c is the input channel (weights
// index it as c − the group's first channel).
template <typename Fn>
void ForEachConv2dTransposeTap(const Conv2dParams& p, int o, int oy, int ox, Fn fn) {
  const int cpg = p.in_c / p.groups, c0 = o / (p.out_c / p.groups) * cpg;
  for (int c = c0; c < c0 + cpg; ++c) {
    for (int ky = 0; ky < p.k_h; ++ky) {
      const int ty = oy + p.pad_top - ky * p.dil_h;
      if (ty < 0 || ty % p.stride_h != 0 || ty / p.stride_h >= p.in_h) continue;
      for (int kx = 0; kx < p.k_w; ++kx) {
        const int tx = ox + p.pad_left - kx * p.dil_w;
        if (tx < 0 || tx % p.stride_w != 0 || tx / p.stride_w >= p.in_w) continue;
        fn(c, ty / p.stride_h, tx / p.stride_w, ky, kx);
      }
    }
  }
}

float conv2d_transpose_cell_ref(const Conv2dParams& p, const float* input, const float* weights,
                                int o, int oy, int ox);
// Output [out_c, OH, OW] with OH, OW from Conv2dTransposeOutExtent; fully overwritten.
void conv2d_transpose_forward_ref(const Conv2dParams& p, const float* input, const float* weights,
                                  float* output);

// The backward pass: for every output (o, oy, ox) and every tap (c, iy, ix, ky, kx) that
// meets there,
//   dinput[c, iy, ix]       += doutput[o, oy, ox] · weights[o, c, ky, kx]
//   dweights[o, c, ky, kx]  += doutput[o, oy, ox] · input[c, iy, ix]
// ACCUMULATES; dinput or dweights may be null. (dinput is conv2d with the channel roles
// swapped: the transposed convolution's adjoint.)
void conv2d_transpose_backward_ref(const Conv2dParams& p, const float* input, const float* weights,
                                   const float* doutput, float* dinput, float* dweights);

}  // namespace nnplay
