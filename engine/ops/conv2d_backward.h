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

#include "kernels/conv2d.h"

namespace nnplay {

template <typename T>
void conv2d_backward_ref(const Conv2dParams& p, const T* input, const T* weights, const T* doutput,
                         T* dinput, T* dweights, T* dbias);

}  // namespace nnplay
