// optimizer.cpp: see optimizer.h.
#include "nn/optimizer.h"

#include <algorithm>
#include <cmath>

#include "nn/network.h"

namespace nnplay {

void Sgd::Build(size_t n) {
  velocity_.assign(n, 0.0f);
}
void Sgd::Build(const Network& net) {
  Build(net.param_count());
}
void Sgd::Reset() {
  std::fill(velocity_.begin(), velocity_.end(), 0.0f);
}

bool Sgd::Step(float* params, const float* grads, size_t n) {
  if (n != velocity_.size()) return false;
  if (momentum_ == 0.0f) {
    for (size_t i = 0; i < n; ++i) params[i] -= lr_ * grads[i];
    return true;
  }
  float* v = velocity_.data();
  for (size_t i = 0; i < n; ++i) {
    v[i] = momentum_ * v[i] + grads[i];
    params[i] -= lr_ * v[i];
  }
  return true;
}
bool Sgd::Step(Network* net) {
  return Step(net->params(), net->grads(), net->param_count());
}

void Adam::Build(size_t n) {
  m_.assign(n, 0.0f);
  v_.assign(n, 0.0f);
  t_ = 0;
}
void Adam::Build(const Network& net) {
  Build(net.param_count());
}
void Adam::Reset() {
  std::fill(m_.begin(), m_.end(), 0.0f);
  std::fill(v_.begin(), v_.end(), 0.0f);
  t_ = 0;
}

bool Adam::Step(float* params, const float* grads, size_t n) {
  if (n != m_.size()) return false;
  ++t_;
  // Bias corrections in double: β₂ᵗ stays accurate for large t.
  const double t = static_cast<double>(t_);
  const float c1 = static_cast<float>(1.0 / (1.0 - std::pow(static_cast<double>(beta1_), t)));
  const float c2 = static_cast<float>(1.0 / (1.0 - std::pow(static_cast<double>(beta2_), t)));
  float* m = m_.data();
  float* v = v_.data();
  for (size_t i = 0; i < n; ++i) {
    const float g = grads[i];
    m[i] = beta1_ * m[i] + (1.0f - beta1_) * g;
    v[i] = beta2_ * v[i] + (1.0f - beta2_) * g * g;
    const float m_hat = m[i] * c1;
    const float v_hat = v[i] * c2;
    params[i] -= lr_ * m_hat / (std::sqrt(v_hat) + eps_);
  }
  return true;
}
bool Adam::Step(Network* net) {
  return Step(net->params(), net->grads(), net->param_count());
}

}  // namespace nnplay
