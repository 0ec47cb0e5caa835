// cost_lab_test.cpp: the cost calculator (E10, E12, E13): every preset against the
// course's correct figures (exercises.md) or a hand computation in the comments, its
// link fields, and "check my work" on the student's own answers.
#include "labs/cost_lab.h"

#include <gtest/gtest.h>

#include <iterator>

#include "labs/registry.h"

namespace nnplay {
namespace {

const CostLabState& Preset(const std::string& id) {
  for (const CostPreset& p : CostPresets())
    if (id == p.id) return p.state;
  ADD_FAILURE() << "no preset " << id;
  return CostPresets()[0].state;
}

CostLabState Decode(const std::string& text) {
  Link link;
  LinkError error;
  CostLabState state;
  EXPECT_TRUE(ParseLink(text, &link, &error)) << error.ToString();
  EXPECT_TRUE(DecodeCostLab(link, &state, &error)) << text << ": " << error.ToString();
  return state;
}

const CheckStep* Step(const CostLabResult& r, const std::string& id) {
  for (const CheckStep& s : r.steps)
    if (s.id == id) return &s;
  return nullptr;
}

TEST(CostLab, Thousands) {
  EXPECT_EQ(Thousands(0), "0");
  EXPECT_EQ(Thousands(999), "999");
  EXPECT_EQ(Thousands(6176), "6,176");
  EXPECT_EQ(Thousands(3776446464LL), "3,776,446,464");
  EXPECT_EQ(Thousands(-1000), "-1,000");
}

TEST(CostLab, E10OneByOneVersusFullyConnected) {
  // 192·32 + 32 = 6,176 parameters; 28·28·32·192 = 4,816,896 multiplications; fully
  // connected (28·28·192)·(28·28·32) = 150,528 · 25,088 = 3,776,446,464 = 784 times more.
  const CostLabResult r = EvaluateCostLab(Preset("e10-1x1-vs-fc"));
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.out.h, 28);
  EXPECT_EQ(r.out.w, 28);
  EXPECT_EQ(r.out.c, 32);
  EXPECT_EQ(r.total.params, 6176);
  EXPECT_EQ(r.total.mults, 4816896);
  EXPECT_EQ(r.fc.mults, 3776446464LL);
  EXPECT_EQ(r.fc.params, 3776446464LL + 25088);
  EXPECT_EQ(r.mult_ratio, 784.0);
  // Weight sharing: each weight is used at 28·28 = 784 positions; sparse connections:
  // each output reads 1·1·192 of the 150,528 inputs (784 times fewer).
  EXPECT_EQ(r.reuse, 784);
  EXPECT_EQ(r.inputs_per_output, 192);
  EXPECT_EQ(r.inputs, 150528);
  const CostStep& st = r.branches[0].steps[0];
  EXPECT_EQ(st.params_text, "32 \u00D7 (1\u00D71\u00D7192) + 32 = 6,176");
  EXPECT_EQ(st.mults_text,
            "28\u00D728\u00D732 outputs \u00D7 1\u00D71\u00D7192 = 25,088 \u00D7 192 = 4,816,896");
  const std::string json = CostLabToJson(Preset("e10-1x1-vs-fc"), r);
  EXPECT_NE(json.find("\"mults_formatted\":\"3,776,446,464\""), std::string::npos) << json;
}

TEST(CostLab, E12BothForms) {
  // 5×5 same 192 → 32 on 28×28: 28·28·32·(5·5·192 = 4,800) = 120,422,400.
  const CostLabResult direct = EvaluateCostLab(Preset("e12-5x5"));
  EXPECT_EQ(direct.total.mults, 120422400);
  // 1×1 to 16 first: 28·28·16·192 = 2,408,448; then 28·28·32·(5·5·16 = 400) = 10,035,200;
  // total 12,443,648 — and the view compares with the 120,422,400 of the direct form.
  const CostLabResult b = EvaluateCostLab(Preset("e12-bottleneck"));
  ASSERT_EQ(b.branches.size(), 1u);
  ASSERT_EQ(b.branches[0].steps.size(), 2u);
  EXPECT_EQ(b.branches[0].steps[0].cost.mults, 2408448);
  EXPECT_EQ(b.branches[0].steps[1].cost.mults, 10035200);
  EXPECT_EQ(b.total.mults, 12443648);
  EXPECT_TRUE(b.has_direct);
  EXPECT_EQ(b.direct.mults, 120422400);
  EXPECT_EQ(b.branches[0].mults_text, "2,408,448 + 10,035,200 = 12,443,648");
  EXPECT_EQ(b.out.c, 32);
  // Parameters: 16·192 + 16 = 3,088 and 32·400 + 32 = 12,832.
  EXPECT_EQ(b.total.params, 3088 + 12832);
}

TEST(CostLab, E13InceptionWithoutAndWithReductions) {
  // (a) 32×32×192: 3×3 × 128: 1,024·128·1,728 = 226,492,416; 5×5 × 32: 1,024·32·4,800 =
  // 157,286,400; total 383,778,816; output 32×32×160.
  const CostLabResult a = EvaluateCostLab(Preset("e13a-inception"));
  ASSERT_EQ(a.error, "");
  ASSERT_EQ(a.branches.size(), 2u);
  EXPECT_EQ(a.branches[0].cost.mults, 226492416);
  EXPECT_EQ(a.branches[1].cost.mults, 157286400);
  EXPECT_EQ(a.total.mults, 383778816);
  EXPECT_EQ(a.out.h, 32);
  EXPECT_EQ(a.out.c, 160);
  EXPECT_FALSE(a.has_direct);
  // (b) 1,024·96·192 + 1,024·128·9·96 + 1,024·16·192 + 1,024·32·25·16 =
  // 18,874,368 + 113,246,208 + 3,145,728 + 13,107,200 = 148,373,504.
  const CostLabResult b = EvaluateCostLab(Preset("e13b-reductions"));
  EXPECT_EQ(b.total.mults, 148373504);
  EXPECT_EQ(b.branches[0].steps[0].cost.mults, 18874368);
  EXPECT_EQ(b.branches[0].steps[1].cost.mults, 113246208);
  EXPECT_EQ(b.branches[1].steps[0].cost.mults, 3145728);
  EXPECT_EQ(b.branches[1].steps[1].cost.mults, 13107200);
  EXPECT_TRUE(b.has_direct);
  EXPECT_EQ(b.direct.mults, 383778816);
  EXPECT_EQ(b.out.c, 160);
}

TEST(CostLab, GoogLeNetInception3a) {
  // 28×28×192 (784 positions): 1×1 × 64: 784·64·192 = 9,633,792; 1×1 to 96: 784·96·192 =
  // 14,450,688; 3×3 × 128: 784·128·864 = 86,704,128; 1×1 to 16: 2,408,448; 5×5 × 32:
  // 784·32·400 = 10,035,200; pool then 1×1 × 32: 784·32·192 = 4,816,896. Sum 128,049,152;
  // output 64 + 128 + 32 + 32 = 256 channels.
  const CostLabResult r = EvaluateCostLab(Preset("googlenet-3a"));
  ASSERT_EQ(r.branches.size(), 4u);
  EXPECT_EQ(r.branches[0].cost.mults, 9633792);
  EXPECT_EQ(r.branches[1].cost.mults, 14450688 + 86704128);
  EXPECT_EQ(r.branches[2].cost.mults, 2408448 + 10035200);
  EXPECT_EQ(r.branches[3].cost.mults, 4816896);
  EXPECT_EQ(r.total.mults, 128049152);
  EXPECT_EQ(r.out.c, 256);
}

TEST(CostLab, ValidPaddingStrideAndErrors) {
  // 5×5 "valid" stride 2 on 28: ⌊(28 − 5)/2⌋ + 1 = 12; mults 12·12·32·5·5·192.
  CostLabState s = Preset("e12-5x5");
  s.same = false, s.stride = 2;
  CostLabResult r = EvaluateCostLab(s);
  EXPECT_EQ(r.out.h, 12);
  EXPECT_EQ(r.total.mults, 12 * 12 * 32 * 25 * 192);
  s.h = s.w = 3;  // a 5×5 valid filter on 3×3: no output, a message
  r = EvaluateCostLab(s);
  EXPECT_NE(r.error.find("No output"), std::string::npos) << r.error;
  EXPECT_TRUE(r.steps.empty());
  s = Preset("googlenet-3a");
  s.use1 = s.use3 = s.use5 = s.usep = false;
  r = EvaluateCostLab(s);
  EXPECT_FALSE(r.error.empty());
  EXPECT_EQ(Decode(EncodeCostLab(s)), s);  // "br=none" round-trips
}

TEST(CostLab, EveryPresetRoundTrips) {
  int n = 0;
  for (const PresetInfo& p : AllPresets()) {
    if (p.lab != "cost") continue;
    ++n;
    const CostLabState s = Decode(p.link);
    EXPECT_EQ(EncodeCostLab(s), p.link) << p.id;
    EXPECT_EQ(s, Preset(p.id)) << p.id;
    std::string json;
    LinkError error;
    EXPECT_TRUE(EvalLinkToJson(p.link, &json, &error)) << p.id << ": " << error.ToString();
  }
  EXPECT_EQ(n, 8);
  EXPECT_EQ(EncodeCostLab(CostLabDefault()),
            "v1/cost?mode=single&h=28&w=28&c=192&k=1&n=32&r=16&pad=same&stride=1&br=135p&n1=64"
            "&r3=96&n3=128&r5=16&n5=32&np=32&bias=1&check=");
}

TEST(CostLab, DecodeNamesTheBadField) {
  struct Case {
    std::string fields, field;
  };
  // A comment ends its line: a case written after one would vanish, and the count below fails.
  const Case cases[] = {
      {"mode=fancy", "mode"},  {"h=0", "h"},      {"w=257", "w"},   {"c=1025", "c"},
      {"k=12", "k"},           {"n=0", "n"},      {"r=-3", "r"},    {"pad=full", "pad"},
      {"stride=5", "stride"},  {"br=53", "br"},   {"br=x", "br"},   {"br=", "br"},
      {"n1=0", "n1"},          {"r3=1025", "r3"}, {"n5=abc", "n5"}, {"bias=2", "bias"},
      {"check=b3:1", "check"},  // a single conv has no branch b3
      {"zoom=2", "zoom"},       // a field the cost lab does not have
      {"h=1&h=2", "h"},         // a field given twice
  };
  EXPECT_EQ(std::size(cases), 19u);  // every case above is an element, none a comment
  for (const Case& c : cases) {
    Link link;
    LinkError error;
    CostLabState s;
    ASSERT_TRUE(ParseLink("v1/cost?" + c.fields, &link, &error)) << c.fields;
    EXPECT_FALSE(DecodeCostLab(link, &s, &error)) << c.fields;
    EXPECT_EQ(error.field, c.field) << c.fields << " -> " << error.ToString();
    EXPECT_FALSE(error.message.empty());
  }
  EXPECT_EQ(Decode("v1/cost"), CostLabDefault());
}

TEST(CostLab, CheckMyWorkAcceptsTheStudentsE10AndE13Answers) {
  // E10: the student's 3.78×10⁹, 4.8×10⁶ and 784 are right (✓ in exercises.md) to the
  // digits they wrote: |3.78e9 − 3,776,446,464| = 3,553,536 ≤ 5e6 (half of the last
  // digit, 0.01e9); |4.8e6 − 4,816,896| = 16,896 ≤ 5e4.
  const CostLabState e10 = Preset("e10-student");
  CostLabResult r = EvaluateCostLab(e10);
  CheckOutcome o = Check(r.steps, e10.check);
  EXPECT_EQ(o.first_wrong_step, -1) << o.explanation;
  EXPECT_EQ(o.right, 3);
  EXPECT_EQ(o.wrong, 0);
  // E13 (a): 226,492,416 + 157,286,400 = 383,778,816, all ✓.
  const CostLabState e13 = Preset("e13a-student");
  r = EvaluateCostLab(e13);
  ASSERT_NE(Step(r, "b3"), nullptr);
  ASSERT_NE(Step(r, "b5"), nullptr);
  o = Check(r.steps, e13.check);
  EXPECT_EQ(o.first_wrong_step, -1) << o.explanation;
  EXPECT_EQ(o.right, 3);
  // Wrong answers are flagged with the arithmetic: 3.76e9 is neither 3,776,446,464 rounded
  // (3.78e9) nor truncated (3.77e9) to the digits typed; a
  // learner who forgets the 5×5 branch's depth writes 1,024·32·25 = 819,200.
  CostLabState bad = e10;
  bad.check = {{"fc", {"3.76e9"}}};
  r = EvaluateCostLab(bad);
  o = Check(r.steps, bad.check);
  ASSERT_GE(o.first_wrong_step, 0);
  EXPECT_EQ(r.steps[static_cast<size_t>(o.first_wrong_step)].id, "fc");
  EXPECT_NE(o.explanation.find("150,528 \xC3\x97 25,088"), std::string::npos) << o.explanation;
  bad = e13;
  bad.check = {{"b5", {"819200"}}};
  r = EvaluateCostLab(bad);
  o = Check(r.steps, bad.check);
  ASSERT_GE(o.first_wrong_step, 0);
  EXPECT_EQ(r.steps[static_cast<size_t>(o.first_wrong_step)].id, "b5");
  EXPECT_NE(o.explanation.find(
                "32\u00D732\u00D732 outputs \u00D7 5\u00D75\u00D7192 = 32,768 \u00D7 4,800"),
            std::string::npos)
      << o.explanation;
  // The student presets carry the answers in their links.
  EXPECT_NE(EncodeCostLab(e10).find("&check=mults:4.8e6;fc:3.78e9;ratio:784"), std::string::npos)
      << EncodeCostLab(e10);
}

TEST(CostLab, StepsOfABottleneckAndOfReducedBranches) {
  CostLabResult r = EvaluateCostLab(Preset("e12-bottleneck"));
  ASSERT_NE(Step(r, "red"), nullptr);
  ASSERT_NE(Step(r, "conv"), nullptr);
  EXPECT_EQ(Step(r, "red")->values[0], 2408448.0f);
  EXPECT_EQ(Step(r, "mults")->values[0], 12443648.0f);
  r = EvaluateCostLab(Preset("e13b-reductions"));
  for (const char* id : {"b3r", "b3k", "b3", "b5r", "b5k", "b5", "mults", "params", "fc", "ratio"})
    EXPECT_NE(Step(r, id), nullptr) << id;
  EXPECT_EQ(Step(r, "b3")->arithmetic[0], "18,874,368 + 113,246,208 = 132,120,576");
  EXPECT_EQ(Step(r, "mults")->values[0], 148373504.0f);
}

}  // namespace
}  // namespace nnplay
