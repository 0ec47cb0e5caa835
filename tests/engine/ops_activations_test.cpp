// ops_activations_test.cpp: ReLU, leaky ReLU, sigmoid, tanh. Hand values, gradients
// against finite differences in double, SIMD128 against the reference on odd sizes.
#include "ops/activations.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "ops/finite.h"
#include "ops_test_util.h"

namespace nnplay {
namespace {

using testing::ExpectGradientMatches;

TEST(OpsActivations, HandValues) {
  const std::vector<float> x = {-2.0f, -0.5f, 0.0f, 0.5f, 3.0f};
  std::vector<float> y(5);
  relu_forward_ref(x.data(), y.data(), 5);
  EXPECT_EQ(y, (std::vector<float>{0, 0, 0, 0.5f, 3}));
  const float minus_zero = -0.0f;
  float r = -1.0f;
  relu_forward_ref(&minus_zero, &r, 1);
  EXPECT_FALSE(std::signbit(r));  // −0 → +0 (IEEE maximum(x, +0))
  leaky_relu_forward_ref(x.data(), y.data(), 5, 0.1f);
  EXPECT_EQ(y, (std::vector<float>{-0.2f, -0.05f, 0, 0.5f, 3}));
  sigmoid_forward_ref(x.data(), y.data(), 5);
  EXPECT_EQ(y[2], 0.5f);
  EXPECT_NEAR(y[3], 0.62245933f, 1e-7f);  // 1/(1 + e^−0.5)
  EXPECT_NEAR(y[1], 0.37754067f, 1e-7f);  // 1 − σ(0.5)
  tanh_forward_ref(x.data(), y.data(), 5);
  EXPECT_EQ(y[2], 0.0f);
  EXPECT_NEAR(y[3], 0.46211716f, 1e-7f);  // (e − 1)/(e + 1)
}

TEST(OpsActivations, E1SigmoidOfOneLogit) {
  // A 1-unit output wants a sigmoid: σ(−0.0348) = 1/(1 + e^0.0348) ≈ 0.4913.
  const float z = -0.0348f;
  float y = 0;
  sigmoid_forward_ref(&z, &y, 1);
  EXPECT_NEAR(y, 0.4913f, 5e-5f);
}

TEST(OpsActivations, E7SigmoidDerivativeIsAtMostAQuarter) {
  // σ' = σ(1 − σ) peaks at x = 0 with 0.25; tanh' = 1 − tanh² peaks at 1.
  const std::vector<double> x = {-30, -5, -1, 0, 1, 5, 30};
  std::vector<double> s(x.size()), t(x.size()), ones(x.size(), 1.0);
  sigmoid_forward_ref(x.data(), s.data(), x.size());
  tanh_forward_ref(x.data(), t.data(), x.size());
  std::vector<double> ds(x.size(), 0.0), dt(x.size(), 0.0);
  sigmoid_backward_ref(s.data(), ones.data(), ds.data(), x.size());
  tanh_backward_ref(t.data(), ones.data(), dt.data(), x.size());
  EXPECT_EQ(ds[3], 0.25);
  EXPECT_EQ(dt[3], 1.0);
  for (size_t i = 0; i < x.size(); ++i) {
    EXPECT_LE(ds[i], 0.25) << "index " << i;
    EXPECT_GE(ds[i], 0.0) << "index " << i;
  }
  EXPECT_LT(ds[0], 1e-12);  // saturated: passes almost nothing
}

TEST(OpsActivations, SigmoidIsFiniteForHugeInputs) {
  const std::vector<float> x = {-1e4f, -100.0f, 100.0f, 1e4f};
  std::vector<float> y(4);
  sigmoid_forward_ref(x.data(), y.data(), 4);
  EXPECT_TRUE(AllFinite(y.data(), 4));
  EXPECT_EQ(y[0], 0.0f);
  EXPECT_EQ(y[3], 1.0f);
}

TEST(OpsActivations, NanIsPropagatedNotHidden) {
  // relu(NaN) must stay NaN so AllFinite can report it (x > 0 ? x : 0 would give 0).
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const std::vector<float> x = {1.0f, nan, -1.0f, 2.0f, nan};
  std::vector<float> y(5), yl(5);
  relu_forward(x.data(), y.data(), 5);
  leaky_relu_forward(x.data(), yl.data(), 5, 0.01f);
  EXPECT_TRUE(std::isnan(y[1]) && std::isnan(y[4]));
  EXPECT_TRUE(std::isnan(yl[1]) && std::isnan(yl[4]));
  EXPECT_FALSE(AllFinite(y.data(), 5));
  EXPECT_EQ(FirstNonFinite(y.data(), 5), 1u);
}

// Each elementwise backward against finite differences; inputs avoid the ReLU kink at 0.
TEST(OpsActivations, BackwardMatchesFiniteDifferences) {
  const size_t n = 11;
  std::vector<double> x = testing::RandomVector(11, n, -3, 3);
  for (double& v : x)
    if (std::fabs(v) < 0.01) v = 0.5;
  const std::vector<double> g = testing::RandomVector(12, n, -2, 2);
  const double slope = 0.07;
  std::vector<double> y(n);

  auto relu_loss = [&] {
    relu_forward_ref(x.data(), y.data(), n);
    return testing::Dot(y, g);
  };
  std::vector<double> dx = testing::Prefilled(n);
  relu_backward_ref(x.data(), g.data(), dx.data(), n);
  ExpectGradientMatches("relu", &x, relu_loss, testing::Unprefill(dx));

  auto leaky_loss = [&] {
    leaky_relu_forward_ref(x.data(), y.data(), n, slope);
    return testing::Dot(y, g);
  };
  dx = testing::Prefilled(n);
  leaky_relu_backward_ref(x.data(), g.data(), dx.data(), n, slope);
  ExpectGradientMatches("leaky relu", &x, leaky_loss, testing::Unprefill(dx));

  auto sigmoid_loss = [&] {
    sigmoid_forward_ref(x.data(), y.data(), n);
    return testing::Dot(y, g);
  };
  sigmoid_forward_ref(x.data(), y.data(), n);
  dx = testing::Prefilled(n);
  sigmoid_backward_ref(y.data(), g.data(), dx.data(), n);
  ExpectGradientMatches("sigmoid", &x, sigmoid_loss, testing::Unprefill(dx));

  auto tanh_loss = [&] {
    tanh_forward_ref(x.data(), y.data(), n);
    return testing::Dot(y, g);
  };
  tanh_forward_ref(x.data(), y.data(), n);
  dx = testing::Prefilled(n);
  tanh_backward_ref(y.data(), g.data(), dx.data(), n);
  ExpectGradientMatches("tanh", &x, tanh_loss, testing::Unprefill(dx));
}

// Odd sizes, with zeros, −0, ±Inf and NaN mixed in: the SIMD128 kernels make the same
// comparisons as the reference, so they must agree bit for bit.
std::vector<float> SpecialMix(size_t n, uint64_t seed) {
  std::vector<float> v = testing::RandomVector<float>(seed, n, -3, 3);
  const float specials[] = {0.0f, -0.0f, std::numeric_limits<float>::infinity(),
                            -std::numeric_limits<float>::infinity(),
                            std::numeric_limits<float>::quiet_NaN()};
  for (size_t i = 0; i < n; i += 3) v[i] = specials[(i / 3) % 5];
  return v;
}

TEST(OpsActivations, Simd128EqualsReferenceOnOddSizes) {
  for (size_t n : {1u, 3u, 4u, 7u, 13u, 127u}) {
    SCOPED_TRACE(::testing::Message() << "n " << n);
    const std::vector<float> x = SpecialMix(n, 100 + n);
    const std::vector<float> dy = testing::RandomVector<float>(200 + n, n, -2, 2);
    const std::vector<float> start = testing::RandomVector<float>(300 + n, n);
    const float slope = 0.2f;
    std::vector<float> want(n), got(n, 7.0f);

    relu_forward_ref(x.data(), want.data(), n);
    relu_forward_simd128(x.data(), got.data(), n);
    testing::ExpectBitEqual(want, got);

    leaky_relu_forward_ref(x.data(), want.data(), n, slope);
    leaky_relu_forward_simd128(x.data(), got.data(), n, slope);
    testing::ExpectBitEqual(want, got);

    want = start, got = start;
    relu_backward_ref(x.data(), dy.data(), want.data(), n);
    relu_backward_simd128(x.data(), dy.data(), got.data(), n);
    testing::ExpectBitEqual(want, got);

    want = start, got = start;
    leaky_relu_backward_ref(x.data(), dy.data(), want.data(), n, slope);
    leaky_relu_backward_simd128(x.data(), dy.data(), got.data(), n, slope);
    testing::ExpectBitEqual(want, got);

    // The dispatchers give the same values whichever path they take.
    relu_forward_ref(x.data(), want.data(), n);
    relu_forward(x.data(), got.data(), n);
    testing::ExpectBitEqual(want, got);
  }
}

}  // namespace
}  // namespace nnplay
