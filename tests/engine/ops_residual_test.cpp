// ops_residual_test.cpp: the skip connection (E11) and flatten.
#include "ops/residual.h"

#include <gtest/gtest.h>

#include <utility>
#include <vector>

#include "ops/activations.h"
#include "ops/dense.h"
#include "ops/flatten.h"
#include "ops_test_util.h"

namespace nnplay {
namespace {

using testing::ExpectGradientMatches;

// A residual block on one example: a1 = relu(W1 x + b1); z2 = W2 a1 + b2;
// y = relu(z2 + x). Forward caches the pre-activations for the backward.
struct Block {
  int d;
  std::vector<double> w1, b1, w2, b2;
  std::vector<double> z1, a1, z2, s, y;

  explicit Block(int dim)
      : d(dim),
        w1(dim * dim),
        b1(dim),
        w2(dim * dim),
        b2(dim),
        z1(dim),
        a1(dim),
        z2(dim),
        s(dim),
        y(dim) {}

  void Forward(const std::vector<double>& x, bool skip) {
    dense_forward_ref(1, d, d, x.data(), w1.data(), b1.data(), z1.data());
    relu_forward_ref(z1.data(), a1.data(), d);
    dense_forward_ref(1, d, d, a1.data(), w2.data(), b2.data(), z2.data());
    if (skip) {
      residual_forward(z2.data(), x.data(), s.data(), d);
    } else {
      s = z2;
    }
    relu_forward_ref(s.data(), y.data(), d);
  }

  // Returns dx; the weight gradients are not needed here.
  std::vector<double> Backward(const std::vector<double>& x, const std::vector<double>& dy,
                               bool skip) {
    std::vector<double> ds(d, 0.0), dz2(d, 0.0), da1(d, 0.0), dz1(d, 0.0), dx(d, 0.0);
    relu_backward_ref(s.data(), dy.data(), ds.data(), d);
    if (skip) {
      residual_backward(ds.data(), dz2.data(), dx.data(), d);  // dx gets the "+1" here
    } else {
      dz2 = ds;
    }
    dense_backward_ref(1, d, d, a1.data(), w2.data(), dz2.data(), da1.data(),
                       static_cast<double*>(nullptr), static_cast<double*>(nullptr));
    relu_backward_ref(z1.data(), da1.data(), dz1.data(), d);
    dense_backward_ref(1, d, d, x.data(), w1.data(), dz1.data(), dx.data(),
                       static_cast<double*>(nullptr), static_cast<double*>(nullptr));
    return dx;
  }
};

TEST(OpsResidual, HandValues) {
  const std::vector<float> f = {1, 2, 3}, x = {10, 20, 30}, dy = {1, -1, 2};
  std::vector<float> y(3), df(3, 1.0f), dx(3, 0.0f);
  residual_forward(f.data(), x.data(), y.data(), 3);
  EXPECT_EQ(y, (std::vector<float>{11, 22, 33}));
  residual_backward(dy.data(), df.data(), dx.data(), 3);
  EXPECT_EQ(df, (std::vector<float>{2, 0, 3}));  // accumulated onto 1
  EXPECT_EQ(dx, dy);
}

TEST(OpsResidual, E11ZeroWeightsMakeTheBlockTheIdentity) {
  // W = 0, b = 0: z2 = 0, y = relu(0 + x) = x for x ≥ 0 (x = a[l], itself a ReLU output).
  Block block(4);
  const std::vector<double> x = {0.5, 1.5, 0.0, 2.0};
  block.Forward(x, /*skip=*/true);
  EXPECT_EQ(block.y, x);
  // Backward: ∂L/∂x = ∂L/∂y · (∂F/∂x + 1) = ∂L/∂y · (0 + 1) where the ReLU passes (x > 0).
  const std::vector<double> dy = {1, 2, 3, 4};
  EXPECT_EQ(block.Backward(x, dy, true), (std::vector<double>{1, 2, 0, 4}));
  // Without the skip the same block passes nothing back: the gradient dies.
  block.Forward(x, /*skip=*/false);
  EXPECT_EQ(block.Backward(x, dy, false), (std::vector<double>{0, 0, 0, 0}));
}

TEST(OpsResidual, BlockBackwardMatchesFiniteDifferences) {
  Block block(5);
  block.w1 = testing::RandomVector(101, 25), block.b1 = testing::RandomVector(102, 5);
  block.w2 = testing::RandomVector(103, 25), block.b2 = testing::RandomVector(104, 5);
  std::vector<double> x = testing::RandomVector(105, 5, 0.1, 2.0);
  const std::vector<double> g = testing::RandomVector(106, 5);
  auto loss = [&] {
    block.Forward(x, true);
    return testing::Dot(block.y, g);
  };
  loss();
  ExpectGradientMatches("dx", &x, loss, block.Backward(x, g, true));
}

TEST(OpsFlatten, ShapeAndValues) {
  EXPECT_EQ(FlattenShape({2, 3, 4, 5}), (std::vector<int>{2, 60}));
  EXPECT_EQ(FlattenShape({2, 3, 4, 5}, 2), (std::vector<int>{2, 3, 20}));
  EXPECT_EQ(FlattenShape({2, 3, 4, 5}, 0), (std::vector<int>{120}));
  EXPECT_EQ(FlattenShape({7}), (std::vector<int>{7, 1}));

  Tensor t({2, 2, 3});
  for (size_t i = 0; i < t.size(); ++i) t[i] = static_cast<float>(i);
  const std::vector<float> values = t.values();
  Tensor flat = Reshape(std::move(t), FlattenShape({2, 2, 3}));
  EXPECT_EQ(flat.shape(), (std::vector<int>{2, 6}));
  EXPECT_EQ(flat.values(), values);
  // Backward: the flat gradient reshaped to the original shape, values in place.
  Tensor back = Reshape(std::move(flat), {2, 2, 3});
  EXPECT_EQ(back.shape(), (std::vector<int>{2, 2, 3}));
  EXPECT_EQ(back.values(), values);
  EXPECT_TRUE(Reshape(Tensor({2, 3}), {5}).empty());  // counts differ
}

}  // namespace
}  // namespace nnplay
