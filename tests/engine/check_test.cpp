// check_test.cpp: "check my work" on the course's hand-written answers (exercises E3, E6),
// with the correct values worked out by hand in the comments.
#include "labs/check.h"

#include <gtest/gtest.h>

namespace nnplay {
namespace {

// E3: softmax of [2, 1, 0.1]. e^2 = 7.389056, e^1 = 2.718282, e^0.1 = 1.105171;
// sum 11.212509; probabilities 0.659001, 0.242433, 0.098566.
std::vector<CheckStep> E3Steps() {
  return {{"sum", "sum of exponentials", {11.212509f}, {"7.389056 + 2.718282 + 1.105171"}},
          {"p", "softmax", {0.659001f, 0.242433f, 0.098566f}, {"7.389056 / 11.212509", "", ""}}};
}

TEST(Check, ToleranceIsHalfTheLastTypedDigit) {
  EXPECT_DOUBLE_EQ(TypedTolerance("0.658"), 0.0005);
  EXPECT_DOUBLE_EQ(TypedTolerance("30"), 0.5);
  EXPECT_DOUBLE_EQ(TypedTolerance("-3.8284"), 0.00005);
  EXPECT_NEAR(TypedTolerance("1.5e-3"), 0.00005, 1e-12);
  EXPECT_DOUBLE_EQ(TypedTolerance("2e2"), 50.0);
}

TEST(Check, FlagsTheStudentsE3RoundingAndAcceptsTheRest) {
  // The student wrote sum 11.204 (off by 0.0085) and [0.658, 0.2418, 0.0986].
  const CheckEntries student = {{"sum", {"11.204"}}, {"p", {"0.658", "0.2418", "0.0986"}}};
  const CheckOutcome o = Check(E3Steps(), student);
  EXPECT_EQ(o.first_wrong_step, 0);
  EXPECT_EQ(o.first_wrong_value, 0);
  EXPECT_EQ(o.status[1][0], CheckStatus::kWrong);  // 0.658 vs 0.6590: 0.001 > 0.0005
  EXPECT_EQ(o.status[1][1], CheckStatus::kWrong);  // 0.2418 vs 0.24243: 0.0006 > 0.00005
  EXPECT_EQ(o.status[1][2], CheckStatus::kRight);  // 0.0986 vs 0.098566: 0.00003 <= 0.00005
  EXPECT_EQ(o.right, 1);
  EXPECT_EQ(o.wrong, 3);
  EXPECT_NE(o.explanation.find("you wrote 11.204"), std::string::npos) << o.explanation;
  EXPECT_NE(o.explanation.find("7.389056 + 2.718282 + 1.105171"), std::string::npos);

  const CheckEntries right = {{"sum", {"11.2125"}}, {"p", {"0.6590", "0.2424", "0.0986"}}};
  const CheckOutcome ok = Check(E3Steps(), right);
  EXPECT_EQ(ok.first_wrong_step, -1);
  EXPECT_EQ(ok.right, 4);
}

TEST(Check, E6SigmaIsRootOfEightNotTwelve) {
  // Batch [2,4,6,8,10]: mean 6, variance (16+4+0+4+16)/5 = 8, sigma 2.828427.
  const std::vector<CheckStep> steps = {{"mu", "mean", {6.0f}, {}},
                                        {"var", "variance", {8.0f}, {}},
                                        {"sigma", "sigma", {2.828427f}, {}}};
  const CheckOutcome o = Check(steps, {{"mu", {"6"}}, {"sigma", {"3.464"}}});
  EXPECT_EQ(o.status[0][0], CheckStatus::kRight);
  EXPECT_EQ(o.status[1][0], CheckStatus::kNotEntered);
  EXPECT_EQ(o.first_wrong_step, 2);
}

TEST(Check, EntriesRoundTripThroughTheLinkField) {
  const CheckEntries e = {{"sum", {"11.204"}}, {"p", {"0.658", "", "0.0986"}}};
  const std::string text = EncodeCheckEntries(e);
  EXPECT_EQ(text, "sum:11.204;p:0.658,_,0.0986");
  CheckEntries back;
  std::string error;
  ASSERT_TRUE(DecodeCheckEntries(text, E3Steps(), &back, &error)) << error;
  EXPECT_EQ(back, e);
}

// Entries come back in the steps' order whatever order the link gave them in, so a state
// has one canonical link (the fuzzer found "z1;z3;a2" re-encoding as "z1;a2;z3").
TEST(Check, DecodedEntriesFollowTheStepOrder) {
  CheckEntries back;
  std::string error;
  ASSERT_TRUE(DecodeCheckEntries("p:0.658,_,0.0986;sum:11.204", E3Steps(), &back, &error)) << error;
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back[0].first, "sum");
  EXPECT_EQ(back[1].first, "p");
  EXPECT_EQ(EncodeCheckEntries(back), "sum:11.204;p:0.658,_,0.0986");
}

TEST(Check, DecodeRejectsBadEntries) {
  for (const char* bad :
       {"sum", "zzz:1", "sum:1,2", "p:1,2,3,4", "p:nan", "sum:1;sum:2", "p:1,,2", "sum:1e99"}) {
    CheckEntries out;
    std::string error;
    EXPECT_FALSE(DecodeCheckEntries(bad, E3Steps(), &out, &error)) << bad;
    EXPECT_FALSE(error.empty()) << bad;
  }
}

}  // namespace
}  // namespace nnplay
