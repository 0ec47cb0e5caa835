// optimizer.h: SGD with momentum and Adam, updating a parameter buffer in place from its
// gradient buffer (Network::params() / grads(), or any pair of float arrays).
//
// Build(n) (or Build(net)) allocates the state; Step never allocates. Step(params, grads, n)
// with n different from the built size does nothing and returns false.
//
//   SGD (PyTorch convention):  v ← μ·v + g;            p ← p − lr·v      (μ = 0: p ← p − lr·g)
//   Adam (Kingma & Ba 2015):   m ← β₁·m + (1 − β₁)·g;  v ← β₂·v + (1 − β₂)·g²;  t ← t + 1
//                              m̂ = m / (1 − β₁ᵗ);  v̂ = v / (1 − β₂ᵗ);  p ← p − lr·m̂ / (√v̂ + ε)
// On Adam's first step m̂ = g and v̂ = g², so every parameter with g ≠ 0 moves by
// lr·g / (|g| + ε) ≈ lr·sign(g), whatever the gradient's scale.
#pragma once

#include <cstddef>
#include <vector>

namespace nnplay {

class Network;

class Sgd {
 public:
  explicit Sgd(float lr = 0.01f, float momentum = 0.0f) : lr_(lr), momentum_(momentum) {}
  void Build(size_t n);
  void Build(const Network& net);
  bool Step(float* params, const float* grads, size_t n);
  bool Step(Network* net);
  void Reset();  // zero velocity

  float lr() const { return lr_; }
  void set_lr(float lr) { lr_ = lr; }
  float momentum() const { return momentum_; }
  const float* velocity() const { return velocity_.data(); }

 private:
  float lr_, momentum_;
  std::vector<float> velocity_;
};

class Adam {
 public:
  explicit Adam(float lr = 0.001f, float beta1 = 0.9f, float beta2 = 0.999f, float eps = 1e-8f)
      : lr_(lr), beta1_(beta1), beta2_(beta2), eps_(eps) {}
  void Build(size_t n);
  void Build(const Network& net);
  bool Step(float* params, const float* grads, size_t n);
  bool Step(Network* net);
  void Reset();  // zero moments, t = 0

  float lr() const { return lr_; }
  void set_lr(float lr) { lr_ = lr; }
  long long steps() const { return t_; }
  const float* m() const { return m_.data(); }
  const float* v() const { return v_.data(); }

 private:
  float lr_, beta1_, beta2_, eps_;
  long long t_ = 0;
  std::vector<float> m_, v_;
};

}  // namespace nnplay
