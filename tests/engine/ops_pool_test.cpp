// ops_pool_test.cpp: max and average pooling. Window values by hand on a ramp, the
// gradient routing, and both backwards against finite differences in double.
#include "ops/pool.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "ops_test_util.h"

namespace nnplay {
namespace {

using testing::ExpectGradientMatches;

// 4×4 ramp 1..16 row-major: I(y, x) = 4y + x + 1.
std::vector<float> Ramp4x4() {
  std::vector<float> v(16);
  for (int i = 0; i < 16; ++i) v[i] = static_cast<float>(i + 1);
  return v;
}

Pool2dParams Square(int c, int n, int k, int stride, int pad) {
  Pool2dParams p;
  p.c = c, p.h = p.w = n, p.k_h = p.k_w = k, p.stride_h = p.stride_w = stride;
  p.pad_top = p.pad_left = p.pad_bottom = p.pad_right = pad;
  return p;
}

TEST(OpsPool, TwoByTwoStrideTwo) {
  // Windows {1,2,5,6}, {3,4,7,8}, {9,10,13,14}, {11,12,15,16}:
  // max [6, 8, 14, 16]; mean [3.5, 5.5, 11.5, 13.5].
  const Pool2dParams p = Square(1, 4, 2, 2, 0);
  ASSERT_EQ(Pool2dValidate(p), "");
  std::vector<float> out(4);
  std::vector<int> arg(4);
  maxpool2d_forward_ref(p, Ramp4x4().data(), out.data(), arg.data());
  EXPECT_EQ(out, (std::vector<float>{6, 8, 14, 16}));
  EXPECT_EQ(arg, (std::vector<int>{5, 7, 13, 15}));
  avgpool2d_forward_ref(p, Ramp4x4().data(), out.data());
  EXPECT_EQ(out, (std::vector<float>{3.5f, 5.5f, 11.5f, 13.5f}));
  // Backward: max routes each gradient to its window's maximum; mean spreads it by 1/4.
  const std::vector<float> dout = {1, 2, 3, 4};
  std::vector<float> din(16, 0.0f);
  maxpool2d_backward_ref(p, arg.data(), dout.data(), din.data());
  EXPECT_EQ(din, (std::vector<float>{0, 0, 0, 0, 0, 1, 0, 2, 0, 0, 0, 0, 0, 3, 0, 4}));
  din.assign(16, 0.0f);
  avgpool2d_backward_ref(p, dout.data(), din.data());
  EXPECT_EQ(din[0], 0.25f);
  EXPECT_EQ(din[5], 0.25f);
  EXPECT_EQ(din[15], 1.0f);
}

TEST(OpsPool, PaddingThreeByThreeStrideTwo) {
  // Padding 1, k 3, s 2 on 4×4: out ⌊(4 + 2 − 3)/2⌋ + 1 = 2. Real taps per window:
  // (0,0) {1,2,5,6}: max 6, mean 14/4 = 3.5 (or 14/9 counting padding);
  // (0,1) {2,3,4,6,7,8}: max 8, mean 30/6 = 5; (1,0) {5,6,9,10,13,14}: max 14, mean 57/6
  // = 9.5; (1,1) {6,7,8,10,11,12,14,15,16}: max 16, mean 99/9 = 11.
  Pool2dParams p = Square(1, 4, 3, 2, 1);
  ASSERT_EQ(p.out_h(), 2);
  std::vector<float> out(4);
  maxpool2d_forward_ref(p, Ramp4x4().data(), out.data(), nullptr);
  EXPECT_EQ(out, (std::vector<float>{6, 8, 14, 16}));
  avgpool2d_forward_ref(p, Ramp4x4().data(), out.data());
  EXPECT_EQ(out, (std::vector<float>{3.5f, 5, 9.5f, 11}));
  p.count_include_pad = true;
  avgpool2d_forward_ref(p, Ramp4x4().data(), out.data());
  EXPECT_NEAR(out[0], 14.0f / 9.0f, 1e-7f);
  EXPECT_NEAR(out[1], 30.0f / 9.0f, 1e-7f);
  EXPECT_EQ(out[3], 11.0f);
}

TEST(OpsPool, ChannelsArePooledSeparately) {
  // Channel 1 = −(channel 0): its 2×2 maxima are the window minima {1, 3, 9, 11}, negated.
  const Pool2dParams p = Square(2, 4, 2, 2, 0);
  std::vector<float> in = Ramp4x4();
  for (int i = 0; i < 16; ++i) in.push_back(-in[i]);
  std::vector<float> out(8);
  std::vector<int> arg(8);
  maxpool2d_forward_ref(p, in.data(), out.data(), arg.data());
  EXPECT_EQ(out, (std::vector<float>{6, 8, 14, 16, -1, -3, -9, -11}));
  EXPECT_EQ(arg[4], 0);  // index within the channel plane
}

TEST(OpsPool, MaxPoolPassesNanOn) {
  std::vector<float> in = Ramp4x4();
  in[6] = std::numeric_limits<float>::quiet_NaN();  // in window (0, 1)
  std::vector<float> out(4);
  maxpool2d_forward_ref(Square(1, 4, 2, 2, 0), in.data(), out.data(), nullptr);
  EXPECT_EQ(out[0], 6.0f);
  EXPECT_TRUE(std::isnan(out[1]));
}

TEST(OpsPool, ValidateRejectsBadParameters) {
  EXPECT_EQ(Pool2dValidate(Square(1, 4, 3, 1, 3)), "padding must be smaller than the kernel");
  EXPECT_EQ(Pool2dValidate(Square(1, 4, 3, 1, 2)), "");  // window (−2..0) still holds x = 0
  EXPECT_NE(Pool2dValidate(Square(1, 4, 0, 1, 0)), "");
  EXPECT_NE(Pool2dValidate(Square(1, 4, 2, 0, 0)), "");
  EXPECT_NE(Pool2dValidate(Square(0, 4, 2, 1, 0)), "");
}

TEST(OpsPool, BackwardMatchesFiniteDifferences) {
  // Overlapping windows (k 3, s 2), uneven padding, a non-square input, two channels.
  Pool2dParams p;
  p.c = 2, p.h = 7, p.w = 6, p.k_h = 3, p.k_w = 2, p.stride_h = 2, p.stride_w = 1;
  p.pad_top = 1, p.pad_bottom = 2, p.pad_left = 1, p.pad_right = 0;
  ASSERT_EQ(Pool2dValidate(p), "");
  std::vector<double> x = testing::RandomVector(111, p.input_size(), -3, 3);  // no ties
  const std::vector<double> g = testing::RandomVector(112, p.output_size());
  std::vector<double> y(p.output_size());
  std::vector<int> arg(p.output_size());
  for (bool include_pad : {false, true}) {
    p.count_include_pad = include_pad;
    auto avg_loss = [&] {
      avgpool2d_forward_ref(p, x.data(), y.data());
      return testing::Dot(y, g);
    };
    std::vector<double> dx = testing::Prefilled(x.size());
    avgpool2d_backward_ref(p, g.data(), dx.data());
    ExpectGradientMatches(include_pad ? "avg (count pad) dX" : "avg dX", &x, avg_loss,
                          testing::Unprefill(dx));
  }
  auto max_loss = [&] {
    maxpool2d_forward_ref(p, x.data(), y.data(), arg.data());
    return testing::Dot(y, g);
  };
  max_loss();
  std::vector<double> dx = testing::Prefilled(x.size());
  maxpool2d_backward_ref(p, arg.data(), g.data(), dx.data());
  ExpectGradientMatches("max dX", &x, max_loss, testing::Unprefill(dx));
}

}  // namespace
}  // namespace nnplay
