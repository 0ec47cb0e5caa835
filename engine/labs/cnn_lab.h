// cnn_lab.h: the CNN training lab (what ConvNetJS shows, on data made in the engine). State
// (a dataset of small grayscale images drawn from a seed, a CNN of 1-2 conv blocks, the
// optimizer, the number of training steps done, a drawing) -> train/test loss and accuracy,
// their history, the test confusion matrix, the first layer's filters, and the drawing's
// class probabilities and feature maps at every layer.
//
// Deterministic: images are drawn with integer and + - * / float arithmetic only (no libm),
// so the same seed gives the same pixels natively and in wasm. Evaluating replays `steps`
// training steps from Network::InitParams(seed) on the same batches, so the same link gives
// bit-identical weights. A link holds at most CnnMaxSteps(state) steps: the replay's work
// (multiply-adds) is capped so opening any link takes about a second at most in the page.
//
// Presets for this lab live in cnn_presets.cpp.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "labs/session.h"
#include "link/link.h"
#include "nn/network.h"
#include "nn/optimizer.h"
#include "ops/rng.h"
#include "tensor.h"

namespace nnplay {

// kFashion: Fashion-MNIST (engine/data/fashion.h), 28x28 only, from the asset the page fetches.
enum class CnnDataKind { kBars, kShapes, kDigits, kFashion };
enum class CnnOptimizer { kSgd, kAdam };

struct CnnLabLimits {
  static constexpr int kTrainPerClass = 48;  // training images per class
  static constexpr int kTestPerClass = 16;   // test images per class
  // Fashion-MNIST: every image of the asset (8,000 training, 2,000 test); a history point
  // measures the first kFashionHistoryTest test images (the whole test set costs about 0.1 s
  // in the page), the result's test loss and accuracy the whole test set.
  static constexpr int kFashionHistoryTest = 200;
  static constexpr int kFashionSize = 28;
  static constexpr int kMinBlocks = 1, kMaxBlocks = 2;
  static constexpr int kMinFilters = 2, kMaxFilters = 16;
  static constexpr int kMaxBatch = 32;
  static constexpr int kMaxSeed = 2147483647;
  static constexpr float kMaxNoise = 0.5f;
  static constexpr float kMaxLr = 1.0f;
  static constexpr float kMaxMomentum = 0.99f;
  // Weight decay: lr * decay <= 1, so one step's decay never overshoots zero.
  static constexpr float kMaxDecay = 1.0f;
  // Work a link may replay (CnnMaxSteps): multiply-adds of the training steps plus the test
  // evaluations of the history, each image's forward counted kOverheadMacs more (the per-image
  // cost of small layers), plus kClearMacs per activation value of kNetBatch images per step
  // (Network clears its backward buffers for the batch it was built for, every step). Fitted
  // to the batched im2col + SIMD GEMM Network (c07a7b2) in wasm under node, CPU time, on 384
  // set-ups (2026-11-26): about 1.2e10 per second in the median, 6.4e9 in the slowest; so a
  // link's replay takes about 0.55 s in the median and at most about 1 s
  // (docs/link-format.md).
  static constexpr double kReplayMacs = 6.5e9;
  static constexpr double kOverheadMacs = 3e4;
  static constexpr double kClearMacs = 2;
  static constexpr int kNetBatch = 64;  // the session's Network: max(eval chunk, kMaxBatch)
  static constexpr int kMaxStepsCeiling = 10000;  // the smallest networks reach it
  // The first cap (before c07a7b2): 3e9 without the clearing term, at most 5000 steps. Every
  // link it allowed stays valid: the cap is never below it.
  static constexpr double kV1ReplayMacs = 3e9;
  static constexpr int kV1MaxStepsCeiling = 5000;
  static constexpr int kHistory = 100;      // history points kept (then thinned)
  static constexpr int kHistoryEvery = 10;  // steps between history points at first
  // The trace `nnplay eval` lists: the first CnnTraceSteps(state) steps' batches (their
  // images), losses and weights after each: at most kTraceSteps steps, fewer when the
  // weights and images of a step exceed kTraceValues / kTraceSteps numbers (at least 1).
  static constexpr int kTraceSteps = 8;
  static constexpr int kTraceValues = 50000;
};

const char* CnnDataName(CnnDataKind kind);  // "bars", "shapes", "digits", "fashion"
int CnnClasses(CnnDataKind kind);           // 4, 4, 10, 10
// Training and test images of a dataset (fashion: the loaded asset's counts, 0 before).
int CnnTrainCount(CnnDataKind kind);
int CnnTestCount(CnnDataKind kind);
// Test images a history point measures: every test image, or kFashionHistoryTest.
int CnnHistoryTestCount(CnnDataKind kind);
// "vertical", "horizontal", "diagonal", "anti-diagonal"; "square", "circle", "triangle",
// "cross"; "0" .. "9"; Fashion-MNIST's "T-shirt/top" .. "Ankle boot".
const char* CnnClassName(CnnDataKind kind, int label);

struct CnnLabState {
  CnnDataKind data = CnnDataKind::kBars;
  int size = 16;       // image side: 16 or 24 (drawn datasets), 28 (fashion)
  float noise = 0.1f;  // 0 .. 0.5: uniform noise in [-noise, noise] added to every pixel
  int seed = 1;
  int blocks = 1;  // conv blocks: conv -> ReLU -> max pool 2
  int f1 = 8;      // filters of block 1
  int f2 = 8;      // filters of block 2 (used when blocks == 2)
  int k = 3;       // kernel side, 3 or 5, same padding
  CnnOptimizer opt = CnnOptimizer::kAdam;
  float lr = 0.01f;
  float momentum = 0.9f;  // SGD only
  int batch = 16;
  // Weight decay (L2) on every weight tensor, not on biases: SGD adds decay * w to the
  // gradient; Adam decays decoupled (AdamW), w <- w - lr * decay * w before its step.
  float decay = 0.0f;
  int steps = 0;
  Tensor draw;  // [size, size]: the learner's drawing, classified and shown layer by layer
  // Past the replay cap (CnnMaxSteps), the run itself: CnnSession::SaveCheckpoint()'s bytes
  // after `steps` steps, which opening restores instead of replaying (the link's `ckpt`).
  // Empty: replay `steps` from the seed.
  std::string checkpoint;

  // Everything that decides the training run (not `steps`, not the drawing).
  bool SameSetup(const CnnLabState& o) const {
    return data == o.data && size == o.size && noise == o.noise && seed == o.seed &&
           blocks == o.blocks && f1 == o.f1 && f2 == o.f2 && k == o.k && opt == o.opt &&
           lr == o.lr && momentum == o.momentum && batch == o.batch && decay == o.decay;
  }
  bool operator==(const CnnLabState& o) const {
    return SameSetup(o) && steps == o.steps && draw == o.draw && checkpoint == o.checkpoint;
  }
  bool operator!=(const CnnLabState& o) const { return !(*this == o); }
};

// ---- data ------------------------------------------------------------------------------

struct CnnDataset {
  int size = 16, classes = 4;
  std::vector<float> train_x, test_x;  // [n, size, size] each
  std::vector<int> train_y, test_y;    // drawn: image i has label i % classes (balanced)
};

// classes * kTrainPerClass training and classes * kTestPerClass test images from
// PCG32(seed) (the test set from its own stream).
// Fashion: the loaded asset's images (pixel / 255, plus the noise from PCG32(seed) when
// noise > 0); empty (no images) when the asset is not loaded.
CnnDataset MakeCnnDataset(CnnDataKind kind, int size, float noise, int seed);
// One image of class `label` (noise 0) with its shape's random placement from *rng, written
// to out [size, size]: ink 1, background 0.
void DrawCnnImage(CnnDataKind kind, int size, int label, Pcg32* rng, float* out);
// Primitives, exposed for tests. A bar: orientation 0 vertical (columns pos..pos+t-1),
// 1 horizontal (rows), 2 diagonal (x - y in [pos, pos+t)), 3 anti-diagonal (x + y in
// [pos, pos+t)), lit only for the rows (vertical, diagonals) or columns (horizontal)
// from..to-1.
void DrawCnnBar(int size, int orientation, int pos, int thickness, int from, int to, float* out);
// A stroke from (x0, y0) to (x1, y1) in pixel units (pixel (x, y) has its centre at
// (x + 0.5, y + 0.5)): every pixel whose centre lies within `half` of the segment is set.
void DrawCnnStroke(int size, float x0, float y0, float x1, float y1, float half, float* out);

// ---- the network -------------------------------------------------------------------------

// conv(f1, k, same) -> ReLU -> maxpool 2 [-> conv(f2) -> ReLU -> maxpool 2] -> flatten ->
// dense(classes), softmax cross-entropy. Empty or what is wrong.
std::string BuildCnnNetwork(const CnnLabState& state, int max_batch, Network* net);
// Multiply-adds of one forward pass over one image.
double CnnForwardMacs(const CnnLabState& state);
// Values one image leaves in the network's activations: the input and every layer's output.
double CnnActivationValues(const CnnLabState& state);
// The most steps a link of this set-up may hold: the replay's work stays under kReplayMacs,
// but never fewer than the first cap allowed (CnnMaxStepsV1).
int CnnMaxSteps(const CnnLabState& state);
// The first cap, kept so that no link it allowed is ever refused.
int CnnMaxStepsV1(const CnnLabState& state);

struct CnnHistoryPoint {
  int step = 0;
  float train_loss = 0, train_acc = 0;  // mean over the batches since the previous point
  float test_loss = 0, test_acc = 0;    // the test set at this step (fashion: its first 200)
};

struct CnnFeatureMap {
  std::string name;        // "conv0", "relu1", "maxpool2", ..., "dense4"
  std::vector<int> shape;  // [C, H, W], or [classes] for the logits
  std::vector<float> values;
};

// A test image the network gets wrong, with how sure it is of the wrong class.
struct CnnMistake {
  int index = 0;  // into the test set
  int truth = 0, predicted = 0;
  float confidence = 0;  // the predicted class's probability
};

// The steps the trace covers: min(steps, kTraceSteps, max(1, kTraceValues / (parameters +
// batch * pixels))).
int CnnTraceSteps(const CnnLabState& state, int param_count);

// One parameter tensor's values (conv0.weight [f1, 1, k, k], conv0.bias [f1], ...,
// dense{n}.weight [classes, inputs], dense{n}.bias [classes]).
struct CnnParamTensor {
  std::string name;
  std::vector<int> shape;
  std::vector<float> values;
};

struct CnnLabResult {
  std::string error;  // why the network could not be built (empty when fine)
  int steps = 0, max_steps = 0;
  int classes = 4, param_count = 0;
  int train_count = 0, test_count = 0;
  float train_loss = 0, train_acc = 0;  // the latest history point (batches)
  float test_loss = 0, test_acc = 0;    // the test set, now
  float last_batch_loss = 0;
  std::vector<CnnHistoryPoint> history;
  int history_every = CnnLabLimits::kHistoryEvery;
  Tensor confusion;  // [classes, classes]: row = true class, column = predicted, counts
  Tensor filters;    // [f1, k, k]: the first conv layer's weights
  // The most confidently misclassified test images, most confident first (at most
  // kMistakes; measured with the whole test set).
  static constexpr int kMistakes = 8;
  std::vector<CnnMistake> mistakes;
  // The drawing through the network.
  std::vector<float> probs;  // [classes]
  int predicted = 0;
  std::vector<CnnFeatureMap> maps;  // every layer's output for the drawing

  // Filled by EvaluateCnnLab only (what `nnplay eval` prints; the view's frames skip it,
  // and so does its JSON): `replayed` says they are.
  bool replayed = false;
  std::vector<CnnParamTensor> initial_params, params;  // before the first step, now
  struct TraceStep {
    std::vector<int> batch;              // indices into the training set, in the batch's order
    float loss = 0;                      // the batch-mean loss before the update
    std::vector<CnnParamTensor> params;  // after the update
  };
  std::vector<TraceStep> trace;
  // The training images the trace's batches use, each once, in order of first use.
  std::vector<int> image_index, image_label;
  std::vector<float> images;  // [image_index.size(), size, size]
};

// A training run in memory: what the view steps frame by frame and what EvaluateCnnLab
// replays. It steps without a cap; the cap (max_steps()) is what a link replayed from the
// seed may hold. Step() allocates nothing.
class CnnSession {
 public:
  // Builds the dataset, the network (InitParams(seed)) and the optimizer; steps() = 0.
  // Returns empty, or what is wrong.
  std::string Reset(const CnnLabState& state);
  void Step();  // one training step on the next batch (and a history point when due)
  int steps() const { return steps_; }
  // The most steps a link of this set-up replays from the seed (CnnMaxSteps); a longer run
  // travels as a checkpoint.
  int max_steps() const { return max_steps_; }
  // The whole training state as bytes (session.h's envelope): weights, the optimizer's
  // moments and step count, the batch order, cursor and rng, steps, history and running
  // sums, the last batch and loss. Empty when the session could not be built.
  std::string SaveCheckpoint() const;
  // Restores a SaveCheckpoint of `state`'s set-up (building data and network for `state`
  // first when this session holds another set-up); steps() is then the checkpoint's, and
  // stepping on gives the bits the session that saved it gives. Returns empty, or what is
  // wrong: then the session is as it was.
  std::string LoadCheckpoint(const CnnLabState& state, const std::string& bytes);
  // Test metrics, confusion, filters, history (not the drawing). Without `test_set` the
  // test loss and accuracy are the latest history point's and the confusion is left as it
  // was (cheap enough for every frame while playing).
  void Measure(CnnLabResult* result, bool test_set = true);
  // The drawing [size, size] through the network: probabilities and every layer's maps.
  void Probe(const Tensor& drawing, CnnLabResult* result);
  const CnnDataset& data() const { return data_; }
  const Network& net() const { return net_; }
  // The last step's batch: state.batch indices into the training set (empty before a step).
  const std::vector<int>& last_batch() const { return batch_idx_; }
  float last_loss() const { return last_loss_; }

 private:
  // Loss and accuracy over the first `count` test images; the confusion and the mistakes
  // when not null.
  void TestSet(size_t count, float* loss, float* acc, float* confusion,
               std::vector<CnnMistake>* mistakes);
  std::string ResetData(const CnnLabState& state);
  void Record();
  std::string Restore(const std::string& payload, int steps);

  CnnLabState state_;
  CnnDataset data_;
  Network net_;
  Sgd sgd_;
  Adam adam_;
  std::vector<ParamView> decayed_;  // the weight tensors weight decay applies to
  BatchSampler sampler_;
  size_t image_ = 0;  // pixels per image
  std::vector<float> batch_x_;
  std::vector<int> batch_y_, batch_idx_;
  int steps_ = 0, max_steps_ = 0;
  float last_loss_ = 0;
  double sum_loss_ = 0, sum_acc_ = 0;  // since the last history point
  int sum_n_ = 0;
  History<CnnHistoryPoint> history_;
  std::string error_;
  float state_fashion_noise_ = -1.0f;  // the set-up whose Fashion-MNIST data_ holds
  int state_fashion_seed_ = -1;
};

// The key a checkpoint carries (session.h): FNV-1a of the set-up's canonical link, with
// steps 0, a blank drawing and no checkpoint.
uint64_t CnnSetupKey(const CnnLabState& state);
// Opens a run in *session: Reset(state), then state.checkpoint restored when state.steps is
// past the replay cap, else state.steps replayed. Returns empty, or what is wrong (a checkpoint
// that does not load leaves the session at step 0).
std::string CnnOpenRun(const CnnLabState& state, CnnSession* session);
// The state a link of the session's run writes: `state` with the session's checkpoint when
// state.steps is past the replay cap and the session is at those steps, without one within
// the cap; a session elsewhere (Fashion-MNIST still on its way) keeps state's own.
CnnLabState CnnLinkState(const CnnLabState& state, const CnnSession& session);
// What the link decoder checks of state.checkpoint without building anything: the envelope
// (magic, format, lab, length, CRC), the set-up's key and the steps. Empty, or what is wrong.
std::string CnnCheckCheckpoint(const CnnLabState& state);

CnnLabState CnnLabDefault();  // the bars preset
CnnLabResult EvaluateCnnLab(const CnnLabState& state);

// ---- share link ----------------------------------------------------------------------
// data=fashion takes size=28 (the only size it allows, and its default).
// "v1/cnn?data=bars&size=16&noise=0.1&seed=1&blocks=1&f1=8&f2=8&k=3&opt=adam&lr=0.01&
//  mom=0.9&batch=16&steps=0&draw=16x16:..."; `decay=` (after batch) only when not 0, so
// links made before the field existed re-encode byte for byte; `ckpt=` (base64url of
// state.checkpoint, last) exactly when steps is past CnnMaxSteps (docs/link-format.md,
// "Checkpoints").
std::string EncodeCnnLab(const CnnLabState& state);
// Every field is optional (defaults: CnnLabDefault(); a missing drawing is blank).
bool DecodeCnnLab(const Link& link, CnnLabState* state, LinkError* error);
// Besides the lab's figures: the weights per tensor before the first step and now, the
// trace of the first steps (batch, loss, weights after each) and the images it uses.
std::string CnnLabToJson(const CnnLabState& state, const CnnLabResult& result);

// ---- presets (cnn_presets.cpp) -----------------------------------------------------------
struct CnnPreset {
  const char* id;
  const char* title;
  CnnLabState state;
};
const std::vector<CnnPreset>& CnnPresets();
// Fashion-MNIST with ConvNetJS's MNIST network adapted to 28x28 (conv 8 5x5, pool 2, conv 16
// 5x5, pool 2, dense 10; Adam): what picking the dataset sets up, the seed kept. Not a preset:
// its data is fetched on demand, and presets open at once.
CnnLabState CnnFashionSetup(const CnnLabState& from);

}  // namespace nnplay
