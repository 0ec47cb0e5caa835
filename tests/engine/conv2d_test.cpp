// conv2d_test.cpp: the convolution kernels. Expected values are computed by hand in the
// comments; the SIMD128 kernel is checked against the reference on odd shapes.
#include "kernels/conv2d.h"
#include "kernels/conv2d_transpose.h"

#include "ops/rng.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace nnplay {
namespace {

// 5x5 image holding 1..25 row-major: I(y, x) = 5y + x + 1.
std::vector<float> Ramp5x5() {
  std::vector<float> v(25);
  for (int i = 0; i < 25; ++i) v[i] = static_cast<float>(i + 1);
  return v;
}

Conv2dParams Single(int h, int w, int k) {
  Conv2dParams p;
  p.in_h = h, p.in_w = w, p.k_h = p.k_w = k;
  return p;
}

std::vector<float> RunBoth(const Conv2dParams& p, const std::vector<float>& in,
                           const std::vector<float>& w, const float* bias = nullptr) {
  EXPECT_EQ(Conv2dValidate(p), "");
  std::vector<float> out(p.output_size(), -999.0f);
  conv2d_forward_ref(p, in.data(), w.data(), bias, out.data());
  std::vector<float> simd(p.output_size(), -999.0f);
  conv2d_forward_simd128(p, in.data(), w.data(), bias, simd.data());
  EXPECT_EQ(out, simd);
  return out;
}

TEST(Conv2d, OutputExtentFollowsTheFormula) {
  // ⌊(n + p1 + p2 − d(k−1) − 1)/s⌋ + 1
  EXPECT_EQ(Conv2dOutExtent(6, 0, 0, 3, 1, 1), 4);  // (6 − 2 − 1)/1 + 1
  EXPECT_EQ(Conv2dOutExtent(5, 0, 0, 3, 2, 1), 2);  // (5 − 2 − 1)/2 + 1
  EXPECT_EQ(Conv2dOutExtent(5, 0, 0, 2, 1, 2), 3);  // (5 − 2 − 1)/1 + 1
  EXPECT_EQ(Conv2dOutExtent(7, 1, 1, 3, 2, 1), 4);  // (9 − 2 − 1)/2 + 1
  EXPECT_EQ(Conv2dOutExtent(3, 0, 0, 5, 1, 1), 0);  // kernel larger than input
  EXPECT_EQ(Conv2dOutExtent(3, 1, 1, 5, 1, 1), 1);  // padding makes it fit
  EXPECT_EQ(Conv2dOutExtent(4, 0, 0, 3, 1, 3), 0);  // dilated span 7 > 4
}

TEST(Conv2d, E9VerticalEdge) {
  // Every image row is [10,10,10,0,0,0], every filter row [1,0,-1]: each output row is
  // 3·(I[x] − I[x+2]) = [3·0, 3·10, 3·10, 3·0] = [0, 30, 30, 0].
  std::vector<float> image, filter;
  for (int y = 0; y < 6; ++y) image.insert(image.end(), {10, 10, 10, 0, 0, 0});
  for (int y = 0; y < 3; ++y) filter.insert(filter.end(), {1, 0, -1});
  const Conv2dParams p = Single(6, 6, 3);
  ASSERT_EQ(p.out_h(), 4);
  ASSERT_EQ(p.out_w(), 4);
  const std::vector<float> out = RunBoth(p, image, filter);
  for (int y = 0; y < 4; ++y) {
    EXPECT_EQ(out[y * 4 + 0], 0.0f);
    EXPECT_EQ(out[y * 4 + 1], 30.0f);
    EXPECT_EQ(out[y * 4 + 2], 30.0f);
    EXPECT_EQ(out[y * 4 + 3], 0.0f);
  }
}

TEST(Conv2d, E9WithPaddingOne) {
  // Padded rows are [0,10,10,10,0,0,0,0]; per image row r(x) = P[x] − P[x+2] =
  // [−10, 0, 10, 10, 0, 0]. Rows 0 and 5 see two image rows and one padding row (2·r),
  // rows 1..4 see three (3·r).
  std::vector<float> image, filter;
  for (int y = 0; y < 6; ++y) image.insert(image.end(), {10, 10, 10, 0, 0, 0});
  for (int y = 0; y < 3; ++y) filter.insert(filter.end(), {1, 0, -1});
  Conv2dParams p = Single(6, 6, 3);
  p.pad_top = p.pad_left = p.pad_bottom = p.pad_right = 1;
  const std::vector<float> out = RunBoth(p, image, filter);
  const std::vector<float> edge = {-20, 0, 20, 20, 0, 0}, mid = {-30, 0, 30, 30, 0, 0};
  for (int y = 0; y < 6; ++y)
    for (int x = 0; x < 6; ++x)
      EXPECT_EQ(out[y * 6 + x], (y == 0 || y == 5 ? edge : mid)[x]) << y << "," << x;
}

TEST(Conv2d, StrideTwo) {
  // 3x3 box of ones on the 1..25 ramp, stride 2: window sums
  // (0,0) 1+2+3+6+7+8+11+12+13 = 63, (0,1) 3+4+5+8+9+10+13+14+15 = 81,
  // (1,0) 11+12+13+16+17+18+21+22+23 = 153, (1,1) 13+14+15+18+19+20+23+24+25 = 171.
  Conv2dParams p = Single(5, 5, 3);
  p.stride_h = p.stride_w = 2;
  EXPECT_EQ(RunBoth(p, Ramp5x5(), std::vector<float>(9, 1.0f)),
            (std::vector<float>{63, 81, 153, 171}));
}

TEST(Conv2d, DilationTwo) {
  // Filter [[1,2],[3,4]], dilation 2: out = I(y,x) + 2·I(y,x+2) + 3·I(y+2,x) + 4·I(y+2,x+2)
  // = 10·I(y,x) + 2·2 + 3·10 + 4·12 = 10·I(y,x) + 82 on the ramp.
  Conv2dParams p = Single(5, 5, 2);
  p.dil_h = p.dil_w = 2;
  EXPECT_EQ(RunBoth(p, Ramp5x5(), {1, 2, 3, 4}),
            (std::vector<float>{92, 102, 112, 142, 152, 162, 192, 202, 212}));
}

TEST(Conv2d, SamePaddingStrideTwoCorners) {
  // 5x5 ramp, 3x3 ones, padding 1 all round, stride 2 → 3x3. Corners and centre by hand:
  // (0,0) 1+2+6+7 = 16; (1,1) 7+8+9+12+13+14+17+18+19 = 117; (2,2) 19+20+24+25 = 88;
  // (0,2) 4+5+9+10 = 28; (2,0) 16+17+21+22 = 76.
  Conv2dParams p = Single(5, 5, 3);
  p.stride_h = p.stride_w = 2;
  p.pad_top = p.pad_left = p.pad_bottom = p.pad_right = 1;
  const std::vector<float> out = RunBoth(p, Ramp5x5(), std::vector<float>(9, 1.0f));
  ASSERT_EQ(out.size(), 9u);
  EXPECT_EQ(out[0], 16.0f);
  EXPECT_EQ(out[4], 117.0f);
  EXPECT_EQ(out[8], 88.0f);
  EXPECT_EQ(out[2], 28.0f);
  EXPECT_EQ(out[6], 76.0f);
}

TEST(Conv2d, ChannelsBiasAndGroups) {
  // Two channels c0 = [[1,2],[3,4]], c1 = [[5,6],[7,8]].
  const std::vector<float> in = {1, 2, 3, 4, 5, 6, 7, 8};
  Conv2dParams p;
  p.in_c = 2, p.in_h = p.in_w = 2, p.out_c = 1, p.k_h = p.k_w = 1;
  // One 1x1 filter [1, 10] with bias 0.5: c0 + 10·c1 + 0.5.
  const float bias = 0.5f;
  EXPECT_EQ(RunBoth(p, in, {1, 10}, &bias), (std::vector<float>{51.5f, 62.5f, 73.5f, 84.5f}));
  // groups = 2: output 0 sees only c0 (×2), output 1 only c1 (×3).
  p.out_c = 2, p.groups = 2;
  EXPECT_EQ(RunBoth(p, in, {2, 3}), (std::vector<float>{2, 4, 6, 8, 15, 18, 21, 24}));
}

TEST(Conv2d, ValidateRejectsBadParameters) {
  Conv2dParams p = Single(4, 4, 3);
  EXPECT_EQ(Conv2dValidate(p), "");
  p.stride_w = 0;
  EXPECT_NE(Conv2dValidate(p), "");
  p = Single(4, 4, 3);
  p.in_c = 3, p.groups = 2;
  EXPECT_NE(Conv2dValidate(p), "");
  p = Single(4, 4, 3);
  p.pad_left = -1;
  EXPECT_NE(Conv2dValidate(p), "");
}

TEST(Conv2d, MacsSkipPaddedTaps) {
  // 3x3 kernel over 3x3 input with padding 1: per axis the taps in bounds are
  // 2 + 3 + 2 = 7, so 7·7 = 49 multiply-adds (not 81).
  Conv2dParams p = Single(3, 3, 3);
  p.pad_top = p.pad_left = p.pad_bottom = p.pad_right = 1;
  EXPECT_EQ(p.macs(), 49u);
}

// The SIMD kernel against the reference on odd shapes: sizes 1–13, channels 1–5, every
// padding 0–3, stride 1–4, dilation 1–3, with and without bias and groups.
TEST(Conv2d, Simd128MatchesReferenceOnOddShapes) {
  // PCG32, not <random>'s distributions: native and wasm draw the very same shapes.
  Pcg32 rng(12345);
  auto value = [&](Pcg32&) { return rng.NextFloat01() * 4.0f - 2.0f; };
  auto pick = [&](int lo, int hi) {
    return lo + static_cast<int>(rng.NextU32() % static_cast<uint32_t>(hi - lo + 1));
  };
  int checked = 0;
  for (int pad = 0; pad <= 3; ++pad) {
    for (int stride = 1; stride <= 4; ++stride) {
      for (int dil = 1; dil <= 3; ++dil) {
        for (int trial = 0; trial < 12; ++trial) {
          Conv2dParams p;
          p.groups = pick(1, 2);
          p.in_c = p.groups * pick(1, 5 / p.groups);
          p.out_c = p.groups * pick(1, 2);
          p.in_h = pick(1, 13), p.in_w = pick(1, 13);
          p.k_h = pick(1, 5), p.k_w = pick(1, 5);
          p.stride_h = stride, p.stride_w = pick(1, 4);
          p.dil_h = dil, p.dil_w = pick(1, 3);
          p.pad_top = pad, p.pad_bottom = pick(0, 3), p.pad_left = pick(0, 3), p.pad_right = pad;
          ASSERT_EQ(Conv2dValidate(p), "");
          std::vector<float> in(p.input_size()), w(p.weight_size()), b(p.out_c);
          for (float& v : in) v = value(rng);
          for (float& v : w) v = value(rng);
          for (float& v : b) v = value(rng);
          const float* bias = trial % 2 ? b.data() : nullptr;
          std::vector<float> want(p.output_size()), got(p.output_size(), NAN);
          conv2d_forward_ref(p, in.data(), w.data(), bias, want.data());
          conv2d_forward_simd128(p, in.data(), w.data(), bias, got.data());
          for (size_t i = 0; i < want.size(); ++i) {
            const float tol = 1e-5f * (1.0f + std::fabs(want[i]));
            ASSERT_NEAR(got[i], want[i], tol)
                << "index " << i << " expected " << want[i] << " actual " << got[i] << " (in "
                << p.in_c << "x" << p.in_h << "x" << p.in_w << ", out_c " << p.out_c << ", k "
                << p.k_h << "x" << p.k_w << ", s " << p.stride_h << "/" << p.stride_w << ", d "
                << p.dil_h << "/" << p.dil_w << ", groups " << p.groups << ")";
          }
          ++checked;
        }
      }
    }
  }
  EXPECT_EQ(checked, 4 * 4 * 3 * 12);
}

TEST(Conv2d, DispatchGivesTheReferenceValuesOnLargeInput) {
  // Large enough that conv2d_forward takes the SIMD path.
  Conv2dParams p = Single(37, 41, 3);
  p.out_c = 2;
  std::vector<float> in(p.input_size()), w(p.weight_size());
  for (size_t i = 0; i < in.size(); ++i) in[i] = static_cast<float>((i * 7919) % 23) - 11.0f;
  for (size_t i = 0; i < w.size(); ++i) w[i] = static_cast<float>(i % 5) - 2.0f;
  std::vector<float> want(p.output_size()), got(p.output_size());
  conv2d_forward_ref(p, in.data(), w.data(), nullptr, want.data());
  conv2d_forward(p, in.data(), w.data(), nullptr, got.data());
  EXPECT_EQ(want, got);  // integer-valued sums: exact in float
}

}  // namespace
}  // namespace nnplay

namespace nnplay {
namespace {

TEST(Conv2dTranspose, StrideTwoSpreadsEachValueOverABlock) {
  // A 2x2 filter of ones, stride 2: each input value becomes a 2x2 block of itself.
  Conv2dParams p;
  p.in_h = p.in_w = 2, p.k_h = p.k_w = 2, p.stride_h = p.stride_w = 2;
  ASSERT_EQ(Conv2dTransposeOutExtent(2, 0, 0, 2, 2, 1), 4);  // (2−1)·2 + 1·(2−1) + 1
  std::vector<float> out(16, -1.0f);
  const std::vector<float> in = {1, 2, 3, 4}, w = {1, 1, 1, 1};
  conv2d_transpose_forward_ref(p, in.data(), w.data(), out.data());
  EXPECT_EQ(out, (std::vector<float>{1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4}));
}

TEST(Conv2dTranspose, StrideOneOverlapsAdd) {
  // y[a][b] = Σ x[i][j]·w[a−i][b−j] with w = [[1,0],[0,1]]: y11 = x11·w00 + x00·w11 = 4 + 1.
  Conv2dParams p;
  p.in_h = p.in_w = 2, p.k_h = p.k_w = 2;
  std::vector<float> out(9);
  const std::vector<float> in = {1, 2, 3, 4}, w = {1, 0, 0, 1};
  conv2d_transpose_forward_ref(p, in.data(), w.data(), out.data());
  EXPECT_EQ(out, (std::vector<float>{1, 2, 0, 3, 5, 2, 0, 3, 4}));
}

// The transposed convolution is the adjoint of the convolution with the channel roles
// swapped: <convT(x), y> = <x, conv(y)> for every x and y. An independent check of the
// index arithmetic on odd shapes, padding, stride and dilation.
TEST(Conv2dTranspose, IsTheAdjointOfConv2d) {
  Pcg32 rng(99);
  auto pick = [&](int lo, int hi) {
    return lo + static_cast<int>(rng.NextU32() % static_cast<uint32_t>(hi - lo + 1));
  };
  int checked = 0;
  for (int trial = 0; trial < 200; ++trial) {
    Conv2dParams t;  // the transposed convolution: in_c -> out_c
    t.in_c = pick(1, 3), t.out_c = pick(1, 3), t.in_h = pick(1, 7), t.in_w = pick(1, 7);
    t.k_h = pick(1, 4), t.k_w = pick(1, 4), t.stride_h = pick(1, 3), t.stride_w = pick(1, 3);
    t.dil_h = pick(1, 2), t.dil_w = pick(1, 2);
    t.pad_top = pick(0, 2), t.pad_bottom = pick(0, 2), t.pad_left = pick(0, 2),
    t.pad_right = pick(0, 2);
    const int oh =
        Conv2dTransposeOutExtent(t.in_h, t.pad_top, t.pad_bottom, t.k_h, t.stride_h, t.dil_h);
    const int ow =
        Conv2dTransposeOutExtent(t.in_w, t.pad_left, t.pad_right, t.k_w, t.stride_w, t.dil_w);
    if (oh == 0 || ow == 0) continue;
    Conv2dParams c = t;  // the convolution back: out_c -> in_c over the transposed output
    c.in_c = t.out_c, c.out_c = t.in_c, c.in_h = oh, c.in_w = ow;
    if (c.out_h() != t.in_h || c.out_w() != t.in_w) continue;  // stride leftovers
    std::vector<double> x(static_cast<size_t>(t.in_c * t.in_h * t.in_w));
    std::vector<float> xf(x.size()), w(static_cast<size_t>(t.out_c * t.in_c * t.k_h * t.k_w));
    std::vector<float> wc(w.size()), y(static_cast<size_t>(t.out_c * oh * ow));
    for (size_t i = 0; i < x.size(); ++i) xf[i] = static_cast<float>(pick(-4, 4));
    for (float& v : w) v = static_cast<float>(pick(-3, 3));
    for (float& v : y) v = static_cast<float>(pick(-4, 4));
    for (int o = 0; o < t.out_c; ++o)  // wc[c][o] = w[o][c]
      for (int ci = 0; ci < t.in_c; ++ci)
        for (int k = 0; k < t.k_h * t.k_w; ++k)
          wc[(static_cast<size_t>(ci) * t.out_c + o) * t.k_h * t.k_w + k] =
              w[(static_cast<size_t>(o) * t.in_c + ci) * t.k_h * t.k_w + k];
    std::vector<float> tx(y.size()), cy(xf.size());
    conv2d_transpose_forward_ref(t, xf.data(), w.data(), tx.data());
    conv2d_forward_ref(c, y.data(), wc.data(), nullptr, cy.data());
    double lhs = 0, rhs = 0;  // integer-valued: exact
    for (size_t i = 0; i < y.size(); ++i) lhs += static_cast<double>(tx[i]) * y[i];
    for (size_t i = 0; i < xf.size(); ++i) rhs += static_cast<double>(xf[i]) * cy[i];
    ASSERT_EQ(lhs, rhs) << "trial " << trial;
    ++checked;
  }
  EXPECT_GT(checked, 150);
}

}  // namespace
}  // namespace nnplay

namespace nnplay {
namespace {

// The transposed convolution's backward pass. Everything is integer-valued, so every sum
// below is exact in float and the checks are equalities:
// - dinput equals conv2d_forward_ref of doutput with the channel roles swapped (the adjoint);
// - dweights equals the finite difference with step 1 of L(W) = Σ doutput ⊙ convT(x, W),
//   exact because L is linear in W.
TEST(Conv2dTranspose, BackwardIsTheAdjointAndMatchesFiniteDifferences) {
  Pcg32 rng(7);
  auto pick = [&](int lo, int hi) {
    return lo + static_cast<int>(rng.NextU32() % static_cast<uint32_t>(hi - lo + 1));
  };
  int checked = 0;
  for (int trial = 0; trial < 60; ++trial) {
    Conv2dParams t;
    t.in_c = pick(1, 2), t.out_c = pick(1, 2), t.in_h = pick(1, 5), t.in_w = pick(1, 5);
    t.k_h = pick(1, 3), t.k_w = pick(1, 3), t.stride_h = pick(1, 3), t.stride_w = pick(1, 3);
    t.dil_h = pick(1, 2), t.dil_w = pick(1, 2), t.pad_top = pick(0, 1), t.pad_left = pick(0, 1);
    const int oh = Conv2dTransposeOutExtent(t.in_h, t.pad_top, 0, t.k_h, t.stride_h, t.dil_h);
    const int ow = Conv2dTransposeOutExtent(t.in_w, t.pad_left, 0, t.k_w, t.stride_w, t.dil_w);
    if (oh == 0 || ow == 0) continue;
    std::vector<float> x(static_cast<size_t>(t.in_c * t.in_h * t.in_w));
    std::vector<float> w(static_cast<size_t>(t.out_c * t.in_c * t.k_h * t.k_w));
    std::vector<float> dy(static_cast<size_t>(t.out_c * oh * ow));
    for (float& v : x) v = static_cast<float>(pick(-3, 3));
    for (float& v : w) v = static_cast<float>(pick(-3, 3));
    for (float& v : dy) v = static_cast<float>(pick(-3, 3));
    std::vector<float> dx(x.size(), 0.0f), dw(w.size(), 0.0f);
    conv2d_transpose_backward_ref(t, x.data(), w.data(), dy.data(), dx.data(), dw.data());

    Conv2dParams c = t;  // out_c -> in_c over the transposed output
    c.in_c = t.out_c, c.out_c = t.in_c, c.in_h = oh, c.in_w = ow, c.pad_bottom = c.pad_right = 0;
    if (c.out_h() == t.in_h && c.out_w() == t.in_w) {
      std::vector<float> wc(w.size()), expect(x.size());
      for (int o = 0; o < t.out_c; ++o)
        for (int ci = 0; ci < t.in_c; ++ci)
          for (int k = 0; k < t.k_h * t.k_w; ++k)
            wc[(static_cast<size_t>(ci) * t.out_c + o) * t.k_h * t.k_w + k] =
                w[(static_cast<size_t>(o) * t.in_c + ci) * t.k_h * t.k_w + k];
      conv2d_forward_ref(c, dy.data(), wc.data(), nullptr, expect.data());
      ASSERT_EQ(dx, expect) << "trial " << trial;
    }
    auto loss = [&](const std::vector<float>& weights) {
      std::vector<float> y(dy.size());
      conv2d_transpose_forward_ref(t, x.data(), weights.data(), y.data());
      double l = 0;
      for (size_t i = 0; i < y.size(); ++i) l += static_cast<double>(y[i]) * dy[i];
      return l;
    };
    for (size_t i = 0; i < w.size(); ++i) {
      std::vector<float> plus = w, minus = w;
      plus[i] += 1, minus[i] -= 1;
      ASSERT_EQ(dw[i], static_cast<float>((loss(plus) - loss(minus)) / 2)) << "weight " << i;
    }
    ++checked;
  }
  EXPECT_GT(checked, 40);
}

}  // namespace
}  // namespace nnplay

namespace nnplay {
namespace {

// Groups: a grouped transposed convolution equals the ungrouped one with the weights that
// cross groups set to zero (block-diagonal), on odd shapes with output padding.
TEST(Conv2dTranspose, GroupsAreABlockDiagonalFilterAndOutputPaddingAddsRows) {
  Pcg32 rng(2026);
  auto pick = [&](int lo, int hi) {
    return lo + static_cast<int>(rng.NextU32() % static_cast<uint32_t>(hi - lo + 1));
  };
  for (int trial = 0; trial < 80; ++trial) {
    Conv2dParams g;
    g.groups = pick(1, 3);
    g.in_c = g.groups * pick(1, 2), g.out_c = g.groups * pick(1, 2);
    g.in_h = pick(1, 5), g.in_w = pick(1, 6), g.k_h = pick(1, 3), g.k_w = pick(1, 4);
    g.stride_h = pick(1, 3), g.stride_w = pick(1, 3), g.dil_h = pick(1, 2), g.dil_w = pick(1, 2);
    g.pad_top = pick(0, 1), g.pad_bottom = pick(0, 1), g.pad_left = pick(0, 1);
    g.out_pad_h = pick(0, g.stride_h - 1), g.out_pad_w = pick(0, g.stride_w - 1);
    const int oh = Conv2dTransposeOutExtent(g.in_h, g.pad_top, g.pad_bottom, g.k_h, g.stride_h,
                                            g.dil_h, g.out_pad_h);
    const int ow = Conv2dTransposeOutExtent(g.in_w, g.pad_left, g.pad_right, g.k_w, g.stride_w,
                                            g.dil_w, g.out_pad_w);
    if (oh == 0 || ow == 0) continue;
    const int cpg = g.in_c / g.groups, opg = g.out_c / g.groups, kk = g.k_h * g.k_w;
    std::vector<float> x(static_cast<size_t>(g.in_c * g.in_h * g.in_w));
    std::vector<float> w(static_cast<size_t>(g.out_c * cpg * kk));
    for (float& v : x) v = static_cast<float>(pick(-4, 4));
    for (float& v : w) v = static_cast<float>(pick(-3, 3));
    Conv2dParams full = g;  // groups 1, output padding as pad_after − a (same values)
    full.groups = 1;
    std::vector<float> wf(static_cast<size_t>(g.out_c * g.in_c * kk), 0.0f);
    for (int o = 0; o < g.out_c; ++o)
      for (int ci = 0; ci < cpg; ++ci)
        for (int k = 0; k < kk; ++k)
          wf[(static_cast<size_t>(o) * g.in_c + (o / opg) * cpg + ci) * kk + k] =
              w[(static_cast<size_t>(o) * cpg + ci) * kk + k];
    std::vector<float> yg(static_cast<size_t>(g.out_c * oh * ow)), yf(yg.size());
    conv2d_transpose_forward_ref(g, x.data(), w.data(), yg.data());
    conv2d_transpose_forward_ref(full, x.data(), wf.data(), yf.data());
    ASSERT_EQ(yg, yf) << "trial " << trial;
    // Output padding: the rows and columns beyond the plain output (no padding after) hold
    // what a larger output would hold there: with pad_bottom = pad_right = 0 and no output
    // padding, cropping the first oh × ow gives the same values where they overlap.
    Conv2dParams plain = full;
    plain.out_pad_h = plain.out_pad_w = 0, plain.pad_bottom = plain.pad_right = 0;
    const int ph = Conv2dTransposeOutExtent(g.in_h, g.pad_top, 0, g.k_h, g.stride_h, g.dil_h);
    const int pw = Conv2dTransposeOutExtent(g.in_w, g.pad_left, 0, g.k_w, g.stride_w, g.dil_w);
    std::vector<float> yp(static_cast<size_t>(g.out_c * ph * pw));
    conv2d_transpose_forward_ref(plain, x.data(), wf.data(), yp.data());
    for (int o = 0; o < g.out_c; ++o)
      for (int y = 0; y < oh; ++y)
        for (int xx = 0; xx < ow; ++xx) {
          const float expect = y < ph && xx < pw ? yp[(static_cast<size_t>(o) * ph + y) * pw + xx]
                                                 : 0.0f;  // beyond every tap: zero
          ASSERT_EQ(yg[(static_cast<size_t>(o) * oh + y) * ow + xx], expect)
              << "trial " << trial << " at " << o << "," << y << "," << xx;
        }
  }
}

}  // namespace
}  // namespace nnplay
