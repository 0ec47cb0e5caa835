// pool.cpp: see pool.h.
#include "ops/pool.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "kernels/conv2d.h"

namespace nnplay {

namespace {
int PoolExtent(int n, int before, int after, int k, int s, int d, bool ceil_mode) {
  if (!ceil_mode) return Conv2dOutExtent(n, before, after, k, s, d);
  const long span = static_cast<long>(n) + before + after - static_cast<long>(d) * (k - 1) - 1;
  if (span < 0 || s <= 0) return 0;
  long out = (span + s - 1) / s + 1;
  if ((out - 1) * s >= static_cast<long>(n) + before) --out;  // the last window starts inside
  return static_cast<int>(out);
}
}  // namespace

int Pool2dParams::out_h() const {
  return PoolExtent(h, pad_top, pad_bottom, k_h, stride_h, dil_h, ceil_mode);
}
int Pool2dParams::out_w() const {
  return PoolExtent(w, pad_left, pad_right, k_w, stride_w, dil_w, ceil_mode);
}
size_t Pool2dParams::input_size() const {
  return static_cast<size_t>(c) * static_cast<size_t>(h) * static_cast<size_t>(w);
}
size_t Pool2dParams::output_size() const {
  return static_cast<size_t>(c) * static_cast<size_t>(out_h()) * static_cast<size_t>(out_w());
}

std::string Pool2dValidate(const Pool2dParams& p) {
  if (p.c <= 0 || p.h <= 0 || p.w <= 0) return "input sizes must be positive";
  if (p.k_h <= 0 || p.k_w <= 0) return "kernel sizes must be positive";
  if (p.stride_h <= 0 || p.stride_w <= 0) return "strides must be positive";
  if (p.dil_h <= 0 || p.dil_w <= 0) return "dilations must be positive";
  if (p.pad_top < 0 || p.pad_left < 0 || p.pad_bottom < 0 || p.pad_right < 0)
    return "padding must not be negative";
  if (p.pad_top >= p.k_h || p.pad_bottom >= p.k_h || p.pad_left >= p.k_w || p.pad_right >= p.k_w)
    return "padding must be smaller than the kernel";
  return {};
}

namespace {

// The window of output (oy, ox), clipped to the input: rows [y0, y1), columns [x0, x1).
struct Window {
  int y0, y1, x0, x1;
};

Window WindowAt(const Pool2dParams& p, int oy, int ox) {
  const int ys = oy * p.stride_h - p.pad_top, xs = ox * p.stride_w - p.pad_left;
  Window win;
  win.y0 = ys < 0 ? 0 : ys;
  win.y1 = ys + p.k_h > p.h ? p.h : ys + p.k_h;
  win.x0 = xs < 0 ? 0 : xs;
  win.x1 = xs + p.k_w > p.w ? p.w : xs + p.k_w;
  return win;
}

// v replaces the current maximum m when larger, or when it is the window's first NaN (a
// NaN input is propagated, not hidden by the comparisons being false).
template <typename T>
bool Beats(T v, T m) {
  return v > m || (std::isnan(v) && !std::isnan(m));
}

template <typename T>
T AverageDivisor(const Pool2dParams& p, const Window& win, int oy, int ox) {
  if (p.count_include_pad) {
    // The window's cells inside the padded input (PyTorch): k_h·k_w unless ceil mode's last
    // window hangs over the padding after the input.
    const int ys = oy * p.stride_h - p.pad_top, xs = ox * p.stride_w - p.pad_left;
    const int ye = std::min(ys + p.k_h, p.h + p.pad_bottom);
    const int xe = std::min(xs + p.k_w, p.w + p.pad_right);
    return static_cast<T>((ye - ys) * (xe - xs));
  }
  return static_cast<T>((win.y1 - win.y0) * (win.x1 - win.x0));
}

}  // namespace

template <typename T>
void maxpool2d_forward_ref(const Pool2dParams& p, const T* input, T* output, int* argmax) {
  const int oh = p.out_h(), ow = p.out_w();
  for (int ch = 0; ch < p.c; ++ch) {
    const T* in_c = input + static_cast<size_t>(ch) * p.h * p.w;
    for (int oy = 0; oy < oh; ++oy) {
      for (int ox = 0; ox < ow; ++ox) {
        // Taps (ys + ky·d_h, xs + kx·d_w) inside the input, in window order.
        const int ys = oy * p.stride_h - p.pad_top, xs = ox * p.stride_w - p.pad_left;
        int best = -1;
        for (int ky = 0; ky < p.k_h; ++ky) {
          const int y = ys + ky * p.dil_h;
          if (y < 0 || y >= p.h) continue;
          for (int kx = 0; kx < p.k_w; ++kx) {
            const int x = xs + kx * p.dil_w;
            if (x < 0 || x >= p.w) continue;
            if (best < 0 || Beats(in_c[y * p.w + x], in_c[best])) best = y * p.w + x;
          }
        }
        const size_t o = (static_cast<size_t>(ch) * oh + oy) * ow + ox;
        // No tap inside the input (only possible with dilation): −∞, as PyTorch, and no
        // gradient.
        output[o] = best < 0 ? -std::numeric_limits<T>::infinity() : in_c[best];
        if (argmax) argmax[o] = best;
      }
    }
  }
}

template <typename T>
void maxpool2d_backward_ref(const Pool2dParams& p, const int* argmax, const T* doutput, T* dinput) {
  const size_t plane_out = static_cast<size_t>(p.out_h()) * p.out_w();
  for (int ch = 0; ch < p.c; ++ch) {
    T* din_c = dinput + static_cast<size_t>(ch) * p.h * p.w;
    for (size_t i = 0; i < plane_out; ++i) {
      const size_t o = ch * plane_out + i;
      if (argmax[o] >= 0) din_c[argmax[o]] += doutput[o];
    }
  }
}

template <typename T>
void avgpool2d_forward_ref(const Pool2dParams& p, const T* input, T* output) {
  const int oh = p.out_h(), ow = p.out_w();
  for (int ch = 0; ch < p.c; ++ch) {
    const T* in_c = input + static_cast<size_t>(ch) * p.h * p.w;
    for (int oy = 0; oy < oh; ++oy) {
      for (int ox = 0; ox < ow; ++ox) {
        const Window win = WindowAt(p, oy, ox);
        T sum = 0;
        for (int y = win.y0; y < win.y1; ++y)
          for (int x = win.x0; x < win.x1; ++x) sum += in_c[y * p.w + x];
        output[(static_cast<size_t>(ch) * oh + oy) * ow + ox] =
            sum / AverageDivisor<T>(p, win, oy, ox);
      }
    }
  }
}

template <typename T>
void avgpool2d_backward_ref(const Pool2dParams& p, const T* doutput, T* dinput) {
  const int oh = p.out_h(), ow = p.out_w();
  for (int ch = 0; ch < p.c; ++ch) {
    T* din_c = dinput + static_cast<size_t>(ch) * p.h * p.w;
    for (int oy = 0; oy < oh; ++oy) {
      for (int ox = 0; ox < ow; ++ox) {
        const Window win = WindowAt(p, oy, ox);
        const T g = doutput[(static_cast<size_t>(ch) * oh + oy) * ow + ox] /
                    AverageDivisor<T>(p, win, oy, ox);
        for (int y = win.y0; y < win.y1; ++y)
          for (int x = win.x0; x < win.x1; ++x) din_c[y * p.w + x] += g;
      }
    }
  }
}

void adaptive_maxpool2d_forward_ref(const AdaptivePool2dParams& p, const float* input,
                                    float* output, int* argmax) {
  using A = AdaptivePool2dParams;
  for (int ch = 0; ch < p.c; ++ch) {
    const float* in_c = input + static_cast<size_t>(ch) * p.h * p.w;
    for (int oy = 0; oy < p.out_h; ++oy) {
      for (int ox = 0; ox < p.out_w; ++ox) {
        const int y0 = A::Start(oy, p.h, p.out_h), y1 = A::End(oy, p.h, p.out_h);
        const int x0 = A::Start(ox, p.w, p.out_w), x1 = A::End(ox, p.w, p.out_w);
        int best = y0 * p.w + x0;
        for (int y = y0; y < y1; ++y)
          for (int x = x0; x < x1; ++x)
            if (Beats(in_c[y * p.w + x], in_c[best])) best = y * p.w + x;
        const size_t o = (static_cast<size_t>(ch) * p.out_h + oy) * p.out_w + ox;
        output[o] = in_c[best];
        if (argmax) argmax[o] = best;
      }
    }
  }
}

void adaptive_avgpool2d_forward_ref(const AdaptivePool2dParams& p, const float* input,
                                    float* output) {
  using A = AdaptivePool2dParams;
  for (int ch = 0; ch < p.c; ++ch) {
    const float* in_c = input + static_cast<size_t>(ch) * p.h * p.w;
    for (int oy = 0; oy < p.out_h; ++oy) {
      for (int ox = 0; ox < p.out_w; ++ox) {
        const int y0 = A::Start(oy, p.h, p.out_h), y1 = A::End(oy, p.h, p.out_h);
        const int x0 = A::Start(ox, p.w, p.out_w), x1 = A::End(ox, p.w, p.out_w);
        float sum = 0;
        for (int y = y0; y < y1; ++y)
          for (int x = x0; x < x1; ++x) sum += in_c[y * p.w + x];
        output[(static_cast<size_t>(ch) * p.out_h + oy) * p.out_w + ox] =
            sum / static_cast<float>((y1 - y0) * (x1 - x0));
      }
    }
  }
}

#define NNPLAY_INSTANTIATE(T)                                                             \
  template void maxpool2d_forward_ref<T>(const Pool2dParams&, const T*, T*, int*);        \
  template void maxpool2d_backward_ref<T>(const Pool2dParams&, const int*, const T*, T*); \
  template void avgpool2d_forward_ref<T>(const Pool2dParams&, const T*, T*);              \
  template void avgpool2d_backward_ref<T>(const Pool2dParams&, const T*, T*);
NNPLAY_INSTANTIATE(float)
NNPLAY_INSTANTIATE(double)
#undef NNPLAY_INSTANTIATE

}  // namespace nnplay
