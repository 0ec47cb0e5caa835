// link_test.cpp: the share link's outer syntax and its tensor text.
#include "link/link.h"

#include "ops/rng.h"

#include <gtest/gtest.h>

#include <random>

namespace nnplay {
namespace {

TEST(ParseLink, ReadsVersionLabAndFields) {
  Link link;
  LinkError error;
  ASSERT_TRUE(ParseLink("v1/conv?in=2x2:1,2,3,4&stride=2", &link, &error)) << error.ToString();
  EXPECT_EQ(link.version, 1);
  EXPECT_EQ(link.lab, "conv");
  ASSERT_EQ(link.fields.size(), 2u);
  EXPECT_EQ(*link.Find("in"), "2x2:1,2,3,4");
  EXPECT_EQ(*link.Find("stride"), "2");
  EXPECT_EQ(link.Find("dil"), nullptr);
  EXPECT_EQ(link.ToString(), "v1/conv?in=2x2:1,2,3,4&stride=2");
}

TEST(ParseLink, TakesAWholeUrlOrAFragmentAndPercentEscapes) {
  Link a, b, c;
  LinkError error;
  ASSERT_TRUE(ParseLink("http://127.0.0.1:8080/#v1/conv?f=1x3:(1,0,-1)*1", &a, &error));
  ASSERT_TRUE(ParseLink("#v1/conv?f=1x3:(1,0,-1)*1", &b, &error));
  ASSERT_TRUE(ParseLink("v1/conv?f=1x3:%281,0,-1%29*1", &c, &error)) << error.ToString();
  EXPECT_EQ(a.ToString(), b.ToString());
  EXPECT_EQ(b.ToString(), c.ToString());
}

TEST(ParseLink, NamesWhatIsWrong) {
  struct Case {
    const char* link;
    const char* field;
  };
  const Case cases[] = {
      {"", ""},
      {"conv?in=1", "version"},
      {"v/conv", "version"},
      {"vx/conv", "version"},
      {"v2/conv?in=1", "version"},
      {"v1/", "lab"},
      {"v1/Conv", "lab"},
      {"v1/conv?=3", ""},
      {"v1/conv?stride", "stride"},
      {"v1/conv?in=1%2", ""},
      {"v1/conv?in=1 2", ""},
  };
  for (const Case& c : cases) {
    Link link;
    LinkError error;
    EXPECT_FALSE(ParseLink(c.link, &link, &error)) << c.link;
    EXPECT_EQ(error.field, c.field) << c.link << " -> " << error.ToString();
    EXPECT_FALSE(error.message.empty());
  }
  Link link;
  LinkError error;
  ASSERT_FALSE(ParseLink("v9/conv", &link, &error));
  EXPECT_NE(error.message.find("newer"), std::string::npos) << error.message;
}

TEST(ParseLink, RefusesOversizedLinksBeforeDecoding) {
  Link link;
  LinkError error;
  const std::string huge = "v1/conv?in=" + std::string(kMaxLinkLength, '1');
  EXPECT_FALSE(ParseLink(huge, &link, &error));
  EXPECT_NE(error.message.find("too long"), std::string::npos);
  const std::string enormous(100 * kMaxLinkLength, '%');
  EXPECT_FALSE(ParseLink(enormous, &link, &error));
  EXPECT_NE(error.message.find("too long"), std::string::npos);
}

TEST(CheckFieldNames, RejectsUnknownAndRepeatedFields) {
  Link link;
  LinkError error;
  ASSERT_TRUE(ParseLink("v1/conv?in=1&in=2", &link, &error));
  EXPECT_FALSE(CheckFieldNames(link, {"in"}, &error));
  EXPECT_EQ(error.field, "in");
  ASSERT_TRUE(ParseLink("v1/conv?zoom=2", &link, &error));
  EXPECT_FALSE(CheckFieldNames(link, {"in"}, &error));
  EXPECT_EQ(error.field, "zoom");
}

TEST(TensorText, ExpandsRunsAndGroups) {
  Tensor t;
  std::string e;
  ASSERT_TRUE(ParseTensorText("6x6:(10*3,0*3)*6", {}, &t, &e)) << e;
  ASSERT_EQ(t.shape(), (std::vector<int>{6, 6}));
  for (int y = 0; y < 6; ++y)
    for (int x = 0; x < 6; ++x) EXPECT_EQ(t.at(y, x), x < 3 ? 10.0f : 0.0f);
  ASSERT_TRUE(ParseTensorText("2x3:1,2*2,(0.5)*2,-1", {}, &t, &e)) << e;
  EXPECT_EQ(t.values(), (std::vector<float>{1, 2, 2, 0.5f, 0.5f, -1}));
}

TEST(TensorText, FormatsCompactlyAndCanonically) {
  Tensor e9({6, 6});
  for (int y = 0; y < 6; ++y)
    for (int x = 0; x < 3; ++x) e9.at(y, x) = 10;
  EXPECT_EQ(FormatTensorText(e9), "6x6:(10*3,0*3)*6");
  Tensor f({3, 3});
  for (int y = 0; y < 3; ++y) f.at(y, 0) = 1, f.at(y, 2) = -1;
  EXPECT_EQ(FormatTensorText(f), "3x3:(1,0,-1)*3");
  EXPECT_EQ(FormatTensorText(Tensor({4, 4})), "4x4:0*16");
  Tensor one({1, 1}, 0.1f);
  EXPECT_EQ(FormatTensorText(one), "1x1:0.1");
  Tensor two({1, 4});
  two.values() = {5, 5, 7, 7};
  EXPECT_EQ(FormatTensorText(two), "1x4:5,5,7,7");  // "5*2" is no shorter than "5,5"
}

TEST(TensorText, FoldsPatternsThatRepeatThroughTheTensor) {
  // A 64x64 checkerboard of 10 and 0: rows alternate, so the pattern is two rows long.
  Tensor board({64, 64});
  for (int y = 0; y < 64; ++y)
    for (int x = 0; x < 64; ++x) board.at(y, x) = (x + y) % 2 == 0 ? 10.0f : 0.0f;
  const std::string text = FormatTensorText(board);
  EXPECT_EQ(text.rfind("64x64:(10,0,10,0,", 0), 0u) << text;
  EXPECT_EQ(text.substr(text.size() - 4), ")*32") << text;
  EXPECT_LT(text.size(), 400u);
  // Stripes with a partial last repeat: 1,2,3,1,2,3,1 -> "(1,2,3)*2,1".
  Tensor stripes({1, 7});
  stripes.values() = {1, 2, 3, 1, 2, 3, 1};
  EXPECT_EQ(FormatTensorText(stripes), "1x7:(1,2,3)*2,1");
  for (const Tensor* t : {&board, &stripes}) {
    Tensor back;
    std::string e;
    ASSERT_TRUE(ParseTensorText(FormatTensorText(*t), {}, &back, &e)) << e;
    EXPECT_EQ(back, *t);
  }
}

TEST(TensorText, LargeUnfoldableTensorsGoBinaryAndRoundTrip) {
  // A 64x64 "photo" with 200 grey levels: text needs ~4 characters a value (16 KB); the
  // palette form needs 2 + 4·200 + 4096 bytes = 4898 -> 6531 base64url characters.
  Pcg32 rng(5);
  Tensor photo({64, 64});
  for (size_t i = 0; i < photo.size(); ++i) photo[i] = static_cast<float>(rng.NextU32() % 200);
  const std::string text = FormatTensorText(photo);
  ASSERT_EQ(text.rfind("64x64~", 0), 0u) << text.substr(0, 40);
  EXPECT_EQ(text.size(), 6u + (4 * 4898 + 2) / 3);
  EXPECT_LT(text.size(), kMaxLinkLength);
  Tensor back;
  std::string e;
  ASSERT_TRUE(ParseTensorText(text, {2, 2, 1, 128}, &back, &e)) << e;
  EXPECT_EQ(back, photo);
  // Two levels pack one bit a value: 128x128 -> 2048 bytes.
  Tensor ink({128, 128});
  for (size_t i = 0; i < ink.size(); ++i) ink[i] = rng.NextU32() % 2 ? 10.0f : 0.0f;
  const std::string bits = FormatTensorText(ink);
  EXPECT_EQ(bits.size(), 8u + (4 * (2 + 8 + 2048) + 2) / 3);
  ASSERT_TRUE(ParseTensorText(bits, {2, 2, 1, 128}, &back, &e)) << e;
  EXPECT_EQ(back, ink);
  // More than 256 distinct values: raw floats.
  Tensor noise({30, 30});
  for (size_t i = 0; i < noise.size(); ++i) noise[i] = rng.NextFloat01() - 0.5f;
  const std::string raw = FormatTensorText(noise);
  ASSERT_NE(raw.find('~'), std::string::npos);
  ASSERT_TRUE(ParseTensorText(raw, {2, 2, 1, 128}, &back, &e)) << e;
  EXPECT_EQ(back, noise);
  // Small tensors stay readable text.
  EXPECT_EQ(FormatTensorText(Tensor({3, 3}, 0.5f)).find('~'), std::string::npos);
}

TEST(TensorText, RejectsBrokenBinary) {
  // 2x2 palette {0, 1}: bytes 01 01 | 00000000 | 0000803f | index byte 0b0110_0000.
  const std::string good = "2x2~AQEAAAAAAACAP2A";
  Tensor t;
  std::string e;
  ASSERT_TRUE(ParseTensorText(good, {}, &t, &e)) << e;
  EXPECT_EQ(t.values(), (std::vector<float>{0, 1, 1, 0}));
  for (const char* bad :
       {"2x2~", "2x2~AQEAAAAAAACAP2", "2x2~AQEAAAAAAACAP2AA", "2x2~AQEAAAAAAACAP2!",
        "2x2~AwEAAAAAAACAP2A", "2x2~AgAAwH8AAAAAAAAAAAAAAAA", "2x2~AQEAAAAAAACAP2B",
        "2x2~AQEAAAAAAACAP2E"}) {
    EXPECT_FALSE(ParseTensorText(bad, {}, &t, &e)) << bad;
    EXPECT_FALSE(e.empty());
  }
}

TEST(TensorText, RoundTripsRandomTensors) {
  std::mt19937 rng(3);
  for (int trial = 0; trial < 300; ++trial) {
    const int h = 1 + static_cast<int>(rng() % 9), w = 1 + static_cast<int>(rng() % 9);
    Tensor t({h, w});
    // Few distinct values, so runs and repeated rows appear.
    for (size_t i = 0; i < t.size(); ++i) t[i] = static_cast<float>(rng() % 3) * 0.1f - 0.1f;
    if (trial % 3 == 0)
      for (int y = 1; y < h; ++y)
        for (int x = 0; x < w; ++x) t.at(y, x) = t.at(0, x);
    Tensor back;
    std::string e;
    const std::string text = FormatTensorText(t);
    ASSERT_TRUE(ParseTensorText(text, {}, &back, &e)) << text << ": " << e;
    ASSERT_EQ(back, t) << text;
    EXPECT_EQ(FormatTensorText(back), text);
  }
}

TEST(TensorText, RejectsMalformedOrOversizedTensors) {
  const TensorLimits limits{2, 2, 1, 64};
  const char* bad[] = {
      "",                   // no shape
      "6x6",                // no values
      "6x6:",               // no values
      "2x2:1,2,3",          // too few
      "2x2:1,2,3,4,5",      // too many
      "2x2:1*5",            // run past the end
      "2x2:(1,2)*3",        // group past the end
      "2x2:(1,2)*1000000",  // huge repeat
      "2x2:1*0,1,1,1,1",    // zero repeat
      "2x2:((1)*2)*2",      // nested group
      "2x2:(1,2*2",         // unclosed group
      "2x2:(1,2),3,4",      // group without count
      "2x2:1,,2,3",         // empty value
      "2x2:1,2,3,4,",       // trailing comma
      "2x2:1,2,nan,4",      // NaN
      "2x2:1,2,inf,4",      // Inf
      "2x2:1,2,1e39,4",     // overflows float
      "2x2:a,b,c,d",        // not numbers
      "0x2:",               // zero size
      "-3x3:1",             // negative size
      "65x65:0*4225",       // over the limit
      "100000x100000:0",    // absurd size, refused before allocating
      "2:1,2",              // wrong rank
      "2x2x2:0*8",          // wrong rank
      "2x2:1,2)3,4",        // stray ')'
  };
  for (const char* text : bad) {
    Tensor t;
    std::string e;
    EXPECT_FALSE(ParseTensorText(text, limits, &t, &e)) << "'" << text << "'";
    EXPECT_FALSE(e.empty()) << text;
    EXPECT_TRUE(t.empty()) << text;
  }
}

}  // namespace
}  // namespace nnplay
