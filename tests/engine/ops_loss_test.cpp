// ops_loss_test.cpp: softmax cross-entropy and mean squared error. Hand values, huge
// logits, gradients against finite differences in double.
#include "ops/loss.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "ops/finite.h"
#include "ops_test_util.h"

namespace nnplay {
namespace {

using testing::ExpectGradientMatches;

TEST(OpsLoss, CrossEntropyHandValues) {
  // Both rows are logits [ln 4, 0] → p = [0.8, 0.2]. Row 0 wants class 0: −ln 0.8 =
  // 0.2231436; row 1 wants class 1: −ln 0.2 = 1.6094379; mean = −½ ln 0.16 = 0.9162907.
  // dlogits = (p − onehot)/N: row 0 [−0.2, 0.2]/2, row 1 [0.8, −0.8]/2.
  const std::vector<float> x = {std::log(4.0f), 0.0f, std::log(4.0f), 0.0f};
  const std::vector<int> t = {0, 1};
  std::vector<float> p(4), d(4, 0.0f);
  const float loss = softmax_cross_entropy_forward(2, 2, x.data(), t.data(), p.data());
  EXPECT_NEAR(loss, 0.9162907f, 1e-6f);
  softmax_cross_entropy_backward(2, 2, p.data(), t.data(), 1.0f, d.data());
  EXPECT_NEAR(d[0], -0.1f, 1e-7f);
  EXPECT_NEAR(d[1], 0.1f, 1e-7f);
  EXPECT_NEAR(d[2], 0.4f, 1e-7f);
  EXPECT_NEAR(d[3], -0.4f, 1e-7f);
}

TEST(OpsLoss, CrossEntropyOfHugeLogitsIsFiniteAndExact) {
  // Logits [1e4, −1e4]: p = [1, 0] after rounding, but the loss never takes log(0):
  // target 1 costs log(1 + e^−2e4) − (−1e4 − 1e4) = 2e4; target 0 costs 0.
  // Row 3: [1e4, 1e4] costs ln 2 either way.
  const std::vector<float> x = {1e4f, -1e4f, 1e4f, -1e4f, 1e4f, 1e4f};
  std::vector<float> p(6), d(6, 0.0f);
  const std::vector<int> wrong = {1, 1, 0};
  float loss = softmax_cross_entropy_forward(3, 2, x.data(), wrong.data(), p.data());
  ASSERT_TRUE(std::isfinite(loss));
  EXPECT_NEAR(loss, (2e4f + 2e4f + std::log(2.0f)) / 3.0f, 1e-2f);
  softmax_cross_entropy_backward(3, 2, p.data(), wrong.data(), 1.0f, d.data());
  ASSERT_TRUE(AllFinite(d.data(), 6));
  EXPECT_NEAR(d[0], 1.0f / 3.0f, 1e-7f);  // (p − onehot)/N = (1 − 0)/3
  EXPECT_NEAR(d[1], -1.0f / 3.0f, 1e-7f);
  const std::vector<int> right = {0, 0, 1};
  loss = softmax_cross_entropy_forward(3, 2, x.data(), right.data(), p.data());
  EXPECT_NEAR(loss, std::log(2.0f) / 3.0f, 1e-7f);
}

TEST(OpsLoss, BadTargetsAndNonFiniteLogitsGiveNan) {
  const std::vector<float> x = {0.0f, 1.0f};
  std::vector<float> p(2);
  const int bad = 2;  // only 2 classes
  EXPECT_TRUE(std::isnan(softmax_cross_entropy_forward(1, 2, x.data(), &bad, p.data())));
  const int negative = -1;
  EXPECT_TRUE(std::isnan(softmax_cross_entropy_forward(1, 2, x.data(), &negative, p.data())));
  const std::vector<float> nan_x = {std::numeric_limits<float>::quiet_NaN(), 1.0f};
  const int ok = 0;
  EXPECT_FALSE(std::isfinite(softmax_cross_entropy_forward(1, 2, nan_x.data(), &ok, p.data())));
  EXPECT_EQ(DescribeNonFinite("logits", nan_x.data(), 2), "logits[0] is nan");
}

TEST(OpsLoss, CrossEntropyBackwardMatchesFiniteDifferences) {
  const int n = 4, c = 3;
  std::vector<double> x = testing::RandomVector(31, n * c, -4, 4);
  const std::vector<int> t = {2, 0, 1, 2};
  std::vector<double> p(n * c);
  const double dloss = 1.7;  // as if the loss were scaled downstream
  auto loss = [&] {
    return dloss * softmax_cross_entropy_forward(n, c, x.data(), t.data(), p.data());
  };
  softmax_cross_entropy_forward(n, c, x.data(), t.data(), p.data());
  std::vector<double> d = testing::Prefilled(x.size());
  softmax_cross_entropy_backward(n, c, p.data(), t.data(), dloss, d.data());
  ExpectGradientMatches("dlogits", &x, loss, testing::Unprefill(d));
}

TEST(OpsLoss, MeanSquaredError) {
  // y − t = [0, 2, −2]: loss = (0 + 4 + 4)/3 = 8/3; dy = 2(y − t)/3 = [0, 4/3, −4/3].
  const std::vector<double> y = {1, 2, 3}, t = {1, 0, 5};
  EXPECT_NEAR(mse_forward(3, y.data(), t.data()), 8.0 / 3.0, 1e-15);
  std::vector<double> dy(3, 0.0);
  mse_backward(3, y.data(), t.data(), 1.0, dy.data());
  EXPECT_EQ(dy[0], 0.0);
  EXPECT_NEAR(dy[1], 4.0 / 3.0, 1e-15);
  EXPECT_NEAR(dy[2], -4.0 / 3.0, 1e-15);
}

TEST(OpsLoss, MseBackwardMatchesFiniteDifferences) {
  std::vector<double> y = testing::RandomVector(41, 7, -2, 2);
  const std::vector<double> t = testing::RandomVector(42, 7, -2, 2);
  auto loss = [&] { return 0.5 * mse_forward(7, y.data(), t.data()); };
  std::vector<double> dy = testing::Prefilled(7);
  mse_backward(7, y.data(), t.data(), 0.5, dy.data());
  ExpectGradientMatches("dy", &y, loss, testing::Unprefill(dy));
}

}  // namespace
}  // namespace nnplay
