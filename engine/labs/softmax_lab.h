// softmax_lab.h: the softmax lab's model (E1, E3). State (1 to 10 logits, a temperature,
// the learner's own numbers) -> result: the exponentials, their sum and the
// probabilities, the numerically stable form (x - max) that never overflows, and, for a
// single logit, the sigmoid a 1-unit output wants.
//
// The view in web/ only draws what this computes. Limits below are the UI's and the share
// link's: the decoder rejects anything outside them before allocating.
//
// Presets for this lab live in softmax_presets.cpp, beside the math.
#pragma once

#include <string>
#include <vector>

#include "labs/check.h"
#include "link/link.h"
#include "tensor.h"

namespace nnplay {

struct SoftmaxLabLimits {
  static constexpr int kMinLogits = 1, kMaxLogits = 10;
  static constexpr float kMinTemperature = 0.01f, kMaxTemperature = 100.0f;
};

struct SoftmaxLabState {
  Tensor logits;             // [n], 1 <= n <= 10
  float temperature = 1.0f;  // p = softmax(x / T)
  CheckEntries check;        // the learner's own values (link field `check`)

  bool operator==(const SoftmaxLabState& o) const {
    return logits == o.logits && temperature == o.temperature && check == o.check;
  }
  bool operator!=(const SoftmaxLabState& o) const { return !(*this == o); }
};

struct SoftmaxLabResult {
  // Naive form, as written on paper, in float32: e^(x_i/T) may overflow to inf.
  Tensor exps;  // [n] e^(x_i/T)
  float sum = 0;
  bool overflow = false;  // some e^(x_i/T) (or their sum) is not finite in float32
  // Stable form: m = max x, every exponent (x_i - m)/T <= 0.
  float max = 0;
  Tensor shifted;      // [n] (x_i - m)/T
  Tensor exps_stable;  // [n] e^((x_i - m)/T), the largest is exactly 1
  float sum_stable = 0;
  Tensor p;  // [n] the probabilities (from the stable form, the engine's softmax op)
  // One logit: softmax is 1 whatever the logit; sigmoid(x) is what a 1-unit output wants.
  bool single = false;
  float sigmoid = 0;  // sigma(x_0 / T), computed for every state

  // The arithmetic, numbers plugged in (display text, labs/notation.h; the JSON has its
  // ASCII: "exp(2) = 7.38906").
  std::vector<std::string> exp_text;       // per logit: "exp(2) ≈ 7.38906"
  std::string sum_text;                    // "7.38906 + 2.71828 + 1.10517 ≈ 11.2125"
  std::vector<std::string> p_text;         // per logit: "7.38906 / 11.2125 ≈ 0.659001"
  std::vector<std::string> stable_text;    // per logit: "exp(2 − 2) = exp(0) = 1"
  std::string stable_sum_text;             // "1 + 0.367879 + 0.149569 ≈ 1.51745"
  std::vector<std::string> stable_p_text;  // per logit: "1 / 1.51745 ≈ 0.659001"
  std::string why_same;                    // why both forms give the same p
  std::string single_text;                 // the one-logit explanation (empty otherwise)
  std::string sigmoid_text;                // "σ(−0.0348) = 1/(1 + exp(0.0348)) ≈ 0.491301"
  std::vector<CheckStep> steps;            // check my work: exps, sum, p
};

// The rule in letters (display text): "pᵢ = exp(xᵢ/T) / ∑ⱼ exp(xⱼ/T)".
std::string SoftmaxRule();

SoftmaxLabState SoftmaxLabDefault();  // E3: logits [2, 1, 0.1]
SoftmaxLabResult EvaluateSoftmaxLab(const SoftmaxLabState& state);
// The same, reusing `result`'s storage (what the page does on every edit).
void EvaluateSoftmaxLab(const SoftmaxLabState& state, SoftmaxLabResult* result);

// Check my work: "exps" (e^(x_i/T), n values), "sum" (1 value), "p" (n values).
std::vector<CheckStep> SoftmaxCheckSteps(const SoftmaxLabState& state,
                                         const SoftmaxLabResult& result);

// ---- share link ----------------------------------------------------------------------
// The steps recomputed from the learner's own values (error carried forward, check.h):
// the sum of their exponentials, each of them over their sum.
CheckRecompute SoftmaxCheckRecompute(const SoftmaxLabState& state);

// "v1/softmax?x=3:2,1,0.1&t=1&check=" (all fields, this order). `x` is required; `t`
// defaults to 1 and `check` to nothing entered.
std::string EncodeSoftmaxLab(const SoftmaxLabState& state);
bool DecodeSoftmaxLab(const Link& link, SoftmaxLabState* state, LinkError* error);

// {"lab":"softmax","link":...,"state":{...},"result":{...},"check":{...}}
std::string SoftmaxLabToJson(const SoftmaxLabState& state, const SoftmaxLabResult& result);

// ---- presets (softmax_presets.cpp) ---------------------------------------------------
struct SoftmaxPreset {
  const char* id;
  const char* title;
  SoftmaxLabState state;
};
const std::vector<SoftmaxPreset>& SoftmaxPresets();

}  // namespace nnplay
