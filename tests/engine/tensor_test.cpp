// tensor_test.cpp: shape bookkeeping and element access of Tensor.
#include "tensor.h"

#include <gtest/gtest.h>

namespace nnplay {
namespace {

TEST(Tensor, CountsElementsAndIndexesRowMajor) {
  Tensor t({2, 3, 4}, 1.5f);
  EXPECT_EQ(t.size(), 24u);
  EXPECT_EQ(t.rank(), 3);
  EXPECT_EQ(t[23], 1.5f);
  t.at(1, 2, 3) = 7.0f;
  EXPECT_EQ(t[1 * 12 + 2 * 4 + 3], 7.0f);
  Tensor m({3, 5});
  m.at(2, 4) = -1.0f;
  EXPECT_EQ(m[14], -1.0f);
}

TEST(Tensor, EmptyShapeHoldsNothing) {
  EXPECT_EQ(Tensor::Count({}), 0u);
  EXPECT_EQ(Tensor::Count({4, 0}), 0u);
  EXPECT_TRUE(Tensor().empty());
}

TEST(Tensor, EqualityComparesShapeAndValues) {
  Tensor a({2, 2}, 1.0f), b({2, 2}, 1.0f), c({4}, 1.0f);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  b.at(1, 1) = 2.0f;
  EXPECT_NE(a, b);
}

TEST(Tensor, Resize2dKeepsTheOverlap) {
  Tensor t({2, 3});
  t.values() = {1, 2, 3, 4, 5, 6};
  t.Resize2d(3, 2, -1.0f);
  EXPECT_EQ(t.shape(), (std::vector<int>{3, 2}));
  EXPECT_EQ(t.values(), (std::vector<float>{1, 2, 4, 5, -1, -1}));
}

}  // namespace
}  // namespace nnplay
