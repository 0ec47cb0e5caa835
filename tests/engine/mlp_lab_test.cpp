// mlp_lab_test.cpp: the Neuron & MLP lab: every preset against the exercise's correct values
// (exercises.md, or hand computations in the comments), the gradients against finite
// differences, the share link (round trips, rejections naming the field) and "check my work"
// fed the student's hand-written values.
#include "labs/mlp_lab.h"

#include "labs/notation.h"

#include <gtest/gtest.h>

#include <cmath>

#include "labs/registry.h"

namespace nnplay {
namespace {

MlpLabState Preset(const std::string& id) {
  for (const MlpPreset& p : MlpPresets())
    if (id == p.id) return p.make();
  ADD_FAILURE() << "no preset " << id;
  return MlpLabDefault();
}

void ExpectNear(const Tensor& t, const std::vector<float>& want, float tol, const char* what) {
  ASSERT_EQ(t.size(), want.size()) << what;
  for (size_t i = 0; i < want.size(); ++i)
    EXPECT_NEAR(t[i], want[i], tol) << what << "[" << i << "]";
}

MlpLabState Decode(const std::string& text) {
  Link link;
  LinkError error;
  MlpLabState state;
  EXPECT_TRUE(ParseLink(text, &link, &error)) << error.ToString();
  EXPECT_TRUE(DecodeMlpLab(link, &state, &error)) << text << "\n" << error.ToString();
  return state;
}

LinkError DecodeError(const std::string& text) {
  Link link;
  LinkError error;
  MlpLabState state;
  if (ParseLink(text, &link, &error)) {
    EXPECT_FALSE(DecodeMlpLab(link, &state, &error)) << text;
  }
  return error;
}

// ---- the exercises ------------------------------------------------------------------------

TEST(MlpLab, E1OneNeuron) {
  // z = 0.2x0.001 - 1.3x0.01 + 2x(-0.005) + 0.01x(-1.2) = 0.0002 - 0.013 - 0.01 - 0.012.
  const MlpLabResult r = EvaluateMlpLab(Preset("e1"));
  ExpectNear(r.layers[0].z, {-0.0348f}, 1e-6f, "z1");
  ExpectNear(r.layers[0].a, {-0.0348f}, 1e-6f, "a1 (linear)");
  EXPECT_EQ(r.parameters, 4);
  EXPECT_EQ(ToAscii(TraceMlpZ(Preset("e1"), r, 0, 0)),
            "z1[1] = 0.001*0.2 + 0.01*(-1.3) + (-0.005)*2 + (-1.2)*0.01 = -0.0348");
}

TEST(MlpLab, E1SoftmaxOverOneLogitIsOneAndTheLabSaysWhy) {
  const MlpLabResult r = EvaluateMlpLab(Preset("e1-softmax"));
  ExpectNear(r.layers[0].a, {1.0f}, 0.0f, "softmax(z1)");
  bool explained = false;
  for (const std::string& n : r.notes) {
    explained |= n.find("softmax over a single logit is always 1") != std::string::npos &&
                 n.find("sigmoid") != std::string::npos && n.find("0.4913") != std::string::npos;
  }
  EXPECT_TRUE(explained) << ::testing::PrintToString(r.notes);
  // sigmoid(-0.0348) = 1/(1 + e^0.0348) = 1/2.035413 = 0.491300.
  ExpectNear(EvaluateMlpLab(Preset("e1-sigmoid")).layers[0].a, {0.4913f}, 5e-5f, "sigmoid");
}

TEST(MlpLab, E2CollapsesToOneHalfForBothInputs) {
  for (const char* id : {"e2", "e2-x4-2"}) {
    SCOPED_TRACE(id);
    const MlpLabState s = Preset(id);
    const MlpLabResult r = EvaluateMlpLab(s);
    // x4 = 1.1: 0.1 x (-2.4 + 1.2 - 0.8 + 1.1) = -0.09; x4 = 2.0: 0.1 x 0 = 0.
    const float z1 = std::string(id) == "e2" ? -0.09f : 0.0f;
    ExpectNear(r.layers[0].z, {z1, z1, z1}, 1e-6f, "z1");
    ExpectNear(r.layers[0].a, {0, 0, 0}, 1e-6f, "a1");
    ExpectNear(r.layers[1].z, {0, 0}, 1e-6f, "z2");
    ExpectNear(r.layers[2].z, {0, 0}, 1e-6f, "z3");
    ExpectNear(r.layers[2].a, {0.5f, 0.5f}, 1e-6f, "softmax");
    EXPECT_EQ(r.parameters, 12 + 6 + 4);
    bool symmetry = false;
    for (const std::string& n : r.notes) symmetry |= n.find("symmetry") != std::string::npos;
    EXPECT_TRUE(symmetry) << ::testing::PrintToString(r.notes);
  }
}

TEST(MlpLab, E4ForwardPass) {
  const MlpLabState s = Preset("e4");
  const MlpLabResult r = EvaluateMlpLab(s);
  ExpectNear(r.layers[0].z, {0.15f, -0.2f}, 1e-6f, "z1");
  ExpectNear(r.layers[0].a, {0.15f, 0}, 1e-6f, "a1");
  ExpectNear(r.layers[1].z, {0.015f, 0.045f, 0.06f}, 1e-6f, "z2");
  ExpectNear(r.layers[1].a, {0.015f, 0.045f, 0.06f}, 1e-6f, "a2");
  ExpectNear(r.layers[2].z, {0.0165f, 0.0555f}, 1e-6f, "z3");
  ExpectNear(r.layers[2].a, {0.49025f, 0.50975f}, 1e-5f, "softmax");
  EXPECT_EQ(ToAscii(TraceMlpZ(s, r, 1, 2)), "z2[3] = 0.4*0.15 + (-0.1)*0 = 0.06");
  // 1/(1 + e^0.039) = 1/2.0397704 = 0.4902513 (6 digits in traces).
  EXPECT_EQ(ToAscii(TraceMlpA(s, r, 2, 0)),
            "a3[1] = exp(0.0165)/(exp(0.0165) + exp(0.0555)) = 0.490251");
}

TEST(MlpLab, E4WithMinusPointOne) {
  const MlpLabResult r = EvaluateMlpLab(Preset("e4-w13-neg"));
  ExpectNear(r.layers[2].z, {0.0045f, 0.0555f}, 1e-6f, "z3");
  ExpectNear(r.layers[2].a, {0.48725f, 0.51275f}, 1e-5f, "softmax");
}

TEST(MlpLab, E4BackwardByHand) {
  // Target class 1: dL/dz3 = p - y = [0.49025 - 1, 0.50975]. dL/da2[j] = sum_i W3[i][j] dz3[i]
  // = -0.50975 x (W3[1][j] - W3[2][j]) = [0.152925, 0.254875, 0.10195] = dL/dz2 (z2 > 0).
  // dL/da1 = W2^T dz2 = [0.0152925 + 0.0764625 + 0.04078, -0.0764625 + 0.050975 - 0.010195]
  // = [0.132535, -0.0356825]; dz1 = [0.132535, 0] (z1[2] < 0); dW1 = dz1 x^T.
  const MlpLabState s = Preset("e4-backward");
  const MlpLabResult r = EvaluateMlpLab(s);
  EXPECT_NEAR(r.loss, 0.712840f, 1e-5f);  // -ln 0.49025
  ExpectNear(r.layers[2].dz, {-0.50975f, 0.50975f}, 1e-5f, "dz3");
  ExpectNear(r.layers[2].da, {-1.0f / 0.49025f, 0}, 1e-4f, "da3");
  ExpectNear(r.layers[1].da, {0.152925f, 0.254875f, 0.10195f}, 1e-5f, "da2");
  ExpectNear(r.layers[1].dz, {0.152925f, 0.254875f, 0.10195f}, 1e-5f, "dz2");
  ExpectNear(r.layers[0].da, {0.132535f, -0.0356825f}, 1e-5f, "da1");
  ExpectNear(r.layers[0].dz, {0.132535f, 0}, 1e-5f, "dz1");
  ExpectNear(r.layers[0].dw, {0.0662675f, -0.132535f, 0, 0}, 1e-5f, "dW1");
  // dW3[1][2] = dz3[1] x a2[2] = -0.50975 x 0.045 = -0.02293875.
  EXPECT_NEAR(r.layers[2].dw.at(0, 1), -0.02293875f, 1e-6f);
  // To 6 digits p[1] = 0.490251, so dz3[1] = -0.509749 and dW3[1][2] = -0.509749 x 0.045
  // = -0.0229387.
  EXPECT_EQ(ToAscii(TraceMlpDw(s, r, 2, 0, 1)),
            "dL/dW3[1][2] = dL/dz3[1] * a2[2] = -0.509749 * 0.045 = "
            "-0.0229387");
  EXPECT_EQ(ToAscii(TraceMlpDz(s, r, 2, 0)), "dL/dz3[1] = p[1] - y[1] = 0.490251 - 1 = -0.509749");
  EXPECT_TRUE(r.layers[2].db.empty());
}

TEST(MlpLab, E5CountsTwentySixParameters) {
  const MlpLabResult r = EvaluateMlpLab(Preset("e5"));
  ASSERT_EQ(r.layers.size(), 2u);
  EXPECT_EQ(r.layers[0].weights, 12);
  EXPECT_EQ(r.layers[0].biases, 4);
  EXPECT_EQ(r.layers[1].weights, 8);
  EXPECT_EQ(r.layers[1].biases, 2);
  EXPECT_EQ(r.parameters, 26);
}

TEST(MlpLab, NotSoftmaxLastLayerUsesSoftmaxOfZAndSaysSo) {
  MlpLabState s = Preset("e4");
  s.layers[2].activation = MlpActivation::kTanh;
  const MlpLabResult r = EvaluateMlpLab(s);
  ExpectNear(r.probs, {0.49025f, 0.50975f}, 1e-5f, "softmax(z3)");
  EXPECT_TRUE(r.layers[2].da.empty());
  bool said = false;
  for (const std::string& n : r.notes) said |= n.find("not softmax") != std::string::npos;
  EXPECT_TRUE(said);
}

// ---- gradients against finite differences (double-sided, in float) --------------------------

TEST(MlpLab, GradientsMatchFiniteDifferences) {
  MlpLabState s = MakeMlp({3, 4, 3, 3, 2});
  s.x = Tensor({3});
  s.x[0] = 0.7f, s.x[1] = -0.4f, s.x[2] = 1.1f;
  const MlpActivation acts[] = {MlpActivation::kTanh, MlpActivation::kSigmoid,
                                MlpActivation::kLeakyRelu, MlpActivation::kLinear};
  for (int l = 0; l < 4; ++l) {
    s.layers[static_cast<size_t>(l)].activation = acts[l];
    SetMlpBias(&s, l, true);
    FillMlpWeights(&s, l, MlpFill::kUniform, -1, 1, static_cast<uint32_t>(10 + l));
    FillMlpBiases(&s, l, 0.05f * static_cast<float>(l));
  }
  s.target = 2;
  for (int pass = 0; pass < 2; ++pass) {
    if (pass == 1) s.layers[1].activation = MlpActivation::kSoftmax;  // a softmax hidden layer
    const MlpLabResult r = EvaluateMlpLab(s);
    const float h = 1e-2f;
    for (size_t l = 0; l < s.layers.size(); ++l) {
      for (size_t i = 0; i < s.layers[l].w.size(); ++i) {
        MlpLabState p = s, m = s;
        p.layers[l].w[i] += h;
        m.layers[l].w[i] -= h;
        const float num = (EvaluateMlpLab(p).loss - EvaluateMlpLab(m).loss) / (2 * h);
        EXPECT_NEAR(r.layers[l].dw[i], num, 2e-3f) << "pass " << pass << " W" << l + 1 << " " << i;
      }
      for (size_t i = 0; i < s.layers[l].b.size(); ++i) {
        MlpLabState p = s, m = s;
        p.layers[l].b[i] += h;
        m.layers[l].b[i] -= h;
        const float num = (EvaluateMlpLab(p).loss - EvaluateMlpLab(m).loss) / (2 * h);
        EXPECT_NEAR(r.layers[l].db[i], num, 2e-3f) << "pass " << pass << " b" << l + 1 << " " << i;
      }
    }
  }
}

// ---- fills and structure ------------------------------------------------------------------

TEST(MlpLab, FillsAreSeededAndBounded) {
  MlpLabState a = MakeMlp({16, 16}), b = MakeMlp({16, 16});
  FillMlpWeights(&a, 0, MlpFill::kHe, 0, 0, 7);
  FillMlpWeights(&b, 0, MlpFill::kHe, 0, 0, 7);
  EXPECT_EQ(a.layers[0].w, b.layers[0].w);
  const float limit = std::sqrt(6.0f / 16.0f) + 0.005f;  // He uniform, rounded to 2 decimals
  bool varied = false;
  for (float w : a.layers[0].w.values()) {
    EXPECT_LE(std::fabs(w), limit);
    EXPECT_EQ(w, std::round(w * 100) / 100);
    varied |= w != a.layers[0].w[0];
  }
  EXPECT_TRUE(varied);
  FillMlpWeights(&b, 0, MlpFill::kHe, 0, 0, 8);
  EXPECT_NE(a.layers[0].w, b.layers[0].w);
  FillMlpWeights(&b, 0, MlpFill::kXavier, 0, 0, 8);
  for (float w : b.layers[0].w.values()) EXPECT_LE(std::fabs(w), std::sqrt(6.0f / 32) + 0.005f);
}

TEST(MlpLab, StructureEditsKeepShapesConsistent) {
  MlpLabState s = Preset("e4");
  SetMlpUnits(&s, 1, 5);
  EXPECT_EQ(s.layers[1].w.shape(), (std::vector<int>{5, 2}));
  EXPECT_EQ(s.layers[2].w.shape(), (std::vector<int>{2, 5}));
  SetMlpInputSize(&s, 4);
  EXPECT_EQ(s.layers[0].w.shape(), (std::vector<int>{2, 4}));
  AddMlpLayer(&s);
  EXPECT_EQ(s.layers.size(), 4u);
  EXPECT_EQ(s.layers[3].w.shape(), (std::vector<int>{2, 2}));
  EXPECT_EQ(s.layers[2].activation, MlpActivation::kRelu);
  EXPECT_EQ(s.layers[3].activation, MlpActivation::kSoftmax);
  s.target = 2;
  SetMlpUnits(&s, 3, 1);
  EXPECT_EQ(s.target, 1);
  RemoveMlpLayer(&s);
  EXPECT_EQ(s.layers.size(), 3u);
  EXPECT_EQ(Decode(EncodeMlpLab(s)), s);
}

// ---- the link -----------------------------------------------------------------------------

TEST(MlpLab, ExerciseLinksAreShort) {
  EXPECT_EQ(EncodeMlpLab(Preset("e2")),
            "v1/mlp?x=4:-2.4,1.2,-0.8,1.1&l1=relu&w1=3x4:0.1*12&l2=relu&w2=2x3:0.001*6"
            "&l3=softmax&w3=2x2:0.01*4&target=1&mode=fwd&check=");
  EXPECT_EQ(EncodeMlpLab(Preset("e4")),
            "v1/mlp?x=2:0.5,-1&l1=relu&w1=2x2:0.1,-0.1,0.2,0.3&l2=relu&w2=3x2:0.1,-0.5,0.3,0.2,"
            "0.4,-0.1&l3=softmax&w3=2x3:0.1,0.2,0.1,0.4,0.7,0.3&target=1&mode=fwd&check=");
  EXPECT_EQ(EncodeMlpLab(Preset("e1-student")),
            "v1/mlp?x=4:0.2,-1.3,2,0.01&l1=softmax&w1=1x4:0.001,0.01,-0.005,-1.2&target=1"
            "&mode=fwd&check=z1:-0.0348;a1:0");
  EXPECT_NE(EncodeMlpLab(Preset("e5")).find("&b1=4:0.1*4&"), std::string::npos);
}

TEST(MlpLab, EveryPresetRoundTrips) {
  std::vector<PresetInfo> listed;
  for (const PresetInfo& p : AllPresets())
    if (p.lab == "mlp") listed.push_back(p);
  ASSERT_EQ(listed.size(), MlpPresets().size());
  for (const MlpPreset& p : MlpPresets()) {
    SCOPED_TRACE(p.id);
    const MlpLabState s = p.make();
    const std::string link = EncodeMlpLab(s);
    const MlpLabState back = Decode(link);
    EXPECT_EQ(back, s);
    EXPECT_EQ(EncodeMlpLab(back), link);
    std::string json;
    LinkError error;
    EXPECT_TRUE(EvalLinkToJson(link, &json, &error)) << error.ToString();
    EXPECT_NE(json.find("\"lab\":\"mlp\""), std::string::npos);
  }
}

TEST(MlpLab, DecodeAppliesDefaultsAndBiases) {
  const MlpLabState s = Decode("#v1/mlp?w1=2x1:1,2&l1=tanh&x=1:3&b1=2:0.5,-0.5");
  EXPECT_EQ(s.target, 1);
  EXPECT_EQ(s.mode, MlpMode::kForward);
  EXPECT_TRUE(s.layers[0].has_bias);
  EXPECT_EQ(EncodeMlpLab(s),
            "v1/mlp?x=1:3&l1=tanh&w1=2x1:1,2&b1=2:0.5,-0.5&target=1&mode=fwd&check=");
  const MlpLabState t = Decode("v1/mlp?x=1:1&l1=leaky_relu&w1=1x1:1&target=1&mode=bwd");
  EXPECT_EQ(t.mode, MlpMode::kBackward);
  EXPECT_EQ(t.layers[0].b.shape(), (std::vector<int>{1}));
}

TEST(MlpLab, DecodeNamesTheBadField) {
  const std::string ok = "v1/mlp?x=2:1,2&l1=relu&w1=3x2:0*6&l2=softmax&w2=2x3:0*6";
  Decode(ok);
  const std::pair<std::string, std::string> cases[] = {
      {"v1/mlp?l1=relu&w1=3x2:0*6", "x"},
      {"v1/mlp?x=17:0*17&l1=relu&w1=1x17:0*17", "x"},
      {"v1/mlp?x=2x2:0*4&l1=relu&w1=1x2:0*2", "x"},
      {"v1/mlp?x=2:1,2", "l1"},
      {"v1/mlp?x=2:1,2&l1=gelu&w1=1x2:0*2", "l1"},
      {"v1/mlp?x=2:1,2&l1=relu", "w1"},
      {"v1/mlp?x=2:1,2&l1=relu&w1=1x3:0*3", "w1"},
      {"v1/mlp?x=2:1,2&l1=relu&w1=17x2:0*34", "w1"},
      {"v1/mlp?x=2:1,2&l1=relu&w1=1x2:0,nan", "w1"},
      {ok + "&b2=3:0*3", "b2"},
      {ok + "&b1=3:0,1", "b1"},
      {ok + "&w3=2x2:0*4", "w3"},
      {ok + "&l4=relu&w4=1x2:0*2", "l4"},
      {ok + "&target=3", "target"},
      {ok + "&target=0", "target"},
      {ok + "&mode=both", "mode"},
      {ok + "&l7=relu", "l7"},
      {ok + "&hidden=3", "hidden"},
      {ok + "&target=1&target=2", "target"},
      {ok + "&check=z9:1", "check"},
      {ok + "&check=z2:1,2,3", "check"},
      {ok + "&check=dz1:1", "check"},  // backward steps exist in bwd mode only
      {ok + "&check=z1:abc", "check"},
  };
  for (const auto& [link, field] : cases) EXPECT_EQ(DecodeError(link).field, field) << link;
  // Seven layers: l7 is not a field of this lab.
  std::string seven = "v1/mlp?x=1:1";
  for (int l = 1; l <= 7; ++l)
    seven += "&l" + std::to_string(l) + "=relu&w" + std::to_string(l) + "=1x1:1";
  EXPECT_EQ(DecodeError(seven).field, "l7");
  EXPECT_NE(DecodeError(ok + "&l4=relu&w4=1x2:0*2").message.find("layer 3"), std::string::npos);
}

// ---- check my work ------------------------------------------------------------------------

size_t StepIndex(const std::vector<CheckStep>& steps, const std::string& id) {
  for (size_t i = 0; i < steps.size(); ++i)
    if (steps[i].id == id) return i;
  ADD_FAILURE() << "no step " << id;
  return 0;
}

TEST(MlpLab, CheckFlagsTheStudentsE4Mistakes) {
  const MlpLabState s = Preset("e4-student");
  const MlpLabResult r = EvaluateMlpLab(s);
  const std::vector<CheckStep> steps = MlpCheckSteps(s, r);
  const CheckOutcome o = Check(steps, s.check);
  using St = CheckStatus;
  const St R = St::kRight, W = St::kWrong, N = St::kNotEntered;
  EXPECT_EQ(o.status[StepIndex(steps, "z1")], (std::vector<St>{R, R}));     // [0.15, -0.2] ✓
  EXPECT_EQ(o.status[StepIndex(steps, "a1")], (std::vector<St>{R, R}));     // [0.15, 0] ✓
  EXPECT_EQ(o.status[StepIndex(steps, "z2")], (std::vector<St>{R, R, W}));  // 0.006, not 0.06
  EXPECT_EQ(o.status[StepIndex(steps, "a2")], (std::vector<St>{R, R, W}));  // 0.005 ✗
  EXPECT_EQ(o.status[StepIndex(steps, "z3")], (std::vector<St>{W, W}));     // from the above
  EXPECT_EQ(o.status[StepIndex(steps, "a3")], (std::vector<St>{W, N}));     // 0.493 ≠ 0.49025
  EXPECT_EQ(o.first_wrong_step, static_cast<int>(StepIndex(steps, "z2")));
  EXPECT_EQ(o.first_wrong_value, 2);
  EXPECT_NE(o.explanation.find("the right value is 0.06 (0.4\u00D7"
                               "0.15 + (\u22120.1)\u00D7"
                               "0)"),
            std::string::npos)
      << o.explanation;
}

// Error carried forward on the seed's E4 (issue 12). The student wrote
//   z1 = [0.15, -0.2] ✓, a1 = [0.15, 0] ✓,
//   z2 = [0.015, 0.045, 0.006]: z2[3] = 0.4×0.15 + (−0.1)×0 = 0.06, so 0.006 is the root cause;
//   a2 = [0.015, 0.045, 0.005]: relu(0.006) = 0.006, so a2[3] = 0.005 is wrong even for their z2;
//   z3 = [0.011, 0.040]: from their a2, z3[1] = 0.1×0.015 + 0.2×0.045 + 0.1×0.005
//        = 0.0015 + 0.009 + 0.0005 = 0.011 (right for their values; the right value is 0.0165),
//        z3[2] = 0.4×0.015 + 0.7×0.045 + 0.3×0.005 = 0.006 + 0.0315 + 0.0015 = 0.039, not 0.040;
//   a3[1] = 0.493: softmax of their z3 = 1/(1 + e^(0.040 − 0.011)) = 1/(1 + e^0.029)
//        = 1/(1 + 1.029425) = 0.492750 -> 0.493 (right for their values; the right one 0.49025).
TEST(MlpLab, CheckCarriesTheStudentsE4SlipForward) {
  const MlpLabState s = Preset("e4-student");
  const MlpLabResult r = EvaluateMlpLab(s);
  const std::vector<CheckStep> steps = MlpCheckSteps(s, r);
  const CheckOutcome o = Check(steps, s.check, MlpCheckRecompute(s));
  using St = CheckStatus;
  const St R = St::kRight, W = St::kWrong, C = St::kCarried, N = St::kNotEntered;
  EXPECT_EQ(o.status[StepIndex(steps, "z1")], (std::vector<St>{R, R}));
  EXPECT_EQ(o.status[StepIndex(steps, "a1")], (std::vector<St>{R, R}));
  EXPECT_EQ(o.status[StepIndex(steps, "z2")], (std::vector<St>{R, R, W}));  // root cause
  EXPECT_EQ(o.status[StepIndex(steps, "a2")], (std::vector<St>{R, R, W}));  // not explained
  EXPECT_EQ(o.status[StepIndex(steps, "z3")], (std::vector<St>{C, W}));     // 0.011 ✓, 0.039
  EXPECT_EQ(o.status[StepIndex(steps, "a3")], (std::vector<St>{C, N}));     // 0.49275
  EXPECT_EQ(o.first_wrong_step, static_cast<int>(StepIndex(steps, "z2")));
  EXPECT_EQ(o.first_wrong_value, 2);
  EXPECT_EQ(o.right, 8);  // z1, a1 and the first two of z2, a2
  EXPECT_EQ(o.carried, 2);
  EXPECT_EQ(o.wrong, 3);
  // What their earlier values give: relu(0.006) = 0.006; 0.039 for z3[2].
  EXPECT_NEAR(o.yours[StepIndex(steps, "a2")][2], 0.006, 1e-7);
  EXPECT_NEAR(o.yours[StepIndex(steps, "z3")][0], 0.011, 1e-7);
  EXPECT_NEAR(o.yours[StepIndex(steps, "z3")][1], 0.039, 1e-7);
  EXPECT_NEAR(o.yours[StepIndex(steps, "a3")][0], 0.492750, 1e-6);
  ASSERT_EQ(o.later.size(), 4u);
  EXPECT_EQ(o.later[0].rfind("a\u2082[3]: you wrote 0.005", 0), 0u) << o.later[0];
  EXPECT_NE(o.later[0].find("not explained by the earlier slip: your earlier values give 0.006"),
            std::string::npos)
      << o.later[0];
  EXPECT_NE(o.later[1].find("right for your earlier value (0.1\u00D7"
                            "0.015 + 0.2\u00D7"
                            "0.045 + 0.1\u00D7"
                            "0.005)"),
            std::string::npos)
      << o.later[1];
  EXPECT_NE(o.later[2].find("your earlier values give 0.039"), std::string::npos) << o.later[2];
  // Without a recompute the old verdicts stand: every value after the slip is wrong.
  const CheckOutcome plain = Check(steps, s.check);
  EXPECT_EQ(plain.carried, 0);
  EXPECT_EQ(plain.wrong, 5);
}

TEST(MlpLab, CheckCarriesThroughTheBackwardPass) {
  // E4 backward: target 1. The student's p1 = 0.52 (wrong: 0.49025 rounds and truncates to
  // 0.49) carries into the loss −log(0.52) = 0.653926 and dz3[1] = p1 − 1 = −0.48.
  MlpLabState s = Preset("e4");
  s.mode = MlpMode::kBackward;
  s.check = {{"a3", {"0.52", ""}}, {"loss", {"0.6539"}}, {"dz3", {"-0.48", "0.51"}}};
  const MlpLabResult r = EvaluateMlpLab(s);
  const std::vector<CheckStep> steps = MlpCheckSteps(s, r);
  const CheckOutcome o = Check(steps, s.check, MlpCheckRecompute(s));
  using St = CheckStatus;
  EXPECT_EQ(o.status[StepIndex(steps, "a3")][0], St::kWrong);
  EXPECT_EQ(o.status[StepIndex(steps, "loss")][0], St::kCarried);
  EXPECT_EQ(o.status[StepIndex(steps, "dz3")][0], St::kCarried);
  // dz3[2] = p2 − 0 with their a3 = [0.52, (not typed: 0.50975)] -> 0.50975: "0.51" rounds it.
  EXPECT_EQ(o.status[StepIndex(steps, "dz3")][1], St::kRight);
}

TEST(MlpLab, CheckFlagsTheStudentsE1Softmax) {
  const MlpLabState s = Preset("e1-student");
  const MlpLabResult r = EvaluateMlpLab(s);
  const std::vector<CheckStep> steps = MlpCheckSteps(s, r);
  const CheckOutcome o = Check(steps, s.check);
  EXPECT_EQ(o.status[StepIndex(steps, "z1")][0], CheckStatus::kRight);  // -0.0348 ✓
  EXPECT_EQ(o.status[StepIndex(steps, "a1")][0], CheckStatus::kWrong);  // 0 ✗ (it is 1)
  EXPECT_EQ(o.right, 1);
  EXPECT_EQ(o.wrong, 1);
  EXPECT_NE(o.explanation.find("the right value is 1"), std::string::npos) << o.explanation;
}

TEST(MlpLab, CheckOnALinearOutputUsesP) {
  MlpLabState s = Preset("e1");
  Link link;
  LinkError error;
  ASSERT_TRUE(ParseLink(EncodeMlpLab(s) + "z1:-0.0348;p:0", &link, &error));  // "...&check="
  ASSERT_TRUE(DecodeMlpLab(link, &s, &error)) << error.ToString();
  const MlpLabResult r = EvaluateMlpLab(s);
  const std::vector<CheckStep> steps = MlpCheckSteps(s, r);
  const CheckOutcome o = Check(steps, s.check);
  EXPECT_EQ(o.status[StepIndex(steps, "p")][0], CheckStatus::kWrong);
  EXPECT_EQ(o.status[StepIndex(steps, "z1")][0], CheckStatus::kRight);
}

TEST(MlpLab, CheckEntriesFollowStructureEdits) {
  MlpLabState s = Preset("e4-student");
  SetMlpUnits(&s, 1, 2);  // z2 and a2 shrink to 2 values; the third entries go
  RemoveMlpLayer(&s);     // z3, a3 go
  const std::string link = EncodeMlpLab(s);
  EXPECT_NE(link.find("check=z1:0.15,-0.2;a1:0.15,0;z2:0.015,0.045;a2:0.015,0.045"),
            std::string::npos)
      << link;
  EXPECT_EQ(EncodeMlpLab(Decode(link)), link);
}

TEST(MlpLab, JsonHasEveryTensorAndTheCheck) {
  const MlpLabState s = Preset("e4-student");
  const std::string json = MlpLabToJson(s, EvaluateMlpLab(s));
  EXPECT_NE(json.find("\"first_wrong_step\":\"z2\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"parameters\":16"), std::string::npos);  // 4 + 6 + 6
  EXPECT_NE(json.find("z2[3] = 0.4*0.15 + (-0.1)*0 = 0.06"), std::string::npos);
}

}  // namespace
}  // namespace nnplay
