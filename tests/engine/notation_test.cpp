// notation_test.cpp: the display text of every lab (labs/notation.h): numbers rounded to
// six significant digits, the ≈ rule, whole counts, sub- and superscripts, and the ASCII
// the JSON keeps. Expected strings are written by hand.
#include "labs/notation.h"

#include <gtest/gtest.h>

#include <cmath>

#include "labs/check.h"

namespace nnplay {
namespace {

TEST(Notation, RoundsToSixSignificantDigitsAndDropsTrailingZeros) {
  EXPECT_EQ(Num(0.06f), "0.06");  // the float is 0.0599999986588954926
  EXPECT_EQ(Num(0.1f + 0.2f), "0.3");
  EXPECT_EQ(Num(1.0 / 3.0), "0.333333");
  EXPECT_EQ(Num(2.0 / 3.0), "0.666667");
  EXPECT_EQ(Num(7.3890561), "7.38906");
  EXPECT_EQ(Num(30), "30");
  EXPECT_EQ(Num(1.5), "1.5");
  EXPECT_EQ(Num(123456), "123456");
  EXPECT_EQ(Num(0.0001), "0.0001");
  EXPECT_EQ(Num(0.000123456789), "0.000123457");
}

TEST(Notation, MinusIsU2212AndNegativeZeroIsZero) {
  EXPECT_EQ(Num(-1.41421356),
            "\xE2\x88\x92"
            "1.41421");
  EXPECT_EQ(Num(-0.0), "0");
  EXPECT_EQ(Num(-1e-12, 3),
            "\xE2\x88\x92"
            "1\xC3\x97"
            "10\xE2\x81\xBB\xC2\xB9\xC2\xB2");
  EXPECT_EQ(NumParen(-1.5),
            "(\xE2\x88\x92"
            "1.5)");
  EXPECT_EQ(NumParen(1.5), "1.5");
  EXPECT_EQ(NumParen(-0.0), "0");
}

TEST(Notation, TinyAndHugeValuesUseAPowerOfTen) {
  EXPECT_EQ(Num(1e-7),
            "1\xC3\x97"
            "10\xE2\x81\xBB\xE2\x81\xB7");  // 1×10⁻⁷
  EXPECT_EQ(Num(1e-5f),
            "1\xC3\x97"
            "10\xE2\x81\xBB\xE2\x81\xB5");  // 1×10⁻⁵, not 9.99999997e-06
  EXPECT_EQ(Num(123456789.0),
            "1.23457\xC3\x97"
            "10\xE2\x81\xB8");  // not a count: rounded
  EXPECT_EQ(Num(2.5e38),
            "2.5\xC3\x97"
            "10\xC2\xB3\xE2\x81\xB8");
  EXPECT_EQ(Num(INFINITY), "\xE2\x88\x9E");
  EXPECT_EQ(Num(-INFINITY), "\xE2\x88\x92\xE2\x88\x9E");
  EXPECT_EQ(Num(NAN), "undefined");
}

TEST(Notation, FewerDigitsForSmallCells) {
  EXPECT_EQ(Num(0.333333f, 3), "0.333");
  EXPECT_EQ(Num(-0.2468, 3),
            "\xE2\x88\x92"
            "0.247");
  EXPECT_EQ(Num(255, 3), "255");
  EXPECT_EQ(Num(1000, 3),
            "1\xC3\x97"
            "10\xC2\xB3");
  EXPECT_EQ(Num(0.5, 1), "0.5");
  EXPECT_EQ(Num(0.96, 1), "1");
  EXPECT_EQ(Num(9.96, 2), "10");
  EXPECT_EQ(Num(99.96, 3), "100");
}

TEST(Notation, ApproximatelyOnlyWhereRoundingHidDigits) {
  // Float noise past the seventh digit does not count ...
  EXPECT_FALSE(Rounded(0.06f));
  EXPECT_FALSE(Rounded(0.1f + 0.2f));
  EXPECT_FALSE(Rounded(30));
  EXPECT_FALSE(Rounded(2.82843));
  EXPECT_FALSE(Rounded(0));
  // ... a seventh digit does.
  EXPECT_TRUE(Rounded(1.0 / 3.0));
  EXPECT_TRUE(Rounded(1.0f / 3.0f));
  EXPECT_TRUE(Rounded(std::sqrt(8.0)));  // 2.828427 shown as 2.82843
  EXPECT_TRUE(Rounded(0.333, 2));
  EXPECT_FALSE(Rounded(0.25, 2));
  EXPECT_EQ(Eq(30), " = 30");
  EXPECT_EQ(Eq(0.06f), " = 0.06");
  EXPECT_EQ(Eq(std::exp(2.0)), " \xE2\x89\x88 7.38906");
  EXPECT_EQ(NumApprox(1.0 / 3.0), "\xE2\x89\x88 0.333333");
  EXPECT_EQ(NumApprox(-0.5),
            "\xE2\x88\x92"
            "0.5");
}

TEST(Notation, CountsStayExact) {
  EXPECT_EQ(Count(3776446464LL), "3,776,446,464");
  EXPECT_EQ(Count(123456789), "123,456,789");
  EXPECT_EQ(Count(999), "999");
  EXPECT_EQ(Count(1000), "1,000");
  EXPECT_EQ(Count(0), "0");
  EXPECT_EQ(Count(-4816896),
            "\xE2\x88\x92"
            "4,816,896");
  EXPECT_EQ(Percent(0.975), "97.5%");
  EXPECT_EQ(Percent(1.0 / 3.0), "33.3%");
}

TEST(Notation, SubscriptsAndSuperscripts) {
  EXPECT_EQ("W" + Sub(10) + Sup("T"), "W\xE2\x82\x81\xE2\x82\x80\xE1\xB5\x80");  // W₁₀ᵀ
  EXPECT_EQ("a" + Sub(9), "a\xE2\x82\x89");
  EXPECT_EQ("x" + Sup(2), "x\xC2\xB2");
  EXPECT_EQ("x" + Sub("i"), "x\xE1\xB5\xA2");
  EXPECT_EQ(Sup(-1), "\xE2\x81\xBB\xC2\xB9");
  EXPECT_EQ(Sub("(1)"), "\xE2\x82\x8D\xE2\x82\x81\xE2\x82\x8E");  // ₍₁₎
  EXPECT_EQ(Sub("q"), "q");                                       // no subscript q: kept
  EXPECT_EQ(Partial("L", "a" + Sub(9)),
            "\xE2\x88\x82L/\xE2\x88\x82"
            "a\xE2\x82\x89");
  EXPECT_EQ(Derivative(kSigma, "z"), "\xCF\x83\xE2\x80\xB2(z)");
}

TEST(Notation, AsciiKeepsTheJsonsForms) {
  EXPECT_EQ(ToAscii(Partial("L", "a" + Sub(9))), "dL/da9");
  EXPECT_EQ(ToAscii("W" + Sub(10) + Sup("T")), "W10^T");
  EXPECT_EQ(ToAscii("x" + Sup(2)), "x^2");
  EXPECT_EQ(ToAscii(Derivative(kSigma, "0") + " = 0.25"), "sigma'(0) = 0.25");
  EXPECT_EQ(ToAscii("e" + Sup("(" + std::string(kMinus) + "1)")), "e^(-1)");
  EXPECT_EQ(ToAscii("x" + Sup(-1)), "x^-1");
  EXPECT_EQ(ToAscii(std::string(kXHat) + Sub("i")), "xhat_i");
  EXPECT_EQ(ToAscii(std::string(kSqrt) + "(8 + 0)" + Eq(std::sqrt(8.0))), "sqrt(8 + 0) = 2.82843");
  EXPECT_EQ(ToAscii(std::string(kMu) + ", " + kSigma + Sup(2) + ", " + kEps + ", " + kGamma + ", " +
                    kBeta),
            "mu, sigma^2, eps, gamma, beta");
  // The output-size formula, display and ASCII.
  const std::string display = std::string(kFloorL) + "(6 + 2" + kTimes + "0 " + kMinus + " 1" +
                              kTimes + "(3" + kMinus + "1) " + kMinus + " 1)/1" + kFloorR +
                              " + 1 = 4";
  EXPECT_EQ(display,
            "\xE2\x8C\x8A(6 + 2\xC3\x97"
            "0 \xE2\x88\x92 1\xC3\x97(3\xE2\x88\x92"
            "1) \xE2\x88\x92 "
            "1)/1\xE2\x8C\x8B + 1 = 4");
  EXPECT_EQ(ToAscii(display), "floor((6 + 2*0 - 1*(3-1) - 1)/1) + 1 = 4");
  // Numbers: minus, ≈, powers of ten.
  EXPECT_EQ(ToAscii(Num(-1.41421356)), "-1.41421");
  EXPECT_EQ(ToAscii("1/3" + Eq(1.0 / 3.0)), "1/3 = 0.333333");
  EXPECT_EQ(ToAscii(Num(1e-7)), "1e-7");
  EXPECT_EQ(ToAscii(Num(-2.5e38)), "-2.5e38");
  EXPECT_EQ(ToAscii("2 " + std::string(kTimes) + " 10" + Sup(2)), "2 * 10^2");
  EXPECT_EQ(ToAscii(Num(-INFINITY)), "-inf");
  EXPECT_EQ(ToAscii("|g| " + std::string(kLe) + " 1 " + kArrow + " " + kEllipsis),
            "|g| <= 1 -> ...");
  // ASCII stays itself; other characters are kept.
  EXPECT_EQ(ToAscii("plain (1 - 2)^2 * x_i"), "plain (1 - 2)^2 * x_i");
  EXPECT_EQ(ToAscii("\xC3\xA9t\xC3\xA9"), "\xC3\xA9t\xC3\xA9");
  EXPECT_EQ(ToAscii(std::string("a\xFF"
                                "b",
                                3)),
            std::string("a\xFF"
                        "b",
                        3));
}

TEST(Notation, EveryDisplayFormTransliteratesToAscii) {
  const char* const symbols[] = {
      kTimes, kMinus, kApprox,    kDot,   kSqrt,     kFloorL, kFloorR,  kCeilL,  kCeilR, kLe,
      kGe,    kInf,   kPlusMinus, kArrow, kEllipsis, kPrime,  kPartial, kSum,    kNabla, kNorm,
      kMu,    kSigma, kEps,       kGamma, kBeta,     kTheta,  kEta,     kLambda, kXHat};
  for (const char* s : symbols) {
    const std::string a = ToAscii(s);
    EXPECT_FALSE(a.empty()) << s;
    for (char c : a) EXPECT_LT(static_cast<unsigned char>(c), 0x80u) << s << " -> " << a;
  }
  const std::string scripts = Sub("0123456789+-=()aehijklmnoprstuvx") + Sup("0123456789+-=()inT");
  for (char c : ToAscii(scripts)) EXPECT_LT(static_cast<unsigned char>(c), 0x80u) << scripts;
  EXPECT_EQ(ToAscii("x" + Sub("0123456789")), "x0123456789");
  EXPECT_EQ(ToAscii("x" + Sup("0123456789")), "x^0123456789");
}

TEST(Notation, CheckMyWorkWritesTheRightValueRounded) {
  // 0.06 as a float is 0.0599999986...: the learner reads "0.06", not "0.060000002".
  const std::vector<CheckStep> steps = {{"z", "z", {0.06f, 1.0f / 3.0f, 4816896.0}, {}}};
  CheckOutcome o = Check(steps, {{"z", {"0.07", "", ""}}});
  EXPECT_EQ(o.explanation, "z[1]: you wrote 0.07, the right value is 0.06.");
  o = Check(steps, {{"z", {"", "0.2", ""}}});
  EXPECT_EQ(o.explanation, "z[2]: you wrote 0.2, the right value is \xE2\x89\x88 0.333333.");
  o = Check(steps, {{"z", {"", "", "4816000"}}});
  EXPECT_EQ(o.explanation, "z[3]: you wrote 4816000, the right value is 4,816,896.");
}

}  // namespace
}  // namespace nnplay
