// softmax_lab_test.cpp: the softmax lab's model, link fields, presets and check my work.
// Expected values are worked out by hand (calculator) in the comments, from the course's
// exercises E1 and E3.
#include "labs/softmax_lab.h"

#include "labs/notation.h"

#include <gtest/gtest.h>

#include <cmath>

#include "labs/registry.h"

namespace nnplay {
namespace {

const SoftmaxLabState& Preset(const std::string& id) {
  for (const SoftmaxPreset& p : SoftmaxPresets())
    if (p.id == id) return p.state;
  ADD_FAILURE() << "no preset " << id;
  return SoftmaxPresets()[0].state;
}

LinkError DecodeError(const std::string& text) {
  Link link;
  LinkError error;
  SoftmaxLabState state;
  if (ParseLink(text, &link, &error)) {
    EXPECT_FALSE(DecodeSoftmaxLab(link, &state, &error)) << text;
  }
  return error;
}

TEST(SoftmaxLab, E3MatchesTheExercise) {
  // e^2 = 7.389056, e^1 = 2.718282, e^0.1 = 1.105171; sum 11.212509;
  // p = [0.659001, 0.242433, 0.098566] (exercise: [0.6590, 0.2424, 0.0986]).
  const SoftmaxLabResult r = EvaluateSoftmaxLab(Preset("e3-last-fc"));
  EXPECT_NEAR(r.exps[0], 7.389056f, 1e-5f);
  EXPECT_NEAR(r.exps[1], 2.718282f, 1e-5f);
  EXPECT_NEAR(r.exps[2], 1.105171f, 1e-5f);
  EXPECT_NEAR(r.sum, 11.2125f, 5e-5f);
  EXPECT_NEAR(r.p[0], 0.6590f, 5e-5f);
  EXPECT_NEAR(r.p[1], 0.2424f, 5e-5f);
  EXPECT_NEAR(r.p[2], 0.0986f, 5e-5f);
  // The stable form: max 2, shifted [0, -1, -1.9], e^ = [1, 0.367879, 0.149569], sum 1.517448.
  EXPECT_EQ(r.max, 2.0f);
  EXPECT_EQ(r.exps_stable[0], 1.0f);
  EXPECT_NEAR(r.exps_stable[1], 0.367879f, 1e-6f);
  EXPECT_NEAR(r.exps_stable[2], 0.149569f, 1e-6f);
  EXPECT_NEAR(r.sum_stable, 1.517448f, 1e-5f);
  EXPECT_FALSE(r.overflow);
  EXPECT_FALSE(r.single);
  EXPECT_EQ(r.exp_text[0], "exp(2) \u2248 7.38906");  // e^2 = 7.389056
  EXPECT_EQ(r.sum_text, "7.38906 + 2.71828 + 1.10517 \u2248 11.2125");
  EXPECT_EQ(r.p_text[0], "7.38906 / 11.2125 \u2248 0.659001");
  EXPECT_EQ(r.stable_text[1], "exp(1 \u2212 2) = exp(\u22121) \u2248 0.367879");
  EXPECT_EQ(ToAscii(r.stable_text[1]), "exp(1 - 2) = exp(-1) = 0.367879");
}

TEST(SoftmaxLab, E1SingleLogitIsOneAndTheSigmoidIsWhatItWants) {
  // softmax([-0.0348]) = e^x/e^x = 1; sigmoid(-0.0348) = 1/(1 + e^0.0348) = 0.491301.
  const SoftmaxLabResult r = EvaluateSoftmaxLab(Preset("e1-single-logit"));
  ASSERT_EQ(r.p.size(), 1u);
  EXPECT_EQ(r.p[0], 1.0f);
  EXPECT_TRUE(r.single);
  EXPECT_NEAR(r.sigmoid, 0.4913f, 5e-5f);
  EXPECT_NE(r.single_text.find("always 1"), std::string::npos);
  EXPECT_NE(r.single_text.find("sigmoid"), std::string::npos);
  EXPECT_NE(r.single_text.find("0.491301"), std::string::npos) << r.single_text;
}

TEST(SoftmaxLab, LargeLogitsOverflowTheNaiveFormButNotTheStableOne) {
  // [1000, 1001, 1002] - 1002 = [-2, -1, 0]: e^ = [0.135335, 0.367879, 1], sum 1.503215,
  // p = [0.090031, 0.244728, 0.665241]. e^1000 is far past float32 (e^88.72).
  const SoftmaxLabResult r = EvaluateSoftmaxLab(Preset("large-logits"));
  EXPECT_TRUE(r.overflow);
  EXPECT_TRUE(std::isinf(r.exps[0]));
  EXPECT_NEAR(r.sum_stable, 1.503215f, 1e-5f);
  EXPECT_NEAR(r.p[0], 0.090031f, 1e-6f);
  EXPECT_NEAR(r.p[1], 0.244728f, 1e-6f);
  EXPECT_NEAR(r.p[2], 0.665241f, 1e-6f);
  EXPECT_NE(r.exp_text[0].find("overflow"), std::string::npos);
  EXPECT_NE(r.why_same.find("overflows"), std::string::npos);
  // Check my work still points at the stable arithmetic.
  EXPECT_EQ(r.steps[2].arithmetic[0], "0.135335 / 1.50321 \u2248 0.0900306");
}

TEST(SoftmaxLab, TemperatureDividesTheLogits) {
  // T = 2: softmax([1, 0.5]) = [e^0.5, 1]/(e^0.5 + 1): 1.648721/2.648721 = 0.622459.
  SoftmaxLabState s = Preset("e3-last-fc");
  s.logits = Tensor({2});
  s.logits.values() = {2, 1};
  s.temperature = 2.0f;
  const SoftmaxLabResult r = EvaluateSoftmaxLab(s);
  EXPECT_NEAR(r.p[0], 0.622459f, 1e-6f);
  EXPECT_EQ(r.exp_text[0], "exp(2/2) \u2248 2.71828");
  EXPECT_EQ(r.stable_text[1], "exp((1 \u2212 2)/2) = exp(\u22120.5) \u2248 0.606531");
}

TEST(SoftmaxLab, CheckFlagsTheStudentsE3RoundingAndAcceptsTheRest) {
  const SoftmaxLabState& s = Preset("e3-student");
  const SoftmaxLabResult r = EvaluateSoftmaxLab(s);
  const CheckOutcome o = Check(r.steps, s.check);
  // Steps: exps (not entered), sum 11.204 vs 11.2125 (off 0.0085 > 0.0005) wrong,
  // p: 0.658 vs 0.6590 wrong, 0.2418 vs 0.24243 wrong, 0.0986 vs 0.098566 right.
  EXPECT_EQ(r.steps[1].id, "sum");
  EXPECT_EQ(o.status[0], std::vector<CheckStatus>(3, CheckStatus::kNotEntered));
  EXPECT_EQ(o.status[1][0], CheckStatus::kWrong);
  EXPECT_EQ(o.status[2][0], CheckStatus::kWrong);
  EXPECT_EQ(o.status[2][1], CheckStatus::kWrong);
  EXPECT_EQ(o.status[2][2], CheckStatus::kRight);
  EXPECT_EQ(o.first_wrong_step, 1);
  EXPECT_EQ(o.right, 1);
  EXPECT_EQ(o.wrong, 3);
  EXPECT_NE(o.explanation.find("you wrote 11.204"), std::string::npos) << o.explanation;
  EXPECT_NE(o.explanation.find("7.38906 + 2.71828 + 1.10517"), std::string::npos);

  // The right values to the exercise's digits all pass.
  const CheckEntries right = {{"exps", {"7.389", "2.718", "1.105"}},
                              {"sum", {"11.2125"}},
                              {"p", {"0.6590", "0.2424", "0.0986"}}};
  const CheckOutcome ok = Check(r.steps, right);
  EXPECT_EQ(ok.wrong, 0);
  EXPECT_EQ(ok.right, 7);
}

TEST(SoftmaxLab, CheckFlagsTheStudentsE1Zero) {
  const SoftmaxLabState& s = Preset("e1-student");
  const SoftmaxLabResult r = EvaluateSoftmaxLab(s);
  const CheckOutcome o = Check(r.steps, s.check);
  EXPECT_EQ(o.status[2][0], CheckStatus::kWrong);  // 0 vs 1
  EXPECT_EQ(o.first_wrong_step, 2);
  EXPECT_EQ(o.wrong, 1);
  EXPECT_EQ(o.right, 0);
}

TEST(SoftmaxLab, PresetLinksAreExactAndRoundTrip) {
  EXPECT_EQ(EncodeSoftmaxLab(Preset("e3-last-fc")), "v1/softmax?x=3:2,1,0.1&t=1&check=");
  EXPECT_EQ(EncodeSoftmaxLab(Preset("e3-student")),
            "v1/softmax?x=3:2,1,0.1&t=1&check=sum:11.204;p:0.658,0.2418,0.0986");
  EXPECT_EQ(EncodeSoftmaxLab(Preset("e1-student")), "v1/softmax?x=1:-0.0348&t=1&check=p:0");
  int n = 0;
  for (const PresetInfo& p : AllPresets()) {
    if (p.lab != "softmax") continue;
    ++n;
    Link link;
    LinkError error;
    SoftmaxLabState s;
    ASSERT_TRUE(ParseLink(p.link, &link, &error)) << error.ToString();
    ASSERT_TRUE(DecodeSoftmaxLab(link, &s, &error)) << p.link << ": " << error.ToString();
    EXPECT_EQ(EncodeSoftmaxLab(s), p.link);
    std::string json;
    ASSERT_TRUE(EvalLinkToJson(p.link, &json, &error)) << error.ToString();
    EXPECT_NE(json.find("\"lab\":\"softmax\""), std::string::npos);
  }
  EXPECT_EQ(n, 5);
}

TEST(SoftmaxLab, DecodeDefaultsAndNamesTheBadField) {
  Link link;
  LinkError error;
  SoftmaxLabState s;
  ASSERT_TRUE(ParseLink("v1/softmax?x=2:1,2", &link, &error));
  ASSERT_TRUE(DecodeSoftmaxLab(link, &s, &error)) << error.ToString();
  EXPECT_EQ(s.temperature, 1.0f);
  EXPECT_TRUE(s.check.empty());

  EXPECT_EQ(DecodeError("v1/softmax?t=1").field, "x");
  EXPECT_EQ(DecodeError("v1/softmax?x=11:0*11").field, "x");  // more than 10 logits
  EXPECT_EQ(DecodeError("v1/softmax?x=2x2:0*4").field, "x");  // not a vector
  EXPECT_EQ(DecodeError("v1/softmax?x=2:1,2&t=0").field, "t");
  EXPECT_EQ(DecodeError("v1/softmax?x=2:1,2&t=1000").field, "t");
  EXPECT_EQ(DecodeError("v1/softmax?x=2:1,2&t=nan").field, "t");
  EXPECT_EQ(DecodeError("v1/softmax?x=2:1,2&check=p:1,2,3").field, "check");  // 3 values for 2
  EXPECT_EQ(DecodeError("v1/softmax?x=2:1,2&check=z2:1").field, "check");
  EXPECT_EQ(DecodeError("v1/softmax?x=2:1,2&foo=1").field, "foo");
  EXPECT_EQ(DecodeError("v1/softmax?x=2:1,2&x=2:1,2").field, "x");
}

TEST(SoftmaxLab, ReevaluatingReusesTheResult) {
  SoftmaxLabState s = Preset("e3-last-fc");
  SoftmaxLabResult r;
  EvaluateSoftmaxLab(s, &r);
  const float* p = r.p.data();
  s.logits[0] = 3.0f;
  EvaluateSoftmaxLab(s, &r);
  EXPECT_EQ(r.p.data(), p);
}

}  // namespace
}  // namespace nnplay
