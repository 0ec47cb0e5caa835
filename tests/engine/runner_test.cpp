// runner_test.cpp: the trainer's runner (engine/labs/runner.h): slices of any sizes give the
// bits of stepping straight through, a checkpoint taken from a snapshot continues the run
// exactly, snapshots survive their encoding and hostile bytes are refused.
#include "labs/runner.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

namespace nnplay {
namespace {

const char kCnnLink[] =
    "v1/cnn?data=bars&size=16&noise=0.1&seed=3&blocks=1&f1=4&f2=8&k=3&opt=adam&lr=0.01&"
    "mom=0.9&batch=8&steps=0";
const char kTrainLink[] =
    "v1/train?data=circle&seed=2&noise=0&split=50&feat=x,y&layers=4,4&act=tanh&opt=adam&"
    "lr=0.03&mom=0.9&batch=10&steps=0";

CnnLabState CnnState() {
  Link link;
  LinkError error;
  CnnLabState s;
  EXPECT_TRUE(ParseLink(kCnnLink, &link, &error)) << error.ToString();
  EXPECT_TRUE(DecodeCnnLab(link, &s, &error)) << error.ToString();
  return s;
}

TrainLabState TrainState() {
  Link link;
  LinkError error;
  TrainLabState s;
  EXPECT_TRUE(ParseLink(kTrainLink, &link, &error)) << error.ToString();
  EXPECT_TRUE(DecodeTrainLab(link, &s, &error)) << error.ToString();
  return s;
}

std::vector<float> Params(const CnnSession& s) {
  return std::vector<float>(s.net().params(), s.net().params() + s.net().param_count());
}
std::vector<float> Params(const TrainSession& s) {
  return std::vector<float>(s.params(), s.params() + s.param_count());
}

// Bit for bit (memcmp, so -0 and NaN patterns count too).
bool SameBits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

TEST(Runner, CnnSlicesGiveTheBitsOfStraightStepping) {
  Runner runner;
  ASSERT_EQ(runner.Open(kCnnLink, ""), "");
  ASSERT_EQ(runner.lab(), RunnerLab::kCnn);
  int done = 0;
  for (int slice : {1, 7, 13, 2, 17}) done += runner.Run(slice);
  EXPECT_EQ(done, 40);
  EXPECT_EQ(runner.steps(), 40);

  CnnSession straight;
  ASSERT_EQ(straight.Reset(CnnState()), "");
  for (int i = 0; i < 40; ++i) straight.Step();
  ASSERT_EQ(straight.steps(), 40);
  EXPECT_TRUE(SameBits(Params(*runner.cnn()), Params(straight)));
  EXPECT_EQ(runner.cnn()->last_batch(), straight.last_batch());
}

TEST(Runner, TrainSlicesGiveTheBitsOfStraightStepping) {
  Runner runner;
  ASSERT_EQ(runner.Open(kTrainLink, ""), "");
  ASSERT_EQ(runner.lab(), RunnerLab::kTrain);
  for (int slice : {5, 1, 30, 64}) runner.Run(slice);
  EXPECT_EQ(runner.steps(), 100);

  TrainSession straight;
  ASSERT_EQ(straight.Reset(TrainState()), "");
  for (int i = 0; i < 100; ++i) straight.Step();
  EXPECT_TRUE(SameBits(Params(*runner.train()), Params(straight)));
}

TEST(Runner, TimedSliceRunsAtLeastOneStep) {
  Runner runner;
  ASSERT_EQ(runner.Open(kCnnLink, ""), "");
  // A budget far shorter than a step still runs one; the count bounds it.
  EXPECT_EQ(runner.Run(5, 1e-9), 1);
  EXPECT_EQ(runner.Run(3, 1e9), 3);
  EXPECT_EQ(runner.steps(), 4);
}

TEST(Runner, CheckpointFromASnapshotContinuesTheRunExactly) {
  Runner a;
  ASSERT_EQ(a.Open(kCnnLink, ""), "");
  a.Run(30);
  const std::string bytes = EncodeRunnerSnapshot(a.Snapshot(false));
  RunnerSnapshot snap;
  ASSERT_EQ(DecodeRunnerSnapshot(bytes, &snap), "");
  EXPECT_EQ(snap.steps, 30);
  EXPECT_FALSE(snap.measured);

  Runner b;
  ASSERT_EQ(b.Open(kCnnLink, snap.checkpoint), "");
  EXPECT_EQ(b.steps(), 30);
  EXPECT_EQ(b.ToReplay(), 0);
  EXPECT_TRUE(SameBits(Params(*a.cnn()), Params(*b.cnn())));
  a.Run(25);
  b.Run(25);
  EXPECT_TRUE(SameBits(Params(*a.cnn()), Params(*b.cnn())));

  // The view's side: its own session restored from the same bytes.
  CnnSession view;
  ASSERT_EQ(RunnerLoadCheckpoint(&view, CnnState(), RunnerSaveCheckpoint(*a.cnn())), "");
  EXPECT_EQ(view.steps(), 55);
  EXPECT_TRUE(SameBits(Params(view), Params(*a.cnn())));
}

TEST(Runner, TrainCheckpointContinuesTheRunExactly) {
  Runner a;
  ASSERT_EQ(a.Open(kTrainLink, ""), "");
  a.Run(50);
  RunnerSnapshot snap;
  ASSERT_EQ(DecodeRunnerSnapshot(EncodeRunnerSnapshot(a.Snapshot(true)), &snap), "");
  EXPECT_EQ(snap.lab, RunnerLab::kTrain);
  EXPECT_FALSE(snap.measured);  // the train view measures its small network itself
  Runner b;
  ASSERT_EQ(b.Open(kTrainLink, snap.checkpoint), "");
  a.Run(20);
  b.Run(20);
  EXPECT_EQ(b.steps(), 70);
  EXPECT_TRUE(SameBits(Params(*a.train()), Params(*b.train())));
}

TEST(Runner, SnapshotMeasuresTheWholeTestSet) {
  Runner runner;
  ASSERT_EQ(runner.Open(kCnnLink, ""), "");
  runner.Run(60);
  const RunnerSnapshot s = runner.Snapshot(true);
  ASSERT_TRUE(s.measured);
  ASSERT_EQ(s.classes, 4);
  ASSERT_EQ(s.confusion.size(), 16u);
  // 4 classes x 16 test images each: every row of the confusion counts 16 images, and the
  // accuracy is its diagonal over 64.
  float diagonal = 0;
  for (int t = 0; t < 4; ++t) {
    float row = 0;
    for (int p = 0; p < 4; ++p) row += s.confusion[static_cast<size_t>(t * 4 + p)];
    EXPECT_EQ(row, 16.0f);
    diagonal += s.confusion[static_cast<size_t>(t * 5)];
  }
  EXPECT_FLOAT_EQ(s.test_acc, diagonal / 64.0f);
  EXPECT_GT(s.test_loss, 0.0f);
  EXPECT_LE(s.mistakes.size(), static_cast<size_t>(CnnLabResult::kMistakes));
  for (const CnnMistake& m : s.mistakes) EXPECT_NE(m.truth, m.predicted);

  RunnerSnapshot back;
  ASSERT_EQ(DecodeRunnerSnapshot(EncodeRunnerSnapshot(s), &back), "");
  EXPECT_EQ(back.steps, 60);
  EXPECT_EQ(back.checkpoint, s.checkpoint);
  EXPECT_EQ(back.test_loss, s.test_loss);
  EXPECT_EQ(back.test_acc, s.test_acc);
  EXPECT_EQ(back.confusion, s.confusion);
  ASSERT_EQ(back.mistakes.size(), s.mistakes.size());
  for (size_t i = 0; i < s.mistakes.size(); ++i) {
    EXPECT_EQ(back.mistakes[i].index, s.mistakes[i].index);
    EXPECT_EQ(back.mistakes[i].confidence, s.mistakes[i].confidence);
  }
}

TEST(Runner, ReplayCountsDownToTheLinksSteps) {
  Runner runner;
  ASSERT_EQ(runner.Open(kCnnLink, "", 25), "");
  EXPECT_EQ(runner.ToReplay(), 25);
  runner.Run(10);
  EXPECT_EQ(runner.ToReplay(), 15);
  runner.Run(runner.ToReplay());
  EXPECT_EQ(runner.ToReplay(), 0);
  EXPECT_EQ(runner.steps(), 25);
}

TEST(Runner, BadLinksAndCheckpointsAreRefused) {
  Runner runner;
  EXPECT_NE(runner.Open("not a link", ""), "");
  EXPECT_EQ(runner.lab(), RunnerLab::kNone);
  EXPECT_EQ(runner.Run(10), 0);
  EXPECT_NE(runner.Open("v1/conv?k=3", ""), "");
  EXPECT_NE(runner.Open("v1/cnn?batch=1000", ""), "");
  EXPECT_NE(runner.Open(kCnnLink, "garbage"), "");
  EXPECT_EQ(runner.lab(), RunnerLab::kNone);
  EXPECT_FALSE(runner.MissingAsset());
}

TEST(Runner, HostileSnapshotsAreRefusedAndChangeNothing) {
  Runner runner;
  ASSERT_EQ(runner.Open(kCnnLink, ""), "");
  runner.Run(12);
  const std::string good = EncodeRunnerSnapshot(runner.Snapshot(true));
  RunnerSnapshot out;
  out.steps = 777;
  // Every truncation.
  for (size_t n = 0; n < good.size(); ++n) {
    EXPECT_NE(DecodeRunnerSnapshot(good.substr(0, n), &out), "") << n;
    EXPECT_EQ(out.steps, 777);
  }
  EXPECT_NE(DecodeRunnerSnapshot(good + "x", &out), "");
  // The checkpoint's length (at byte 16) claiming more than there is, or 4 GB.
  for (uint32_t len : {0xFFFFFFFFu, 0x01000001u, 0x00100000u}) {
    std::string bad = good;
    std::memcpy(&bad[16], &len, 4);
    EXPECT_NE(DecodeRunnerSnapshot(bad, &out), "") << len;
  }
  std::string magic = good;
  magic[0] = 'X';
  EXPECT_NE(DecodeRunnerSnapshot(magic, &out), "");
  std::string version = good;
  version[4] = 9;
  EXPECT_NE(DecodeRunnerSnapshot(version, &out), "");
  EXPECT_EQ(out.steps, 777);
  // Flipping any one bit either is refused or decodes to something within the limits.
  for (size_t i = 0; i < good.size(); ++i) {
    std::string flip = good;
    flip[i] = static_cast<char>(flip[i] ^ 0x40);
    RunnerSnapshot s;
    if (DecodeRunnerSnapshot(flip, &s).empty()) {
      EXPECT_LE(s.mistakes.size(), static_cast<size_t>(CnnLabResult::kMistakes));
      EXPECT_LE(s.classes, RunnerLimits::kMaxClasses);
      EXPECT_GE(s.steps, 0);
    }
  }
}

}  // namespace
}  // namespace nnplay
