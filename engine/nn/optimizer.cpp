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

bool Sgd::Restore(const float* velocity, size_t n) {
  if (n != velocity_.size()) return false;
  std::copy(velocity, velocity + n, velocity_.begin());
  return true;
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

bool Adam::Restore(long long t, const float* m, const float* v, size_t n) {
  if (n != m_.size() || t < 0) return false;
  std::copy(m, m + n, m_.begin());
  std::copy(v, v + n, v_.begin());
  t_ = t;
  return true;
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

void Adadelta::Build(size_t n) {
  gsum_.assign(n, 0.0f);
  xsum_.assign(n, 0.0f);
  ranges_.assign(1, Range{0, n, 1.0f, 1.0f});
}
void Adadelta::Build(const Network& net) {
  const size_t n = net.param_count();
  gsum_.assign(n, 0.0f);
  xsum_.assign(n, 0.0f);
  ranges_.clear();
  for (int i = 0; i < net.num_param_tensors(); ++i) {
    const ParamView& v = net.param(i);
    const bool bias = v.name.size() >= 5 && v.name.compare(v.name.size() - 5, 5, ".bias") == 0;
    ranges_.push_back(Range{v.offset, v.size, bias ? 0.0f : 1.0f, 0.0f});
  }
}
bool Adadelta::set_decay_mul(int i, float l2_mul, float l1_mul) {
  if (i < 0 || static_cast<size_t>(i) >= ranges_.size()) return false;
  ranges_[static_cast<size_t>(i)].l2_mul = l2_mul;
  ranges_[static_cast<size_t>(i)].l1_mul = l1_mul;
  return true;
}
void Adadelta::Reset() {
  std::fill(gsum_.begin(), gsum_.end(), 0.0f);
  std::fill(xsum_.begin(), xsum_.end(), 0.0f);
}

bool Adadelta::Step(float* params, const float* grads, size_t n) {
  if (n != gsum_.size() || opt_.batch_size < 1) return false;
  const float ro = opt_.ro, one_minus_ro = 1.0f - opt_.ro, eps = opt_.eps;
  const float inv_batch = 1.0f / static_cast<float>(opt_.batch_size);
  float* gs = gsum_.data();
  float* xs = xsum_.data();
  for (const Range& r : ranges_) {
    const float l2 = opt_.l2_decay * r.l2_mul, l1 = opt_.l1_decay * r.l1_mul;
    const bool decay = l2 != 0.0f || l1 != 0.0f;
    for (size_t i = r.offset; i < r.offset + r.size; ++i) {
      float g = grads[i];
      if (decay) {
        const float p = params[i];
        g += (l2 * p + l1 * (p > 0.0f ? 1.0f : -1.0f)) * inv_batch;
      }
      gs[i] = ro * gs[i] + one_minus_ro * g * g;
      const float dx = -std::sqrt((xs[i] + eps) / (gs[i] + eps)) * g;
      xs[i] = ro * xs[i] + one_minus_ro * dx * dx;
      params[i] += dx;
    }
  }
  return true;
}
bool Adadelta::Step(Network* net) {
  return Step(net->params(), net->grads(), net->param_count());
}
double Adadelta::DecayLoss(const float* params) const {
  double loss = 0;
  for (const Range& r : ranges_) {
    const double l2 = static_cast<double>(opt_.l2_decay) * r.l2_mul;
    const double l1 = static_cast<double>(opt_.l1_decay) * r.l1_mul;
    for (size_t i = r.offset; i < r.offset + r.size; ++i) {
      const double p = params[i];
      loss += l2 * p * p / 2 + l1 * std::fabs(p);
    }
  }
  return loss;
}

}  // namespace nnplay
