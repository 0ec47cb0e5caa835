// ops_softmax_test.cpp: softmax (with temperature) and log-softmax. Values from E1, E3
// and hand computation; gradients against finite differences in double; huge logits.
#include "ops/softmax.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "ops/finite.h"
#include "ops_test_util.h"

namespace nnplay {
namespace {

using testing::ExpectGradientMatches;

TEST(OpsSoftmax, E1SingleLogitIsAlwaysOne) {
  // e^z / e^z = 1, whatever z: the student's softmax(−0.0348) = 0 is wrong.
  for (float z : {-0.0348f, 0.0f, 5.0f, -1e4f}) {
    float p = 0;
    softmax_forward(1, 1, &z, &p);
    EXPECT_EQ(p, 1.0f) << "z " << z;
  }
}

TEST(OpsSoftmax, E3LastLayer) {
  // Σe = e² + e + e^0.1 = 7.389056 + 2.718282 + 1.105171 = 11.212509;
  // p = [0.6590, 0.2424, 0.0986] (the student's 11.204 and [0.658, 0.2418] are off).
  const std::vector<float> x = {2.0f, 1.0f, 0.1f};
  std::vector<float> p(3);
  softmax_forward(1, 3, x.data(), p.data());
  EXPECT_NEAR(p[0], 0.6590f, 5e-5f);
  EXPECT_NEAR(p[1], 0.2424f, 5e-5f);
  EXPECT_NEAR(p[2], 0.0986f, 5e-5f);
  // Six digits: 0.659001, 0.242433, 0.098566.
  EXPECT_NEAR(p[0], 0.659001f, 1e-6f);
  EXPECT_NEAR(p[1], 0.242433f, 1e-6f);
  EXPECT_NEAR(p[2], 0.098566f, 1e-6f);
}

TEST(OpsSoftmax, TemperatureSharpensAndFlattens) {
  // Logits [ln 4, 0]: T = 1 → [4, 1]/5; T = 2 → e^{ln 2} = 2: [2, 1]/3;
  // T = 0.5 → e^{ln 16} = 16: [16, 1]/17.
  const std::vector<double> x = {std::log(4.0), 0.0};
  std::vector<double> p(2);
  softmax_forward(1, 2, x.data(), p.data(), 1.0);
  EXPECT_NEAR(p[0], 0.8, 1e-15);
  softmax_forward(1, 2, x.data(), p.data(), 2.0);
  EXPECT_NEAR(p[0], 2.0 / 3.0, 1e-15);
  EXPECT_NEAR(p[1], 1.0 / 3.0, 1e-15);
  softmax_forward(1, 2, x.data(), p.data(), 0.5);
  EXPECT_NEAR(p[0], 16.0 / 17.0, 1e-15);
}

TEST(OpsSoftmax, RowsAreIndependent) {
  // Row 0 [ln 4, 0] → [0.8, 0.2]; row 1 [0, 0] → [0.5, 0.5].
  const std::vector<float> x = {std::log(4.0f), 0.0f, 0.0f, 0.0f};
  std::vector<float> p(4);
  softmax_forward(2, 2, x.data(), p.data());
  EXPECT_NEAR(p[0], 0.8f, 1e-7f);
  EXPECT_NEAR(p[1], 0.2f, 1e-7f);
  EXPECT_EQ(p[2], 0.5f);
  EXPECT_EQ(p[3], 0.5f);
}

TEST(OpsSoftmax, LogSoftmaxHandValues) {
  // [ln 4, 0] → log [0.8, 0.2] = [−0.2231436, −1.6094379].
  const std::vector<float> x = {std::log(4.0f), 0.0f};
  std::vector<float> l(2);
  log_softmax_forward(1, 2, x.data(), l.data());
  EXPECT_NEAR(l[0], -0.2231436f, 1e-6f);
  EXPECT_NEAR(l[1], -1.6094379f, 1e-6f);
}

TEST(OpsSoftmax, HugeLogitsStayFinite) {
  // Without subtracting the max, e^1e4 overflows to inf and inf/inf is NaN.
  const std::vector<float> x = {1e4f, -1e4f, 0.0f, 1e4f, 1e4f, 1e4f};
  std::vector<float> p(6), l(6);
  softmax_forward(2, 3, x.data(), p.data());
  ASSERT_TRUE(AllFinite(p.data(), 6));
  EXPECT_EQ(p[0], 1.0f);
  EXPECT_EQ(p[1], 0.0f);
  EXPECT_EQ(p[2], 0.0f);
  EXPECT_NEAR(p[3], 1.0f / 3.0f, 1e-7f);
  EXPECT_NEAR(p[5], 1.0f / 3.0f, 1e-7f);
  log_softmax_forward(2, 3, x.data(), l.data());
  ASSERT_TRUE(AllFinite(l.data(), 6));
  EXPECT_EQ(l[0], 0.0f);
  EXPECT_EQ(l[1], -2e4f);  // exact: (−1e4 − 1e4) − log(1 + e^−1e4 + e^−2e4) = −2e4 − 0
  EXPECT_EQ(l[2], -1e4f);
  EXPECT_NEAR(l[4], -std::log(3.0f), 1e-6f);
  // The backward stays finite too.
  std::vector<float> dp = {1, 2, 3, 4, 5, 6}, dx(6, 0.0f);
  softmax_backward(2, 3, p.data(), dp.data(), dx.data());
  log_softmax_backward(2, 3, l.data(), dp.data(), dx.data());
  EXPECT_TRUE(AllFinite(dx.data(), 6));
}

TEST(OpsSoftmax, NonFiniteLogitsAreDetectable) {
  // A NaN or +Inf logit poisons its whole row (and only that row); AllFinite reports it.
  for (float bad :
       {std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity()}) {
    const std::vector<float> x = {0.5f, 1.0f, bad, 0.0f};
    std::vector<float> p(4);
    softmax_forward(2, 2, x.data(), p.data());
    EXPECT_TRUE(AllFinite(p.data(), 2)) << bad;  // row 0 untouched
    EXPECT_FALSE(AllFinite(p.data(), 4)) << bad;
    EXPECT_EQ(FirstNonFinite(p.data(), 4), 2u) << bad;
  }
}

TEST(OpsSoftmax, BackwardMatchesFiniteDifferences) {
  const int n = 3, c = 5;
  std::vector<double> x = testing::RandomVector(21, n * c, -3, 3);
  const std::vector<double> g = testing::RandomVector(22, n * c, -1, 1);
  std::vector<double> y(n * c);
  for (double t : {1.0, 0.5, 3.0}) {
    SCOPED_TRACE(::testing::Message() << "temperature " << t);
    auto loss = [&] {
      softmax_forward(n, c, x.data(), y.data(), t);
      return testing::Dot(y, g);
    };
    softmax_forward(n, c, x.data(), y.data(), t);
    std::vector<double> dx = testing::Prefilled(x.size());
    softmax_backward(n, c, y.data(), g.data(), dx.data(), t);
    ExpectGradientMatches("softmax dX", &x, loss, testing::Unprefill(dx));
  }
  auto log_loss = [&] {
    log_softmax_forward(n, c, x.data(), y.data());
    return testing::Dot(y, g);
  };
  log_softmax_forward(n, c, x.data(), y.data());
  std::vector<double> dx = testing::Prefilled(x.size());
  log_softmax_backward(n, c, y.data(), g.data(), dx.data());
  ExpectGradientMatches("log-softmax dX", &x, log_loss, testing::Unprefill(dx));
}

}  // namespace
}  // namespace nnplay
