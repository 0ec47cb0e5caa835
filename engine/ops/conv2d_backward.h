// conv2d_backward.h: the backward pass of conv2d_forward_ref (kernels/conv2d.h).
//
// Same layouts and parameters as the forward: input, dinput [in_c, in_h, in_w] (CHW);
// weights, dweights [out_c, in_c/groups, k_h, k_w] (OIHW); bias, dbias [out_c];
// doutput [out_c, out_h, out_w]. Groups, padding, stride and dilation as the forward.
// For every output (o, oy, ox) and every in-bounds tap (ci, ky, kx) of its window:
//   dinput[c0 + ci, iy, ix]  += doutput[o, oy, ox] · weights[o, ci, ky, kx]
//   dweights[o, ci, ky, kx]  += doutput[o, oy, ox] · input[c0 + ci, iy, ix]
//   dbias[o]                 += doutput[o, oy, ox]
// Padded taps contribute nothing. ACCUMULATES; each of dinput, dweights, dbias may be null.
// Scalar reference only (float, and double for the gradient checks).
#pragma once

#include <string>
#include <vector>

#include "kernels/conv2d.h"

namespace nnplay {

template <typename T>
void conv2d_backward_ref(const Conv2dParams& p, const T* input, const T* weights, const T* doutput,
                         T* dinput, T* dweights, T* dbias);

}  // namespace nnplay

// ---- SIMD128 backward (float) --------------------------------------------------------------
// conv2d_backward_simd128: stride_w == 1 (any groups, stride_h, padding, dilation): for each
// (output channel, input channel, kernel tap, output row) the in-bounds output columns form
// one contiguous run, so dinput gets a vectorised axpy (+= w · doutput row) and dweights a
// vectorised dot product (doutput row · input row); dbias a vectorised sum. Other strides
// run the reference. The sums are reordered, so results match the reference to rounding
// (relative ~1e-6), not bit for bit. conv2d_backward picks SIMD when stride_w == 1 and
// out_w ≥ 4. Same contract as the reference: ACCUMULATES; dinput, dweights, dbias may be null.
namespace nnplay {
void conv2d_backward_simd128(const Conv2dParams& p, const float* input, const float* weights,
                             const float* doutput, float* dinput, float* dweights, float* dbias);
void conv2d_backward(const Conv2dParams& p, const float* input, const float* weights,
                     const float* doutput, float* dinput, float* dweights, float* dbias);
}  // namespace nnplay

// ---- the arithmetic of one weight gradient ---------------------------------------------------
// dL/dW[o, ci, ky, kx] = Σ over outputs (oy, ox) of doutput[o, oy, ox] · input[c, iy, ix], the
// input value that weight met there (padded taps meet 0 and are left out). The terms in output
// order, their sum (the reference's value, in its order), and the sum written out:
// "dW[0][0][0][1] = 1×10 + 1×10 + ... = 80".
namespace nnplay {

struct Conv2dWeightGradTerm {
  int out_y = 0, out_x = 0, in_y = 0, in_x = 0;
  float doutput = 0, input = 0;
};

struct Conv2dWeightGradTrace {
  std::vector<Conv2dWeightGradTerm> terms;
  float sum = 0;
  std::string text;
};

Conv2dWeightGradTrace TraceConv2dWeightGrad(const Conv2dParams& p, const float* input,
                                            const float* doutput, int o, int ci, int ky, int kx);

}  // namespace nnplay
