// batchnorm.h: batch normalization over a batch of feature vectors (E6).
//
// Shapes: X, Y, dX, dY [N, C] (N examples, C features, each feature normalised over the
// batch); gamma, beta, dgamma, dbeta, mean, rstd, running_mean, running_var [C].
//
// Training (batch statistics, as the course does it):
//   μ = (1/N) Σ x;  σ² = (1/N) Σ (x − μ)²  (biased);  rstd = 1/√(σ² + ε)  (ε inside)
//   x̂ = (x − μ)·rstd;  y = γ x̂ + β
//   running_mean ← (1 − momentum)·running_mean + momentum·μ, same for running_var with σ²
//   (PyTorch's meaning of momentum, default 0.1; Keras's momentum is 1 − this one. The
//   running variance uses the biased σ², as the course does; PyTorch uses N/(N−1)·σ².)
//   The forward caches μ and rstd; the backward recomputes x̂ from x.
//   dx = rstd · (g − mean(g) − x̂ · mean(g·x̂)),  g = γ·dy;  dγ += Σ dy·x̂;  dβ += Σ dy
// Inference (running statistics; no batch coupling):
//   y = γ (x − running_mean)/√(running_var + ε) + β;  dx = γ·dy/√(running_var + ε)
//
// A feature with zero variance (or N = 1) gives x̂ = 0, y = β, and finite gradients as long
// as ε > 0. Backward ACCUMULATES into dX, dgamma, dbeta (each may be null).
#pragma once

namespace nnplay {

struct BatchNormParams {
  int n = 1, c = 1;
  double eps = 1e-5;
  double momentum = 0.1;
};

template <typename T>
void batchnorm_forward_train(const BatchNormParams& p, const T* x, const T* gamma, const T* beta,
                             T* y, T* mean, T* rstd, T* running_mean, T* running_var);
template <typename T>
void batchnorm_backward_train(const BatchNormParams& p, const T* x, const T* gamma, const T* mean,
                              const T* rstd, const T* dy, T* dx, T* dgamma, T* dbeta);

template <typename T>
void batchnorm_forward_infer(const BatchNormParams& p, const T* x, const T* gamma, const T* beta,
                             const T* running_mean, const T* running_var, T* y);
template <typename T>
void batchnorm_backward_infer(const BatchNormParams& p, const T* x, const T* gamma,
                              const T* running_mean, const T* running_var, const T* dy, T* dx,
                              T* dgamma, T* dbeta);

}  // namespace nnplay
