// conv2d.h: 2-D convolution (cross-correlation, as deep-learning libraries compute it).
//
// Layouts: input CHW, weights OIHW with I = in_c / groups, output O×OH×OW (CHW).
// Output size per axis: ⌊(n + p_before + p_after − d(k−1) − 1) / s⌋ + 1, or 0 when the
// dilated kernel is larger than the padded input.
//
// Kernels, side by side:
// - conv2d_forward_ref:     scalar reference; the specification.
// - conv2d_forward_simd128: stride_w 1 with ≥ 8 interior columns: a 4-filter × 8-column
//                           indirect-GEMM tile (conv2d_forward_4x8_simd128, gemm.h); else
//                           four output columns per vector. Either way the same terms added
//                           in the same order per output as the reference (bit for bit).
// - conv2d_forward:         picks one by size (scalar wins on tiny problems).
#pragma once

#include <cstddef>
#include <string>

namespace nnplay {

struct Conv2dParams {
  int in_c = 1, in_h = 1, in_w = 1;
  int out_c = 1;
  int k_h = 1, k_w = 1;
  int stride_h = 1, stride_w = 1;
  int dil_h = 1, dil_w = 1;
  int pad_top = 0, pad_left = 0, pad_bottom = 0, pad_right = 0;
  int groups = 1;
  // Transposed convolution only (conv2d_transpose.h): extra rows / columns after the last
  // (PyTorch's output_padding); ignored by conv2d.
  int out_pad_h = 0, out_pad_w = 0;

  int out_h() const;  // 0 when no output fits
  int out_w() const;
  size_t input_size() const;   // in_c * in_h * in_w
  size_t weight_size() const;  // out_c * (in_c / groups) * k_h * k_w
  size_t output_size() const;  // out_c * out_h * out_w
  // Multiply-adds of one forward pass, padded taps excluded.
  size_t macs() const;
};

// Empty when the parameters are usable, else what is wrong (sizes must be positive,
// channels divisible by groups, ...). An empty output (out_h() == 0) is usable.
std::string Conv2dValidate(const Conv2dParams& p);

// Output extent along one axis (see the formula above); 0 when nothing fits.
int Conv2dOutExtent(int n, int pad_before, int pad_after, int k, int stride, int dilation);

// One output value, computed exactly as the reference computes it (bias may be null).
float conv2d_cell_ref(const Conv2dParams& p, const float* input, const float* weights,
                      const float* bias, int o, int oy, int ox);

// bias may be null (no bias). Output is fully overwritten.
void conv2d_forward_ref(const Conv2dParams& p, const float* input, const float* weights,
                        const float* bias, float* output);
void conv2d_forward_simd128(const Conv2dParams& p, const float* input, const float* weights,
                            const float* bias, float* output);
void conv2d_forward(const Conv2dParams& p, const float* input, const float* weights,
                    const float* bias, float* output);

}  // namespace nnplay
