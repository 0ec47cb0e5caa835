// ops_dropout_test.cpp: the PRNG against the published PCG32 reference output, seeded
// masks, E8's expectation argument checked by averaging many masks, and the gradients.
#include "ops/dropout.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "ops/rng.h"
#include "ops_test_util.h"

namespace nnplay {
namespace {

using testing::ExpectGradientMatches;

TEST(OpsDropout, Pcg32MatchesTheReferenceImplementation) {
  // pcg32-demo (pcg-random.org): pcg32_srandom_r(42, 54), first six outputs.
  Pcg32 rng(42, 54);
  const uint32_t want[] = {0xa15c02b7u, 0x7b47f409u, 0xba1d3330u,
                           0x83d2f293u, 0xbfa4784bu, 0xcbed606eu};
  for (uint32_t w : want) EXPECT_EQ(rng.NextU32(), w);
}

TEST(OpsDropout, MaskComesFromTheSeed) {
  // Seed 42 draws the outputs above; their top 24 bits / 2^24 are 0.630, 0.482, 0.727,
  // 0.515, 0.749, 0.796, so keep = 0.6 keeps units 1 and 3 only.
  std::vector<float> mask(6);
  dropout_mask(42, 0.6f, mask.data(), 6);
  EXPECT_EQ(mask, (std::vector<float>{0, 1, 0, 1, 0, 0}));
  std::vector<float> again(6), other(64), other2(64);
  dropout_mask(42, 0.6f, again.data(), 6);
  EXPECT_EQ(mask, again);
  dropout_mask(1, 0.5f, other.data(), 64);
  dropout_mask(2, 0.5f, other2.data(), 64);
  EXPECT_NE(other, other2);
  dropout_mask(3, 1.0f, other.data(), 64);
  for (float m : other) EXPECT_EQ(m, 1.0f);
  dropout_mask(3, 0.0f, other.data(), 64);
  for (float m : other) EXPECT_EQ(m, 0.0f);
}

TEST(OpsDropout, HandValues) {
  // Mask [0, 1, 0, 1], keep 0.5, x = [1, 2, 3, 4]:
  // standard: train [0, 2, 0, 4], test 0.5·x; inverted: train [0, 4, 0, 8], test x.
  const std::vector<float> x = {1, 2, 3, 4}, mask = {0, 1, 0, 1};
  std::vector<float> y(4);
  dropout_forward_train(DropoutKind::kStandard, 0.5f, x.data(), mask.data(), y.data(), 4);
  EXPECT_EQ(y, (std::vector<float>{0, 2, 0, 4}));
  dropout_forward_test(DropoutKind::kStandard, 0.5f, x.data(), y.data(), 4);
  EXPECT_EQ(y, (std::vector<float>{0.5f, 1, 1.5f, 2}));
  dropout_forward_train(DropoutKind::kInverted, 0.5f, x.data(), mask.data(), y.data(), 4);
  EXPECT_EQ(y, (std::vector<float>{0, 4, 0, 8}));
  dropout_forward_test(DropoutKind::kInverted, 0.5f, x.data(), y.data(), 4);
  EXPECT_EQ(y, x);
}

TEST(OpsDropout, E8ExpectedActivationEqualsTestActivation) {
  // Average the training output over many seeded masks: it converges to the test output,
  // for both forms (standard: E[m·x] = p·x; inverted: E[m·x/p] = x). 2000 masks × 500
  // units: the relative standard error of the total is √((1−p)/(p·10⁶)) ≈ 4e−4 at p = 0.7,
  // so 3e−3 is ~7σ; a wrong scale (e.g. forgetting 1/p) is off by 30%.
  const size_t n = 500;
  const int masks = 2000;
  const float keep = 0.7f;
  const std::vector<float> x = testing::RandomVector<float>(81, n, 0.5, 1.5);
  for (DropoutKind kind : {DropoutKind::kStandard, DropoutKind::kInverted}) {
    std::vector<double> sum(n, 0.0);
    std::vector<float> mask(n), y(n);
    double kept = 0;
    for (int s = 0; s < masks; ++s) {
      dropout_mask(1000 + static_cast<uint64_t>(s), keep, mask.data(), n);
      dropout_forward_train(kind, keep, x.data(), mask.data(), y.data(), n);
      for (size_t i = 0; i < n; ++i) sum[i] += y[i], kept += mask[i];
    }
    std::vector<float> test(n);
    dropout_forward_test(kind, keep, x.data(), test.data(), n);
    double train_total = 0, test_total = 0;
    for (size_t i = 0; i < n; ++i) train_total += sum[i] / masks, test_total += test[i];
    EXPECT_NEAR(train_total / test_total, 1.0, 3e-3)
        << (kind == DropoutKind::kStandard ? "standard" : "inverted");
    EXPECT_NEAR(kept / (static_cast<double>(n) * masks), keep, 3e-3);
  }
}

TEST(OpsDropout, BackwardMatchesFiniteDifferences) {
  const size_t n = 9;
  std::vector<double> x = testing::RandomVector(91, n);
  const std::vector<double> g = testing::RandomVector(92, n);
  std::vector<double> mask(n), y(n);
  dropout_mask(5, 0.6, mask.data(), n);
  for (DropoutKind kind : {DropoutKind::kStandard, DropoutKind::kInverted}) {
    auto train_loss = [&] {
      dropout_forward_train(kind, 0.6, x.data(), mask.data(), y.data(), n);
      return testing::Dot(y, g);
    };
    std::vector<double> dx = testing::Prefilled(n);
    dropout_backward_train(kind, 0.6, mask.data(), g.data(), dx.data(), n);
    ExpectGradientMatches("train dX", &x, train_loss, testing::Unprefill(dx));
    auto test_loss = [&] {
      dropout_forward_test(kind, 0.6, x.data(), y.data(), n);
      return testing::Dot(y, g);
    };
    dx = testing::Prefilled(n);
    dropout_backward_test(kind, 0.6, g.data(), dx.data(), n);
    ExpectGradientMatches("test dX", &x, test_loss, testing::Unprefill(dx));
  }
}

}  // namespace
}  // namespace nnplay
