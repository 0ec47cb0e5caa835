// dropout_lab_test.cpp: the dropout lab's model, link fields, presets and check my work.
// The course's E8 gives no numbers; the presets use p = 0.8 and a = [1, 2, 3, 4, 5], whose
// expectations are worked out by hand in the comments.
#include "labs/dropout_lab.h"

#include <gtest/gtest.h>

#include <cmath>

#include "labs/registry.h"

namespace nnplay {
namespace {

const DropoutLabState& Preset(const std::string& id) {
  for (const DropoutPreset& p : DropoutPresets())
    if (p.id == id) return p.state;
  ADD_FAILURE() << "no preset " << id;
  return DropoutPresets()[0].state;
}

LinkError DecodeError(const std::string& text) {
  Link link;
  LinkError error;
  DropoutLabState state;
  if (ParseLink(text, &link, &error)) {
    EXPECT_FALSE(DecodeDropoutLab(link, &state, &error)) << text;
  }
  return error;
}

TEST(DropoutLab, E8StandardExpectationsAndTestValues) {
  // Standard: kept y = a; E[y_train] = 0.8 a = [0.8, 1.6, 2.4, 3.2, 4]; y_test = 0.8 a.
  const DropoutLabResult r = EvaluateDropoutLab(Preset("e8-standard"));
  const float want[] = {0.8f, 1.6f, 2.4f, 3.2f, 4.0f};
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_NEAR(r.expect_train[i], want[i], 1e-6f);
    EXPECT_NEAR(r.test[i], want[i], 1e-6f);
    const float a = static_cast<float>(i + 1);
    EXPECT_TRUE(r.mask[i] == 0.0f || r.mask[i] == 1.0f);
    EXPECT_EQ(r.train[i], r.mask[i] * a);  // no scaling in training
  }
  EXPECT_EQ(r.train_scale, 1.0f);
  EXPECT_EQ(r.test_scale, 0.8f);
  EXPECT_EQ(r.expect_text[0], "0.8 \xC3\x97 1 + 0.2 \xC3\x97 0 = 0.8");
  EXPECT_EQ(r.test_text[4], "0.8 \xC3\x97 5 = 4");
}

TEST(DropoutLab, E8InvertedExpectationsAndTestValues) {
  // Inverted: kept y = a/0.8 = [1.25, 2.5, 3.75, 5, 6.25]; E[y_train] = a; y_test = a.
  const DropoutLabResult r = EvaluateDropoutLab(Preset("e8-inverted"));
  const float kept[] = {1.25f, 2.5f, 3.75f, 5.0f, 6.25f};
  for (size_t i = 0; i < 5; ++i) {
    const float a = static_cast<float>(i + 1);
    EXPECT_NEAR(r.expect_train[i], a, 1e-6f);
    EXPECT_EQ(r.test[i], a);
    if (r.mask[i] == 1.0f) {
      EXPECT_NEAR(r.train[i], kept[i], 1e-6f);
    } else {
      EXPECT_EQ(r.train[i], 0.0f);
    }
  }
  EXPECT_EQ(r.expect_text[4], "0.8 \xC3\x97 (5 / 0.8) + 0.2 \xC3\x97 0 = 5");
  EXPECT_EQ(r.test_text[0], "1 (unchanged) = 1");
}

TEST(DropoutLab, ManyMasksConvergeToTheTestValue) {
  // 10000 masks, inverted, a = 5: y in {0, 6.25}, sd 6.25*sqrt(0.8*0.2) = 2.5, so the mean
  // of 10000 has sd 0.025; allow 5 sd.
  const DropoutLabState& s = Preset("e8-many-masks");
  const DropoutLabResult r = EvaluateDropoutLab(s);
  ASSERT_EQ(r.curve.size(), 10000u);
  EXPECT_NEAR(r.curve.back(), 5.0f, 0.125f);
  EXPECT_EQ(r.curve.back(), r.mean_train[4]);
  for (size_t i = 0; i < 5; ++i)
    EXPECT_NEAR(r.mean_train[i], r.test[i], 0.025f * static_cast<float>(i + 1) * 5);
  // The first point is the first mask's value: 0 or 6.25.
  EXPECT_TRUE(r.curve[0] == 0.0f || r.curve[0] == 6.25f);
}

TEST(DropoutLab, TheSeedNamesTheMask) {
  DropoutLabState s = Preset("e8-inverted");
  const DropoutLabResult a = EvaluateDropoutLab(s);
  const DropoutLabResult b = EvaluateDropoutLab(s);
  EXPECT_EQ(a.mask, b.mask);
  EXPECT_EQ(a.curve, b.curve);
  s.activations = Tensor({64}, 1.0f);
  s.seed = 7;
  const DropoutLabResult c = EvaluateDropoutLab(s);
  s.seed = 8;
  EXPECT_NE(c.mask, EvaluateDropoutLab(s).mask);  // 64 units: the same mask is ~1e-15 likely
}

TEST(DropoutLab, CheckAcceptsTheRightExpectationsAndFlagsAForgottenScale) {
  const DropoutLabState& s = Preset("e8-standard");
  const DropoutLabResult r = EvaluateDropoutLab(s);
  const CheckEntries right = {{"etrain", {"0.8", "1.6", "2.4", "3.2", "4"}},
                              {"test", {"0.8", "1.6", "2.4", "3.2", "4"}}};
  const CheckOutcome ok = Check(r.steps, right);
  EXPECT_EQ(ok.wrong, 0);
  EXPECT_EQ(ok.right, 10);
  // Standard dropout without the test-time scale: y_test = a is wrong. (Typed as "1.0": a
  // bare "1" is checked to the units digit, and 0.8 rounds to 1.)
  const CheckEntries forgot = {{"test", {"1.0", "2.0", "3.0", "4.0", "5.0"}}};
  const CheckOutcome o = Check(r.steps, forgot);
  EXPECT_EQ(o.wrong, 5);
  EXPECT_EQ(r.steps[static_cast<size_t>(o.first_wrong_step)].id, "test");
  EXPECT_NE(o.explanation.find("0.8 \xC3\x97 1 = 0.8"), std::string::npos) << o.explanation;
}

TEST(DropoutLab, PresetLinksAreExactAndRoundTrip) {
  EXPECT_EQ(EncodeDropoutLab(Preset("e8-inverted")),
            "v1/dropout?a=5:1,2,3,4,5&p=0.8&mode=inverted&seed=1&n=1000&unit=4&check=");
  int n = 0;
  for (const PresetInfo& p : AllPresets()) {
    if (p.lab != "dropout") continue;
    ++n;
    Link link;
    LinkError error;
    DropoutLabState s;
    ASSERT_TRUE(ParseLink(p.link, &link, &error)) << error.ToString();
    ASSERT_TRUE(DecodeDropoutLab(link, &s, &error)) << p.link << ": " << error.ToString();
    EXPECT_EQ(EncodeDropoutLab(s), p.link);
    std::string json;
    ASSERT_TRUE(EvalLinkToJson(p.link, &json, &error)) << error.ToString();
  }
  EXPECT_EQ(n, 4);
}

TEST(DropoutLab, DecodeDefaultsAndNamesTheBadField) {
  Link link;
  LinkError error;
  DropoutLabState s;
  ASSERT_TRUE(ParseLink("v1/dropout?a=2:1,2", &link, &error));
  ASSERT_TRUE(DecodeDropoutLab(link, &s, &error)) << error.ToString();
  EXPECT_EQ(s.keep, 0.8f);
  EXPECT_EQ(s.kind, DropoutKind::kInverted);

  EXPECT_EQ(DecodeError("v1/dropout?p=0.5").field, "a");
  EXPECT_EQ(DecodeError("v1/dropout?a=65:0*65").field, "a");
  EXPECT_EQ(DecodeError("v1/dropout?a=2:1,2&p=0").field, "p");
  EXPECT_EQ(DecodeError("v1/dropout?a=2:1,2&p=1.01").field, "p");
  EXPECT_EQ(DecodeError("v1/dropout?a=2:1,2&mode=gaussian").field, "mode");
  EXPECT_EQ(DecodeError("v1/dropout?a=2:1,2&seed=-1").field, "seed");
  EXPECT_EQ(DecodeError("v1/dropout?a=2:1,2&n=0").field, "n");
  EXPECT_EQ(DecodeError("v1/dropout?a=2:1,2&n=10001").field, "n");
  EXPECT_EQ(DecodeError("v1/dropout?a=2:1,2&unit=2").field, "unit");
  EXPECT_EQ(DecodeError("v1/dropout?a=2:1,2&check=etrain:1,2,3").field, "check");
}

}  // namespace
}  // namespace nnplay
