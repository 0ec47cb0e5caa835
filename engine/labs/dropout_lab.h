// dropout_lab.h: the dropout lab's model (E8). State (a layer's activations, the keep
// probability p, standard or inverted dropout, a mask seed, how many masks to sample, the
// unit whose running mean is plotted, the learner's own numbers) -> the mask, the
// training and test-time activations, their expectations, and the running mean of the
// training output over many sampled masks converging to the test-time value.
//
// Masks come from the engine's op (ops/dropout.h, PCG32): sample k uses seed + k, so a
// seed names the whole experiment and native and wasm draw the same masks. Sample 0 is
// the mask shown.
//
// Presets for this lab live in dropout_presets.cpp, beside the math.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "labs/check.h"
#include "link/link.h"
#include "ops/dropout.h"
#include "tensor.h"

namespace nnplay {

struct DropoutLabLimits {
  static constexpr int kMinUnits = 1, kMaxUnits = 64;
  static constexpr int kMinSamples = 1, kMaxSamples = 10000;
  static constexpr int kMaxSeed = 2147483647;
};

struct DropoutLabState {
  Tensor activations;  // [n]
  float keep = 0.8f;   // p in (0, 1]: each unit is kept with probability p
  DropoutKind kind = DropoutKind::kInverted;
  int seed = 1;        // 0 .. 2^31 - 1
  int samples = 1000;  // masks averaged, 1 .. 10000
  int unit = 0;        // the unit whose running mean is plotted
  CheckEntries check;  // the learner's own values (link field `check`)

  bool operator==(const DropoutLabState& o) const {
    return activations == o.activations && keep == o.keep && kind == o.kind && seed == o.seed &&
           samples == o.samples && unit == o.unit && check == o.check;
  }
  bool operator!=(const DropoutLabState& o) const { return !(*this == o); }
};

struct DropoutLabResult {
  float train_scale = 1, test_scale = 1;  // factor on kept units in training; on all at test
  Tensor mask;                            // [n] sample 0: 1 kept, 0 dropped
  int kept = 0;                           // ones in the mask
  Tensor train;                           // [n] y_train with that mask
  Tensor expect_train;                    // [n] E[y_train] = p * train_scale * a
  Tensor test;                            // [n] y_test = test_scale * a
  Tensor mean_train;                      // [n] the average of y_train over `samples` masks
  std::vector<float> curve;               // [samples] running mean of y_train of state.unit
  float max_gap = 0;                      // max over units of |mean_train - test|
  // The arithmetic, numbers plugged in.
  std::string rule;                                             // the mode's rule in one line
  std::vector<std::string> train_text, expect_text, test_text;  // per unit
  std::vector<CheckStep> steps;  // check my work: train, etrain, test
};

DropoutLabState DropoutLabDefault();  // E8, inverted
DropoutLabResult EvaluateDropoutLab(const DropoutLabState& state);
void EvaluateDropoutLab(const DropoutLabState& state, DropoutLabResult* result);

// Check my work: "train" (y_train with the shown mask), "etrain" (E[y_train]), "test"
// (y_test), n values each.
std::vector<CheckStep> DropoutCheckSteps(const DropoutLabState& state,
                                         const DropoutLabResult& result);

// ---- share link ----------------------------------------------------------------------
// "v1/dropout?a=5:1,2,3,4,5&p=0.8&mode=inverted&seed=1&n=1000&unit=0&check="
std::string EncodeDropoutLab(const DropoutLabState& state);
bool DecodeDropoutLab(const Link& link, DropoutLabState* state, LinkError* error);

std::string DropoutLabToJson(const DropoutLabState& state, const DropoutLabResult& result);

// ---- presets (dropout_presets.cpp) ---------------------------------------------------
struct DropoutPreset {
  const char* id;
  const char* title;
  DropoutLabState state;
};
const std::vector<DropoutPreset>& DropoutPresets();

}  // namespace nnplay
