// batchnorm_lab_test.cpp: the batch-normalization lab's model, link fields, presets and
// check my work. Expected values: the course's exercise E6, and hand (calculator) values
// in the comments.
#include "labs/batchnorm_lab.h"

#include "labs/notation.h"

#include <gtest/gtest.h>

#include <cmath>

#include "labs/registry.h"

namespace nnplay {
namespace {

const BatchNormLabState& Preset(const std::string& id) {
  for (const BatchNormPreset& p : BatchNormPresets())
    if (p.id == id) return p.state;
  ADD_FAILURE() << "no preset " << id;
  return BatchNormPresets()[0].state;
}

LinkError DecodeError(const std::string& text) {
  Link link;
  LinkError error;
  BatchNormLabState state;
  if (ParseLink(text, &link, &error)) {
    EXPECT_FALSE(DecodeBatchNormLab(link, &state, &error)) << text;
  }
  return error;
}

void ExpectValues(const Tensor& t, const std::vector<float>& want, float tol) {
  ASSERT_EQ(t.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) EXPECT_NEAR(t[i], want[i], tol) << "index " << i;
}

TEST(BatchNormLab, E6MatchesTheExercise) {
  // mu = 6; var = (16 + 4 + 0 + 4 + 16)/5 = 8; sigma = 2.8284;
  // xhat = [-1.4142, -0.7071, 0, 0.7071, 1.4142]; y = [-3.8284, -2.4142, -1, 0.4142, 1.8284].
  const BatchNormLabState& s = Preset("e6");
  EXPECT_EQ(s.eps, 0.0f);
  const BatchNormLabResult r = EvaluateBatchNormLab(s);
  EXPECT_EQ(r.mean[0], 6.0f);
  EXPECT_EQ(r.var[0], 8.0f);
  EXPECT_NEAR(r.sigma[0], 2.8284f, 5e-5f);
  ExpectValues(r.xhat, {-1.4142f, -0.7071f, 0, 0.7071f, 1.4142f}, 5e-5f);
  ExpectValues(r.y, {-3.8284f, -2.4142f, -1, 0.4142f, 1.8284f}, 5e-5f);
  EXPECT_EQ(r.text[0].mean, "(2 + 4 + 6 + 8 + 10)/5 = 6");
  EXPECT_EQ(r.text[0].var,
            "((2 \u2212 6)\u00B2 + (4 \u2212 6)\u00B2 + (6 \u2212 6)\u00B2 + (8 \u2212 6)\u00B2 + "
            "(10 \u2212 6)\u00B2)/5 = 8");
  EXPECT_EQ(ToAscii(r.text[0].var),
            "((2 - 6)^2 + (4 - 6)^2 + (6 - 6)^2 + (8 - 6)^2 + (10 - 6)^2)/5 = 8");
  EXPECT_EQ(r.text[0].sigma, "\u221A(8 + 0) \u2248 2.82843");  // 2.828427
  EXPECT_EQ(ToAscii(r.text[0].sigma), "sqrt(8 + 0) = 2.82843");
  EXPECT_EQ(r.xhat_text[0], "(2 \u2212 6)/2.82843 \u2248 \u22121.41421");
  EXPECT_EQ(r.y_text[0], "2 \u00D7 (\u22121.41421) + (\u22121) \u2248 \u22123.82843");
  // One training step from running (0, 1) with momentum 0.1: 0.9*0 + 0.1*6 = 0.6 and
  // 0.9*1 + 0.1*8 = 1.7.
  EXPECT_NEAR(r.running_mean[0], 0.6f, 1e-6f);
  EXPECT_NEAR(r.running_var[0], 1.7f, 1e-6f);
  EXPECT_EQ(r.text[0].running_mean, "0.9 \xC3\x97 0 + 0.1 \xC3\x97 6 = 0.6");
}

TEST(BatchNormLab, E6WithEpsMovesTheSixthDigit) {
  // sigma = sqrt(8.00001) = 2.8284289; y[0] = -4/2.8284289*2 - 1 = -3.8284254 (vs -3.8284271).
  const BatchNormLabResult r = EvaluateBatchNormLab(Preset("e6-eps"));
  EXPECT_NEAR(r.sigma[0], 2.8284289f, 1e-6f);
  EXPECT_NEAR(r.y[0], -3.8284254f, 1e-6f);
  EXPECT_NEAR(r.y[4], 1.8284254f, 1e-6f);
  EXPECT_NE(r.y[0], EvaluateBatchNormLab(Preset("e6")).y[0]);
  // Still the exercise's values to 4 decimals.
  ExpectValues(r.y, {-3.8284f, -2.4142f, -1, 0.4142f, 1.8284f}, 5e-5f);
  EXPECT_NE(r.eps_effect.find("sixth digit"), std::string::npos) << r.eps_effect;
}

TEST(BatchNormLab, InferenceUsesTheRunningStatistics) {
  // running (0.6, 1.7): sigma = sqrt(1.7) = 1.3038405; xhat[0] = 1.4/1.3038405 = 1.0737510;
  // y = 2*xhat - 1 = [1.147502, 4.215362, 7.283222, 10.351082, 13.418942].
  const BatchNormLabState& s = Preset("e6-inference");
  const BatchNormLabResult r = EvaluateBatchNormLab(s);
  EXPECT_NEAR(r.infer_sigma[0], 1.3038405f, 1e-6f);
  EXPECT_NEAR(r.infer_xhat[0], 1.0737510f, 1e-6f);
  ExpectValues(r.infer_y, {1.147502f, 4.215362f, 7.283222f, 10.351082f, 13.418942f}, 2e-6f);
  // Check my work follows the mode: mu and var are the running ones.
  EXPECT_EQ(r.steps[0].values[0], 0.6f);
  EXPECT_EQ(r.steps[1].values[0], 1.7f);
  EXPECT_NEAR(r.steps[4].values[0], 1.147502f, 2e-6f);
}

TEST(BatchNormLab, TrainingStepUpdatesTheRunningStatistics) {
  BatchNormLabState s = Preset("e6");
  BatchNormLabResult r = EvaluateBatchNormLab(s);
  ApplyBatchNormTrainingStep(r, &s);
  EXPECT_NEAR(s.running_mean[0], 0.6f, 1e-6f);
  EXPECT_NEAR(s.running_var[0], 1.7f, 1e-6f);
  r = EvaluateBatchNormLab(s);
  // Second step: 0.9*0.6 + 0.1*6 = 1.14; 0.9*1.7 + 0.1*8 = 2.33.
  EXPECT_NEAR(r.running_mean[0], 1.14f, 1e-6f);
  EXPECT_NEAR(r.running_var[0], 2.33f, 1e-6f);
}

TEST(BatchNormLab, TwoFeaturesNormaliseAlike) {
  // [1, 2, 3, 4]: mu 2.5, var 1.25, xhat = (x - 2.5)/sqrt(1.25 + 1e-5) = -1.3416354 ...;
  // [10, 20, 30, 40]: mu 25, var 125, xhat[0] = -15/sqrt(125.00001) = -1.3416407.
  const BatchNormLabResult r = EvaluateBatchNormLab(Preset("two-features"));
  EXPECT_EQ(r.mean[0], 2.5f);
  EXPECT_EQ(r.mean[1], 25.0f);
  EXPECT_EQ(r.var[0], 1.25f);
  EXPECT_EQ(r.var[1], 125.0f);
  EXPECT_NEAR(r.xhat.at(0, 0), -1.3416354f, 1e-6f);
  EXPECT_NEAR(r.xhat.at(1, 0), -1.3416407f, 1e-6f);
  EXPECT_NEAR(r.xhat.at(1, 3), 1.3416407f, 1e-6f);
}

TEST(BatchNormLab, ConstantFeatureWithoutEpsIsExplainedNotNaN) {
  BatchNormLabState s = Preset("e6");
  s.x.values() = {3, 3, 3, 3, 3};
  const BatchNormLabResult r = EvaluateBatchNormLab(s);
  EXPECT_EQ(r.sigma[0], 0.0f);
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(r.xhat[i], 0.0f);
    EXPECT_EQ(r.y[i], -1.0f);  // beta
  }
  EXPECT_FALSE(r.text[0].note.empty());
}

TEST(BatchNormLab, InferenceWithZeroSigmaIsUndefinedNotZero) {
  // v1/batchnorm?x=1x2:1,2&eps=0&mode=infer&rv=1:0 (issue 15): sigma = sqrt(0 + 0) = 0, so
  // xhat = (1 - 0)/0 and (2 - 0)/0 are +inf (undefined), not 0; y = 1*xhat + 0 too. A value
  // equal to the running mean gives 0/0, taken as 0 as in training (what any eps > 0 gives).
  Link link;
  LinkError error;
  ASSERT_TRUE(ParseLink("v1/batchnorm?x=1x3:1,2,0&eps=0&mode=infer&rv=1:0", &link, &error));
  BatchNormLabState s;
  ASSERT_TRUE(DecodeBatchNormLab(link, &s, &error)) << error.ToString();
  const BatchNormLabResult r = EvaluateBatchNormLab(s);
  EXPECT_EQ(r.infer_sigma[0], 0.0f);
  EXPECT_TRUE(std::isinf(r.infer_xhat[0]) && r.infer_xhat[0] > 0) << r.infer_xhat[0];
  EXPECT_TRUE(std::isinf(r.infer_y[1]) && r.infer_y[1] > 0) << r.infer_y[1];
  EXPECT_EQ(r.infer_xhat[2], 0.0f);
  EXPECT_EQ(r.infer_y[2], 0.0f);  // beta
  EXPECT_NE(r.infer_xhat_text[0].find("undefined"), std::string::npos) << r.infer_xhat_text[0];
  EXPECT_NE(r.infer_y_text[0].find("undefined"), std::string::npos) << r.infer_y_text[0];
  EXPECT_NE(r.text[0].infer_note.find("undefined"), std::string::npos) << r.text[0].infer_note;
  // The note on eps speaks of inference here: eps = 1e-5 makes sigma = 0.00316228 and
  // xhat = 2/0.00316228 = 632.456, far from "at most 2e-5".
  EXPECT_NE(r.eps_effect.find("632.456"), std::string::npos) << r.eps_effect;
  EXPECT_EQ(r.eps_effect.find("at most"), std::string::npos) << r.eps_effect;
  // The JSON has null where the value is undefined.
  const std::string json = BatchNormLabToJson(s, r);
  EXPECT_NE(json.find("\"infer\":{\"sigma\":{\"shape\":[1],\"values\":[0]},"
                      "\"xhat\":{\"shape\":[1,3],\"values\":[null,null,0]}"),
            std::string::npos)
      << json;
}

TEST(BatchNormLab, EpsEffectAtInferenceIsTheInferenceOne) {
  // E6 at inference: running var 1.7, sigma = sqrt(1.7) vs sqrt(1.70001); y = 2 (x - 0.6)/sigma
  // - 1 moves by at most 2*9.4/1.3038405 * (1 - sqrt(1.7/1.70001)) = 4.24e-5 (x = 10).
  const BatchNormLabResult r = EvaluateBatchNormLab(Preset("e6-inference"));
  EXPECT_NE(r.eps_effect.find("4.24"), std::string::npos) << r.eps_effect;
}

TEST(BatchNormLab, CheckFlagsTheStudentsE6SigmaAndY) {
  const BatchNormLabState& s = Preset("e6-student");
  const BatchNormLabResult r = EvaluateBatchNormLab(s);
  const CheckOutcome o = Check(r.steps, s.check);
  // mu 6 right; sigma 3.464 (sqrt(12)) vs 2.8284 wrong; y: -3.308, -2.154, 0.154, 1.308
  // wrong, the middle -1 right (x = mu gives y = beta whatever sigma is).
  EXPECT_EQ(o.status[0][0], CheckStatus::kRight);
  EXPECT_EQ(o.status[1][0], CheckStatus::kNotEntered);
  EXPECT_EQ(o.status[2][0], CheckStatus::kWrong);
  EXPECT_EQ(o.status[4][0], CheckStatus::kWrong);
  EXPECT_EQ(o.status[4][1], CheckStatus::kWrong);
  EXPECT_EQ(o.status[4][2], CheckStatus::kRight);
  EXPECT_EQ(o.status[4][3], CheckStatus::kWrong);
  EXPECT_EQ(o.status[4][4], CheckStatus::kWrong);
  EXPECT_EQ(r.steps[static_cast<size_t>(o.first_wrong_step)].id, "sigma");
  EXPECT_NE(o.explanation.find("you wrote 3.464"), std::string::npos) << o.explanation;
  EXPECT_NE(o.explanation.find("\u221A(8 + 0)"), std::string::npos) << o.explanation;

  const CheckEntries right = {{"mu", {"6"}},
                              {"var", {"8"}},
                              {"sigma", {"2.8284"}},
                              {"xhat", {"-1.4142", "-0.7071", "0", "0.7071", "1.4142"}},
                              {"y", {"-3.8284", "-2.4142", "-1", "0.4142", "1.8284"}}};
  const CheckOutcome ok = Check(r.steps, right);
  EXPECT_EQ(ok.wrong, 0);
  EXPECT_EQ(ok.right, 13);
}

TEST(BatchNormLab, PresetLinksAreExactAndRoundTrip) {
  EXPECT_EQ(EncodeBatchNormLab(Preset("e6")),
            "v1/batchnorm?x=1x5:2,4,6,8,10&g=1:2&b=1:-1&eps=0&mom=0.1&mode=train&rm=1:0&rv=1:1"
            "&check=");
  int n = 0;
  for (const PresetInfo& p : AllPresets()) {
    if (p.lab != "batchnorm") continue;
    ++n;
    Link link;
    LinkError error;
    BatchNormLabState s;
    ASSERT_TRUE(ParseLink(p.link, &link, &error)) << error.ToString();
    ASSERT_TRUE(DecodeBatchNormLab(link, &s, &error)) << p.link << ": " << error.ToString();
    EXPECT_EQ(EncodeBatchNormLab(s), p.link);
    std::string json;
    ASSERT_TRUE(EvalLinkToJson(p.link, &json, &error)) << error.ToString();
  }
  EXPECT_EQ(n, 5);
}

TEST(BatchNormLab, DecodeDefaultsAndNamesTheBadField) {
  Link link;
  LinkError error;
  BatchNormLabState s;
  ASSERT_TRUE(ParseLink("v1/batchnorm?x=5:2,4,6,8,10", &link, &error));
  ASSERT_TRUE(DecodeBatchNormLab(link, &s, &error)) << error.ToString();
  EXPECT_EQ(s.x.shape(), (std::vector<int>{1, 5}));
  EXPECT_EQ(s.gamma[0], 1.0f);
  EXPECT_EQ(s.beta[0], 0.0f);
  EXPECT_EQ(s.eps, 1e-5f);
  EXPECT_EQ(s.running_var[0], 1.0f);

  EXPECT_EQ(DecodeError("v1/batchnorm?g=1:1").field, "x");
  EXPECT_EQ(DecodeError("v1/batchnorm?x=1x65:0*65").field, "x");
  EXPECT_EQ(DecodeError("v1/batchnorm?x=9x2:0*18").field, "x");  // 9 features
  EXPECT_EQ(DecodeError("v1/batchnorm?x=1x2:1,2&g=2:1,1").field, "g");
  EXPECT_EQ(DecodeError("v1/batchnorm?x=1x2:1,2&b=0:").field, "b");
  EXPECT_EQ(DecodeError("v1/batchnorm?x=1x2:1,2&eps=-1").field, "eps");
  EXPECT_EQ(DecodeError("v1/batchnorm?x=1x2:1,2&eps=2").field, "eps");
  EXPECT_EQ(DecodeError("v1/batchnorm?x=1x2:1,2&mom=1.5").field, "mom");
  EXPECT_EQ(DecodeError("v1/batchnorm?x=1x2:1,2&mode=test").field, "mode");
  EXPECT_EQ(DecodeError("v1/batchnorm?x=1x2:1,2&rm=2:0,0").field, "rm");
  EXPECT_EQ(DecodeError("v1/batchnorm?x=1x2:1,2&rv=1:-1").field, "rv");
  EXPECT_EQ(DecodeError("v1/batchnorm?x=1x2:1,2&check=y:1,2,3").field, "check");
  EXPECT_EQ(DecodeError("v1/batchnorm?x=1x2:1,2&gamma=1:1").field, "gamma");
}

}  // namespace
}  // namespace nnplay
