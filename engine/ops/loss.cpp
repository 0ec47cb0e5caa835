// loss.cpp: see loss.h.
#include "ops/loss.h"

#include "ops/softmax.h"

#include <cmath>
#include <limits>

namespace nnplay {

template <typename T>
T softmax_cross_entropy_forward(int n, int c, const T* logits, const int* targets, T* probs) {
  T total = 0;
  for (int r = 0; r < n; ++r) {
    const T* x_r = logits + static_cast<size_t>(r) * c;
    T* p_r = probs + static_cast<size_t>(r) * c;
    T m = 0;
    const T sum = ShiftedExpRow(x_r, c, T(1), p_r, &m);
    for (int i = 0; i < c; ++i) p_r[i] /= sum;
    const int t = targets[r];
    if (t < 0 || t >= c) {
      total = std::numeric_limits<T>::quiet_NaN();
      continue;
    }
    total += std::log(sum) - (x_r[t] - m);
  }
  return total / static_cast<T>(n);
}

template <typename T>
void softmax_cross_entropy_backward(int n, int c, const T* probs, const int* targets, T dloss,
                                    T* dlogits) {
  const T scale = dloss / static_cast<T>(n);
  for (int r = 0; r < n; ++r) {
    const T* p_r = probs + static_cast<size_t>(r) * c;
    T* d_r = dlogits + static_cast<size_t>(r) * c;
    const int t = targets[r];
    for (int i = 0; i < c; ++i) d_r[i] += scale * (p_r[i] - (i == t ? T(1) : T(0)));
  }
}

template <typename T>
T mse_forward(size_t count, const T* y, const T* target) {
  T total = 0;
  for (size_t i = 0; i < count; ++i) {
    const T d = y[i] - target[i];
    total += d * d;
  }
  return total / static_cast<T>(count);
}

template <typename T>
void mse_backward(size_t count, const T* y, const T* target, T dloss, T* dy) {
  const T scale = T(2) * dloss / static_cast<T>(count);
  for (size_t i = 0; i < count; ++i) dy[i] += scale * (y[i] - target[i]);
}

#define NNPLAY_INSTANTIATE(T)                                                             \
  template T softmax_cross_entropy_forward<T>(int, int, const T*, const int*, T*);        \
  template void softmax_cross_entropy_backward<T>(int, int, const T*, const int*, T, T*); \
  template T mse_forward<T>(size_t, const T*, const T*);                                  \
  template void mse_backward<T>(size_t, const T*, const T*, T, T*);
NNPLAY_INSTANTIATE(float)
NNPLAY_INSTANTIATE(double)
#undef NNPLAY_INSTANTIATE

}  // namespace nnplay
