// network_test.cpp: the sequential network (nn/network.h) and its optimizers
// (nn/optimizer.h). Whole-network gradients against central finite differences of the
// network's own loss, SGD / momentum / Adam steps worked out by hand, buffers that never
// move after Build, and a small MLP learning an XOR-like problem.
#include "nn/network.h"
#include "nn/optimizer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "ops/rng.h"
#include "ops_test_util.h"
#include "tensor.h"

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
  ASSERT_EQ(before.size(), 7u);
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

// ---- fast kernels against the reference kernels --------------------------------------------

// Norm-wise relative error: max|fast − ref| ≤ 1e-5·max|ref| over the tensor (the fast
// kernels add in other orders and the SIMD exp differs by ~1e-7, so an element that is a
// sum cancelling to near 0, such as a bias gradient, can be off by more than 1e-5 of itself
// but not of the tensor's scale).
double g_worst_relative = 0;  // the largest worst / scale seen (printed by the odd-shapes test)

void ExpectCloseToReference(const float* fast, const float* ref, size_t n,
                            const std::string& what) {
  double scale = 0, worst = 0;
  size_t at = 0;
  for (size_t i = 0; i < n; ++i) scale = std::fmax(scale, std::fabs(ref[i]));
  for (size_t i = 0; i < n; ++i) {
    const double d = std::fabs(static_cast<double>(fast[i]) - ref[i]);
    if (!(d <= worst)) worst = d, at = i;
  }
  if (scale > 0) g_worst_relative = std::fmax(g_worst_relative, worst / scale);
  EXPECT_LE(worst, 1e-5 * scale) << what << "[" << at << "] fast " << fast[at] << " reference "
                                 << ref[at] << " (largest |reference| " << scale << ")";
}

// Builds two copies of one network (fast and reference kernels, same parameters with
// non-zero biases), runs one TrainStep on each and compares outputs, loss, every layer's
// gradient and every parameter gradient.
template <typename AddLayers>
void CompareFastAndReference(const AddLayers& add, const std::vector<int>& in_shape, int batch,
                             bool mse, const std::string& what) {
  Network fast, ref;
  add(&fast);
  add(&ref);
  const LossKind loss = mse ? LossKind::kMse : LossKind::kSoftmaxCrossEntropy;
  fast.SetLoss(loss);
  ref.SetLoss(loss);
  ASSERT_EQ(fast.Build(in_shape, batch + 1), "") << what;
  ASSERT_EQ(ref.Build(in_shape, batch + 1), "") << what;
  ref.set_reference_kernels(true);
  EXPECT_FALSE(fast.reference_kernels());
  fast.InitParams(31);
  for (int t = 0; t < fast.num_param_tensors(); ++t)
    if (fast.param(t).shape.size() == 1)
      for (size_t j = 0; j < fast.param(t).size; ++j)
        fast.param(t).data[j] = 0.05f * static_cast<float>(j % 5) - 0.1f;
  std::copy(fast.params(), fast.params() + fast.param_count(), ref.params());
  const size_t in_n = static_cast<size_t>(batch) * fast.input_size();
  const size_t out_n = static_cast<size_t>(batch) * fast.output_size();
  const std::vector<float> x = RandomVector<float>(41, in_n, -1.0, 1.0);
  float lf, lr;
  if (mse) {
    const std::vector<float> t = RandomVector<float>(42, out_n, -1.0, 1.0);
    lf = fast.TrainStepMse(x.data(), t.data(), batch);
    lr = ref.TrainStepMse(x.data(), t.data(), batch);
  } else {
    const std::vector<int> y = RandomClasses(43, batch, static_cast<int>(fast.output_size()));
    lf = fast.TrainStep(x.data(), y.data(), batch);
    lr = ref.TrainStep(x.data(), y.data(), batch);
  }
  ASSERT_TRUE(std::isfinite(lr)) << what;
  EXPECT_NEAR(lf, lr, 1e-5 * std::fabs(lr)) << what;
  for (int i = 0; i < fast.num_layers(); ++i) {
    const size_t n = static_cast<size_t>(batch) * Tensor::Count(fast.layer_shape(i));
    ExpectCloseToReference(fast.layer_output(i), ref.layer_output(i), n,
                           what + " output of layer " + std::to_string(i));
    if (i > 0)
      ExpectCloseToReference(fast.layer_grad(i), ref.layer_grad(i), n,
                             what + " gradient of layer " + std::to_string(i));
  }
  for (int t = 0; t < fast.num_param_tensors(); ++t)
    ExpectCloseToReference(fast.param(t).grad, ref.param(t).grad, fast.param(t).size,
                           what + " " + fast.param(t).name + " gradient");
}

TEST(Network, FastConvMatchesReferenceOnOddShapes) {
  int cases = 0;
  for (int c : {1, 3, 5})
    for (int size : {7, 13})
      for (int k : {1, 3, 5})
        for (int stride : {1, 2})
          for (int pad : {0, 1, 2}) {
            // Batches 1, 3, 7 in turn and 2..6 output channels, so every combination of the
            // conv's own parameters runs once (and each batch size with each of them often).
            const int batch = (cases % 3 == 0) ? 1 : (cases % 3 == 1) ? 3 : 7;
            const int out_c = 2 + cases % 5;
            const std::string what = "c" + std::to_string(c) + " size" + std::to_string(size) +
                                     " k" + std::to_string(k) + " s" + std::to_string(stride) +
                                     " p" + std::to_string(pad) + " n" + std::to_string(batch);
            // Conv (first layer: no input gradient) → tanh → conv 3×3 (input gradient) →
            // ReLU → max pool → flatten → dense, softmax cross-entropy.
            const int o1 = (size + 2 * pad - k) / stride + 1;
            const bool pool = o1 >= 2;
            CompareFastAndReference(
                [&](Network* net) {
                  net->AddConv2d(out_c, k, stride, pad).AddTanh().AddConv2d(3, 3, 1, 1).AddReLU();
                  if (pool) net->AddMaxPool2d(2, 1);
                  net->AddFlatten().AddDense(4);
                },
                {c, size, size}, batch, false, what);
            // Conv without bias after a leaky ReLU, sigmoid, MSE head.
            CompareFastAndReference(
                [&](Network* net) {
                  net->AddLeakyReLU(0.1f)
                      .AddConv2d(out_c, k, stride, pad, false)
                      .AddSigmoid()
                      .AddConv2d(2, o1 + 2 * pad >= k ? k : 1, 1, pad)
                      .AddFlatten();
                },
                {c, size, size}, batch, true, what + " mse");
            ++cases;
          }
  EXPECT_EQ(cases, 108);
  std::printf("fast vs reference: worst norm-wise relative difference %.3g\n", g_worst_relative);
}

TEST(Network, FastDenseMatchesReference) {
  // Dense layers large enough for the SIMD paths, tanh and sigmoid on ≥ 4 values.
  CompareFastAndReference(
      [](Network* net) { net->AddDense(37).AddTanh().AddDense(19).AddSigmoid().AddDense(5); }, {53},
      7, false, "mlp");
}

TEST(Network, FastDenseGemmMatchesReference) {
  // Layers of ≥ 4096 weights with batches ≥ 4 run as packed GEMMs (batch 3: the ops path);
  // odd sizes so every GEMM has edge tiles.
  for (int batch : {3, 4, 7})
    CompareFastAndReference(
        [](Network* net) {
          net->AddFlatten().AddDense(65).AddTanh().AddDense(70).AddReLU().AddDense(9);
        },
        {1, 9, 11}, batch, false, "dense gemm n" + std::to_string(batch));
  CompareFastAndReference([](Network* net) { net->AddDense(67, false).AddSigmoid().AddDense(61); },
                          {101}, 5, true, "dense gemm mse");
}

TEST(Network, GradientFastDenseGemm) {
  // 70 → 60 (4200 weights, the GEMM path at batch 5) → tanh → 3: central differences.
  Network net;
  net.AddDense(60).AddTanh().AddDense(3);
  ASSERT_EQ(net.Build({70}, 5), "");
  net.InitParams(21);
  for (size_t j = 0; j < 60; ++j) net.param(1).data[j] = 0.01f * static_cast<float>(j % 7) - 0.03f;
  const std::vector<float> x = RandomVector<float>(22, 70 * 5, -1.0, 1.0);
  const std::vector<int> y = RandomClasses(23, 5, 3);
  ExpectNetworkGradients(&net, x, y, 5, 1e-2f, 1e-2, 1e-4);
}

TEST(Network, GradientFastConvOddShapes) {
  // Central finite differences of the network's own float loss (formed in double) against
  // the fast kernels' gradients: 3 channels 7×7, k 3 stride 2 pad 1, then k 3 pad 2, a 1×1
  // conv, k 5 stride 2 pad 2, batch 3. Smooth layers only (tanh, sigmoid), so a large h
  // keeps float rounding small; max pooling's kinks are covered by the tests above (against
  // the reference) and by GradientConvReluMaxPoolFlattenDense.
  Network net;
  net.AddConv2d(4, 3, 2, 1)
      .AddTanh()
      .AddConv2d(5, 3, 1, 2)
      .AddSigmoid()
      .AddConv2d(3, 1)
      .AddTanh()
      .AddConv2d(2, 5, 2, 2)
      .AddFlatten()
      .AddDense(3);
  ASSERT_EQ(net.Build({3, 7, 7}, 3), "");
  EXPECT_EQ(net.layer_shape(0), (std::vector<int>{4, 4, 4}));
  EXPECT_EQ(net.layer_shape(2), (std::vector<int>{5, 6, 6}));
  EXPECT_EQ(net.layer_shape(6), (std::vector<int>{2, 3, 3}));
  net.InitParams(77);
  for (int t = 0; t < net.num_param_tensors(); ++t)
    if (net.param(t).shape.size() == 1)
      for (size_t j = 0; j < net.param(t).size; ++j)
        net.param(t).data[j] = 0.1f * static_cast<float>(j % 3) - 0.1f;
  const int batch = 3;
  const std::vector<float> x = RandomVector<float>(78, 3 * 49 * batch, -1.0, 1.0);
  const std::vector<int> y = RandomClasses(79, batch, 3);
  ExpectNetworkGradients(&net, x, y, batch, 1e-2f, 1e-2, 1e-4);
}

TEST(Network, FastPathIsDeterministic) {
  // Same inputs, same bits: twice on one network and once on a second one.
  const auto make = [] {
    Network net;
    net.AddConv2d(6, 5, 1, 2).AddReLU().AddMaxPool2d(2).AddConv2d(7, 3, 1, 1).AddTanh();
    net.AddFlatten().AddDense(10);
    EXPECT_EQ(net.Build({3, 13, 13}, 5), "");
    net.InitParams(5);
    return net;
  };
  Network a = make(), b = make();
  const std::vector<float> x = RandomVector<float>(8, 5 * 3 * 169, -1.0, 1.0);
  const std::vector<int> y = RandomClasses(9, 5, 10);
  const float l1 = a.TrainStep(x.data(), y.data(), 5);
  const std::vector<float> g1(a.grads(), a.grads() + a.param_count());
  const float l2 = a.TrainStep(x.data(), y.data(), 5);
  const float l3 = b.TrainStep(x.data(), y.data(), 5);
  EXPECT_EQ(std::memcmp(&l1, &l2, sizeof l1), 0);
  EXPECT_EQ(std::memcmp(&l1, &l3, sizeof l1), 0);
  EXPECT_EQ(std::memcmp(g1.data(), a.grads(), g1.size() * sizeof(float)), 0);
  EXPECT_EQ(std::memcmp(g1.data(), b.grads(), g1.size() * sizeof(float)), 0);
}

TEST(Network, SwitchingKernelsBetweenForwardAndBackward) {
  // A reference Forward followed by a fast Backward (the fast weight gradient then redoes
  // the im2col the reference forward did not leave), against one fast TrainStep.
  const auto make = [] {
    Network net;
    net.AddConv2d(3, 3, 1, 1).AddReLU().AddConv2d(4, 3, 2, 1).AddFlatten().AddDense(3);
    EXPECT_EQ(net.Build({2, 9, 9}, 4), "");
    net.InitParams(12);
    return net;
  };
  Network mixed = make(), fast = make();
  const std::vector<float> x = RandomVector<float>(13, 4 * 2 * 81, -1.0, 1.0);
  const std::vector<int> y = RandomClasses(14, 4, 3);
  fast.TrainStep(x.data(), y.data(), 4);
  mixed.set_reference_kernels(true);
  ASSERT_NE(mixed.Forward(x.data(), 4), nullptr);
  mixed.set_reference_kernels(false);
  EXPECT_TRUE(std::isfinite(mixed.Backward(y.data())));
  ExpectCloseToReference(mixed.grads(), fast.grads(), fast.param_count(), "mixed");
}

TEST(Network, ConvBuffersDoNotMoveAcrossSteps) {
  Network net;
  net.AddConv2d(4, 3, 1, 1).AddReLU().AddMaxPool2d(2).AddConv2d(5, 3, 2, 1).AddFlatten();
  net.AddDense(3);
  ASSERT_EQ(net.Build({2, 9, 9}, 7), "");
  net.InitParams(3);
  Adadelta ada(AdadeltaOptions{0.95f, 1e-6f, 1e-3f, 0.0f, 7});
  ada.Build(net);
  const std::vector<float> x = RandomVector<float>(4, 7 * 2 * 81, -1.0, 1.0);
  const std::vector<int> y = RandomClasses(5, 7, 3);
  const std::vector<BufferInfo> before = net.Buffers();
  const float* g = ada.gsum();
  for (int batch : {7, 3, 1, 7}) {
    ada.set_batch_size(batch);
    EXPECT_TRUE(std::isfinite(net.TrainStep(x.data(), y.data(), batch)));
    EXPECT_TRUE(ada.Step(&net));
  }
  EXPECT_TRUE(SameBuffers(before, net.Buffers()));
  EXPECT_EQ(g, ada.gsum());
}

// A smaller batch after a larger one: the gradients are exactly those of a network that only
// ever saw the small batch (nothing of the larger batch's activation gradients is left over).
TEST(Network, SmallBatchAfterLargeOneLeavesNoTrace) {
  for (bool reference : {false, true}) {
    auto build = [&](Network* net) {
      net->AddConv2d(4, 3, 1, 1).AddReLU().AddMaxPool2d(2).AddConv2d(3, 3, 1, 1).AddTanh();
      net->AddFlatten().AddDense(5).AddSigmoid().AddDense(3);
      ASSERT_EQ(net->Build({2, 8, 8}, 8), "");
      net->InitParams(11);
      net->set_reference_kernels(reference);
    };
    Network used, fresh;
    build(&used);
    build(&fresh);
    const std::vector<float> big = RandomVector<float>(12, 8 * 2 * 64, -3.0, 3.0);
    const std::vector<int> big_y = RandomClasses(13, 8, 3);
    ASSERT_TRUE(std::isfinite(used.TrainStep(big.data(), big_y.data(), 8)));
    const std::vector<float> x = RandomVector<float>(14, 3 * 2 * 64, -1.0, 1.0);
    const std::vector<int> y = RandomClasses(15, 3, 3);
    EXPECT_EQ(used.TrainStep(x.data(), y.data(), 3), fresh.TrainStep(x.data(), y.data(), 3));
    for (size_t i = 0; i < used.param_count(); ++i)
      ASSERT_EQ(used.grads()[i], fresh.grads()[i]) << "reference " << reference << " " << i;
  }
}

// ---- Adadelta (ConvNetJS's SGDTrainer, method 'adadelta') ------------------------------------

TEST(Network, AdadeltaTwoStepsByHand) {
  // ρ = 0.5, ε = 1.5, l2_decay 0.5, l1_decay 0.25, batch_size 2; Build(n): multipliers 1.
  // g = (0.5·p + 0.25·(p > 0 ? 1 : −1)) / 2 + grad;  G ← 0.5·G + 0.5·g²;
  // Δ = −√((X + 1.5) / (G + 1.5))·g;  X ← 0.5·X + 0.5·Δ²;  p ← p + Δ.
  // Element a: p = 2.
  //   Step 1, grad 2.375: g = (1 + 0.25)/2 + 2.375 = 3; G = 4.5; Δ = −√(1.5/6)·3 = −1.5;
  //           X = 0.5·2.25 = 1.125; p = 0.5.
  //   Step 2, grad 1.25: g = (0.25 + 0.25)/2 + 1.25 = 1.5; G = 2.25 + 1.125 = 3.375;
  //           Δ = −√(2.625/4.875)·1.5 = −√(7/13)·1.5 = −0.7337994·1.5 = −1.1006991;
  //           X = 0.5625 + 0.5·(2.25·7/13) = 0.5625 + 0.6057692 = 1.1682692; p = −0.6006991.
  // Element b: p = 0 (ConvNetJS's sign: p > 0 ? 1 : −1, so −1 at 0).
  //   Step 1, grad −0.875: g = (0 − 0.25)/2 − 0.875 = −1; G = 0.5; Δ = −√(1.5/2)·(−1)
  //           = √0.75 = 0.8660254; X = 0.5·0.75 = 0.375; p = 0.8660254.
  //   Step 2, grad 0: g = (0.4330127 + 0.25)/2 = 0.3415064; G = 0.25 + 0.5·0.1166266
  //           = 0.3083133; Δ = −√(1.875/1.8083133)·0.3415064 = −1.0182720·0.3415064
  //           = −0.3477464; X = 0.1875 + 0.5·0.1209275 = 0.2479638; p = 0.5182790.
  Adadelta ada(AdadeltaOptions{0.5f, 1.5f, 0.5f, 0.25f, 2});
  ada.Build(2);
  float p[2] = {2.0f, 0.0f};
  const float g1[2] = {2.375f, -0.875f}, g2[2] = {1.25f, 0.0f};
  ASSERT_TRUE(ada.Step(p, g1, 2));
  testing::ExpectAllNear({0.5f, 0.8660254f}, {p, p + 2}, 1e-6f);
  testing::ExpectAllNear({4.5f, 0.5f}, {ada.gsum(), ada.gsum() + 2}, 1e-6f);
  testing::ExpectAllNear({1.125f, 0.375f}, {ada.xsum(), ada.xsum() + 2}, 1e-6f);
  // ConvNetJS's l2_decay_loss + l1_decay_loss: 0.5·(0.25 + 0.75)/2 + 0.25·(0.5 + 0.8660254).
  EXPECT_NEAR(ada.DecayLoss(p), 0.25 + 0.3415064, 1e-6);
  ASSERT_TRUE(ada.Step(p, g2, 2));
  testing::ExpectAllNear({-0.6006991f, 0.5182790f}, {p, p + 2}, 2e-6f);
  testing::ExpectAllNear({3.375f, 0.3083133f}, {ada.gsum(), ada.gsum() + 2}, 2e-6f);
  testing::ExpectAllNear({1.1682692f, 0.2479638f}, {ada.xsum(), ada.xsum() + 2}, 2e-6f);
  EXPECT_FALSE(ada.Step(p, g2, 3));  // wrong size: nothing happens
}

TEST(Network, AdadeltaDecaysWeightsNotBiases) {
  // Build(net): weights l2_mul 1, l1_mul 0; biases 0, 0 (ConvNetJS's fc/conv defaults).
  // Zero gradients, l2_decay 1, l1_decay 1, batch 1, ρ 0.5, ε 1: for w = 1 the step is
  // g = 1·w + 0 = 1, G = 0.5, Δ = −√(1/1.5)·1 = −0.8164966 → w = 0.1835034; for the bias
  // g = 0, Δ = 0. After set_decay_mul(1, 0, 1) (the bias tensor gets l1 only), b = 0.5:
  // g = 1·1 = 1 → b = 0.5 − 0.8164966 = −0.3164966.
  Network net = LinearNet();
  net.params()[0] = 1.0f;
  net.params()[1] = -1.0f;
  net.params()[2] = 0.5f;
  std::fill(net.grads(), net.grads() + 3, 0.0f);
  Adadelta ada(AdadeltaOptions{0.5f, 1.0f, 1.0f, 1.0f, 1});
  ada.Build(net);
  ASSERT_EQ(net.num_param_tensors(), 2);
  ASSERT_TRUE(ada.Step(&net));
  testing::ExpectAllNear({0.1835034f, -0.1835034f, 0.5f}, {net.params(), net.params() + 3}, 1e-6f);
  Adadelta ada2(AdadeltaOptions{0.5f, 1.0f, 1.0f, 1.0f, 1});
  ada2.Build(net);
  EXPECT_TRUE(ada2.set_decay_mul(1, 0.0f, 1.0f));
  EXPECT_FALSE(ada2.set_decay_mul(2, 0.0f, 1.0f));
  net.params()[2] = 0.5f;
  ASSERT_TRUE(ada2.Step(&net));
  EXPECT_NEAR(net.params()[2], -0.3164966f, 1e-6f);
}

// Adadelta against PyTorch: tests/engine/golden/adadelta_golden.py runs torch.optim.Adadelta
// (lr 1, rho 0.95, eps 1e-6) in float64 on the same dense layer 3 -> 2, batch and softmax
// cross-entropy; ConvNetJS's l2_decay 0.02 on the weights, divided by the batch of 4, is the
// weights' group's weight_decay 0.005 there. Five steps, every parameter within 1e-5 of the
// largest (float32 against float64).
TEST(Network, AdadeltaMatchesTorchOptim) {
  Network net;
  net.AddDense(2).SetLoss(LossKind::kSoftmaxCrossEntropy);
  ASSERT_EQ(net.Build({3}, 4), "");
  ASSERT_EQ(net.param_count(), 8u);  // W [2, 3] row-major, then b [2]
  const float start[8] = {0.3f, -0.2f, 0.1f, -0.4f, 0.25f, 0.5f, 0.05f, -0.1f};
  std::copy(start, start + 8, net.params());
  const float x[12] = {0.5f,  -1.0f, 2.0f, 1.5f, 0.25f,  -0.5f,
                       -2.0f, 1.0f,  0.0f, 0.0f, -0.75f, 1.25f};
  const int y[4] = {0, 1, 1, 0};
  const double loss[5] = {0.754839621, 0.7464112, 0.738031451, 0.729720886, 0.721477072};
  const double params[5][8] = {
      {0.295529603, -0.204471628, 0.104471947, -0.395529592, 0.254471627, 0.495528051, 0.0537490376,
       -0.103749038},
      {0.291015829, -0.208980285, 0.108973446, -0.391015765, 0.258980267, 0.491026379, 0.0560367199,
       -0.10603672},
      {0.286484074, -0.213502364, 0.113479414, -0.386483892, 0.263502306, 0.486520027, 0.0564455346,
       -0.106445535},
      {0.281949112, -0.218028155, 0.117980817, -0.381948729, 0.268028036, 0.482018026, 0.0553441808,
       -0.105344181},
      {0.277420858, -0.222552764, 0.122473839, -0.377420179, 0.272552562, 0.477524204, 0.0532607002,
       -0.1032607},
  };
  Adadelta ada(AdadeltaOptions{0.95f, 1e-6f, 0.02f, 0.0f, 4});
  ada.Build(net);
  for (int step = 0; step < 5; ++step) {
    EXPECT_NEAR(net.TrainStep(x, y, 4), loss[step], 1e-5 * loss[step]) << step;
    ASSERT_TRUE(ada.Step(&net));
    for (int i = 0; i < 8; ++i)
      EXPECT_NEAR(net.params()[i], params[step][i], 1e-5 * 0.5) << "step " << step + 1 << " " << i;
  }
}

}  // namespace
}  // namespace nnplay
