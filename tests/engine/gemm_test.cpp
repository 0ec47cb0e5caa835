// gemm_test.cpp: the GEMM kernels (kernels/gemm.h) and the indirect-GEMM convolution against
// their references, on deliberately odd shapes (1, 3, 13, 127, and sizes that cross the
// 4×8 tile and the k / m cache blocks). A failure prints the index, expected and actual.
#include "kernels/gemm.h"

#include "kernels/conv2d.h"
#include "ops/rng.h"
#include "ops_test_util.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <vector>

namespace nnplay {
namespace {

using testing::RandomFloats;

// Relative tolerance 1e-5, and the number of outputs that differ bit for bit (the SIMD
// kernels promise 0: same terms, same order, no FMA).
size_t ExpectClose(const std::vector<float>& want, const std::vector<float>& got,
                   const std::string& what) {
  EXPECT_EQ(want.size(), got.size()) << what;
  size_t bit_diffs = 0;
  for (size_t i = 0; i < want.size() && i < got.size(); ++i) {
    const float tol = 1e-5f * (1.0f + std::fabs(want[i]));
    if (!(std::fabs(got[i] - want[i]) <= tol)) {
      ADD_FAILURE() << what << ": index " << i << " expected " << want[i] << " actual " << got[i];
      return bit_diffs + 1;
    }
    if (std::memcmp(&want[i], &got[i], sizeof(float)) != 0) ++bit_diffs;
  }
  return bit_diffs;
}

TEST(Gemm, ReferenceByHand) {
  // [1 2 3; 4 5 6] · [1 0; 0 1; 1 1] = [1+3, 2+3; 4+6, 5+6] = [4 5; 10 11], bias [0.5, −1].
  const float a[] = {1, 2, 3, 4, 5, 6}, b[] = {1, 0, 0, 1, 1, 1}, bias[] = {0.5f, -1};
  float c[4];
  gemm_ref(2, 2, 3, a, 3, b, 2, bias, c, 2);
  EXPECT_EQ(std::vector<float>(c, c + 4), (std::vector<float>{4.5f, 5.5f, 9, 10}));
}

TEST(Gemm, PackingLayout) {
  // A 5×2 → two panels of 4 rows: [a00 a10 a20 a30, a01 a11 a21 a31 | a40 0 0 0, a41 0 0 0].
  const float a[] = {0, 1, 10, 11, 20, 21, 30, 31, 40, 41};
  std::vector<float> pa(gemm_packed_a_size(5, 2), -1.0f);
  ASSERT_EQ(pa.size(), 16u);
  gemm_pack_a(5, 2, a, 2, pa.data());
  EXPECT_EQ(pa, (std::vector<float>{0, 10, 20, 30, 1, 11, 21, 31, 40, 0, 0, 0, 41, 0, 0, 0}));
  // B 1×9 → two panels of 8 columns; Bᵀ (9×1) packs the same.
  const float b[] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  std::vector<float> pb(gemm_packed_b_size(1, 9), -1.0f), pbt(pb.size(), -1.0f);
  ASSERT_EQ(pb.size(), 16u);
  gemm_pack_b(1, 9, b, 9, pb.data());
  gemm_pack_b_transposed(1, 9, b, 1, pbt.data());
  EXPECT_EQ(pb, (std::vector<float>{1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(pbt, pb);
}

TEST(Gemm, PackingMatchesTheLayoutOnOddShapes) {
  // Every element where gemm.h says it goes (the packers use 4×4 transposes and vector
  // copies on full panels, element-wise code on the edges), zeros past the edges; the
  // sources are sub-matrices (leading dimension larger than the width).
  Pcg32 rng(31);
  const int sizes[] = {1, 3, 4, 7, 8, 13, 127};
  for (int rows : sizes)
    for (int k : sizes) {
      const int ld = k + 3;
      const std::vector<float> src = RandomFloats(static_cast<size_t>(rows) * ld, &rng);
      // A [rows, k] → panels of 4 rows.
      std::vector<float> pa(gemm_packed_a_size(rows, k), NAN);
      gemm_pack_a(rows, k, src.data(), ld, pa.data());
      for (int p = 0; p < (rows + 3) / 4; ++p)
        for (int kk = 0; kk < k; ++kk)
          for (int r = 0; r < 4; ++r) {
            const int i = 4 * p + r;
            const float want = i < rows ? src[static_cast<size_t>(i) * ld + kk] : 0.0f;
            ASSERT_EQ(pa[(static_cast<size_t>(p) * k + kk) * 4 + r], want)
                << "pack_a rows " << rows << " k " << k << " at " << i << "," << kk;
          }
      // Bᵀ [rows, k] (n = rows) → panels of 8 columns; B = (Bᵀ)ᵀ [k, rows] the same.
      std::vector<float> b(static_cast<size_t>(k) * (rows + 2));
      for (int kk = 0; kk < k; ++kk)
        for (int j = 0; j < rows; ++j)
          b[static_cast<size_t>(kk) * (rows + 2) + j] = src[static_cast<size_t>(j) * ld + kk];
      std::vector<float> pbt(gemm_packed_b_size(k, rows), NAN), pb(pbt.size(), NAN);
      gemm_pack_b_transposed(k, rows, src.data(), ld, pbt.data());
      gemm_pack_b(k, rows, b.data(), rows + 2, pb.data());
      for (int q = 0; q < (rows + 7) / 8; ++q)
        for (int kk = 0; kk < k; ++kk)
          for (int c = 0; c < 8; ++c) {
            const int j = 8 * q + c;
            const float want = j < rows ? src[static_cast<size_t>(j) * ld + kk] : 0.0f;
            const size_t at = (static_cast<size_t>(q) * k + kk) * 8 + c;
            ASSERT_EQ(pbt[at], want) << "pack_b_transposed n " << rows << " k " << k;
            ASSERT_EQ(pb[at], want) << "pack_b n " << rows << " k " << k;
          }
    }
}

TEST(Gemm, Simd128MatchesReferenceOnOddShapes) {
  Pcg32 rng(2026);
  const int sizes[] = {1, 3, 4, 7, 8, 13, 127};
  const int ks[] = {1, 3, 7, 13, 127, 257, 600, 1030};  // 1030: two k blocks of 1024
  int checked = 0;
  for (int m : sizes)
    for (int n : sizes)
      for (int k : ks) {
        if (static_cast<long>(m) * n * k > 4000000) continue;
        // Leading dimensions larger than the widths: sub-matrices of bigger buffers.
        const int lda = k + 1, ldb = n + 3, ldc = n + 2;
        const std::vector<float> a = RandomFloats(static_cast<size_t>(m) * lda, &rng);
        const std::vector<float> b = RandomFloats(static_cast<size_t>(k) * ldb, &rng);
        const std::vector<float> bias = RandomFloats(m, &rng);
        const float* bp = (m + n + k) % 2 ? bias.data() : nullptr;
        std::vector<float> want(static_cast<size_t>(m) * ldc, 7.0f), got(want.size(), 7.0f);
        gemm_ref(m, n, k, a.data(), lda, b.data(), ldb, bp, want.data(), ldc);
        std::vector<float> ws(gemm_workspace_size(m, n, k));
        gemm_4x8_simd128(m, n, k, a.data(), lda, b.data(), ldb, bp, got.data(), ldc, ws.data());
        const std::string what = "gemm_4x8_simd128 m=" + std::to_string(m) +
                                 " n=" + std::to_string(n) + " k=" + std::to_string(k);
        EXPECT_EQ(ExpectClose(want, got, what), 0u) << what << " (bit for bit)";
        // Pre-packed B given transposed (a dense layer's weights), packed A.
        std::vector<float> bt(static_cast<size_t>(n) * k);
        for (int kk = 0; kk < k; ++kk)
          for (int j = 0; j < n; ++j)
            bt[static_cast<size_t>(j) * k + kk] = b[static_cast<size_t>(kk) * ldb + j];
        std::vector<float> pa(gemm_packed_a_size(m, k)), pb(gemm_packed_b_size(k, n));
        gemm_pack_a(m, k, a.data(), lda, pa.data());
        gemm_pack_b_transposed(k, n, bt.data(), k, pb.data());
        std::vector<float> got2(want.size(), 7.0f);
        gemm_packed_4x8_simd128(m, n, k, pa.data(), pb.data(), bp, got2.data(), ldc);
        EXPECT_EQ(ExpectClose(want, got2, what + " packed"), 0u) << what << " packed (bit for bit)";
        ++checked;
        if (::testing::Test::HasFailure()) return;
      }
  EXPECT_GT(checked, 150);
}

TEST(Gemm, LargeBlocksCrossMAndK) {
  // m = 131 crosses the 64-row block twice, k = 2100 three k blocks of 1024 (the last one
  // short), n = 21 an 8-column edge.
  Pcg32 rng(7);
  const int m = 131, n = 21, k = 2100;
  const std::vector<float> a = RandomFloats(static_cast<size_t>(m) * k, &rng);
  const std::vector<float> b = RandomFloats(static_cast<size_t>(k) * n, &rng);
  const std::vector<float> bias = RandomFloats(m, &rng);
  std::vector<float> want(static_cast<size_t>(m) * n), got(want.size(), NAN);
  gemm_ref(m, n, k, a.data(), k, b.data(), n, bias.data(), want.data(), n);
  std::vector<float> ws(gemm_workspace_size(m, n, k));
  gemm_4x8_simd128(m, n, k, a.data(), k, b.data(), n, bias.data(), got.data(), n, ws.data());
  EXPECT_EQ(ExpectClose(want, got, "131x21x2100"), 0u);
}

TEST(Gemm, EmptyK) {
  const float bias[] = {2, 3};
  float c[6] = {9, 9, 9, 9, 9, 9}, r[6];
  gemm_ref(2, 3, 0, nullptr, 1, nullptr, 3, bias, r, 3);
  gemm_packed_4x8_simd128(2, 3, 0, nullptr, nullptr, bias, c, 3);
  EXPECT_EQ(std::vector<float>(c, c + 6), std::vector<float>(r, r + 6));
  EXPECT_EQ(r[0], 2.0f);
}

// The indirect-GEMM convolution: widths large enough for the 8-column tile (it declines
// narrower ones and stride_w > 1), channels and filters that are not multiples of 4,
// every padding, dilation, groups, with and without bias.
TEST(Conv2dIndirectGemm, Simd128MatchesReferenceOnOddShapes) {
  Pcg32 rng(99);
  auto pick = [&](int lo, int hi) {
    return lo + static_cast<int>(rng.NextU32() % static_cast<uint32_t>(hi - lo + 1));
  };
  int ran = 0, declined = 0;
  for (int trial = 0; trial < 400; ++trial) {
    Conv2dParams p;
    p.groups = pick(1, 3);
    p.in_c = p.groups * pick(1, trial % 5 == 0 ? 17 : 5);
    p.out_c = p.groups * pick(1, 9);
    p.in_h = pick(1, 13), p.in_w = pick(1, 40);
    p.k_h = pick(1, 5), p.k_w = pick(1, 5);
    p.stride_h = pick(1, 3), p.stride_w = trial % 7 == 0 ? 2 : 1;
    p.dil_h = pick(1, 3), p.dil_w = pick(1, 3);
    p.pad_top = pick(0, 3), p.pad_bottom = pick(0, 3), p.pad_left = pick(0, 3),
    p.pad_right = pick(0, 3);
    ASSERT_EQ(Conv2dValidate(p), "");
    const std::vector<float> in = RandomFloats(p.input_size(), &rng),
                             w = RandomFloats(p.weight_size(), &rng);
    const std::vector<float> b = RandomFloats(p.out_c, &rng);
    const float* bias = trial % 2 ? b.data() : nullptr;
    std::vector<float> want(p.output_size()), got(p.output_size(), NAN), simd(p.output_size(), NAN);
    conv2d_forward_ref(p, in.data(), w.data(), bias, want.data());
    conv2d_forward_simd128(p, in.data(), w.data(), bias, simd.data());
    const std::string what = "conv in " + std::to_string(p.in_c) + "x" + std::to_string(p.in_h) +
                             "x" + std::to_string(p.in_w) + " out_c " + std::to_string(p.out_c) +
                             " k " + std::to_string(p.k_h) + "x" + std::to_string(p.k_w) + " s " +
                             std::to_string(p.stride_h) + "/" + std::to_string(p.stride_w) + " d " +
                             std::to_string(p.dil_h) + "/" + std::to_string(p.dil_w) + " pad " +
                             std::to_string(p.pad_top) + "," + std::to_string(p.pad_left) + "," +
                             std::to_string(p.pad_bottom) + "," + std::to_string(p.pad_right) +
                             " groups " + std::to_string(p.groups);
    EXPECT_EQ(ExpectClose(want, simd, what + " (conv2d_forward_simd128)"), 0u) << what;
    if (conv2d_forward_4x8_simd128(p, in.data(), w.data(), bias, got.data())) {
      EXPECT_EQ(ExpectClose(want, got, what + " (4x8)"), 0u) << what;
      ++ran;
    } else {
      // Declined only for stride_w > 1 or fewer than 8 columns that read no padding.
      EXPECT_TRUE(p.stride_w != 1 || p.in_w - (p.k_w - 1) * p.dil_w < 8) << what << ": declined";
      ++declined;
    }
    if (::testing::Test::HasFailure()) return;
  }
  EXPECT_GT(ran, 100);
  EXPECT_GT(declined, 20);
}

// The packed-panel path (≥ 13 filters per group, i.e. 4 blocks; ≥ 64 taps): filter counts that
// leave 1–3 filters in the last block, widths 8..40 (one tile, the overlapping right tile, border
// columns with padding), rows in vertical padding (taps skipped: the weights' gap table),
// groups and bias; bit for bit.
TEST(Conv2dIndirectGemm, PackedPanelsMatchReferenceBitForBit) {
  Pcg32 rng(1616);
  auto pick = [&](int lo, int hi) {
    return lo + static_cast<int>(rng.NextU32() % static_cast<uint32_t>(hi - lo + 1));
  };
  const int filters[] = {16, 17, 19, 33, 127};
  const int channels[] = {7, 13, 8, 3};  // 3 channels only with 5×5 kernels (75 taps)
  int ran = 0;
  for (int trial = 0; trial < 60; ++trial) {
    Conv2dParams p;
    p.groups = trial % 6 == 5 ? 2 : 1;
    p.in_c = p.groups * channels[trial % 4];
    p.out_c = p.groups * filters[trial % 5];
    const int widths[] = {8, 13, 21, 40, 127};  // output columns without padding
    p.k_h = pick(3, 5), p.k_w = pick(4, 5);
    if (p.in_c == 3 * p.groups) p.k_h = p.k_w = 5;
    p.in_h = pick(1, 7), p.in_w = widths[trial % 5 == trial % 4 ? 4 : pick(0, 3)] + (p.k_w - 1);
    p.stride_h = pick(1, 2), p.dil_h = pick(1, 2);
    p.pad_top = pick(0, 2), p.pad_bottom = pick(0, 2);
    p.pad_left = trial % 2 ? pick(1, 2) : 0, p.pad_right = pick(0, 2);
    ASSERT_EQ(Conv2dValidate(p), "");
    ASSERT_GE(p.in_c / p.groups * p.k_h * p.k_w, 64);
    const std::vector<float> in = RandomFloats(p.input_size(), &rng),
                             w = RandomFloats(p.weight_size(), &rng);
    const std::vector<float> b = RandomFloats(p.out_c, &rng);
    const float* bias = trial % 4 < 2 ? b.data() : nullptr;
    std::vector<float> want(p.output_size()), got(p.output_size(), NAN);
    conv2d_forward_ref(p, in.data(), w.data(), bias, want.data());
    const std::string what = "panel conv in " + std::to_string(p.in_c) + "x" +
                             std::to_string(p.in_h) + "x" + std::to_string(p.in_w) + " out_c " +
                             std::to_string(p.out_c) + " k " + std::to_string(p.k_h) + "x" +
                             std::to_string(p.k_w) + " groups " + std::to_string(p.groups);
    if (!conv2d_forward_4x8_simd128(p, in.data(), w.data(), bias, got.data())) continue;
    EXPECT_EQ(ExpectClose(want, got, what), 0u) << what << " (bit for bit)";
    ++ran;
    if (::testing::Test::HasFailure()) return;
  }
  EXPECT_GT(ran, 40);
}

// Panel tiles that run across output rows: without border columns, consecutive rows whose taps
// all read the input are one run of pixels, and a tile may start in one row and end in the
// next (its panel gathered element by element). Output widths 8 (tiles end with each row), 9,
// 13 and 127 (tiles wrap mid-row); heights 1, 3, 7 and 13; vertical padding (rows with skipped
// taps end a run and run alone), row stride and dilation, 17 and 127 filters, bias; bit for bit.
TEST(Conv2dIndirectGemm, PanelTilesAcrossRowsMatchReferenceBitForBit) {
  Pcg32 rng(2026);
  const int widths[] = {8, 9, 13, 127}, heights[] = {1, 3, 7, 13};
  int ran = 0, merged = 0;
  for (int trial = 0; trial < 32; ++trial) {
    Conv2dParams p;
    p.groups = trial % 8 == 7 ? 2 : 1;
    p.in_c = p.groups * (trial % 3 == 0 ? 13 : 8);     // 117 or 72 taps of 3×3
    p.out_c = p.groups * (trial % 4 == 1 ? 127 : 17);  // 127 filters on width 9
    p.k_h = p.k_w = 3;
    p.stride_h = 1 + trial % 2, p.dil_h = 1 + (trial / 2) % 2;
    p.pad_top = (trial / 4) % 3, p.pad_bottom = (trial / 3) % 2;
    const int ow = widths[trial % 4], oh = heights[(trial / 4) % 4];
    p.in_w = ow + 2;  // no horizontal padding: every column is interior
    p.in_h = (oh - 1) * p.stride_h + 2 * p.dil_h + 1 - p.pad_top - p.pad_bottom;
    if (p.in_h < 1) continue;
    ASSERT_EQ(Conv2dValidate(p), "");
    ASSERT_EQ(p.out_w(), ow);
    const std::vector<float> in = RandomFloats(p.input_size(), &rng),
                             w = RandomFloats(p.weight_size(), &rng);
    const std::vector<float> b = RandomFloats(p.out_c, &rng);
    const float* bias = trial % 2 ? b.data() : nullptr;
    std::vector<float> want(p.output_size()), got(p.output_size(), NAN);
    conv2d_forward_ref(p, in.data(), w.data(), bias, want.data());
    const std::string what = "run conv in " + std::to_string(p.in_c) + "x" +
                             std::to_string(p.in_h) + "x" + std::to_string(p.in_w) + " out_c " +
                             std::to_string(p.out_c) + " out " + std::to_string(p.out_h()) + "x" +
                             std::to_string(ow) + " s " + std::to_string(p.stride_h) + " d " +
                             std::to_string(p.dil_h) + " pad " + std::to_string(p.pad_top) + "," +
                             std::to_string(p.pad_bottom) + " groups " + std::to_string(p.groups);
    ASSERT_TRUE(conv2d_forward_4x8_simd128(p, in.data(), w.data(), bias, got.data())) << what;
    EXPECT_EQ(ExpectClose(want, got, what), 0u) << what << " (bit for bit)";
    ++ran;
    int full_rows = 0;  // rows whose taps all read the input: ≥ 2 make a run across rows
    for (int oy = 0; oy < p.out_h(); ++oy) {
      const int iy0 = oy * p.stride_h - p.pad_top;
      full_rows += iy0 >= 0 && iy0 + (p.k_h - 1) * p.dil_h < p.in_h;
    }
    if (full_rows >= 2) ++merged;
    if (::testing::Test::HasFailure()) return;
  }
  EXPECT_GT(ran, 24);
  EXPECT_GT(merged, 12);
}

TEST(Conv2dIndirectGemm, BenchShapesMatchReference) {
  // The benchmark's shapes, shrunk in height only (same channels, widths and tile edges).
  Pcg32 rng(5);
  const int shapes[][4] = {{1, 28, 28, 8}, {16, 6, 64, 32}, {3, 5, 224, 16}, {64, 4, 56, 64}};
  for (const auto& s : shapes) {
    Conv2dParams p;
    p.in_c = s[0], p.in_h = s[1], p.in_w = s[2], p.out_c = s[3], p.k_h = p.k_w = 3;
    const std::vector<float> in = RandomFloats(p.input_size(), &rng),
                             w = RandomFloats(p.weight_size(), &rng);
    std::vector<float> want(p.output_size()), got(p.output_size(), NAN);
    conv2d_forward_ref(p, in.data(), w.data(), nullptr, want.data());
    ASSERT_TRUE(conv2d_forward_4x8_simd128(p, in.data(), w.data(), nullptr, got.data()));
    EXPECT_EQ(ExpectClose(want, got, "bench shape c=" + std::to_string(s[0])), 0u) << "bit for bit";
  }
}

}  // namespace
}  // namespace nnplay
