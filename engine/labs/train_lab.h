// train_lab.h: the training lab (the TensorFlow Playground part). State (a 2-D dataset made
// from a seed, input features, hidden layers, activation, optimizer, learning rate, batch
// size, the number of training steps done) -> the trained MLP's train/test loss and
// accuracy, a sampled loss history, a decision-boundary grid and per-layer gradient norms.
//
// Deterministic: a state names its weights. Evaluating replays `steps` training steps from
// Network::InitParams(seed) on the same batches, so the same link gives bit-identical weights
// (on one platform; std::tanh/std::sin may differ by an ulp between libcs). The link holds at
// most kMaxSteps steps, so opening any link replays at most that many.
//
// Presets for this lab live in train_presets.cpp.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "link/link.h"
#include "nn/network.h"
#include "nn/optimizer.h"
#include "ops/rng.h"
#include "tensor.h"

namespace nnplay {

enum class TrainDataKind { kCircle, kXor, kGauss, kSpiral, kBlobs3 };
enum class TrainActivation { kTanh, kReLU, kSigmoid };
enum class TrainOptimizer { kSgd, kAdam };

// Input features, a bit mask.
enum TrainFeature : unsigned {
  kFeatX = 1u << 0,
  kFeatY = 1u << 1,
  kFeatX2 = 1u << 2,
  kFeatY2 = 1u << 3,
  kFeatXY = 1u << 4,
  kFeatSinX = 1u << 5,
  kFeatSinY = 1u << 6,
};
constexpr int kTrainFeatureCount = 7;
const char* TrainFeatureName(int i);  // "x", "y", "x2", "y2", "xy", "sinx", "siny"

struct TrainLabLimits {
  static constexpr int kPoints = 400;     // points in a dataset (train + test)
  static constexpr float kExtent = 6.0f;  // the plane shown is [-6, 6]^2
  static constexpr int kGrid = 64;        // decision-boundary cells per side
  static constexpr int kMaxLayers = 6;    // hidden layers (TF Playground's maximum)
  static constexpr int kMaxUnits = 8;     // per hidden layer
  static constexpr int kMaxBatch = 64;
  static constexpr int kMaxSteps = 20000;  // steps a link can hold (replayed at open)
  static constexpr int kMaxSeed = 2147483647;
  static constexpr float kMaxNoise = 0.5f;
  static constexpr int kMinSplit = 10, kMaxSplit = 90;  // percent of points used to train
  static constexpr float kMaxLr = 10.0f;
  static constexpr float kMaxMomentum = 0.99f;
  static constexpr int kHistory = 200;  // loss-history points kept (then thinned)
};

struct TrainLabState {
  TrainDataKind data = TrainDataKind::kCircle;
  int seed = 1;
  float noise = 0.0f;  // 0 .. 0.5
  int split = 50;      // percent of the points used for training
  unsigned features = kFeatX | kFeatY;
  std::vector<int> layers = {4, 4};  // hidden units per layer
  TrainActivation act = TrainActivation::kTanh;
  TrainOptimizer opt = TrainOptimizer::kAdam;
  float lr = 0.03f;
  float momentum = 0.9f;  // SGD only
  int batch = 10;
  int steps = 0;

  // Everything but `steps`: two states with the same setup train the same way.
  bool SameSetup(const TrainLabState& o) const {
    return data == o.data && seed == o.seed && noise == o.noise && split == o.split &&
           features == o.features && layers == o.layers && act == o.act && opt == o.opt &&
           lr == o.lr && momentum == o.momentum && batch == o.batch;
  }
  bool operator==(const TrainLabState& o) const { return SameSetup(o) && steps == o.steps; }
  bool operator!=(const TrainLabState& o) const { return !(*this == o); }
};

struct TrainPoint {
  float x = 0, y = 0;
  int label = 0;
};

struct TrainDataset {
  std::vector<TrainPoint> train, test;
  int classes = 2;
};

int TrainDataClasses(TrainDataKind kind);
// The dataset of a state: kPoints points from PCG32(seed), shuffled, the first split% for
// training. Gaussians use the Irwin-Hall sum of 12 uniforms (no libm), so they are exact.
TrainDataset MakeTrainDataset(TrainDataKind kind, int seed, float noise, int split);
int TrainFeatureWidth(unsigned features);
void TrainFeatureValues(unsigned features, float x, float y, float* out);

struct TrainHistoryPoint {
  int step = 0;
  float train_loss = 0, test_loss = 0;
};

struct TrainLayerNorm {
  std::string name;  // "dense0.weight"
  float norm = 0;    // L2 norm of its gradient in the last step (0 before any step)
};

struct TrainLabResult {
  std::string error;  // why the network could not be built (empty when fine)
  int steps = 0;
  int classes = 2;
  int param_count = 0;
  int train_count = 0, test_count = 0;
  float train_loss = 0, test_loss = 0, train_acc = 0, test_acc = 0;
  float last_batch_loss = 0;
  std::vector<TrainHistoryPoint> history;  // sampled: every `history_every` steps
  int history_every = 1;
  Tensor grid;  // [kGrid, kGrid], row 0 at y = +6: 2 classes: 2*p(1) - 1; 3 classes: the
                // argmax class as -p (class 0), 0 (class 1), +p (class 2)
  std::vector<TrainLayerNorm> grad_norms;
};

// A training run in memory: what the view steps frame by frame and what EvaluateTrainLab
// replays. Step() allocates nothing.
class TrainSession {
 public:
  // Builds the dataset, the network (InitParams(seed)) and the optimizer; steps() = 0.
  // Returns empty, or what is wrong.
  std::string Reset(const TrainLabState& state);
  void Step();  // one training step on the next batch
  int steps() const { return steps_; }
  // Losses, accuracies, grid, gradient norms and history of the current weights.
  void Measure(TrainLabResult* result);
  const TrainDataset& data() const { return data_; }
  const Network& net() const { return net_; }

 private:
  void Losses(const std::vector<float>& x, const std::vector<int>& y, float* loss, float* acc);
  void Record();

  TrainLabState state_;
  TrainDataset data_;
  Network net_;
  Sgd sgd_;
  Adam adam_;
  Pcg32 rng_{1};
  int width_ = 2;
  std::vector<float> train_x_, test_x_, grid_x_, batch_x_;
  std::vector<int> train_y_, test_y_, batch_y_, order_;
  size_t cursor_ = 0;
  int steps_ = 0;
  float last_loss_ = 0;
  std::vector<TrainHistoryPoint> history_;
  int history_every_ = 1;
  std::string error_;
};

TrainLabState TrainLabDefault();  // the circle preset
TrainLabResult EvaluateTrainLab(const TrainLabState& state);

// ---- share link ----------------------------------------------------------------------
// "v1/train?data=circle&seed=1&noise=0&split=50&feat=x,y&layers=4,4&act=tanh&opt=adam&
//  lr=0.03&mom=0.9&batch=10&steps=0"
std::string EncodeTrainLab(const TrainLabState& state);
// Every field is optional (defaults: TrainLabDefault()).
bool DecodeTrainLab(const Link& link, TrainLabState* state, LinkError* error);
std::string TrainLabToJson(const TrainLabState& state, const TrainLabResult& result);

// ---- presets (train_presets.cpp) -----------------------------------------------------
struct TrainPreset {
  const char* id;
  const char* title;
  TrainLabState state;
};
const std::vector<TrainPreset>& TrainPresets();

}  // namespace nnplay
