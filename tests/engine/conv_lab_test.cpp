// conv_lab_test.cpp: the convolution lab's model, its link fields and its presets.
#include "labs/conv_lab.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "ops/rng.h"

#include "labs/notation.h"
#include "labs/registry.h"

namespace nnplay {
namespace {

ConvLabState Decode(const std::string& text) {
  Link link;
  LinkError error;
  ConvLabState state;
  EXPECT_TRUE(ParseLink(text, &link, &error)) << error.ToString();
  EXPECT_TRUE(DecodeConvLab(link, &state, &error)) << error.ToString();
  return state;
}

LinkError DecodeError(const std::string& text) {
  Link link;
  LinkError error;
  ConvLabState state;
  if (ParseLink(text, &link, &error)) {
    EXPECT_FALSE(DecodeConvLab(link, &state, &error)) << text;
  }
  return error;
}

TEST(ConvLab, DefaultIsE9AndGivesZeroThirtyThirtyZero) {
  const ConvLabState s = ConvLabDefault();
  const ConvLabResult r = EvaluateConvLab(s);
  ASSERT_EQ(r.error, "");
  ASSERT_EQ(r.output.shape(), (std::vector<int>{1, 4, 4}));
  for (int y = 0; y < 4; ++y) {
    EXPECT_EQ(r.output.at(0, y, 0), 0.0f);
    EXPECT_EQ(r.output.at(0, y, 1), 30.0f);
    EXPECT_EQ(r.output.at(0, y, 2), 30.0f);
    EXPECT_EQ(r.output.at(0, y, 3), 0.0f);
  }
  EXPECT_EQ(r.rows.Formula("rows"),
            "rows: \xE2\x8C\x8A(6 + 2\xC3\x97"
            "0 \xE2\x88\x92 1\xC3\x97(3\xE2\x88\x92"
            "1) \xE2\x88\x92 1)/1\xE2\x8C\x8B + 1 = 4");  // ⌊(6 + 2×0 − 1×(3−1) − 1)/1⌋ + 1
  EXPECT_EQ(ToAscii(r.rows.Formula("rows")), "rows: floor((6 + 2*0 - 1*(3-1) - 1)/1) + 1 = 4");
}

TEST(ConvLab, E9LinkIsShortAndExact) {
  const std::string link = EncodeConvLab(ConvLabDefault());
  EXPECT_EQ(link, "v1/conv?in=6x6:(10*3,0*3)*6&f=3x3:(1,0,-1)*3&pad=valid&stride=1&dil=1");
  EXPECT_LE(link.size(), 120u);
  EXPECT_EQ(Decode(link), ConvLabDefault());
}

TEST(ConvLab, TraceShowsTheSumWithNumbersPluggedIn) {
  const ConvLabState s = ConvLabDefault();
  const ConvLabResult r = EvaluateConvLab(s);
  const ConvCellTrace t = TraceConvCell(s, r, 0, 0, 1);
  // Window columns 1..3 of rows 0..2: each row 10·1 + 10·0 + 0·(−1) = 10.
  EXPECT_EQ(t.text,
            "10\xC3\x97"
            "1 + 10\xC3\x97"
            "0 + 0\xC3\x97(\xE2\x88\x92"
            "1) + "
            "10\xC3\x97"
            "1 + 10\xC3\x97"
            "0 + 0\xC3\x97(\xE2\x88\x92"
            "1) + "
            "10\xC3\x97"
            "1 + 10\xC3\x97"
            "0 + 0\xC3\x97(\xE2\x88\x92"
            "1) = 30");
  EXPECT_EQ(ToAscii(t.text),
            "10*1 + 10*0 + 0*(-1) + 10*1 + 10*0 + 0*(-1) + 10*1 + 10*0 + 0*(-1) = 30");
  ASSERT_EQ(t.terms.size(), 9u);
  EXPECT_EQ(t.terms[2].in_y, 0);
  EXPECT_EQ(t.terms[2].in_x, 3);
  EXPECT_EQ(t.terms[2].weight, -1.0f);
  EXPECT_EQ(t.sum, 30.0f);
}

TEST(ConvLab, TraceMarksPaddedTaps) {
  ConvLabState s = ConvLabDefault();
  s.padding = PaddingMode::kExplicit;
  s.pad_top = s.pad_bottom = s.pad_left = s.pad_right = 1;
  const ConvLabResult r = EvaluateConvLab(s);
  ASSERT_EQ(r.output.dim(1), 6);
  // Corner (0,0): the top row and left column of the window are padding. In bounds:
  // I(0,0)·0 + I(0,1)·(−1) + I(1,0)·0 + I(1,1)·(−1) = −20.
  const ConvCellTrace t = TraceConvCell(s, r, 0, 0, 0);
  int padded = 0;
  for (const ConvTraceTerm& term : t.terms) padded += term.padded;
  EXPECT_EQ(padded, 5);
  EXPECT_EQ(t.sum, -20.0f);
  EXPECT_EQ(r.output.at(0, 0, 0), -20.0f);
}

TEST(ConvLab, SamePaddingKeepsTheSizeAndStrideDividesIt) {
  ConvLabState s = ConvLabDefault();
  s.padding = PaddingMode::kSame;
  ConvLabResult r = EvaluateConvLab(s);
  EXPECT_EQ(r.output.shape(), (std::vector<int>{1, 6, 6}));
  EXPECT_EQ(r.params.pad_top, 1);
  s.stride_h = s.stride_w = 2;  // ⌈6/2⌉ = 3; total padding (3−1)·2 + 3 − 6 = 1: 0 before, 1 after
  r = EvaluateConvLab(s);
  EXPECT_EQ(r.output.shape(), (std::vector<int>{1, 3, 3}));
  EXPECT_EQ(r.params.pad_top, 0);
  EXPECT_EQ(r.params.pad_bottom, 1);
}

TEST(ConvLab, NoValidOutputIsAMessageNotACrash) {
  ConvLabState s = ConvLabDefault();
  s.input = Tensor({1, 2, 2}, 1.0f);
  s.dil_h = s.dil_w = 3;
  const ConvLabResult r = EvaluateConvLab(s);
  EXPECT_TRUE(r.output.empty());
  EXPECT_NE(r.error.find("No output"), std::string::npos) << r.error;
  EXPECT_NE(r.rows.Formula("rows").find("none"), std::string::npos) << r.rows.Formula("rows");
  const std::string json = ConvLabToJson(s, r);
  EXPECT_NE(json.find("\"output\":null"), std::string::npos) << json;
}

TEST(ConvLab, ReevaluatingReusesTheResult) {
  ConvLabState s = ConvLabDefault();
  ConvLabResult r;
  EvaluateConvLab(s, &r);
  const float* storage = r.output.data();
  s.filter.at4(0, 0, 0, 0) =
      2;  // rows [2,0,-1],[1,0,-1]x2: out[x] = 3(I[x]-I[x+2]) + I[x] = 10,40,40,0
  EvaluateConvLab(s, &r);
  EXPECT_EQ(r.output.data(), storage);
  EXPECT_EQ(r.output.values(),
            (std::vector<float>{10, 40, 40, 0, 10, 40, 40, 0, 10, 40, 40, 0, 10, 40, 40, 0}));
  s.dil_h = s.dil_w = 3;  // no output: the result says why and holds no stale map
  EvaluateConvLab(s, &r);
  EXPECT_TRUE(r.output.empty());
  EXPECT_FALSE(r.error.empty());
  s.dil_h = s.dil_w = 1;
  EvaluateConvLab(s, &r);
  EXPECT_EQ(r.error, "");
  EXPECT_EQ(r.output.size(), 16u);
}

TEST(ConvLab, DecodeAppliesDefaultsAndKeepsTypedValues) {
  const ConvLabState s = Decode("#v1/conv?f=1x2:0.1,-0.25&in=1x3:1,2,3");
  EXPECT_EQ(s.padding, PaddingMode::kValid);
  EXPECT_EQ(s.stride_h, 1);
  EXPECT_EQ(s.stride_w, 1);
  EXPECT_EQ(s.dil_h, 1);
  EXPECT_EQ(s.dil_w, 1);
  EXPECT_EQ(s.filter.at4(0, 0, 0, 0), 0.1f);
  EXPECT_EQ(EncodeConvLab(s), "v1/conv?in=1x3:1,2,3&f=1x2:0.1,-0.25&pad=valid&stride=1&dil=1");
  const ConvLabState t = Decode("v1/conv?in=1x1:5&f=1x1:2&pad=3&stride=4&dil=3");
  EXPECT_EQ(t.padding, PaddingMode::kExplicit);
  EXPECT_EQ(t.pad_top, 3);
  EXPECT_EQ(t.pad_right, 3);
  EXPECT_EQ(t.stride_w, 4);
  EXPECT_EQ(t.dil_h, 3);
  EXPECT_EQ(Decode(EncodeConvLab(t)), t);
}

TEST(ConvLab, DecodeNamesTheBadField) {
  const std::string ok_in = "in=2x2:1,2,3,4", ok_f = "f=1x1:1";
  struct Case {
    std::string link, field;
  };
  const Case cases[] = {
      {"v1/conv?" + ok_f, "in"},
      {"v1/conv?" + ok_in, "f"},
      {"v1/conv?in=129x1:0*129&" + ok_f, "in"},
      {"v1/conv?" + ok_in + "&f=8x8:0*64", "f"},
      {"v1/conv?" + ok_in + "&f=1x1:nan", "f"},
      {"v1/conv?" + ok_in + "&f=1x1:1e40", "f"},
      {"v1/conv?" + ok_in + "&" + ok_f + "&pad=5", "pad"},
      {"v1/conv?" + ok_in + "&" + ok_f + "&pad=1,2,3", "pad"},
      {"v1/conv?" + ok_in + "&" + ok_f + "&pad=1,2,3,5", "pad"},
      {"v1/conv?" + ok_in + "&" + ok_f + "&stride=2x5", "stride"},
      {"v1/conv?" + ok_in + "&" + ok_f + "&groups=2", "groups"},
      {"v1/conv?" + ok_in + "&" + ok_f + "&outpad=1", "outpad"},
      {"v1/conv?" + ok_in + "&" + ok_f + "&stride=2&mode=transposed&outpad=2", "outpad"},
      {"v1/conv?" + ok_in + "&" + ok_f + "&pool=amax:3", "pool"},
      {"v1/conv?" + ok_in + "&" + ok_f + "&pool=avg:2:2&pdil=2", "pdil"},
      {"v1/conv?" + ok_in + "&" + ok_f + "&pool=max:2:2&cip=0", "cip"},
      {"v1/conv?" + ok_in + "&" + ok_f + "&pool=max:2:2&ppad=2", "ppad"},
      {"v1/conv?" + ok_in + "&" + ok_f + "&pool=gmax&ceil=1", "ceil"},
      {"v1/conv?" + ok_in + "&" + ok_f + "&pad=full", "pad"},
      {"v1/conv?" + ok_in + "&" + ok_f + "&stride=0", "stride"},
      {"v1/conv?" + ok_in + "&" + ok_f + "&stride=-1", "stride"},
      {"v1/conv?" + ok_in + "&" + ok_f + "&dil=4", "dil"},
      {"v1/conv?" + ok_in + "&" + ok_f + "&zoom=2", "zoom"},
      {"v1/conv?" + ok_in + "&" + ok_f + "&" + ok_f, "f"},
  };
  for (const Case& c : cases) {
    const LinkError e = DecodeError(c.link);
    EXPECT_EQ(e.field, c.field) << c.link << " -> " << e.ToString();
    EXPECT_FALSE(e.message.empty()) << c.link;
  }
}

TEST(ConvLab, EveryPresetRoundTripsAndEvaluates) {
  const std::vector<PresetInfo> presets = AllPresets();
  ASSERT_GE(ConvLabPresets().size(), 1u + 8u + 5u + 4u);
  for (const PresetInfo& p : presets) {
    if (p.lab != "conv") continue;
    const ConvLabState s = Decode(p.link);
    EXPECT_EQ(EncodeConvLab(s), p.link) << p.id;
    EXPECT_LE(p.link.size(), 200u) << p.id;
    std::string json;
    LinkError error;
    EXPECT_TRUE(EvalLinkToJson(p.link, &json, &error)) << p.id << ": " << error.ToString();
  }
}

TEST(ConvLab, FilterPresetsHoldTheTextbookKernels) {
  ConvLabState s = ConvLabDefault();
  for (const ConvFilterPreset& f : ConvFilterPresets()) {
    ApplyFilterPreset(f, &s);
    const ConvLabResult r = EvaluateConvLab(s);
    ASSERT_EQ(r.error, "") << f.id;
    const std::string id = f.id;
    // On the E9 image (columns 0..2 bright = 10) by hand:
    if (id == "sobel-x") {
      EXPECT_EQ(r.output.at(0, 0, 1), 40.0f);  // window columns 1..3 = 10,10,0: (1+2+1)·10
    } else if (id == "horizontal-edge") {
      EXPECT_EQ(r.output.at(0, 0, 1), 0.0f);  // every row alike: 20 − 20
    } else if (id == "laplacian") {
      EXPECT_EQ(r.output.at(0, 1, 1), -10.0f);  // up, down, left 10 each, right 0, − 4·10
    } else if (id == "identity") {
      EXPECT_EQ(r.output.at(0, 2, 1), 10.0f);  // the centre pixel (3,2)
    } else if (id == "sharpen") {
      EXPECT_EQ(r.output.at(0, 0, 1), 20.0f);  // 5·10 − 10 − 10 − 10 − 0
    }
  }
}

TEST(ConvLab, ChannelsAreSummedPerFilter) {
  // RGB preset: red = left half 10, green = top half 10, blue = centre 2x2 of 10; one
  // vertical-edge filter on every channel. Output (0,0,1) by channel, window rows 0..2,
  // columns 1..3: red 3·(10 − 0) = 30; green rows 0..2 are 10 everywhere: 3·(10 − 10) = 0;
  // blue: only (2,2) and (2,3) are 10 in the window: 10·0 + 10·(−1) = −10. Sum 20.
  ConvLabState s;
  for (const PresetInfo& p : AllPresets())
    if (p.id == "rgb") s = Decode(p.link);
  ASSERT_EQ(s.channels(), 3);
  const ConvLabResult r = EvaluateConvLab(s);
  ASSERT_EQ(r.error, "");
  const ConvCellTrace t = TraceConvCell(s, r, 0, 0, 1);
  EXPECT_EQ(t.channel_sums, (std::vector<float>{30, 0, -10}));
  EXPECT_EQ(t.sum, 20.0f);
  EXPECT_EQ(r.output.at(0, 0, 1), 20.0f);
  EXPECT_EQ(t.text.rfind("[ch0] (", 0), 0u) << t.text;
}

TEST(ConvLab, ReluAndMaxPoolFollowTheConvolution) {
  // 8x8 image with a bright 4x4 square at rows/cols 2..5; filter 0 vertical edge.
  // Output row 1 (window rows 1..3), columns 0..5 by hand: I(y, x) − I(y, x+2) summed over
  // the window rows; rows 2,3 are bright at cols 2..5, row 1 is dark:
  // x=0: 2·(0 − 10) = −20, x=1: 2·(0 − 10) = −20, x=2: 0, x=3: 0, x=4: 2·10 = 20, x=5: 20.
  ConvLabState s;
  for (const PresetInfo& p : AllPresets())
    if (p.id == "relu-maxpool") s = Decode(p.link);
  ASSERT_TRUE(s.relu);
  const ConvLabResult r = EvaluateConvLab(s);
  ASSERT_EQ(r.error, "");
  ASSERT_EQ(r.output.shape(), (std::vector<int>{2, 6, 6}));
  const std::vector<float> row1 = {-20, -20, 0, 0, 20, 20};
  for (int x = 0; x < 6; ++x) {
    EXPECT_EQ(r.output.at(0, 1, x), row1[x]) << x;
    EXPECT_EQ(r.activated.at(0, 1, x), std::max(row1[x], 0.0f)) << x;
  }
  // 2x2 max pool, stride 2 -> 3x3; pooled (0, 0, 2) covers rows 0..1, cols 4..5. Row 0
  // (window rows 0..2: only row 2 bright): x=4: 10, x=5: 10. So max(10, 10, 20, 20) = 20.
  ASSERT_EQ(r.pooled.shape(), (std::vector<int>{2, 3, 3}));
  EXPECT_EQ(r.pooled.at(0, 0, 2), 20.0f);
  EXPECT_EQ(TracePoolCell(s, r, 0, 0, 2), "max(10, 10, 20, 20) = 20");
}

TEST(ConvLab, TransposedUpsamplesByTheStride) {
  // 3x3 input 1..9, 2x2 ones, stride 2: each value becomes a 2x2 block -> 6x6.
  ConvLabState s;
  for (const PresetInfo& p : AllPresets())
    if (p.id == "transposed-upsample") s = Decode(p.link);
  ASSERT_TRUE(s.transposed);
  const ConvLabResult r = EvaluateConvLab(s);
  ASSERT_EQ(r.output.shape(), (std::vector<int>{1, 6, 6}));
  for (int y = 0; y < 6; ++y)
    for (int x = 0; x < 6; ++x)
      EXPECT_EQ(r.output.at(0, y, x), static_cast<float>((y / 2) * 3 + x / 2 + 1)) << y << x;
  EXPECT_EQ(ToAscii(r.rows.Formula("rows")), "rows: (3-1)*2 - 2*0 + 1*(2-1) + 1 = 6");
  EXPECT_EQ(TraceConvCell(s, r, 0, 3, 2).text,
            "5\xC3\x97"
            "1 = 5");
}

TEST(ConvLab, OldLinksStillOpenAndNewFieldsAreValidated) {
  // A link written before channels existed opens to one channel and one filter, and
  // writes itself back the same way.
  const std::string old = "v1/conv?in=6x6:(10*3,0*3)*6&f=3x3:(1,0,-1)*3&pad=valid&stride=1&dil=1";
  EXPECT_EQ(EncodeConvLab(Decode(old)), old);
  const std::string base = "v1/conv?in=2x2:1,2,3,4&f=1x1:1";
  struct Case {
    std::string tail, field;
  };
  for (const Case& c : {Case{"&mode=deconv", "mode"}, Case{"&act=gelu", "act"},
                        Case{"&pool=max", "pool"}, Case{"&pool=max:8:1", "pool"},
                        Case{"&pool=min:2:2", "pool"}, Case{"&pool=max:2:0", "pool"}}) {
    EXPECT_EQ(DecodeError(base + c.tail).field, c.field) << c.tail;
  }
  EXPECT_EQ(DecodeError("v1/conv?in=5x2x2:0*20&f=1x5x1x1:0*5").field, "in");  // 5 channels
  EXPECT_EQ(DecodeError("v1/conv?in=2x2x2:0*8&f=3x3:0*9").field, "f");        // channels differ
  EXPECT_EQ(DecodeError("v1/conv?in=64x64x64:0&f=1x1:1").field, "in");        // over the count
}

TEST(Registry, EvalLinkToJsonReportsUnknownLabs) {
  std::string json;
  LinkError error;
  EXPECT_FALSE(EvalLinkToJson("v1/nosuchlab?x=1", &json, &error));
  EXPECT_EQ(error.field, "lab");
  ASSERT_TRUE(EvalLinkToJson(EncodeConvLab(ConvLabDefault()), &json, &error));
  EXPECT_NE(json.find("\"output\":{\"shape\":[1,4,4],\"values\":[0,30,30,0,0,30,30,0,"),
            std::string::npos)
      << json;
}

}  // namespace
}  // namespace nnplay

namespace nnplay {
namespace {

// Known discrepancies found against PyTorch (issue 15), expected values from
// torch.nn.functional.conv_transpose2d and by hand.
TEST(ConvLabTransposed, SamePaddingGivesNTimesSEvenWhenTheFilterIsShorterThanTheStride) {
  // d(k−1)+1 = 1 < s = 3: "same" means n·s = 6 (TensorFlow, docs/link-format.md); PyTorch:
  // conv_transpose2d(x, 2, stride=3, output_padding=2) = 2x at every third cell, else 0.
  const ConvLabState s =
      Decode("v1/conv?in=2x2:1,2,3,4&f=1x1:2&pad=same&stride=3&dil=1&mode=transposed");
  const ConvLabResult r = EvaluateConvLab(s);
  ASSERT_EQ(r.error, "");
  ASSERT_EQ(r.output.shape(), (std::vector<int>{1, 6, 6}));
  for (int y = 0; y < 6; ++y)
    for (int x = 0; x < 6; ++x) {
      const float expect = y % 3 == 0 && x % 3 == 0 ? 2.0f * ((y / 3) * 2 + x / 3 + 1) : 0.0f;
      EXPECT_EQ(r.output.at(0, y, x), expect) << y << "," << x;
    }
  // (2−1)·3 − 0 − 0 + 1·(1−1) + 2 + 1 = 6: the output padding 2 is a term of its own.
  EXPECT_EQ(ToAscii(r.rows.Formula("rows")), "rows: (2-1)*3 - 2*0 + 1*(1-1) + 2 + 1 = 6");
}

TEST(ConvLabTransposed, UnevenSamePaddingIsSubtractedInTheFormula) {
  // Padding 1 before, 2 after: (5−1)·1 − 1 − 2 + 1·(4−1) + 1 = 5 (it printed "− 1 + 2").
  const ConvLabState s =
      Decode("v1/conv?in=5x5:1*25&f=4x4:1*16&pad=same&stride=1&dil=1&mode=transposed");
  const ConvLabResult r = EvaluateConvLab(s);
  ASSERT_EQ(r.output.shape(), (std::vector<int>{1, 5, 5}));
  EXPECT_EQ(ToAscii(r.rows.Formula("rows")), "rows: (5-1)*1 - 1 - 2 + 1*(4-1) + 1 = 5");
  // torch: conv_transpose2d(ones(5,5), ones(4,4))[1:-2, 1:-2], first row 4 6 8 8 6.
  const float row0[] = {4, 6, 8, 8, 6};
  for (int x = 0; x < 5; ++x) EXPECT_EQ(r.output.at(0, 0, x), row0[x]) << x;
  EXPECT_EQ(r.output.at(0, 2, 2), 16.0f);
}

}  // namespace
}  // namespace nnplay

namespace nnplay {
namespace {

// Every option of the convolution arithmetic against PyTorch. The expected tensors were
// computed once by torch.nn.functional (conv2d on F.pad for asymmetric padding,
// conv_transpose2d with groups and output_padding, max_pool2d, avg_pool2d,
// adaptive_*_pool2d) and pasted here; tests/referee compares generated states live.
// Generated once by PyTorch 1.13 (torch.nn.functional), pasted as expected values.
struct TorchCase {
  const char* name;
  const char* link;
  const char* tensor;
  std::vector<int> shape;
  std::vector<double> values;
};
const TorchCase kTorchCases[] = {
    {"PerAxisStrideAndKernelAsymmetricPadding",
     "v1/"
     "conv?in=2x5x7:-5,2,-2,5,1,-3,4,0,-4,3,-1,-5,2,-2,5,1,-3,4,0,-4,3,-1,-5,2,-2,5,1,-3,4,0,-4,3,-"
     "1,-5,2,-2,5,1,-3,4,0,-4,3,-1,-5,2,-2,5,1,-3,4,0,-4,3,-1,-5,2,-2,5,1,-3,4,0,-4,3,-1,-5,2,-2,5&"
     "f=1x2x1x5:1,0,-1,2,1,0.5,1,0,0,-1&pad=1,0,2,1&stride=2x1&dil=1",
     "output",
     {1, 3, 6},
     {0, 0, 0, 0, 0, 0, 0, 10, -7.5, -21.5, 8.5, -8, -12, 8, 0, 8, -0.5, -11.5}},
    {"DepthwiseWithTwoFiltersPerChannelAndDilation2x1",
     "v1/"
     "conv?in=2x5x7:-5,2,-2,5,1,-3,4,0,-4,3,-1,-5,2,-2,5,1,-3,4,0,-4,3,-1,-5,2,-2,5,1,-3,4,0,-4,3,-"
     "1,-5,2,-2,5,1,-3,4,0,-4,3,-1,-5,2,-2,5,1,-3,4,0,-4,3,-1,-5,2,-2,5,1,-3,4,0,-4,3,-1,-5,2,-2,5&"
     "f=4x1x2x2:1,2,0,-1,0,1,1,0,-1,0,0,1,2,0,0,2&pad=valid&stride=1&dil=2x1&groups=2",
     "output",
     {4, 3, 6},
     {-2, 1, 4,  7, -1, 2,  -3, 0, 3, -16, -2, 1, 7,  -1, 2, 5,  -3, 0,  7,   -1, 2,  5, -3, 0, -5,
      -2, 1, -7, 7, -1, 5,  -3, 0, 3, -5,  -2, 6, -5, -5, 6, -5, -5, -5, 6,   6,  -5, 6, -5, 6, -5,
      -5, 6, -5, 6, 4,  10, -6, 0, 6, -10, 2,  8, -8, -2, 4, 10, 0,  6,  -10, -4, 2,  8}},
    {"TransposedGroupsOutputPaddingPerAxisStride",
     "v1/"
     "conv?in=2x2x3:1,2,3,4,5,6,-1,0,2,1,1,-2&f=2x1x2x2:1,2,3,4,-1,0,1,2&pad=1,1,0,0&stride=2x1&"
     "dil=1&groups=2&mode=transposed&outpad=1x0",
     "output",
     {2, 3, 4},
     {3, 10, 17, 12, 4, 13, 16, 12, 12, 31, 38, 24, -1, -2, 2, 4, -1, -1, 2, 0, 1, 3, 0, -4}},
    {"TransposedTwoFiltersPerGroupDilation",
     "v1/"
     "conv?in=2x2x3:1,2,3,4,5,6,-1,0,2,1,1,-2&f=4x1x2x2:1,2,3,4,-1,0,1,2,0,1,0,1,2,-2,1,0&pad="
     "valid&stride=2&dil=2&groups=2&mode=transposed&outpad=1",
     "output",
     {4, 6, 8},
     {1,  0, 4,  0, 7,  0, 6,  0, 0,  0, 0,  0, 0,  0, 0,  0, 7,  0, 23, 0, 33, 0, 24, 0,
      0,  0, 0,  0, 0,  0, 0,  0, 12, 0, 31, 0, 38, 0, 24, 0, 0,  0, 0,  0, 0,  0, 0,  0,
      -1, 0, -2, 0, -3, 0, 0,  0, 0,  0, 0,  0, 0,  0, 0,  0, -3, 0, -1, 0, 1,  0, 6,  0,
      0,  0, 0,  0, 0,  0, 0,  0, 4,  0, 13, 0, 16, 0, 12, 0, 0,  0, 0,  0, 0,  0, 0,  0,
      0,  0, -1, 0, 0,  0, 2,  0, 0,  0, 0,  0, 0,  0, 0,  0, 0,  0, 0,  0, 1,  0, 0,  0,
      0,  0, 0,  0, 0,  0, 0,  0, 0,  0, 1,  0, 1,  0, -2, 0, 0,  0, 0,  0, 0,  0, 0,  0,
      -2, 0, 2,  0, 4,  0, -4, 0, 0,  0, 0,  0, 0,  0, 0,  0, 1,  0, 0,  0, -4, 0, 4,  0,
      0,  0, 0,  0, 0,  0, 0,  0, 1,  0, 1,  0, -2, 0, 0,  0, 0,  0, 0,  0, 0,  0, 0,  0}},
    {"MaxPoolPaddingDilationCeil",
     "v1/"
     "conv?in=6x7:-4,1,6,-2,3,8,0,5,-3,2,7,-1,4,-4,1,6,-2,3,8,0,5,-3,2,7,-1,4,-4,1,6,-2,3,8,0,5,-3,"
     "2,7,-1,4,-4,1,6&f=1x1:1&pad=valid&stride=1&dil=1&pool=max:3x2:2&ppad=1&pdil=1x2&ceil=1",
     "pooled",
     {1, 4, 4},
     {1, 7, 8, 8, 6, 7, 7, 4, 7, 8, 8, 5, 7, 7, 4, 1}},
    {"AvgPoolCeilCountsPaddingButNotTheOverhang",
     "v1/"
     "conv?in=6x7:-4,1,6,-2,3,8,0,5,-3,2,7,-1,4,-4,1,6,-2,3,8,0,5,-3,2,7,-1,4,-4,1,6,-2,3,8,0,5,-3,"
     "2,7,-1,4,-4,1,6&f=1x1:1&pad=valid&stride=1&dil=1&pool=avg:3:2&ppad=1&ceil=1",
     "pooled",
     {1, 4, 4},
     {-0.111111112, 1.22222221, 2.11111116, 0.888888896, 0.888888896, 2.33333325, 2.22222233,
      0.222222224, 1.33333337, 3, 1.44444442, 0.666666687, 1.5, 1.66666663, 0.166666672,
      1.16666663}},
    {"AvgPoolCeilWithoutCountingPadding",
     "v1/"
     "conv?in=6x7:-4,1,6,-2,3,8,0,5,-3,2,7,-1,4,-4,1,6,-2,3,8,0,5,-3,2,7,-1,4,-4,1,6,-2,3,8,0,5,-3,"
     "2,7,-1,4,-4,1,6&f=1x1:1&pad=valid&stride=1&dil=1&pool=avg:3:2&ppad=1&ceil=1&cip=0",
     "pooled",
     {1, 4, 4},
     {-0.25, 1.83333337, 3.16666675, 2, 1.33333337, 2.33333325, 2.22222233, 0.333333343, 2, 3,
      1.44444442, 1, 4.5, 3.33333325, 0.333333343, 3.5}},
    {"AvgPoolFloorSevenWide",
     "v1/"
     "conv?in=6x7:-4,1,6,-2,3,8,0,5,-3,2,7,-1,4,-4,1,6,-2,3,8,0,5,-3,2,7,-1,4,-4,1,6,-2,3,8,0,5,-3,"
     "2,7,-1,4,-4,1,6&f=1x1:1&pad=valid&stride=1&dil=1&pool=avg:1x7:1x2&ppad=0x3",
     "pooled",
     {1, 6, 4},
     {0.142857149, 1.71428573,  2.28571439, 1.28571427, 1.57142854, 2,
      0.714285731, 0.857142866, 1.14285719, 2.28571439, 2.85714293, 2.28571439,
      0.714285731, 0.714285731, 1.28571427, 0,          2.14285707, 2.85714293,
      1.57142854,  1.42857146,  1.71428573, 1.28571427, 1.85714281, 1}},
    {"MaxPoolCeilPartialLastWindow",
     "v1/"
     "conv?in=6x7:-4,1,6,-2,3,8,0,5,-3,2,7,-1,4,-4,1,6,-2,3,8,0,5,-3,2,7,-1,4,-4,1,6,-2,3,8,0,5,-3,"
     "2,7,-1,4,-4,1,6&f=1x1:1&pad=valid&stride=1&dil=1&pool=max:2:2&ceil=1",
     "pooled",
     {1, 3, 4},
     {5, 7, 8, 0, 6, 7, 8, 5, 7, 8, 5, 6}},
    {"AdaptiveMax2x3",
     "v1/"
     "conv?in=6x7:-4,1,6,-2,3,8,0,5,-3,2,7,-1,4,-4,1,6,-2,3,8,0,5,-3,2,7,-1,4,-4,1,6,-2,3,8,0,5,-3,"
     "2,7,-1,4,-4,1,6&f=1x1:1&pad=valid&stride=1&dil=1&pool=amax:2x3",
     "pooled",
     {1, 2, 3},
     {6, 8, 8, 7, 8, 6}},
    {"AdaptiveAvg4x5",
     "v1/"
     "conv?in=6x7:-4,1,6,-2,3,8,0,5,-3,2,7,-1,4,-4,1,6,-2,3,8,0,5,-3,2,7,-1,4,-4,1,6,-2,3,8,0,5,-3,"
     "2,7,-1,4,-4,1,6&f=1x1:1&pad=valid&stride=1&dil=1&pool=aavg:4x5",
     "pooled",
     {1, 4, 5},
     {-0.25, 1.5, 2.5, 3.5,  2,     2.25, 0.75, 2.83333325, 2.75, 1.25,
      0.75,  2.5, 3.5, 1.25, -0.25, 3.25, 1.75, 1.66666663, 0.5,  2.25}},
    {"GlobalAvg",
     "v1/"
     "conv?in=6x7:-4,1,6,-2,3,8,0,5,-3,2,7,-1,4,-4,1,6,-2,3,8,0,5,-3,2,7,-1,4,-4,1,6,-2,3,8,0,5,-3,"
     "2,7,-1,4,-4,1,6&f=1x1:1&pad=valid&stride=1&dil=1&pool=gavg",
     "pooled",
     {1, 1, 1},
     {1.92857146}},
    {"GlobalMax",
     "v1/"
     "conv?in=6x7:-4,1,6,-2,3,8,0,5,-3,2,7,-1,4,-4,1,6,-2,3,8,0,5,-3,2,7,-1,4,-4,1,6,-2,3,8,0,5,-3,"
     "2,7,-1,4,-4,1,6&f=1x1:1&pad=valid&stride=1&dil=1&pool=gmax",
     "pooled",
     {1, 1, 1},
     {8}},
};

TEST(ConvLabTorch, EveryOptionMatchesTorchNnFunctional) {
  for (const TorchCase& c : kTorchCases) {
    SCOPED_TRACE(c.name);
    const ConvLabState s = Decode(c.link);
    // The fields write themselves back as typed (the tensors fold repeats: "(…)*6").
    const std::string link = c.link, written = EncodeConvLab(s);
    EXPECT_EQ(written.substr(written.find("&pad=")), link.substr(link.find("&pad=")));
    EXPECT_EQ(Decode(written), s);
    const ConvLabResult r = EvaluateConvLab(s);
    ASSERT_EQ(r.error, "");
    ASSERT_EQ(r.pool_error, "");
    const Tensor& t = std::string(c.tensor) == "pooled" ? r.pooled : r.output;
    ASSERT_EQ(t.shape(), c.shape);
    double largest = 0;
    for (double v : c.values) largest = std::max(largest, std::fabs(v));
    for (size_t i = 0; i < c.values.size(); ++i)
      EXPECT_NEAR(t[i], c.values[i], 1e-5 * std::max(largest, 1.0)) << "index " << i;
  }
}

TEST(ConvLabTorch, ParameterCountDividesByTheGroups) {
  // Depthwise: 4 filters over 2 channels in 2 groups see one channel each: 4×1×2×2 = 16.
  const ConvLabState s = Decode(kTorchCases[1].link);
  EXPECT_EQ(s.parameters(), 16);
  EXPECT_NE(ConvLabToJson(s, EvaluateConvLab(s)).find("\"parameters\":16"), std::string::npos);
}

TEST(ConvLabTorch, PoolTracesListTheWindowAsTorchSeesIt) {
  // The average with count_include_pad at the top-left corner: the window rows −1..1,
  // columns −1..1 of the 6×7 map; five padded zeros and map[0..1][0..1] = −4, 1 / 5, −3 (m[i] =
  // (5i mod 13) − 4), divided by 9.
  const ConvLabState s = Decode(kTorchCases[5].link);
  const ConvLabResult r = EvaluateConvLab(s);
  EXPECT_EQ(ToAscii(TracePoolCell(s, r, 0, 0, 0)), "mean(0, 0, 0, 0, -4, 1, 0, 5, -3) = -0.111111");
  // Ceil mode's last row of windows starts at map row 5: row 5 and the padding row 6 count,
  // the overhang (row 7) does not: divisor 2×3 = 6 at (3, 0).
  std::vector<int> cells;
  PoolWindowCells(s, r, 3, 0, &cells);
  EXPECT_EQ(cells, (std::vector<int>{35, 36}));
  const std::string formula = ToAscii(PoolAxisFormula(s, 6, true));
  EXPECT_EQ(formula, "rows: ceil((6 + 2*1 - 1*(3-1) - 1)/2) + 1 = 4") << formula;
}

}  // namespace
}  // namespace nnplay

namespace nnplay {
namespace {

// The zero-stuffed picture of a transposed convolution is exact: a plain stride-1
// convolution (conv2d_forward_ref, an independent kernel) of the stuffed input with the
// turned filter gives the transposed output, for random shapes, strides, dilations,
// paddings, output paddings and groups.
TEST(ConvLabZeroStuffed, ConvolvingTheStuffedInputGivesTheTransposedOutput) {
  Pcg32 rng(15);
  auto pick = [&](int lo, int hi) {
    return lo + static_cast<int>(rng.NextU32() % static_cast<uint32_t>(hi - lo + 1));
  };
  int checked = 0;
  for (int trial = 0; trial < 150; ++trial) {
    ConvLabState s;
    s.groups = pick(1, 2);
    const int c = s.groups * pick(1, 2), o = s.groups * pick(1, 2);
    s.input = Tensor({c, pick(1, 5), pick(1, 5)});
    s.filter = Tensor({o, c / s.groups, pick(1, 4), pick(1, 4)});
    for (size_t i = 0; i < s.input.size(); ++i) s.input[i] = static_cast<float>(pick(-4, 4));
    for (size_t i = 0; i < s.filter.size(); ++i) s.filter[i] = static_cast<float>(pick(-3, 3));
    s.transposed = true;
    s.stride_h = pick(1, 3), s.stride_w = pick(1, 3), s.dil_h = pick(1, 2), s.dil_w = pick(1, 2);
    s.padding = static_cast<PaddingMode>(pick(0, 2));
    if (s.padding == PaddingMode::kExplicit)
      s.pad_top = pick(0, 2), s.pad_bottom = pick(0, 2), s.pad_left = pick(0, 2),
      s.pad_right = pick(0, 2);
    if (s.padding != PaddingMode::kSame) {
      s.out_pad_h = pick(0, std::max(s.stride_h, s.dil_h) - 1);
      s.out_pad_w = pick(0, std::max(s.stride_w, s.dil_w) - 1);
    }
    const ConvLabResult r = EvaluateConvLab(s);
    if (!r.error.empty()) continue;
    const ConvZeroStuffed z = ConvLabZeroStuffed(s, r);
    Conv2dParams p;
    p.in_c = c, p.out_c = o, p.groups = s.groups, p.in_h = z.input.dim(1), p.in_w = z.input.dim(2);
    p.k_h = s.filter.dim(2), p.k_w = s.filter.dim(3), p.dil_h = s.dil_h, p.dil_w = s.dil_w;
    ASSERT_EQ(p.out_h(), r.output.dim(1)) << trial;
    ASSERT_EQ(p.out_w(), r.output.dim(2)) << trial;
    std::vector<float> y(r.output.size());
    conv2d_forward_ref(p, z.input.data(), z.filter.data(), nullptr, y.data());
    for (size_t i = 0; i < y.size(); ++i) ASSERT_EQ(y[i], r.output[i]) << trial << " at " << i;
    // Every input value appears once, where the kind says.
    int values = 0;
    for (size_t i = 0; i < z.kind.size(); ++i) values += z.kind[i] == ConvZeroStuffed::kValue;
    EXPECT_LE(values, s.input.dim(1) * s.input.dim(2));
    ++checked;
  }
  EXPECT_GT(checked, 100);
}

}  // namespace
}  // namespace nnplay
