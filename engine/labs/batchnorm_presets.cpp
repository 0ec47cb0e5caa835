// batchnorm_presets.cpp: the batch-normalization lab's presets: the course's E6 (with and
// without eps, with the student's answers, at inference), and two features on different
// scales.
#include "labs/batchnorm_lab.h"

namespace nnplay {
namespace {

Tensor Vec(std::vector<float> v) {
  Tensor t({static_cast<int>(v.size())});
  t.values() = std::move(v);
  return t;
}

// E6: batch [2, 4, 6, 8, 10], gamma 2, beta -1, eps 0 (as on paper), running statistics at
// PyTorch's start (mean 0, variance 1), momentum 0.1.
BatchNormLabState E6() {
  BatchNormLabState s;
  s.x = Tensor({1, 5});
  s.x.values() = {2, 4, 6, 8, 10};
  s.gamma = Vec({2});
  s.beta = Vec({-1});
  s.eps = 0.0f;
  s.momentum = 0.1f;
  s.running_mean = Vec({0});
  s.running_var = Vec({1});
  return s;
}

BatchNormLabState E6Eps() {
  BatchNormLabState s = E6();
  s.eps = 1e-5f;
  return s;
}

BatchNormLabState E6Student() {
  BatchNormLabState s = E6();
  s.check = {
      {"mu", {"6"}}, {"sigma", {"3.464"}}, {"y", {"-3.308", "-2.154", "-1", "0.154", "1.308"}}};
  return s;
}

// After one training step from (0, 1): running mean 0.9*0 + 0.1*6 = 0.6, running variance
// 0.9*1 + 0.1*8 = 1.7; inference normalises with those, not with the batch's.
BatchNormLabState E6Inference() {
  BatchNormLabState s = E6();
  s.mode = BatchNormMode::kInfer;
  s.running_mean = Vec({0.6f});
  s.running_var = Vec({1.7f});
  return s;
}

// Two features, one ten times the other: both normalise to the same xhat.
BatchNormLabState TwoFeatures() {
  BatchNormLabState s;
  s.x = Tensor({2, 4});
  s.x.values() = {1, 2, 3, 4, 10, 20, 30, 40};
  s.gamma = Vec({1, 1});
  s.beta = Vec({0, 0});
  s.eps = 1e-5f;
  s.running_mean = Vec({0, 0});
  s.running_var = Vec({1, 1});
  return s;
}

}  // namespace

BatchNormLabState BatchNormLabDefault() {
  return E6();
}

const std::vector<BatchNormPreset>& BatchNormPresets() {
  static const std::vector<BatchNormPreset> presets = {
      {"e6", "E6: batch [2, 4, 6, 8, 10], gamma 2, beta -1 (eps = 0, as on paper)", E6()},
      {"e6-eps", "E6 with eps = 1e-5 (the values move in the sixth digit)", E6Eps()},
      {"e6-student", "E6 with the student's answers (sigma 3.464, y [-3.308, ...])", E6Student()},
      {"e6-inference", "E6 at inference, running statistics after one training step",
       E6Inference()},
      {"two-features", "Two features on different scales normalise alike", TwoFeatures()},
  };
  return presets;
}

}  // namespace nnplay
