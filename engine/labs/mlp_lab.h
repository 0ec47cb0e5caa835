// mlp_lab.h: the "Neuron & MLP" lab's model. State (an input vector x and 1-6 dense layers,
// each a weight matrix, an optional bias and an activation; a target class; forward or
// backward mode) -> result (z and a for every layer, the cross-entropy loss on the softmax of
// the last z, and every gradient), and, for any unit or weight, the arithmetic with the
// numbers plugged in.
//
// Conventions (the course's): layer l computes z_l = W_l a_(l-1) + b_l, a_l = g_l(z_l), with
// a_0 = x; W_l is [units_l, units_(l-1)], so W3[1][2] (1-based, as shown) is the weight from
// unit 2 of layer 2 into unit 1 of layer 3. Indices in every text are 1-based, the target
// class too (w^3_13 of the course is W3[1][3]).
//
// The math is engine/ops (dense_*_ref, *_ref activations, softmax, softmax cross-entropy):
// the scalar reference kernels, so native and wasm agree. The view in web/ only draws.
// Presets live in mlp_presets.cpp, beside the math.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "labs/check.h"
#include "link/link.h"
#include "tensor.h"

namespace nnplay {

struct MlpLabLimits {
  static constexpr int kMinUnits = 1, kMaxUnits = 16;  // per layer, and the input size
  static constexpr int kMinLayers = 1, kMaxLayers = 6;
};

enum class MlpActivation { kLinear, kRelu, kLeakyRelu, kSigmoid, kTanh, kSoftmax };
constexpr int kMlpActivationCount = 6;
constexpr float kLeakySlope = 0.01f;  // leaky ReLU: x < 0 ? 0.01 x : x

const char* MlpActivationName(MlpActivation a);  // link name: "linear", "relu", "leaky_relu"...
bool ParseMlpActivation(const std::string& name, MlpActivation* a);

enum class MlpMode { kForward, kBackward };

struct MlpLayer {
  MlpActivation activation = MlpActivation::kRelu;
  bool has_bias = false;
  Tensor w;  // [units, inputs]
  Tensor b;  // [units]; all zero (and not in the link) when !has_bias

  int units() const { return w.dim(0); }
  int inputs() const { return w.dim(1); }
  bool operator==(const MlpLayer& o) const {
    return activation == o.activation && has_bias == o.has_bias && w == o.w && b == o.b;
  }
};

struct MlpLabState {
  Tensor x;  // [inputs]
  std::vector<MlpLayer> layers;
  int target = 1;  // 1-based class for the loss, 1..units of the last layer
  MlpMode mode = MlpMode::kForward;
  CheckEntries check;  // the learner's own values ("check my work")

  bool operator==(const MlpLabState& o) const {
    return x == o.x && layers == o.layers && target == o.target && mode == o.mode &&
           check == o.check;
  }
  bool operator!=(const MlpLabState& o) const { return !(*this == o); }
};

struct MlpLayerResult {
  Tensor z, a;                  // [units]
  Tensor dz, da;                // [units]; da is empty for the last layer when it is not softmax
  Tensor dw;                    // [units, inputs]
  Tensor db;                    // [units] (empty when the layer has no bias)
  int weights = 0, biases = 0;  // parameter count
};

struct MlpLabResult {
  std::vector<MlpLayerResult> layers;
  Tensor probs;  // softmax of the last z (the output when the last layer is softmax)
  float loss = 0;
  Tensor dx;  // dL/dx
  int parameters = 0;
  // Sentences the lab says about this state: a softmax over one logit, a loss taken on the
  // softmax of a non-softmax last layer, identical units (symmetry), a dead ReLU layer.
  std::vector<std::string> notes;
};

MlpLabState MlpLabDefault();  // the E4 network
// Zero-filled layers of the given sizes (input size, then units per layer), ReLU hidden,
// softmax output, no biases.
MlpLabState MakeMlp(const std::vector<int>& sizes);

MlpLabResult EvaluateMlpLab(const MlpLabState& state);
void EvaluateMlpLab(const MlpLabState& state, MlpLabResult* result);  // reuses storage

// ---- arithmetic with the numbers plugged in (ASCII; 'x' for times) -------------------------
// layer and unit are 0-based here; the text is 1-based.
// "z2[3] = 0.4x0.15 + (-0.1)x0 = 0.06"
std::string TraceMlpZ(const MlpLabState& s, const MlpLabResult& r, int layer, int unit);
// "a2[3] = relu(0.06) = 0.06", "a3[1] = exp(0.0165)/(exp(0.0165) + exp(0.0555)) = 0.49025"
std::string TraceMlpA(const MlpLabState& s, const MlpLabResult& r, int layer, int unit);
// "dL/dz3[1] = p[1] - y[1] = 0.49025 - 1 = -0.50975", "dL/dz2[1] = dL/da2[1] x relu'(z2[1])..."
std::string TraceMlpDz(const MlpLabState& s, const MlpLabResult& r, int layer, int unit);
// "dL/da2[3] = W3[1][3] x dL/dz3[1] + W3[2][3] x dL/dz3[2] = ..."
std::string TraceMlpDa(const MlpLabState& s, const MlpLabResult& r, int layer, int unit);
// "dL/dW3[1][2] = dL/dz3[1] x a2[2] = 0.49 x 0.06 = 0.0294"
std::string TraceMlpDw(const MlpLabState& s, const MlpLabResult& r, int layer, int unit, int input);
// "L = -log(p[1]) = -log(0.49025) = 0.71284"
std::string TraceMlpLoss(const MlpLabState& s, const MlpLabResult& r);
// A number as the traces write it: up to 6 significant digits, negatives in parentheses
// when `paren`.
std::string MlpNumber(float v, bool paren = false);

// ---- fill helpers (weights of one layer; PCG32, so native and wasm agree) ------------------
enum class MlpFill { kConstant, kUniform, kXavier, kHe };
// kConstant: every weight = a. kUniform: U(a, b). kXavier: U(+-sqrt(6/(in+out))).
// kHe: U(+-sqrt(6/in)). Random values are rounded to 2 decimals (readable cells, short links).
void FillMlpWeights(MlpLabState* s, int layer, MlpFill fill, float a, float b, uint32_t seed);
void FillMlpBiases(MlpLabState* s, int layer, float value);
// Structure edits that keep the network consistent (the next layer's W follows).
void SetMlpInputSize(MlpLabState* s, int n);
void SetMlpUnits(MlpLabState* s, int layer, int units);
void AddMlpLayer(MlpLabState* s);     // appends a layer of 2 units (up to kMaxLayers)
void RemoveMlpLayer(MlpLabState* s);  // removes the last layer (down to 1)
void SetMlpBias(MlpLabState* s, int layer, bool has_bias);

// ---- check my work ------------------------------------------------------------------------
// Steps: z1, a1, ..., zL, aL; "p" (softmax of zL) when the last layer is not softmax; in
// backward mode also "loss" and dz1..dzL (dL/dz).
std::vector<CheckStep> MlpCheckSteps(const MlpLabState& s, const MlpLabResult& r);
// The steps recomputed from the learner's own values (error carried forward, check.h).
CheckRecompute MlpCheckRecompute(const MlpLabState& s);
// Drops entries of steps that no longer exist and resizes the rest (after a structure edit).
void NormalizeMlpCheck(MlpLabState* s);

// ---- share link ---------------------------------------------------------------------------
// "v1/mlp?x=2:0.5,-1&l1=relu&w1=2x2:...[&b1=2:...]&l2=...&w2=...&target=1&mode=fwd&check=..."
// Every field, in this order; bN is written exactly when layer N has a bias.
std::string EncodeMlpLab(const MlpLabState& state);
bool DecodeMlpLab(const Link& link, MlpLabState* state, LinkError* error);
std::string MlpLabToJson(const MlpLabState& state, const MlpLabResult& result);

// ---- presets (mlp_presets.cpp) ------------------------------------------------------------
struct MlpPreset {
  const char* id;     // "e4"
  const char* title;  // "E4: 2-2-3-2 forward pass"
  MlpLabState (*make)();
};
const std::vector<MlpPreset>& MlpPresets();

}  // namespace nnplay
