// dropout.cpp: see dropout.h.
#include "ops/dropout.h"

#include "ops/rng.h"

namespace nnplay {

namespace {

// The factor applied to kept units in training.
template <typename T>
T TrainScale(DropoutKind kind, T keep) {
  if (kind == DropoutKind::kStandard) return T(1);
  if (keep >= T(1)) return T(1);
  return keep > T(0) ? T(1) / keep : T(0);
}

// The factor applied to every unit at test time.
template <typename T>
T TestScale(DropoutKind kind, T keep) {
  if (kind == DropoutKind::kInverted) return T(1);
  return keep < T(0) ? T(0) : (keep > T(1) ? T(1) : keep);
}

}  // namespace

template <typename T>
void dropout_mask(uint64_t seed, T keep, T* mask, size_t n) {
  Pcg32 rng(seed);
  for (size_t i = 0; i < n; ++i) mask[i] = static_cast<T>(rng.NextFloat01()) < keep ? T(1) : T(0);
}

template <typename T>
void dropout_forward_train(DropoutKind kind, T keep, const T* x, const T* mask, T* y, size_t n) {
  const T s = TrainScale(kind, keep);
  for (size_t i = 0; i < n; ++i) y[i] = mask[i] * x[i] * s;
}

template <typename T>
void dropout_backward_train(DropoutKind kind, T keep, const T* mask, const T* dy, T* dx, size_t n) {
  const T s = TrainScale(kind, keep);
  for (size_t i = 0; i < n; ++i) dx[i] += mask[i] * dy[i] * s;
}

template <typename T>
void dropout_forward_test(DropoutKind kind, T keep, const T* x, T* y, size_t n) {
  const T s = TestScale(kind, keep);
  for (size_t i = 0; i < n; ++i) y[i] = x[i] * s;
}

template <typename T>
void dropout_backward_test(DropoutKind kind, T keep, const T* dy, T* dx, size_t n) {
  const T s = TestScale(kind, keep);
  for (size_t i = 0; i < n; ++i) dx[i] += dy[i] * s;
}

#define NNPLAY_INSTANTIATE(T)                                                              \
  template void dropout_mask<T>(uint64_t, T, T*, size_t);                                  \
  template void dropout_forward_train<T>(DropoutKind, T, const T*, const T*, T*, size_t);  \
  template void dropout_backward_train<T>(DropoutKind, T, const T*, const T*, T*, size_t); \
  template void dropout_forward_test<T>(DropoutKind, T, const T*, T*, size_t);             \
  template void dropout_backward_test<T>(DropoutKind, T, const T*, T*, size_t);
NNPLAY_INSTANTIATE(float)
NNPLAY_INSTANTIATE(double)
#undef NNPLAY_INSTANTIATE

}  // namespace nnplay
