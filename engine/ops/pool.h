// pool.h: 2-D max and average pooling, per channel, forward and backward.
//
// Shapes: input, dinput [C, H, W]; output, doutput, argmax [C, OH, OW] (CHW, as conv2d).
// Output size per axis as conv2d: ⌊(n + p_before + p_after − d(k−1) − 1) / s⌋ + 1; in ceil
// mode ⌈…⌉ + 1, less one when that last window would start past the input and its leading
// padding (PyTorch's rule, so every window holds at least one real input value). Padding
// must be smaller than the kernel on every side (Pool2dValidate).
//
// - Max: padded taps are ignored (as −∞). The first maximum in window order (row, then
//   column) wins, and a NaN in the window wins over numbers (it is passed on, not hidden); the
//   forward records its input index (within the channel plane) in argmax, and the backward routes
//   each output gradient to it.
// - Average: the window sum over the taps inside the input, divided by the number of those
//   taps, or when count_include_pad by the window's cells inside the padded input (k_h·k_w
//   except where ceil mode's last window hangs over the padding; padding counts as zeros).
// - Dilation (max pooling): the window's taps are d apart, as a dilated convolution's.
// Backward ACCUMULATES into dinput.
#pragma once

#include <cstddef>
#include <string>

namespace nnplay {

struct Pool2dParams {
  int c = 1, h = 1, w = 1;
  int k_h = 1, k_w = 1;
  int stride_h = 1, stride_w = 1;
  int pad_top = 0, pad_left = 0, pad_bottom = 0, pad_right = 0;
  bool count_include_pad = false;  // average pooling only
  int dil_h = 1, dil_w = 1;        // max pooling only (the average ignores it)
  bool ceil_mode = false;

  int out_h() const;
  int out_w() const;
  size_t input_size() const;   // c * h * w
  size_t output_size() const;  // c * out_h * out_w
};

// Empty when usable, else what is wrong.
std::string Pool2dValidate(const Pool2dParams& p);

template <typename T>
void maxpool2d_forward_ref(const Pool2dParams& p, const T* input, T* output, int* argmax);
template <typename T>
void maxpool2d_backward_ref(const Pool2dParams& p, const int* argmax, const T* doutput, T* dinput);

template <typename T>
void avgpool2d_forward_ref(const Pool2dParams& p, const T* input, T* output);
template <typename T>
void avgpool2d_backward_ref(const Pool2dParams& p, const T* doutput, T* dinput);

// Adaptive pooling (PyTorch's adaptive_max_pool2d / adaptive_avg_pool2d): the input cut into
// an out_h × out_w grid of windows, window i of an axis of n covering [⌊i·n/out⌋,
// ⌈(i+1)·n/out⌉). Input [c, h, w], output [c, out_h, out_w]; argmax (may be null) as above.
// out_h = out_w = 1 is global pooling.
struct AdaptivePool2dParams {
  int c = 1, h = 1, w = 1, out_h = 1, out_w = 1;
  static int Start(int i, int n, int out) { return i * n / out; }
  static int End(int i, int n, int out) { return ((i + 1) * n + out - 1) / out; }
};
void adaptive_maxpool2d_forward_ref(const AdaptivePool2dParams& p, const float* input,
                                    float* output, int* argmax);
void adaptive_avgpool2d_forward_ref(const AdaptivePool2dParams& p, const float* input,
                                    float* output);

}  // namespace nnplay

// ---- SIMD128 pooling (float) ---------------------------------------------------------------
// *_simd128: four adjacent output columns per vector for the columns whose window lies
// inside the input horizontally; the border columns run the reference's scalar loop. Each
// lane visits the taps in the reference's order with the reference's comparison (strictly
// greater, or the window's first NaN), so values AND argmax are bit for bit equal (ties: first
// maximum in window order; NaN: the first NaN wins). Average: the same sum order and divisor,
// bit for bit (except which NaN's bits a NaN sum carries, which IEEE leaves open).
// Dispatchers without a suffix pick SIMD when a row has ≥ 4 output columns (and the
// reference for dilation or ceil mode, which the SIMD kernels do not take).
namespace nnplay {
void maxpool2d_forward_simd128(const Pool2dParams& p, const float* input, float* output,
                               int* argmax);
void avgpool2d_forward_simd128(const Pool2dParams& p, const float* input, float* output);
void maxpool2d_forward(const Pool2dParams& p, const float* input, float* output, int* argmax);
void avgpool2d_forward(const Pool2dParams& p, const float* input, float* output);
}  // namespace nnplay
