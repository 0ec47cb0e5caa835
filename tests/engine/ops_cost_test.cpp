// ops_cost_test.cpp: parameter and multiplication counts against the course's figures
// (E5, E10, E12, E13), each worked out by hand in the comments.
#include "ops/cost.h"

#include <gtest/gtest.h>

namespace nnplay {
namespace {

ConvSpec Conv(int64_t out_c, int64_t k, ConvPadding padding = ConvPadding::kSame) {
  ConvSpec s;
  s.out_c = out_c, s.k = k, s.padding = padding;
  return s;
}

TEST(OpsCost, E5DenseThreeFourTwo) {
  // W¹ 4×3 = 12, b¹ 4, W² 2×4 = 8, b² 2: 26 parameters; 12 + 8 = 20 multiplications.
  const LayerCost c = DenseChainCost({3, 4, 2});
  EXPECT_EQ(c.params, 26);
  EXPECT_EQ(c.mults, 20);
  EXPECT_EQ(DenseChainCost({3, 4, 2}, /*bias=*/false).params, 20);
  EXPECT_EQ(DenseCost(3, 4).params, 16);
}

TEST(OpsCost, E10OneByOneConvVersusFullyConnected) {
  // 1×1 conv 192 → 32 on 28×28: params 192·32 + 32 = 6,176;
  // mults 28·28·32·192 = 784·6,144 = 4,816,896.
  // Fully connected between the same shapes: (28·28·192)·(28·28·32) = 150,528·25,088 =
  // 3,776,446,464 — 784 times more (and > 2³¹: 64-bit counts).
  const FeatureShape in{28, 28, 192};
  const LayerCost conv = ConvCost(in, Conv(32, 1));
  EXPECT_EQ(conv.params, 6176);
  EXPECT_EQ(conv.mults, 4816896);
  const FeatureShape out = ConvOutShape(in, Conv(32, 1));
  EXPECT_EQ(out.h, 28);
  EXPECT_EQ(out.w, 28);
  EXPECT_EQ(out.c, 32);
  const LayerCost fc = DenseBetweenCost(in, out);
  EXPECT_EQ(fc.mults, 3776446464LL);
  EXPECT_EQ(fc.mults / conv.mults, 784);
  EXPECT_EQ(fc.mults % conv.mults, 0);
}

TEST(OpsCost, E12BottleneckSavesTenfold) {
  // 5×5 same 192 → 32 on 28×28: 28·28·32·5·5·192 = 120,422,400.
  // 1×1 to 16 first: 28·28·16·192 = 2,408,448; then 5×5 16 → 32: 28·28·32·25·16 =
  // 10,035,200; total 12,443,648.
  const FeatureShape in{28, 28, 192};
  EXPECT_EQ(ConvCost(in, Conv(32, 5)).mults, 120422400);
  FeatureShape out;
  const LayerCost chain = ConvChainCost(in, {Conv(16, 1), Conv(32, 5)}, &out);
  EXPECT_EQ(ConvCost(in, Conv(16, 1)).mults, 2408448);
  EXPECT_EQ(ConvCost({28, 28, 16}, Conv(32, 5)).mults, 10035200);
  EXPECT_EQ(chain.mults, 12443648);
  EXPECT_EQ(out.h, 28);
  EXPECT_EQ(out.c, 32);
}

TEST(OpsCost, E13InceptionModule) {
  // 32×32×192 input, "same": 3×3 × 128: 1024·128·(9·192 = 1728) = 226,492,416;
  // 5×5 × 32: 1024·32·(25·192 = 4800) = 157,286,400; total 383,778,816.
  const FeatureShape in{32, 32, 192};
  const LayerCost b3 = ConvCost(in, Conv(128, 3)), b5 = ConvCost(in, Conv(32, 5));
  EXPECT_EQ(b3.mults, 226492416);
  EXPECT_EQ(b5.mults, 157286400);
  EXPECT_EQ((b3 + b5).mults, 383778816);
  // With 1×1 reductions: 1024·96·192 + 1024·128·9·96 = 18,874,368 + 113,246,208 and
  // 1024·16·192 + 1024·32·25·16 = 3,145,728 + 13,107,200; all four = 148,373,504.
  const LayerCost r3 = ConvChainCost(in, {Conv(96, 1), Conv(128, 3)});
  const LayerCost r5 = ConvChainCost(in, {Conv(16, 1), Conv(32, 5)});
  EXPECT_EQ(r3.mults, 18874368 + 113246208);
  EXPECT_EQ(r5.mults, 3145728 + 13107200);
  EXPECT_EQ((r3 + r5).mults, 148373504);
}

TEST(OpsCost, PaddingStrideAndGroups) {
  // "valid" 3×3 on 6×6: out 4×4 (E9); "same" stride 2 on 7: ⌈7/2⌉ = 4; "valid" stride 2
  // on 7 with k 3: ⌊(7 − 3)/2⌋ + 1 = 3; kernel larger than the input: 0 outputs.
  EXPECT_EQ(ConvOutShape({6, 6, 1}, Conv(1, 3, ConvPadding::kValid)).h, 4);
  ConvSpec s = Conv(8, 3);
  s.stride = 2;
  EXPECT_EQ(ConvOutShape({7, 7, 4}, s).h, 4);
  s.padding = ConvPadding::kValid;
  EXPECT_EQ(ConvOutShape({7, 7, 4}, s).h, 3);
  EXPECT_EQ(ConvCost({2, 2, 4}, Conv(8, 3, ConvPadding::kValid)).mults, 0);
  // E9 edge filter: 1 filter 3×3, no bias → 9 params; 16 outputs × 9 = 144 mults.
  ConvSpec edge = Conv(1, 3, ConvPadding::kValid);
  edge.bias = false;
  EXPECT_EQ(ConvCost({6, 6, 1}, edge).params, 9);
  EXPECT_EQ(ConvCost({6, 6, 1}, edge).mults, 144);
  // Groups divide the per-filter depth: 3×3, 64 → 64, groups 4: 64·9·16 + 64 params;
  // depthwise (groups 64): 64·9 + 64.
  ConvSpec g = Conv(64, 3);
  g.groups = 4;
  EXPECT_EQ(ConvCost({10, 10, 64}, g).params, 64 * 9 * 16 + 64);
  EXPECT_EQ(ConvCost({10, 10, 64}, g).mults, 100 * 64 * 9 * 16);
  g.groups = 64;
  EXPECT_EQ(ConvCost({10, 10, 64}, g).params, 64 * 9 + 64);
  EXPECT_EQ(ConvSpecValidate({10, 10, 64}, g), "");
  g.groups = 3;
  EXPECT_NE(ConvSpecValidate({10, 10, 64}, g), "");
}

}  // namespace
}  // namespace nnplay
