// flow_presets.cpp: the gradient-flow lab's presets (E7, E11). Each sets configuration A
// and configuration B so the two gradient profiles are drawn side by side.
#include "labs/flow_lab.h"

namespace nnplay {
namespace {

FlowConfig Config(FlowActivation act, int depth, int width, FlowInit init, float w, bool residual) {
  FlowConfig c;
  c.act = act, c.depth = depth, c.width = width, c.init = init, c.w = w, c.residual = residual;
  return c;
}

FlowLabState State(FlowConfig a, FlowConfig b, FlowActivation curve) {
  FlowLabState s;
  s.a = a, s.b = b, s.curve = curve;
  return s;
}

constexpr FlowActivation kSig = FlowActivation::kSigmoid, kTanh = FlowActivation::kTanh,
                         kRelu = FlowActivation::kRelu;

}  // namespace

const std::vector<FlowPreset>& FlowPresets() {
  static const std::vector<FlowPreset> presets = {
      {"e11-residual-20", "E11: residual vs plain, 20 sigmoid layers (width 8, Xavier)",
       "E11: residual vs plain",
       State(Config(kSig, 20, 8, FlowInit::kXavier, 1, true),
             Config(kSig, 20, 8, FlowInit::kXavier, 1, false), kSig)},
      {"e7-sigmoid-20", "E7: sigmoid vs tanh, 20 plain layers (width 8, Xavier)",
       "E7: sigmoid vs tanh",
       State(Config(kSig, 20, 8, FlowInit::kXavier, 1, false),
             Config(kTanh, 20, 8, FlowInit::kXavier, 1, false), kSig)},
      {"e7-relu-20", "E7: ReLU (He) vs sigmoid (Xavier), 20 plain layers (width 8)",
       "E7: ReLU vs sigmoid",
       State(Config(kRelu, 20, 8, FlowInit::kHe, 1, false),
             Config(kSig, 20, 8, FlowInit::kXavier, 1, false), kRelu)},
      {"e7-sigmoid-by-hand", "E7 by hand: 20 sigmoid units in a row, w = 1 (plain vs residual)",
       "E7 by hand: width 1, w = 1",
       State(Config(kSig, 20, 1, FlowInit::kConstant, 1, false),
             Config(kSig, 20, 1, FlowInit::kConstant, 1, true), kSig)},
      {"e11-zero-block", "E11: W = 0, b = 0 with ReLU: the residual block is the identity",
       "E11: W = 0 block",
       State(Config(kRelu, 20, 8, FlowInit::kConstant, 0, true),
             Config(kRelu, 20, 8, FlowInit::kConstant, 0, false), kRelu)},
  };
  return presets;
}

FlowLabState FlowLabDefault() {
  return FlowPresets()[0].state;
}

}  // namespace nnplay
