// check_test.cpp: "check my work" on the course's hand-written answers (exercises E3, E6),
// with the correct values worked out by hand in the comments.
#include "labs/check.h"

#include <gtest/gtest.h>

#include <limits>

namespace nnplay {
namespace {

// E3: softmax of [2, 1, 0.1]. e^2 = 7.389056, e^1 = 2.718282, e^0.1 = 1.105171;
// sum 11.212509; probabilities 0.659001, 0.242433, 0.098566.
std::vector<CheckStep> E3Steps() {
  return {{"sum", "sum of exponentials", {11.212509f}, {"7.389056 + 2.718282 + 1.105171"}},
          {"p", "softmax", {0.659001f, 0.242433f, 0.098566f}, {"7.389056 / 11.212509", "", ""}}};
}

TEST(Check, UnitIsTheLastTypedDigit) {
  EXPECT_DOUBLE_EQ(TypedUnit("0.658"), 0.001);
  EXPECT_DOUBLE_EQ(TypedUnit("30"), 1.0);
  EXPECT_DOUBLE_EQ(TypedUnit("-3.8284"), 0.0001);
  EXPECT_NEAR(TypedUnit("1.5e-3"), 0.0001, 1e-15);
  EXPECT_DOUBLE_EQ(TypedUnit("2e2"), 100.0);
  EXPECT_DOUBLE_EQ(TypedUnit("1/3"), 0.0);
}

// Issue 12: −1.15473 rounded to 3 decimals is −1.155, truncated −1.154; −1.153 is neither.
TEST(Check, DigitsTypedAcceptRoundingAndTruncation) {
  EXPECT_TRUE(MatchesTyped("-1.155", -1.15473));
  EXPECT_TRUE(MatchesTyped("-1.154", -1.15473));
  EXPECT_FALSE(MatchesTyped("-1.153", -1.15473));
  EXPECT_FALSE(MatchesTyped("-1.156", -1.15473));
  EXPECT_TRUE(MatchesTyped("-1.15", -1.15473));   // rounded -1.15 (and truncated -1.15)
  EXPECT_FALSE(MatchesTyped("-1.16", -1.15473));  // neither: rounded −1.15, truncated −1.15
  EXPECT_TRUE(MatchesTyped("-1.2", -1.15473));    // rounded
  EXPECT_TRUE(MatchesTyped("-1.1", -1.15473));    // truncated
  EXPECT_FALSE(MatchesTyped("-1.0", -1.15473));
  // E3: p1 = 0.659001 -> 0.659 both ways; 0.658 is neither (the student's ✗).
  EXPECT_TRUE(MatchesTyped("0.659", 0.659001));
  EXPECT_FALSE(MatchesTyped("0.658", 0.659001));
  // 2/3 = 0.666667: rounded 0.667, truncated 0.666; 0.665 and 0.668 are neither.
  EXPECT_TRUE(MatchesTyped("0.667", 2.0 / 3));
  EXPECT_TRUE(MatchesTyped("0.666", 2.0 / 3));
  EXPECT_FALSE(MatchesTyped("0.665", 2.0 / 3));
  EXPECT_FALSE(MatchesTyped("0.668", 2.0 / 3));
  // A float a hair below 0.06 (0.06f = 0.0599999986) is 0.06, not truncated to 0.05.
  EXPECT_TRUE(MatchesTyped("0.06", static_cast<double>(0.06f)));
  EXPECT_FALSE(MatchesTyped("0.05", static_cast<double>(0.06f)));
  EXPECT_TRUE(MatchesTyped("0.05", 0.0599));  // truncated
  // Whole numbers and exponents: 4,816,896 as 4.8e6 (truncated) and 4.82e6 (rounded).
  EXPECT_TRUE(MatchesTyped("4.8e6", 4816896));
  EXPECT_TRUE(MatchesTyped("4.82e6", 4816896));
  EXPECT_FALSE(MatchesTyped("4.9e6", 4816896));
  EXPECT_TRUE(MatchesTyped("30", 30));
  EXPECT_TRUE(MatchesTyped("29", 29.7));  // truncated
  EXPECT_TRUE(MatchesTyped("30", 29.7));  // rounded
  EXPECT_FALSE(MatchesTyped("28", 29.7));
  // Zero: 0 is right for |v| < 1 (truncated), 0.00 for |v| < 0.01.
  EXPECT_TRUE(MatchesTyped("0", 0.0));
  EXPECT_TRUE(MatchesTyped("0.00", -0.004));
  EXPECT_FALSE(MatchesTyped("0.00", -0.012));
  // Infinite or unreadable: never right.
  EXPECT_FALSE(MatchesTyped("1", std::numeric_limits<double>::infinity()));
  EXPECT_FALSE(MatchesTyped("abc", 1));
}

TEST(Check, FractionsAreReadAsTheirValue) {
  double v = 0;
  std::string error;
  ASSERT_TRUE(ParseTyped("1/3", &v, &error)) << error;
  EXPECT_DOUBLE_EQ(v, 1.0 / 3);
  ASSERT_TRUE(ParseTyped("-0.5/4", &v, &error)) << error;
  EXPECT_DOUBLE_EQ(v, -0.125);
  for (const char* bad : {"1/0", "1/", "/3", "1/3/4", "a/3", "1//3"})
    EXPECT_FALSE(ParseTyped(bad, &v, &error)) << bad;
  EXPECT_TRUE(MatchesTyped("1/3", static_cast<double>(1.0f / 3.0f)));  // float noise aside
  EXPECT_FALSE(MatchesTyped("1/3", 0.3333));                           // a fraction is exact
  EXPECT_TRUE(MatchesTyped("1/2", 0.5));
  // E2's output [0.5, 0.5] as fractions, through Check.
  const std::vector<CheckStep> steps = {{"p", "p", {0.5, 0.5}, {}}};
  const CheckOutcome o = Check(steps, {{"p", {"1/2", "2/3"}}});
  EXPECT_EQ(o.status[0][0], CheckStatus::kRight);
  EXPECT_EQ(o.status[0][1], CheckStatus::kWrong);
  // And through the link field.
  CheckEntries back;
  ASSERT_TRUE(DecodeCheckEntries("p:1/2,2/3", steps, &back, &error)) << error;
  EXPECT_EQ(back[0].second, (std::vector<std::string>{"1/2", "2/3"}));
  EXPECT_EQ(EncodeCheckEntries(back), "p:1/2,2/3");
  EXPECT_FALSE(DecodeCheckEntries("p:1/0", steps, &back, &error));
}

// A three-step chain a -> b = 2a -> c = b + 1, its recompute putting the learner's values in.
std::vector<CheckStep> Chain(const CheckGiven& given) {
  const double a = given.Get("a", 0, 1.5);
  const double b = given.Get("b", 0, 2 * a);
  return {{"a", "a = 1.5", {1.5}, {"1.5"}},
          {"b", "b = 2a", {2 * a}, {"2\u00D7" + std::to_string(a)}},
          {"c", "c = b + 1", {b + 1}, {}}};
}

TEST(Check, ErrorCarriedForwardOnAChain) {
  const CheckRecompute re = Chain;
  const std::vector<CheckStep> steps = Chain({});
  // a slipped (2.5 for 1.5); b = 5 follows from it; c = 7 does not (their b gives 6).
  CheckOutcome o = Check(steps, {{"a", {"2.5"}}, {"b", {"5"}}, {"c", {"7"}}}, re);
  EXPECT_EQ(o.status[0][0], CheckStatus::kWrong);
  EXPECT_EQ(o.status[1][0], CheckStatus::kCarried);
  EXPECT_EQ(o.status[2][0], CheckStatus::kWrong);
  EXPECT_EQ(o.first_wrong_step, 0);
  EXPECT_EQ(o.right, 0);
  EXPECT_EQ(o.carried, 1);
  EXPECT_EQ(o.wrong, 2);
  EXPECT_DOUBLE_EQ(o.yours[2][0], 6);
  // c = 6 follows from their b = 5; c = 4 (right for the exact b = 3) is right.
  o = Check(steps, {{"a", {"2.5"}}, {"b", {"5"}}, {"c", {"6"}}}, re);
  EXPECT_EQ(o.status[2][0], CheckStatus::kCarried);
  o = Check(steps, {{"a", {"2.5"}}, {"b", {"5"}}, {"c", {"4"}}}, re);
  EXPECT_EQ(o.status[2][0], CheckStatus::kRight);
  // b left empty: c is judged on the b their a gives (2×2.5 = 5, so c = 6 carried).
  o = Check(steps, {{"a", {"2.5"}}, {"c", {"6"}}}, re);
  EXPECT_EQ(o.status[1][0], CheckStatus::kNotEntered);
  EXPECT_EQ(o.status[2][0], CheckStatus::kCarried);
  // Rounding is not a slip: a = 1.6 typed "2" (rounded to 0 decimals, right), b = 4 from it
  // (not 3.2) is right for their values with no slip before: right, not carried.
  const std::vector<CheckStep> near = {{"a", "a", {1.6}, {}}, {"b", "b", {3.2}, {}}};
  o = Check(near, {{"a", {"2"}}, {"b", {"4"}}}, [](const CheckGiven& g) {
    const double a = g.Get("a", 0, 1.6);
    return std::vector<CheckStep>{{"a", "a", {1.6}, {}}, {"b", "b", {2 * a}, {}}};
  });
  EXPECT_EQ(o.status[0][0], CheckStatus::kRight);  // 1.6 rounds to 2
  EXPECT_EQ(o.status[1][0], CheckStatus::kRight);  // 2×2 = 4: their rounding carried along
  EXPECT_EQ(o.carried, 0);
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

// Issue 12: a link must not end in '_' (GFM autolinks drop it): trailing empty values are
// left out, and the decoder pads them back; old links with them still read the same.
TEST(Check, TrailingEmptyEntriesAreLeftOut) {
  const CheckEntries e = {{"sum", {"11.204"}}, {"p", {"0.658", "", ""}}};
  EXPECT_EQ(EncodeCheckEntries(e), "sum:11.204;p:0.658");
  EXPECT_EQ(EncodeCheckEntries({{"p", {"", "0.2418", ""}}}), "p:_,0.2418");
  EXPECT_EQ(EncodeCheckEntries({{"p", {"", "", ""}}}), "");
  EXPECT_EQ(EncodeCheckEntries({{"p", {"3.", "", ""}}}), "p:3");  // no trailing '.'
  CheckEntries dot;
  std::string why;
  ASSERT_TRUE(DecodeCheckEntries("p:3.,1/2.", E3Steps(), &dot, &why)) << why;
  EXPECT_EQ(dot[0].second, (std::vector<std::string>{"3", "1/2", ""}));  // as written back
  for (const char* text : {"sum:11.204;p:0.658", "sum:11.204;p:0.658,_,_"}) {
    CheckEntries back;
    std::string error;
    ASSERT_TRUE(DecodeCheckEntries(text, E3Steps(), &back, &error)) << error;
    EXPECT_EQ(back, e) << text;
  }
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
