// ops_dense_test.cpp: the dense layer. Forward values from the course's hand-computed
// exercises (E1, E2, E4), gradients against finite differences in double, and the SIMD128
// kernels against the reference on odd shapes.
#include "ops/activations.h"
#include "ops/dense.h"
#include "ops/softmax.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "ops_test_util.h"

namespace nnplay {
namespace {

using testing::ExpectGradientMatches;

TEST(OpsDense, E1OneNeuron) {
  // z = xᵀw = 0.0002 − 0.013 − 0.01 − 0.012 = −0.0348
  const std::vector<float> x = {0.2f, -1.3f, 2.0f, 0.01f}, w = {0.001f, 0.01f, -0.005f, -1.2f};
  float z = 0;
  dense_forward_ref(1, 4, 1, x.data(), w.data(), static_cast<const float*>(nullptr), &z);
  EXPECT_NEAR(z, -0.0348f, 1e-7f);
  float z_dispatch = 0;
  dense_forward(1, 4, 1, x.data(), w.data(), nullptr, &z_dispatch);
  EXPECT_EQ(z, z_dispatch);
}

TEST(OpsDense, E2SymmetricNetworkCollapsesToHalfHalf) {
  // W¹ all 0.1: z¹ = 0.1·Σx = 0.1·(−0.9) = −0.09 (x₄ = 1.1) or 0.1·0 = 0 (x₄ = 2.0);
  // ReLU gives a¹ = 0, so z² = z³ = 0 and softmax = [0.5, 0.5].
  for (float x4 : {1.1f, 2.0f}) {
    const std::vector<float> x = {-2.4f, 1.2f, -0.8f, x4};
    const std::vector<float> w1(12, 0.1f), w2(6, 0.001f), w3(4, 0.01f);
    std::vector<float> z1(3), a1(3), z2(2), a2(2), z3(2), out(2);
    dense_forward(1, 4, 3, x.data(), w1.data(), nullptr, z1.data());
    for (float v : z1) EXPECT_NEAR(v, x4 == 2.0f ? 0.0f : -0.09f, 1e-6f) << "x4 " << x4;
    relu_forward(z1.data(), a1.data(), 3);
    for (float v : a1) EXPECT_EQ(v, 0.0f);
    dense_forward(1, 3, 2, a1.data(), w2.data(), nullptr, z2.data());
    relu_forward(z2.data(), a2.data(), 2);
    dense_forward(1, 2, 2, a2.data(), w3.data(), nullptr, z3.data());
    EXPECT_EQ(z3, (std::vector<float>{0.0f, 0.0f}));
    softmax_forward(1, 2, z3.data(), out.data());
    EXPECT_EQ(out, (std::vector<float>{0.5f, 0.5f}));
  }
}

TEST(OpsDense, E4TwoTwoThreeTwoNetwork) {
  // z¹ = [0.05 + 0.1, 0.1 − 0.3] = [0.15, −0.2]; a¹ = [0.15, 0]
  // z² = [0.015, 0.045, 0.06]  (rows of W² times a¹: only the first column counts)
  // z³ = [0.0015 + 0.009 + 0.006, 0.006 + 0.0315 + 0.018] = [0.0165, 0.0555]
  // softmax: p₀ = 1/(1 + e^0.039) = 0.490251 (0.49025); with w³₁₃ = −0.1: z³₀ = 0.0045,
  // p₀ = 1/(1 + e^0.051) = 0.487253 (0.48725).
  const std::vector<float> x = {0.5f, -1.0f};
  const std::vector<float> w1 = {0.1f, -0.1f, 0.2f, 0.3f};
  const std::vector<float> w2 = {0.1f, -0.5f, 0.3f, 0.2f, 0.4f, -0.1f};
  std::vector<float> w3 = {0.1f, 0.2f, 0.1f, 0.4f, 0.7f, 0.3f};
  std::vector<float> z1(2), a1(2), z2(3), a2(3), z3(2), p(2);
  dense_forward(1, 2, 2, x.data(), w1.data(), nullptr, z1.data());
  EXPECT_NEAR(z1[0], 0.15f, 1e-7f);
  EXPECT_NEAR(z1[1], -0.2f, 1e-7f);
  relu_forward(z1.data(), a1.data(), 2);
  EXPECT_EQ(a1[1], 0.0f);
  dense_forward(1, 2, 3, a1.data(), w2.data(), nullptr, z2.data());
  EXPECT_NEAR(z2[0], 0.015f, 1e-7f);
  EXPECT_NEAR(z2[1], 0.045f, 1e-7f);
  EXPECT_NEAR(z2[2], 0.06f, 1e-7f);  // the student wrote 0.006, then 0.005
  relu_forward(z2.data(), a2.data(), 3);
  dense_forward(1, 3, 2, a2.data(), w3.data(), nullptr, z3.data());
  EXPECT_NEAR(z3[0], 0.0165f, 1e-7f);
  EXPECT_NEAR(z3[1], 0.0555f, 1e-7f);
  softmax_forward(1, 2, z3.data(), p.data());
  EXPECT_NEAR(p[0], 0.49025f, 5e-6f);
  EXPECT_NEAR(p[1], 0.50975f, 5e-6f);

  w3[2] = -0.1f;
  dense_forward(1, 3, 2, a2.data(), w3.data(), nullptr, z3.data());
  EXPECT_NEAR(z3[0], 0.0045f, 1e-7f);
  softmax_forward(1, 2, z3.data(), p.data());
  EXPECT_NEAR(p[0], 0.48725f, 5e-6f);
  EXPECT_NEAR(p[1], 0.51275f, 5e-6f);
}

TEST(OpsDense, BiasIsAddedPerOutput) {
  // Two rows [1, 2] and [3, 4]; W = [[1, 0], [1, 1]], b = [10, 20]:
  // row 0 → [1 + 10, 3 + 20], row 1 → [3 + 10, 7 + 20].
  const std::vector<float> x = {1, 2, 3, 4}, w = {1, 0, 1, 1}, b = {10, 20};
  std::vector<float> y(4);
  dense_forward_ref(2, 2, 2, x.data(), w.data(), b.data(), y.data());
  EXPECT_EQ(y, (std::vector<float>{11, 23, 13, 27}));
}

TEST(OpsDense, BackwardHandValues) {
  // One row x = [1, 2], W = [[1, 2], [3, 4]], dy = [1, 10]:
  // dx = Wᵀdy = [1 + 30, 2 + 40]; dW = dy xᵀ = [[1, 2], [10, 20]]; db = dy.
  const std::vector<float> x = {1, 2}, w = {1, 2, 3, 4}, dy = {1, 10};
  std::vector<float> dx(2), dw(4), db(2);
  dense_backward_ref(1, 2, 2, x.data(), w.data(), dy.data(), dx.data(), dw.data(), db.data());
  EXPECT_EQ(dx, (std::vector<float>{31, 42}));
  EXPECT_EQ(dw, (std::vector<float>{1, 2, 10, 20}));
  EXPECT_EQ(db, (std::vector<float>{1, 10}));
  // A second call adds the same again.
  dense_backward_ref(1, 2, 2, x.data(), w.data(), dy.data(), dx.data(), dw.data(), db.data());
  EXPECT_EQ(dx, (std::vector<float>{62, 84}));
  EXPECT_EQ(db, (std::vector<float>{2, 20}));
}

TEST(OpsDense, BackwardMatchesFiniteDifferences) {
  const int n = 3, in = 5, out = 4;
  std::vector<double> x = testing::RandomVector(1, n * in), w = testing::RandomVector(2, out * in);
  std::vector<double> b = testing::RandomVector(3, out), g = testing::RandomVector(4, n * out);
  auto loss = [&] {
    std::vector<double> y(n * out);
    dense_forward_ref(n, in, out, x.data(), w.data(), b.data(), y.data());
    return testing::Dot(y, g);
  };
  std::vector<double> dx = testing::Prefilled(x.size()), dw = testing::Prefilled(w.size());
  std::vector<double> db = testing::Prefilled(b.size());
  dense_backward_ref(n, in, out, x.data(), w.data(), g.data(), dx.data(), dw.data(), db.data());
  ExpectGradientMatches("dX", &x, loss, testing::Unprefill(dx));
  ExpectGradientMatches("dW", &w, loss, testing::Unprefill(dw));
  ExpectGradientMatches("db", &b, loss, testing::Unprefill(db));
}

// |W||x| + |b| per output: the scale of the rounding error of a reassociated sum.
std::vector<float> DotMagnitudes(int n, int in, int out, const std::vector<float>& x,
                                 const std::vector<float>& w, const std::vector<float>& b) {
  std::vector<float> m(static_cast<size_t>(n) * out);
  for (int r = 0; r < n; ++r)
    for (int o = 0; o < out; ++o) {
      float s = std::fabs(b[o]);
      for (int i = 0; i < in; ++i) s += std::fabs(w[o * in + i] * x[r * in + i]);
      m[r * out + o] = s;
    }
  return m;
}

TEST(OpsDense, Simd128ForwardMatchesReferenceOnOddShapes) {
  int checked = 0;
  for (int n : {1, 3, 7}) {
    for (int in : {1, 3, 4, 7, 13, 127}) {
      for (int out : {1, 3, 5, 13}) {
        const uint64_t seed = static_cast<uint64_t>(n * 10000 + in * 100 + out);
        const auto x = testing::RandomVector<float>(seed, n * in, -2, 2);
        const auto w = testing::RandomVector<float>(seed + 1, out * in, -2, 2);
        const auto b = testing::RandomVector<float>(seed + 2, out, -2, 2);
        for (bool with_bias : {false, true}) {
          const float* bias = with_bias ? b.data() : nullptr;
          std::vector<float> want(n * out), got(n * out, NAN);
          dense_forward_ref(n, in, out, x.data(), w.data(), bias, want.data());
          dense_forward_simd128(n, in, out, x.data(), w.data(), bias, got.data());
          SCOPED_TRACE(::testing::Message() << "n " << n << " in " << in << " out " << out
                                            << (with_bias ? " bias" : ""));
          testing::ExpectAllNear(want, got, 1e-5f, DotMagnitudes(n, in, out, x, w, b));
          ++checked;
        }
      }
    }
  }
  EXPECT_EQ(checked, 3 * 6 * 4 * 2);
}

TEST(OpsDense, Simd128BackwardEqualsReferenceBitForBit) {
  for (int n : {1, 3, 7}) {
    for (int in : {1, 3, 7, 13, 127}) {
      for (int out : {1, 5, 13}) {
        const uint64_t seed = static_cast<uint64_t>(n * 10000 + in * 100 + out);
        const auto x = testing::RandomVector<float>(seed, n * in, -2, 2);
        const auto w = testing::RandomVector<float>(seed + 1, out * in, -2, 2);
        const auto dy = testing::RandomVector<float>(seed + 2, n * out, -2, 2);
        // Start from non-zero gradients: both must accumulate.
        std::vector<float> dx_ref = testing::RandomVector<float>(seed + 3, n * in);
        std::vector<float> dw_ref = testing::RandomVector<float>(seed + 4, out * in);
        std::vector<float> db_ref = testing::RandomVector<float>(seed + 5, out);
        std::vector<float> dx = dx_ref, dw = dw_ref, db = db_ref;
        dense_backward_ref(n, in, out, x.data(), w.data(), dy.data(), dx_ref.data(), dw_ref.data(),
                           db_ref.data());
        dense_backward_simd128(n, in, out, x.data(), w.data(), dy.data(), dx.data(), dw.data(),
                               db.data());
        SCOPED_TRACE(::testing::Message() << "n " << n << " in " << in << " out " << out);
        testing::ExpectBitEqual(dx_ref, dx);
        testing::ExpectBitEqual(dw_ref, dw);
        testing::ExpectBitEqual(db_ref, db);
      }
    }
  }
}

TEST(OpsDense, DispatchTakesTheSimdPathOnWideInputs) {
  // Integer-valued data: every partial sum is exact, so both paths give identical values.
  const int n = 2, in = 37, out = 6;
  std::vector<float> x(n * in), w(out * in), b(out, 0.5f);
  for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(static_cast<int>(i % 7) - 3);
  for (size_t i = 0; i < w.size(); ++i) w[i] = static_cast<float>(static_cast<int>(i % 5) - 2);
  std::vector<float> want(n * out), got(n * out);
  dense_forward_ref(n, in, out, x.data(), w.data(), b.data(), want.data());
  dense_forward(n, in, out, x.data(), w.data(), b.data(), got.data());
  EXPECT_EQ(want, got);
}

}  // namespace
}  // namespace nnplay
