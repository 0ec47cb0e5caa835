// course_check_test.cpp: the course's hand-written answers (every ✗ and ✓ of the seed's
// exercises, transcribed here) through each lab's check my work with error carried
// forward (check.h): each ✗ is flagged, each ✓ accepted, the root cause is the first slip,
// and later values that follow from the slip are "right for your earlier value". The
// expected values are worked out by hand in the comments.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "labs/batchnorm_lab.h"
#include "labs/check.h"
#include "labs/cost_lab.h"
#include "labs/dropout_lab.h"
#include "labs/flow_lab.h"
#include "labs/mlp_lab.h"
#include "labs/softmax_lab.h"
#include "link/link.h"

namespace nnplay {
namespace {

using St = CheckStatus;
constexpr St R = St::kRight, C = St::kCarried, W = St::kWrong, N = St::kNotEntered;

struct Checked {
  std::vector<CheckStep> steps;
  CheckOutcome o;
  std::string link;
  const std::vector<St>& operator[](const std::string& id) const {
    for (size_t i = 0; i < steps.size(); ++i)
      if (steps[i].id == id) return o.status[i];
    ADD_FAILURE() << "no step " << id;
    return o.status[0];
  }
  std::string root() const {
    return o.first_wrong_step < 0 ? "" : steps[static_cast<size_t>(o.first_wrong_step)].id;
  }
};

Link Parse(const std::string& text) {
  Link link;
  LinkError error;
  EXPECT_TRUE(ParseLink(text, &link, &error)) << text << ": " << error.ToString();
  return link;
}

Checked Mlp(const std::string& text) {
  MlpLabState s;
  LinkError error;
  EXPECT_TRUE(DecodeMlpLab(Parse(text), &s, &error)) << error.ToString();
  Checked c;
  c.steps = MlpCheckSteps(s, EvaluateMlpLab(s));
  c.o = Check(c.steps, s.check, MlpCheckRecompute(s));
  c.link = EncodeMlpLab(s);
  return c;
}

Checked Softmax(const std::string& check) {
  SoftmaxLabState s;
  LinkError error;
  EXPECT_TRUE(DecodeSoftmaxLab(Parse("v1/softmax?x=3:2,1,0.1&t=1&check=" + check), &s, &error))
      << error.ToString();
  Checked c;
  c.steps = EvaluateSoftmaxLab(s).steps;
  c.o = Check(c.steps, s.check, SoftmaxCheckRecompute(s));
  c.link = EncodeSoftmaxLab(s);
  return c;
}

Checked BatchNorm(const std::string& check) {
  BatchNormLabState s;
  LinkError error;
  EXPECT_TRUE(DecodeBatchNormLab(Parse("v1/batchnorm?x=1x5:2,4,6,8,10&g=1:2&b=1:-1&eps=0&mom=0.1"
                                       "&mode=train&rm=1:0&rv=1:1&check=" +
                                       check),
                                 &s, &error))
      << error.ToString();
  Checked c;
  c.steps = EvaluateBatchNormLab(s).steps;
  c.o = Check(c.steps, s.check, BatchNormCheckRecompute(s));
  return c;
}

const char kE10[] =
    "v1/cost?mode=single&h=28&w=28&c=192&k=1&n=32&r=16&pad=same&stride=1&br=135p&n1=64&r3=96"
    "&n3=128&r5=16&n5=32&np=32&bias=1&check=";
const char kE13[] =
    "v1/cost?mode=incep&h=32&w=32&c=192&k=1&n=32&r=16&pad=same&stride=1&br=35&n1=64&r3=0"
    "&n3=128&r5=0&n5=32&np=32&bias=1&check=";

Checked Cost(const std::string& base, const std::string& check) {
  CostLabState s;
  LinkError error;
  EXPECT_TRUE(DecodeCostLab(Parse(base + check), &s, &error)) << error.ToString();
  Checked c;
  c.steps = EvaluateCostLab(s).steps;
  c.o = Check(c.steps, s.check, CostCheckRecompute(s));
  return c;
}

const char kE1[] = "v1/mlp?x=4:0.2,-1.3,2,0.01&l1=softmax&w1=1x4:0.001,0.01,-0.005,-1.2&target=1";
const char kE4[] =
    "v1/mlp?x=2:0.5,-1&l1=relu&w1=2x2:0.1,-0.1,0.2,0.3&l2=relu&w2=3x2:0.1,-0.5,0.3,0.2,0.4,-0.1"
    "&l3=softmax&w3=2x3:0.1,0.2,0.1,0.4,0.7,0.3&target=1";

// E1: z = 0.2×0.001 + (−1.3)×0.01 + 2×(−0.005) + 0.01×(−1.2)
//       = 0.0002 − 0.013 − 0.01 − 0.012 = −0.0348 ✓; softmax(−0.0348) = 1, not 0 ✗, and the
// student's own z gives 1 too: wrong, the root cause.
TEST(CourseCheck, E1SoftmaxOfOneLogit) {
  const Checked c = Mlp(std::string(kE1) + "&mode=fwd&check=z1:-0.0348;a1:0");
  EXPECT_EQ(c["z1"], (std::vector<St>{R}));
  EXPECT_EQ(c["a1"], (std::vector<St>{W}));
  EXPECT_EQ(c.root(), "a1");
  EXPECT_EQ(c.o.carried, 0);
}

// E2: identical weights and a dead ReLU layer: the output is [0.5, 0.5] = [1/2, 1/2], typed
// as fractions.
TEST(CourseCheck, E2OutputAsFractions) {
  const Checked c =
      Mlp("v1/mlp?x=4:-2.4,1.2,-0.8,1.1&l1=relu&w1=3x4:0.1*12&l2=relu&w2=2x3:0.001*6&l3=softmax"
          "&w3=2x2:0.01*4&target=1&mode=fwd&check=a3:1/2,1/2");
  EXPECT_EQ(c["a3"], (std::vector<St>{R, R}));
  EXPECT_EQ(c.root(), "");
}

// E3: e² = 7.389056, e¹ = 2.718282, e^0.1 = 1.105171; Σ = 11.212509 → 11.2125 ✓ (the
// course's); the student's 11.204 ✗ is the root cause. Their p from their sum:
// 7.389056/11.204 = 0.659502 (neither 0.658), 2.718282/11.204 = 0.242617 (neither 0.2418):
// wrong; 0.0986 is the right 0.098566 rounded ✓.
TEST(CourseCheck, E3SoftmaxStudent) {
  const Checked c = Softmax("sum:11.204;p:0.658,0.2418,0.0986");
  EXPECT_EQ(c["sum"], (std::vector<St>{W}));
  EXPECT_EQ(c["p"], (std::vector<St>{W, W, R}));
  EXPECT_EQ(c.root(), "sum");
  EXPECT_NEAR(c.o.yours[2][0], 0.659502, 2e-6);
  const Checked ok = Softmax("sum:11.2125;p:0.6590,0.2424,0.0986");  // the correct figures
  EXPECT_EQ(ok.o.right, 4);
  EXPECT_EQ(ok.root(), "");
}

// E3 with a slip in an exponential: e^0.1 written 1.01 (it is 1.105171). Their sum
// 7.389 + 2.718 + 1.01 = 11.117 and their p1 = 7.389/11.117 = 0.664658 → 0.665 follow from
// it; p2 = 2.718/11.117 = 0.244491, typed 0.2445 → carried.
TEST(CourseCheck, E3CarriesASlipInAnExponential) {
  const Checked c = Softmax("exps:7.389,2.718,1.01;sum:11.117;p:0.665,0.2445");
  EXPECT_EQ(c["exps"], (std::vector<St>{R, R, W}));
  EXPECT_EQ(c["sum"], (std::vector<St>{C}));
  EXPECT_EQ(c["p"], (std::vector<St>{C, C, N}));
  EXPECT_EQ(c.root(), "exps");
  EXPECT_EQ(c.o.first_wrong_value, 2);
}

// E4 (the example): z2[3] = 0.4×0.15 + (−0.1)×0 = 0.06, the student's 0.006 is the
// root cause; a2[3] = 0.005 is not relu(0.006) = 0.006: wrong, not explained; z3[1] from
// their a2 = 0.1×0.015 + 0.2×0.045 + 0.1×0.005 = 0.011 ✓ carried; z3[2] = 0.4×0.015 +
// 0.7×0.045 + 0.3×0.005 = 0.039, the student's 0.040 wrong; their softmax 0.493 =
// 1/(1 + e^0.029) = 0.49275 carried.
TEST(CourseCheck, E4CarriedForward) {
  const Checked c = Mlp(std::string(kE4) +
                        "&mode=fwd&check=z1:0.15,-0.2;a1:0.15,0;z2:0.015,0.045,0.006;"
                        "a2:0.015,0.045,0.005;z3:0.011,0.040;a3:0.493,_");
  EXPECT_EQ(c["z1"], (std::vector<St>{R, R}));
  EXPECT_EQ(c["a1"], (std::vector<St>{R, R}));
  EXPECT_EQ(c["z2"], (std::vector<St>{R, R, W}));
  EXPECT_EQ(c["a2"], (std::vector<St>{R, R, W}));
  EXPECT_EQ(c["z3"], (std::vector<St>{C, W}));
  EXPECT_EQ(c["a3"], (std::vector<St>{C, N}));
  EXPECT_EQ(c.root(), "z2");
  EXPECT_EQ(c.o.first_wrong_value, 2);
  // The link keeps the entries, without the trailing '_'.
  EXPECT_EQ(c.link.substr(c.link.size() - 9), ";a3:0.493") << c.link;
  // The course's correct figures: z3 = [0.0165, 0.0555], softmax [0.49025, 0.50975].
  const Checked ok = Mlp(std::string(kE4) +
                         "&mode=fwd&check=z2:0.015,0.045,0.06;"
                         "z3:0.0165,0.0555;a3:0.49025,0.50975");
  EXPECT_EQ(ok.o.right, 7);
  EXPECT_EQ(ok.root(), "");
}

// E6: μ = 6 ✓; σ² = (16 + 4 + 0 + 4 + 16)/5 = 8, σ = 2.828427; the student's 3.464 (√12) ✗ is
// the root cause. From their σ: x̂ = (x − 6)/3.464 = [−1.154734, −0.577367, 0, 0.577367,
// 1.154734], y = 2x̂ − 1 = [−3.309469, −2.154734, −1, 0.154734, 1.309469]. The student's
// y = [−3.308 ✗, −2.154 (truncated: carried), −1 (right), 0.154 (truncated: carried),
// 1.308 ✗]: they multiplied x̂ truncated to −1.154 (2×(−1.154) − 1 = −3.308).
TEST(CourseCheck, E6BatchNormStudent) {
  const Checked c = BatchNorm("mu:6;sigma:3.464;y:-3.308,-2.154,-1,0.154,1.308");
  EXPECT_EQ(c["mu"], (std::vector<St>{R}));
  EXPECT_EQ(c["sigma"], (std::vector<St>{W}));
  EXPECT_EQ(c["y"], (std::vector<St>{W, C, R, C, W}));
  EXPECT_EQ(c.root(), "sigma");
  // Every ✗ of the student's y is flagged (not right) except y3 = −1, which is right.
  EXPECT_NE(c["y"][0], R);
  EXPECT_NE(c["y"][1], R);
  EXPECT_NE(c["y"][3], R);
  EXPECT_NE(c["y"][4], R);
  // With their x̂ written down, truncated to 3 decimals (the issue's −1.15473 example):
  // every y follows: 2×(−1.154) − 1 = −3.308, 2×(−0.577) − 1 = −2.154, 2×0.577 − 1 = 0.154,
  // 2×1.154 − 1 = 1.308.
  const Checked t =
      BatchNorm("mu:6;sigma:3.464;xhat:-1.154,-0.577,0,0.577,1.154;y:-3.308,-2.154,-1,0.154,1.308");
  EXPECT_EQ(t["xhat"], (std::vector<St>{C, C, R, C, C}));
  EXPECT_EQ(t["y"], (std::vector<St>{C, C, R, C, C}));
  // Rounded instead (−1.155): also right for their σ; −1.153 is neither.
  const Checked r = BatchNorm("sigma:3.464;xhat:-1.155,-0.577,0,0.577,1.153");
  EXPECT_EQ(r["xhat"], (std::vector<St>{C, C, R, C, W}));
  // The course's correct figures: σ = 2.8284, x̂ = [−1.4142, −0.7071, 0, 0.7071, 1.4142],
  // y = [−3.8284, −2.4142, −1, 0.4142, 1.8284].
  const Checked ok = BatchNorm(
      "mu:6;var:8;sigma:2.8284;xhat:-1.4142,-0.7071,0,0.7071,1.4142;"
      "y:-3.8284,-2.4142,-1,0.4142,1.8284");
  EXPECT_EQ(ok.o.right, 13);
  EXPECT_EQ(ok.root(), "");
}

// E10: 1×1 convolution 28×28×192 → 28×28×32: 784 × 192 × 32 = 4,816,896 multiplications
// (student 4.8e6 ✓: truncated), fully connected 150,528 × 25,088 = 3,776,446,464 (3.78e9 ✓:
// rounded), ratio 784 ✓.
TEST(CourseCheck, E10CostStudent) {
  const Checked c = Cost(kE10, "mults:4.8e6;fc:3.78e9;ratio:784");
  EXPECT_EQ(c.o.right, 3);
  EXPECT_EQ(c.root(), "");
  // A slip in the total carries into the ratio: 4816000 (not 4,816,896) gives
  // 3,776,446,464 / 4,816,000 = 784.1459, so 784.1 follows from it (784.0 would be right).
  const Checked s = Cost(kE10, "mults:4816000;fc:3776446464;ratio:784.1");
  EXPECT_EQ(s["mults"], (std::vector<St>{W}));
  EXPECT_EQ(s["fc"], (std::vector<St>{R}));
  EXPECT_EQ(s["ratio"], (std::vector<St>{C}));
}

// E13 (a): 3×3 branch 128 × 1024 × 1728 = 226,492,416 ✓, 5×5 branch 32 × 1024 × 4800 =
// 157,286,400 ✓, total 383,778,816 ✓. A learner forgetting the 5×5 depth writes
// 1024 × 32 × 25 = 819,200 ✗; their total 226,492,416 + 819,200 = 227,311,616 follows.
TEST(CourseCheck, E13CostStudent) {
  const Checked c = Cost(kE13, "b3:226492416;b5:157286400;mults:383778816");
  EXPECT_EQ(c.o.right, 3);
  EXPECT_EQ(c.root(), "");
  const Checked s = Cost(kE13, "b3:226492416;b5:819200;mults:227311616");
  EXPECT_EQ(s["b5"], (std::vector<St>{W}));
  EXPECT_EQ(s["mults"], (std::vector<St>{C}));
  EXPECT_EQ(s.root(), "b5");
}

// ---- E7, E8, E11: the mistake a wrong value looks like ----------------------------------------
// These labs have no step that follows from another, so nothing carries; a wrong value that
// a common mistake gives is named instead (check.h, CheckSlip).

constexpr const char* kE8 = "v1/dropout?a=5:1,2,3,4,5&p=0.8&mode=inverted&seed=1";
constexpr const char* kE8Standard = "v1/dropout?a=5:1,2,3,4,5&p=0.8&mode=standard&seed=1";
constexpr const char* kE7 =
    "v1/flow?a_act=sigmoid&a_depth=20&a_width=8&a_init=xavier&a_w=1&a_seed=1&a_res=0&b_act=tanh"
    "&b_depth=20&b_width=8&b_init=xavier&b_w=1&b_seed=1&b_res=0&xseed=1&block=10&curve=sigmoid";
constexpr const char* kE11 =
    "v1/flow?a_act=sigmoid&a_depth=20&a_width=8&a_init=xavier&a_w=1&a_seed=1&a_res=1"
    "&b_act=sigmoid&b_depth=20&b_width=8&b_init=xavier&b_w=1&b_seed=1&b_res=0&xseed=1&block=10"
    "&curve=sigmoid";

Checked Dropout(const std::string& link, const std::string& check) {
  DropoutLabState s;
  LinkError error;
  EXPECT_TRUE(DecodeDropoutLab(Parse(link + "&check=" + check), &s, &error)) << error.ToString();
  Checked c;
  c.steps = DropoutCheckSteps(s, EvaluateDropoutLab(s));
  c.o = Check(c.steps, s.check);
  return c;
}

Checked Flow(const std::string& link, const std::string& check) {
  FlowLabState s;
  LinkError error;
  EXPECT_TRUE(DecodeFlowLab(Parse(link + "&check=" + check), &s, &error)) << error.ToString();
  Checked c;
  c.steps = FlowCheckSteps(s, EvaluateFlowLab(s));
  c.o = Check(c.steps, s.check);
  return c;
}

// The named cause of the root value ("" when none), with the explanation for the message.
#define EXPECT_SLIP(checked, words)                          \
  EXPECT_NE((checked).o.slip.find(words), std::string::npos) \
      << "slip: '" << (checked).o.slip << "'\n"              \
      << (checked).o.explanation;                            \
  EXPECT_NE((checked).o.explanation.find((checked).o.slip), std::string::npos)

// E8, inverted, p = 0.8 (keep), a = [1, 2, 3, 4, 5], the lab's mask (seed 1) m = [1, 1, 0, 1, 1]:
// y_train = m a / 0.8 = [1.25, 2.5, 0, 5, 6.25]; E[y_train] = a; y_test = a.
TEST(CourseCheck, E8NamesTheDropoutSlips) {
  // No inverted scaling: m a = [1, 2, 0, 4, 5]; 1.00 is not 1.25 to the digits typed.
  Checked c = Dropout(kE8, "train:1.00,2.00,0,4.00,5.00");
  EXPECT_EQ(c.root(), "train");
  EXPECT_EQ(c.o.first_wrong_value, 0);
  EXPECT_SLIP(c, "without the inverted scaling");
  // Later values the same mistake gives say so too (nothing carries in this lab).
  ASSERT_EQ(c.o.later.size(), 3u);
  for (const std::string& line : c.o.later)
    EXPECT_NE(line.find("without the inverted scaling"), std::string::npos) << line;
  // Times p instead of over p: 1 x 0.8 = 0.8.
  EXPECT_SLIP(Dropout(kE8, "train:0.8"), "multiplied by the keep probability");
  // p taken as the drop probability: 1 / (1 - 0.8) = 5.
  EXPECT_SLIP(Dropout(kE8, "train:5"), "probability of dropping");
  // The scaling without the mask: unit 3 is dropped (m = 0), a / p = 3 / 0.8 = 3.75.
  c = Dropout(kE8, "train:1.25,2.5,3.75");
  EXPECT_EQ(c.o.first_wrong_value, 2);
  EXPECT_SLIP(c, "without the mask");
  // E[y_train] as in standard dropout: p a = 0.8 x 1 = 0.8; the kept value 1 / 0.8 = 1.25;
  // this mask's output for unit 3, 0 (a = 3).
  EXPECT_SLIP(Dropout(kE8, "etrain:0.8"), "expectation of standard dropout");
  EXPECT_SLIP(Dropout(kE8, "etrain:1.25"), "the value of a kept unit");
  EXPECT_SLIP(Dropout(kE8, "etrain:_,_,0"), "this mask's training output");
  // y_test scaled by p (0.8 x 5 = 4), by 1/p (5 / 0.8 = 6.25), masked (unit 3: 0).
  EXPECT_SLIP(Dropout(kE8, "test:_,_,_,_,4"), "test-time scaling of standard dropout");
  EXPECT_SLIP(Dropout(kE8, "test:_,_,_,_,6.25"), "training scaling applied at test time");
  EXPECT_SLIP(Dropout(kE8, "test:_,_,0"), "training output with this mask");
  // A wrong value no mistake explains names none: 1.4 for 1.25.
  c = Dropout(kE8, "train:1.4");
  EXPECT_EQ(c.root(), "train");
  EXPECT_EQ(c.o.slip, "");
  EXPECT_EQ(c.o.explanation.find("It is"), std::string::npos) << c.o.explanation;
  // Standard dropout: y_train = m a = [1, 2, 0, 4, 5], E = 0.8 a, y_test = 0.8 a. The inverted
  // form's values are its mistakes: 1 / 0.8 = 1.25, E = a = 1, y_test = a = 5.
  EXPECT_SLIP(Dropout(kE8Standard, "train:1.25"), "inverted dropout's training output");
  EXPECT_SLIP(Dropout(kE8Standard, "etrain:1.0"), "the expectation of inverted dropout");
  EXPECT_SLIP(Dropout(kE8Standard, "test:_,_,_,_,5.0"), "multiplies by p = 0.8 at test time");
}

// E7: sigma'(0) = 0.5 x (1 - 0.5) = 0.25. The lab's norms (what the student reads off it):
// A (sigmoid) ||dL/da_1|| = 3.823189e-12, ||dL/da_2|| = 1.8845729e-11, ||dL/da_19|| =
// 0.74155277, ||dL/da_20|| = sqrt(8) = 2.828427: the share 3.823189e-12 / 2.828427 =
// 1.3517e-12. B (tanh): 0.5096693 / 2.828427 = 0.18020.
TEST(CourseCheck, E7NamesTheVanishingGradientSlips) {
  EXPECT_EQ(Flow(kE7, "dsig0:0.25").o.right, 1);
  EXPECT_SLIP(Flow(kE7, "dsig0:0.5"), "the sigmoid's value");
  EXPECT_SLIP(Flow(kE7, "dsig0:1"), "tanh's largest slope");
  EXPECT_EQ(Flow(kE7, "dsig0:0.3").o.slip, "");
  EXPECT_EQ(Flow(kE7, "ratio_a:1.352e-12").o.right, 1);
  // To the digits typed, however small the value: 1.5e-12 and 2e-12 are not 1.3517e-12 (1.4e-12
  // is it rounded, 1.3e-12 truncated).
  EXPECT_EQ(Flow(kE7, "ratio_a:1.5e-12").o.wrong, 1);
  EXPECT_EQ(Flow(kE7, "ratio_a:1.4e-12").o.right, 1);
  EXPECT_EQ(Flow(kE7, "ratio_a:2e-12").o.wrong, 1);
  EXPECT_EQ(Flow(kE7, "ratio_a:1.3e-12").o.right, 1);  // truncated
  // Upside down: 2.828427 / 3.823189e-12 = 7.398e11.
  EXPECT_SLIP(Flow(kE7, "ratio_a:7.398e11"), "upside down");
  // A layer off: 1.8845729e-11 / 2.828427 = 6.663e-12 (layer 2); 3.823189e-12 / 0.74155277
  // = 5.156e-12 (over layer 19).
  EXPECT_SLIP(Flow(kE7, "ratio_a:6.663e-12"), "reaches layer 2, one layer short");
  EXPECT_SLIP(Flow(kE7, "ratio_a:5.156e-12"), "divides by layer 19's gradient");
  // The norm without the division: 3.823e-12.
  EXPECT_SLIP(Flow(kE7, "ratio_a:3.823e-12"), "alone: the share divides it by");
  // The bound 0.25 per layer: 0.25^19 = 2^-38 = 3.638e-12 (19 layers between 20 and 1);
  // 0.25^20 = 2^-40 = 9.095e-13, a layer too many.
  EXPECT_SLIP(Flow(kE7, "ratio_a:3.638e-12"), "over the 19 layers between layer 20 and layer 1");
  EXPECT_SLIP(Flow(kE7, "ratio_a:9.095e-13"), "with one layer too many");
  // B's share typed for A, and A's for B.
  EXPECT_SLIP(Flow(kE7, "ratio_a:0.1802"), "B's share, not A's");
  EXPECT_SLIP(Flow(kE7, "ratio_b:1.352e-12"), "A's share, not B's");
  // tanh's share has no sigmoid bound to mistake: 0.25^19 names nothing for B.
  EXPECT_EQ(Flow(kE7, "ratio_b:3.638e-12").o.slip, "");
}

// E11, A with skips, layer 10: (dL/da_10)[1] = 0.8987999, the F path -0.09799317, so
// (dL/da_9)[1] = -0.09799317 + 0.8987999 = 0.8008067. B without skips: (dL/da_10)[1] =
// -3.7405914e-07, (dL/da_9)[1] = the F path = -5.6480447e-09.
TEST(CourseCheck, E11NamesTheSkipSlips) {
  EXPECT_EQ(Flow(kE11, "blk_a:0.8988,-0.09799,0.8008").o.right, 3);
  // Forgot the +x: the F path alone.
  Checked c = Flow(kE11, "blk_a:0.8988,-0.09799,-0.09799");
  EXPECT_EQ(c.root(), "blk_a");
  EXPECT_EQ(c.o.first_wrong_value, 2);
  EXPECT_SLIP(c, "the F path alone: the skip (the +x of y = F(x) + x)");
  // The skip alone: 0.8988; the total typed for the F path: 0.8008.
  EXPECT_SLIP(Flow(kE11, "blk_a:_,_,0.8988"), "the skip alone");
  EXPECT_SLIP(Flow(kE11, "blk_a:_,0.8008"), "the total through the block");
  // A skip added to B: -3.7405914e-07 - 5.6480447e-09 = -3.797e-07.
  EXPECT_SLIP(Flow(kE11, "blk_b:_,_,-3.797e-7"), "adds a skip this chain does not have");
  // A's share with skips: 3.350089 / 2.828427 = 1.1844; typed for B (no skips), named.
  EXPECT_EQ(Flow(kE11, "ratio_a:1.184").o.right, 1);
  EXPECT_SLIP(Flow(kE11, "ratio_b:1.184"), "A's share, not B's");
  // The 0.25 bound is a mistake for the plain chain B, not for A (skips: no such bound).
  EXPECT_SLIP(Flow(kE11, "ratio_b:3.638e-12"), "the bound");
  EXPECT_EQ(Flow(kE11, "ratio_a:3.638e-12").o.slip, "");
}

}  // namespace
}  // namespace nnplay
