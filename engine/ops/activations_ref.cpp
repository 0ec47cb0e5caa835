// activations_ref.cpp: the scalar reference activations (see activations.h).
#include "ops/activations.h"

#include <cmath>

namespace nnplay {

template <typename T>
void relu_forward_ref(const T* x, T* y, size_t n) {
  for (size_t i = 0; i < n; ++i) y[i] = x[i] > T(0) ? x[i] : (std::isnan(x[i]) ? x[i] : T(0));
}

template <typename T>
void relu_backward_ref(const T* x, const T* dy, T* dx, size_t n) {
  for (size_t i = 0; i < n; ++i) dx[i] += x[i] > T(0) ? dy[i] : T(0);
}

template <typename T>
void leaky_relu_forward_ref(const T* x, T* y, size_t n, T slope) {
  for (size_t i = 0; i < n; ++i) y[i] = x[i] < T(0) ? slope * x[i] : x[i];
}

template <typename T>
void leaky_relu_backward_ref(const T* x, const T* dy, T* dx, size_t n, T slope) {
  for (size_t i = 0; i < n; ++i) dx[i] += x[i] > T(0) ? dy[i] : slope * dy[i];
}

template <typename T>
void sigmoid_forward_ref(const T* x, T* y, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    if (x[i] >= T(0)) {
      y[i] = T(1) / (T(1) + std::exp(-x[i]));
    } else {
      const T e = std::exp(x[i]);  // e^x / (1 + e^x): no overflow for very negative x
      y[i] = e / (T(1) + e);
    }
  }
}

template <typename T>
void sigmoid_backward_ref(const T* y, const T* dy, T* dx, size_t n) {
  for (size_t i = 0; i < n; ++i) dx[i] += dy[i] * (y[i] * (T(1) - y[i]));
}

template <typename T>
void tanh_forward_ref(const T* x, T* y, size_t n) {
  for (size_t i = 0; i < n; ++i) y[i] = std::tanh(x[i]);
}

template <typename T>
void tanh_backward_ref(const T* y, const T* dy, T* dx, size_t n) {
  for (size_t i = 0; i < n; ++i) dx[i] += dy[i] * (T(1) - y[i] * y[i]);
}

#define NNPLAY_INSTANTIATE(T)                                                  \
  template void relu_forward_ref<T>(const T*, T*, size_t);                     \
  template void relu_backward_ref<T>(const T*, const T*, T*, size_t);          \
  template void leaky_relu_forward_ref<T>(const T*, T*, size_t, T);            \
  template void leaky_relu_backward_ref<T>(const T*, const T*, T*, size_t, T); \
  template void sigmoid_forward_ref<T>(const T*, T*, size_t);                  \
  template void sigmoid_backward_ref<T>(const T*, const T*, T*, size_t);       \
  template void tanh_forward_ref<T>(const T*, T*, size_t);                     \
  template void tanh_backward_ref<T>(const T*, const T*, T*, size_t);
NNPLAY_INSTANTIATE(float)
NNPLAY_INSTANTIATE(double)
#undef NNPLAY_INSTANTIATE

}  // namespace nnplay
