// flow_lab.h: the gradient-flow lab's model (E7 vanishing gradients, E11 residual blocks).
//
// Two configurations, A and B, of a deep chain of dense layers, each evaluated forward
// and backward on the same seeded input, so their per-layer gradient norms can be drawn
// side by side; the curve of an activation and its derivative over [-8, 8]; and, for a
// chosen layer, the backward arithmetic ∂L/∂x = ∂L/∂y · (∂F/∂x + 1) with its numbers.
//
// The network (documented for the link in docs/link-format.md, lab `flow`):
//   a_0 = x, x_i uniform in [0, 1) (PCG32 seeded with `xseed`, stream 54; first `width`
//        numbers; non-negative, as the output of a ReLU layer would be)
//   plain layer l:    a_l = g(z_l),        z_l = W_l a_{l-1}   (no bias: b = 0)
//   residual layer l: a_l = g(z_l) + a_{l-1}  — y = F(x) + x with F(x) = g(W x), one
//        dense layer and its activation per block
//   loss L = sum of the outputs a_L, so ∂L/∂a_L = (1, ..., 1).
// Backward: dz_l = g'(z_l) ⊙ ∂L/∂a_l; ∂L/∂a_{l-1} = W_lᵀ dz_l (+ ∂L/∂a_l with the skip);
// ∂L/∂W_l = dz_l a_{l-1}ᵀ. "The gradient reaching layer l" is ‖∂L/∂a_l‖ (Euclidean), the
// gradient arriving at layer l's output from above; it is what is plotted.
// Everything is computed in double precision (the ops' double reference kernels), so a
// 50-layer chain neither underflows nor overflows; JSON carries floats (null beyond the
// float range) and log10 of every norm (null for 0).
//
// Initialisation, weights drawn layer by layer, row-major W_l[out][in], from one PCG32
// seeded with the configuration's `seed` (stream 54):
//   const:   every weight = w
//   uniform: U(-w, w)
//   xavier:  U(-r, r), r = sqrt(6 / (fan_in + fan_out))  (Glorot uniform)
//   he:      U(-r, r), r = sqrt(6 / fan_in)              (He uniform)
// Leaky ReLU has slope 0.01.
#pragma once

#include <string>
#include <vector>

#include "labs/check.h"
#include "link/link.h"
#include "tensor.h"

namespace nnplay {

enum class FlowActivation { kSigmoid, kTanh, kRelu, kLeakyRelu };
enum class FlowInit { kConstant, kUniform, kXavier, kHe };

struct FlowLabLimits {
  static constexpr int kMinDepth = 2, kMaxDepth = 50;
  static constexpr int kMinWidth = 1, kMaxWidth = 32;
  static constexpr float kMaxWeight = 4.0f;  // |w| for const, the half-range for uniform
  static constexpr int kMaxSeed = 999999999;
  static constexpr double kLeakySlope = 0.01;
  static constexpr int kCurveSamples = 161;  // x = -8, -7.9, ..., 8
};

struct FlowConfig {
  int depth = 20;
  int width = 8;
  FlowActivation act = FlowActivation::kSigmoid;
  FlowInit init = FlowInit::kXavier;
  float w = 1.0f;  // const: the weight; uniform: the half-range
  int seed = 1;
  bool residual = false;

  bool operator==(const FlowConfig& o) const {
    return depth == o.depth && width == o.width && act == o.act && init == o.init && w == o.w &&
           seed == o.seed && residual == o.residual;
  }
  bool operator!=(const FlowConfig& o) const { return !(*this == o); }
};

struct FlowLabState {
  FlowConfig a, b;
  int xseed = 1;   // the input
  int block = 10;  // layer whose backward arithmetic is shown (clamped to each depth)
  FlowActivation curve = FlowActivation::kSigmoid;  // the activation curve panel
  CheckEntries check;

  bool operator==(const FlowLabState& o) const {
    return a == o.a && b == o.b && xseed == o.xseed && block == o.block && curve == o.curve &&
           check == o.check;
  }
  bool operator!=(const FlowLabState& o) const { return !(*this == o); }
};

// The backward step through one layer, for its first unit and as norms.
//   skip = ∂L/∂a_l (residual) or 0; fpath = W_lᵀ (g'(z_l) ⊙ ∂L/∂a_l); ∂L/∂a_{l-1} = fpath + skip.
// For width 1 this is exactly ∂L/∂x = ∂L/∂y · (∂F/∂x + 1), ∂F/∂x = g'(z)·w.
struct FlowBlockTrace {
  int layer = 0;  // l, 1-based
  bool residual = false;
  int width = 1;
  double dy0 = 0;                         // (∂L/∂a_l)[1]
  double gprime0 = 0, w00 = 0, z0 = 0;    // g'(z_l)[1], W_l[1][1], z_l[1]
  double dfdx = 0;                        // width 1: ∂F/∂x = g'(z)·w
  double fpath0 = 0, skip0 = 0, dx0 = 0;  // [1] of each
  double dy_norm = 0, fpath_norm = 0, skip_norm = 0, dx_norm = 0;
  std::vector<std::string> lines;  // the arithmetic with the numbers (ASCII + Latin-1)
};

struct FlowRun {
  Tensor weights;                   // [L, width, width]
  Tensor z, a;                      // [L, width]: z_l and a_l for l = 1..L (row l-1)
  Tensor input;                     // [width]: a_0
  Tensor grad;                      // [L + 1, width]: ∂L/∂a_l for l = 0..L (row l)
  std::vector<double> grad_norm;    // ‖∂L/∂a_l‖, l = 0..L
  std::vector<double> grad_w_norm;  // ‖∂L/∂W_l‖_F, l = 1..L (index l-1)
  double loss = 0;
  double ratio = 0;  // ‖∂L/∂a_1‖ / ‖∂L/∂a_L‖: how much of the top's gradient reaches layer 1
  FlowBlockTrace block;
};

struct FlowCurve {
  FlowActivation act = FlowActivation::kSigmoid;
  std::vector<double> x, y, dy;    // kCurveSamples points over [-8, 8]
  double peak_x = 0, peak_dy = 0;  // where g' is largest (first such sample), and its value
  double dy_at_0 = 0;              // g'(0) (ReLU: 0, the convention of ops/activations.h)
  // Saturated: g'(x) < 10% of its peak (ReLU: where it is 0), as [from, to] sample ranges.
  std::vector<std::pair<double, double>> saturated;
};

struct FlowLabResult {
  FlowRun a, b;
  FlowCurve curve;
  std::vector<CheckStep> steps;
};

FlowLabState FlowLabDefault();  // the "residual vs plain, 20 sigmoid layers" preset
void EvaluateFlowLab(const FlowLabState& state, FlowLabResult* result);
FlowLabResult EvaluateFlowLab(const FlowLabState& state);
void EvaluateFlowRun(const FlowConfig& config, int xseed, int block, FlowRun* run);
void EvaluateFlowCurve(FlowActivation act, FlowCurve* curve);

// Check my work: "dsig0" (σ'(0)), "ratio_a"/"ratio_b" (‖∂L/∂a_1‖ / ‖∂L/∂a_L‖), "blk_a"/"blk_b"
// ((∂L/∂y)[1], (F path)[1], (∂L/∂x)[1] at the chosen layer).
std::vector<CheckStep> FlowCheckSteps(const FlowLabState& state, const FlowLabResult& result);

const char* FlowActivationName(FlowActivation a);  // "sigmoid", "tanh", "relu", "leaky"
const char* FlowInitName(FlowInit i);              // "const", "uniform", "xavier", "he"

// ---- share link ----------------------------------------------------------------------
// "v1/flow?a_act=..&a_depth=..&a_width=..&a_init=..&a_w=..&a_seed=..&a_res=..&b_...&xseed=..
//  &block=..&curve=..&check=.." (all fields, this order). Missing fields take the defaults.
std::string EncodeFlowLab(const FlowLabState& state);
bool DecodeFlowLab(const Link& link, FlowLabState* state, LinkError* error);

std::string FlowLabToJson(const FlowLabState& state, const FlowLabResult& result);

// ---- presets (flow_presets.cpp) ------------------------------------------------------
struct FlowPreset {
  const char* id;
  const char* title;
  const char* label;  // short, for a button
  FlowLabState state;
};
const std::vector<FlowPreset>& FlowPresets();

}  // namespace nnplay
