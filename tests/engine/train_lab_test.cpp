// train_lab_test.cpp: the training lab: datasets by construction (hand-checkable properties),
// determinism of a link, regularization against a hand-computed step, weight edits replayed,
// points added and removed, TF Playground's configuration learning the circle, the
// confusion matrix, link round trips and decode errors.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "labs/registry.h"
#include "labs/train_lab.h"

namespace nnplay {
namespace {

constexpr float kPi = 3.14159265358979f;

TrainLabState Decoded(const std::string& text) {
  Link link;
  LinkError error;
  EXPECT_TRUE(ParseLink(text, &link, &error)) << error.ToString();
  TrainLabState s;
  EXPECT_TRUE(DecodeTrainLab(link, &s, &error)) << text << "\n" << error.ToString();
  return s;
}

LinkError DecodeError(const std::string& text) {
  Link link;
  LinkError error;
  if (!ParseLink(text, &link, &error)) return error;
  TrainLabState s;
  EXPECT_FALSE(DecodeTrainLab(link, &s, &error)) << text;
  return error;
}

const TrainPreset& Preset(const std::string& id) {
  for (const TrainPreset& p : TrainPresets())
    if (id == p.id) return p;
  ADD_FAILURE() << "no preset " << id;
  return TrainPresets().front();
}

// "0,1,...,399": every generated point removed.
std::string AllIndices() {
  std::string s;
  for (int i = 0; i < TrainLabLimits::kPoints; ++i) s += (i ? "," : "") + std::to_string(i);
  return s;
}

// ---- datasets ----------------------------------------------------------------------------

TEST(TrainLab, CircleLabelsFollowTheRadiusRule) {
  // Without noise class 1 lies within radius 2.5 and class 0 in [3.5, 5]: radius 3 separates.
  const TrainDataset d = MakeTrainDataset(TrainDataKind::kCircle, 7, 0.0f, 50);
  ASSERT_EQ(d.train.size(), 200u);
  ASSERT_EQ(d.test.size(), 200u);
  int ones = 0;
  for (const auto* set : {&d.train, &d.test}) {
    for (const TrainPoint& p : *set) {
      const float r = std::sqrt(p.x * p.x + p.y * p.y);
      EXPECT_EQ(p.label, r < 3.0f ? 1 : 0) << p.x << "," << p.y;
      EXPECT_LE(r, 5.0001f);
      ones += p.label;
    }
  }
  EXPECT_EQ(ones, 200);  // half of the 400 points
}

TEST(TrainLab, XorAndBlobsLabels) {
  const TrainDataset x = MakeTrainDataset(TrainDataKind::kXor, 3, 0.0f, 70);
  EXPECT_EQ(x.train.size(), 280u);
  EXPECT_EQ(x.test.size(), 120u);
  for (const TrainPoint& p : x.train) {
    EXPECT_EQ(p.label, p.x * p.y > 0 ? 1 : 0);
    EXPECT_GE(std::fabs(p.x), 0.3f);
    EXPECT_GE(std::fabs(p.y), 0.3f);
  }
  const TrainDataset b = MakeTrainDataset(TrainDataKind::kBlobs3, 3, 0.0f, 50);
  EXPECT_EQ(b.classes, 3);
  int counts[3] = {0, 0, 0};
  for (const auto* set : {&b.train, &b.test})
    for (const TrainPoint& p : *set) ++counts[p.label];
  // 400 points split as i*3/400: 134, 133, 133.
  EXPECT_EQ(counts[0], 134);
  EXPECT_EQ(counts[1], 133);
  EXPECT_EQ(counts[2], 133);
}

TEST(TrainLab, TwoGaussiansSitAroundTheirCentres) {
  // Class 0 at (-2, -2), class 1 at (2, 2), sd 0.5: Irwin-Hall keeps every coordinate within
  // 6 sd = 3 of its centre, so class 1 lies in x + y > 4 - 6 = -2 ... and the halves are
  // 200 / 200 (i * 2 / 400).
  const TrainDataset d = MakeTrainDataset(TrainDataKind::kGauss, 2, 0.0f, 50);
  int ones = 0;
  for (const auto* set : {&d.train, &d.test}) {
    for (const TrainPoint& p : *set) {
      const float c = p.label ? 2.0f : -2.0f;
      EXPECT_LE(std::fabs(p.x - c), 3.0f);
      EXPECT_LE(std::fabs(p.y - c), 3.0f);
      ones += p.label;
    }
  }
  EXPECT_EQ(ones, 200);
}

TEST(TrainLab, BlobsWithKClasses) {
  // k = 5: 400 points as i*5/400, 80 per class; class c centred at radius 3.5, angle
  // 90 + 72 c degrees: class 0 at (0, 3.5), class 1 at (3.5 cos 162, 3.5 sin 162) =
  // (-3.3287, 1.0816). sd 0.5, so the mean of 80 points lies within 0.2 of the centre
  // (standard error 0.5 / sqrt(80) = 0.056).
  const TrainDataset d = MakeTrainDataset(TrainDataKind::kBlobs, 4, 0.0f, 50, 5);
  EXPECT_EQ(d.classes, 5);
  int counts[5] = {};
  double sx[5] = {}, sy[5] = {};
  for (const auto* set : {&d.train, &d.test}) {
    for (const TrainPoint& p : *set) {
      ASSERT_GE(p.label, 0);
      ASSERT_LT(p.label, 5);
      ++counts[p.label];
      sx[p.label] += p.x, sy[p.label] += p.y;
    }
  }
  for (int c = 0; c < 5; ++c) EXPECT_EQ(counts[c], 80);
  EXPECT_NEAR(sx[0] / 80, 0.0, 0.2);
  EXPECT_NEAR(sy[0] / 80, 3.5, 0.2);
  EXPECT_NEAR(sx[1] / 80, -3.3287, 0.2);
  EXPECT_NEAR(sy[1] / 80, 1.0816, 0.2);
  // The state's class count reaches the dataset through the link field.
  const TrainDataset four = MakeTrainDataset(Decoded("v1/train?data=blobs&classes=4"));
  EXPECT_EQ(four.classes, 4);
}

TEST(TrainLab, SpiralsWithKArms) {
  // k = 3 arms of 134, 133, 133 points (arm c starts at ceil(400 c / 3)). Without noise a
  // point of arm c at radius r has x = r sin t, y = r cos t with t = 1.75 turns * r / 5 +
  // c * 120 degrees, so atan2(x, y) - t is a multiple of 2 pi.
  const TrainDataset d = MakeTrainDataset(TrainDataKind::kSpirals, 5, 0.0f, 50, 3);
  int counts[3] = {};
  for (const auto* set : {&d.train, &d.test}) {
    for (const TrainPoint& p : *set) {
      ++counts[p.label];
      const float r = std::sqrt(p.x * p.x + p.y * p.y);
      EXPECT_LE(r, 5.0f);
      if (r < 0.1f) continue;
      const float t = 1.75f * 2.0f * kPi * r / 5.0f + 2.0f * kPi * static_cast<float>(p.label) / 3;
      float diff = std::fmod(std::atan2(p.x, p.y) - t, 2.0f * kPi);
      if (diff < -kPi) diff += 2 * kPi;
      if (diff > kPi) diff -= 2 * kPi;
      EXPECT_NEAR(diff, 0.0f, 1e-3f) << p.x << "," << p.y << " arm " << p.label;
    }
  }
  EXPECT_EQ(counts[0], 134);
  EXPECT_EQ(counts[1], 133);
  EXPECT_EQ(counts[2], 133);
}

TEST(TrainLab, RegressionTargets) {
  // Plane: (x + y) / 10, clamped to [-1, 1].
  EXPECT_FLOAT_EQ(TrainPlaneTarget(3, 2), 0.5f);
  EXPECT_FLOAT_EQ(TrainPlaneTarget(-2.5f, -2.5f), -0.5f);
  EXPECT_FLOAT_EQ(TrainPlaneTarget(6, 6), 1.0f);  // 1.2 clamped
  // Six bumps +-1 at (-4|0|4, +-2.5), falling as 1 - d/2 to 0 at distance 2.
  EXPECT_FLOAT_EQ(TrainMultiGaussTarget(-4, 2.5f), 1.0f);
  EXPECT_FLOAT_EQ(TrainMultiGaussTarget(0, 2.5f), -1.0f);
  EXPECT_FLOAT_EQ(TrainMultiGaussTarget(1, 2.5f), -0.5f);    // d = 1 from (0, 2.5)
  EXPECT_FLOAT_EQ(TrainMultiGaussTarget(-4, -1.5f), -0.5f);  // d = 1 from (-4, -2.5), sign -
  EXPECT_FLOAT_EQ(TrainMultiGaussTarget(0, 0), 0.0f);        // 2.5 from the nearest bump
  EXPECT_FLOAT_EQ(TrainMultiGaussTarget(2, 2.5f), 0.0f);     // 2 from both neighbours
  // Without noise every generated point carries the target of where it is.
  for (TrainDataKind k : {TrainDataKind::kPlane, TrainDataKind::kMultiGauss}) {
    const TrainDataset d = MakeTrainDataset(k, 3, 0.0f, 50);
    EXPECT_EQ(d.classes, 1);
    for (const TrainPoint& p : d.train) {
      const float want =
          k == TrainDataKind::kPlane ? TrainPlaneTarget(p.x, p.y) : TrainMultiGaussTarget(p.x, p.y);
      EXPECT_EQ(p.value, want);
      EXPECT_LE(std::fabs(p.x), 6.0f);
      EXPECT_LE(std::fabs(p.value), 1.0f);
    }
  }
}

TEST(TrainLab, DatasetIsDeterministicAndSeedDependent) {
  const TrainDataset a = MakeTrainDataset(TrainDataKind::kSpiral, 5, 0.2f, 50);
  const TrainDataset b = MakeTrainDataset(TrainDataKind::kSpiral, 5, 0.2f, 50);
  const TrainDataset c = MakeTrainDataset(TrainDataKind::kSpiral, 6, 0.2f, 50);
  ASSERT_EQ(a.train.size(), b.train.size());
  bool differs = false;
  for (size_t i = 0; i < a.train.size(); ++i) {
    EXPECT_EQ(std::memcmp(&a.train[i], &b.train[i], sizeof(TrainPoint)), 0);
    differs |= a.train[i].x != c.train[i].x;
  }
  EXPECT_TRUE(differs);
}

TEST(TrainLab, PointsAddedAndRemoved) {
  TrainLabState s = TrainLabDefault();
  ASSERT_TRUE(TrainAddPoint(&s, 1.234f, -0.456f, 1));
  EXPECT_EQ(s.added[0].x, 1.23f);  // rounded to 2 decimals
  EXPECT_EQ(s.added[0].y, -0.46f);
  EXPECT_FALSE(TrainAddPoint(&s, 7.0f, 0.0f, 0));  // off the plane
  TrainDataset d = MakeTrainDataset(s);
  EXPECT_EQ(d.train.size(), 201u);
  EXPECT_EQ(d.train.back().id, -1);
  EXPECT_EQ(d.train.back().label, 1);
  EXPECT_NE(EncodeTrainLab(s).find("&add=1.23,-0.46,1"), std::string::npos);
  // Removing next to the added point removes it; next to a generated one records its index.
  ASSERT_TRUE(TrainRemoveNearestPoint(&s, 1.24f, -0.45f, 0.05f));
  EXPECT_TRUE(s.added.empty());
  const TrainPoint p = d.test[7];
  ASSERT_TRUE(TrainRemoveNearestPoint(&s, p.x, p.y, 0.01f));
  ASSERT_EQ(s.removed.size(), 1u);
  EXPECT_EQ(s.removed[0], p.id);
  EXPECT_EQ(MakeTrainDataset(s).test.size(), 199u);
  EXPECT_NE(EncodeTrainLab(s).find("&rm=" + std::to_string(p.id)), std::string::npos);
  EXPECT_EQ(Decoded(EncodeTrainLab(s)), s);
  // At most 200 added points.
  for (int i = 0; i < 250; ++i) TrainAddPoint(&s, 0.0f, 0.0f, 0);
  EXPECT_EQ(s.added.size(), 200u);
  // Regression values are clamped to [-1, 1] and kept to 2 decimals.
  TrainLabState r = Preset("plane").state;
  ASSERT_TRUE(TrainAddPoint(&r, 0, 0, 1.5f));
  EXPECT_EQ(r.added[0].v, 1.0f);
}

// ---- the learner's CSV ---------------------------------------------------------------------

TEST(TrainLab, CsvImportReplacesTheDataAndTheLinkReopensIt) {
  TrainLabState s = TrainLabDefault();  // circle: classes 0, 1
  s.steps = 50;
  s.edits.push_back({3, 0, 0.5f});
  // A header, CRLF, spaces, a blank line, 3 decimals (rounded to 2 as a link holds them).
  ASSERT_EQ(TrainImportCsv(&s, "x,y,label\r\n1.234, -0.5 ,1\r\n\r\n-6,6,0\r\n2e-1,3,1"), "");
  ASSERT_EQ(s.added.size(), 3u);
  EXPECT_EQ(s.added[0], (TrainAddedPoint{1.23f, -0.5f, 1}));
  EXPECT_EQ(s.added[1], (TrainAddedPoint{-6, 6, 0}));
  EXPECT_EQ(s.added[2], (TrainAddedPoint{0.2f, 3, 1}));
  EXPECT_EQ(s.removed.size(), 400u);  // every generated point
  EXPECT_EQ(s.steps, 0);              // training starts over
  EXPECT_TRUE(s.edits.empty());
  // Imported: split like generated data, 50% of 3 = 1 for training (3 * 50 / 100, rounded
  // down), 2 for test.
  EXPECT_EQ(s.imported, 3);
  const TrainDataset d = MakeTrainDataset(s);
  ASSERT_EQ(d.train.size(), 1u);
  EXPECT_EQ(d.test.size(), 2u);
  // The link holds exactly these points and reopens them.
  const std::string link = EncodeTrainLab(s);
  EXPECT_NE(link.find("&add=1.23,-0.5,1;-6,6,0;0.2,3,1&imp=3&rm="), std::string::npos) << link;
  EXPECT_EQ(Decoded(link), s);
  // No header: the first line is a point. 200 points fit in a link.
  std::string csv;
  for (int i = 0; i < 200; ++i)
    csv += std::to_string(i % 11 - 5) + ".25," + std::to_string(5 - i % 11) + ".75," +
           std::to_string(i % 2) + "\n";
  ASSERT_EQ(TrainImportCsv(&s, csv), "");
  EXPECT_EQ(s.added.size(), 200u);
  EXPECT_EQ(s.added[0], (TrainAddedPoint{-5.25f, 5.75f, 0}));
  EXPECT_EQ(s.added[199], (TrainAddedPoint{-4.25f, 4.75f, 1}));
  const std::string long_link = EncodeTrainLab(s);
  EXPECT_LE(long_link.size(), kMaxLinkLength);
  EXPECT_EQ(Decoded(long_link), s);
  EXPECT_EQ(EvaluateTrainLab(Decoded(long_link)).train_count, 100);  // 200 * 50%
  EXPECT_EQ(EvaluateTrainLab(Decoded(long_link)).test_count, 100);
}

// Imported points are split like generated ones: shuffled from the seed (PCG32 stream 3003),
// the first split% (rounded down, at least one) train. Each point lands in exactly one set,
// the same way every time; points added by hand after them are training points; the link
// reopens the same split; and a link with `add` but no `imp` (every link before it) keeps
// all of its added points for training.
TEST(TrainLab, ImportedPointsAreSplitIntoTrainAndTestFromTheSeed) {
  TrainLabState s = TrainLabDefault();
  ASSERT_EQ(s.split, 50);
  std::string csv = "x,y,label\n";
  for (int i = 0; i < 20; ++i)
    csv += std::to_string(i % 10 - 5) + "," + std::to_string(i / 10) + "," + std::to_string(i % 2) +
           "\n";
  ASSERT_EQ(TrainImportCsv(&s, csv), "");
  ASSERT_EQ(s.imported, 20);
  TrainDataset d = MakeTrainDataset(s);
  ASSERT_EQ(d.train.size(), 10u);  // 20 * 50 / 100
  ASSERT_EQ(d.test.size(), 10u);
  std::vector<int> seen(20, 0);
  for (const auto* set : {&d.train, &d.test}) {
    for (const TrainPoint& p : *set) {
      ASSERT_LT(p.id, 0);
      const size_t i = static_cast<size_t>(-p.id - 1);
      ASSERT_LT(i, 20u);
      ++seen[i];
      EXPECT_EQ(p.x, s.added[i].x);  // the point itself, its label
      EXPECT_EQ(p.label, static_cast<int>(s.added[i].v));
    }
  }
  for (int n : seen) EXPECT_EQ(n, 1);
  // Each set keeps the order of `added`.
  for (size_t k = 1; k < d.test.size(); ++k) EXPECT_LT(d.test[k].id, d.test[k - 1].id);
  // Deterministic, and from the seed: another seed splits otherwise (20 choose 10 = 184,756
  // ways; the same test set by chance is unlikely), the same seed the same way.
  EXPECT_EQ(MakeTrainDataset(s).test.size(), d.test.size());
  for (size_t k = 0; k < d.test.size(); ++k)
    EXPECT_EQ(MakeTrainDataset(s).test[k].id, d.test[k].id);
  TrainLabState other = s;
  other.seed = 2;
  const TrainDataset o = MakeTrainDataset(other);
  ASSERT_EQ(o.test.size(), 10u);
  bool differs = false;
  for (size_t k = 0; k < o.test.size(); ++k) differs |= o.test[k].id != d.test[k].id;
  EXPECT_TRUE(differs);
  // split 90: 18 train, 2 test; split 10: 2 train, 18 test.
  other = s;
  other.split = 90;
  EXPECT_EQ(MakeTrainDataset(other).test.size(), 2u);
  other.split = 10;
  EXPECT_EQ(MakeTrainDataset(other).train.size(), 2u);
  // One imported point trains (at least one).
  TrainLabState one = TrainLabDefault();
  ASSERT_EQ(TrainImportCsv(&one, "1,1,1\n"), "");
  EXPECT_EQ(MakeTrainDataset(one).train.size(), 1u);
  EXPECT_TRUE(MakeTrainDataset(one).test.empty());
  // The test loss is over the imported test points.
  const TrainLabResult r = EvaluateTrainLab(s);
  EXPECT_EQ(r.train_count, 10);
  EXPECT_EQ(r.test_count, 10);
  EXPECT_GT(r.test_loss, 0.0f);
  // A point added by hand afterwards trains; the imported split stays as it was.
  ASSERT_TRUE(TrainAddPoint(&s, 2, 2, 1));
  EXPECT_EQ(s.imported, 20);
  const TrainDataset h = MakeTrainDataset(s);
  EXPECT_EQ(h.train.size(), 11u);
  EXPECT_EQ(h.train.back().id, -21);
  ASSERT_EQ(h.test.size(), d.test.size());
  for (size_t k = 0; k < h.test.size(); ++k) EXPECT_EQ(h.test[k].id, d.test[k].id);
  const std::string link = EncodeTrainLab(s);
  EXPECT_NE(link.find("&imp=20&rm=0,1,2,"), std::string::npos) << link;
  EXPECT_EQ(Decoded(link), s);
  // Removing an imported point by hand: one fewer imported.
  const TrainPoint gone = h.test[0];
  ASSERT_TRUE(TrainRemoveNearestPoint(&s, gone.x, gone.y, 0.01f));
  EXPECT_EQ(s.imported, 19);
  EXPECT_EQ(s.added.size(), 20u);
  // "restore" clears the added points: nothing imported is left (NormalizeTrainLab).
  s.added.clear();
  NormalizeTrainLab(&s);
  EXPECT_EQ(s.imported, 0);
  EXPECT_EQ(EncodeTrainLab(s).find("imp="), std::string::npos);
  // Without `imp` (a link with added points from before it), every added point trains.
  TrainLabState old = Decoded(
      "v1/train?data=circle&seed=1&noise=0&split=50&feat=x,y&layers=4,4&act=tanh&opt=adam"
      "&lr=0.03&mom=0.9&batch=10&steps=0&add=1,1,0;2,2,1;3,3,0;-1,-1,1");
  EXPECT_EQ(old.imported, 0);
  const TrainDataset od = MakeTrainDataset(old);
  EXPECT_EQ(od.train.size(), 200u + 4u);
  EXPECT_EQ(od.test.size(), 200u);
}

TEST(TrainLab, ImpFieldIsValidated) {
  const std::string base =
      "v1/train?data=circle&seed=1&noise=0&split=50&feat=x,y&layers=4,4&act=tanh&opt=adam"
      "&lr=0.03&mom=0.9&batch=10&steps=0";
  for (const char* bad : {"&imp=1", "&add=1,1,0;2,2,1&imp=3", "&add=1,1,0&imp=0",
                          "&add=1,1,0&imp=-1", "&add=1,1,0&imp=x", "&add=1,1,0&imp="}) {
    Link link;
    LinkError error;
    ASSERT_TRUE(ParseLink(base + bad, &link, &error)) << bad;
    TrainLabState s;
    EXPECT_FALSE(DecodeTrainLab(link, &s, &error)) << bad;
    EXPECT_EQ(error.field, "imp") << bad << ": " << error.ToString();
  }
}

TEST(TrainLab, CsvRegressionTakesValues) {
  TrainLabState s = Preset("plane").state;
  ASSERT_EQ(TrainImportCsv(&s, "x,y,value\n1,2,-0.25\n3,-4,1\n0,0,0.333\n"), "");
  ASSERT_EQ(s.added.size(), 3u);
  EXPECT_EQ(s.added[0].v, -0.25f);
  EXPECT_EQ(s.added[1].v, 1.0f);
  EXPECT_EQ(s.added[2].v, 0.33f);
  const TrainDataset d = MakeTrainDataset(s);
  ASSERT_EQ(d.train.size() + d.test.size(), 3u);
  EXPECT_EQ(d.train.size(), static_cast<size_t>(std::max(1, 3 * s.split / 100)));
  EXPECT_EQ(Decoded(EncodeTrainLab(s)), s);
  EXPECT_EQ(TrainImportCsv(&s, "1,2,1.5"), "line 1: value = 1.5 lies outside [-1, 1]");
}

TEST(TrainLab, CsvBadLineNamesItsNumberAndKeepsTheData) {
  TrainLabState s = TrainLabDefault();
  ASSERT_TRUE(TrainAddPoint(&s, 1, 1, 1));
  s.steps = 7;
  const TrainLabState before = s;
  struct Case {
    const char* csv;
    const char* error;
  };
  const Case cases[] = {
      {"x,y,label\n1,2,0\n1,2\n", "line 3: expected 3 fields x,y,label, found 2"},
      {"1,2,0\n\n1,2,0,4\n", "line 3: expected 3 fields x,y,label, found 4"},
      {"1,2,0\nabc,2,0\n", "line 2: x \"abc\" is not a number"},
      {"1,,0\n", "line 1: y \"\" is not a number"},
      {"1,2,one\n", "line 1: label \"one\" is not a number"},
      {"1,2,1e999\n", "line 1: label \"1e999\" is not a number"},
      {"1,6.5,0\n", "line 1: y = 6.5 lies off the plane (x and y lie in [-6, 6])"},
      {"-7,0,0\n", "line 1: x = -7 lies off the plane (x and y lie in [-6, 6])"},
      {"1,2,2\n",
       "line 1: label 2 is not a class of this dataset (0..1; for a value pick a "
       "regression dataset)"},
      {"1,2,0.5\n",
       "line 1: label 0.5 is not a class of this dataset (0..1; for a value pick a "
       "regression dataset)"},
      {"1,2,-1\n",
       "line 1: label -1 is not a class of this dataset (0..1; for a value pick a "
       "regression dataset)"},
      {"x,y,label\nx,y,label\n", "line 2: x \"x\" is not a number"},  // one header only
      {"", "the CSV holds no points (one x,y,label a line)"},
      {"x,y,label\n\n", "the CSV holds no points (one x,y,label a line)"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(TrainImportCsv(&s, c.csv), c.error) << c.csv;
    EXPECT_EQ(s, before) << c.csv;
  }
  // Limits: 201 points name the 201st point's line; more than kMaxBytes is refused unread.
  std::string csv = "x,y,label\n";
  for (int i = 0; i < 201; ++i) csv += "1,1,0\n";
  EXPECT_EQ(TrainImportCsv(&s, csv), "line 202: more than 200 points (the most a link holds)");
  EXPECT_EQ(s, before);
  const std::string big(TrainCsvLimits::kMaxBytes + 1, '\n');
  EXPECT_EQ(TrainImportCsv(&s, big), "the CSV has 16385 bytes; at most 16384 are read");
  EXPECT_EQ(s, before);
  // A blobs lab with 5 classes takes labels 0..4.
  TrainLabState b = Preset("blobs5").state;
  ASSERT_EQ(TrainImportCsv(&b, "\xEF\xBB\xBFx,y,label\n0,0,4\n"), "");
  EXPECT_EQ(b.added[0].v, 4.0f);
}

// ---- training ------------------------------------------------------------------------------

TEST(TrainLab, SameLinkGivesBitIdenticalWeightsAndLoss) {
  for (const char* id : {"playground", "mgauss", "blobs5"}) {
    TrainLabState s = Preset(id).state;
    s.steps = 300;
    TrainSession one, two;
    one.Reset(s);
    two.Reset(s);
    for (int i = 0; i < s.steps; ++i) one.Step();
    for (int i = 0; i < s.steps; ++i) two.Step();
    ASSERT_EQ(one.param_count(), two.param_count());
    EXPECT_EQ(std::memcmp(one.params(), two.params(),
                          static_cast<size_t>(one.param_count()) * sizeof(float)),
              0);
    const TrainLabResult a = EvaluateTrainLab(s), b = EvaluateTrainLab(s);
    EXPECT_EQ(a.train_loss, b.train_loss);
    EXPECT_EQ(a.test_loss, b.test_loss);
    EXPECT_EQ(a.grid, b.grid);
    // Training step by step and measuring equals replaying from the link.
    TrainLabResult c;
    one.Measure(&c);
    EXPECT_EQ(a.test_loss, c.test_loss);
    EXPECT_EQ(a.params, c.params);
    EXPECT_EQ(a.history.size(), c.history.size());
  }
}

TEST(TrainLab, CirclePresetLearns) {
  TrainLabState s = TrainPresets()[0].state;
  ASSERT_EQ(std::string(TrainPresets()[0].id), "circle");
  const TrainLabResult before = EvaluateTrainLab(s);
  s.steps = 1500;
  const TrainLabResult r = EvaluateTrainLab(s);
  EXPECT_EQ(r.error, "");
  EXPECT_GE(r.test_acc, 0.9f);
  EXPECT_LT(r.test_loss, before.test_loss);
  ASSERT_EQ(r.grad_norms.size(), 3u);  // 2 hidden layers + the head
  for (const TrainLayerNorm& n : r.grad_norms) EXPECT_GT(n.norm, 0.0f) << n.name;
  EXPECT_LE(static_cast<int>(r.history.size()), TrainLabLimits::kHistory);
  EXPECT_EQ(r.history.front().step, 0);
  // The grid (100 x 100, cell centres): class 1 (inside) near the centre is positive, the
  // corner cell (6, 6) at (-5.1, 5.1), radius 7.2, is class 0: negative.
  const int g = TrainLabLimits::kGrid;
  EXPECT_EQ(g, 100);
  EXPECT_GT(r.grid.data()[(g / 2) * g + g / 2], 0.0f);
  EXPECT_LT(r.grid.data()[g * 6 + 6], 0.0f);
}

TEST(TrainLab, PlaygroundModeLearnsTheCircle) {
  // TF Playground's own configuration (4-2 tanh, one tanh output, half squared error on +-1,
  // U(-0.5, 0.5) weights, biases 0.1, SGD 0.03, batch 10). The noiseless circle has a gap
  // between radius 2.5 and 3.5, so a closed boundary classifies every point; 4-2 tanh units
  // can draw one. 4000 steps = 200 epochs of the 200 training points, about where the
  // Playground's own demo reaches a test loss near 0.01. We ask for >= 97% of the 200 test
  // points (at most 6 wrong, all near the gap). Measured when this was written: 200/200 at
  // 1000 steps and after; seeds 2-5 at 4000 steps: 199 or 200 of 200.
  TrainLabState s = Preset("playground").state;
  EXPECT_EQ(EncodeTrainLab(s),
            "v1/train?data=circle&seed=1&noise=0&split=50&feat=x,y&layers=4,2&act=tanh&loss=mse&"
            "init=uniform&opt=sgd&lr=0.03&mom=0&batch=10&steps=0");
  const TrainLabResult start = EvaluateTrainLab(s);
  EXPECT_EQ(start.outputs, 1);
  // InitUniform: biases 0.1, weights in [-0.5, 0.5).
  for (const TrainLayerShape& l : start.layers) {
    for (int i = 0; i < l.out; ++i) EXPECT_EQ(start.params[static_cast<size_t>(l.b + i)], 0.1f);
    for (int i = 0; i < l.in * l.out; ++i)
      EXPECT_LE(std::fabs(start.params[static_cast<size_t>(l.w + i)]), 0.5f);
  }
  s.steps = 4000;
  const TrainLabResult r = EvaluateTrainLab(s);
  EXPECT_GE(r.test_acc, 0.97f) << "test loss " << r.test_loss;
  EXPECT_LT(r.test_loss, 0.1f);
  EXPECT_LT(r.test_loss, start.test_loss);
}

TEST(TrainLab, RegularizationMatchesAHandComputedStep) {
  // One training point (2, 1) with target 0.3 on the plane (every generated point removed),
  // feature x only, no hidden layer: y = w x + b. The edit at step 0 sets w = 0.5, b = 0.
  // One plain SGD step, lr 0.1, batch 1:
  //   y = 0.5 * 2 = 1, loss = 0.5 (1 - 0.3)^2 = 0.245, dL/dy = 0.7, gw = 1.4, gb = 0.7.
  //   L2 rate 0.1: w = 0.5 - 0.1 * 1.4 - 0.1 * 0.1 * 0.5 = 0.355; b = -0.07 (no penalty).
  //   L1 rate 0.1: w = 0.5 - 0.14 - 0.1 * 0.1 * 1 = 0.35; b = -0.07.
  const std::string base =
      "v1/train?data=plane&feat=x&layers=&opt=sgd&lr=0.1&mom=0&batch=1&"
      "steps=1&add=2,1,0.3&rm=" +
      AllIndices() + "&edit=0,0,0.5;0,1,0";
  for (const auto& [reg, w] :
       {std::pair<const char*, float>{"none", 0.36f}, {"l2", 0.355f}, {"l1", 0.35f}}) {
    const TrainLabState s = Decoded(base + "&reg=" + reg + "&rate=0.1");
    const TrainLabResult r = EvaluateTrainLab(s);
    ASSERT_EQ(r.error, "");
    ASSERT_EQ(r.train_count, 1);
    ASSERT_EQ(r.test_count, 0);
    ASSERT_EQ(r.params.size(), 2u);
    EXPECT_NEAR(r.params[0], w, 1e-6f) << reg;
    EXPECT_NEAR(r.params[1], -0.07f, 1e-6f) << reg;
    EXPECT_NEAR(r.last_batch_loss, 0.245f, 1e-6f) << reg;  // the penalty is not in the loss
  }
  // L1 pulls a small weight to exactly 0 rather than across it: w = 0.01 with target 0.02
  // gives y = 0.02, no gradient; 0.01 - 0.1 * 0.5 * 1 = -0.04 would cross zero: 0.
  const TrainLabResult z = EvaluateTrainLab(
      Decoded("v1/train?data=plane&feat=x&layers=&opt=sgd&lr=0.1&mom=0&batch=1&steps=1&"
              "add=2,1,0.02&reg=l1&rate=0.5&rm=" +
              AllIndices() + "&edit=0,0,0.01;0,1,0"));
  EXPECT_EQ(z.params[0], 0.0f);
}

TEST(TrainLab, EditsReplayAtTheirStep) {
  TrainLabState s = TrainLabDefault();
  s.steps = 50;
  const int params = TrainParamCount(s);
  EXPECT_EQ(params, (2 + 1) * 4 + (4 + 1) * 4 + (4 + 1) * 2);  // 12 + 20 + 10 = 42
  TrainLabState edited = s;
  edited.edits = {{0, 3, 1.5f}, {20, 0, -2.0f}, {20, 41, 0.25f}, {50, 7, 0.125f}};
  // By hand: reset, step 20 times, set the two weights, step 30 more.
  TrainSession manual;
  TrainLabState plain = s;
  manual.Reset(plain);
  manual.SetParam(3, 1.5f);
  for (int i = 0; i < 20; ++i) manual.Step();
  manual.SetParam(0, -2.0f);
  manual.SetParam(41, 0.25f);
  for (int i = 0; i < 30; ++i) manual.Step();
  manual.SetParam(7, 0.125f);
  const TrainLabResult r = EvaluateTrainLab(edited);
  ASSERT_EQ(r.params.size(), static_cast<size_t>(params));
  EXPECT_EQ(std::memcmp(r.params.data(), manual.params(), r.params.size() * sizeof(float)), 0);
  EXPECT_EQ(r.params[7], 0.125f);  // the edit at the last step is the value itself
  EXPECT_NE(r.params, EvaluateTrainLab(s).params);
  // Through the link.
  const std::string link = EncodeTrainLab(edited);
  EXPECT_NE(link.find("&edit=0,3,1.5;20,0,-2;20,41,0.25;50,7,0.125"), std::string::npos) << link;
  EXPECT_EQ(Decoded(link), edited);
  EXPECT_EQ(EvaluateTrainLab(Decoded(link)).params, r.params);
}

TEST(TrainLab, ConfusionMatrixSumsToTheTestSetAndMatchesAccuracy) {
  for (const char* id : {"circle", "blobs5", "gauss3", "playground"}) {
    TrainLabState s = Preset(id).state;
    s.steps = 400;
    const TrainLabResult r = EvaluateTrainLab(s);
    const int k = r.classes;
    ASSERT_EQ(r.confusion.size(), static_cast<size_t>(k * k)) << id;
    int total = 0, diagonal = 0;
    for (int t = 0; t < k; ++t)
      for (int p = 0; p < k; ++p) {
        total += r.confusion[static_cast<size_t>(t * k + p)];
        if (t == p) diagonal += r.confusion[static_cast<size_t>(t * k + p)];
      }
    EXPECT_EQ(total, r.test_count) << id;
    EXPECT_FLOAT_EQ(static_cast<float>(diagonal) / static_cast<float>(total), r.test_acc) << id;
  }
  const TrainLabResult reg = EvaluateTrainLab(Preset("mgauss").state);
  EXPECT_TRUE(reg.regression);
  EXPECT_TRUE(reg.confusion.empty());
}

TEST(TrainLab, EveryPresetTrains) {
  for (const TrainPreset& p : TrainPresets()) {
    TrainLabState s = p.state;
    const TrainLabResult before = EvaluateTrainLab(s);
    s.steps = 150;
    const TrainLabResult r = EvaluateTrainLab(s);
    EXPECT_EQ(r.error, "") << p.id;
    EXPECT_LT(r.train_loss, before.train_loss) << p.id;
    EXPECT_EQ(static_cast<int>(r.params.size()), TrainParamCount(s)) << p.id;
  }
}

TEST(TrainLab, NeuronMapsHoldEveryHiddenUnit) {
  TrainLabState s = Preset("playground").state;
  TrainSession session;
  ASSERT_EQ(session.Reset(s), "");
  std::vector<float> maps;
  session.NeuronMaps(&maps);
  const size_t cells = TrainLabLimits::kThumb * TrainLabLimits::kThumb;
  ASSERT_EQ(maps.size(), 6 * cells);  // 4 + 2 hidden units
  // Unit 0 of layer 1 is tanh(w0 x + w1 y + b) at the cell centres; the top-left centre is
  // (-6 + 12 * 0.5 / 32, 6 - 12 * 0.5 / 32) = (-5.8125, 5.8125).
  const float* p = session.params();
  const float x = -5.8125f, y = 5.8125f;
  EXPECT_NEAR(maps[0], std::tanh(p[0] * x + p[1] * y + p[8]), 1e-5f);
  // The feature maps: x then y at the same cell centres; cell (0, 1) is at x = -5.4375.
  std::vector<float> features;
  session.FeatureMaps(&features);
  ASSERT_EQ(features.size(), 2 * cells);
  EXPECT_EQ(features[0], x);
  EXPECT_EQ(features[1], -5.4375f);
  EXPECT_EQ(features[cells], y);
}

// ---- link --------------------------------------------------------------------------------

TEST(TrainLab, PresetsRoundTripAndBuild) {
  for (const TrainPreset& p : TrainPresets()) {
    const std::string link = EncodeTrainLab(p.state);
    const TrainLabState s = Decoded(link);
    EXPECT_EQ(s, p.state) << link;
    EXPECT_EQ(EncodeTrainLab(s), link);
    TrainLabState short_run = s;
    short_run.steps = 5;
    EXPECT_EQ(EvaluateTrainLab(short_run).error, "") << p.id;
  }
  const std::string link =
      "v1/train?data=spiral&seed=9&noise=0.25&split=70&feat=x,y,x2,y2,xy,sinx,siny&layers=8,8,8,"
      "8,8,8&act=relu&opt=sgd&lr=0.1&mom=0.5&batch=64&steps=20000";
  EXPECT_EQ(EncodeTrainLab(Decoded(link)), link);
  EXPECT_EQ(Decoded("v1/train?layers=").layers.size(), 0u);
  std::string json;
  LinkError error;
  EXPECT_TRUE(EvalLinkToJson("v1/train?steps=3", &json, &error)) << error.ToString();
  EXPECT_NE(json.find("\"lab\":\"train\""), std::string::npos);
}

TEST(TrainLab, OptionalFieldsRoundTripAndDefaultsAreOmitted) {
  // Every optional field away from its default, in canonical order.
  const std::string full =
      "v1/train?data=spirals&classes=5&seed=3&noise=0.1&split=60&feat=x,y&layers=16,16,16,16,"
      "16,16,16,16&act=relu,tanh,sigmoid,linear,relu,relu,relu,relu&loss=mse&reg=l1&rate=0.03&"
      "init=uniform&opt=sgd&lr=0.03&mom=0&batch=10&steps=12&add=1.5,-2,4;0,0,0&rm=3,17,399&"
      "edit=0,0,0.5;12,100,-1.25";
  const TrainLabState s = Decoded(full);
  EXPECT_EQ(s.classes, 5);
  EXPECT_EQ(s.layer_acts.size(), 8u);
  EXPECT_EQ(TrainLayerActivation(s, 3), TrainActivation::kLinear);
  EXPECT_EQ(s.added.size(), 2u);
  EXPECT_EQ(s.removed, (std::vector<int>{3, 17, 399}));
  EXPECT_EQ(s.edits.size(), 2u);
  EXPECT_EQ(EncodeTrainLab(s), full);
  // One activation per layer, all the same, is written as one.
  EXPECT_EQ(Decoded("v1/train?layers=4,4&act=relu,relu").layer_acts.size(), 0u);
  EXPECT_NE(EncodeTrainLab(Decoded("v1/train?layers=4,4&act=relu,relu")).find("&act=relu&"),
            std::string::npos);
  // Defaults given explicitly are omitted; classes only matter for blobs and spirals.
  const std::string defaults =
      EncodeTrainLab(Decoded("v1/train?classes=4&loss=ce&reg=none&rate=0.001&init=glorot"));
  EXPECT_EQ(defaults, EncodeTrainLab(TrainLabDefault()));
  // Per-layer activations reach the JSON.
  std::string json;
  LinkError error;
  ASSERT_TRUE(EvalLinkToJson("v1/train?layers=3,2&act=relu,linear", &json, &error));
  EXPECT_NE(json.find("\"activations\":[\"relu\",\"linear\"]"), std::string::npos);
  const TrainLabState w = Decoded("v1/train?layers=3&steps=2");
  const std::string with = TrainLabToJson(w, EvaluateTrainLab(w));
  EXPECT_NE(with.find("\"weights\":[{\"in\":2,\"out\":3,\"offset\":0,\"W\":["), std::string::npos);
  // The page's export leaves the weights out unless asked (the trace's steps keep theirs).
  const std::string without = TrainLabToJsonWithWeights(w, EvaluateTrainLab(w), false);
  auto count = [](const std::string& text, const std::string& part) {
    size_t n = 0;
    for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
    return n;
  };
  EXPECT_EQ(count(with, "\"weights\":"), 3u);  // now, and after each of the 2 steps
  EXPECT_EQ(count(without, "\"weights\":"), 2u);
}

// The cap is ⌊10⁶ µs / (2 µs + 1 ns · P · batch)⌋ clamped to [20000, 1000000], P the
// parameter count. By hand:
// - playground 2-4-2-1: P = 3·4 + 5·2 + 3·1 = 25, 2 + 0.25 = 2.25 µs → 444,444;
// - spiral preset, 7 features, 6×8, 2 classes: P = 8·8 + 5·72 + 9·2 = 442 → 6.42 µs → 155,763;
// - the default (circle, 4-4, 2 classes, batch 10): P = 12 + 20 + 10 = 42 → 2.42 µs → 413,223;
// - 8 layers of 16 on 7 features, 5 classes, batch 64: P = 128 + 7·272 + 85 = 2117 →
//   137.5 µs → 7,273, raised to the 20,000 every setup held before.
TEST(TrainLab, StepCapFollowsTheReplayCost) {
  EXPECT_EQ(TrainMaxSteps(Preset("playground").state), 444444);
  EXPECT_EQ(TrainMaxSteps(Preset("spiral").state), 155763);
  EXPECT_EQ(TrainMaxSteps(TrainLabDefault()), 413223);
  TrainLabState big = Preset("blobs5").state;
  big.features = (1u << kTrainFeatureCount) - 1;
  big.layers.assign(8, 16);
  big.batch = 64;
  ASSERT_EQ(TrainParamCount(big), 2117);
  EXPECT_EQ(TrainMaxSteps(big), TrainLabLimits::kMaxSteps);
  TrainLabState s;
  LinkError error;
  Link link;
  ASSERT_TRUE(ParseLink("v1/train?steps=413223", &link, &error));
  EXPECT_TRUE(DecodeTrainLab(link, &s, &error)) << error.ToString();
  EXPECT_EQ(s.steps, 413223);
}

TEST(TrainLab, DecodeErrorsNameTheField) {
  EXPECT_EQ(DecodeError("v1/train?data=moons").field, "data");
  EXPECT_EQ(DecodeError("v1/train?classes=6").field, "classes");
  EXPECT_EQ(DecodeError("v1/train?classes=2").field, "classes");
  EXPECT_EQ(DecodeError("v1/train?seed=-1").field, "seed");
  EXPECT_EQ(DecodeError("v1/train?noise=0.6").field, "noise");
  EXPECT_EQ(DecodeError("v1/train?split=95").field, "split");
  EXPECT_EQ(DecodeError("v1/train?feat=z").field, "feat");
  EXPECT_EQ(DecodeError("v1/train?feat=x,x").field, "feat");
  EXPECT_EQ(DecodeError("v1/train?feat=").field, "feat");
  EXPECT_EQ(DecodeError("v1/train?layers=4,17").field, "layers");
  EXPECT_EQ(DecodeError("v1/train?layers=1,1,1,1,1,1,1,1,1").field, "layers");
  EXPECT_EQ(DecodeError("v1/train?act=gelu").field, "act");
  EXPECT_EQ(DecodeError("v1/train?layers=4,4,4&act=tanh,relu").field, "act");
  EXPECT_EQ(DecodeError("v1/train?act=").field, "act");
  EXPECT_EQ(DecodeError("v1/train?loss=hinge").field, "loss");
  EXPECT_EQ(DecodeError("v1/train?reg=l3").field, "reg");
  EXPECT_EQ(DecodeError("v1/train?rate=11").field, "rate");
  EXPECT_EQ(DecodeError("v1/train?rate=-0.1").field, "rate");
  EXPECT_EQ(DecodeError("v1/train?init=he").field, "init");
  EXPECT_EQ(DecodeError("v1/train?opt=rmsprop").field, "opt");
  EXPECT_EQ(DecodeError("v1/train?lr=0").field, "lr");
  EXPECT_EQ(DecodeError("v1/train?mom=1").field, "mom");
  EXPECT_EQ(DecodeError("v1/train?batch=65").field, "batch");
  EXPECT_EQ(DecodeError("v1/train?steps=413224").field, "steps");  // see StepCap...
  EXPECT_EQ(DecodeError("v1/train?steps=1000001").field, "steps");
  EXPECT_EQ(DecodeError("v1/train?bogus=1").field, "bogus");
  // Added points: count (before parsing), shape, plane, class range, regression values.
  std::string many = "v1/train?add=";
  for (int i = 0; i < 201; ++i) many += i ? ";0,0,0" : "0,0,0";
  EXPECT_EQ(DecodeError(many).field, "add");
  EXPECT_EQ(DecodeError("v1/train?add=").field, "add");
  EXPECT_EQ(DecodeError("v1/train?add=1,2").field, "add");
  EXPECT_EQ(DecodeError("v1/train?add=6.5,0,1").field, "add");
  EXPECT_EQ(DecodeError("v1/train?add=0,0,2").field, "add");    // circle: classes 0, 1
  EXPECT_EQ(DecodeError("v1/train?add=0,0,0.5").field, "add");  // not a class
  EXPECT_EQ(DecodeError("v1/train?data=plane&add=0,0,1.5").field, "add");
  EXPECT_EQ(Decoded("v1/train?data=plane&add=0,0,-0.5").added.size(), 1u);
  EXPECT_EQ(Decoded("v1/train?data=blobs&classes=5&add=0,0,4").added.size(), 1u);
  // Removed points: range, order.
  EXPECT_EQ(DecodeError("v1/train?rm=400").field, "rm");
  EXPECT_EQ(DecodeError("v1/train?rm=5,3").field, "rm");
  EXPECT_EQ(DecodeError("v1/train?rm=3,3").field, "rm");
  EXPECT_EQ(DecodeError("v1/train?rm=" + AllIndices() + ",1").field, "rm");
  // Edits: step within the link's steps and in order, index within the parameters (42 for
  // the default 2-4-4-2 network), value bounded, count.
  EXPECT_EQ(DecodeError("v1/train?steps=5&edit=6,0,1").field, "edit");
  EXPECT_EQ(DecodeError("v1/train?steps=5&edit=0,42,1").field, "edit");
  EXPECT_EQ(Decoded("v1/train?steps=5&edit=0,41,1").edits.size(), 1u);
  EXPECT_EQ(DecodeError("v1/train?steps=5&edit=0,0,101").field, "edit");
  EXPECT_EQ(DecodeError("v1/train?steps=5&edit=3,0,1;2,0,1").field, "edit");
  EXPECT_EQ(DecodeError("v1/train?steps=5&edit=0,0").field, "edit");
  std::string edits = "v1/train?steps=5&edit=";
  for (int i = 0; i < 101; ++i) edits += i ? ";0,0,1" : "0,0,1";
  EXPECT_EQ(DecodeError(edits).field, "edit");
}

TEST(TrainLab, FeatureValuesByHand) {
  // At (2, -3): x = 2, y = -3, x^2 = 4, y^2 = 9, xy = -6, sin 2 = 0.909297427,
  // sin(-3) = -0.141120008; in this order, only the features asked for.
  float all[kTrainFeatureCount];
  const unsigned every = kFeatX | kFeatY | kFeatX2 | kFeatY2 | kFeatXY | kFeatSinX | kFeatSinY;
  ASSERT_EQ(TrainFeatureWidth(every), 7);
  TrainFeatureValues(every, 2.0f, -3.0f, all);
  const float expected[kTrainFeatureCount] = {2, -3, 4, 9, -6, 0.909297427f, -0.141120008f};
  for (int i = 0; i < kTrainFeatureCount; ++i)
    EXPECT_NEAR(all[i], expected[i], 1e-6f) << TrainFeatureName(i);
  float two[2] = {0, 0};
  ASSERT_EQ(TrainFeatureWidth(kFeatX2 | kFeatSinY), 2);
  TrainFeatureValues(kFeatX2 | kFeatSinY, 2.0f, -3.0f, two);
  EXPECT_EQ(two[0], 4.0f);
  EXPECT_NEAR(two[1], -0.141120008f, 1e-6f);
  float one = 0;
  TrainFeatureValues(kFeatXY, -0.5f, 0.25f, &one);
  EXPECT_EQ(one, -0.125f);

  // What the network is fed: one feature, no hidden layer, regression (a linear output),
  // the weight typed in as 1 and the bias 0, so the output map is the feature itself. Cell
  // (row 12, column 62) of the 100x100 map is centred at x = -6 + 12 * 62.5 / 100 = 1.5,
  // y = 6 - 12 * 12.5 / 100 = 4.5; cell (87, 37) at (-1.5, -4.5). By hand: x^2 = 2.25,
  // y^2 = 20.25, xy = 6.75 at both; sin 1.5 = 0.997494987, sin 4.5 = -0.977530118.
  struct Case {
    const char* feat;
    float at_a, at_b;  // at (1.5, 4.5) and (-1.5, -4.5)
  };
  const Case cases[] = {
      {"x", 1.5f, -1.5f},
      {"y", 4.5f, -4.5f},
      {"x2", 2.25f, 2.25f},
      {"y2", 20.25f, 20.25f},
      {"xy", 6.75f, 6.75f},
      {"sinx", 0.997494987f, -0.997494987f},
      {"siny", -0.977530118f, 0.977530118f},
  };
  for (const Case& c : cases) {
    const TrainLabResult r = EvaluateTrainLab(Decoded(
        std::string("v1/train?data=plane&feat=") + c.feat + "&layers=&steps=0&edit=0,0,1;0,1,0"));
    ASSERT_EQ(r.error, "") << c.feat;
    ASSERT_EQ(r.param_count, 2) << c.feat;
    const int g = TrainLabLimits::kGrid;
    EXPECT_NEAR(r.grid.data()[12 * g + 62], c.at_a, 1e-6f) << c.feat;
    EXPECT_NEAR(r.grid.data()[87 * g + 37], c.at_b, 1e-6f) << c.feat;
  }
}

TEST(TrainLab, SquaredErrorWithThreeClassesByHand) {
  // TF Playground's squared error with one tanh output per class and targets +-1: one point
  // x = 2 of class 2 (every generated point removed), feature x, no hidden layer, so 3
  // outputs y_c = tanh(w_c x + b_c); typed in: w = (0.25, -0.25, 0), b = 0. One plain SGD
  // step, lr 0.1, batch 1:
  //   z = (0.5, -0.5, 0), y = (0.462117157, -0.462117157, 0), t = (-1, -1, 1);
  //   loss = 1/2 sum (y - t)^2 = 1/2 (1.462117157^2 + 0.537882843^2 + 1^2) = 1.713552267;
  //   dL/dz_c = (y_c - t_c)(1 - y_c^2), 1 - y_0^2 = 0.786447733:
  //     dz = (1.149878724, 0.423016742, -1);  dL/dw = 2 dz,  dL/db = dz;
  //   |dL/dW| = 2 sqrt(1.149878724^2 + 0.423016742^2 + 1) = 2 sqrt(2.501164243) = 3.163013907;
  //   w = (0.25 - 0.2 * 1.149878724, -0.25 - 0.2 * 0.423016742, 0 + 0.2)
  //     = (0.020024255, -0.334603348, 0.2);  b = (-0.114987872, -0.042301674, 0.1).
  // Before the step the likeliest class is 0 (y_0 = 0.46 is the largest): accuracy 0; after
  // it z = (0.040048511 - 0.114987872, -0.669206697 - 0.042301674, 0.4 + 0.1) =
  // (-0.074939, -0.711508, 0.5): class 2, accuracy 1.
  const std::string link =
      "v1/train?data=blobs&classes=3&feat=x&layers=&loss=mse&opt=sgd&lr=0.1&mom=0&batch=1&"
      "add=2,0,2&rm=" +
      AllIndices() + "&edit=0,0,0.25;0,1,-0.25;0,2,0;0,3,0;0,4,0;0,5,0&steps=";
  const TrainLabResult before = EvaluateTrainLab(Decoded(link + "0"));
  ASSERT_EQ(before.error, "");
  ASSERT_EQ(before.outputs, 3);
  ASSERT_EQ(before.param_count, 6);
  ASSERT_EQ(before.train_count, 1);
  EXPECT_NEAR(before.train_loss, 1.713552267f, 1e-6f);
  EXPECT_EQ(before.train_acc, 0.0f);
  const TrainLabResult r = EvaluateTrainLab(Decoded(link + "1"));
  ASSERT_EQ(r.error, "");
  EXPECT_NEAR(r.last_batch_loss, 1.713552267f, 1e-6f);
  ASSERT_EQ(r.grad_norms.size(), 1u);
  EXPECT_EQ(r.grad_norms[0].name, "Wout");
  EXPECT_NEAR(r.grad_norms[0].norm, 3.163013907f, 1e-5f);
  const float after[6] = {0.020024255f, -0.334603348f, 0.2f, -0.114987872f, -0.042301674f, 0.1f};
  ASSERT_EQ(r.params.size(), 6u);
  for (int i = 0; i < 6; ++i) EXPECT_NEAR(r.params[i], after[i], 1e-6f) << i;
  EXPECT_EQ(r.train_acc, 1.0f);
}

}  // namespace
}  // namespace nnplay

namespace nnplay {
namespace {

// `nnplay eval` lists the points, the weights before the first step and now, and the first
// ten steps (batch, loss, weights after each), so an outside tool can replay a run.
TEST(TrainLab, EvalListsPointsWeightsAndTheFirstSteps) {
  const TrainLabState s = Decoded("v1/train?layers=3&steps=12&batch=10");
  const TrainLabResult r = EvaluateTrainLab(s);
  ASSERT_EQ(r.train_points.size(), 200u);  // 50% of 400
  ASSERT_EQ(r.test_points.size(), 200u);
  for (const TrainPoint& p : r.train_points) EXPECT_TRUE(p.label == 0 || p.label == 1);
  // The trace stops at kTraceSteps = 10; each step's weights are the run's after that step.
  ASSERT_EQ(r.trace.size(), 10u);
  TrainLabState at = s;
  at.steps = 0;
  EXPECT_EQ(r.initial_params, EvaluateTrainLab(at).params);
  std::vector<bool> seen(200, false);
  for (size_t k = 0; k < r.trace.size(); ++k) {
    at.steps = static_cast<int>(k) + 1;
    const TrainLabResult rk = EvaluateTrainLab(at);
    EXPECT_EQ(r.trace[k].params, rk.params) << k;
    EXPECT_EQ(r.trace[k].loss, rk.last_batch_loss) << k;
    // 10 steps of 10 points stay in the first epoch: every index once.
    ASSERT_EQ(r.trace[k].batch.size(), 10u);
    for (int i : r.trace[k].batch) {
      ASSERT_TRUE(i >= 0 && i < 200) << i;
      EXPECT_FALSE(seen[static_cast<size_t>(i)]) << i;
      seen[static_cast<size_t>(i)] = true;
    }
  }
  EXPECT_NE(r.trace[0].params, r.initial_params);
  const std::string json = TrainLabToJson(s, r);
  EXPECT_NE(json.find("\"points\":{\"train\":[["), std::string::npos);
  EXPECT_NE(json.find("\"initial_weights\":[{\"in\":2,\"out\":3,\"offset\":0,\"W\":["),
            std::string::npos);
  EXPECT_NE(json.find("\"trace\":[{\"step\":1,\"batch\":["), std::string::npos);
  EXPECT_EQ(json.find("\"step\":11,"), std::string::npos);
}

// The largest network (7 features, 8 x 16 units, 5 classes: 2117 weights) and 10 traced
// steps stay under 1 MB of JSON; a run of no steps lists no trace.
TEST(TrainLab, EvalJsonStaysBounded) {
  const TrainLabState big = Decoded(
      "v1/train?data=blobs&classes=5&feat=x,y,x2,y2,xy,sinx,siny&layers=16,16,16,16,16,16,16,16&"
      "batch=64&steps=12");
  const TrainLabResult r = EvaluateTrainLab(big);
  ASSERT_EQ(r.param_count, 2117);
  const std::string json = TrainLabToJson(big, r);
  EXPECT_LT(json.size(), 1000000u);
  EXPECT_GT(json.size(), 10u * 2117u * 5u);  // ten steps of 2117 weights are there
  const TrainLabResult zero = EvaluateTrainLab(Decoded("v1/train"));
  EXPECT_TRUE(zero.trace.empty());
  // What the page measures frame by frame holds none of it (its JSON neither).
  TrainSession session;
  session.Reset(big);
  TrainLabResult page;
  session.Measure(&page);
  EXPECT_FALSE(page.replayed);
  EXPECT_EQ(TrainLabToJson(big, page).find("\"points\""), std::string::npos);
  EXPECT_EQ(zero.initial_params, zero.params);
}

}  // namespace
}  // namespace nnplay

#include "labs/export.h"

namespace nnplay {
namespace {

std::string Exported(const std::string& link, ExportLanguage lang) {
  std::string script;
  LinkError error;
  EXPECT_TRUE(ExportLink(link, lang, &script, &error)) << error.ToString();
  return script;
}

bool Has(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

// The script names the lab's optimizer and regularization in PyTorch's terms, and writes
// out what torch.optim has no option for (Playground's L1 with its zero clip).
TEST(TrainExport, ScriptsUseTorchOptimAndWriteOutWhatItLacks) {
  const std::string adam = Exported("v1/train?layers=3&opt=adam&lr=0.05&reg=l2&rate=0.01&steps=3",
                                    ExportLanguage::kTorch);
  EXPECT_TRUE(Has(adam, "torch.nn.Linear(2, 3)"));
  EXPECT_TRUE(Has(adam,
                  "torch.optim.Adam([{\"params\": weights, \"weight_decay\": 0.01}, "
                  "{\"params\": biases}], lr=0.05"));
  EXPECT_TRUE(Has(adam, "INITIAL_WEIGHTS = ["));
  EXPECT_TRUE(Has(adam, "TRAIN = [\n    ("));
  EXPECT_TRUE(Has(adam, "results[f\"result/trace/{step - 1}/loss\"]"));
  const std::string l1 =
      Exported("v1/train?layers=3&opt=sgd&mom=0&reg=l1&rate=0.1&steps=3", ExportLanguage::kTorch);
  EXPECT_TRUE(Has(l1, "torch.optim.SGD(model.parameters(), lr=0.03)"));
  EXPECT_TRUE(Has(l1, "torch.where(w * stepped < 0"));
  const std::string mom =
      Exported("v1/train?layers=3&opt=sgd&mom=0.9&steps=3", ExportLanguage::kTorch);
  EXPECT_TRUE(Has(mom, "momentum=0.9)"));
  const std::string np = Exported("v1/train?layers=3&steps=3&edit=1,0,0.5", ExportLanguage::kNumpy);
  EXPECT_TRUE(Has(np, "import numpy as np"));
  EXPECT_FALSE(Has(np, "torch"));
  EXPECT_TRUE(Has(np, "    (1, 0, 0, 0, 0.5),\n"));  // the edit: step 1, W1[0, 0]
  std::string script = "unchanged";
  LinkError error;
  EXPECT_FALSE(ExportLink("v1/train?layers=99", ExportLanguage::kTorch, &script, &error));
  EXPECT_EQ(script, "unchanged");
  EXPECT_EQ(error.field, "layers");
}

}  // namespace
}  // namespace nnplay
