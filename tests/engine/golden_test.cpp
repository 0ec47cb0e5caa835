// golden_test.cpp: one training run of each training lab against figures computed outside
// the engine, by PyTorch in float64 (Debian's python3-torch): tests/engine/golden/
// train_golden.py and cnn_golden.py regenerate every number below (not run by CI). The lab
// trains in float32, so the figures agree to float32 rounding accumulated over the run:
// natively the largest difference is about 1e-7; the tolerance, 5e-6, also allows the last
// bits of libm's tanh, sin and exp to differ (wasm), and is still hundreds of times smaller
// than what a single step of the runs changes (Adam moves each weight by about lr = 0.05).
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "labs/cnn_lab.h"
#include "labs/train_lab.h"

namespace nnplay {
namespace {

constexpr float kFloat32VsFloat64 = 5e-6f;

// ---- the training lab (nn::Mlp) -------------------------------------------------------------

// The 36 parameters typed in at step 0, in the Mlp's layout: W1 [3, 7], b1 [3], Wout [3, 3],
// bout [3] (train_golden.py: W1, B1, W2, B2).
constexpr float kTrainStart[36] = {
    0.3f,   -0.2f, 0.1f,   0.05f, -0.15f, 0.4f,  -0.35f,  // W1 row 0
    -0.25f, 0.35f, -0.05f, 0.1f,  0.2f,   -0.3f, 0.15f,   // W1 row 1
    0.15f,  0.1f,  0.2f,   -0.1f, 0.05f,  0.25f, 0.3f,    // W1 row 2
    0.1f,   -0.1f, 0.05f,                                 // b1
    0.5f,   -0.4f, 0.3f,                                  // Wout row 0
    -0.2f,  0.6f,  -0.5f,                                 // Wout row 1
    0.1f,   0.2f,  -0.3f,                                 // Wout row 2
    0.0f,   0.1f,  -0.1f,                                 // bout
};

// After 10 steps (train_golden.py's output).
constexpr double kTrainAfter[36] = {
    0.0903613248, -0.590305054,  0.361350091,   -0.0850115185, 0.184670971,  0.252922159,
    -0.73397169,  -0.0325235562, 0.721502911,   -0.346052356,  0.0699924031, -0.157536491,
    -0.172618922, 0.50065025,    0.0923745229,  -0.260830408,  0.459586489,  -0.264621321,
    0.41161756,   0.365335325,   -0.0286703613, 0.0620139284,  -0.344700802, 0.24583782,
    0.96996191,   -0.736460604,  0.599346243,   -0.62017221,   1.01070238,   -0.996769054,
    -0.3799528,   0.494406463,   0.0959448244,  0.171818035,   -0.292822253, 0.165662313,
};

std::string TrainGoldenLink() {
  std::string rm, edit;
  for (int i = 0; i < TrainLabLimits::kPoints; ++i) rm += (i ? "," : "") + std::to_string(i);
  for (int i = 0; i < 36; ++i) {
    char value[32];
    std::snprintf(value, sizeof value, "%g", static_cast<double>(kTrainStart[i]));
    edit += (i ? ";0," : "0,") + std::to_string(i) + "," + value;
  }
  return "v1/train?data=blobs&classes=3&feat=x,y,x2,y2,xy,sinx,siny&layers=3&act=tanh&reg=l2&"
         "rate=0.01&opt=adam&lr=0.05&batch=4&steps=10&add=1.5,-0.5,0;-1,2,1;0.25,0.75,2;-2,-1.5,"
         "0&rm=" +
         rm + "&edit=" + edit;
}

TEST(TrainGolden, AdamWithL2OnEveryFeatureMatchesPyTorch) {
  Link link;
  LinkError error;
  ASSERT_TRUE(ParseLink(TrainGoldenLink(), &link, &error)) << error.ToString();
  TrainLabState s;
  ASSERT_TRUE(DecodeTrainLab(link, &s, &error)) << error.ToString();
  ASSERT_EQ(s.edits.size(), 36u);
  const TrainLabResult r = EvaluateTrainLab(s);
  ASSERT_EQ(r.error, "");
  ASSERT_EQ(r.train_count, 4);
  ASSERT_EQ(r.test_count, 0);
  ASSERT_EQ(r.param_count, 36);
  EXPECT_EQ(r.steps, 10);
  // The loss of the 10th batch (before its update) and of the training set after it.
  EXPECT_NEAR(r.last_batch_loss, 0.295368004, kFloat32VsFloat64);
  EXPECT_NEAR(r.train_loss, 0.271921281, kFloat32VsFloat64);
  for (int i = 0; i < 36; ++i) EXPECT_NEAR(r.params[i], kTrainAfter[i], kFloat32VsFloat64) << i;
}

// ---- the CNN training lab (nn::Network) -----------------------------------------------------

TEST(CnnGolden, SgdWithMomentumAndWeightDecayMatchesPyTorch) {
  // The initial weights are the seed's (cnn_golden.py computes them from PCG32 itself); the
  // images the lab's (the script holds them, from dump_cnn_data.cpp).
  Link link;
  LinkError error;
  ASSERT_TRUE(
      ParseLink("v1/cnn?data=bars&size=16&noise=0&seed=1&blocks=1&f1=2&f2=8&k=3&opt=sgd&"
                "lr=0.1&mom=0.9&batch=4&decay=0.01&steps=5",
                &link, &error))
      << error.ToString();
  CnnLabState s;
  ASSERT_TRUE(DecodeCnnLab(link, &s, &error)) << error.ToString();
  const CnnLabResult r = EvaluateCnnLab(s);
  ASSERT_EQ(r.error, "");
  ASSERT_EQ(r.steps, 5);
  ASSERT_EQ(r.param_count, 2 * 9 + 2 + 4 * 128 + 4);
  EXPECT_NEAR(r.last_batch_loss, 1.45808508, kFloat32VsFloat64);
  EXPECT_NEAR(r.test_loss, 1.38858411, kFloat32VsFloat64);  // 64 test images
  const double filters[18] = {
      0.0881483096, -0.366783856,  0.152848341,  0.0422694632,  0.0850272487, -0.365416619,
      0.127727677,  0.339580357,   -0.340380875, -0.0970630433, -0.208996397, -0.114781555,
      -0.189130986, -0.0956380323, 0.108029352,  0.203453879,   0.153795505,  -0.465229383,
  };
  ASSERT_EQ(r.filters.size(), 18u);
  for (int i = 0; i < 18; ++i) EXPECT_NEAR(r.filters[i], filters[i], kFloat32VsFloat64) << i;
}

}  // namespace
}  // namespace nnplay
