// train_presets.cpp: the training lab's presets (TensorFlow Playground's classic set-ups).
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
  };
  return presets;
}

}  // namespace nnplay
