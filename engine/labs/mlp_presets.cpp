// mlp_presets.cpp: the Neuron & MLP lab's presets, one per exercise of the course
// (exercises.md E1, E2, E4, E5) and the student's hand-written answers for "check my work".
#include <algorithm>

#include "labs/mlp_lab.h"

namespace nnplay {
namespace {

Tensor Values(std::vector<int> shape, const std::vector<float>& v) {
  Tensor t(std::move(shape));
  std::copy(v.begin(), v.end(), t.data());
  return t;
}

// E1: one neuron, z = x.w with x = [0.2, -1.3, 2, 0.01], w = [0.001, 0.01, -0.005, -1.2].
MlpLabState E1With(MlpActivation output) {
  MlpLabState s = MakeMlp({4, 1});
  s.x = Values({4}, {0.2f, -1.3f, 2.0f, 0.01f});
  s.layers[0].activation = output;
  s.layers[0].w = Values({1, 4}, {0.001f, 0.01f, -0.005f, -1.2f});
  return s;
}

// E2: 4-3-2-2, ReLU, ReLU, softmax; W1 all 0.1, W2 all 0.001, W3 all 0.01, no biases.
MlpLabState E2With(float x4) {
  MlpLabState s = MakeMlp({4, 3, 2, 2});
  s.x = Values({4}, {-2.4f, 1.2f, -0.8f, x4});
  FillMlpWeights(&s, 0, MlpFill::kConstant, 0.1f, 0, 0);
  FillMlpWeights(&s, 1, MlpFill::kConstant, 0.001f, 0, 0);
  FillMlpWeights(&s, 2, MlpFill::kConstant, 0.01f, 0, 0);
  return s;
}

// E4: 2-2-3-2, ReLU, ReLU, softmax, no biases; w3_13 is W3[1][3] (0.1, or -0.1 on the page).
MlpLabState E4With(float w3_13) {
  MlpLabState s = MakeMlp({2, 2, 3, 2});
  s.x = Values({2}, {0.5f, -1.0f});
  s.layers[0].w = Values({2, 2}, {0.1f, -0.1f, 0.2f, 0.3f});
  s.layers[1].w = Values({3, 2}, {0.1f, -0.5f, 0.3f, 0.2f, 0.4f, -0.1f});
  s.layers[2].w = Values({2, 3}, {0.1f, 0.2f, w3_13, 0.4f, 0.7f, 0.3f});
  return s;
}

MlpLabState E1() {
  return E1With(MlpActivation::kLinear);
}
MlpLabState E1Softmax() {
  return E1With(MlpActivation::kSoftmax);
}
MlpLabState E1Sigmoid() {
  return E1With(MlpActivation::kSigmoid);
}

// The student wrote z = -0.0348 (right) and softmax(-0.0348) = 0 (wrong: it is 1).
MlpLabState E1Student() {
  MlpLabState s = E1Softmax();
  s.check = {{"z1", {"-0.0348"}}, {"a1", {"0"}}};
  return s;
}

MlpLabState E2() {
  return E2With(1.1f);
}
MlpLabState E2X4Is2() {
  return E2With(2.0f);
}
MlpLabState E4() {
  return E4With(0.1f);
}
MlpLabState E4Minus() {
  return E4With(-0.1f);
}

// The student's E4 page: z1 and a1 right; z2[3] = 0.006 (should be 0.06) and 0.005 two lines
// later (a2[3]); from those, z3 = [0.011, 0.040] (0.1x0.015 + 0.2x0.045 + 0.1x0.005 = 0.011)
// and P = 0.493 (should be 0.49025).
MlpLabState E4Student() {
  MlpLabState s = E4();
  s.check = {{"z1", {"0.15", "-0.2"}},
             {"a1", {"0.15", "0"}},
             {"z2", {"0.015", "0.045", "0.006"}},
             {"a2", {"0.015", "0.045", "0.005"}},
             {"z3", {"0.011", "0.040"}},
             {"a3", {"0.493", ""}}};
  return s;
}

MlpLabState E4Backward() {
  MlpLabState s = E4();
  s.mode = MlpMode::kBackward;
  return s;
}

// E5: dense 3 -> 4 -> 2 with biases: 12 + 4 + 8 + 2 = 26 parameters. He and Xavier fills.
MlpLabState E5() {
  MlpLabState s = MakeMlp({3, 4, 2});
  s.x = Values({3}, {1.0f, 0.5f, -1.0f});
  SetMlpBias(&s, 0, true);
  SetMlpBias(&s, 1, true);
  FillMlpWeights(&s, 0, MlpFill::kHe, 0, 0, 1);
  FillMlpBiases(&s, 0, 0.1f);
  FillMlpWeights(&s, 1, MlpFill::kXavier, 0, 0, 2);
  return s;
}

}  // namespace

MlpLabState MlpLabDefault() {
  return E4();
}

const std::vector<MlpPreset>& MlpPresets() {
  static const std::vector<MlpPreset> presets = {
      {"e1", "E1: one neuron, z = x.w", E1},
      {"e1-softmax", "E1: softmax over one logit is 1", E1Softmax},
      {"e1-sigmoid", "E1: a sigmoid output instead", E1Sigmoid},
      {"e1-student", "E1 with the student's answers", E1Student},
      {"e2", "E2: 4-3-2-2 collapses to [0.5, 0.5]", E2},
      {"e2-x4-2", "E2 with x4 = 2.0", E2X4Is2},
      {"e4", "E4: 2-2-3-2 forward pass", E4},
      {"e4-w13-neg", "E4 with w3_13 = -0.1", E4Minus},
      {"e4-student", "E4 with the student's answers", E4Student},
      {"e4-backward", "E4 backward: every gradient", E4Backward},
      {"e5", "E5: 3-4-2 with biases, 26 parameters", E5},
  };
  return presets;
}

}  // namespace nnplay
