// train_lab.h: the training lab (the TensorFlow Playground part). State (a 2-D dataset made
// from a seed, points added or removed by hand, input features, hidden layers with an
// activation each, loss, regularization, initialisation, optimizer, learning rate, batch
// size, the number of training steps done, weights typed in along the way) -> the trained
// MLP's train/test loss and accuracy, a test-set confusion matrix, a sampled loss history,
// a decision-boundary grid, per-neuron maps and per-layer gradient norms.
//
// Deterministic: a state names its weights. Evaluating replays `steps` training steps from
// the seed's initial weights on the same batches, applying each recorded weight edit at its
// step, so the same link gives bit-identical weights (on one platform; std::tanh/std::sin
// may differ by an ulp between libcs). The link holds at most kMaxSteps steps, so opening any
// link replays at most that many.
//
// The network is an Mlp (nn/mlp.h): the batch in SIMD lanes, forward to update in one call.
//
// Presets for this lab live in train_presets.cpp.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "labs/session.h"
#include "link/link.h"
#include "nn/mlp.h"
#include "ops/rng.h"
#include "tensor.h"

namespace nnplay {

// Classification: circle, xor, gauss (two Gaussians), spiral, blobs3 (3 classes), blobs (k
// Gaussian blobs) and spirals (k arms), k = `classes`. Regression (a target in [-1, 1] per
// point, TensorFlow Playground's): plane and mgauss (six Gaussian bumps).
enum class TrainDataKind {
  kCircle,
  kXor,
  kGauss,
  kSpiral,
  kBlobs3,
  kBlobs,
  kSpirals,
  kPlane,
  kMultiGauss
};
constexpr int kTrainDataKindCount = 9;
enum class TrainActivation { kTanh, kReLU, kSigmoid, kLinear };
enum class TrainOptimizer { kSgd, kAdam };
// kCrossEntropy: softmax over one logit per class. kSquared: TensorFlow Playground's half
// squared error with tanh outputs and targets +-1 (one output for 2 classes, one per class
// otherwise). Regression always uses the squared error with one linear output.
enum class TrainLoss { kCrossEntropy, kSquared };
enum class TrainReg { kNone, kL1, kL2 };
// kGlorot: Glorot-uniform weights, zero biases. kUniform: TensorFlow Playground's U(-0.5,
// 0.5) weights, biases 0.1.
enum class TrainInit { kGlorot, kUniform };

const char* TrainDataName(TrainDataKind kind);  // the link's name: "circle", ..., "mgauss"
bool TrainDataIsRegression(TrainDataKind kind);

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
// Feature i's name for a learner (display text, labs/notation.h): "x", "y", "x²", "y²",
// "xy", "sin x", "sin y".
const char* TrainFeatureLabel(int i);
const char* TrainFeatureName(int i);  // "x", "y", "x2", "y2", "xy", "sinx", "siny"

struct TrainLabLimits {
  static constexpr int kPoints = 400;     // generated points in a dataset (train + test)
  static constexpr float kExtent = 6.0f;  // the plane shown is [-6, 6]^2
  static constexpr int kGrid = 100;       // decision-boundary cells per side
  static constexpr int kThumb = 32;       // per-neuron map cells per side
  static constexpr int kMaxLayers = 8;    // hidden layers
  static constexpr int kMaxUnits = 16;    // per hidden layer
  static constexpr int kMinClasses = 3, kMaxClasses = 5;  // blobs, spirals
  static constexpr int kMaxBatch = 64;
  // Steps a link can hold (replayed at open): TrainMaxSteps(state), between these two.
  static constexpr int kMaxSteps = 20000;           // every setup, as before the cost model
  static constexpr int kMaxStepsCeiling = 1000000;  // a bound for reading the field
  static constexpr int kMaxSeed = 2147483647;
  static constexpr float kMaxNoise = 0.5f;
  static constexpr int kMinSplit = 10, kMaxSplit = 90;  // percent of points used to train
  static constexpr float kMaxLr = 10.0f;
  static constexpr float kMaxMomentum = 0.99f;
  static constexpr float kMaxRegRate = 10.0f;
  static constexpr int kMaxAdded = 200;        // points added by hand
  static constexpr int kMaxEdits = 100;        // weights typed in
  static constexpr float kMaxWeight = 100.0f;  // |typed weight|
  static constexpr int kHistory = 200;         // loss-history points kept (then thinned)
  // Steps whose batch, batch loss and weights `nnplay eval` lists (the trace): the first
  // min(steps, kTraceSteps), at most 10 x 2117 weights.
  static constexpr int kTraceSteps = 10;
};

// A point added by hand (a training point): class `v` (0..classes-1) or, for regression,
// target `v` in [-1, 1]. Coordinates are rounded to 2 decimals so the link holds them exactly.
struct TrainAddedPoint {
  float x = 0, y = 0, v = 0;
  bool operator==(const TrainAddedPoint& o) const { return x == o.x && y == o.y && v == o.v; }
};

// A weight typed in: before training step `step + 1` (after `step` steps), parameter
// `index` (Mlp layout) is set to `value`.
struct TrainEdit {
  int step = 0;
  int index = 0;
  float value = 0;
  bool operator==(const TrainEdit& o) const {
    return step == o.step && index == o.index && value == o.value;
  }
};

struct TrainLabState {
  TrainDataKind data = TrainDataKind::kCircle;
  int classes = 3;  // blobs and spirals only (3..5); 3 otherwise
  int seed = 1;
  float noise = 0.0f;  // 0 .. 0.5
  int split = 50;      // percent of the points used for training
  unsigned features = kFeatX | kFeatY;
  std::vector<int> layers = {4, 4};              // hidden units per layer
  TrainActivation act = TrainActivation::kTanh;  // every hidden layer's, unless layer_acts
  std::vector<TrainActivation> layer_acts;       // empty, or one per layer (not all the same)
  TrainLoss loss = TrainLoss::kCrossEntropy;
  TrainReg reg = TrainReg::kNone;
  float rate = 0.001f;  // regularization rate
  TrainInit init = TrainInit::kGlorot;
  TrainOptimizer opt = TrainOptimizer::kAdam;
  float lr = 0.03f;
  float momentum = 0.9f;  // SGD only
  int batch = 10;
  std::vector<TrainAddedPoint> added;
  // The first `imported` of `added` came from a CSV (TrainImportCsv): split into train and
  // test like generated points (MakeTrainDataset); the rest, added by hand, are training points.
  int imported = 0;
  std::vector<int> removed;      // indices of generated points (0..399, shuffled order), ascending
  std::vector<TrainEdit> edits;  // steps ascending
  int steps = 0;
  // Past the replay cap (TrainMaxSteps), the run itself: TrainSession::SaveCheckpoint()'s
  // bytes after `steps` steps, which opening restores instead of replaying (the link's
  // `ckpt`). Empty: replay `steps` from the seed.
  std::string checkpoint;

  // Everything but `steps` and the edits: two states with the same setup train the same way.
  bool SameSetup(const TrainLabState& o) const {
    return data == o.data && classes == o.classes && seed == o.seed && noise == o.noise &&
           split == o.split && features == o.features && layers == o.layers && act == o.act &&
           layer_acts == o.layer_acts && loss == o.loss && reg == o.reg && rate == o.rate &&
           init == o.init && opt == o.opt && lr == o.lr && momentum == o.momentum &&
           batch == o.batch && added == o.added && imported == o.imported && removed == o.removed;
  }
  bool operator==(const TrainLabState& o) const {
    return SameSetup(o) && edits == o.edits && steps == o.steps && checkpoint == o.checkpoint;
  }
  bool operator!=(const TrainLabState& o) const { return !(*this == o); }
};

// The activation of hidden layer l.
TrainActivation TrainLayerActivation(const TrainLabState& s, int l);
// Puts a state in canonical form: classes 3 unless blobs/spirals; layer_acts empty when all
// layers share one activation (which becomes `act`), else one per layer and `act` the
// first layer's; loss cross-entropy (ignored) for regression.
void NormalizeTrainLab(TrainLabState* s);
// Outputs of the network: classes (cross-entropy), 1 (squared error, 2 classes; regression)
// or classes (squared error, k classes).
int TrainOutputs(const TrainLabState& s);
// Parameters of the state's network, computed without building it.
int TrainParamCount(const TrainLabState& s);
// The steps a link of this setup may hold: about one second of replay in wasm, by the cost
// of a step measured with Mlp (≈ 2 µs + 1 ns per parameter and example of the batch; e.g.
// TF Playground's circle 444,444 steps, the spiral preset 155,763), never fewer than
// kMaxSteps (every link written before the cost model keeps opening), never more than
// kMaxStepsCeiling.
int TrainMaxSteps(const TrainLabState& s);

struct TrainPoint {
  float x = 0, y = 0;
  int label = 0;    // class (0 for regression)
  float value = 0;  // regression target in [-1, 1] (0 for classification)
  int id = 0;       // >= 0: index of a generated point; < 0: added point -id - 1
};

struct TrainDataset {
  std::vector<TrainPoint> train, test;
  int classes = 2;  // 1 for regression
};

int TrainDataClasses(TrainDataKind kind, int classes = 3);  // 1 for regression
// The generated dataset: kPoints points from PCG32(seed), shuffled, the first split% for
// training. Gaussians use the Irwin-Hall sum of 12 uniforms (no libm), so they are exact.
TrainDataset MakeTrainDataset(TrainDataKind kind, int seed, float noise, int split,
                              int classes = 3);
// The state's dataset: generated, minus `removed`, plus `added`: the first `imported` of them
// shuffled by PCG32(seed, stream 3003) and the first split% of those (at least one) for
// training, the rest for test, each set in the order of `added`; the others appended to
// training. Generated points come first in each set.
TrainDataset MakeTrainDataset(const TrainLabState& s);
// The regression targets (TensorFlow Playground's formulas) at a point.
float TrainPlaneTarget(float x, float y);
float TrainMultiGaussTarget(float x, float y);
int TrainFeatureWidth(unsigned features);
void TrainFeatureValues(unsigned features, float x, float y, float* out);

// Point edits (the view's clicks). Add: rounds x, y to 2 decimals (a training point, after the
// imported ones); false when kMaxAdded are there or the point lies off the plane. Remove: the
// point nearest (x, y) within max_dist, an added one (imported or not) or a generated one;
// false when none is that near.
bool TrainAddPoint(TrainLabState* s, float x, float y, float v);
bool TrainRemoveNearestPoint(TrainLabState* s, float x, float y, float max_dist);

// The learner's own data, pasted or imported as CSV: one point a line, "x,y,label" (a class
// 0..k-1 of the lab's dataset) or, when the lab's dataset is a regression one, "x,y,value"
// (a target in [-1, 1]); x, y in [-6, 6], rounded to 2 decimals (what a link holds). An
// optional header line (its first field not a number) is skipped, as are blank lines; CRLF and
// a UTF-8 BOM are accepted. At most TrainCsvLimits::kMaxBytes bytes and kMaxAdded points.
// On success the points replace the lab's data: they become `added`, all `imported` (split
// into train and test by the lab's seed and split, as generated data is), every generated
// point goes to `removed`, training starts over (steps 0, no edits), and the link (add=, imp=,
// rm=) reopens exactly this data. On failure returns "line N: what is wrong" (or
// what is wrong with the whole text) and leaves *s untouched.
struct TrainCsvLimits {
  static constexpr size_t kMaxBytes = 16384;
};
std::string TrainImportCsv(TrainLabState* s, const std::string& text);

struct TrainHistoryPoint {
  int step = 0;
  float train_loss = 0, test_loss = 0;
};

struct TrainLayerNorm {
  std::string name;  // "W1", ..., "Wout"
  float norm = 0;    // L2 norm of its weights' gradient in the last step (0 before any step)
};

// A layer with parameters (hidden layers, then the output layer), in the Mlp's layout.
struct TrainLayerShape {
  int in = 0, out = 0;
  int w = 0, b = 0;  // offsets of W [out, in] and b [out] in the parameters
};

struct TrainLabResult {
  std::string error;  // why the network could not be built (empty when fine)
  int steps = 0;
  int classes = 2;  // 1 for regression
  bool regression = false;
  int outputs = 2;
  int param_count = 0;
  int train_count = 0, test_count = 0;
  float train_loss = 0, test_loss = 0, train_acc = 0, test_acc = 0;  // acc 0 for regression
  float last_batch_loss = 0;
  std::vector<int> confusion;  // [classes, classes] test counts: row = true, column = predicted
  std::vector<TrainHistoryPoint> history;  // sampled: every `history_every` steps
  int history_every = 1;
  // [kGrid, kGrid], row 0 at y = +6, cell centres. 2 classes: 2 p(1) - 1 (cross-entropy) or
  // the tanh output; k classes: the likeliest class c as (2c/(k-1) - 1) * confidence;
  // regression: the output.
  Tensor grid;
  std::vector<TrainLayerNorm> grad_norms;
  std::vector<TrainLayerShape> layers;
  std::vector<float> params;  // every parameter, Mlp layout

  // Filled by EvaluateTrainLab only (what `nnplay eval` prints; the view's frames skip it):
  // the points trained and tested on, the weights the first step starts from (after the
  // weights typed in at step 0), and the first min(steps, kTraceSteps) steps. `replayed`
  // says they are filled.
  bool replayed = false;
  std::vector<TrainPoint> train_points, test_points;
  std::vector<float> initial_params;
  struct TraceStep {
    std::vector<int> batch;     // indices into train_points, in the batch's order
    float loss = 0;             // the batch-mean loss before the step's update (no penalty)
    std::vector<float> params;  // after the update and the edits of this step
  };
  std::vector<TraceStep> trace;
};

// A training run in memory: what the view steps frame by frame and what EvaluateTrainLab
// replays. It steps without a cap (TrainMaxSteps is what a link replayed from the seed
// holds). Step() allocates nothing.
class TrainSession {
 public:
  // Builds the dataset, the network (initialised from the seed) and applies the edits of
  // step 0; steps() = 0. Returns empty, or what is wrong.
  std::string Reset(const TrainLabState& state);
  // One training step on the next batch, then the edits recorded for the new step count.
  void Step();
  int steps() const { return steps_; }
  // The whole training state as bytes (session.h's envelope): parameters, gradients, the
  // optimizer's moments and step count, the batch order, cursor and rng, steps, history, the
  // last batch and loss, and a key of the weight edits applied so far. Empty when the
  // session could not be built.
  std::string SaveCheckpoint() const;
  // Restores a SaveCheckpoint of `state`'s set-up whose applied edits are `state`'s edits up
  // to the checkpoint's step (building data and network for `state` first when this session
  // holds another set-up); steps() is then the checkpoint's and stepping on (with `state`'s
  // later edits) gives the bits the session that saved it gives. Returns empty, or what is
  // wrong: then the session is as it was.
  std::string LoadCheckpoint(const TrainLabState& state, const std::string& bytes);
  // Sets one parameter now (a weight typed in while paused; the view records the edit).
  void SetParam(int index, float value);
  // Losses, accuracies, confusion, grid, gradient norms, history and parameters.
  void Measure(TrainLabResult* result);
  // Per-neuron maps: every hidden unit's output over a kThumb x kThumb plane, unit-major
  // [sum of hidden units][kThumb * kThumb], row 0 at y = +6.
  void NeuronMaps(std::vector<float>* maps);
  // The input features over the same plane, feature-major [width][kThumb * kThumb].
  void FeatureMaps(std::vector<float>* maps) const;
  const TrainDataset& data() const { return data_; }
  // The last step's batch: state.batch indices into data().train (empty before a step).
  const std::vector<int>& last_batch() const { return batch_idx_; }
  // The last step's batch-mean loss (before its update, penalty excluded).
  float last_loss() const { return last_loss_; }
  const float* params() const;
  int param_count() const;

 private:
  void Losses(const std::vector<float>& x, const std::vector<int>& y, const std::vector<float>& t,
              float* loss, float* acc, std::vector<int>* confusion);
  void Record();
  void ApplyEdits();
  void Targets(const std::vector<TrainPoint>& pts, std::vector<float>* x, std::vector<int>* y,
               std::vector<float>* t) const;
  std::string Restore(const TrainLabState& state, const std::string& payload, int steps);

  TrainLabState state_;
  TrainDataset data_;
  Mlp mlp_;
  MlpUpdate update_;
  Pcg32 rng_{1};
  int width_ = 2, outputs_ = 2;
  bool squared_ = false;
  std::vector<float> train_x_, test_x_, grid_x_, thumb_x_, batch_x_;
  std::vector<int> train_y_, test_y_, batch_y_, batch_idx_;
  std::vector<float> train_t_, test_t_, batch_t_, out_;
  BatchSampler sampler_;
  size_t next_edit_ = 0;
  int steps_ = 0;
  float last_loss_ = 0;
  History<TrainHistoryPoint> history_;
  std::string error_;
};

// The key a checkpoint carries (session.h): FNV-1a of the set-up's canonical link, with
// steps 0 and no edits (the edits applied are keyed in the checkpoint's payload).
uint64_t TrainSetupKey(const TrainLabState& state);
// Opens a run in *session: Reset(state), then state.checkpoint restored when state.steps is
// past the replay cap, else state.steps replayed. Returns empty, or what is wrong (a checkpoint
// that does not load leaves the session at step 0).
std::string TrainOpenRun(const TrainLabState& state, TrainSession* session);
// The state a link of the session's run writes: `state` with the session's checkpoint when
// state.steps is past the replay cap and the session is at those steps, without one within
// the cap.
TrainLabState TrainLinkState(const TrainLabState& state, const TrainSession& session);
// What the link decoder checks of state.checkpoint without building anything: the envelope
// (magic, format, lab, length, CRC), the set-up's key, the steps and the edits applied.
// Empty, or what is wrong.
std::string TrainCheckCheckpoint(const TrainLabState& state);

TrainLabState TrainLabDefault();  // the circle preset
TrainLabResult EvaluateTrainLab(const TrainLabState& state);

// ---- share link ----------------------------------------------------------------------
// "v1/train?data=circle&seed=1&noise=0&split=50&feat=x,y&layers=4,4&act=tanh&opt=adam&
//  lr=0.03&mom=0.9&batch=10&steps=0", then the optional fields that differ from their
// defaults (docs/link-format.md): classes, loss, reg, rate, init, add, rm, edit; then `ckpt`
// (base64url of state.checkpoint) exactly when steps is past TrainMaxSteps.
std::string EncodeTrainLab(const TrainLabState& state);
// Every field is optional (defaults: TrainLabDefault()).
bool DecodeTrainLab(const Link& link, TrainLabState* state, LinkError* error);
// `nnplay eval`'s: the lab's figures, the weights now ("weights": per layer W [out, in]
// row-major, b [out]) and, from EvaluateTrainLab's result (`replayed`), the points ("points":
// train and test, [x, y, class or value]), the weights before the first step and the trace
// of the first steps (batch, loss, weights after each).
std::string TrainLabToJson(const TrainLabState& state, const TrainLabResult& result);
// The same with or without "weights" (the view's export option: the page leaves them out
// unless asked).
std::string TrainLabToJsonWithWeights(const TrainLabState& state, const TrainLabResult& result,
                                      bool weights);

// ---- presets (train_presets.cpp) -----------------------------------------------------
struct TrainPreset {
  const char* id;
  const char* title;
  TrainLabState state;
};
const std::vector<TrainPreset>& TrainPresets();

}  // namespace nnplay
