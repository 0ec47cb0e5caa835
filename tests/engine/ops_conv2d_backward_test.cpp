// ops_conv2d_backward_test.cpp: conv2d's backward pass. A hand example, then gradients
// against finite differences of an independent double-precision forward (itself checked
// against conv2d_forward_ref) on shapes with groups, padding, stride and dilation.
#include "ops/conv2d_backward.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "ops_test_util.h"

namespace nnplay {
namespace {

using testing::ExpectGradientMatches;

// The convolution written out once more, in double, straight from the definition:
// out[o, oy, ox] = b[o] + Σ_{ci,ky,kx} in[g·cpg + ci, oy·s − p + ky·d, …] · w[o, ci, ky, kx].
std::vector<double> ConvForwardDouble(const Conv2dParams& p, const std::vector<double>& in,
                                      const std::vector<double>& w, const std::vector<double>& b) {
  const int oh = p.out_h(), ow = p.out_w(), cpg = p.in_c / p.groups, opg = p.out_c / p.groups;
  std::vector<double> out(p.output_size());
  for (int o = 0; o < p.out_c; ++o)
    for (int oy = 0; oy < oh; ++oy)
      for (int ox = 0; ox < ow; ++ox) {
        double acc = b[o];
        for (int ci = 0; ci < cpg; ++ci)
          for (int ky = 0; ky < p.k_h; ++ky)
            for (int kx = 0; kx < p.k_w; ++kx) {
              const int iy = oy * p.stride_h - p.pad_top + ky * p.dil_h;
              const int ix = ox * p.stride_w - p.pad_left + kx * p.dil_w;
              if (iy < 0 || iy >= p.in_h || ix < 0 || ix >= p.in_w) continue;
              const int c = (o / opg) * cpg + ci;
              acc += in[(c * p.in_h + iy) * p.in_w + ix] *
                     w[((o * cpg + ci) * p.k_h + ky) * p.k_w + kx];
            }
        out[(o * oh + oy) * ow + ox] = acc;
      }
  return out;
}

TEST(OpsConv2dBackward, HandExample) {
  // 3×3 ramp 1..9, 2×2 filter [[1, 2], [3, 4]], dout all ones (2×2):
  // dW[ky, kx] = Σ of the input under that tap over the 4 windows:
  //   [[1+2+4+5, 2+3+5+6], [4+5+7+8, 5+6+8+9]] = [[12, 16], [24, 28]];
  // dIn[y, x] = Σ of the filter taps that touch (y, x):
  //   [[1, 1+2, 2], [1+3, 1+2+3+4, 2+4], [3, 3+4, 4]]; db = 4 (four outputs).
  Conv2dParams p;
  p.in_h = p.in_w = 3, p.k_h = p.k_w = 2;
  const std::vector<float> in = {1, 2, 3, 4, 5, 6, 7, 8, 9}, w = {1, 2, 3, 4}, dout(4, 1.0f);
  std::vector<float> din(9, 0.0f), dw(4, 0.0f);
  float db = 0;
  conv2d_backward_ref(p, in.data(), w.data(), dout.data(), din.data(), dw.data(), &db);
  EXPECT_EQ(dw, (std::vector<float>{12, 16, 24, 28}));
  EXPECT_EQ(din, (std::vector<float>{1, 3, 2, 4, 10, 6, 3, 7, 4}));
  EXPECT_EQ(db, 4.0f);
  // Null outputs are skipped; the others still accumulate.
  conv2d_backward_ref(p, in.data(), w.data(), dout.data(), static_cast<float*>(nullptr), dw.data(),
                      static_cast<float*>(nullptr));
  EXPECT_EQ(dw, (std::vector<float>{24, 32, 48, 56}));
}

TEST(OpsConv2dBackward, E9EdgeFilterWeightGradient) {
  // E9's image (every row [10,10,10,0,0,0]) with dout all ones over the 4×4 output:
  // dW[ky, kx] = Σ_{oy,ox} I(oy + ky, ox + kx) = 4 rows · 10 · #{ox < 3 − kx}
  //            = 40 · [3, 2, 1] for kx = 0, 1, 2, the same for every ky.
  Conv2dParams p;
  p.in_h = p.in_w = 6, p.k_h = p.k_w = 3;
  std::vector<float> in;
  for (int y = 0; y < 6; ++y) in.insert(in.end(), {10, 10, 10, 0, 0, 0});
  const std::vector<float> w(9, 0.0f), dout(16, 1.0f);
  std::vector<float> dw(9, 0.0f);
  conv2d_backward_ref(p, in.data(), w.data(), dout.data(), static_cast<float*>(nullptr), dw.data(),
                      static_cast<float*>(nullptr));
  for (int ky = 0; ky < 3; ++ky) {
    EXPECT_EQ(dw[ky * 3 + 0], 120.0f);
    EXPECT_EQ(dw[ky * 3 + 1], 80.0f);
    EXPECT_EQ(dw[ky * 3 + 2], 40.0f);
  }
}

TEST(OpsConv2dBackward, MatchesFiniteDifferencesOnAssortedShapes) {
  struct Case {
    int in_c, h, w, out_c, k_h, k_w, s_h, s_w, d_h, d_w, pt, pl, pb, pr, groups;
  };
  const Case cases[] = {
      {1, 5, 5, 1, 3, 3, 1, 1, 1, 1, 0, 0, 0, 0, 1},  // plain
      {2, 6, 7, 3, 3, 2, 2, 1, 1, 1, 1, 0, 2, 1, 1},  // stride, uneven padding
      {4, 7, 5, 2, 2, 3, 1, 2, 2, 1, 1, 1, 0, 2, 2},  // groups, dilation
      {3, 4, 4, 3, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 3},  // depthwise, "same"
      {2, 3, 1, 4, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1},  // 1×1 on a column
  };
  uint64_t seed = 120;
  for (const Case& c : cases) {
    Conv2dParams p;
    p.in_c = c.in_c, p.in_h = c.h, p.in_w = c.w, p.out_c = c.out_c, p.k_h = c.k_h, p.k_w = c.k_w;
    p.stride_h = c.s_h, p.stride_w = c.s_w, p.dil_h = c.d_h, p.dil_w = c.d_w;
    p.pad_top = c.pt, p.pad_left = c.pl, p.pad_bottom = c.pb, p.pad_right = c.pr;
    p.groups = c.groups;
    ASSERT_EQ(Conv2dValidate(p), "");
    ASSERT_GT(p.output_size(), 0u);
    SCOPED_TRACE(::testing::Message() << "in " << c.in_c << "x" << c.h << "x" << c.w << " out_c "
                                      << c.out_c << " groups " << c.groups);
    std::vector<double> in = testing::RandomVector(++seed, p.input_size());
    std::vector<double> w = testing::RandomVector(++seed, p.weight_size());
    std::vector<double> b = testing::RandomVector(++seed, p.out_c);
    const std::vector<double> g = testing::RandomVector(++seed, p.output_size());

    // The double forward agrees with the engine's float reference on the same values.
    std::vector<float> in_f(in.begin(), in.end()), w_f(w.begin(), w.end()), b_f(b.begin(), b.end());
    std::vector<float> out_f(p.output_size());
    conv2d_forward_ref(p, in_f.data(), w_f.data(), b_f.data(), out_f.data());
    const std::vector<double> out_d = ConvForwardDouble(p, in, w, b);
    for (size_t i = 0; i < out_d.size(); ++i)
      ASSERT_NEAR(out_f[i], out_d[i], 1e-5) << "forward index " << i;

    auto loss = [&] { return testing::Dot(ConvForwardDouble(p, in, w, b), g); };
    std::vector<double> din = testing::Prefilled(in.size()), dw = testing::Prefilled(w.size()),
                        db = testing::Prefilled(b.size());
    conv2d_backward_ref(p, in.data(), w.data(), g.data(), din.data(), dw.data(), db.data());
    ExpectGradientMatches("dinput", &in, loss, testing::Unprefill(din));
    ExpectGradientMatches("dweights", &w, loss, testing::Unprefill(dw));
    ExpectGradientMatches("dbias", &b, loss, testing::Unprefill(db));

    // The float instantiation gives the same gradients to float accuracy.
    const std::vector<float> g_f(g.begin(), g.end());
    std::vector<float> din_f(in.size(), 0.0f), dw_f(w.size(), 0.0f), db_f(b.size(), 0.0f);
    conv2d_backward_ref(p, in_f.data(), w_f.data(), g_f.data(), din_f.data(), dw_f.data(),
                        db_f.data());
    const std::vector<double> din_d = testing::Unprefill(din);
    for (size_t i = 0; i < din_d.size(); ++i)
      ASSERT_NEAR(din_f[i], din_d[i], 1e-5) << "float dinput index " << i;
  }
}

}  // namespace
}  // namespace nnplay

namespace nnplay {
namespace {

// The E9 example with doutput = 1 everywhere: dL/dW[0][0][0][1] sums the input values the
// weight (0, 1) met over the 4x4 outputs: rows 0..3, columns 1..4 of the image, of which
// columns 1, 2 are 10 and 3, 4 are 0 -> 4 rows × (10 + 10 + 0 + 0) = 80.
TEST(Conv2dBackward, WeightGradientTraceWritesTheSumOut) {
  Conv2dParams p;
  p.in_h = p.in_w = 6, p.k_h = p.k_w = 3;
  std::vector<float> image;
  for (int y = 0; y < 6; ++y) image.insert(image.end(), {10, 10, 10, 0, 0, 0});
  const std::vector<float> dout(16, 1.0f);
  const Conv2dWeightGradTrace t = TraceConv2dWeightGrad(p, image.data(), dout.data(), 0, 0, 0, 1);
  ASSERT_EQ(t.terms.size(), 16u);
  EXPECT_EQ(t.sum, 80.0f);
  EXPECT_EQ(t.terms[3].in_x, 4);
  EXPECT_EQ(t.text.rfind("dW[0][0][0][1] = 1\xC3\x97"
                         "10 + 1\xC3\x97"
                         "10 + 1\xC3\x97"
                         "0 + ",
                         0),
            0u)
      << t.text;
  EXPECT_NE(t.text.find("= 80"), std::string::npos);
  // With padding 1 the corner weight (0, 0) misses the top row and left column: it meets
  // image rows 0..4 and columns 0..4 of the 6x6 output's first five rows and columns
  // (25 taps), of which columns 0..2 are 10: 5 × 3 × 10 = 150 with doutput = 1.
  p.pad_top = p.pad_left = p.pad_bottom = p.pad_right = 1;
  const std::vector<float> dout6(36, 1.0f);
  const Conv2dWeightGradTrace c = TraceConv2dWeightGrad(p, image.data(), dout6.data(), 0, 0, 0, 0);
  EXPECT_EQ(c.terms.size(), 25u);
  EXPECT_EQ(c.sum, 150.0f);
}

}  // namespace
}  // namespace nnplay
