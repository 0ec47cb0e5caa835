// cnn_lab_test.cpp: the CNN training lab: the generated images by construction (pixels
// counted by hand), class balance and determinism of the datasets, link round trips and
// decode rejections, the replay's bit-identical weights, learning on "bars", and the
// gradient of a training step against central finite differences.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "labs/cnn_lab.h"
#include "labs/registry.h"

namespace nnplay {
namespace {

CnnLabState Decoded(const std::string& text) {
  Link link;
  LinkError error;
  EXPECT_TRUE(ParseLink(text, &link, &error)) << error.ToString();
  CnnLabState s;
  EXPECT_TRUE(DecodeCnnLab(link, &s, &error)) << text << "\n" << error.ToString();
  return s;
}

LinkError DecodeError(const std::string& text) {
  Link link;
  LinkError error;
  if (!ParseLink(text, &link, &error)) return error;
  CnnLabState s;
  EXPECT_FALSE(DecodeCnnLab(link, &s, &error)) << text;
  return error;
}

std::vector<int> Lit(const std::vector<float>& img, int size) {
  std::vector<int> out;  // y * size + x of every pixel at 1
  for (int i = 0; i < size * size; ++i)
    if (img[static_cast<size_t>(i)] == 1.0f) out.push_back(i);
  return out;
}

TEST(CnnLab, BarPixelsByHand) {
  const int n = 16;
  std::vector<float> img(n * n, 0.0f);
  // Vertical, columns 5 and 6 (pos 5, thickness 2), rows 3..12 (from 3, to 13):
  // 2 columns x 10 rows = 20 pixels: (3,5) (3,6) (4,5) (4,6) ... (12,5) (12,6).
  DrawCnnBar(n, 0, 5, 2, 3, 13, img.data());
  std::vector<int> expect;
  for (int y = 3; y <= 12; ++y) expect.insert(expect.end(), {y * n + 5, y * n + 6});
  EXPECT_EQ(Lit(img, n), expect);
  EXPECT_EQ(std::count(img.begin(), img.end(), 0.0f), 256 - 20);

  // Diagonal x - y = 0, 1 thick, all rows: the 16 pixels (y, y).
  std::fill(img.begin(), img.end(), 0.0f);
  DrawCnnBar(n, 2, 0, 1, 0, 16, img.data());
  expect.clear();
  for (int y = 0; y < n; ++y) expect.push_back(y * n + y);
  EXPECT_EQ(Lit(img, n), expect);

  // Anti-diagonal x + y = 15, rows 4..7 only: (4,11) (5,10) (6,9) (7,8).
  std::fill(img.begin(), img.end(), 0.0f);
  DrawCnnBar(n, 3, 15, 1, 4, 8, img.data());
  EXPECT_EQ(Lit(img, n), (std::vector<int>{4 * n + 11, 5 * n + 10, 6 * n + 9, 7 * n + 8}));

  // Horizontal, row 9 only (thickness 1), columns 0..7: 8 pixels.
  std::fill(img.begin(), img.end(), 0.0f);
  DrawCnnBar(n, 1, 9, 1, 0, 8, img.data());
  expect.clear();
  for (int x = 0; x < 8; ++x) expect.push_back(9 * n + x);
  EXPECT_EQ(Lit(img, n), expect);
}

TEST(CnnLab, StrokePixelsByHand) {
  // A stroke along y = 8 from x = 2 to x = 12, half-width 0.6. Pixel centres sit at
  // (x + 0.5, y + 0.5): rows 7 and 8 are 0.5 away (lit), rows 6 and 9 are 1.5 away (not).
  // Along x, centres 2.5 .. 11.5 project inside the segment (columns 2..11); column 1's
  // centre is sqrt(0.5^2 + 0.5^2) = 0.71 > 0.6 from the end (2, 8), column 12's likewise.
  // So 2 rows x 10 columns = 20 pixels.
  const int n = 16;
  std::vector<float> img(n * n, 0.0f);
  DrawCnnStroke(n, 2.0f, 8.0f, 12.0f, 8.0f, 0.6f, img.data());
  std::vector<int> expect;
  for (int y = 7; y <= 8; ++y)
    for (int x = 2; x <= 11; ++x) expect.push_back(y * n + x);
  EXPECT_EQ(Lit(img, n), expect);
}

TEST(CnnLab, VerticalBarImagesWithoutNoiseAreOneRectangleOfColumns) {
  // Every "vertical" image (label 0) of a noise-free bars dataset: the lit pixels are
  // exactly columns c..c+t-1 (t = 1 or 2, 1 <= c, c + t <= 15) times rows a..b-1 with
  // b - a >= 8 (half the image) - everything else 0.
  const CnnDataset d = MakeCnnDataset(CnnDataKind::kBars, 16, 0.0f, 5);
  int checked = 0;
  for (size_t i = 0; i < d.train_y.size(); ++i) {
    if (d.train_y[i] != 0) continue;
    const std::vector<float> img(d.train_x.begin() + static_cast<std::ptrdiff_t>(i * 256),
                                 d.train_x.begin() + static_cast<std::ptrdiff_t>((i + 1) * 256));
    int x0 = 16, x1 = -1, y0 = 16, y1 = -1, lit = 0;
    for (int y = 0; y < 16; ++y) {
      for (int x = 0; x < 16; ++x) {
        const float v = img[static_cast<size_t>(y * 16 + x)];
        ASSERT_TRUE(v == 0.0f || v == 1.0f);
        if (v == 1.0f)
          ++lit, x0 = std::min(x0, x), x1 = std::max(x1, x), y0 = std::min(y0, y),
                 y1 = std::max(y1, y);
      }
    }
    const int t = x1 - x0 + 1, len = y1 - y0 + 1;
    EXPECT_TRUE(t == 1 || t == 2) << i;
    EXPECT_GE(x0, 1);
    EXPECT_LE(x1, 14);
    EXPECT_GE(len, 8);
    EXPECT_EQ(lit, t * len) << "a full rectangle, image " << i;
    ++checked;
  }
  EXPECT_EQ(checked, CnnLabLimits::kTrainPerClass);
}

TEST(CnnLab, DatasetsAreBalancedDeterministicAndNoiseOnlyMovesPixels) {
  for (CnnDataKind kind : {CnnDataKind::kBars, CnnDataKind::kShapes, CnnDataKind::kDigits}) {
    for (int size : {16, 24}) {
      const CnnDataset a = MakeCnnDataset(kind, size, 0.3f, 11);
      const CnnDataset b = MakeCnnDataset(kind, size, 0.3f, 11);
      const CnnDataset c = MakeCnnDataset(kind, size, 0.3f, 12);
      const CnnDataset clean = MakeCnnDataset(kind, size, 0.0f, 11);
      const int k = CnnClasses(kind);
      ASSERT_EQ(a.classes, k);
      ASSERT_EQ(a.train_y.size(), static_cast<size_t>(k * CnnLabLimits::kTrainPerClass));
      ASSERT_EQ(a.test_y.size(), static_cast<size_t>(k * CnnLabLimits::kTestPerClass));
      ASSERT_EQ(a.train_x.size(), a.train_y.size() * static_cast<size_t>(size * size));
      std::vector<int> train(static_cast<size_t>(k)), test(static_cast<size_t>(k));
      for (int y : a.train_y) ++train[static_cast<size_t>(y)];
      for (int y : a.test_y) ++test[static_cast<size_t>(y)];
      for (int cls = 0; cls < k; ++cls) {
        EXPECT_EQ(train[static_cast<size_t>(cls)], CnnLabLimits::kTrainPerClass);
        EXPECT_EQ(test[static_cast<size_t>(cls)], CnnLabLimits::kTestPerClass);
      }
      EXPECT_EQ(std::memcmp(a.train_x.data(), b.train_x.data(), a.train_x.size() * sizeof(float)),
                0);
      EXPECT_EQ(a.test_x, b.test_x);
      EXPECT_NE(a.train_x, c.train_x);
      // Noise adds at most 0.3 to each pixel of the same clean image; every clean image
      // has ink (a shape is never drawn entirely outside the image).
      float most = 0;
      for (size_t i = 0; i < a.train_x.size(); ++i)
        most = std::max(most, std::fabs(a.train_x[i] - clean.train_x[i]));
      EXPECT_LE(most, 0.3f);
      EXPECT_GT(most, 0.25f);
      const size_t px = static_cast<size_t>(size * size);
      for (size_t i = 0; i < clean.train_y.size(); ++i) {
        const auto first = clean.train_x.begin() + static_cast<std::ptrdiff_t>(i * px);
        const long ink = std::count(first, first + static_cast<std::ptrdiff_t>(px), 1.0f);
        EXPECT_GE(ink, size / 2) << CnnDataName(kind) << " image " << i;
        EXPECT_EQ(std::count(first, first + static_cast<std::ptrdiff_t>(px), 0.0f) + ink,
                  static_cast<long>(px));
      }
    }
  }
}

TEST(CnnLab, PresetsRoundTripAndBuild) {
  ASSERT_GE(CnnPresets().size(), 3u);
  for (const CnnPreset& p : CnnPresets()) {
    const std::string link = EncodeCnnLab(p.state);
    const CnnLabState s = Decoded(link);
    EXPECT_EQ(s, p.state) << link;
    EXPECT_EQ(EncodeCnnLab(s), link);
    EXPECT_LE(link.size(), 1000u) << link;
    CnnLabState short_run = s;
    short_run.steps = 3;
    const CnnLabResult r = EvaluateCnnLab(short_run);
    EXPECT_EQ(r.error, "") << p.id;
    EXPECT_EQ(r.steps, 3);
    EXPECT_EQ(static_cast<int>(r.probs.size()), CnnClasses(s.data));
    EXPECT_EQ(r.maps.size(), s.blocks * 3u + 1u);  // conv, relu, pool per block; the logits
    std::string json;
    LinkError error;
    EXPECT_TRUE(EvalLinkToJson(link, &json, &error)) << error.ToString();
    EXPECT_NE(json.find("\"link\":\"" + link + "\""), std::string::npos);
  }
  // Every field at an extreme, and a drawing of arbitrary values, round-trip.
  CnnLabState s = CnnLabDefault();
  s.data = CnnDataKind::kDigits, s.size = 24, s.noise = 0.5f, s.seed = 2147483647;
  s.blocks = 2, s.f1 = 16, s.f2 = 2, s.k = 5, s.opt = CnnOptimizer::kSgd, s.lr = 1.0f;
  s.momentum = 0.99f, s.batch = 1, s.steps = 7;
  s.draw = Tensor({24, 24});
  for (size_t i = 0; i < s.draw.size(); ++i) s.draw[i] = static_cast<float>(i % 7) * 0.25f - 0.5f;
  const std::string link = EncodeCnnLab(s);
  EXPECT_EQ(Decoded(link), s);
  EXPECT_EQ(EncodeCnnLab(Decoded(link)), link);
  // A link without a drawing opens with a blank one of the image size.
  EXPECT_EQ(Decoded("v1/cnn?size=24").draw, Tensor({24, 24}));
}

TEST(CnnLab, DecodeRejectionsNameTheField) {
  EXPECT_EQ(DecodeError("v1/cnn?data=mnist").field, "data");
  EXPECT_EQ(DecodeError("v1/cnn?size=20").field, "size");
  EXPECT_EQ(DecodeError("v1/cnn?size=32").field, "size");
  EXPECT_EQ(DecodeError("v1/cnn?noise=0.6").field, "noise");
  EXPECT_EQ(DecodeError("v1/cnn?seed=-1").field, "seed");
  EXPECT_EQ(DecodeError("v1/cnn?blocks=3").field, "blocks");
  EXPECT_EQ(DecodeError("v1/cnn?f1=1").field, "f1");
  EXPECT_EQ(DecodeError("v1/cnn?f2=17").field, "f2");
  EXPECT_EQ(DecodeError("v1/cnn?k=4").field, "k");
  EXPECT_EQ(DecodeError("v1/cnn?opt=rmsprop").field, "opt");
  EXPECT_EQ(DecodeError("v1/cnn?lr=0").field, "lr");
  EXPECT_EQ(DecodeError("v1/cnn?lr=1.5").field, "lr");
  EXPECT_EQ(DecodeError("v1/cnn?mom=1").field, "mom");
  EXPECT_EQ(DecodeError("v1/cnn?batch=33").field, "batch");
  EXPECT_EQ(DecodeError("v1/cnn?steps=-1").field, "steps");
  EXPECT_EQ(DecodeError("v1/cnn?bogus=1").field, "bogus");
  EXPECT_EQ(DecodeError("v1/cnn?k=3&k=3").field, "k");
  // The step cap depends on the network: the biggest one holds fewer steps.
  CnnLabState big = CnnLabDefault();
  big.size = 24, big.blocks = 2, big.f1 = big.f2 = 16, big.k = 5, big.batch = 32;
  const int cap = CnnMaxSteps(big);
  EXPECT_LT(cap, CnnMaxSteps(CnnLabDefault()));
  const std::string big_link =
      "v1/cnn?size=24&blocks=2&f1=16&f2=16&k=5&batch=32&draw=24x24:0*576&steps=";
  EXPECT_EQ(Decoded(big_link + std::to_string(cap)).steps, cap);
  const LinkError over = DecodeError(big_link + std::to_string(cap + 1));
  EXPECT_EQ(over.field, "steps");
  EXPECT_NE(over.message.find(std::to_string(cap)), std::string::npos) << over.message;
  // The drawing: the shape must be the image's, checked before anything is allocated
  // (the parser refuses a side over 24 or more than 576 values from the shape alone).
  EXPECT_EQ(DecodeError("v1/cnn?size=16&draw=24x24:0*576").field, "draw");
  EXPECT_EQ(DecodeError("v1/cnn?draw=16x16:0*255").field, "draw");
  EXPECT_EQ(DecodeError("v1/cnn?draw=16x16:0*257").field, "draw");
  EXPECT_EQ(DecodeError("v1/cnn?draw=16:0*16").field, "draw");
  EXPECT_EQ(DecodeError("v1/cnn?draw=4x16x16:0*1024").field, "draw");
  EXPECT_EQ(DecodeError("v1/cnn?draw=60000x60000:0").field, "draw");
  EXPECT_EQ(DecodeError("v1/cnn?draw=16x16:(0*65536)*65536").field, "draw");
  EXPECT_EQ(DecodeError("v1/cnn?draw=16x16:11,0*255").field, "draw");
  EXPECT_EQ(DecodeError("v1/cnn?draw=16x16~AAAA").field, "draw");
  const LinkError shape = DecodeError("v1/cnn?size=24&draw=16x16:0*256");
  EXPECT_EQ(shape.field, "draw");
  EXPECT_NE(shape.message.find("24x24"), std::string::npos) << shape.message;
}

TEST(CnnLab, StepCapFollowsTheCostModel) {
  // bars preset: 16x16, one block of 4 filters 5x5, 4 classes, batch 16, 64 test images.
  // One forward: conv 16*16*4*25 = 25600, ReLU + pool 2*16*16*4 = 2048, dense 8*8*4*4 = 1024,
  // plus the 30000 overhead: 58672. Images per step 3*16 + 64/10 = 54.4: 3191756.8.
  // Activations of one image: input 256, conv and ReLU 2*4*16*16 = 2048, pool and flatten
  // 2*4*8*8 = 512, logits 4: 2820; cleared for 64 images at 2 each: 360960 a step.
  // 6.5e9 / (3191756.8 + 360960) = 6.5e9 / 3552716.8 = 1829.6, so 1829 steps
  // (docs/link-format.md). The first cap was 3e9 / 3191756.8 = 939.9: 939.
  EXPECT_EQ(CnnForwardMacs(CnnPresets()[0].state), 28672.0);
  EXPECT_EQ(CnnActivationValues(CnnPresets()[0].state), 2820.0);
  EXPECT_EQ(CnnMaxSteps(CnnPresets()[0].state), 1829);
  EXPECT_EQ(CnnMaxStepsV1(CnnPresets()[0].state), 939);
  // The documented caps of the other presets and of the biggest network (first caps: 606,
  // 358, 282, 22).
  EXPECT_EQ(CnnMaxSteps(CnnPresets()[1].state), 1133);
  EXPECT_EQ(CnnMaxSteps(CnnPresets()[2].state), 696);
  EXPECT_EQ(CnnMaxSteps(CnnPresets()[3].state), 534);
  CnnLabState big = CnnLabDefault();
  big.data = CnnDataKind::kDigits, big.size = 24, big.blocks = 2, big.f1 = big.f2 = 16;
  big.k = 5, big.batch = 32;
  EXPECT_EQ(CnnMaxSteps(big), 46);
  // The smallest network at batch 1 reaches the ceiling: 16x16, 2 filters 3x3, 4 classes.
  // Forward 16*16*2*9 + 2*16*16*2 + 8*8*2*4 = 4608 + 1024 + 512 = 6144, +30000; 9.4 images a
  // step: 339753.6. Activations 256 + 2*2*256 + 2*2*64 + 4 = 1540, *128 = 197120.
  // 6.5e9 / 536873.6 = 12107 > 10000.
  CnnLabState small = CnnLabDefault();
  small.f1 = 2, small.k = 3, small.batch = 1;
  EXPECT_EQ(CnnMaxSteps(small), CnnLabLimits::kMaxStepsCeiling);
}

TEST(CnnLab, ActivationValuesAreTheNetworksLayerSizes) {
  // The cost model's activation count against the built Network's layer shapes.
  for (int size : {16, 24})
    for (int blocks : {1, 2})
      for (int k : {3, 5})
        for (CnnDataKind data : {CnnDataKind::kBars, CnnDataKind::kDigits}) {
          CnnLabState s = CnnLabDefault();
          s.data = data, s.size = size, s.blocks = blocks, s.f1 = 5, s.f2 = 7, s.k = k;
          Network net;
          ASSERT_EQ(BuildCnnNetwork(s, 1, &net), "");
          size_t values = static_cast<size_t>(size * size);
          for (int i = 0; i < net.num_layers(); ++i) values += Tensor::Count(net.layer_shape(i));
          EXPECT_EQ(CnnActivationValues(s), static_cast<double>(values)) << size << " " << blocks;
        }
}

// The first step cap (before the faster Network of c07a7b2), written out again here so that
// the test does not lean on the code it checks: 3e9 multiply-adds, 30000 per image, 10 to
// 5000 steps.
int FirstCap(const CnnLabState& s) {
  const double k2 = static_cast<double>(s.k) * s.k;
  double side = s.size, channels = 1, macs = 0;
  for (int b = 0; b < s.blocks; ++b) {
    const double f = b == 0 ? s.f1 : s.f2;
    macs += side * side * f * channels * k2 + 2.0 * side * side * f;
    channels = f;
    side = std::floor(side / 2);
  }
  macs += side * side * channels * CnnClasses(s.data);
  const double test = CnnClasses(s.data) * 16.0;
  const double per_step = (macs + 30000.0) * (3.0 * s.batch + test / 10.0);
  return static_cast<int>(std::max(10.0, std::min(5000.0, std::floor(3e9 / per_step))));
}

TEST(CnnLab, EveryLinkTheFirstCapAllowedStaysValid) {
  // Every set-up that changes the cost: 3 data * 2 sizes * 15 f1 * 2 k * 32 batch * (one
  // block, or two with f2 = 2..16) = 92160. The cap is never below the first cap, and a link
  // at the first cap still decodes (a sample of 1 in 97: decoding is slower).
  int checked = 0, raised = 0, decoded = 0;
  for (CnnDataKind data : {CnnDataKind::kBars, CnnDataKind::kShapes, CnnDataKind::kDigits})
    for (int size : {16, 24})
      for (int blocks = 1; blocks <= 2; ++blocks)
        for (int f1 = 2; f1 <= 16; ++f1)
          for (int f2 = 2; f2 <= 16; ++f2) {
            if (blocks == 1 && f2 != 8) continue;
            for (int k : {3, 5})
              for (int batch = 1; batch <= 32; ++batch) {
                CnnLabState s = CnnLabDefault();
                s.data = data, s.size = size, s.blocks = blocks, s.f1 = f1, s.f2 = f2, s.k = k;
                s.batch = batch;
                const int first = FirstCap(s), cap = CnnMaxSteps(s);
                ASSERT_EQ(CnnMaxStepsV1(s), first);
                ASSERT_GE(cap, first) << EncodeCnnLab(s);
                ASSERT_LE(cap, CnnLabLimits::kMaxStepsCeiling);
                raised += cap > first;
                if (++checked % 97 == 0) {
                  s.steps = first;
                  s.draw = Tensor({size, size});
                  EXPECT_EQ(Decoded(EncodeCnnLab(s)).steps, first);
                  ++decoded;
                }
              }
          }
  std::printf("%d set-ups, %d caps raised, %d links decoded\n", checked, raised, decoded);
  EXPECT_EQ(checked, 3 * 2 * 2 * 15 * 32 * (1 + 15));  // one block: f2 = 8 only
  EXPECT_GT(raised, checked / 2);
}

TEST(CnnLab, ReplayGivesBitIdenticalWeights) {
  CnnLabState s = CnnPresets()[1].state;  // shapes: two blocks
  s.steps = 25;
  CnnSession stepped, replayed;
  ASSERT_EQ(stepped.Reset(s), "");
  ASSERT_EQ(replayed.Reset(s), "");
  // The view measures and probes the drawing between steps; that must not change training.
  CnnLabResult scratch;
  for (int i = 0; i < s.steps; ++i) {
    stepped.Step();
    if (i % 3 == 0) stepped.Measure(&scratch);
    stepped.Probe(s.draw, &scratch);
  }
  for (int i = 0; i < s.steps; ++i) replayed.Step();
  ASSERT_EQ(stepped.net().param_count(), replayed.net().param_count());
  EXPECT_EQ(std::memcmp(stepped.net().params(), replayed.net().params(),
                        stepped.net().param_count() * sizeof(float)),
            0);
  // EvaluateCnnLab (what opening the link does) gives the same numbers.
  const CnnLabResult a = EvaluateCnnLab(s), b = EvaluateCnnLab(s);
  CnnLabResult c;
  stepped.Measure(&c);
  stepped.Probe(s.draw, &c);
  EXPECT_EQ(a.filters, c.filters);
  EXPECT_EQ(a.test_loss, c.test_loss);
  EXPECT_EQ(a.probs, c.probs);
  EXPECT_EQ(a.confusion, b.confusion);
  ASSERT_EQ(a.history.size(), c.history.size());
  for (size_t i = 0; i < a.history.size(); ++i) {
    EXPECT_EQ(a.history[i].step, c.history[i].step);
    EXPECT_EQ(a.history[i].train_loss, c.history[i].train_loss);
    EXPECT_EQ(a.history[i].test_acc, c.history[i].test_acc);
  }
  // A different seed trains differently.
  CnnLabState other = s;
  other.seed = 2;
  EXPECT_NE(EvaluateCnnLab(other).filters, a.filters);
}

// The share of a k x k filter's variance (about its mean) held by its column means, or by its
// row means, whichever is larger: 1 for a filter constant along every column (a vertical
// stripe pattern: an edge or line detector) or row. A random filter puts (k - 1) / (k^2 - 1)
// of its variance into each, in expectation: 1/6 for 5x5.
double StripeFraction(const float* w, int k) {
  double mean = 0;
  for (int i = 0; i < k * k; ++i) mean += w[i];
  mean /= k * k;
  double total = 0, cols = 0, rows = 0;
  for (int i = 0; i < k * k; ++i) total += (w[i] - mean) * (w[i] - mean);
  for (int a = 0; a < k; ++a) {
    double col = 0, row = 0;
    for (int b = 0; b < k; ++b) col += w[b * k + a], row += w[a * k + b];
    col = col / k - mean, row = row / k - mean;
    cols += k * col * col, rows += k * row * row;
  }
  return std::max(cols, rows) / total;
}

double BestStripeFraction(const CnnLabResult& r) {
  const int k = r.filters.dim(1);
  double best = 0;
  for (int f = 0; f < r.filters.dim(0); ++f)
    best = std::max(best, StripeFraction(r.filters.data() + f * k * k, k));
  return best;
}

TEST(CnnLab, StripeFractionByHand) {
  // Columns +1, -1, 0: all the variance is in the column means (1); the transpose likewise;
  // a checkerboard has constant column and row means (0).
  const float cols[9] = {1, -1, 0, 1, -1, 0, 1, -1, 0};
  const float rows[9] = {1, 1, 1, -1, -1, -1, 0, 0, 0};
  const float checker[9] = {1, -1, 1, -1, 1, -1, 1, -1, 1};
  EXPECT_NEAR(StripeFraction(cols, 3), 1.0, 1e-12);
  EXPECT_NEAR(StripeFraction(rows, 3), 1.0, 1e-12);
  // Checkerboard: mean 1/9; column means 1/3, -1/3, 1/3 -> each off the mean by 2/9 or -4/9:
  // 3 * (4 + 16 + 4) / 81 = 72/81; total: 5 * (8/9)^2 + 4 * (10/9)^2 = 720/81. So 0.1.
  EXPECT_NEAR(StripeFraction(checker, 3), 0.1, 1e-12);
}

TEST(CnnLab, BarsLearnWellAboveChance) {
  // 4 classes: chance is 25% on the balanced 64-image test set. After 300 Adam steps of 16
  // images (25 epochs of the 192 training images) a one-block CNN separates four bar
  // orientations nearly perfectly; 85% (54 of 64) leaves room for the noise of the
  // training run yet is more than three times chance.
  CnnLabState s = CnnPresets()[0].state;
  ASSERT_EQ(std::string(CnnPresets()[0].id), "bars");
  const CnnLabResult before = EvaluateCnnLab(s);
  s.steps = 300;
  ASSERT_LE(s.steps, CnnMaxSteps(s));
  const auto t0 = std::chrono::steady_clock::now();
  const CnnLabResult r = EvaluateCnnLab(s);
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  std::printf("bars: 300 steps replayed in %.0f ms; test acc %.9g, loss %.9g\n", ms, r.test_acc,
              r.test_loss);
  EXPECT_EQ(r.error, "");
  EXPECT_GE(r.test_acc, 0.85f);
  EXPECT_LT(r.test_loss, before.test_loss);
  EXPECT_GT(r.history.size(), 10u);
  // The confusion matrix counts every test image once, mostly on the diagonal.
  float total = 0, diagonal = 0;
  for (int i = 0; i < r.classes; ++i)
    for (int j = 0; j < r.classes; ++j) {
      total += r.confusion.at(i, j);
      if (i == j) diagonal += r.confusion.at(i, j);
    }
  EXPECT_EQ(total, static_cast<float>(r.test_count));
  EXPECT_EQ(diagonal / total, r.test_acc);
  // A filter turns into a stripe (vertical or horizontal edge/line) pattern: at least half
  // of its variance along one axis, three times the 1/6 of a random 5x5 filter. Measured on
  // seeds 1-6 of this set-up (2026-11-26): the best of the 4 filters holds 0.26-0.42 at step
  // 0 and 0.42-0.93 after 300 steps (seed 1, this preset: 0.77).
  const double at0 = BestStripeFraction(before), at300 = BestStripeFraction(r);
  std::printf("bars: best stripe fraction %.3f at step 0, %.3f at 300\n", at0, at300);
  EXPECT_GE(at300, 0.5);
  EXPECT_GE(at300, at0 + 0.2);
}

// The across coordinate of pixel (x, y) for orientation o: 0 vertical (columns), 1 horizontal
// (rows), 2 diagonal (x - y), 3 anti-diagonal (x + y): constant along a bar of that class.
int Across(int o, int x, int y) {
  return o == 0 ? x : o == 1 ? y : o == 2 ? x - y : x + y;
}

// Like StripeFraction, for all four bar orientations: the largest share of a k x k filter's
// variance (about its mean) held by its means along lines of one orientation. 1 for a filter
// constant along every line of that orientation.
double OrientedFraction(const float* w, int k) {
  double mean = 0, total = 0;
  for (int i = 0; i < k * k; ++i) mean += w[i];
  mean /= k * k;
  for (int i = 0; i < k * k; ++i) total += (w[i] - mean) * (w[i] - mean);
  double best = 0;
  for (int o = 0; o < 4; ++o) {
    std::vector<double> sum(static_cast<size_t>(4 * k), 0.0);
    std::vector<int> count(static_cast<size_t>(4 * k), 0);
    for (int y = 0; y < k; ++y)
      for (int x = 0; x < k; ++x) {
        const size_t a = static_cast<size_t>(Across(o, x, y) + 2 * k);
        sum[a] += w[y * k + x], ++count[a];
      }
    double held = 0;
    for (int y = 0; y < k; ++y)
      for (int x = 0; x < k; ++x) {
        const size_t a = static_cast<size_t>(Across(o, x, y) + 2 * k);
        const double m = sum[a] / count[a] - mean;
        held += m * m;
      }
    best = std::max(best, held / total);
  }
  return best;
}

// The best |cosine| of a k x k filter against the ideal edge and line templates: for each
// orientation and each offset c along the across coordinate a, a line 1 pixel wide (a == c),
// a line 2 pixels wide (a == c or c + 1; the bars are 1 or 2 pixels thick) and a step edge
// (+1 where a >= c, -1 elsewhere), each less its mean. The filter is taken as it is (its own
// mean not removed, so a filter with a large constant part scores lower). 0.8 or more reads
// as a clear detector.
double TemplateCosine(const float* w, int k) {
  double best = 0;
  std::vector<double> t(static_cast<size_t>(k * k));
  for (int o = 0; o < 4; ++o) {
    const int lo = std::min({Across(o, 0, 0), Across(o, k - 1, 0), Across(o, 0, k - 1)});
    const int hi = std::max({Across(o, k - 1, k - 1), Across(o, k - 1, 0), Across(o, 0, k - 1)});
    for (int kind = 0; kind < 3; ++kind)
      for (int c = lo; c <= hi; ++c) {
        double mean = 0;
        for (int y = 0; y < k; ++y)
          for (int x = 0; x < k; ++x) {
            const int a = Across(o, x, y);
            double v = kind == 0 ? a == c : kind == 1 ? (a == c || a == c + 1) : 0.0;
            if (kind == 2) v = a >= c ? 1.0 : -1.0;
            t[static_cast<size_t>(y * k + x)] = v;
            mean += v;
          }
        mean /= k * k;
        double wt = 0, ww = 0, tt = 0;
        for (int i = 0; i < k * k; ++i) {
          const double ti = t[static_cast<size_t>(i)] - mean;
          wt += w[i] * ti, ww += static_cast<double>(w[i]) * w[i], tt += ti * ti;
        }
        if (ww > 0 && tt > 0) best = std::max(best, std::fabs(wt) / std::sqrt(ww * tt));
      }
  }
  return best;
}

TEST(CnnLab, OrientedFractionAndTemplateCosineByHand) {
  // A vertical 2-pixel line and a diagonal step edge, both of mean 0 (10 of 25 cells at +1
  // and 15 at -2/3; 10 at +1.5 and 15 at -1), match their templates exactly and are constant
  // along their orientation.
  float line[25], edge[25], checker[25];
  for (int y = 0; y < 5; ++y)
    for (int x = 0; x < 5; ++x) {
      line[y * 5 + x] = (x == 1 || x == 2) ? 1.0f : -2.0f / 3.0f;
      edge[y * 5 + x] = x - y >= 1 ? 1.5f : -1.0f;
      checker[y * 5 + x] = (x + y) % 2 ? 1.0f : -1.0f;
    }
  EXPECT_NEAR(TemplateCosine(line, 5), 1.0, 1e-9);
  EXPECT_NEAR(OrientedFraction(line, 5), 1.0, 1e-9);
  EXPECT_NEAR(TemplateCosine(edge, 5), 1.0, 1e-9);
  EXPECT_NEAR(OrientedFraction(edge, 5), 1.0, 1e-9);
  // A checkerboard is constant along every diagonal and anti-diagonal (x - y and x + y have
  // the parity of the cell), so OrientedFraction alone cannot tell it from a detector; its
  // best template is a 1-pixel line through the middle, on 5 cells at -1 (mean of the board
  // -1/25, of the template 1/5): w.t = -5 - (1/5)(-1) = -4.8, |w| = 5, |t|^2 = 5 (4/5)^2 +
  // 20 (1/5)^2 = 4, so |cos| = 4.8 / (5 x 2) = 0.48.
  EXPECT_NEAR(OrientedFraction(checker, 5), 1.0, 1e-9);
  EXPECT_NEAR(TemplateCosine(checker, 5), 0.48, 1e-9);
}

TEST(CnnLab, DecayFieldIsOptionalAndValidated) {
  // Omitted at 0: every link written before the field re-encodes byte for byte.
  const CnnLabState bars = CnnPresets()[0].state;
  EXPECT_EQ(bars.decay, 0.0f);
  EXPECT_EQ(EncodeCnnLab(bars).find("decay"), std::string::npos);
  EXPECT_EQ(Decoded(EncodeCnnLab(bars) + "&decay=0"), bars);
  CnnLabState s = bars;
  s.decay = 0.05f;
  const std::string link = EncodeCnnLab(s);
  EXPECT_NE(link.find("&batch=16&decay=0.05&steps=0&"), std::string::npos) << link;
  EXPECT_EQ(Decoded(link), s);
  EXPECT_EQ(EncodeCnnLab(Decoded(link)), link);
  EXPECT_FALSE(s.SameSetup(bars));  // a new decay restarts training
  EXPECT_EQ(Decoded("v1/cnn?decay=1").decay, 1.0f);
  EXPECT_EQ(DecodeError("v1/cnn?decay=1.5").field, "decay");
  EXPECT_EQ(DecodeError("v1/cnn?decay=-0.1").field, "decay");
  EXPECT_EQ(DecodeError("v1/cnn?decay=x").field, "decay");
  EXPECT_EQ(DecodeError("v1/cnn?decay=nan").field, "decay");
  // Decay changes the training (both optimizers), and its replay is bit-identical.
  for (CnnOptimizer opt : {CnnOptimizer::kSgd, CnnOptimizer::kAdam}) {
    CnnLabState plain = bars;
    plain.opt = opt, plain.steps = 20;
    CnnLabState decayed = plain;
    decayed.decay = 0.5f;
    const CnnLabResult a = EvaluateCnnLab(decayed);
    EXPECT_NE(a.filters, EvaluateCnnLab(plain).filters);
    EXPECT_EQ(a.filters, EvaluateCnnLab(decayed).filters);
  }
}

TEST(CnnLab, EdgesPresetGrowsEdgeDetectors) {
  // The issue: the first layer's filters seen "as they learn (edge detectors emerging)".
  // Without decay the bars network's loss gets small fast and most filters stay near their
  // random start; with weight decay every filter becomes a stripe (constant along one
  // orientation) and most of them a clear line or edge detector.
  const CnnPreset* edges = nullptr;
  for (const CnnPreset& p : CnnPresets())
    if (std::string(p.id) == "edges") edges = &p;
  ASSERT_NE(edges, nullptr);
  CnnLabState s = edges->state;
  s.steps = CnnMaxSteps(s);
  EXPECT_EQ(s.steps, 1829);
  // Measured with this lab (2026-11-26), the same set-up at its cap on seeds 1-6, filters
  // sorted; decay 0.05 (the preset) against decay 0:
  //   weakest filter's OrientedFraction: 0.95 0.93 0.99 0.85 0.97 0.97 vs 0.52 0.69 0.80 0.75
  //     0.63 0.54 (a random 5x5 filter: about 0.3-0.6);
  //   third-best TemplateCosine: 0.84 0.87 0.91 0.79 0.91 0.70 vs 0.70 0.76 0.78 0.69 0.53
  //     0.68; filters at 0.8 or more: 3 4 3 2 4 1 vs 0 1 1 1 0 2;
  //   test accuracy: 0.953-1 (mean 0.992) vs 0.938-1 (mean 0.977).
  // So: every filter oriented at 0.82 or more (all 6 seeds with decay, none without), and 3
  // of the 4 filters clear (seeds 1, 2, 3, 5 of 6 with decay, none without).
  auto check = [](const CnnLabState& state, const char* what, bool expect_edges) {
    const CnnLabResult r = EvaluateCnnLab(state);
    EXPECT_EQ(r.error, "");
    const int k = r.filters.dim(1);
    double weakest = 1;
    int clear = 0;
    for (int f = 0; f < r.filters.dim(0); ++f) {
      const float* w = r.filters.data() + f * k * k;
      const double oriented = OrientedFraction(w, k), cosine = TemplateCosine(w, k);
      std::printf("%s: filter %d oriented %.3f, template |cos| %.3f\n", what, f, oriented, cosine);
      weakest = std::min(weakest, oriented);
      clear += cosine >= 0.8;
    }
    std::printf("%s: test acc %.9g, %d of %d filters clear\n", what, r.test_acc, clear,
                r.filters.dim(0));
    EXPECT_GE(r.test_acc, 0.95f) << what;
    if (expect_edges) {
      EXPECT_GE(weakest, 0.82) << what;
      EXPECT_GE(clear, 3) << what;
    } else {
      EXPECT_TRUE(weakest < 0.82 || clear < 3) << what;
    }
  };
  check(s, "edges", true);
  CnnLabState plain = s;
  plain.decay = 0;
  check(plain, "edges without decay", false);
}

TEST(CnnLab, TrainingStepGradientMatchesCentralDifferences) {
  // A tiny network (two blocks of 2 filters 3x3 on 16x16, 4 classes) and a batch of 4.
  CnnLabState s = CnnLabDefault();
  s.blocks = 2, s.f1 = 2, s.f2 = 2, s.k = 3, s.noise = 0.2f;
  Network net;
  ASSERT_EQ(BuildCnnNetwork(s, 4, &net), "");
  net.InitParams(3);
  // Biases away from zero, so that background pixels do not sit on ReLU's kink.
  for (int t = 0; t < net.num_param_tensors(); ++t) {
    const ParamView& pv = net.param(t);
    if (pv.shape.size() == 1)
      for (size_t j = 0; j < pv.size; ++j) pv.data[j] = 0.05f + 0.01f * static_cast<float>(j);
  }
  const CnnDataset d = MakeCnnDataset(s.data, s.size, s.noise, 3);
  const float* x = d.train_x.data();
  const int* y = d.train_y.data();
  net.TrainStep(x, y, 4);
  const std::vector<float> grad(net.grads(), net.grads() + net.param_count());
  int checked = 0;
  for (int t = 0; t < net.num_param_tensors(); ++t) {
    const ParamView& pv = net.param(t);
    for (size_t j : {size_t{0}, pv.size / 2, pv.size - 1}) {
      const size_t i = pv.offset + j;
      const float keep = net.params()[i];
      const float h = 1e-3f;
      net.params()[i] = keep + h;
      const double up = net.Loss(x, y, 4);
      net.params()[i] = keep - h;
      const double down = net.Loss(x, y, 4);
      net.params()[i] = keep;
      const double numeric = (up - down) / (2.0 * h);
      EXPECT_NEAR(numeric, grad[i], 2e-3 + 0.05 * std::fabs(grad[i])) << pv.name << "[" << j << "]";
      ++checked;
    }
  }
  EXPECT_EQ(checked, 3 * 6);  // conv0, conv3, dense7: weight and bias each
}

TEST(CnnLab, WeightDecayStepByHandForEitherOptimizer) {
  // Bars 16x16, seed 1, one block of 2 filters 3x3: conv0.weight [2,1,3,3], conv0.bias [2],
  // dense3.weight [4,128], dense3.bias [4]; batch 1, lr 0.1, decay 0.5 (lr * decay = 0.05).
  // The first step takes the gradient g at the initial weights w0, the same with and without
  // decay (same weights, same batch), and then:
  //   SGD (velocity 0 before the step): v = g + 0.5 w0 (weights) or g (biases); w = w0 - 0.1 v
  //     against w0 - 0.1 g without decay: 0.1 * 0.5 * w0 = 0.05 w0 lower.
  //   Adam (decoupled): w = w0 - 0.05 w0 first, then the same Adam move lr m^/(sqrt(v^) + eps)
  //     (m^ = g, v^ = g^2 on step 1) as without decay: again 0.05 w0 lower.
  // Biases: no decay, bit for bit the run without it. E.g. the first filter's first weight:
  // w0 = sqrt(6/27) (2u - 1) = 0.100988626 (Glorot from PCG32(1); golden/cnn_golden.py draws
  // it itself), so decay takes 0.05 * 0.100988626 = 0.0050494313 off it.
  CnnLabState s = CnnLabDefault();
  s.data = CnnDataKind::kBars, s.size = 16, s.seed = 1, s.blocks = 1, s.f1 = 2, s.k = 3;
  s.batch = 1, s.lr = 0.1f, s.momentum = 0.9f;
  for (CnnOptimizer opt : {CnnOptimizer::kSgd, CnnOptimizer::kAdam}) {
    s.opt = opt;
    CnnSession plain, decayed;
    s.decay = 0.0f;
    ASSERT_EQ(plain.Reset(s), "");
    const std::vector<float> w0(plain.net().params(),
                                plain.net().params() + plain.net().param_count());
    ASSERT_EQ(w0.size(), 2u * 9 + 2 + 4 * 128 + 4);
    EXPECT_FLOAT_EQ(w0[0], 0.100988626f);
    s.decay = 0.5f;
    ASSERT_EQ(decayed.Reset(s), "");
    plain.Step();
    decayed.Step();
    const float* a = plain.net().params();
    const float* b = decayed.net().params();
    EXPECT_NEAR(a[0] - b[0], 0.0050494313f, 2e-7f);
    int weights = 0, biases = 0;
    for (int t = 0; t < plain.net().num_param_tensors(); ++t) {
      const ParamView& v = plain.net().param(t);
      const bool weight = v.name.size() > 7 && v.name.substr(v.name.size() - 7) == ".weight";
      for (size_t j = v.offset; j < v.offset + v.size; ++j) {
        if (weight) {
          EXPECT_NEAR(a[j] - b[j], 0.05f * w0[j], 2e-7f) << v.name << " " << j - v.offset;
          ++weights;
        } else {
          EXPECT_EQ(a[j], b[j]) << v.name << " " << j - v.offset;
          ++biases;
        }
      }
    }
    EXPECT_EQ(weights, 18 + 512);
    EXPECT_EQ(biases, 2 + 4);
  }
}

}  // namespace
}  // namespace nnplay

namespace nnplay {
namespace {

// `nnplay eval` lists the weights before the first step and now, and the first steps
// (batch, loss, weights after each) with the images they use, so an outside tool can replay
// them. The bars preset: conv 4 x 5x5 + 4 = 104, dense 8·8·4 · 4 + 4 = 1028: 1132 weights,
// plus 16 images of 256 pixels a step: 5228 numbers, 50000 / 5228 = 9, so the trace keeps
// its 8 steps. Digits 24x24, two blocks of 16 5x5 filters, batch 32: 416 + 6416 + 5770 =
// 12602 weights plus 32 x 576 = 18432 pixels a step: one step fits.
TEST(CnnLab, EvalListsWeightsTheFirstStepsAndTheirImages) {
  const CnnLabState bars = Decoded(
      "v1/cnn?data=bars&size=16&noise=0.1&seed=1&blocks=1&f1=4&f2=8&k=5&opt=adam&lr=0.01&"
      "mom=0.9&batch=16&steps=10");
  EXPECT_EQ(CnnTraceSteps(bars, 1132), 8);
  const CnnLabResult r = EvaluateCnnLab(bars);
  ASSERT_EQ(r.param_count, 1132);
  ASSERT_EQ(r.trace.size(), 8u);
  ASSERT_EQ(r.initial_params.size(), 4u);
  EXPECT_EQ(r.initial_params[0].name, "conv0.weight");
  EXPECT_EQ(r.initial_params[0].shape, (std::vector<int>{4, 1, 5, 5}));
  EXPECT_EQ(r.initial_params[2].shape, (std::vector<int>{4, 256}));
  // 8 steps of 16 images stay in the first epoch (192 images): 128 images, each once.
  ASSERT_EQ(r.image_index.size(), 128u);
  EXPECT_EQ(r.images.size(), 128u * 256u);
  CnnSession session;
  ASSERT_EQ(session.Reset(bars), "");
  for (size_t k = 0; k < r.trace.size(); ++k) {
    session.Step();
    EXPECT_EQ(r.trace[k].batch, session.last_batch()) << k;
    EXPECT_EQ(r.trace[k].loss, session.last_loss()) << k;
    const ParamView& w = session.net().param(0);
    EXPECT_EQ(r.trace[k].params[0].values, std::vector<float>(w.data, w.data + w.size)) << k;
  }
  // The images are the training set's.
  const CnnDataset& d = session.data();
  for (size_t i = 0; i < r.image_index.size(); ++i) {
    const size_t at = static_cast<size_t>(r.image_index[i]);
    EXPECT_EQ(r.image_label[i], d.train_y[at]);
    EXPECT_TRUE(std::equal(r.images.begin() + static_cast<std::ptrdiff_t>(i * 256),
                           r.images.begin() + static_cast<std::ptrdiff_t>((i + 1) * 256),
                           d.train_x.begin() + static_cast<std::ptrdiff_t>(at * 256)));
  }
  const std::string json = CnnLabToJson(bars, r);
  EXPECT_NE(json.find("\"initial_weights\":{\"conv0.weight\":[[[["), std::string::npos);
  EXPECT_NE(json.find("\"trace\":[{\"step\":1,\"batch\":["), std::string::npos);
  EXPECT_EQ(json.find("\"step\":9,"), std::string::npos);
  EXPECT_NE(json.find("\"trace_images\":{\"index\":["), std::string::npos);
  EXPECT_LT(json.size(), 1000000u);

  const CnnLabState big = Decoded(
      "v1/cnn?data=digits&size=24&noise=0.1&seed=1&blocks=2&f1=16&f2=16&k=5&opt=sgd&lr=0.01&"
      "mom=0.9&batch=32&steps=2");
  EXPECT_EQ(CnnTraceSteps(big, 12602), 1);
  // What the page measures frame by frame holds none of it (its JSON neither).
  CnnLabResult page;
  session.Measure(&page);
  EXPECT_FALSE(page.replayed);
  EXPECT_EQ(CnnLabToJson(bars, page).find("\"trace\""), std::string::npos);
}

}  // namespace
}  // namespace nnplay

#include "labs/export.h"

namespace nnplay {
namespace {

bool Has(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

// The script builds the lab's network from torch.nn layers and names the lab's optimizer
// in torch.optim's terms: SGD's L2 decay is weight_decay, Adam's decoupled decay AdamW's
// (the biases in a group of their own, undecayed).
TEST(CnnExport, ScriptsUseTorchNnAndTorchOptim) {
  std::string script;
  LinkError error;
  ASSERT_TRUE(
      ExportLink("v1/cnn?data=bars&blocks=2&f1=4&f2=6&k=3&opt=adam&lr=0.01&decay=0.1&"
                 "batch=4&steps=20",
                 ExportLanguage::kTorch, &script, &error))
      << error.ToString();
  EXPECT_TRUE(Has(script, "torch.nn.Conv2d(1, 4, 3, padding=1),  # block 1"));
  EXPECT_TRUE(Has(script, "torch.nn.Conv2d(4, 6, 3, padding=1),  # block 2"));
  EXPECT_TRUE(Has(script, "torch.nn.Linear(96, 4)"));  // 4 x 4 x 6 after two pools of 16
  EXPECT_TRUE(Has(script,
                  "torch.optim.AdamW([{\"params\": weights, \"weight_decay\": 0.1}, "
                  "{\"params\": biases, \"weight_decay\": 0.0}], lr=0.01"));
  EXPECT_TRUE(Has(script, "TRAINED_WEIGHTS = {"));  // 20 steps > the 8 replayed
  ASSERT_TRUE(ExportLink("v1/cnn?opt=sgd&mom=0.9&lr=0.05&decay=0.01&steps=2",
                         ExportLanguage::kTorch, &script, &error));
  EXPECT_TRUE(Has(script,
                  "weight_decay\": 0.01}, {\"params\": biases, \"weight_decay\": 0.0}], "
                  "lr=0.05, momentum=0.9)"));
  EXPECT_FALSE(Has(script, "TRAINED_WEIGHTS"));
  ASSERT_TRUE(ExportLink("v1/cnn?steps=2", ExportLanguage::kNumpy, &script, &error));
  EXPECT_TRUE(Has(script, "import numpy as np"));
  EXPECT_FALSE(Has(script, "torch"));
  EXPECT_FALSE(ExportLink("v1/cnn?k=4", ExportLanguage::kTorch, &script, &error));
  EXPECT_EQ(error.field, "k");
}

}  // namespace
}  // namespace nnplay
