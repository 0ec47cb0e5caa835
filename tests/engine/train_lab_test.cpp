// train_lab_test.cpp: the training lab: datasets by construction, determinism of a link,
// training the circle preset to test accuracy >= 0.9, link round trips and decode errors.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "labs/registry.h"
#include "labs/train_lab.h"

namespace nnplay {
namespace {

TrainLabState Decoded(const std::string& text) {
  Link link;
  LinkError error;
  EXPECT_TRUE(ParseLink(text, &link, &error)) << error.ToString();
  TrainLabState s;
  EXPECT_TRUE(DecodeTrainLab(link, &s, &error)) << error.ToString();
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

TEST(TrainLab, SameLinkGivesBitIdenticalWeightsAndLoss) {
  TrainLabState s = TrainLabDefault();
  s.steps = 300;
  TrainSession one, two;
  one.Reset(s);
  two.Reset(s);
  for (int i = 0; i < s.steps; ++i) one.Step();
  for (int i = 0; i < s.steps; ++i) two.Step();
  ASSERT_EQ(one.net().param_count(), two.net().param_count());
  EXPECT_EQ(
      std::memcmp(one.net().params(), two.net().params(), one.net().param_count() * sizeof(float)),
      0);
  const TrainLabResult a = EvaluateTrainLab(s), b = EvaluateTrainLab(s);
  EXPECT_EQ(a.train_loss, b.train_loss);
  EXPECT_EQ(a.test_loss, b.test_loss);
  EXPECT_EQ(a.grid, b.grid);
  // Training step by step and measuring equals replaying from the link.
  TrainLabResult c;
  one.Measure(&c);
  EXPECT_EQ(a.test_loss, c.test_loss);
  EXPECT_EQ(a.history.size(), c.history.size());
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
  // The grid: class 1 (inside) near the centre is positive, the corner negative.
  const int g = TrainLabLimits::kGrid;
  EXPECT_GT(r.grid.data()[(g / 2) * g + g / 2], 0.0f);
  EXPECT_LT(r.grid.data()[g * 6 + 6], 0.0f);  // (-4.9, 4.9): radius 6.9, class 0
}

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

TEST(TrainLab, DecodeErrorsNameTheField) {
  EXPECT_EQ(DecodeError("v1/train?data=moons").field, "data");
  EXPECT_EQ(DecodeError("v1/train?seed=-1").field, "seed");
  EXPECT_EQ(DecodeError("v1/train?noise=0.6").field, "noise");
  EXPECT_EQ(DecodeError("v1/train?split=95").field, "split");
  EXPECT_EQ(DecodeError("v1/train?feat=z").field, "feat");
  EXPECT_EQ(DecodeError("v1/train?feat=x,x").field, "feat");
  EXPECT_EQ(DecodeError("v1/train?feat=").field, "feat");
  EXPECT_EQ(DecodeError("v1/train?layers=4,9").field, "layers");
  EXPECT_EQ(DecodeError("v1/train?layers=1,1,1,1,1,1,1").field, "layers");
  EXPECT_EQ(DecodeError("v1/train?act=gelu").field, "act");
  EXPECT_EQ(DecodeError("v1/train?opt=rmsprop").field, "opt");
  EXPECT_EQ(DecodeError("v1/train?lr=0").field, "lr");
  EXPECT_EQ(DecodeError("v1/train?mom=1").field, "mom");
  EXPECT_EQ(DecodeError("v1/train?batch=65").field, "batch");
  EXPECT_EQ(DecodeError("v1/train?steps=20001").field, "steps");
  EXPECT_EQ(DecodeError("v1/train?bogus=1").field, "bogus");
}

}  // namespace
}  // namespace nnplay
