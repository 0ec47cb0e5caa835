// fashion_test.cpp: the Fashion-MNIST asset (data/fashion.h) and the cnn lab's fashion
// dataset: the parser's rejections, a missing asset (a message, no crash), training and
// replay on a small asset made here, and the link's size rules. The baked asset against
// Debian's IDX files: tests/tools/fashion_asset.test.mjs.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "data/fashion.h"
#include "labs/cnn_lab.h"
#include "link/link.h"

namespace nnplay {
namespace {

void PutU32(std::vector<uint8_t>* b, uint32_t v) {
  for (int i = 0; i < 4; ++i) b->push_back(static_cast<uint8_t>(v >> (8 * i)));
}

// Two easy classes: label 0 lights the left half (columns 0..13), label 1 the right half;
// pixel (y, x) of image i is 100 + (i + y + x) % 100 where lit, 0 elsewhere. Labels
// alternate 0, 1, 0, ... `swap_test`: the test images of each label are the other label's.
std::vector<uint8_t> MakeAsset(int train, int test, bool swap_test = false) {
  std::vector<uint8_t> b = {'N', 'N', 'F', 'M'};
  PutU32(&b, 1);
  PutU32(&b, static_cast<uint32_t>(train));
  PutU32(&b, static_cast<uint32_t>(test));
  PutU32(&b, 28);
  PutU32(&b, 28);
  for (int n : {train, test}) {
    const bool swap = swap_test && n == test;
    for (int i = 0; i < n; ++i)
      for (int y = 0; y < 28; ++y)
        for (int x = 0; x < 28; ++x)
          b.push_back(((x < 14) == (i % 2 == 0)) != swap
                          ? static_cast<uint8_t>(100 + (i + y + x) % 100)
                          : 0);
    for (int i = 0; i < n; ++i) b.push_back(static_cast<uint8_t>(i % 2));
  }
  return b;
}

CnnLabState SmallFashion(int steps) {
  CnnLabState s = CnnFashionSetup(CnnLabDefault());
  s.blocks = 1;
  s.f1 = 2;
  s.k = 3;
  s.batch = 8;
  s.lr = 0.01f;
  s.steps = steps;
  return s;
}

TEST(Fashion, ParsesTheFormatByHand) {
  const std::vector<uint8_t> b = MakeAsset(3, 2);
  ASSERT_EQ(b.size(), 24u + 5u * 785u);
  FashionData d;
  std::string why;
  ASSERT_TRUE(ParseFashionAsset(b.data(), b.size(), &d, &why)) << why;
  EXPECT_EQ(d.train, 3);
  EXPECT_EQ(d.test, 2);
  // Training image 1 (label 1, right half lit): pixel (2, 20) = 100 + (1 + 2 + 20) % 100.
  EXPECT_EQ(d.train_x[784 + 2 * 28 + 20], 123);
  EXPECT_EQ(d.train_x[784 + 2 * 28 + 5], 0);
  EXPECT_EQ(d.train_y, (std::vector<uint8_t>{0, 1, 0}));
  EXPECT_EQ(d.test_y, (std::vector<uint8_t>{0, 1}));
  EXPECT_EQ(d.test_x[0], 100);  // test image 0, pixel (0, 0)
  EXPECT_STREQ(FashionClassName(0), "T-shirt/top");
  EXPECT_STREQ(FashionClassName(9), "Ankle boot");
  EXPECT_STREQ(FashionClassName(10), "?");
}

TEST(Fashion, BadAssetsSayWhatIsWrongAndChangeNothing) {
  const std::vector<uint8_t> good = MakeAsset(3, 2);
  FashionData d;
  d.train = 7;
  std::string why;
  auto bad = [&](std::vector<uint8_t> b, const char* expected) {
    why.clear();
    EXPECT_FALSE(ParseFashionAsset(b.data(), b.size(), &d, &why));
    EXPECT_NE(why.find(expected), std::string::npos) << why;
    EXPECT_EQ(d.train, 7);  // untouched
  };
  bad(std::vector<uint8_t>(good.begin(), good.end() - 1), "truncated");
  std::vector<uint8_t> b = good;
  b.push_back(0);
  bad(b, "expected");
  b = good;
  b[0] = 'X';
  bad(b, "NNFM");
  b = good;
  b[4] = 2;
  bad(b, "version 2");
  b = good;
  b[16] = 27;
  bad(b, "28x28");
  b = good;
  b.back() = 10;  // the last test label
  bad(b, "label");
  bad({}, "NNFM");
  b = good;
  b[8] = 0xff, b[9] = 0xff, b[10] = 0xff, b[11] = 0x7f;  // 2^31 training images
  bad(b, "counts");
}

TEST(Fashion, MissingAssetIsAMessageNotACrash) {
  SetFashionAssetPath("/nonexistent/fashion-v1.bin");
  std::string why;
  EXPECT_EQ(FashionAsset(&why), nullptr);
  EXPECT_NE(why.find("cannot open the Fashion-MNIST asset /nonexistent/fashion-v1.bin"),
            std::string::npos)
      << why;
  const CnnLabResult r = EvaluateCnnLab(SmallFashion(5));
  EXPECT_NE(r.error.find("cannot open"), std::string::npos) << r.error;
  EXPECT_EQ(r.steps, 0);
  EXPECT_TRUE(r.maps.empty());
  EXPECT_EQ(CnnTrainCount(CnnDataKind::kFashion), 0);
  // Bad bytes keep what was there (nothing here).
  const std::vector<uint8_t> junk = {1, 2, 3};
  EXPECT_FALSE(SetFashionAsset(junk.data(), junk.size(), &why));
  EXPECT_EQ(FashionAsset(nullptr), nullptr);
}

TEST(Fashion, TrainsOnTheAssetAndReplaysBitForBit) {
  const std::vector<uint8_t> b = MakeAsset(64, 32);
  std::string why;
  ASSERT_TRUE(SetFashionAsset(b.data(), b.size(), &why)) << why;
  EXPECT_EQ(CnnTrainCount(CnnDataKind::kFashion), 64);
  EXPECT_EQ(CnnTestCount(CnnDataKind::kFashion), 32);
  // The dataset: pixel / 255, labels as in the asset.
  const CnnDataset d = MakeCnnDataset(CnnDataKind::kFashion, 28, 0.0f, 1);
  ASSERT_EQ(d.train_x.size(), 64u * 784u);
  EXPECT_EQ(d.train_x[784 + 2 * 28 + 20], 123.0f / 255.0f);
  EXPECT_EQ(d.test_y[1], 1);
  const CnnLabState s = SmallFashion(40);
  const CnnLabResult a = EvaluateCnnLab(s);
  ASSERT_EQ(a.error, "");
  EXPECT_EQ(a.steps, 40);
  EXPECT_EQ(a.classes, 10);
  EXPECT_EQ(a.test_count, 32);
  EXPECT_GE(a.test_acc, 0.9f);  // left half vs right half: easy
  const CnnLabResult again = EvaluateCnnLab(s);
  EXPECT_EQ(a.filters, again.filters);
  EXPECT_EQ(a.test_loss, again.test_loss);
  // Mistakes: with the test images swapped, the trained network gets (nearly) all wrong:
  // kMistakes of them, wrong ones only, most confident first.
  const std::vector<uint8_t> swapped = MakeAsset(64, 32, true);
  ASSERT_TRUE(SetFashionAsset(swapped.data(), swapped.size(), &why)) << why;
  const CnnLabResult wrong = EvaluateCnnLab(s);
  EXPECT_LE(wrong.test_acc, 0.1f);
  ASSERT_EQ(wrong.mistakes.size(), static_cast<size_t>(CnnLabResult::kMistakes));
  for (size_t i = 0; i < wrong.mistakes.size(); ++i) {
    const CnnMistake& m = wrong.mistakes[i];
    EXPECT_NE(m.truth, m.predicted);
    EXPECT_EQ(m.truth, m.index % 2);
    EXPECT_GT(m.confidence, 0.5f);
    if (i > 0) {
      EXPECT_GE(wrong.mistakes[i - 1].confidence, m.confidence);
    }
  }
  // The JSON names the classes.
  const std::string json = CnnLabToJson(s, a);
  EXPECT_NE(json.find("\"Ankle boot\""), std::string::npos);
  EXPECT_NE(json.find("\"mistakes\":["), std::string::npos);
}

TEST(Fashion, LinkTakesFashionAt28Only) {
  CnnLabState s;
  LinkError err;
  Link link;
  ASSERT_TRUE(ParseLink("v1/cnn?data=fashion&steps=3", &link, &err));
  ASSERT_TRUE(DecodeCnnLab(link, &s, &err)) << err.ToString();
  EXPECT_EQ(s.data, CnnDataKind::kFashion);
  EXPECT_EQ(s.size, 28);
  EXPECT_EQ(s.draw.shape(), (std::vector<int>{28, 28}));
  const std::string written = EncodeCnnLab(s);
  EXPECT_NE(written.find("data=fashion&size=28&"), std::string::npos) << written;
  ASSERT_TRUE(ParseLink(written, &link, &err));
  CnnLabState back;
  ASSERT_TRUE(DecodeCnnLab(link, &back, &err)) << err.ToString();
  EXPECT_EQ(back, s);
  for (const char* bad : {"v1/cnn?data=fashion&size=16", "v1/cnn?data=bars&size=28",
                          "v1/cnn?size=28", "v1/cnn?data=fashion&size=24"}) {
    ASSERT_TRUE(ParseLink(bad, &link, &err)) << bad;
    EXPECT_FALSE(DecodeCnnLab(link, &s, &err)) << bad;
    EXPECT_EQ(err.field, "size") << bad;
  }
  ASSERT_TRUE(ParseLink("v1/cnn?data=fashions", &link, &err));
  EXPECT_FALSE(DecodeCnnLab(link, &s, &err));
  EXPECT_NE(err.message.find("fashion"), std::string::npos);
  // The network of the fashion set-up: ConvNetJS's MNIST net on 28x28.
  const CnnLabState f = CnnFashionSetup(CnnLabDefault());
  EXPECT_EQ(f.blocks, 2);
  EXPECT_EQ(f.f1, 8);
  EXPECT_EQ(f.f2, 16);
  EXPECT_EQ(f.k, 5);
  EXPECT_EQ(f.size, 28);
  // Its cap by hand (docs/link-format.md): F = 28·28·8·25 + 2·784·8 + 14·14·16·8·25 +
  // 2·196·16 + 7·7·16·10 = 810,656; a step (F + 30,000) × (3·32 + 200/10) = 97,516,096 plus
  // 2·64·A, A = 784 + 12,544 + 1,568 + 6,272 + 784 + 784 + 10 = 22,746: 100,427,584 in all;
  // ⌊6.5e9 / 100,427,584⌋ = 64 (the first cap: ⌊3e9 / 97,516,096⌋ = 30).
  EXPECT_EQ(CnnMaxSteps(f), 64);
  EXPECT_EQ(CnnMaxStepsV1(f), 30);
}

}  // namespace
}  // namespace nnplay
