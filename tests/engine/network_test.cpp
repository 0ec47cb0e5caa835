// network_test.cpp: the sequential network (nn/network.h) and its optimizers
// (nn/optimizer.h). Whole-network gradients against central finite differences of the
// network's own loss, SGD / momentum / Adam steps worked out by hand, buffers that never
// move after Build, and a small MLP learning an XOR-like problem.
#include "nn/network.h"
#include "nn/optimizer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "ops/rng.h"
#include "ops_test_util.h"

namespace nnplay {
namespace {

using testing::RandomVector;

// Compares every parameter gradient of one TrainStep with the central difference of the
// (float) batch loss. Each parameter is nudged by ±h; the step actually taken, (p + h) −
// (p − h) after rounding to float, is the denominator, and the difference is formed in
// double. Float rounding of a loss near 1 is ~1e-7, so the numeric gradient is good to
// ~1e-7 / h plus the O(h²) truncation; tol_abs covers that, tol_rel the rest.
void ExpectNetworkGradients(Network* net, const std::vector<float>& x, const std::vector<int>& y,
                            int batch, float h, double tol_rel, double tol_abs) {
  const float loss = net->TrainStep(x.data(), y.data(), batch);
  ASSERT_TRUE(std::isfinite(loss));
  const std::vector<float> analytic(net->grads(), net->grads() + net->param_count());
  double largest = 0;
  for (int t = 0; t < net->num_param_tensors(); ++t) {
    const ParamView& v = net->param(t);
    for (size_t j = 0; j < v.size; ++j) {
      float* p = v.data + j;
      const float saved = *p;
      const float up = saved + h, down = saved - h;
      *p = up;
      const double l_up = net->Loss(x.data(), y.data(), batch);
      *p = down;
      const double l_down = net->Loss(x.data(), y.data(), batch);
      *p = saved;
      const double numeric = (l_up - l_down) / (static_cast<double>(up) - down);
      const double a = analytic[v.offset + j];
      largest = std::fmax(largest, std::fabs(numeric));
      EXPECT_NEAR(a, numeric, tol_rel * std::fabs(numeric) + tol_abs)
          << v.name << "[" << j << "] finite difference " << numeric << " analytic " << a;
    }
  }
  // The check means something only if the gradients are well above the tolerance.
  EXPECT_GT(largest, 50 * tol_abs);
}

std::vector<int> RandomClasses(uint64_t seed, int n, int classes) {
  Pcg32 rng(seed, 3);
  std::vector<int> y(static_cast<size_t>(n));
  for (int& c : y) c = static_cast<int>(rng.NextU32() % static_cast<uint32_t>(classes));
  return y;
}

TEST(Network, GradientDenseTanhDenseSoftmaxCrossEntropy) {
  Network net;
  net.AddDense(4).AddTanh().AddDense(3).SetLoss(LossKind::kSoftmaxCrossEntropy);
  ASSERT_EQ(net.Build({3}, 8), "");
  net.InitParams(11);
  // Non-zero biases, so their gradients and the bias path are exercised too.
  for (int t = 0; t < net.num_param_tensors(); ++t)
    if (net.param(t).shape.size() == 1)
      for (size_t j = 0; j < net.param(t).size; ++j)
        net.param(t).data[j] = 0.1f * static_cast<float>(j) - 0.15f;
  const int batch = 5;
  const std::vector<float> x = RandomVector<float>(1, 3 * batch, -2.0, 2.0);
  const std::vector<int> y = RandomClasses(2, batch, 3);
  ASSERT_EQ(net.param_count(), size_t{4 * 3 + 4 + 3 * 4 + 3});
  // Smooth everywhere: a larger h keeps float rounding small (≈ 1e-5) against the O(h²) term.
  ExpectNetworkGradients(&net, x, y, batch, 1e-2f, 1e-2, 1e-4);
}

TEST(Network, GradientConvReluMaxPoolFlattenDense) {
  Network net;
  net.AddConv2d(2, 3, 1, 1).AddReLU().AddMaxPool2d(2).AddFlatten().AddDense(3);
  ASSERT_EQ(net.Build({1, 6, 6}, 4), "");
  EXPECT_EQ(net.layer_shape(0), (std::vector<int>{2, 6, 6}));
  EXPECT_EQ(net.layer_shape(2), (std::vector<int>{2, 3, 3}));
  EXPECT_EQ(net.output_shape(), (std::vector<int>{3}));
  net.InitParams(5);
  const int batch = 3;
  const std::vector<float> x = RandomVector<float>(3, 36 * batch, -1.0, 1.0);
  const std::vector<int> y = RandomClasses(4, batch, 3);
  // ReLU and max pooling have kinks: a small h keeps the ± nudges on one side of them
  // (these inputs are fixed, so the check is deterministic), at the cost of float rounding
  // of ≈ 1e-7 / 1e-3 = 1e-4 in the numeric gradient.
  ExpectNetworkGradients(&net, x, y, batch, 1e-3f, 2e-2, 6e-4);
}

TEST(Network, GradientStridedConvLeakySigmoidNoBiasMse) {
  // Every other layer kind and the MSE head: conv with stride 2 and padding, leaky ReLU,
  // max pooling with an overlapping window (k 2, stride 1), sigmoid, a bias-free dense.
  Network net;
  net.AddConv2d(3, 3, 2, 1)
      .AddLeakyReLU(0.1f)
      .AddMaxPool2d(2, 1)
      .AddFlatten()
      .AddSigmoid()
      .AddDense(2, false)
      .SetLoss(LossKind::kMse);
  ASSERT_EQ(net.Build({2, 7, 7}, 2), "");
  EXPECT_EQ(net.layer_shape(0), (std::vector<int>{3, 4, 4}));
  EXPECT_EQ(net.layer_shape(2), (std::vector<int>{3, 3, 3}));
  net.InitParams(9);
  const int batch = 2;
  const std::vector<float> x = RandomVector<float>(6, 98 * batch, -1.0, 1.0);
  const std::vector<float> t = RandomVector<float>(7, 2 * batch, -1.0, 1.0);
  const float loss = net.TrainStepMse(x.data(), t.data(), batch);
  ASSERT_TRUE(std::isfinite(loss));
  const std::vector<float> analytic(net.grads(), net.grads() + net.param_count());
  double largest = 0;
  const float h = 1e-3f;
  for (size_t i = 0; i < net.param_count(); ++i) {
    float* p = net.params() + i;
    const float saved = *p, up = saved + h, down = saved - h;
    *p = up;
    const double l_up = net.LossMse(x.data(), t.data(), batch);
    *p = down;
    const double l_down = net.LossMse(x.data(), t.data(), batch);
    *p = saved;
    const double numeric = (l_up - l_down) / (static_cast<double>(up) - down);
    largest = std::fmax(largest, std::fabs(numeric));
    EXPECT_NEAR(analytic[i], numeric, 2e-2 * std::fabs(numeric) + 6e-4) << "param " << i;
  }
  EXPECT_GT(largest, 3e-2);
}

// y = w₀x₀ + w₁x₁ + b, MSE against one target, batch 1.
Network LinearNet() {
  Network net;
  net.AddDense(1).SetLoss(LossKind::kMse);
  EXPECT_EQ(net.Build({2}, 1), "");
  EXPECT_EQ(net.param_count(), 3u);  // w₀, w₁, b
  return net;
}

TEST(Network, SgdTwoStepsByHand) {
  // x = [1, 2], target 1, w = [0, 0], b = 0, lr 0.1; L = (y − t)², dL/dy = 2(y − t).
  // Step 1: y = 0, L = 1, dL/dy = −2, g = [−2·1, −2·2, −2] = [−2, −4, −2]
  //         w = [0.2, 0.4], b = 0.2
  // Step 2: y = 0.2 + 0.8 + 0.2 = 1.2, L = 0.04, dL/dy = 0.4, g = [0.4, 0.8, 0.4]
  //         w = [0.2 − 0.04, 0.4 − 0.08] = [0.16, 0.32], b = 0.2 − 0.04 = 0.16
  Network net = LinearNet();
  const std::vector<float> x = {1, 2}, t = {1};
  Sgd sgd(0.1f);
  sgd.Build(net);
  EXPECT_FLOAT_EQ(net.TrainStepMse(x.data(), t.data(), 1), 1.0f);
  EXPECT_EQ(std::vector<float>(net.grads(), net.grads() + 3), (std::vector<float>{-2, -4, -2}));
  ASSERT_TRUE(sgd.Step(&net));
  testing::ExpectAllNear({0.2f, 0.4f, 0.2f}, {net.params(), net.params() + 3}, 1e-6f);
  EXPECT_NEAR(net.TrainStepMse(x.data(), t.data(), 1), 0.04f, 1e-6f);
  testing::ExpectAllNear({0.4f, 0.8f, 0.4f}, {net.grads(), net.grads() + 3}, 1e-6f);
  ASSERT_TRUE(sgd.Step(&net));
  testing::ExpectAllNear({0.16f, 0.32f, 0.16f}, {net.params(), net.params() + 3}, 1e-6f);
}

TEST(Network, SgdMomentumTwoStepsByHand) {
  // Same problem, momentum 0.9: v ← 0.9 v + g, p ← p − 0.1 v.
  // Step 1: v = g = [−2, −4, −2]; w = [0.2, 0.4], b = 0.2 (as plain SGD).
  // Step 2: g = [0.4, 0.8, 0.4]; v = [−1.8 + 0.4, −3.6 + 0.8, −1.8 + 0.4] = [−1.4, −2.8, −1.4]
  //         w = [0.2 + 0.14, 0.4 + 0.28] = [0.34, 0.68], b = 0.2 + 0.14 = 0.34
  Network net = LinearNet();
  const std::vector<float> x = {1, 2}, t = {1};
  Sgd sgd(0.1f, 0.9f);
  sgd.Build(net);
  net.TrainStepMse(x.data(), t.data(), 1);
  ASSERT_TRUE(sgd.Step(&net));
  testing::ExpectAllNear({0.2f, 0.4f, 0.2f}, {net.params(), net.params() + 3}, 1e-6f);
  net.TrainStepMse(x.data(), t.data(), 1);
  ASSERT_TRUE(sgd.Step(&net));
  testing::ExpectAllNear({-1.4f, -2.8f, -1.4f}, {sgd.velocity(), sgd.velocity() + 3}, 1e-6f);
  testing::ExpectAllNear({0.34f, 0.68f, 0.34f}, {net.params(), net.params() + 3}, 1e-6f);
  // A step with the wrong size does nothing.
  float other[2] = {1, 1};
  const float g[2] = {1, 1};
  EXPECT_FALSE(sgd.Step(other, g, 2));
  EXPECT_EQ(other[0], 1.0f);
}

TEST(Network, AdamFirstStepIsLrTimesSign) {
  // g = [−2, −4, −2] as above. Adam step 1: m = 0.1 g, v = 0.001 g²; m̂ = m / 0.1 = g,
  // v̂ = v / 0.001 = g²; Δp = −lr · g / (|g| + 1e-8) ≈ −lr · sign(g) = +0.1 for each,
  // whatever |g| is: w = [0.1, 0.1], b = 0.1 (to within lr · 1e-8 / |g|).
  // Step 2: g = 2(0.1 + 0.2 + 0.1 − 1)·[1, 2, 1] = −1.2·[1, 2, 1] = [−1.2, −2.4, −1.2]
  //   m = 0.9·0.1·g₁ + 0.1·g₂;  w₀: m = −0.18 − 0.12 = −0.3, m̂ = −0.3 / 0.19 = −1.578947
  //   v = 0.999·0.001·4 + 0.001·1.44 = 0.005436, v̂ = 0.005436 / 0.001999 = 2.719360
  //   Δw₀ = 0.1 · 1.578947 / 1.649048 = 0.095749 → w₀ = 0.195749 (b the same, same x = 1);
  //   w₁: every moment is w₀'s scaled by 2 (m) or 4 (v), so the same Δ: w₁ = 0.195749.
  Network net = LinearNet();
  const std::vector<float> x = {1, 2}, t = {1};
  Adam adam(0.1f);
  adam.Build(net);
  net.TrainStepMse(x.data(), t.data(), 1);
  ASSERT_TRUE(adam.Step(&net));
  EXPECT_EQ(adam.steps(), 1);
  testing::ExpectAllNear({0.1f, 0.1f, 0.1f}, {net.params(), net.params() + 3}, 1e-6f);
  EXPECT_NEAR(net.TrainStepMse(x.data(), t.data(), 1), 0.36f, 1e-6f);  // (0.4 − 1)²
  testing::ExpectAllNear({-1.2f, -2.4f, -1.2f}, {net.grads(), net.grads() + 3}, 1e-6f);
  ASSERT_TRUE(adam.Step(&net));
  testing::ExpectAllNear({0.195749f, 0.195749f, 0.195749f}, {net.params(), net.params() + 3},
                         2e-6f);
}

std::vector<float> XorInputs(int n) {
  return RandomVector<float>(21, static_cast<size_t>(2 * n), -1.0, 1.0);
}
// Class 1 when both coordinates have the same sign (XOR of the signs, negated).
std::vector<int> XorLabels(const std::vector<float>& x) {
  std::vector<int> y(x.size() / 2);
  for (size_t i = 0; i < y.size(); ++i) y[i] = x[2 * i] * x[2 * i + 1] > 0 ? 1 : 0;
  return y;
}

Network Mlp2882() {
  Network net;
  net.AddDense(8).AddTanh().AddDense(8).AddTanh().AddDense(2).SetLoss(
      LossKind::kSoftmaxCrossEntropy);
  EXPECT_EQ(net.Build({2}, 32), "");
  net.InitParams(2024);
  return net;
}

bool SameBuffers(const std::vector<BufferInfo>& a, const std::vector<BufferInfo>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i].data != b[i].data || a[i].capacity != b[i].capacity) return false;
  return true;
}

TEST(Network, BuffersDoNotMoveAcrossSteps) {
  // Allocation is checked through the buffers themselves: every buffer Build made keeps its
  // address and capacity, and so do the parameter views JS would wrap (a replaced global
  // operator new would clash with ASan's own).
  Network net = Mlp2882();
  Adam adam(0.01f);
  adam.Build(net);
  Sgd sgd(0.01f, 0.9f);
  sgd.Build(net);
  const std::vector<float> x = XorInputs(32);
  const std::vector<int> y = XorLabels(x);
  const std::vector<BufferInfo> before = net.Buffers();
  ASSERT_EQ(before.size(), 6u);
  std::vector<const float*> views;
  for (int t = 0; t < net.num_param_tensors(); ++t) views.push_back(net.param(t).data);
  const float* m = adam.m();
  const float* v = adam.v();
  const float* vel = sgd.velocity();
  for (int step = 0; step < 5; ++step) {
    for (int batch : {32, 7, 1}) {  // smaller batches reuse the max_batch buffers
      EXPECT_TRUE(std::isfinite(net.TrainStep(x.data(), y.data(), batch)));
      EXPECT_TRUE(adam.Step(&net));
      EXPECT_TRUE(std::isfinite(net.TrainStep(x.data(), y.data(), batch)));
      EXPECT_TRUE(sgd.Step(&net));
      EXPECT_TRUE(std::isfinite(net.Loss(x.data(), y.data(), batch)));
    }
  }
  EXPECT_TRUE(SameBuffers(before, net.Buffers()));
  for (int t = 0; t < net.num_param_tensors(); ++t) {
    EXPECT_EQ(views[static_cast<size_t>(t)], net.param(t).data);
    EXPECT_EQ(net.param(t).data, net.params() + net.param(t).offset);
    EXPECT_EQ(net.param(t).grad, net.grads() + net.param(t).offset);
  }
  EXPECT_EQ(m, adam.m());
  EXPECT_EQ(v, adam.v());
  EXPECT_EQ(vel, sgd.velocity());
  // 2·8 + 8 + 8·8 + 8 + 8·2 + 2 parameters in six tensors.
  EXPECT_EQ(net.param_count(), 114u);
  EXPECT_EQ(net.num_param_tensors(), 6);
  EXPECT_EQ(net.param(2).name, "dense2.weight");
  EXPECT_EQ(net.param(2).shape, (std::vector<int>{8, 8}));
  // Out-of-range batches are refused without touching anything.
  EXPECT_TRUE(std::isnan(net.TrainStep(x.data(), y.data(), 33)));
  EXPECT_TRUE(std::isnan(net.TrainStep(x.data(), y.data(), 0)));
  EXPECT_TRUE(SameBuffers(before, net.Buffers()));
}

TEST(Network, LearnsXorWithAdam) {
  Network net = Mlp2882();
  const std::vector<float> x = XorInputs(32);
  const std::vector<int> y = XorLabels(x);
  Adam adam(0.03f);
  adam.Build(net);
  const float first = net.Loss(x.data(), y.data(), 32);
  EXPECT_GT(first, 0.5f);  // about log 2 at the start
  float loss = first;
  for (int step = 0; step < 400; ++step) {
    loss = net.TrainStep(x.data(), y.data(), 32);
    adam.Step(&net);
  }
  loss = net.Loss(x.data(), y.data(), 32);
  EXPECT_LT(loss, 0.01f) << "from " << first;  // 3.4e-4 when written
  int correct = 0;
  for (int i = 0; i < 32; ++i) {
    const float* p = net.probs() + 2 * i;
    correct += (p[1] > p[0] ? 1 : 0) == y[static_cast<size_t>(i)];
  }
  EXPECT_EQ(correct, 32);
}

TEST(Network, LearnsXorWithSgdMomentum) {
  Network net = Mlp2882();
  const std::vector<float> x = XorInputs(32);
  const std::vector<int> y = XorLabels(x);
  Sgd sgd(0.1f, 0.9f);
  sgd.Build(net);
  for (int step = 0; step < 600; ++step) {
    net.TrainStep(x.data(), y.data(), 32);
    sgd.Step(&net);
  }
  EXPECT_LT(net.Loss(x.data(), y.data(), 32), 0.02f);  // 8.9e-4 when written
}

TEST(Network, BuildReportsBadShapes) {
  Network conv_then_dense;
  conv_then_dense.AddConv2d(2, 3).AddDense(4);
  EXPECT_NE(conv_then_dense.Build({1, 5, 5}, 2).find("Flatten"), std::string::npos);
  EXPECT_FALSE(conv_then_dense.built());
  Network too_big;
  too_big.AddConv2d(2, 7).AddFlatten().AddDense(2);
  EXPECT_NE(too_big.Build({1, 5, 5}, 2), "");
  Network dense_on_image;
  dense_on_image.AddDense(2);
  EXPECT_NE(dense_on_image.Build({1, 4, 4}, 1), "");
  Network ce_on_image;
  ce_on_image.AddConv2d(2, 3);
  EXPECT_NE(ce_on_image.Build({1, 4, 4}, 1), "");  // the CE head needs rank-1 logits
  Network empty;
  EXPECT_NE(empty.Build({2}, 1), "");
  Network mlp;
  mlp.AddDense(2);
  EXPECT_NE(mlp.Build({2}, 0), "");
  const float x[2] = {1, 2};
  EXPECT_EQ(mlp.Forward(x, 1), nullptr);
  EXPECT_EQ(mlp.Build({2}, 1), "");
  EXPECT_NE(mlp.Forward(x, 1), nullptr);
  // The wrong loss call for the head gives NaN.
  const float t[2] = {0, 0};
  EXPECT_TRUE(std::isnan(mlp.TrainStepMse(x, t, 1)));
}

}  // namespace
}  // namespace nnplay
