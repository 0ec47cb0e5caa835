// conv2d_ref.cpp: the scalar reference convolution and the shape helpers. This is the
// specification the SIMD kernel is tested against: for each output, terms are added in
// the order (input channel, kernel row, kernel column), padded taps are skipped, and
// the bias is added last.
#include "kernels/conv2d.h"

namespace nnplay {

int Conv2dOutExtent(int n, int pad_before, int pad_after, int k, int stride, int dilation) {
  const long span = static_cast<long>(dilation) * (k - 1) + 1;
  const long padded = static_cast<long>(n) + pad_before + pad_after;
  if (stride <= 0 || padded < span) return 0;
  return static_cast<int>((padded - span) / stride + 1);
}

int Conv2dParams::out_h() const {
  return Conv2dOutExtent(in_h, pad_top, pad_bottom, k_h, stride_h, dil_h);
}
int Conv2dParams::out_w() const {
  return Conv2dOutExtent(in_w, pad_left, pad_right, k_w, stride_w, dil_w);
}
size_t Conv2dParams::input_size() const {
  return static_cast<size_t>(in_c) * static_cast<size_t>(in_h) * static_cast<size_t>(in_w);
}
size_t Conv2dParams::weight_size() const {
  return static_cast<size_t>(out_c) * static_cast<size_t>(in_c / groups) *
         static_cast<size_t>(k_h) * static_cast<size_t>(k_w);
}
size_t Conv2dParams::output_size() const {
  return static_cast<size_t>(out_c) * static_cast<size_t>(out_h()) * static_cast<size_t>(out_w());
}

size_t Conv2dParams::macs() const {
  // Count in-bounds taps per axis and multiply: the axes are independent.
  auto taps = [](int n, int pad, int k, int s, int d, int out) {
    size_t t = 0;
    for (int o = 0; o < out; ++o) {
      for (int kk = 0; kk < k; ++kk) {
        const int i = o * s - pad + kk * d;
        if (i >= 0 && i < n) ++t;
      }
    }
    return t;
  };
  const size_t ty = taps(in_h, pad_top, k_h, stride_h, dil_h, out_h());
  const size_t tx = taps(in_w, pad_left, k_w, stride_w, dil_w, out_w());
  return static_cast<size_t>(out_c) * static_cast<size_t>(in_c / groups) * ty * tx;
}

std::string Conv2dValidate(const Conv2dParams& p) {
  if (p.in_c <= 0 || p.in_h <= 0 || p.in_w <= 0) return "input sizes must be positive";
  if (p.out_c <= 0) return "the number of filters must be positive";
  if (p.k_h <= 0 || p.k_w <= 0) return "kernel sizes must be positive";
  if (p.stride_h <= 0 || p.stride_w <= 0) return "strides must be positive";
  if (p.dil_h <= 0 || p.dil_w <= 0) return "dilations must be positive";
  if (p.pad_top < 0 || p.pad_left < 0 || p.pad_bottom < 0 || p.pad_right < 0)
    return "padding must not be negative";
  if (p.groups <= 0 || p.in_c % p.groups != 0 || p.out_c % p.groups != 0)
    return "groups must divide both the input and the output channels";
  return {};
}

float conv2d_cell_ref(const Conv2dParams& p, const float* input, const float* weights,
                      const float* bias, int o, int oy, int ox) {
  const int cpg = p.in_c / p.groups;   // input channels per group
  const int opg = p.out_c / p.groups;  // output channels per group
  const int c0 = (o / opg) * cpg;
  const float* w_o = weights + static_cast<size_t>(o) * cpg * p.k_h * p.k_w;
  float acc = 0.0f;
  for (int ci = 0; ci < cpg; ++ci) {
    const float* in_c = input + static_cast<size_t>(c0 + ci) * p.in_h * p.in_w;
    const float* w_c = w_o + static_cast<size_t>(ci) * p.k_h * p.k_w;
    for (int ky = 0; ky < p.k_h; ++ky) {
      const int iy = oy * p.stride_h - p.pad_top + ky * p.dil_h;
      if (iy < 0 || iy >= p.in_h) continue;
      for (int kx = 0; kx < p.k_w; ++kx) {
        const int ix = ox * p.stride_w - p.pad_left + kx * p.dil_w;
        if (ix < 0 || ix >= p.in_w) continue;
        acc += in_c[static_cast<size_t>(iy) * p.in_w + ix] * w_c[ky * p.k_w + kx];
      }
    }
  }
  if (bias) acc += bias[o];
  return acc;
}

void conv2d_forward_ref(const Conv2dParams& p, const float* input, const float* weights,
                        const float* bias, float* output) {
  const int oh = p.out_h(), ow = p.out_w();
  for (int o = 0; o < p.out_c; ++o) {
    for (int oy = 0; oy < oh; ++oy) {
      for (int ox = 0; ox < ow; ++ox) {
        output[(static_cast<size_t>(o) * oh + oy) * ow + ox] =
            conv2d_cell_ref(p, input, weights, bias, o, oy, ox);
      }
    }
  }
}

}  // namespace nnplay
