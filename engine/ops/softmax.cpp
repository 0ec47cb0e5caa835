// softmax.cpp: see softmax.h.
#include "ops/softmax.h"

#include <cmath>
#include <cstddef>

namespace nnplay {

template <typename T>
T ShiftedExpRow(const T* x, int c, T temperature, T* e, T* max) {
  T m = x[0];
  for (int i = 1; i < c; ++i) m = x[i] > m ? x[i] : m;
  T sum = 0;
  for (int i = 0; i < c; ++i) {
    const T v = std::exp((x[i] - m) / temperature);
    if (e) e[i] = v;
    sum += v;
  }
  *max = m;
  return sum;
}

template <typename T>
void softmax_forward(int n, int c, const T* x, T* p, T temperature) {
  for (int r = 0; r < n; ++r) {
    T* p_r = p + static_cast<size_t>(r) * c;
    T m = 0;
    const T sum = ShiftedExpRow(x + static_cast<size_t>(r) * c, c, temperature, p_r, &m);
    for (int i = 0; i < c; ++i) p_r[i] /= sum;
  }
}

template <typename T>
void softmax_backward(int n, int c, const T* p, const T* dp, T* dx, T temperature) {
  for (int r = 0; r < n; ++r) {
    const T* p_r = p + static_cast<size_t>(r) * c;
    const T* dp_r = dp + static_cast<size_t>(r) * c;
    T* dx_r = dx + static_cast<size_t>(r) * c;
    T dot = 0;
    for (int i = 0; i < c; ++i) dot += dp_r[i] * p_r[i];
    for (int i = 0; i < c; ++i) dx_r[i] += p_r[i] * (dp_r[i] - dot) / temperature;
  }
}

template <typename T>
void log_softmax_forward(int n, int c, const T* x, T* l) {
  for (int r = 0; r < n; ++r) {
    const T* x_r = x + static_cast<size_t>(r) * c;
    T* l_r = l + static_cast<size_t>(r) * c;
    T m = 0;
    const T log_sum = std::log(ShiftedExpRow(x_r, c, T(1), static_cast<T*>(nullptr), &m));
    for (int i = 0; i < c; ++i) l_r[i] = (x_r[i] - m) - log_sum;
  }
}

template <typename T>
void log_softmax_backward(int n, int c, const T* l, const T* dl, T* dx) {
  for (int r = 0; r < n; ++r) {
    const T* l_r = l + static_cast<size_t>(r) * c;
    const T* dl_r = dl + static_cast<size_t>(r) * c;
    T* dx_r = dx + static_cast<size_t>(r) * c;
    T sum = 0;
    for (int i = 0; i < c; ++i) sum += dl_r[i];
    for (int i = 0; i < c; ++i) dx_r[i] += dl_r[i] - std::exp(l_r[i]) * sum;
  }
}

#define NNPLAY_INSTANTIATE(T)                                              \
  template void softmax_forward<T>(int, int, const T*, T*, T);             \
  template void softmax_backward<T>(int, int, const T*, const T*, T*, T);  \
  template void log_softmax_forward<T>(int, int, const T*, T*);            \
  template void log_softmax_backward<T>(int, int, const T*, const T*, T*); \
  template T ShiftedExpRow<T>(const T*, int, T, T*, T*);
NNPLAY_INSTANTIATE(float)
NNPLAY_INSTANTIATE(double)
#undef NNPLAY_INSTANTIATE

}  // namespace nnplay
