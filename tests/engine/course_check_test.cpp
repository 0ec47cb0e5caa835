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

}  // namespace
}  // namespace nnplay
