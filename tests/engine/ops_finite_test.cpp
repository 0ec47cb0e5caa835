// ops_finite_test.cpp: NaN / Inf detection, the callers' check on every op.
#include "ops/finite.h"

#include <gtest/gtest.h>

#include <limits>
#include <vector>

namespace nnplay {
namespace {

TEST(OpsFinite, FindsTheFirstNonFiniteValue) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  const std::vector<float> ok = {0.0f, -1e30f, 3.4e38f, -0.0f, 1e-45f};
  EXPECT_TRUE(AllFinite(ok.data(), ok.size()));
  EXPECT_EQ(FirstNonFinite(ok.data(), ok.size()), ok.size());
  EXPECT_EQ(DescribeNonFinite("x", ok.data(), ok.size()), "");
  EXPECT_TRUE(AllFinite(ok.data(), 0));

  const std::vector<float> bad = {1.0f, 2.0f, -inf, nan, inf};
  EXPECT_FALSE(AllFinite(bad.data(), bad.size()));
  EXPECT_EQ(FirstNonFinite(bad.data(), bad.size()), 2u);
  EXPECT_EQ(DescribeNonFinite("z", bad.data(), bad.size()), "z[2] is -inf");
  EXPECT_EQ(DescribeNonFinite("z", bad.data() + 3, 2), "z[0] is nan");
  EXPECT_EQ(DescribeNonFinite("z", bad.data() + 4, 1), "z[0] is +inf");
  EXPECT_TRUE(AllFinite(bad.data(), 2));  // only the first two

  const std::vector<double> d = {1.0, std::numeric_limits<double>::quiet_NaN()};
  EXPECT_EQ(FirstNonFinite(d.data(), 2), 1u);
  EXPECT_TRUE(AllFinite(d.data(), 1));
}

}  // namespace
}  // namespace nnplay
