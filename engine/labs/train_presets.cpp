// train_presets.cpp: the training lab's presets (TensorFlow Playground's classic set-ups,
// its exact defaults for a like-for-like comparison, regression and k-class data).
#include "labs/train_lab.h"

namespace nnplay {
namespace {

TrainLabState Make(TrainDataKind data, unsigned features, std::vector<int> layers, float noise,
                   float lr) {
  TrainLabState s;
  s.data = data;
  s.features = features;
  s.layers = std::move(layers);
  s.noise = noise;
  s.lr = lr;
  return s;
}

// TensorFlow Playground's defaults: circle, x and y, hidden layers 4 and 2 of tanh, one tanh
// output with half squared error on targets +-1, weights U(-0.5, 0.5) and biases 0.1, plain
// SGD with learning rate 0.03, batch 10, half the points for training, no noise.
TrainLabState PlaygroundDefaults() {
  TrainLabState s = Make(TrainDataKind::kCircle, kFeatX | kFeatY, {4, 2}, 0.0f, 0.03f);
  s.loss = TrainLoss::kSquared;
  s.init = TrainInit::kUniform;
  s.opt = TrainOptimizer::kSgd;
  s.momentum = 0.0f;
  return s;
}

TrainLabState Classes(TrainDataKind data, int classes, unsigned features, std::vector<int> layers,
                      float noise, float lr) {
  TrainLabState s = Make(data, features, std::move(layers), noise, lr);
  s.classes = classes;
  return s;
}

TrainLabState Regularized() {
  // A noisy circle with few training points and a wide ReLU network, held back by L2.
  TrainLabState s = Make(TrainDataKind::kCircle, kFeatX | kFeatY, {8, 8, 4}, 0.3f, 0.03f);
  s.split = 20;
  s.layer_acts = {TrainActivation::kReLU, TrainActivation::kReLU, TrainActivation::kTanh};
  s.reg = TrainReg::kL2;
  s.rate = 0.01f;
  NormalizeTrainLab(&s);
  return s;
}

}  // namespace

const std::vector<TrainPreset>& TrainPresets() {
  constexpr unsigned kAll = kFeatX | kFeatY | kFeatX2 | kFeatY2 | kFeatXY | kFeatSinX | kFeatSinY;
  static const std::vector<TrainPreset> presets = {
      {"circle", "Circle: x, y; two tanh layers of 4",
       Make(TrainDataKind::kCircle, kFeatX | kFeatY, {4, 4}, 0.0f, 0.03f)},
      {"xor", "XOR: x, y and the product xy",
       Make(TrainDataKind::kXor, kFeatX | kFeatY | kFeatXY, {2}, 0.0f, 0.03f)},
      {"spiral", "Spiral: all 7 features, six tanh layers of 8",
       Make(TrainDataKind::kSpiral, kAll, {8, 8, 8, 8, 8, 8}, 0.0f, 0.01f)},
      {"gauss3", "Three Gaussian blobs, 3 classes",
       Make(TrainDataKind::kBlobs3, kFeatX | kFeatY, {4}, 0.1f, 0.03f)},
      {"playground", "TF Playground's defaults: 4-2 tanh, tanh output, squared error, SGD 0.03",
       PlaygroundDefaults()},
      {"plane", "Regression: the plane (x + y) / 10",
       Make(TrainDataKind::kPlane, kFeatX | kFeatY, {2}, 0.0f, 0.03f)},
      {"mgauss", "Regression: six Gaussian bumps",
       Make(TrainDataKind::kMultiGauss, kFeatX | kFeatY, {8, 8}, 0.0f, 0.03f)},
      {"blobs5", "Five Gaussian blobs, 5 classes, softmax",
       Classes(TrainDataKind::kBlobs, 5, kFeatX | kFeatY, {8}, 0.1f, 0.03f)},
      {"spirals3", "Three spiral arms, 3 classes",
       Classes(TrainDataKind::kSpirals, 3, kAll, {12, 12, 8}, 0.0f, 0.01f)},
      {"l2", "Noisy circle, 20% training: ReLU, ReLU, tanh with L2 0.01", Regularized()},
  };
  return presets;
}

}  // namespace nnplay
