// number_test.cpp: the link's number syntax: shortest exact formatting, strict parsing.
#include "link/number.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>

namespace nnplay {
namespace {

TEST(FormatFloat, WritesValuesAsAPersonTypesThem) {
  EXPECT_EQ(FormatFloat(0.1f), "0.1");
  EXPECT_EQ(FormatFloat(30.0f), "30");
  EXPECT_EQ(FormatFloat(-1.0f), "-1");
  EXPECT_EQ(FormatFloat(0.0f), "0");
  EXPECT_EQ(FormatFloat(-0.0f), "-0");
  EXPECT_EQ(FormatFloat(2.5f), "2.5");
  EXPECT_EQ(FormatFloat(-0.0348f), "-0.0348");
  EXPECT_EQ(FormatFloat(100.0f), "100");
  EXPECT_EQ(FormatFloat(1.0f / 9.0f), "0.11111111");
  EXPECT_EQ(FormatFloat(1e-5f), "1e-5");
  EXPECT_EQ(FormatFloat(1e20f), "1e20");
  EXPECT_EQ(FormatFloat(0.0001f), "0.0001");
}

TEST(FormatFloat, WholeNumbersAreTheirDigits) {
  for (int i = -70000; i <= 70000; ++i)
    ASSERT_EQ(FormatFloat(static_cast<float>(i)), std::to_string(i));
  EXPECT_EQ(FormatFloat(16777215.0f), "16777215");
  EXPECT_EQ(FormatFloat(16777216.0f), "16777216");  // 2^24: the general path, same digits
  EXPECT_EQ(FormatFloat(1234567.0f), "1234567");
  EXPECT_EQ(FormatFloat(1e9f), "1e9");    // shorter than 1000000000
  EXPECT_EQ(FormatFloat(1e15f), "1e15");  // not the float's exact 999999986991104
  EXPECT_EQ(FormatFloat(-2.5e-7f), "-2.5e-7");
  EXPECT_EQ(FormatFloat(1234.5f), "1234.5");
  EXPECT_EQ(FormatFloat(1e20f), "1e20");
}

// docs/link-format.md, "Numbers": plain from 10⁻⁴ up to 10⁶; below, an exponent; from 10⁶
// up, the shorter form, plain on a tie. The lengths by hand: 1e6 is "1000000" (7) or "1e6"
// (3); 2.5e6 "2500000" (7) or "2.5e6" (5); 1000001 "1000001" (7) or "1.000001e6" (10);
// 1234567000 (the float 1234567040, whose shortest digits are 1.234567e9) "1234567000" (10)
// or "1.234567e9" (10), a tie; 9.9e-5 "0.000099" (8) or "9.9e-5" (6).
TEST(FormatFloat, PlacesThePointAsTheLinkFormatSays) {
  EXPECT_EQ(FormatFloat(0.0001f), "0.0001");
  EXPECT_EQ(FormatFloat(0.00015f), "0.00015");
  EXPECT_EQ(FormatFloat(-0.00015f), "-0.00015");
  EXPECT_EQ(FormatFloat(9.9e-5f), "9.9e-5");
  EXPECT_EQ(FormatFloat(-1e-5f), "-1e-5");
  EXPECT_EQ(FormatFloat(999999.0f), "999999");
  EXPECT_EQ(FormatFloat(123456.5f), "123456.5");
  EXPECT_EQ(FormatFloat(1e6f), "1e6");
  EXPECT_EQ(FormatFloat(-1e6f), "-1e6");
  EXPECT_EQ(FormatFloat(2.5e6f), "2.5e6");
  EXPECT_EQ(FormatFloat(1000001.0f), "1000001");
  EXPECT_EQ(FormatFloat(1234567.5f), "1234567.5");
  EXPECT_EQ(FormatFloat(12345678.0f), "12345678");
  EXPECT_EQ(FormatFloat(1e8f), "1e8");
  EXPECT_EQ(FormatFloat(1234567040.0f), "1234567000");
  EXPECT_EQ(FormatFloat(-1234567040.0f), "-1234567000");
}

TEST(FormatFloat, RoundTripsEveryBitPattern) {
  std::mt19937 rng(7);
  for (int i = 0; i < 20000; ++i) {
    uint32_t bits = rng();
    float v;
    std::memcpy(&v, &bits, sizeof v);
    if (!std::isfinite(v)) continue;
    float back = 0;
    std::string error;
    const std::string text = FormatFloat(v);
    ASSERT_TRUE(ParseFloat(text, &back, &error)) << text << ": " << error;
    ASSERT_EQ(std::memcmp(&back, &v, sizeof v), 0) << text;
  }
}

TEST(ParseFloat, AcceptsPlainDecimals) {
  float v = 0;
  std::string e;
  ASSERT_TRUE(ParseFloat("10", &v, &e));
  EXPECT_EQ(v, 10.0f);
  ASSERT_TRUE(ParseFloat("-0.5", &v, &e));
  EXPECT_EQ(v, -0.5f);
  ASSERT_TRUE(ParseFloat(".25", &v, &e));
  EXPECT_EQ(v, 0.25f);
  ASSERT_TRUE(ParseFloat("3.", &v, &e));
  EXPECT_EQ(v, 3.0f);
  ASSERT_TRUE(ParseFloat("1e-3", &v, &e));
  EXPECT_EQ(v, 0.001f);
  ASSERT_TRUE(ParseFloat("2E+2", &v, &e));
  EXPECT_EQ(v, 200.0f);
}

TEST(ParseFloat, RejectsAnythingElse) {
  float v = 42;
  std::string e;
  for (const char* bad : {"",     "-",        ".",
                          "+1",   "1e",       "1e+",
                          "nan",  "NaN",      "inf",
                          "-inf", "Infinity", "0x10",
                          "1,5",  " 1",       "1 ",
                          "1..2", "--1",      "1e5.5",
                          "1e39", "-1e39",    "12345678901234567890123456789012345678901"}) {
    EXPECT_FALSE(ParseFloat(bad, &v, &e)) << "'" << bad << "'";
    EXPECT_FALSE(e.empty());
  }
  EXPECT_EQ(v, 42.0f);  // untouched on failure
}

TEST(ParseInt, ChecksDigitsAndRange) {
  int v = 0;
  std::string e;
  EXPECT_TRUE(ParseInt("3", 0, 3, &v, &e));
  EXPECT_EQ(v, 3);
  EXPECT_TRUE(ParseInt("-2", -5, 5, &v, &e));
  EXPECT_EQ(v, -2);
  EXPECT_FALSE(ParseInt("4", 0, 3, &v, &e));
  EXPECT_NE(e.find("outside"), std::string::npos);
  EXPECT_FALSE(ParseInt("-1", 0, 3, &v, &e));
  EXPECT_FALSE(ParseInt("1.0", 0, 3, &v, &e));
  EXPECT_FALSE(ParseInt("", 0, 3, &v, &e));
  EXPECT_FALSE(ParseInt("99999999999", 0, 3, &v, &e));
}

}  // namespace
}  // namespace nnplay
