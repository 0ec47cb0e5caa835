// batchnorm.cpp: see batchnorm.h. Features are columns of the row-major [N, C] batch.
#include "ops/batchnorm.h"

#include <cmath>
#include <cstddef>

namespace nnplay {

template <typename T>
void batchnorm_forward_train(const BatchNormParams& p, const T* x, const T* gamma, const T* beta,
                             T* y, T* mean, T* rstd, T* running_mean, T* running_var) {
  const T eps = static_cast<T>(p.eps), momentum = static_cast<T>(p.momentum);
  const size_t c = static_cast<size_t>(p.c);
  for (size_t j = 0; j < c; ++j) {
    T mu = 0;
    for (int r = 0; r < p.n; ++r) mu += x[r * c + j];
    mu /= static_cast<T>(p.n);
    T var = 0;  // two passes: no cancellation of Σx² − Nμ²
    for (int r = 0; r < p.n; ++r) {
      const T d = x[r * c + j] - mu;
      var += d * d;
    }
    var /= static_cast<T>(p.n);
    const T rs = T(1) / std::sqrt(var + eps);
    for (int r = 0; r < p.n; ++r) y[r * c + j] = gamma[j] * ((x[r * c + j] - mu) * rs) + beta[j];
    mean[j] = mu;
    rstd[j] = rs;
    if (running_mean) running_mean[j] = (T(1) - momentum) * running_mean[j] + momentum * mu;
    if (running_var) running_var[j] = (T(1) - momentum) * running_var[j] + momentum * var;
  }
}

template <typename T>
void batchnorm_backward_train(const BatchNormParams& p, const T* x, const T* gamma, const T* mean,
                              const T* rstd, const T* dy, T* dx, T* dgamma, T* dbeta) {
  const size_t c = static_cast<size_t>(p.c);
  for (size_t j = 0; j < c; ++j) {
    T sum_g = 0, sum_gx = 0, sum_dy = 0, sum_dyx = 0;
    for (int r = 0; r < p.n; ++r) {
      const T xhat = (x[r * c + j] - mean[j]) * rstd[j];
      const T d = dy[r * c + j];
      sum_dy += d;
      sum_dyx += d * xhat;
      sum_g += gamma[j] * d;
      sum_gx += gamma[j] * d * xhat;
    }
    if (dgamma) dgamma[j] += sum_dyx;
    if (dbeta) dbeta[j] += sum_dy;
    if (!dx) continue;
    const T mean_g = sum_g / static_cast<T>(p.n), mean_gx = sum_gx / static_cast<T>(p.n);
    for (int r = 0; r < p.n; ++r) {
      const T xhat = (x[r * c + j] - mean[j]) * rstd[j];
      const T g = gamma[j] * dy[r * c + j];
      dx[r * c + j] += rstd[j] * (g - mean_g - xhat * mean_gx);
    }
  }
}

template <typename T>
void batchnorm_forward_infer(const BatchNormParams& p, const T* x, const T* gamma, const T* beta,
                             const T* running_mean, const T* running_var, T* y) {
  const T eps = static_cast<T>(p.eps);
  const size_t c = static_cast<size_t>(p.c);
  for (size_t j = 0; j < c; ++j) {
    const T rs = T(1) / std::sqrt(running_var[j] + eps);
    for (int r = 0; r < p.n; ++r)
      y[r * c + j] = gamma[j] * ((x[r * c + j] - running_mean[j]) * rs) + beta[j];
  }
}

template <typename T>
void batchnorm_backward_infer(const BatchNormParams& p, const T* x, const T* gamma,
                              const T* running_mean, const T* running_var, const T* dy, T* dx,
                              T* dgamma, T* dbeta) {
  const T eps = static_cast<T>(p.eps);
  const size_t c = static_cast<size_t>(p.c);
  for (size_t j = 0; j < c; ++j) {
    const T rs = T(1) / std::sqrt(running_var[j] + eps);
    for (int r = 0; r < p.n; ++r) {
      const T d = dy[r * c + j];
      if (dx) dx[r * c + j] += gamma[j] * d * rs;
      if (dgamma) dgamma[j] += d * ((x[r * c + j] - running_mean[j]) * rs);
      if (dbeta) dbeta[j] += d;
    }
  }
}

#define NNPLAY_INSTANTIATE(T)                                                                     \
  template void batchnorm_forward_train<T>(const BatchNormParams&, const T*, const T*, const T*,  \
                                           T*, T*, T*, T*, T*);                                   \
  template void batchnorm_backward_train<T>(const BatchNormParams&, const T*, const T*, const T*, \
                                            const T*, const T*, T*, T*, T*);                      \
  template void batchnorm_forward_infer<T>(const BatchNormParams&, const T*, const T*, const T*,  \
                                           const T*, const T*, T*);                               \
  template void batchnorm_backward_infer<T>(const BatchNormParams&, const T*, const T*, const T*, \
                                            const T*, const T*, T*, T*, T*);
NNPLAY_INSTANTIATE(float)
NNPLAY_INSTANTIATE(double)
#undef NNPLAY_INSTANTIATE

}  // namespace nnplay
