// dropout_presets.cpp: the dropout lab's presets. The course's E8 gives no numbers; these
// use p = 0.8 and activations [1, 2, 3, 4, 5], so every expectation is a short decimal:
//   standard: kept y = a, E[y_train] = 0.8 a = [0.8, 1.6, 2.4, 3.2, 4], y_test = 0.8 a
//   inverted: kept y = a/0.8 = [1.25, 2.5, 3.75, 5, 6.25], E[y_train] = a, y_test = a
#include "labs/dropout_lab.h"

namespace nnplay {
namespace {

DropoutLabState E8(DropoutKind kind, float keep = 0.8f, int samples = 1000) {
  DropoutLabState s;
  s.activations = Tensor({5});
  s.activations.values() = {1, 2, 3, 4, 5};
  s.keep = keep;
  s.kind = kind;
  s.seed = 1;
  s.samples = samples;
  s.unit = 4;  // a = 5: the largest swing
  return s;
}

}  // namespace

DropoutLabState DropoutLabDefault() {
  return E8(DropoutKind::kInverted);
}

const std::vector<DropoutPreset>& DropoutPresets() {
  static const std::vector<DropoutPreset> presets = {
      {"e8-inverted", "E8: inverted dropout, p = 0.8, a = [1, 2, 3, 4, 5]",
       E8(DropoutKind::kInverted)},
      {"e8-standard", "E8: standard dropout, p = 0.8 (scale by p at test time)",
       E8(DropoutKind::kStandard)},
      {"e8-many-masks", "E8 inverted, 10000 masks: the running mean settles on the test value",
       E8(DropoutKind::kInverted, 0.8f, 10000)},
      {"e8-half", "p = 0.5, inverted: kept units double", E8(DropoutKind::kInverted, 0.5f)},
  };
  return presets;
}

}  // namespace nnplay
