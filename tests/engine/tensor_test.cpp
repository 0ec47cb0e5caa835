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

TEST(Tensor, ResizeKeepsTheOverlap) {
  Tensor t({2, 3});
  t.values() = {1, 2, 3, 4, 5, 6};
  t.Resize({3, 2}, -1.0f);
  EXPECT_EQ(t.shape(), (std::vector<int>{3, 2}));
  EXPECT_EQ(t.values(), (std::vector<float>{1, 2, 4, 5, -1, -1}));
  // Rank 3: [2][2][2] 1..8 -> [1][3][1]: keeps (0,0,0)=1 and (0,1,0)=3.
  Tensor c({2, 2, 2});
  c.values() = {1, 2, 3, 4, 5, 6, 7, 8};
  c.Resize({1, 3, 1});
  EXPECT_EQ(c.values(), (std::vector<float>{1, 3, 0}));
  // Growing keeps every value at its index.
  c.Resize({2, 3, 2}, 9.0f);
  EXPECT_EQ(c.values(), (std::vector<float>{1, 9, 3, 9, 0, 9, 9, 9, 9, 9, 9, 9}));
  EXPECT_EQ(c.at(0, 1, 0), 3.0f);
  EXPECT_EQ(c.plane(1)[0], 9.0f);
}

}  // namespace
}  // namespace nnplay
