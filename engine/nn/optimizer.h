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
//
//   Adadelta (Zeiler 2012, exactly as ConvNetJS 0.3's SGDTrainer with method 'adadelta'):
//     per element, with the tensor's decays l2 = l2_decay·l2_mul, l1 = l1_decay·l1_mul:
//     g ← (l2·p + l1·(p > 0 ? 1 : −1)) / batch_size + grad   (grad: the batch-MEAN gradient,
//          i.e. ConvNetJS's summed gradient / batch_size; its decay terms are divided too)
//     G ← ρ·G + (1 − ρ)·g²;  Δ = −√((X + ε) / (G + ε))·g;  X ← ρ·X + (1 − ρ)·Δ²;  p ← p + Δ
//   ρ = 0.95, ε = 1e-6 by default; no learning rate. Build(net) gives every weight tensor
//   l2_mul 1, l1_mul 0 and every bias l2_mul 0, l1_mul 0 (ConvNetJS's conv/fc layers'
//   defaults); Build(n) gives everything 1 and 1 (ConvNetJS's trainer's default).
//   set_decay_mul changes one parameter tensor's multipliers. DecayLoss(params) is ConvNetJS's
//   l2_decay_loss + l1_decay_loss: Σ l2·p²/2 + l1·|p|.
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
  // Sets the velocity (a training checkpoint's); false, and nothing changes, unless n is
  // the built size.
  bool Restore(const float* velocity, size_t n);

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
  // Sets the moments and the step count (a training checkpoint's); false, and nothing
  // changes, unless n is the built size and t >= 0.
  bool Restore(long long t, const float* m, const float* v, size_t n);

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

struct AdadeltaOptions {
  float ro = 0.95f;
  float eps = 1e-6f;
  float l2_decay = 0.0f;
  float l1_decay = 0.0f;
  int batch_size = 1;  // the batch the gradients were averaged over (divides the decays)
};

class Adadelta {
 public:
  Adadelta() = default;
  explicit Adadelta(const AdadeltaOptions& options) : opt_(options) {}
  void Build(size_t n);
  void Build(const Network& net);
  // Multipliers of parameter tensor i (Build(net): Network::param(i); Build(n): i = 0, the
  // whole buffer). False when i is out of range.
  bool set_decay_mul(int i, float l2_mul, float l1_mul);
  bool Step(float* params, const float* grads, size_t n);
  bool Step(Network* net);
  void Reset();  // zero G and X
  double DecayLoss(const float* params) const;

  const AdadeltaOptions& options() const { return opt_; }
  void set_batch_size(int batch_size) { opt_.batch_size = batch_size; }
  const float* gsum() const { return gsum_.data(); }  // G
  const float* xsum() const { return xsum_.data(); }  // X

 private:
  struct Range {
    size_t offset, size;
    float l2_mul, l1_mul;
  };
  AdadeltaOptions opt_;
  std::vector<Range> ranges_;
  std::vector<float> gsum_, xsum_;
};

}  // namespace nnplay
