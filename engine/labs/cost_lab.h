// cost_lab.h: the cost calculator's model (E10, E12, E13). A layer built from
// convolutions (a single conv, a 1x1 bottleneck then a conv, or an Inception module with
// up to four branches) on an H×W×C input: output shape, parameters and multiplications
// per step, per branch and in total; the same mapping as one fully connected layer, and
// the ratios that quantify weight sharing and sparse connections.
//
// Counting is engine/ops/cost.h's, as the course counts: multiplications of the
// weights only (no bias additions), padding taps included ("same" costs k·k·C per output
// everywhere), parameters with a bias per filter unless `bias` is off. Inception branches
// are stride 1, "same"; the pool branch is a 3x3 max pool (no multiplications, no
// parameters) followed by a 1x1 projection.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "labs/check.h"
#include "link/link.h"
#include "ops/cost.h"

namespace nnplay {

enum class CostMode { kSingle, kBottleneck, kInception };

struct CostLabLimits {
  static constexpr int kMaxSide = 256;       // H, W
  static constexpr int kMaxChannels = 1024;  // input channels, filters, reductions
  static constexpr int kMaxKernel = 11;
  static constexpr int kMaxStride = 4;
};

struct CostLabState {
  int h = 28, w = 28, c = 192;  // input H×W×C
  CostMode mode = CostMode::kSingle;
  // single and bottleneck: [1x1 to r channels, then] k×k with n filters
  int k = 1, n = 32, r = 16;
  bool same = true;  // "same" or "valid" padding of the k×k conv
  int stride = 1;    // of the k×k conv
  // Inception: which branches are on, and their sizes (r3/r5 = 0: no 1x1 reduction)
  bool use1 = true, use3 = true, use5 = true, usep = true;
  int n1 = 64, r3 = 96, n3 = 128, r5 = 16, n5 = 32, np = 32;
  bool bias = true;
  CheckEntries check;

  bool operator==(const CostLabState& o) const {
    return h == o.h && w == o.w && c == o.c && mode == o.mode && k == o.k && n == o.n && r == o.r &&
           same == o.same && stride == o.stride && use1 == o.use1 && use3 == o.use3 &&
           use5 == o.use5 && usep == o.usep && n1 == o.n1 && r3 == o.r3 && n3 == o.n3 &&
           r5 == o.r5 && n5 == o.n5 && np == o.np && bias == o.bias && check == o.check;
  }
  bool operator!=(const CostLabState& o) const { return !(*this == o); }
};

// One convolution (or the pool) of a branch.
struct CostStep {
  std::string id;     // check-my-work id, e.g. "b3r"
  std::string title;  // "1x1 reduce to 96"
  FeatureShape in, out;
  ConvSpec spec;
  bool pool = false;  // the 3x3 max pool: no parameters, no multiplications
  LayerCost cost;
  std::string params_text;  // "32 x (1x1x192) + 32 = 6,176"
  std::string mults_text;   // "28x28x32 outputs x 1x1x192 = 25,088 x 192 = 4,816,896"
};

struct CostBranch {
  std::string id;  // "a" (single/bottleneck), "b1", "b3", "b5", "bp"
  std::string title;
  std::vector<CostStep> steps;
  FeatureShape out;
  LayerCost cost;
  std::string mults_text;  // the sum of its steps, when more than one
};

struct CostLabResult {
  std::vector<CostBranch> branches;
  FeatureShape out;  // the layer's output (Inception: the branches concatenated)
  LayerCost total;
  std::string error;  // why there is no output, for the user; empty otherwise
  // The same mapping as one fully connected layer (flattened in → flattened out).
  LayerCost fc;
  double mult_ratio = 0, param_ratio = 0;  // fc / conv
  // Single conv: each weight is used at out_h·out_w positions; each output reads
  // k·k·C of the H·W·C inputs.
  int64_t reuse = 0, inputs_per_output = 0, inputs = 0;
  // Bottleneck/Inception with reductions: the same layer without the 1x1 reductions.
  bool has_direct = false;
  LayerCost direct;
  std::vector<CheckStep> steps;
};

CostLabState CostLabDefault();  // E10: 28x28x192 -> 28x28x32 with a 1x1 convolution
void EvaluateCostLab(const CostLabState& state, CostLabResult* result);
CostLabResult EvaluateCostLab(const CostLabState& state);

// "4816896" -> "4,816,896".
std::string Thousands(int64_t v);

// Check my work: one step per convolution that is not alone in its branch ("red", "conv";
// "b3r", "b3k", "b5r", "b5k"), one per Inception branch ("b1", "b3", "b5", "bp"), then
// "mults" (total), "params" (total), "fc" (fully connected mults), "ratio" (fc / conv mults).
std::vector<CheckStep> CostCheckSteps(const CostLabState& state, const CostLabResult& result);
// The steps recomputed from the learner's own values (error carried forward, check.h): a
// branch's total from their convolutions, the total from their branches, the ratio from
// their totals.
CheckRecompute CostCheckRecompute(const CostLabState& state);

// ---- share link ----------------------------------------------------------------------
// "v1/cost?mode=single&h=28&w=28&c=192&k=1&n=32&r=16&pad=same&stride=1&br=135p&n1=64&r3=96
//  &n3=128&r5=16&n5=32&np=32&bias=1&check=" (all fields, this order).
std::string EncodeCostLab(const CostLabState& state);
bool DecodeCostLab(const Link& link, CostLabState* state, LinkError* error);

std::string CostLabToJson(const CostLabState& state, const CostLabResult& result);

// ---- presets (cost_presets.cpp) ------------------------------------------------------
struct CostPreset {
  const char* id;
  const char* title;
  const char* label;  // short, for a button
  CostLabState state;
};
const std::vector<CostPreset>& CostPresets();

}  // namespace nnplay
