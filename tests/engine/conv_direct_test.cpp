// conv_direct_test.cpp: the direct stride-1 convolution kernels (kernels/conv_direct.h)
// against their reference, gemm_ref on an im2col matrix built here from the unpadded input
// (what Network computed before these kernels), on odd shapes: channels 1, 3, 7, 13, widths
// up to 127, batches 1, 3, 7. Bit for bit: same terms, same order, no FMA.
#include "kernels/conv_direct.h"

#include "kernels/gemm.h"
#include "ops/rng.h"
#include "ops_test_util.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

namespace nnplay {
namespace {

using testing::RandomFloats;

struct Case {
  int in_c, in_h, in_w, out_c, k, pad;
};

ConvDirectShape ShapeOf(const Case& c) {
  ConvDirectShape s;
  s.in_c = c.in_c;
  s.ph = c.in_h + 2 * c.pad;
  s.pw = c.in_w + 2 * c.pad;
  s.k_h = s.k_w = c.k;
  s.out_c = c.out_c;
  return s;
}

// cols[j][oy·ow + ox] of one sample, j = (c·k + ky)·k + kx, zero where the tap is padding.
std::vector<float> Im2col(const Case& c, const float* in) {
  const int oh = c.in_h + 2 * c.pad - c.k + 1, ow = c.in_w + 2 * c.pad - c.k + 1;
  std::vector<float> cols(static_cast<size_t>(c.in_c) * c.k * c.k * oh * ow, 0.0f);
  size_t i = 0;
  for (int ch = 0; ch < c.in_c; ++ch)
    for (int ky = 0; ky < c.k; ++ky)
      for (int kx = 0; kx < c.k; ++kx)
        for (int oy = 0; oy < oh; ++oy)
          for (int ox = 0; ox < ow; ++ox, ++i) {
            const int iy = oy + ky - c.pad, ix = ox + kx - c.pad;
            if (iy >= 0 && iy < c.in_h && ix >= 0 && ix < c.in_w)
              cols[i] = in[(static_cast<size_t>(ch) * c.in_h + iy) * c.in_w + ix];
          }
  return cols;
}

std::vector<Case> Cases() {
  std::vector<Case> cases;
  int n = 0;
  for (int in_c : {1, 3, 7, 13})
    for (int out_c : {1, 3, 7, 13})
      for (int k : {1, 3, 5})
        for (int pad : {0, 1, 2}) {
          if (pad > k - 1) continue;
          // Sizes cycle through 1, 3, 7, 13 and a 127-wide row (so every tile edge occurs).
          const int sizes[][2] = {{1, 1}, {3, 3}, {7, 7}, {13, 13}, {3, 127}, {7, 13}};
          const int* hw = sizes[n++ % 6];
          if (hw[0] + 2 * pad < k || hw[1] + 2 * pad < k) continue;
          cases.push_back({in_c, hw[0], hw[1], out_c, k, pad});
        }
  return cases;
}

std::string Name(const Case& c, int batch = 1) {
  return "c" + std::to_string(c.in_c) + " " + std::to_string(c.in_h) + "x" +
         std::to_string(c.in_w) + " o" + std::to_string(c.out_c) + " k" + std::to_string(c.k) +
         " p" + std::to_string(c.pad) + " n" + std::to_string(batch);
}

TEST(ConvDirect, PadAndOffsets) {
  // 1×2×3 input, pad 1 → 4×5 planes; the slack past them zero.
  const float in[] = {1, 2, 3, 4, 5, 6};
  ConvDirectShape s;
  s.in_c = 1;
  s.ph = 4;
  s.pw = 5;
  s.k_h = s.k_w = 2;
  s.out_c = 1;
  std::vector<float> padded(s.padded_size(), -1.0f);
  ASSERT_EQ(padded.size(), 20u + kConvDirectSlack);
  conv_direct_pad(s, 2, 3, 1, 1, in, padded.data());
  const std::vector<float> want = {0, 0, 0, 0, 0, 0, 1, 2, 3, 0, 0, 4, 5, 6, 0, 0, 0, 0, 0, 0};
  EXPECT_EQ(std::vector<float>(padded.begin(), padded.begin() + 20), want);
  for (size_t i = 20; i < padded.size(); ++i) EXPECT_EQ(padded[i], 0.0f) << i;
  int off[4];
  conv_direct_offsets(s, off);
  EXPECT_EQ(std::vector<int>(off, off + 4), (std::vector<int>{0, 1, 5, 6}));
}

TEST(ConvDirect, ForwardEqualsGemmOnIm2colBitForBit) {
  Pcg32 rng(7);
  int count = 0;
  for (const Case& c : Cases()) {
    const ConvDirectShape s = ShapeOf(c);
    const int kk = s.taps(), hw = s.out_h() * s.out_w();
    const std::vector<float> in = RandomFloats(static_cast<size_t>(c.in_c) * c.in_h * c.in_w, &rng);
    const std::vector<float> w = RandomFloats(static_cast<size_t>(c.out_c) * kk, &rng);
    const std::vector<float> bias = RandomFloats(static_cast<size_t>(c.out_c), &rng);
    const std::vector<float> cols = Im2col(c, in.data());
    for (bool with_bias : {true, false}) {
      const float* b = with_bias ? bias.data() : nullptr;
      std::vector<float> want(static_cast<size_t>(c.out_c) * hw);
      gemm_ref(c.out_c, hw, kk, w.data(), kk, cols.data(), hw, b, want.data(), hw);
      std::vector<float> padded(s.padded_size());
      conv_direct_pad(s, c.in_h, c.in_w, c.pad, c.pad, in.data(), padded.data());
      std::vector<int> off(static_cast<size_t>(kk));
      conv_direct_offsets(s, off.data());
      std::vector<float> pa(gemm_packed_a_size(c.out_c, kk));
      gemm_pack_a(c.out_c, kk, w.data(), kk, pa.data());
      std::vector<float> got(want.size(), -7.0f);
      // Panel 0 alone, then the rest (the split a single sample's threads use).
      const int panels = (c.out_c + 3) / 4;
      conv_direct_forward(s, padded.data(), pa.data(), off.data(), b, got.data(), 0, 1);
      conv_direct_forward(s, padded.data(), pa.data(), off.data(), b, got.data(), 1, panels);
      ASSERT_EQ(std::memcmp(want.data(), got.data(), want.size() * sizeof(float)), 0)
          << Name(c) << (with_bias ? " bias" : "");
      ++count;
    }
  }
  EXPECT_EQ(count, 196);  // 98 shapes, with and without bias
}

TEST(ConvDirect, WeightGradientEqualsGemmOnIm2colBitForBit) {
  Pcg32 rng(8);
  int count = 0, n = 0;
  for (const Case& c : Cases()) {
    const int batch = n % 3 == 0 ? 1 : n % 3 == 1 ? 3 : 7;
    ++n;
    const ConvDirectShape s = ShapeOf(c);
    const int kk = s.taps(), hw = s.out_h() * s.out_w();
    const size_t in_size = static_cast<size_t>(c.in_c) * c.in_h * c.in_w;
    const std::vector<float> in = RandomFloats(in_size * batch, &rng);
    const std::vector<float> dout = RandomFloats(static_cast<size_t>(batch) * c.out_c * hw, &rng);
    // Reference: dW[O, K] = dOut[O, N·HW] · colsᵀ[N·HW, K].
    const int nhw = batch * hw;
    std::vector<float> a(static_cast<size_t>(c.out_c) * nhw), bt(static_cast<size_t>(nhw) * kk);
    for (int b = 0; b < batch; ++b) {
      for (int o = 0; o < c.out_c; ++o)
        for (int i = 0; i < hw; ++i)
          a[static_cast<size_t>(o) * nhw + b * hw + i] =
              dout[(static_cast<size_t>(b) * c.out_c + o) * hw + i];
      const std::vector<float> cols = Im2col(c, in.data() + b * in_size);
      for (int j = 0; j < kk; ++j)
        for (int i = 0; i < hw; ++i)
          bt[(static_cast<size_t>(b) * hw + i) * kk + j] = cols[static_cast<size_t>(j) * hw + i];
    }
    std::vector<float> want(static_cast<size_t>(c.out_c) * kk);
    gemm_ref(c.out_c, kk, nhw, a.data(), nhw, bt.data(), kk, nullptr, want.data(), kk);

    const size_t stride = s.padded_size() + 3;  // any stride ≥ padded_size
    std::vector<float> padded(stride * batch);
    for (int b = 0; b < batch; ++b)
      conv_direct_pad(s, c.in_h, c.in_w, c.pad, c.pad, in.data() + b * in_size,
                      padded.data() + b * stride);
    std::vector<int> off(static_cast<size_t>(kk));
    conv_direct_offsets(s, off.data());
    std::vector<float> packed(conv_direct_packed_dout_size(c.out_c, hw, batch), -7.0f);
    const int tiles = conv_direct_dout_tiles(c.out_c);
    for (int t = tiles; t-- > 0;)  // tile by tile, in any order
      conv_direct_pack_dout(c.out_c, hw, batch, dout.data(), packed.data(), t, t + 1);
    std::vector<float> got(want.size(), -7.0f);
    const int items = conv_direct_wgrad_items(s), mid = items / 3;
    conv_direct_wgrad(s, batch, padded.data(), stride, packed.data(), off.data(), got.data(), mid,
                      items);
    conv_direct_wgrad(s, batch, padded.data(), stride, packed.data(), off.data(), got.data(), 0,
                      mid);
    ASSERT_EQ(std::memcmp(want.data(), got.data(), want.size() * sizeof(float)), 0)
        << Name(c, batch);
    ++count;
  }
  EXPECT_EQ(count, 98);
}

TEST(ConvDirect, PackedDoutLayout) {
  // 10 channels, 2 positions, batch 2: tile 0 is 8 wide, tile 1 (channels 8, 9) 4 wide.
  const int out_c = 10, hw = 2, batch = 2;
  std::vector<float> dout(static_cast<size_t>(batch) * out_c * hw);
  for (size_t i = 0; i < dout.size(); ++i) dout[i] = static_cast<float>(i);
  ASSERT_EQ(conv_direct_dout_tiles(out_c), 2);
  std::vector<float> packed(conv_direct_packed_dout_size(out_c, hw, batch), -1.0f);
  ASSERT_EQ(packed.size(), 48u);
  conv_direct_pack_dout(out_c, hw, batch, dout.data(), packed.data(), 0, 2);
  // Tile 0, sample 1, position 1, channel 3: dout[(1·10 + 3)·2 + 1] = 27.
  EXPECT_EQ(packed[(1 * hw + 1) * 8 + 3], 27.0f);
  // Tile 1 at 8·batch·hw = 32: sample 0, position 1: channels 8, 9, then two zero lanes.
  EXPECT_EQ(std::vector<float>(packed.begin() + 36, packed.begin() + 40),
            (std::vector<float>{17, 19, 0, 0}));
}

}  // namespace
}  // namespace nnplay
