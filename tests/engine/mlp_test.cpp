// mlp_test.cpp: the batch-in-lanes MLP trainer (nn/mlp.h) against the general Network
// (nn/network.h, itself checked against finite differences in network_test.cpp) on odd
// shapes, and TensorFlow Playground's update rules against steps worked out by hand.
#include "nn/mlp.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "kernels/simd_math.h"
#include "nn/network.h"
#include "nn/optimizer.h"
#include "ops/rng.h"
#include "ops_test_util.h"

namespace nnplay {
namespace {

using testing::RandomVector;

// Same mathematics, different summation order and a vectorised tanh/sigmoid/exp (≤ 2e-7
// relative): agreement to 1e-5 relative (plus a small absolute floor).
void ExpectClose(const float* a, const float* b, size_t n, double rel, const char* what) {
  for (size_t i = 0; i < n; ++i)
    ASSERT_NEAR(a[i], b[i], rel * std::fabs(b[i]) + 1e-6) << what << "[" << i << "]";
}

struct Shape {
  int inputs;
  std::vector<int> hidden;
  MlpAct act;
  int outputs;
  MlpLoss loss;
  MlpAct out_act;
};

void AddActivation(Network* net, MlpAct a) {
  switch (a) {
    case MlpAct::kLinear:
      break;
    case MlpAct::kTanh:
      net->AddTanh();
      break;
    case MlpAct::kReLU:
      net->AddReLU();
      break;
    case MlpAct::kSigmoid:
      net->AddSigmoid();
      break;
  }
}

// The same layers as a Mlp and as a Network, same initial parameters.
void BuildBoth(const Shape& s, int max_batch, uint64_t seed, Mlp* mlp, Network* net) {
  MlpSpec spec;
  spec.inputs = s.inputs;
  spec.hidden = s.hidden;
  spec.activation.assign(s.hidden.size(), s.act);
  spec.outputs = s.outputs;
  spec.loss = s.loss;
  spec.output_activation = s.out_act;
  spec.max_batch = max_batch;
  ASSERT_EQ(mlp->Build(spec), "");
  for (int u : s.hidden) {
    net->AddDense(u);
    AddActivation(net, s.act);
  }
  net->AddDense(s.outputs);
  if (s.loss == MlpLoss::kHalfSquaredError) AddActivation(net, s.out_act);
  net->SetLoss(s.loss == MlpLoss::kSoftmaxCrossEntropy ? LossKind::kSoftmaxCrossEntropy
                                                       : LossKind::kMse);
  ASSERT_EQ(net->Build({s.inputs}, max_batch), "");
  net->InitParams(seed);
  mlp->InitGlorot(seed);
  ASSERT_EQ(mlp->param_count(), net->param_count());
  // Non-zero biases, so that they are exercised too (same values in both).
  Pcg32 rng(seed + 99);
  for (int t = 0; t < net->num_param_tensors(); ++t) {
    const ParamView& v = net->param(t);
    if (v.name.find("bias") == std::string::npos) continue;
    for (size_t j = 0; j < v.size; ++j) {
      v.data[j] = 0.2f * (2 * rng.NextFloat01() - 1);
      mlp->params()[v.offset + j] = v.data[j];
    }
  }
}

std::vector<int> Labels(uint64_t seed, int n, int classes) {
  Pcg32 rng(seed, 5);
  std::vector<int> y(static_cast<size_t>(n));
  for (int& c : y) c = static_cast<int>(rng.NextU32() % static_cast<uint32_t>(classes));
  return y;
}

const std::vector<Shape>& Shapes() {
  static const std::vector<Shape> shapes = {
      {2, {4, 2}, MlpAct::kTanh, 2, MlpLoss::kSoftmaxCrossEntropy, MlpAct::kLinear},
      {7, {8, 8, 8, 8, 8, 8}, MlpAct::kTanh, 1, MlpLoss::kHalfSquaredError, MlpAct::kTanh},
      {3, {5, 3}, MlpAct::kReLU, 3, MlpLoss::kSoftmaxCrossEntropy, MlpAct::kLinear},
      {1, {16}, MlpAct::kSigmoid, 5, MlpLoss::kSoftmaxCrossEntropy, MlpAct::kLinear},
      {5, {}, MlpAct::kTanh, 2, MlpLoss::kHalfSquaredError, MlpAct::kLinear},
      {16, {13, 1, 7}, MlpAct::kTanh, 16, MlpLoss::kSoftmaxCrossEntropy, MlpAct::kLinear},
  };
  return shapes;
}

// The tanh Mlp uses (kernels/simd_math.h TanhFast4) against double tanh: every 1e-4 over
// [−12, 12] plus the special values.
TEST(Mlp, FastTanhWithinItsBound) {
  double worst = 0;
  for (int i = -120000; i <= 120000; i += 4) {
    float x[4], y[4];
    for (int j = 0; j < 4; ++j) x[j] = static_cast<float>(i + j) * 1e-4f;
    wasm_v128_store(y, simd128::TanhFast4(wasm_v128_load(x)));
    for (int j = 0; j < 4; ++j) {
      const double ref = std::tanh(static_cast<double>(x[j]));
      const double err = std::fabs(y[j] - ref) / std::fmax(std::fabs(ref), 1e-30);
      worst = std::fmax(worst, err);
      ASSERT_LE(std::fabs(y[j]), 1.0f) << x[j];
    }
  }
  EXPECT_LE(worst, 4.2e-7);
  EXPECT_GT(worst, 1e-8);  // it is an approximation: the sweep does see its error
  const float inf = std::numeric_limits<float>::infinity();
  float x[4] = {inf, -inf, std::numeric_limits<float>::quiet_NaN(), -0.0f}, y[4];
  wasm_v128_store(y, simd128::TanhFast4(wasm_v128_load(x)));
  EXPECT_NEAR(y[0], 1.0f, 1e-6f);
  EXPECT_NEAR(y[1], -1.0f, 1e-6f);
  EXPECT_TRUE(std::isnan(y[2]));
  EXPECT_EQ(y[3], 0.0f);
  EXPECT_TRUE(std::signbit(y[3]));
}

TEST(Mlp, InitGlorotIsNetworksInit) {
  for (const Shape& s : Shapes()) {
    Mlp mlp;
    Network net;
    BuildBoth(s, 8, 42, &mlp, &net);  // InitParams(42) / InitGlorot(42), same biases
    for (size_t i = 0; i < mlp.param_count(); ++i)
      ASSERT_EQ(mlp.params()[i], net.params()[i]) << i;  // bit for bit
  }
}

TEST(Mlp, ForwardGradientsAndLossMatchNetworkOnOddBatches) {
  uint64_t seed = 1;
  for (const Shape& s : Shapes()) {
    for (int batch : {1, 3, 7, 10, 13, 64}) {
      SCOPED_TRACE("inputs " + std::to_string(s.inputs) + " batch " + std::to_string(batch));
      Mlp mlp;
      Network net;
      BuildBoth(s, 64, ++seed, &mlp, &net);
      const auto x = RandomVector<float>(seed, static_cast<size_t>(batch) * s.inputs, -3, 3);
      const bool ce = s.loss == MlpLoss::kSoftmaxCrossEntropy;
      const auto labels = Labels(seed, batch, s.outputs);
      const auto targets =
          RandomVector<float>(seed + 7, static_cast<size_t>(batch) * s.outputs, -1, 1);
      float net_loss;
      if (ce) {
        net_loss = net.TrainStep(x.data(), labels.data(), batch);
      } else {
        net_loss = net.TrainStepMse(x.data(), targets.data(), batch);
      }
      const float loss = mlp.Gradients(x.data(), labels.data(), targets.data(), batch);
      // Network's MSE is the mean over batch × outputs of (y − t)²; half squared error is
      // the mean over the batch of ½Σ(y − t)²: a factor outputs / 2 on loss and gradients.
      const double factor = ce ? 1.0 : s.outputs / 2.0;
      EXPECT_NEAR(loss, net_loss * factor, 1e-5 * std::fabs(net_loss * factor) + 1e-6);
      std::vector<float> expected(net.grads(), net.grads() + net.param_count());
      for (float& g : expected) g = static_cast<float>(g * factor);
      ExpectClose(mlp.grads(), expected.data(), expected.size(), 2e-5, "grad");
    }
  }
}

TEST(Mlp, PredictAndEvaluateMatchNetworkAcrossChunks) {
  uint64_t seed = 100;
  for (const Shape& s : Shapes()) {
    Mlp mlp;
    Network net;
    const int n = 203;  // more than one 64-sample chunk, not a multiple of 4
    BuildBoth(s, n, ++seed, &mlp, &net);
    const auto x = RandomVector<float>(seed, static_cast<size_t>(n) * s.inputs, -4, 4);
    const auto labels = Labels(seed, n, s.outputs);
    const auto targets = RandomVector<float>(seed + 3, static_cast<size_t>(n) * s.outputs);
    const bool ce = s.loss == MlpLoss::kSoftmaxCrossEntropy;
    const float net_loss =
        ce ? net.Loss(x.data(), labels.data(), n) : net.LossMse(x.data(), targets.data(), n);
    std::vector<float> out(static_cast<size_t>(n) * s.outputs);
    int units = 0;
    for (int u : s.hidden) units += u;
    std::vector<float> unit_maps(static_cast<size_t>(units) * n);
    mlp.Predict(x.data(), n, out.data(), unit_maps.data());
    const float* expected_out = ce ? net.probs() : net.layer_output(net.num_layers() - 1);
    ExpectClose(out.data(), expected_out, out.size(), 2e-5, "output");
    // Every hidden unit's map is that layer's output column.
    int layer = 0, unit = 0;
    for (size_t h = 0; h < s.hidden.size(); ++h) {
      layer += s.act == MlpAct::kLinear ? 1 : 2;  // dense (+ activation)
      const float* act = net.layer_output(layer - 1);
      for (int u = 0; u < s.hidden[h]; ++u, ++unit)
        for (int i = 0; i < n; ++i)
          ASSERT_NEAR(unit_maps[static_cast<size_t>(unit) * n + i],
                      act[static_cast<size_t>(i) * s.hidden[h] + u],
                      2e-5 * std::fabs(act[static_cast<size_t>(i) * s.hidden[h] + u]) + 1e-6);
    }
    float accuracy = 0;
    const float loss = mlp.Evaluate(x.data(), labels.data(), targets.data(), n, &accuracy);
    const double factor = ce ? 1.0 : s.outputs / 2.0;
    EXPECT_NEAR(loss, net_loss * factor, 2e-5 * std::fabs(net_loss * factor) + 1e-6);
    if (ce) {
      int right = 0;
      for (int i = 0; i < n; ++i) {
        const float* p = net.probs() + static_cast<size_t>(i) * s.outputs;
        int best = 0;
        for (int k = 1; k < s.outputs; ++k)
          if (p[k] > p[best]) best = k;
        right += best == labels[static_cast<size_t>(i)];
      }
      EXPECT_FLOAT_EQ(accuracy, static_cast<float>(right) / n);
    } else if (s.outputs == 1) {
      int right = 0;
      for (int i = 0; i < n; ++i) right += (expected_out[i] > 0) == (targets[i] > 0);
      EXPECT_FLOAT_EQ(accuracy, static_cast<float>(right) / n);
    } else {
      EXPECT_TRUE(std::isnan(accuracy));
    }
  }
}

TEST(Mlp, PaddingLanesAndEarlierBatchesLeaveNoTrace) {
  const Shape& s = Shapes()[2];
  Mlp a, b;
  Network n1, n2;
  BuildBoth(s, 16, 5, &a, &n1);
  BuildBoth(s, 16, 5, &b, &n2);
  const auto big = RandomVector<float>(9, 16 * 3, -50, 50);
  const auto big_labels = Labels(9, 16, 3);
  b.Gradients(big.data(), big_labels.data(), nullptr, 16);  // fills every lane
  const auto x = RandomVector<float>(10, 5 * 3);
  const auto labels = Labels(10, 5, 3);
  const float la = a.Gradients(x.data(), labels.data(), nullptr, 5);
  const float lb = b.Gradients(x.data(), labels.data(), nullptr, 5);
  EXPECT_EQ(la, lb);
  for (size_t i = 0; i < a.param_count(); ++i) ASSERT_EQ(a.grads()[i], b.grads()[i]) << i;
}

TEST(Mlp, SgdMomentumAndAdamStepsMatchTheOptimizers) {
  for (MlpOptimizer opt : {MlpOptimizer::kSgd, MlpOptimizer::kAdam}) {
    for (float momentum : {0.0f, 0.9f}) {
      if (opt == MlpOptimizer::kAdam && momentum != 0.0f) continue;
      const Shape& s = Shapes()[0];
      Mlp mlp;
      Network net;
      BuildBoth(s, 10, 77, &mlp, &net);
      Sgd sgd(0.1f, momentum);
      sgd.Build(net);
      Adam adam(0.01f);
      adam.Build(net);
      MlpUpdate u;
      u.optimizer = opt;
      u.lr = opt == MlpOptimizer::kSgd ? 0.1f : 0.01f;
      u.momentum = momentum;
      for (int step = 0; step < 20; ++step) {
        const auto x = RandomVector<float>(200 + step, 10 * 2, -6, 6);
        const auto labels = Labels(300 + step, 10, 2);
        net.TrainStep(x.data(), labels.data(), 10);
        if (opt == MlpOptimizer::kSgd) {
          sgd.Step(&net);
        } else {
          adam.Step(&net);
        }
        mlp.TrainStep(x.data(), labels.data(), nullptr, 10, u);
      }
      ExpectClose(mlp.params(), net.params(), net.param_count(), 1e-4, "param after 20 steps");
    }
  }
}

// One unit, no hidden layer: y = act(w·x + b), half squared error (the hand examples).
void BuildOneUnit(Mlp* mlp, MlpAct act, float w, float b) {
  MlpSpec spec;
  spec.inputs = 1;
  spec.outputs = 1;
  spec.loss = MlpLoss::kHalfSquaredError;
  spec.output_activation = act;
  spec.max_batch = 10;
  ASSERT_EQ(mlp->Build(spec), "");
  mlp->params()[0] = w;
  mlp->params()[1] = b;
}

// TensorFlow Playground's rules by hand: one tanh unit, w = 0.5, b = 0.1 (no hidden layer).
// x = 1, t = 1: z = 0.6, y = tanh 0.6 = 0.5370495670, loss ½(y − t)² = 0.1071615517,
// dL/dz = (y − t)(1 − y²) = −0.3294252333. SGD lr 0.1: w = 0.5 + 0.03294252333 =
// 0.5329425233, b = 0.1329425233. With L2 rate 0.01 the penalty step uses w before the
// update: w = 0.5329425233 − 0.1·0.01·0.5 = 0.5324425233 (b is not penalised).
TEST(Mlp, TfPlaygroundStepByHand) {
  for (MlpRegularization reg : {MlpRegularization::kNone, MlpRegularization::kL2}) {
    Mlp mlp;
    BuildOneUnit(&mlp, MlpAct::kTanh, 0.5f, 0.1f);
    const float x = 1.0f, t = 1.0f;
    MlpUpdate u;
    u.lr = 0.1f;
    u.reg = reg;
    u.reg_rate = 0.01f;
    const float loss = mlp.TrainStep(&x, nullptr, &t, 1, u);
    EXPECT_NEAR(loss, 0.1071615517, 2e-7);
    EXPECT_NEAR(mlp.grads()[0], -0.3294252333, 2e-7);
    EXPECT_NEAR(mlp.params()[0], reg == MlpRegularization::kNone ? 0.5329425233 : 0.5324425233,
                2e-7);
    EXPECT_NEAR(mlp.params()[1], 0.1329425233, 2e-7);
  }
  // Batch of two, x = (1, −2), t = (1, −1): per-example gradients averaged.
  // Sample 2: z = −0.9, y = −0.7162978702, dL/dz = (y + 1)(1 − y²) = 0.1382...;
  // mean loss 0.0737025005, dL/dw = −0.3028521090, dL/db = −0.0956428705.
  Mlp mlp;
  BuildOneUnit(&mlp, MlpAct::kTanh, 0.5f, 0.1f);
  const float xs[2] = {1.0f, -2.0f}, ts[2] = {1.0f, -1.0f};
  EXPECT_NEAR(mlp.Gradients(xs, nullptr, ts, 2), 0.0737025005, 2e-7);
  EXPECT_NEAR(mlp.grads()[0], -0.3028521090, 2e-7);
  EXPECT_NEAR(mlp.grads()[1], -0.0956428705, 2e-7);
}

// Two steps by hand (SGD lr 0.1, x = 1, t = 1, w = 0.5, b = 0.1, no penalty):
// step 1 as above → w = b + 0.4 = 0.5329425233, b = 0.1329425233;
// step 2: z = 0.6658850467, y = 0.5822665565, loss 0.0872506149,
// dL/dz = (y − 1)(1 − y²) = −0.2761074600 → w = 0.5605532693, b = 0.1605532693.
TEST(Mlp, TwoStepsByHand) {
  Mlp mlp;
  BuildOneUnit(&mlp, MlpAct::kTanh, 0.5f, 0.1f);
  const float x = 1.0f, t = 1.0f;
  MlpUpdate u;
  u.lr = 0.1f;
  EXPECT_NEAR(mlp.TrainStep(&x, nullptr, &t, 1, u), 0.1071615517, 2e-7);
  EXPECT_NEAR(mlp.TrainStep(&x, nullptr, &t, 1, u), 0.0872506149, 2e-7);
  EXPECT_NEAR(mlp.grads()[0], -0.2761074600, 2e-7);
  EXPECT_NEAR(mlp.params()[0], 0.5605532693, 3e-7);
  EXPECT_NEAR(mlp.params()[1], 0.1605532693, 3e-7);
}

// Every gradient against the central difference of Mlp's own loss (Evaluate), for both
// heads and every activation. Float losses: h = 1e-2 and tolerances as network_test.cpp.
TEST(Mlp, GradientsMatchFiniteDifferences) {
  for (const Shape& s : {Shapes()[0], Shapes()[1], Shapes()[2], Shapes()[3]}) {
    Mlp mlp;
    Network unused;
    BuildBoth(s, 7, 31, &mlp, &unused);
    const int batch = 7;
    const auto x = RandomVector<float>(32, static_cast<size_t>(batch) * s.inputs, -2, 2);
    const auto labels = Labels(33, batch, s.outputs);
    const auto targets = RandomVector<float>(34, static_cast<size_t>(batch) * s.outputs);
    mlp.Gradients(x.data(), labels.data(), targets.data(), batch);
    const std::vector<float> analytic(mlp.grads(), mlp.grads() + mlp.param_count());
    double largest = 0;
    for (size_t j = 0; j < mlp.param_count(); ++j) {
      float* p = mlp.params() + j;
      const float saved = *p, h = 1e-2f;
      const float up = saved + h, down = saved - h;
      *p = up;
      const double l_up = mlp.Evaluate(x.data(), labels.data(), targets.data(), batch, nullptr);
      *p = down;
      const double l_down = mlp.Evaluate(x.data(), labels.data(), targets.data(), batch, nullptr);
      *p = saved;
      const double numeric = (l_up - l_down) / (static_cast<double>(up) - down);
      largest = std::fmax(largest, std::fabs(numeric));
      // ReLU kinks make single entries disagree when a nudge crosses 0; none do here
      // (inputs in ±2, weights Glorot), so every entry is checked.
      EXPECT_NEAR(analytic[j], numeric, 2e-3 * std::fabs(numeric) + 2e-4) << "param " << j;
    }
    EXPECT_GT(largest, 1e-2);
  }
}

// L1 in Playground's form: a weight whose penalty step would carry it across zero stops at 0.
// w = 0.001, b = 0, x = 1, t = 0 (linear output): dL/dw = y − t = 0.001 → w = 0.001 −
// 0.1·0.001 = 0.0009; the L1 step 0.1·0.1·sign(0.001) = 0.01 would make it −0.0091: 0.
TEST(Mlp, L1StopsAtZero) {
  Mlp mlp;
  BuildOneUnit(&mlp, MlpAct::kLinear, 0.001f, 0.0f);
  const float x = 1.0f, t = 0.0f;
  MlpUpdate u;
  u.lr = 0.1f;
  u.reg = MlpRegularization::kL1;
  u.reg_rate = 0.1f;
  mlp.TrainStep(&x, nullptr, &t, 1, u);
  EXPECT_EQ(mlp.params()[0], 0.0f);
  // Without the crossing: w = 1, L1 rate 0.1, lr 0.1: dL/dw = 1 → 0.9, then 0.9 − 0.01 = 0.89.
  mlp.params()[0] = 1.0f;
  mlp.params()[1] = 0.0f;
  mlp.TrainStep(&x, nullptr, &t, 1, u);
  EXPECT_NEAR(mlp.params()[0], 0.89, 1e-7);
}

TEST(Mlp, TrainsPlaygroundCircleTowardsZeroLoss) {
  // Playground's circle: label +1 inside radius 2.5 (of 5), −1 in the ring 3.5..5.
  MlpSpec spec;
  spec.inputs = 2;
  spec.hidden = {4, 2};
  spec.activation = {MlpAct::kTanh, MlpAct::kTanh};
  spec.outputs = 1;
  spec.loss = MlpLoss::kHalfSquaredError;
  spec.output_activation = MlpAct::kTanh;
  spec.max_batch = 10;
  Mlp mlp;
  ASSERT_EQ(mlp.Build(spec), "");
  mlp.InitUniform(3);
  Pcg32 rng(11);
  std::vector<float> x, t;
  for (int i = 0; i < 200; ++i) {
    const bool inside = i % 2 == 0;
    const float r = inside ? 2.5f * rng.NextFloat01() : 3.5f + 1.5f * rng.NextFloat01();
    const float a = 6.2831853f * rng.NextFloat01();
    x.push_back(r * std::cos(a));
    x.push_back(r * std::sin(a));
    t.push_back(inside ? 1.0f : -1.0f);
  }
  MlpUpdate u;
  u.lr = 0.03f;
  float acc0 = 0, acc = 0;
  const float loss0 = mlp.Evaluate(x.data(), nullptr, t.data(), 200, &acc0);
  for (int epoch = 0; epoch < 200; ++epoch)
    for (int b = 0; b < 20; ++b) mlp.TrainStep(&x[b * 20], nullptr, &t[b * 10], 10, u);
  const float loss = mlp.Evaluate(x.data(), nullptr, t.data(), 200, &acc);
  // Separable by radius: a 2-4-2-1 tanh net gets every point right; chance is 50 %.
  EXPECT_LT(loss, 0.1f * loss0);
  EXPECT_GE(acc, 0.98f);
}

TEST(Mlp, BuildRejectsWhatItCannotRun) {
  Mlp mlp;
  MlpSpec s;
  s.hidden = {4};
  EXPECT_NE(mlp.Build(s), "");  // no activation for the hidden layer
  s.activation = {MlpAct::kTanh};
  EXPECT_EQ(mlp.Build(s), "");
  s.hidden = {17};
  EXPECT_NE(mlp.Build(s), "");
  s.hidden = std::vector<int>(9, 2);
  s.activation.assign(9, MlpAct::kTanh);
  EXPECT_NE(mlp.Build(s), "");
  s.hidden = {};
  s.activation = {};
  s.outputs = 1;  // cross-entropy needs two classes
  EXPECT_NE(mlp.Build(s), "");
  s.max_batch = 0;
  s.outputs = 2;
  EXPECT_NE(mlp.Build(s), "");
  EXPECT_FALSE(mlp.built());
  float x[2] = {0, 0};
  int y = 0;
  EXPECT_TRUE(std::isnan(mlp.TrainStep(x, &y, nullptr, 1, MlpUpdate{})));
}

}  // namespace
}  // namespace nnplay
