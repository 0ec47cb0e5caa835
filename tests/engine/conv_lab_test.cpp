// conv_lab_test.cpp: the convolution lab's model, its link fields and its presets.
#include "labs/conv_lab.h"

#include <gtest/gtest.h>

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
  ASSERT_EQ(r.output.shape(), (std::vector<int>{4, 4}));
  for (int y = 0; y < 4; ++y) {
    EXPECT_EQ(r.output.at(y, 0), 0.0f);
    EXPECT_EQ(r.output.at(y, 1), 30.0f);
    EXPECT_EQ(r.output.at(y, 2), 30.0f);
    EXPECT_EQ(r.output.at(y, 3), 0.0f);
  }
  EXPECT_EQ(r.rows.Formula("rows"), "rows: floor((6 + 2*0 - 1*(3-1) - 1)/1) + 1 = 4");
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
  const ConvCellTrace t = TraceConvCell(s, r, 0, 1);
  // Window columns 1..3 of rows 0..2: each row 10·1 + 10·0 + 0·(−1) = 10.
  EXPECT_EQ(t.text,
            "10\xC3\x97"
            "1 + 10\xC3\x97"
            "0 + 0\xC3\x97(-1) + "
            "10\xC3\x97"
            "1 + 10\xC3\x97"
            "0 + 0\xC3\x97(-1) + "
            "10\xC3\x97"
            "1 + 10\xC3\x97"
            "0 + 0\xC3\x97(-1) = 30");
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
  ASSERT_EQ(r.output.dim(0), 6);
  // Corner (0,0): the top row and left column of the window are padding. In bounds:
  // I(0,0)·0 + I(0,1)·(−1) + I(1,0)·0 + I(1,1)·(−1) = −20.
  const ConvCellTrace t = TraceConvCell(s, r, 0, 0);
  int padded = 0;
  for (const ConvTraceTerm& term : t.terms) padded += term.padded;
  EXPECT_EQ(padded, 5);
  EXPECT_EQ(t.sum, -20.0f);
  EXPECT_EQ(r.output.at(0, 0), -20.0f);
}

TEST(ConvLab, SamePaddingKeepsTheSizeAndStrideDividesIt) {
  ConvLabState s = ConvLabDefault();
  s.padding = PaddingMode::kSame;
  ConvLabResult r = EvaluateConvLab(s);
  EXPECT_EQ(r.output.shape(), (std::vector<int>{6, 6}));
  EXPECT_EQ(r.params.pad_top, 1);
  s.stride = 2;  // ⌈6/2⌉ = 3; total padding (3−1)·2 + 3 − 6 = 1: 0 before, 1 after
  r = EvaluateConvLab(s);
  EXPECT_EQ(r.output.shape(), (std::vector<int>{3, 3}));
  EXPECT_EQ(r.params.pad_top, 0);
  EXPECT_EQ(r.params.pad_bottom, 1);
}

TEST(ConvLab, NoValidOutputIsAMessageNotACrash) {
  ConvLabState s = ConvLabDefault();
  s.input = Tensor({2, 2}, 1.0f);
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
  s.filter.at(0, 0) = 2;  // rows [2,0,-1],[1,0,-1]x2: out[x] = 3(I[x]-I[x+2]) + I[x] = 10,40,40,0
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
  EXPECT_EQ(s.filter.at(0, 0), 0.1f);
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
      {"v1/conv?in=65x1:0*65&" + ok_f, "in"},
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
  ASSERT_GE(presets.size(), 1u + 8u + 5u);
  for (const PresetInfo& p : presets) {
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
      EXPECT_EQ(r.output.at(0, 1), 40.0f);  // window columns 1..3 = 10,10,0: (1+2+1)·10
    } else if (id == "horizontal-edge") {
      EXPECT_EQ(r.output.at(0, 1), 0.0f);  // every row alike: 20 − 20
    } else if (id == "laplacian") {
      EXPECT_EQ(r.output.at(1, 1), -10.0f);  // up, down, left 10 each, right 0, − 4·10
    } else if (id == "identity") {
      EXPECT_EQ(r.output.at(2, 1), 10.0f);  // the centre pixel (3,2)
    } else if (id == "sharpen") {
      EXPECT_EQ(r.output.at(0, 1), 20.0f);  // 5·10 − 10 − 10 − 10 − 0
    }
  }
}

TEST(Registry, EvalLinkToJsonReportsUnknownLabs) {
  std::string json;
  LinkError error;
  EXPECT_FALSE(EvalLinkToJson("v1/nosuchlab?x=1", &json, &error));
  EXPECT_EQ(error.field, "lab");
  ASSERT_TRUE(EvalLinkToJson(EncodeConvLab(ConvLabDefault()), &json, &error));
  EXPECT_NE(json.find("\"output\":{\"shape\":[4,4],\"values\":[0,30,30,0,0,30,30,0,"),
            std::string::npos)
      << json;
}

}  // namespace
}  // namespace nnplay
