// batchnorm_lab.h: the batch-normalization lab's model (E6). State (a features x batch
// matrix, gamma, beta, epsilon, training or inference, the running statistics and their
// momentum, the learner's own numbers) -> every step: mu, var, sigma, xhat, y with the
// numbers plugged in, how one training step moves the running statistics, and the
// inference output that uses them.
//
// Layout: the state holds x as [C, N] (one row per feature, the batch along the row), as
// the exercise writes it; the engine's op (ops/batchnorm.h) takes [N, C], the lab
// transposes. Limits below are the UI's and the share link's.
//
// Presets for this lab live in batchnorm_presets.cpp, beside the math.
#pragma once

#include <string>
#include <vector>

#include "labs/check.h"
#include "link/link.h"
#include "tensor.h"

namespace nnplay {

struct BatchNormLabLimits {
  static constexpr int kMaxFeatures = 8;  // C
  static constexpr int kMaxBatch = 64;    // N
  static constexpr float kMaxEps = 1.0f;  // 0 <= eps <= 1
};

enum class BatchNormMode { kTrain, kInfer };

struct BatchNormLabState {
  Tensor x;               // [C, N]
  Tensor gamma, beta;     // [C]
  float eps = 1e-5f;      // inside the square root: sigma = sqrt(var + eps)
  float momentum = 0.1f;  // PyTorch's meaning: running <- (1 - m) running + m batch
  BatchNormMode mode = BatchNormMode::kTrain;
  Tensor running_mean;  // [C], before this step (PyTorch starts at 0)
  Tensor running_var;   // [C], before this step (PyTorch starts at 1), >= 0
  CheckEntries check;   // the learner's own values (link field `check`)

  bool operator==(const BatchNormLabState& o) const {
    return x == o.x && gamma == o.gamma && beta == o.beta && eps == o.eps &&
           momentum == o.momentum && mode == o.mode && running_mean == o.running_mean &&
           running_var == o.running_var && check == o.check;
  }
  bool operator!=(const BatchNormLabState& o) const { return !(*this == o); }
};

// Mean, variance, sigma and the arithmetic of one feature's statistics.
struct BatchNormFeatureText {
  std::string mean, var, sigma;           // training: the batch's
  std::string running_mean, running_var;  // the running statistics after this step
  std::string infer_sigma;                // inference: sqrt(running_var + eps)
  std::string note;                       // training: e.g. sigma = 0 with eps = 0
  std::string infer_note;                 // inference: sigma = 0, xhat undefined (inf)
};

struct BatchNormLabResult {
  // Training mode: the batch's statistics.
  Tensor mean, var, sigma;           // [C]; sigma = sqrt(var + eps)
  Tensor xhat, y;                    // [C, N]
  Tensor running_mean, running_var;  // [C] after this training step
  // Inference mode: the running statistics of the state (no batch coupling).
  Tensor infer_sigma;  // [C] sqrt(running_var + eps)
  // [C, N]; where sigma = 0 and x != mu, xhat = (x - mu)/0 is undefined: +-inf (null in
  // the JSON). x = mu gives 0/0, taken as 0 as in training (what any eps > 0 gives).
  Tensor infer_xhat, infer_y;
  std::vector<BatchNormFeatureText> text;                  // per feature
  std::vector<std::string> xhat_text, y_text;              // [C*N], training
  std::vector<std::string> infer_xhat_text, infer_y_text;  // [C*N], inference
  std::string eps_effect;                                  // how much eps moves y here
  std::vector<CheckStep> steps;                            // check my work, in the state's mode
};

BatchNormLabState BatchNormLabDefault();  // E6 (eps = 0)
BatchNormLabResult EvaluateBatchNormLab(const BatchNormLabState& state);
void EvaluateBatchNormLab(const BatchNormLabState& state, BatchNormLabResult* result);

// Check my work, in the state's mode: "mu", "var", "sigma" (C values each), "xhat", "y"
// (C*N values, feature by feature). In inference mode mu and var are the running ones.
std::vector<CheckStep> BatchNormCheckSteps(const BatchNormLabState& state,
                                           const BatchNormLabResult& result);

// The state after one training step: the running statistics replaced by the result's.
void ApplyBatchNormTrainingStep(const BatchNormLabResult& result, BatchNormLabState* state);

// ---- share link ----------------------------------------------------------------------
// The steps recomputed from the learner's own values (error carried forward, check.h): the
// variance about their mean, the root of their variance, x̂ and y from their numbers.
CheckRecompute BatchNormCheckRecompute(const BatchNormLabState& state);

// "v1/batchnorm?x=1x5:2,4,6,8,10&g=1:2&b=1:-1&eps=0&mom=0.1&mode=train&rm=1:0&rv=1:1&check="
std::string EncodeBatchNormLab(const BatchNormLabState& state);
bool DecodeBatchNormLab(const Link& link, BatchNormLabState* state, LinkError* error);

std::string BatchNormLabToJson(const BatchNormLabState& state, const BatchNormLabResult& result);

// ---- presets (batchnorm_presets.cpp) -------------------------------------------------
struct BatchNormPreset {
  const char* id;
  const char* title;
  BatchNormLabState state;
};
const std::vector<BatchNormPreset>& BatchNormPresets();

}  // namespace nnplay
