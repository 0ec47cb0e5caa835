// conv2d_backward.cpp: see conv2d_backward.h. The loops mirror conv2d_cell_ref: output
// channel, output row, output column, then (input channel, kernel row, kernel column).
#include "ops/conv2d_backward.h"

#include "link/number.h"

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

namespace nnplay {

Conv2dWeightGradTrace TraceConv2dWeightGrad(const Conv2dParams& p, const float* input,
                                            const float* doutput, int o, int ci, int ky, int kx) {
  Conv2dWeightGradTrace t;
  const int oh = p.out_h(), ow = p.out_w();
  const int c = (o / (p.out_c / p.groups)) * (p.in_c / p.groups) + ci;
  std::string text;
  for (int oy = 0; oy < oh; ++oy) {
    for (int ox = 0; ox < ow; ++ox) {
      const int iy = oy * p.stride_h - p.pad_top + ky * p.dil_h;
      const int ix = ox * p.stride_w - p.pad_left + kx * p.dil_w;
      if (iy < 0 || iy >= p.in_h || ix < 0 || ix >= p.in_w) continue;
      Conv2dWeightGradTerm term;
      term.out_y = oy, term.out_x = ox, term.in_y = iy, term.in_x = ix;
      term.doutput = doutput[(static_cast<size_t>(o) * oh + oy) * ow + ox];
      term.input = input[(static_cast<size_t>(c) * p.in_h + iy) * p.in_w + ix];
      t.terms.push_back(term);
      if (!text.empty()) text += " + ";
      text += FormatFactor(term.doutput) + "\xC3\x97" + FormatFactor(term.input);
    }
  }
  // The value itself comes from the reference backward, so the trace and the kernel agree.
  std::vector<float> dw(static_cast<size_t>(p.out_c) * (p.in_c / p.groups) * p.k_h * p.k_w, 0.0f);
  std::vector<float> w(dw.size(), 0.0f);
  conv2d_backward_ref<float>(p, input, w.data(), doutput, nullptr, dw.data(), nullptr);
  t.sum = dw[((static_cast<size_t>(o) * (p.in_c / p.groups) + ci) * p.k_h + ky) * p.k_w + kx];
  t.text = "dW[" + std::to_string(o) + "][" + std::to_string(ci) + "][" + std::to_string(ky) +
           "][" + std::to_string(kx) + "] = " + (text.empty() ? "0" : text) + " = " +
           FormatFloat(t.sum);
  return t;
}

}  // namespace nnplay
