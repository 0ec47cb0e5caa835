// mlp.h: a small fully connected network (the training lab's: ≤ 16 inputs, ≤ 8 hidden
// layers of ≤ 16 units) trained with the batch in SIMD lanes.
//
// Network (network.h) is the general reference: row-major [batch, features] and one op per
// layer. For layers this narrow its per-call overhead dominates, so Mlp keeps every
// activation feature-major, [units][batch rounded up to 4], and runs forward, loss, backward
// and the update as one pass over four examples per f32x4 vector: a weight is splatted once
// and multiplies a whole vector of examples. Same mathematics as Network with the same
// layers (tests check parameters, gradients and several steps against it), in a different
// summation order.
//
// Usage:
//   MlpSpec spec;  spec.inputs = 2;  spec.hidden = {4, 2};
//   spec.activation = {MlpAct::kTanh, MlpAct::kTanh};
//   spec.outputs = 2;  spec.loss = MlpLoss::kSoftmaxCrossEntropy;
//   Mlp mlp;  mlp.Build(spec);  mlp.InitGlorot(seed);
//   MlpUpdate u;  u.optimizer = MlpOptimizer::kAdam;  u.lr = 0.03f;
//   float loss = mlp.TrainStep(x, labels, nullptr, batch, u);
//
// TensorFlow Playground's configuration: outputs = 1, output_activation = kTanh,
// loss = kHalfSquaredError with targets ±1, InitUniform(seed) (weights U(−0.5, 0.5), biases
// 0.1), SGD without momentum: the update it makes after accumulating per-example gradients
// over a batch is the batch-mean gradient step made here.
//
// Parameters are laid out as Network lays out the same layers: per layer (hidden layers,
// then the output layer) the weights [out, in] row-major, then the biases [out].
// Build allocates everything; no other call allocates.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace nnplay {

enum class MlpAct { kLinear, kTanh, kReLU, kSigmoid };
// Softmax cross-entropy on the logits with integer class labels (mean over the batch), or
// half the squared error ½·Σ(y − t)² over the outputs (mean over the batch), y after
// output_activation.
enum class MlpLoss { kSoftmaxCrossEntropy, kHalfSquaredError };
enum class MlpRegularization { kNone, kL1, kL2 };
enum class MlpOptimizer { kSgd, kAdam };

struct MlpLimits {
  static constexpr int kMaxInputs = 16;
  static constexpr int kMaxLayers = 8;  // hidden layers
  static constexpr int kMaxUnits = 16;  // per hidden layer
  static constexpr int kMaxOutputs = 16;
  static constexpr int kMaxBatch = 256;
};

struct MlpSpec {
  int inputs = 2;
  std::vector<int> hidden;                     // units per hidden layer (0..kMaxLayers layers)
  std::vector<MlpAct> activation;              // one per hidden layer
  int outputs = 2;                             // classes (CE, ≥ 2) or output values (HSE)
  MlpAct output_activation = MlpAct::kLinear;  // HSE only; CE uses logits
  MlpLoss loss = MlpLoss::kSoftmaxCrossEntropy;
  int max_batch = 64;
};

struct MlpUpdate {
  MlpOptimizer optimizer = MlpOptimizer::kSgd;
  float lr = 0.03f;
  float momentum = 0.0f;  // SGD: v ← μ·v + g; p ← p − lr·v (as optimizer.h)
  float beta1 = 0.9f, beta2 = 0.999f, eps = 1e-8f;  // Adam (as optimizer.h)
  // On weights only (not biases), as TensorFlow Playground: L2 adds rate·w to a weight's
  // gradient, L1 rate·sign(w). Plain SGD (momentum 0) applies it as Playground does, after
  // the gradient step: w ← w − lr·g, then w ← w − lr·rate·R'(w_before), and under L1 a
  // weight that would cross zero becomes 0. The reported loss excludes the penalty.
  MlpRegularization reg = MlpRegularization::kNone;
  float reg_rate = 0.0f;
};

class Mlp {
 public:
  // Returns empty, or what is wrong with the spec (the Mlp is then unusable).
  std::string Build(const MlpSpec& spec);
  bool built() const { return built_; }
  const MlpSpec& spec() const { return spec_; }

  // Layers with parameters: the hidden layers, then the output layer.
  int num_layers() const { return static_cast<int>(layers_.size()); }
  int layer_in(int l) const { return layers_[static_cast<size_t>(l)].in; }
  int layer_out(int l) const { return layers_[static_cast<size_t>(l)].out; }
  size_t weight_offset(int l) const { return layers_[static_cast<size_t>(l)].w; }
  size_t bias_offset(int l) const { return layers_[static_cast<size_t>(l)].b; }

  float* params() { return params_.data(); }
  const float* params() const { return params_.data(); }
  // dLoss/dParams of the last TrainStep or Gradients (batch mean, penalty excluded).
  const float* grads() const { return grads_.data(); }
  size_t param_count() const { return params_.size(); }

  // Glorot-uniform weights from PCG32(seed), zero biases: exactly Network::InitParams(seed)
  // for the same layers.
  void InitGlorot(uint64_t seed);
  // TensorFlow Playground's: weights U(−half_width, half_width) from PCG32(seed), biases `bias`.
  void InitUniform(uint64_t seed, float half_width = 0.5f, float bias = 0.1f);
  // Zero the optimizer's state (momentum, Adam moments and step count).
  void ResetOptimizer();
  // The optimizer's state, for training checkpoints: moment 1 (SGD's velocity, Adam's m) and
  // moment 2 (Adam's v), param_count() values each, and Adam's step count.
  const float* moment1() const { return mom1_.data(); }
  const float* moment2() const { return mom2_.data(); }
  long long adam_steps() const { return adam_t_; }
  // Sets grads() and the optimizer's state (a checkpoint's; param_count() values each, a null
  // moment left as it is); false, and nothing changes, when not built or t < 0.
  bool Restore(const float* grads, const float* m1, const float* m2, long long t);

  // One step on x [batch, inputs] row-major with labels [batch] (CE) or targets
  // [batch, outputs] (HSE): the batch-mean loss and its gradient, then the update.
  // Returns the loss before the update, or NaN when batch is not in [1, max_batch].
  float TrainStep(const float* x, const int* labels, const float* targets, int batch,
                  const MlpUpdate& update);
  // The loss and grads() only; parameters unchanged.
  float Gradients(const float* x, const int* labels, const float* targets, int batch);

  // Outputs for n samples (any n ≥ 0, processed in chunks): out [n, outputs] gets the class
  // probabilities (CE) or the outputs after output_activation (HSE). units, if not null,
  // gets every hidden unit's output unit-major: [Σ hidden units, n] (per-neuron maps).
  void Predict(const float* x, int n, float* out, float* units = nullptr);
  // Mean loss over n samples; *accuracy (if not null): CE: argmax = label; HSE with one
  // output: sign(y) = sign(t) (TF Playground's ±1 classes); otherwise NaN.
  float Evaluate(const float* x, const int* labels, const float* targets, int n, float* accuracy);

 private:
  struct Layer {
    int in = 0, out = 0;
    MlpAct act = MlpAct::kLinear;
    size_t w = 0, b = 0;  // offsets into params_
  };
  void ForwardChunk(const float* x, int n);  // fills acts_ for n ≤ lanes_ samples
  void SoftmaxChunk(int n);                  // probs_ and lse_ from the logits
  // The summed loss of n samples (and how many are right); with grad_scale ≠ 0 also the
  // output layer's delta, scaled (1/batch for the batch mean).
  float LossChunk(const int* labels, const float* targets, int n, float grad_scale, int* correct);
  void BackwardChunk(int n);
  void Update(const MlpUpdate& u);

  MlpSpec spec_;
  bool built_ = false;
  int lanes_ = 0;  // columns per activation row: max(max_batch, chunk) rounded up to 4
  std::vector<Layer> layers_;
  std::vector<float> params_, grads_, mom1_, mom2_;
  long long adam_t_ = 0;
  // Feature-major activations: input then each layer's output, [units][lanes_] each; and the
  // gradients with respect to each layer's pre-activation, same shapes.
  std::vector<size_t> act_off_;
  std::vector<float> acts_, deltas_;
  std::vector<float> probs_;  // softmax of the logits, [outputs][lanes_]
  std::vector<float> lse_;    // per sample: the logits' max, then Σ e^(z − max); [2][lanes_]
};

}  // namespace nnplay
