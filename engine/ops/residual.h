// residual.h: the skip connection of a residual block (E11), forward and backward.
//
// Shapes: f, x, y, dy, df, dx all [n]; y = F(x) + x, F being the block's own layers.
//   forward:  y = f + x
//   backward: df += dy;  dx += dy   — the skip's "+1": ∂L/∂x = ∂L/∂y · (∂F/∂x + 1), where
//             the ∂F/∂x part arrives later through F's own backward, into the same dx.
#pragma once

#include <cstddef>

namespace nnplay {

template <typename T>
void residual_forward(const T* f, const T* x, T* y, size_t n) {
  for (size_t i = 0; i < n; ++i) y[i] = f[i] + x[i];
}

// Either gradient may be null (not wanted).
template <typename T>
void residual_backward(const T* dy, T* df, T* dx, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    if (df) df[i] += dy[i];
    if (dx) dx[i] += dy[i];
  }
}

}  // namespace nnplay
