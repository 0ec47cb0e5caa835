// ops_batchnorm_test.cpp: batch normalization. E6 by hand, running statistics, zero
// variance, gradients (training and inference) against finite differences in double.
#include "ops/batchnorm.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "ops/finite.h"
#include "ops_test_util.h"

namespace nnplay {
namespace {

using testing::ExpectGradientMatches;

BatchNormParams Params(int n, int c, double eps) {
  BatchNormParams p;
  p.n = n, p.c = c, p.eps = eps;
  return p;
}

TEST(OpsBatchNorm, E6ByHand) {
  // x = [2, 4, 6, 8, 10]: μ = 6, σ² = (16 + 4 + 0 + 4 + 16)/5 = 8, σ = 2.8284 (not √12);
  // x̂ = (x − 6)/√8 = [−1.4142, −0.7071, 0, 0.7071, 1.4142];
  // y = 2x̂ − 1 = [−3.8284, −2.4142, −1, 0.4142, 1.8284].
  const std::vector<float> x = {2, 4, 6, 8, 10};
  const float gamma = 2, beta = -1;
  std::vector<float> y(5);
  float mean = 0, rstd = 0, rm = 0, rv = 1;
  batchnorm_forward_train(Params(5, 1, 0.0), x.data(), &gamma, &beta, y.data(), &mean, &rstd, &rm,
                          &rv);
  EXPECT_EQ(mean, 6.0f);
  EXPECT_NEAR(1.0f / rstd, 2.8284f, 5e-5f);  // σ
  const float want[] = {-3.8284f, -2.4142f, -1.0f, 0.4142f, 1.8284f};
  for (int i = 0; i < 5; ++i) EXPECT_NEAR(y[i], want[i], 5e-5f) << "index " << i;
  EXPECT_EQ(y[2], -1.0f);
  // Running statistics, momentum 0.1 from (0, 1): 0.9·0 + 0.1·6 = 0.6; 0.9·1 + 0.1·8 = 1.7.
  EXPECT_NEAR(rm, 0.6f, 1e-7f);
  EXPECT_NEAR(rv, 1.7f, 1e-6f);
}

TEST(OpsBatchNorm, E6EpsilonMovesTheSixthDigit) {
  // ε = 1e−5 inside the root: x̂ = (x − 6)/√8.00001, x̂₀ = −1.4142127 (vs −1.4142136).
  const std::vector<double> x = {2, 4, 6, 8, 10};
  const double gamma = 1, beta = 0;
  std::vector<double> y(5);
  double mean, rstd;
  batchnorm_forward_train<double>(Params(5, 1, 1e-5), x.data(), &gamma, &beta, y.data(), &mean,
                                  &rstd, nullptr, nullptr);
  EXPECT_NEAR(y[0], -1.4142126785, 1e-9);
  EXPECT_NEAR(y[3], 0.7071063392, 1e-9);
  EXPECT_GT(std::fabs(y[0] + 1.4142135624), 5e-7);  // really differs from ε = 0
}

TEST(OpsBatchNorm, FeaturesAreNormalisedSeparately) {
  // Two features in an [N = 2, C = 2] batch: column 0 = [1, 3] (μ 2, σ² 1), column 1 =
  // [10, 10] (μ 10, σ² 0). ε = 0 for column 0 is fine; column 1 needs ε: x̂ = 0, y = β.
  const std::vector<double> x = {1, 10, 3, 10};
  const std::vector<double> gamma = {1, 5}, beta = {0, 7};
  std::vector<double> y(4), mean(2), rstd(2);
  batchnorm_forward_train<double>(Params(2, 2, 1e-5), x.data(), gamma.data(), beta.data(), y.data(),
                                  mean.data(), rstd.data(), nullptr, nullptr);
  EXPECT_EQ(mean, (std::vector<double>{2, 10}));
  EXPECT_NEAR(y[0], -1 / std::sqrt(1 + 1e-5), 1e-15);
  EXPECT_NEAR(y[2], 1 / std::sqrt(1 + 1e-5), 1e-15);
  EXPECT_EQ(y[1], 7.0);
  EXPECT_EQ(y[3], 7.0);
}

TEST(OpsBatchNorm, ZeroVarianceIsFiniteWithEpsilon) {
  // A constant feature (and a batch of one) has σ² = 0: rstd = 1/√ε, x̂ = 0, y = β.
  for (int n : {1, 4}) {
    const std::vector<float> x(n, 3.0f), dy = testing::RandomVector<float>(51, n);
    const float gamma = 1.5f, beta = 0.25f;
    std::vector<float> y(n), dx(n, 0.0f);
    float mean, rstd, dgamma = 0, dbeta = 0;
    batchnorm_forward_train(Params(n, 1, 1e-5), x.data(), &gamma, &beta, y.data(), &mean, &rstd,
                            static_cast<float*>(nullptr), static_cast<float*>(nullptr));
    ASSERT_TRUE(AllFinite(y.data(), n));
    for (float v : y) EXPECT_EQ(v, beta);
    batchnorm_backward_train(Params(n, 1, 1e-5), x.data(), &gamma, &mean, &rstd, dy.data(),
                             dx.data(), &dgamma, &dbeta);
    EXPECT_TRUE(AllFinite(dx.data(), n));
    EXPECT_EQ(dgamma, 0.0f);  // Σ dy·x̂ with x̂ = 0
    EXPECT_TRUE(std::isfinite(dbeta));
  }
  // With ε = 0 the same batch is 0/0: the caller can see it.
  const std::vector<float> x(4, 3.0f);
  const float gamma = 1, beta = 0;
  std::vector<float> y(4);
  float mean, rstd;
  batchnorm_forward_train(Params(4, 1, 0.0), x.data(), &gamma, &beta, y.data(), &mean, &rstd,
                          static_cast<float*>(nullptr), static_cast<float*>(nullptr));
  EXPECT_FALSE(AllFinite(y.data(), 4));
}

TEST(OpsBatchNorm, InferenceUsesRunningStatistics) {
  // running μ 0.6, σ² 1.7 (after E6's step): y(2) = 2·(2 − 0.6)/√1.7 − 1 = 1.1475020.
  const float x = 2, gamma = 2, beta = -1, rm = 0.6f, rv = 1.7f;
  float y = 0;
  batchnorm_forward_infer(Params(1, 1, 0.0), &x, &gamma, &beta, &rm, &rv, &y);
  EXPECT_NEAR(y, 1.1475020f, 1e-6f);
}

TEST(OpsBatchNorm, TrainingBackwardMatchesFiniteDifferences) {
  const int n = 5, c = 3;
  const BatchNormParams p = Params(n, c, 1e-3);
  std::vector<double> x = testing::RandomVector(61, n * c, -2, 3);
  std::vector<double> gamma = testing::RandomVector(62, c, 0.5, 2);
  std::vector<double> beta = testing::RandomVector(63, c);
  const std::vector<double> g = testing::RandomVector(64, n * c);
  std::vector<double> y(n * c), mean(c), rstd(c);
  auto loss = [&] {
    batchnorm_forward_train<double>(p, x.data(), gamma.data(), beta.data(), y.data(), mean.data(),
                                    rstd.data(), nullptr, nullptr);
    return testing::Dot(y, g);
  };
  loss();
  std::vector<double> dx = testing::Prefilled(x.size()), dgamma = testing::Prefilled(c),
                      dbeta = testing::Prefilled(c);
  batchnorm_backward_train(p, x.data(), gamma.data(), mean.data(), rstd.data(), g.data(), dx.data(),
                           dgamma.data(), dbeta.data());
  ExpectGradientMatches("dX", &x, loss, testing::Unprefill(dx));
  ExpectGradientMatches("dgamma", &gamma, loss, testing::Unprefill(dgamma));
  ExpectGradientMatches("dbeta", &beta, loss, testing::Unprefill(dbeta));
}

TEST(OpsBatchNorm, InferenceBackwardMatchesFiniteDifferences) {
  const int n = 4, c = 2;
  const BatchNormParams p = Params(n, c, 1e-5);
  std::vector<double> x = testing::RandomVector(71, n * c, -2, 2);
  std::vector<double> gamma = testing::RandomVector(72, c, 0.5, 2);
  std::vector<double> beta = testing::RandomVector(73, c);
  const std::vector<double> rm = {0.3, -0.2}, rv = {1.5, 0.7};
  const std::vector<double> g = testing::RandomVector(74, n * c);
  std::vector<double> y(n * c);
  auto loss = [&] {
    batchnorm_forward_infer(p, x.data(), gamma.data(), beta.data(), rm.data(), rv.data(), y.data());
    return testing::Dot(y, g);
  };
  std::vector<double> dx = testing::Prefilled(x.size()), dgamma = testing::Prefilled(c),
                      dbeta = testing::Prefilled(c);
  batchnorm_backward_infer(p, x.data(), gamma.data(), rm.data(), rv.data(), g.data(), dx.data(),
                           dgamma.data(), dbeta.data());
  ExpectGradientMatches("dX", &x, loss, testing::Unprefill(dx));
  ExpectGradientMatches("dgamma", &gamma, loss, testing::Unprefill(dgamma));
  ExpectGradientMatches("dbeta", &beta, loss, testing::Unprefill(dbeta));
}

}  // namespace
}  // namespace nnplay
