// link_length_test.cpp: a link opens only if its state's own (canonical) link fits the limit
// it was held to, so whatever opens can be shared again as written (CheckWrittenLength,
// link/link.h). The fuzzer (tests/fuzz/link_fuzzer.cpp) checks it for any bytes; these are
// the two ways a link under 8,192 characters used to open a state whose link is over it:
// a tensor in groups the writer does not find (conv), and fields the link leaves out that the
// writer writes (train).
#include <gtest/gtest.h>

#include <string>

#include "labs/conv_lab.h"
#include "labs/registry.h"
#include "labs/train_lab.h"
#include "link/link.h"

namespace nnplay {
namespace {

constexpr size_t kOwnLimit = size_t{1} << 20;  // what the page allows its own undo entries

// A 64x64 input of 300 distinct values, given twice as a group: 300 * 6 + 1 + 300 * 7 + 195
// = 4096 values in about 3,500 characters. The writer folds only runs, a period through
// the whole tensor and repeated rows, none of which this has, so it writes 4096 values; more
// than 256 distinct ones go binary as raw floats: (1 + 4 * 4096) bytes of base64, 21,847
// characters.
std::string GroupedConvLink() {
  std::string group;
  for (int i = 1; i <= 300; ++i) group += (i > 1 ? "," : "") + std::to_string(i) + ".5";
  return "v1/conv?in=64x64:(" + group + ")*6,0,(" + group + ")*7,0*195&f=1x1:1";
}

// A train link of 8,134 characters that leaves out every field with a default (the writer
// writes data, seed, noise, split, opt, lr, mom, batch and steps: 78 more characters) and
// holds 200 points, 400 removed points and 100 edits, each already in canonical form.
std::string FullTrainLink() {
  std::string add, rm, edit;
  for (int i = 0; i < TrainLabLimits::kMaxAdded; ++i)
    add += std::string(i ? ";" : "") + "-5.9999995,-5.9999995,1";
  for (int i = 0; i < TrainLabLimits::kPoints; ++i) rm += (i ? "," : "") + std::to_string(i);
  for (int i = 0; i < TrainLabLimits::kMaxEdits; ++i)
    edit += std::string(i ? ";" : "") + "0," + std::to_string(1000 + i) + ",-99.99999";
  return "v1/train?feat=x,y,x2,y2,xy,sinx,siny&layers=16,16,16,16,16,16,16,16&act=sigmoid,"
         "sigmoid,sigmoid,sigmoid,sigmoid,sigmoid,sigmoid,tanh&add=" +
         add + "&rm=" + rm + "&edit=" + edit;
}

TEST(WrittenLength, ALinkWhoseStateWritesLongerThanTheLimitIsRefused) {
  struct Case {
    std::string text;
    std::string lab;
  };
  for (const Case& c : {Case{GroupedConvLink(), "conv"}, Case{FullTrainLink(), "train"}}) {
    SCOPED_TRACE(c.lab);
    ASSERT_LE(c.text.size(), kMaxLinkLength);  // the link itself is within the limit
    Link link;
    LinkError error;
    ASSERT_TRUE(ParseLink(c.text, &link, &error)) << error.ToString();
    EXPECT_EQ(link.max_length, kMaxLinkLength);
    // Its state's link is not: held to the page's own limit it opens, and writes itself longer.
    Link own;
    ASSERT_TRUE(ParseLink(c.text, &own, &error, kOwnLimit)) << error.ToString();
    EXPECT_EQ(own.max_length, kOwnLimit);
    std::string written;
    if (c.lab == "conv") {
      ConvLabState s;
      ASSERT_TRUE(DecodeConvLab(own, &s, &error)) << error.ToString();
      written = EncodeConvLab(s);
      EXPECT_EQ(written.size(), std::string("v1/conv?in=64x64~").size() + 21847 +
                                    std::string("&f=1x1:1&pad=valid&stride=1&dil=1").size())
          << written.substr(0, 80);
      EXPECT_FALSE(DecodeConvLab(link, &s, &error));
    } else {
      TrainLabState s;
      ASSERT_TRUE(DecodeTrainLab(own, &s, &error)) << error.ToString();
      written = EncodeTrainLab(s);
      EXPECT_FALSE(DecodeTrainLab(link, &s, &error));
    }
    EXPECT_GT(written.size(), kMaxLinkLength);
    // The refusal: the link as a whole, both lengths.
    EXPECT_EQ(error.field, "");
    EXPECT_NE(error.message.find("too long"), std::string::npos) << error.message;
    EXPECT_NE(error.message.find(std::to_string(written.size())), std::string::npos)
        << error.message;
    EXPECT_NE(error.message.find("8192"), std::string::npos) << error.message;
    // The CLI and the page's JSON export refuse it the same way.
    std::string json;
    LinkError eval_error;
    EXPECT_FALSE(EvalLinkToJson(c.text, &json, &eval_error));
    EXPECT_EQ(eval_error.message, error.message);
    // What it wrote opens where long links may (an undo entry, a state file).
    Link again;
    ASSERT_TRUE(ParseLink(written, &again, &error, kOwnLimit)) << error.ToString();
    if (c.lab == "conv") {
      ConvLabState s;
      EXPECT_TRUE(DecodeConvLab(again, &s, &error)) << error.ToString();
    } else {
      TrainLabState s;
      EXPECT_TRUE(DecodeTrainLab(again, &s, &error)) << error.ToString();
    }
  }
}

TEST(WrittenLength, AtTheLimitALinkOpens) {
  Link link;
  LinkError error;
  ASSERT_TRUE(ParseLink("v1/conv?in=1x1:1", &link, &error));
  EXPECT_TRUE(CheckWrittenLength(link, std::string(kMaxLinkLength, 'a'), &error));
  EXPECT_FALSE(CheckWrittenLength(link, std::string(kMaxLinkLength + 1, 'a'), &error));
  EXPECT_NE(error.message.find("8193 characters"), std::string::npos) << error.message;
  // A hand-made Link is held to kMaxLinkLength.
  EXPECT_EQ(Link().max_length, kMaxLinkLength);
  // Every preset writes itself within the limit (link_corpus_test opens each one).
  for (const PresetInfo& p : AllPresets()) EXPECT_LE(p.link.size(), kMaxLinkLength) << p.id;
}

}  // namespace
}  // namespace nnplay
