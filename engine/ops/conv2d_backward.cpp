// conv2d_backward.cpp: see conv2d_backward.h. The loops mirror conv2d_cell_ref: output
// channel, output row, output column, then (input channel, kernel row, kernel column).
#include "ops/conv2d_backward.h"

#include <cstddef>

namespace nnplay {

template <typename T>
void conv2d_backward_ref(const Conv2dParams& p, const T* input, const T* weights, const T* doutput,
                         T* dinput, T* dweights, T* dbias) {
  const int oh = p.out_h(), ow = p.out_w();
  const int cpg = p.in_c / p.groups;   // input channels per group
  const int opg = p.out_c / p.groups;  // output channels per group
  const size_t plane = static_cast<size_t>(p.in_h) * p.in_w;
  const size_t taps = static_cast<size_t>(p.k_h) * p.k_w;
  for (int o = 0; o < p.out_c; ++o) {
    const int c0 = (o / opg) * cpg;
    const size_t w_o = static_cast<size_t>(o) * cpg * taps;
    for (int oy = 0; oy < oh; ++oy) {
      for (int ox = 0; ox < ow; ++ox) {
        const T g = doutput[(static_cast<size_t>(o) * oh + oy) * ow + ox];
        if (dbias) dbias[o] += g;
        for (int ci = 0; ci < cpg; ++ci) {
          const size_t in_c = static_cast<size_t>(c0 + ci) * plane;
          const size_t w_c = w_o + static_cast<size_t>(ci) * taps;
          for (int ky = 0; ky < p.k_h; ++ky) {
            const int iy = oy * p.stride_h - p.pad_top + ky * p.dil_h;
            if (iy < 0 || iy >= p.in_h) continue;
            for (int kx = 0; kx < p.k_w; ++kx) {
              const int ix = ox * p.stride_w - p.pad_left + kx * p.dil_w;
              if (ix < 0 || ix >= p.in_w) continue;
              const size_t i = in_c + static_cast<size_t>(iy) * p.in_w + ix;
              const size_t k = w_c + static_cast<size_t>(ky) * p.k_w + kx;
              if (dinput) dinput[i] += g * weights[k];
              if (dweights) dweights[k] += g * input[i];
            }
          }
        }
      }
    }
  }
}

template void conv2d_backward_ref<float>(const Conv2dParams&, const float*, const float*,
                                         const float*, float*, float*, float*);
template void conv2d_backward_ref<double>(const Conv2dParams&, const double*, const double*,
                                          const double*, double*, double*, double*);

}  // namespace nnplay
