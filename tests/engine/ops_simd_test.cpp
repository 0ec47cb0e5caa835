// ops_simd_test.cpp: the SIMD128 pooling, sigmoid/tanh and conv2d backward kernels against
// their scalar references, on odd shapes (1, 3, 7, 13, 127) and special values.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include "ops/activations.h"
#include "ops/conv2d_backward.h"
#include "ops/pool.h"
#include "ops_test_util.h"

namespace nnplay {
namespace {

using testing::ExpectAllNear;
using testing::ExpectBitEqual;
using testing::RandomVector;

const float kNan = std::numeric_limits<float>::quiet_NaN();
const float kInf = std::numeric_limits<float>::infinity();

// ---- pooling ------------------------------------------------------------------------------

std::vector<Pool2dParams> PoolShapes() {
  std::vector<Pool2dParams> out;
  const int sizes[] = {1, 3, 7, 13, 127};
  for (int h : {1, 3, 7, 13})
    for (int w : sizes)
      for (int k : {1, 2, 3})
        for (int s : {1, 2, 3})
          for (int pad : {0, 1}) {
            Pool2dParams p;
            p.c = 2, p.h = h, p.w = w, p.k_h = k, p.k_w = k == 1 ? 2 : k;
            p.stride_h = s, p.stride_w = s;
            p.pad_top = p.pad_left = pad, p.pad_bottom = p.pad_right = pad > 0 ? pad - 1 : 0;
            p.count_include_pad = (h + w) % 2 == 0;
            if (!Pool2dValidate(p).empty() || p.out_h() <= 0 || p.out_w() <= 0) continue;
            out.push_back(p);
          }
  return out;
}

std::string Describe(const Pool2dParams& p) {
  return "c" + std::to_string(p.c) + " h" + std::to_string(p.h) + " w" + std::to_string(p.w) +
         " k" + std::to_string(p.k_h) + "x" + std::to_string(p.k_w) + " s" +
         std::to_string(p.stride_w) + " pad" + std::to_string(p.pad_left);
}

// Bit for bit, except that a NaN may come out as any NaN: adding two NaNs gives either
// operand's bits (IEEE leaves it open, wasm is nondeterministic, compilers swap operands).
void ExpectBitEqualUpToNanBits(const std::vector<float>& want, const std::vector<float>& got) {
  ASSERT_EQ(want.size(), got.size());
  for (size_t i = 0; i < want.size(); ++i) {
    if (std::isnan(want[i])) {
      ASSERT_TRUE(std::isnan(got[i])) << "index " << i << " expected nan actual " << got[i];
      continue;
    }
    uint32_t a, b;
    std::memcpy(&a, &want[i], 4);
    std::memcpy(&b, &got[i], 4);
    ASSERT_EQ(a, b) << "index " << i << " expected " << want[i] << " actual " << got[i];
  }
}

// Max pooling only selects, so its NaNs keep their bits: bit for bit, argmax equal.
void ExpectPoolMatches(const Pool2dParams& p, const std::vector<float>& in) {
  SCOPED_TRACE(Describe(p));
  std::vector<float> want(p.output_size()), got(p.output_size(), -7.0f);
  std::vector<int> want_arg(p.output_size()), got_arg(p.output_size(), -1);
  maxpool2d_forward_ref(p, in.data(), want.data(), want_arg.data());
  maxpool2d_forward_simd128(p, in.data(), got.data(), got_arg.data());
  ExpectBitEqual(want, got);
  for (size_t i = 0; i < want_arg.size(); ++i)
    ASSERT_EQ(want_arg[i], got_arg[i]) << "argmax index " << i;
  std::fill(got.begin(), got.end(), -7.0f);
  maxpool2d_forward(p, in.data(), got.data(), nullptr);  // argmax optional
  ExpectBitEqual(want, got);
  avgpool2d_forward_ref(p, in.data(), want.data());
  avgpool2d_forward_simd128(p, in.data(), got.data());
  ExpectBitEqualUpToNanBits(want, got);
  std::fill(got.begin(), got.end(), -7.0f);
  avgpool2d_forward(p, in.data(), got.data());
  ExpectBitEqualUpToNanBits(want, got);
}

TEST(OpsSimdPool, MatchesReferenceOnOddShapes) {
  uint64_t seed = 1;
  for (const Pool2dParams& p : PoolShapes()) {
    ExpectPoolMatches(p, RandomVector<float>(seed++, p.input_size()));
    if (::testing::Test::HasFatalFailure()) return;
  }
}

TEST(OpsSimdPool, TiesTakeTheFirstMaximumInWindowOrder) {
  // Values from {0, 1, 2}: windows are full of ties.
  uint64_t seed = 100;
  for (const Pool2dParams& p : PoolShapes()) {
    std::vector<float> in = RandomVector<float>(seed++, p.input_size(), 0.0, 3.0);
    for (float& v : in) v = std::floor(v);
    ExpectPoolMatches(p, in);
    if (::testing::Test::HasFatalFailure()) return;
  }
  // All equal (−0 and +0 too): argmax is every window's first in-bounds tap.
  Pool2dParams p;
  p.h = 5, p.w = 13, p.k_h = p.k_w = 3, p.pad_top = p.pad_left = 1;
  std::vector<float> in(p.input_size(), 0.0f);
  for (size_t i = 0; i < in.size(); i += 2) in[i] = -0.0f;
  ExpectPoolMatches(p, in);
}

TEST(OpsSimdPool, NanWinsAndTheFirstNanIsRecorded) {
  uint64_t seed = 200;
  for (const Pool2dParams& p : PoolShapes()) {
    std::vector<float> in = RandomVector<float>(seed, p.input_size());
    Pcg32 rng(seed++, 3);
    for (float& v : in)
      if (rng.NextFloat01() < 0.15f) v = (rng.NextFloat01() < 0.5f ? kNan : -kNan);
    for (float& v : in)
      if (rng.NextFloat01() < 0.05f) v = (rng.NextFloat01() < 0.5f ? kInf : -kInf);
    ExpectPoolMatches(p, in);
    if (::testing::Test::HasFatalFailure()) return;
  }
}

// ---- sigmoid and tanh ---------------------------------------------------------------------

// |got − want| ≤ tol·|want|, plus two subnormal steps for results that underflow.
void ExpectRelNear(const std::vector<float>& x, const std::vector<float>& want,
                   const std::vector<float>& got, float tol) {
  ASSERT_EQ(want.size(), got.size());
  for (size_t i = 0; i < want.size(); ++i) {
    if (std::isnan(want[i])) {
      ASSERT_TRUE(std::isnan(got[i])) << "index " << i << " x " << x[i] << " actual " << got[i];
      continue;
    }
    ASSERT_EQ(std::signbit(want[i]), std::signbit(got[i]))
        << "index " << i << " x " << x[i] << " expected " << want[i] << " actual " << got[i];
    const float slack = tol * std::fabs(want[i]) + 2.0f * std::numeric_limits<float>::denorm_min();
    ASSERT_LE(std::fabs(got[i] - want[i]), slack)
        << "index " << i << " x " << x[i] << " expected " << want[i] << " actual " << got[i];
  }
}

std::vector<float> SpecialValues() {
  const float tiny = std::numeric_limits<float>::denorm_min();
  const float fmin = std::numeric_limits<float>::min();
  return {0.0f,
          -0.0f,
          tiny,
          -tiny,
          fmin,
          -fmin,
          1e-20f,
          -1e-20f,
          1e-4f,
          -1e-4f,
          0.5f,
          -0.5f,
          0.62f,
          0.63f,
          -0.624f,
          -0.626f,
          1.0f,
          -1.0f,
          9.0f,
          -9.0f,
          20.0f,
          -20.0f,
          87.0f,
          -87.0f,
          88.8f,
          -88.8f,
          100.0f,
          -100.0f,
          103.0f,
          -103.0f,
          104.5f,
          -104.5f,
          1e4f,
          -1e4f,
          kInf,
          -kInf,
          kNan,
          -kNan,
          std::numeric_limits<float>::max(),
          -std::numeric_limits<float>::max()};
}

void ExpectActivationsMatch(const std::vector<float>& x) {
  std::vector<float> want(x.size()), got(x.size(), -7.0f);
  sigmoid_forward_ref(x.data(), want.data(), x.size());
  sigmoid_forward_simd128(x.data(), got.data(), x.size());
  {
    SCOPED_TRACE("sigmoid");
    ExpectRelNear(x, want, got, 1e-6f);
  }
  std::fill(got.begin(), got.end(), -7.0f);
  sigmoid_forward(x.data(), got.data(), x.size());
  ExpectRelNear(x, want, got, 1e-6f);
  tanh_forward_ref(x.data(), want.data(), x.size());
  std::fill(got.begin(), got.end(), -7.0f);
  tanh_forward_simd128(x.data(), got.data(), x.size());
  {
    SCOPED_TRACE("tanh");
    ExpectRelNear(x, want, got, 1e-6f);
  }
  std::fill(got.begin(), got.end(), -7.0f);
  tanh_forward(x.data(), got.data(), x.size());
  ExpectRelNear(x, want, got, 1e-6f);
}

TEST(OpsSimdActivations, SigmoidTanhMatchReferenceOnOddSizes) {
  for (size_t n : {1, 3, 7, 13, 127}) {
    SCOPED_TRACE(n);
    ExpectActivationsMatch(RandomVector<float>(n, n, -8.0, 8.0));
    ExpectActivationsMatch(RandomVector<float>(n + 50, n, -120.0, 120.0));
  }
}

TEST(OpsSimdActivations, SpecialValues) {
  ExpectActivationsMatch(SpecialValues());
  // Exact where the reference is exact.
  const std::vector<float> x = {0.0f, -0.0f, 100.0f, kInf, -kInf, 1e4f};
  std::vector<float> s(x.size()), t(x.size());
  sigmoid_forward_simd128(x.data(), s.data(), x.size());
  tanh_forward_simd128(x.data(), t.data(), x.size());
  EXPECT_EQ(s[0], 0.5f);
  EXPECT_EQ(s[2], 1.0f);
  EXPECT_EQ(s[3], 1.0f);
  EXPECT_EQ(s[4], 0.0f);
  EXPECT_EQ(t[0], 0.0f);
  EXPECT_TRUE(std::signbit(t[1]));  // tanh(−0) = −0
  EXPECT_EQ(t[2], 1.0f);
  EXPECT_EQ(t[3], 1.0f);
  EXPECT_EQ(t[4], -1.0f);
  EXPECT_EQ(t[5], 1.0f);
}

// A dense sweep against double precision: the documented bound (≤ 2e-7 relative for the exp
// behind both; ≤ 5e-7 for sigmoid and tanh themselves) on normal results.
TEST(OpsSimdActivations, ErrorBoundAgainstDouble) {
  std::vector<float> x;
  for (float v = -87.0f; v <= 87.0f; v += 0.00731f) x.push_back(v);
  for (float v = -1.0f; v <= 1.0f; v += 0.0001237f) x.push_back(v);
  std::vector<float> s(x.size()), t(x.size());
  sigmoid_forward_simd128(x.data(), s.data(), x.size());
  tanh_forward_simd128(x.data(), t.data(), x.size());
  double worst_s = 0, worst_t = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    const double xd = x[i];
    const double ws = 1.0 / (1.0 + std::exp(-xd)), wt = std::tanh(xd);
    if (ws >= std::numeric_limits<float>::min())
      worst_s = std::fmax(worst_s, std::fabs(s[i] - ws) / ws);
    if (wt != 0.0) worst_t = std::fmax(worst_t, std::fabs(t[i] - wt) / std::fabs(wt));
  }
  std::printf("max relative error: sigmoid %.3g, tanh %.3g\n", worst_s, worst_t);
  EXPECT_LE(worst_s, 5e-7);
  EXPECT_LE(worst_t, 5e-7);
}

// ---- conv2d backward ----------------------------------------------------------------------

TEST(OpsSimdConv2dBackward, MatchesReferenceOnOddShapes) {
  struct Shape {
    int c, h, w, o, k, ph, pw, dil, groups, sh, sw;
  };
  const Shape shapes[] = {
      {1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1},   {1, 3, 3, 2, 3, 1, 1, 1, 1, 1, 1},
      {3, 7, 7, 5, 3, 1, 1, 1, 1, 1, 1},   {2, 13, 13, 3, 3, 2, 2, 2, 1, 1, 1},
      {3, 7, 127, 2, 5, 2, 1, 1, 1, 1, 1}, {1, 13, 127, 1, 3, 0, 3, 3, 1, 1, 1},
      {4, 7, 13, 6, 3, 1, 1, 1, 2, 1, 1},  {3, 13, 7, 3, 3, 1, 1, 1, 3, 2, 1},
      {2, 7, 13, 3, 3, 1, 1, 1, 1, 2, 2},  {1, 3, 127, 1, 7, 3, 3, 1, 1, 1, 1},
      {2, 5, 3, 2, 5, 0, 0, 2, 1, 1, 1},  // dilated kernel larger than the input: no output
  };
  uint64_t seed = 300;
  for (const Shape& s : shapes) {
    Conv2dParams p;
    p.in_c = s.c, p.in_h = s.h, p.in_w = s.w, p.out_c = s.o, p.k_h = p.k_w = s.k;
    p.pad_top = p.pad_bottom = s.ph, p.pad_left = s.pw, p.pad_right = s.pw > 0 ? s.pw - 1 : 0;
    p.dil_h = p.dil_w = s.dil, p.groups = s.groups, p.stride_h = s.sh, p.stride_w = s.sw;
    ASSERT_EQ(Conv2dValidate(p), "");
    SCOPED_TRACE("c" + std::to_string(s.c) + " h" + std::to_string(s.h) + " w" +
                 std::to_string(s.w) + " o" + std::to_string(s.o) + " k" + std::to_string(s.k));
    const std::vector<float> in = RandomVector<float>(seed++, p.input_size());
    const std::vector<float> w = RandomVector<float>(seed++, p.weight_size());
    const std::vector<float> g = RandomVector<float>(seed++, p.output_size());
    std::vector<float> di_w(p.input_size(), 0.25f), dw_w(p.weight_size(), 0.25f),
        db_w(p.out_c, 0.25f);
    std::vector<float> di(di_w), dw(dw_w), db(db_w);
    conv2d_backward_ref(p, in.data(), w.data(), g.data(), di_w.data(), dw_w.data(), db_w.data());
    conv2d_backward_simd128(p, in.data(), w.data(), g.data(), di.data(), dw.data(), db.data());
    ExpectAllNear(di_w, di, 1e-5f);
    ExpectAllNear(dw_w, dw, 1e-5f);
    ExpectAllNear(db_w, db, 1e-5f);
    // The dispatcher, and null outputs (each gradient alone).
    std::vector<float> di2(p.input_size(), 0.25f), dw2(p.weight_size(), 0.25f);
    conv2d_backward(p, in.data(), w.data(), g.data(), di2.data(), nullptr, nullptr);
    conv2d_backward(p, in.data(), w.data(), g.data(), nullptr, dw2.data(), nullptr);
    ExpectAllNear(di_w, di2, 1e-5f);
    ExpectAllNear(dw_w, dw2, 1e-5f);
    if (::testing::Test::HasFatalFailure()) return;
  }
}

}  // namespace
}  // namespace nnplay
