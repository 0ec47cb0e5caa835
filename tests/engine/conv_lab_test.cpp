// conv_lab_test.cpp: the convolution lab's model, its link fields and its presets.
#include "labs/conv_lab.h"

#include <gtest/gtest.h>

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
  s.pad = 1;
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
  s.stride = 2;  // ⌈6/2⌉ = 3; total padding (3−1)·2 + 3 − 6 = 1: 0 before, 1 after
  r = EvaluateConvLab(s);
  EXPECT_EQ(r.output.shape(), (std::vector<int>{1, 3, 3}));
  EXPECT_EQ(r.params.pad_top, 0);
  EXPECT_EQ(r.params.pad_bottom, 1);
}

TEST(ConvLab, NoValidOutputIsAMessageNotACrash) {
  ConvLabState s = ConvLabDefault();
  s.input = Tensor({1, 2, 2}, 1.0f);
  s.dilation = 3;
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
  s.dilation = 3;  // no output: the result says why and holds no stale map
  EvaluateConvLab(s, &r);
  EXPECT_TRUE(r.output.empty());
  EXPECT_FALSE(r.error.empty());
  s.dilation = 1;
  EvaluateConvLab(s, &r);
  EXPECT_EQ(r.error, "");
  EXPECT_EQ(r.output.size(), 16u);
}

TEST(ConvLab, DecodeAppliesDefaultsAndKeepsTypedValues) {
  const ConvLabState s = Decode("#v1/conv?f=1x2:0.1,-0.25&in=1x3:1,2,3");
  EXPECT_EQ(s.padding, PaddingMode::kValid);
  EXPECT_EQ(s.stride, 1);
  EXPECT_EQ(s.dilation, 1);
  EXPECT_EQ(s.filter.at4(0, 0, 0, 0), 0.1f);
  EXPECT_EQ(EncodeConvLab(s), "v1/conv?in=1x3:1,2,3&f=1x2:0.1,-0.25&pad=valid&stride=1&dil=1");
  const ConvLabState t = Decode("v1/conv?in=1x1:5&f=1x1:2&pad=3&stride=4&dil=3");
  EXPECT_EQ(t.padding, PaddingMode::kExplicit);
  EXPECT_EQ(t.pad, 3);
  EXPECT_EQ(t.stride, 4);
  EXPECT_EQ(t.dilation, 3);
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
      {"v1/conv?" + ok_in + "&" + ok_f + "&pad=4", "pad"},
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
                        Case{"&pool=max", "pool"}, Case{"&pool=max:5:1", "pool"},
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
