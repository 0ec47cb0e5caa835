// softmax_presets.cpp: the softmax lab's presets, from the course's exercises
// (E1 and E3, student's answers included) and one that overflows the naive form.
#include "labs/softmax_lab.h"

namespace nnplay {
namespace {

SoftmaxLabState Make(std::vector<float> logits, CheckEntries check = {}) {
  SoftmaxLabState s;
  s.logits = Tensor({static_cast<int>(logits.size())});
  s.logits.values() = std::move(logits);
  s.check = std::move(check);
  return s;
}

}  // namespace

SoftmaxLabState SoftmaxLabDefault() {
  return Make({2.0f, 1.0f, 0.1f});
}

const std::vector<SoftmaxPreset>& SoftmaxPresets() {
  static const std::vector<SoftmaxPreset> presets = {
      {"e3-last-fc", "E3: softmax of the last FC layer, logits [2, 1, 0.1]", Make({2, 1, 0.1f})},
      {"e3-student", "E3 with the student's answers (sum 11.204, p [0.658, 0.2418, 0.0986])",
       Make({2, 1, 0.1f}, {{"sum", {"11.204"}}, {"p", {"0.658", "0.2418", "0.0986"}}})},
      {"e1-single-logit", "E1: softmax of a single logit, z = -0.0348 (always 1; sigmoid 0.4913)",
       Make({-0.0348f})},
      {"e1-student", "E1 single logit with the student's answer (softmax = 0)",
       Make({-0.0348f}, {{"p", {"0"}}})},
      {"large-logits",
       "Large logits [1000, 1001, 1002]: the naive form overflows, the stable one "
       "does not",
       Make({1000, 1001, 1002})},
  };
  return presets;
}

}  // namespace nnplay
