// cnn_lab.cpp: the CNN training lab's data, training session and share-link fields. See
// cnn_lab.h.
#include "labs/cnn_lab.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "data/fashion.h"
#include "json.h"
#include "labs/notation.h"
#include "link/number.h"
#include "ops/softmax.h"

namespace nnplay {
namespace {

constexpr int kEvalChunk = CnnLabLimits::kNetBatch;  // images per Forward when measuring

const char* const kBarNames[4] = {"vertical", "horizontal", "diagonal", "anti-diagonal"};
const char* const kShapeNames[4] = {"square", "circle", "triangle", "cross"};
const char* const kDigitNames[10] = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};

const char* OptName(CnnOptimizer o) {
  return o == CnnOptimizer::kSgd ? "sgd" : "adam";
}

// An integer in [0, n) (n >= 1).
int Below(Pcg32* rng, int n) {
  return static_cast<int>(rng->NextU32() % static_cast<uint32_t>(n));
}
// Uniform in [a, b): exact float arithmetic, the same everywhere.
float Uniform(Pcg32* rng, float a, float b) {
  return a + (b - a) * rng->NextFloat01();
}

void Set(int size, int x, int y, float* out) {
  if (x >= 0 && x < size && y >= 0 && y < size) out[y * size + x] = 1.0f;
}

// Shapes: centre (cx, cy), "radius" r, thickness t, all in whole pixels; integer tests only.
void DrawShape(int size, int label, Pcg32* rng, float* out) {
  const int r = 3 + Below(rng, size / 2 - 4);  // 16: 3..6; 24: 3..10
  const int cx = r + 1 + Below(rng, size - 2 * r - 2), cy = r + 1 + Below(rng, size - 2 * r - 2);
  const int t = r >= 5 ? 1 + Below(rng, 2) : 1;
  for (int y = 0; y < size; ++y) {
    for (int x = 0; x < size; ++x) {
      const int dx = x - cx, dy = y - cy;
      const int ax = dx < 0 ? -dx : dx, ay = dy < 0 ? -dy : dy;
      bool ink = false;
      switch (label) {
        case 0: {  // square outline: Chebyshev distance in (r - t, r]
          const int m = std::max(ax, ay);
          ink = m > r - t && m <= r;
          break;
        }
        case 1: {  // circle outline: (r - t)(r - t + 1) < d^2 <= r(r + 1), about |d - r| < 1/2
          const int d2 = dx * dx + dy * dy;
          ink = d2 > (r - t) * (r - t + 1) && d2 <= r * (r + 1);
          break;
        }
        case 2: {  // triangle outline: apex (cx, cy - r), base row cy + r from cx - r to cx + r
          if (dy < -r || dy > r) break;
          const int edge = 2 * ax - (dy + r);  // 0 on the sides
          ink = (dy > r - t && ax <= r) || (edge >= 1 - 2 * t && edge <= 1);
          break;
        }
        default:  // cross: a plus sign, arms r long, t thick
          ink = (dx >= 0 && dx < t && ay <= r) || (dy >= 0 && dy < t && ax <= r);
          break;
      }
      if (ink) out[y * size + x] = 1.0f;
    }
  }
}

// Digits as strokes on a box 1 wide and 2 high (x right, y down), seven-segment style with
// a few diagonals. Each row: x0, y0, x1, y1 of a stroke.
struct Stroke {
  float x0, y0, x1, y1;
};
const std::vector<Stroke>& DigitStrokes(int digit) {
  static const std::vector<Stroke> kStrokes[10] = {
      {{0, 0, 1, 0}, {1, 0, 1, 2}, {1, 2, 0, 2}, {0, 2, 0, 0}},                // 0
      {{0.5f, 0, 0.5f, 2}, {0.15f, 0.45f, 0.5f, 0}},                           // 1
      {{0, 0, 1, 0}, {1, 0, 1, 1}, {1, 1, 0, 1}, {0, 1, 0, 2}, {0, 2, 1, 2}},  // 2
      {{0, 0, 1, 0}, {1, 0, 1, 2}, {0, 2, 1, 2}, {0.2f, 1, 1, 1}},             // 3
      {{0, 0, 0, 1}, {0, 1, 1, 1}, {1, 0, 1, 2}},                              // 4
      {{1, 0, 0, 0}, {0, 0, 0, 1}, {0, 1, 1, 1}, {1, 1, 1, 2}, {1, 2, 0, 2}},  // 5
      {{1, 0, 0, 0}, {0, 0, 0, 2}, {0, 2, 1, 2}, {1, 2, 1, 1}, {1, 1, 0, 1}},  // 6
      {{0, 0, 1, 0}, {1, 0, 0.35f, 2}},                                        // 7
      {{0, 0, 1, 0}, {1, 0, 1, 2}, {1, 2, 0, 2}, {0, 2, 0, 0}, {0, 1, 1, 1}},  // 8
      {{1, 1, 0, 1}, {0, 1, 0, 0}, {0, 0, 1, 0}, {1, 0, 1, 2}, {1, 2, 0, 2}},  // 9
  };
  return kStrokes[digit];
}

void DrawDigit(int size, int label, Pcg32* rng, float* out) {
  const float s = static_cast<float>(size);
  // Height 55%..75% of the image, width 55% of the height, a slant of up to 20% of the
  // width, strokes 1.2..2.2 pixels thick (scaled with the image), half a pixel of margin.
  const float h = s * Uniform(rng, 0.55f, 0.75f);
  const float w = h * 0.55f;
  const float slant = w * Uniform(rng, -0.2f, 0.2f);
  const float half = s / 16.0f * Uniform(rng, 0.6f, 1.1f);
  const float margin = 0.5f + half;
  const float ox = Uniform(rng, margin + 0.2f * w, s - margin - 1.2f * w);
  const float oy = Uniform(rng, margin, s - margin - h);
  auto px = [&](float u, float v) { return ox + u * w + slant * (1.0f - v * 0.5f); };
  auto py = [&](float v) { return oy + v * h * 0.5f; };
  for (const Stroke& st : DigitStrokes(label))
    DrawCnnStroke(size, px(st.x0, st.y0), py(st.y0), px(st.x1, st.y1), py(st.y1), half, out);
}

std::string SizeError(int size) {
  return "expected " + std::to_string(size) + "x" + std::to_string(size) +
         " (the image size), got ";
}

}  // namespace

const char* CnnDataName(CnnDataKind kind) {
  switch (kind) {
    case CnnDataKind::kBars:
      return "bars";
    case CnnDataKind::kShapes:
      return "shapes";
    case CnnDataKind::kDigits:
      return "digits";
    case CnnDataKind::kFashion:
      return "fashion";
  }
  return "bars";
}

int CnnClasses(CnnDataKind kind) {
  return kind == CnnDataKind::kDigits || kind == CnnDataKind::kFashion ? 10 : 4;
}

int CnnTrainCount(CnnDataKind kind) {
  if (kind != CnnDataKind::kFashion) return CnnClasses(kind) * CnnLabLimits::kTrainPerClass;
  const FashionData* f = FashionAsset(nullptr);
  return f ? f->train : 0;
}

int CnnTestCount(CnnDataKind kind) {
  if (kind != CnnDataKind::kFashion) return CnnClasses(kind) * CnnLabLimits::kTestPerClass;
  const FashionData* f = FashionAsset(nullptr);
  return f ? f->test : 0;
}

int CnnHistoryTestCount(CnnDataKind kind) {
  if (kind != CnnDataKind::kFashion) return CnnTestCount(kind);
  return CnnLabLimits::kFashionHistoryTest;
}

const char* CnnClassName(CnnDataKind kind, int label) {
  if (label < 0 || label >= CnnClasses(kind)) return "?";
  switch (kind) {
    case CnnDataKind::kBars:
      return kBarNames[label];
    case CnnDataKind::kShapes:
      return kShapeNames[label];
    case CnnDataKind::kDigits:
      return kDigitNames[label];
    case CnnDataKind::kFashion:
      return FashionClassName(label);
  }
  return "?";
}

// ---- drawing ---------------------------------------------------------------------------

void DrawCnnBar(int size, int orientation, int pos, int thickness, int from, int to, float* out) {
  for (int y = 0; y < size; ++y) {
    for (int x = 0; x < size; ++x) {
      int along = y, across = x;  // vertical
      if (orientation == 1) along = x, across = y;
      if (orientation == 2) across = x - y;
      if (orientation == 3) across = x + y;
      if (along >= from && along < to && across >= pos && across < pos + thickness)
        out[y * size + x] = 1.0f;
    }
  }
}

void DrawCnnStroke(int size, float x0, float y0, float x1, float y1, float half, float* out) {
  const float vx = x1 - x0, vy = y1 - y0;
  const float len2 = vx * vx + vy * vy;
  const float half2 = half * half;
  for (int y = 0; y < size; ++y) {
    for (int x = 0; x < size; ++x) {
      const float cx = static_cast<float>(x) + 0.5f, cy = static_cast<float>(y) + 0.5f;
      float t = len2 > 0.0f ? ((cx - x0) * vx + (cy - y0) * vy) / len2 : 0.0f;
      t = std::min(1.0f, std::max(0.0f, t));
      const float dx = cx - (x0 + t * vx), dy = cy - (y0 + t * vy);
      if (dx * dx + dy * dy <= half2) Set(size, x, y, out);
    }
  }
}

void DrawCnnImage(CnnDataKind kind, int size, int label, Pcg32* rng, float* out) {
  std::fill(out, out + size * size, 0.0f);
  switch (kind) {
    case CnnDataKind::kBars: {
      // 1 or 2 pixels thick; vertical and horizontal bars 1 pixel off the border, diagonals
      // through the middle shifted by up to size/4. The bar runs along at least half the
      // image (all of the span where a diagonal stays inside when that is shorter).
      const int t = 1 + Below(rng, 2);
      int pos = 0, lo = 0, hi = size;
      if (label < 2) {
        pos = 1 + Below(rng, size - t - 1);  // columns (rows) 1 .. size - t - 1
      } else {
        const int q = size / 4;
        pos = (label == 2 ? 0 : size - 1) - q + Below(rng, 2 * q + 1);
        if (label == 2) {  // x = y + pos + j, j < t, inside for these rows
          lo = std::max(0, -pos), hi = std::min(size, size - pos - t + 1);
        } else {  // x = pos + j - y
          lo = std::max(0, pos + t - size), hi = std::min(size, pos + 1);
        }
      }
      const int span = hi - lo, shortest = std::min(span, size / 2);
      const int len = shortest + Below(rng, span - shortest + 1);
      const int from = lo + Below(rng, span - len + 1);
      DrawCnnBar(size, label, pos, t, from, from + len, out);
      break;
    }
    case CnnDataKind::kShapes:
      DrawShape(size, label, rng, out);
      break;
    case CnnDataKind::kDigits:
      DrawDigit(size, label, rng, out);
      break;
    case CnnDataKind::kFashion:
      break;  // real images: nothing to draw
  }
}

namespace {

// Fashion-MNIST from the loaded asset: pixel / 255 (+ noise); nothing when not loaded.
void FashionDataset(float noise, int seed, CnnDataset* d) {
  const FashionData* f = FashionAsset(nullptr);
  if (!f) return;
  auto convert = [&](const std::vector<uint8_t>& x, const std::vector<uint8_t>& y, uint64_t stream,
                     std::vector<float>* out_x, std::vector<int>* out_y) {
    out_x->resize(x.size());
    for (size_t i = 0; i < x.size(); ++i) (*out_x)[i] = static_cast<float>(x[i]) / 255.0f;
    out_y->assign(y.begin(), y.end());
    if (noise > 0.0f) {
      Pcg32 rng(static_cast<uint64_t>(seed), stream);
      for (float& v : *out_x) v += noise * (2.0f * rng.NextFloat01() - 1.0f);
    }
  };
  convert(f->train_x, f->train_y, 3001, &d->train_x, &d->train_y);
  convert(f->test_x, f->test_y, 3002, &d->test_x, &d->test_y);
}

}  // namespace

CnnDataset MakeCnnDataset(CnnDataKind kind, int size, float noise, int seed) {
  CnnDataset d;
  d.size = size;
  d.classes = CnnClasses(kind);
  if (kind == CnnDataKind::kFashion) {
    FashionDataset(noise, seed, &d);
    return d;
  }
  const size_t px = static_cast<size_t>(size) * static_cast<size_t>(size);
  auto make = [&](int per_class, uint64_t stream, std::vector<float>* x, std::vector<int>* y) {
    const int n = per_class * d.classes;
    Pcg32 rng(static_cast<uint64_t>(seed), stream);
    x->assign(static_cast<size_t>(n) * px, 0.0f);
    y->resize(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) {
      float* img = x->data() + static_cast<size_t>(i) * px;
      const int label = i % d.classes;
      DrawCnnImage(kind, size, label, &rng, img);
      // Always draw the noise numbers, so the shapes do not depend on the noise level.
      for (size_t j = 0; j < px; ++j) img[j] += noise * (2.0f * rng.NextFloat01() - 1.0f);
      (*y)[static_cast<size_t>(i)] = label;
    }
  };
  make(CnnLabLimits::kTrainPerClass, 3001, &d.train_x, &d.train_y);
  make(CnnLabLimits::kTestPerClass, 3002, &d.test_x, &d.test_y);
  return d;
}

// ---- the network -------------------------------------------------------------------------

std::string BuildCnnNetwork(const CnnLabState& s, int max_batch, Network* net) {
  *net = Network();
  net->AddConv2d(s.f1, s.k, 1, s.k / 2).AddReLU().AddMaxPool2d(2);
  if (s.blocks > 1) net->AddConv2d(s.f2, s.k, 1, s.k / 2).AddReLU().AddMaxPool2d(2);
  net->AddFlatten().AddDense(CnnClasses(s.data)).SetLoss(LossKind::kSoftmaxCrossEntropy);
  return net->Build({1, s.size, s.size}, max_batch);
}

double CnnForwardMacs(const CnnLabState& s) {
  const double k2 = static_cast<double>(s.k) * s.k;
  double side = s.size, channels = 1, macs = 0;
  for (int b = 0; b < s.blocks; ++b) {
    const double f = b == 0 ? s.f1 : s.f2;
    macs += side * side * f * channels * k2 + 2.0 * side * side * f;  // conv, ReLU + pool
    channels = f;
    side = std::floor(side / 2);
  }
  return macs + side * side * channels * CnnClasses(s.data);
}

double CnnActivationValues(const CnnLabState& s) {
  double side = s.size, channels = 1, values = side * side;  // the input
  for (int b = 0; b < s.blocks; ++b) {
    channels = b == 0 ? s.f1 : s.f2;
    values += 2.0 * side * side * channels;  // conv, ReLU
    side = std::floor(side / 2);
    values += side * side * channels;  // pool
  }
  return values + side * side * channels + CnnClasses(s.data);  // flatten, the logits
}

namespace {

// A step: forward and backward (about 3 forwards) of the batch, plus, at most every
// kHistoryEvery steps, a forward over the test set for the history.
double CnnStepImages(const CnnLabState& s) {
  const double test = static_cast<double>(s.data == CnnDataKind::kFashion
                                              ? CnnLabLimits::kFashionHistoryTest
                                              : CnnClasses(s.data) * CnnLabLimits::kTestPerClass);
  return 3.0 * s.batch + test / CnnLabLimits::kHistoryEvery;
}

}  // namespace

int CnnMaxStepsV1(const CnnLabState& s) {
  const double per_step = (CnnForwardMacs(s) + CnnLabLimits::kOverheadMacs) * CnnStepImages(s);
  const double steps = std::floor(CnnLabLimits::kV1ReplayMacs / per_step);
  return static_cast<int>(
      std::max(10.0, std::min<double>(CnnLabLimits::kV1MaxStepsCeiling, steps)));
}

int CnnMaxSteps(const CnnLabState& s) {
  const double per_step =
      (CnnForwardMacs(s) + CnnLabLimits::kOverheadMacs) * CnnStepImages(s) +
      CnnLabLimits::kClearMacs * CnnLabLimits::kNetBatch * CnnActivationValues(s);
  const double steps = std::min<double>(CnnLabLimits::kMaxStepsCeiling,
                                        std::floor(CnnLabLimits::kReplayMacs / per_step));
  return std::max(CnnMaxStepsV1(s), static_cast<int>(steps));
}

// ---- CnnSession ----------------------------------------------------------------------------

std::string CnnSession::Reset(const CnnLabState& s) {
  state_ = s;
  steps_ = 0;
  last_loss_ = 0;
  sum_loss_ = sum_acc_ = 0;
  sum_n_ = 0;
  history_.Reset(CnnLabLimits::kHistory, CnnLabLimits::kHistoryEvery);
  error_.clear();
  max_steps_ = CnnMaxSteps(s);
  if (std::string err = ResetData(s); !err.empty()) {
    data_ = CnnDataset();
    data_.size = s.size;
    data_.classes = CnnClasses(s.data);
    sampler_.Clear();
    net_ = Network();
    return error_ = err;
  }
  image_ = static_cast<size_t>(s.size) * static_cast<size_t>(s.size);
  batch_x_.assign(static_cast<size_t>(CnnLabLimits::kMaxBatch) * image_, 0.0f);
  batch_y_.assign(static_cast<size_t>(CnnLabLimits::kMaxBatch), 0);
  batch_idx_.clear();
  batch_idx_.reserve(static_cast<size_t>(CnnLabLimits::kMaxBatch));
  sampler_.Clear();
  if (std::string err = BuildCnnNetwork(s, std::max(kEvalChunk, CnnLabLimits::kMaxBatch), &net_);
      !err.empty())
    return error_ = err;
  net_.InitParams(static_cast<uint64_t>(s.seed));
  sgd_ = Sgd(s.lr, s.momentum);
  sgd_.Build(net_);
  adam_ = Adam(s.lr);
  adam_.Build(net_);
  decayed_.clear();
  for (int i = 0; i < net_.num_param_tensors(); ++i) {
    const std::string& name = net_.param(i).name;
    if (name.size() > 7 && name.compare(name.size() - 7, 7, ".weight") == 0)
      decayed_.push_back(net_.param(i));
  }
  sampler_.Reset(data_.train_y.size(), Pcg32(static_cast<uint64_t>(s.seed), 3003));
  Record();
  return {};
}

std::string CnnSession::ResetData(const CnnLabState& s) {
  const bool fashion = s.data == CnnDataKind::kFashion;
  if (fashion != (s.size == CnnLabLimits::kFashionSize))
    return fashion ? "Fashion-MNIST images are 28x28" : "28x28 is for Fashion-MNIST only";
  // Fashion-MNIST's images are converted once per set-up, not on every reset of it.
  const bool same_fashion = fashion && !data_.train_y.empty() && data_.classes == 10 &&
                            state_fashion_noise_ == s.noise && state_fashion_seed_ == s.seed;
  if (fashion) {
    std::string why;
    if (!FashionAsset(&why)) return why;
  }
  if (!same_fashion) data_ = MakeCnnDataset(s.data, s.size, s.noise, s.seed);
  state_fashion_noise_ = fashion ? s.noise : -1.0f;
  state_fashion_seed_ = fashion ? s.seed : -1;
  return {};
}

void CnnSession::Step() {
  if (!error_.empty() || sampler_.empty() || steps_ == std::numeric_limits<int>::max()) return;
  const int batch = state_.batch;
  sampler_.NextBatch(batch, &batch_idx_);  // reserved in Reset: no allocation
  for (int b = 0; b < batch; ++b) {
    const size_t idx = static_cast<size_t>(batch_idx_[static_cast<size_t>(b)]);
    std::copy(data_.train_x.begin() + static_cast<std::ptrdiff_t>(idx * image_),
              data_.train_x.begin() + static_cast<std::ptrdiff_t>((idx + 1) * image_),
              batch_x_.begin() + static_cast<std::ptrdiff_t>(static_cast<size_t>(b) * image_));
    batch_y_[static_cast<size_t>(b)] = data_.train_y[idx];
  }
  last_loss_ = net_.TrainStep(batch_x_.data(), batch_y_.data(), batch);
  const int k = data_.classes;
  const float* p = net_.probs();
  int correct = 0;
  for (int i = 0; i < batch; ++i) {
    const float* row = p + i * k;
    correct += static_cast<int>(std::max_element(row, row + k) - row) == batch_y_[i];
  }
  const float decay = state_.decay;
  if (state_.opt == CnnOptimizer::kAdam) {
    if (decay > 0.0f) {  // decoupled (AdamW): w <- w - lr * decay * w
      const float shrink = state_.lr * decay;
      for (const ParamView& v : decayed_) {
        float* w = net_.params() + v.offset;
        for (size_t i = 0; i < v.size; ++i) w[i] -= shrink * w[i];
      }
    }
    adam_.Step(&net_);
  } else {
    if (decay > 0.0f) {  // L2: g <- g + decay * w
      for (const ParamView& v : decayed_) {
        const float* w = net_.params() + v.offset;
        float* g = net_.grads() + v.offset;
        for (size_t i = 0; i < v.size; ++i) g[i] += decay * w[i];
      }
    }
    sgd_.Step(&net_);
  }
  sum_loss_ += last_loss_;
  sum_acc_ += static_cast<double>(correct) / batch;
  ++sum_n_;
  ++steps_;
  if (history_.Due(steps_)) Record();
}

void CnnSession::TestSet(size_t count, float* loss, float* acc, float* confusion,
                         std::vector<CnnMistake>* mistakes) {
  const size_t n = std::min(count, data_.test_y.size());
  const int k = data_.classes;
  double total = 0;
  int correct = 0;
  if (confusion) std::fill(confusion, confusion + k * k, 0.0f);
  if (mistakes) mistakes->clear();
  for (size_t start = 0; start < n; start += kEvalChunk) {
    const int batch = static_cast<int>(std::min<size_t>(kEvalChunk, n - start));
    const float l =
        net_.Loss(data_.test_x.data() + start * image_, data_.test_y.data() + start, batch);
    total += static_cast<double>(l) * batch;
    const float* p = net_.probs();
    for (int i = 0; i < batch; ++i) {
      const float* row = p + i * k;
      const int best = static_cast<int>(std::max_element(row, row + k) - row);
      const int truth = data_.test_y[start + static_cast<size_t>(i)];
      correct += best == truth;
      if (confusion) confusion[truth * k + best] += 1.0f;
      if (mistakes && best != truth) {
        // Keep the kMistakes most confident, most confident first (ties: the earlier image).
        CnnMistake m{static_cast<int>(start) + i, truth, best, row[best]};
        auto at = std::find_if(mistakes->begin(), mistakes->end(),
                               [&](const CnnMistake& o) { return m.confidence > o.confidence; });
        if (at - mistakes->begin() < CnnLabResult::kMistakes) {
          mistakes->insert(at, m);
          if (static_cast<int>(mistakes->size()) > CnnLabResult::kMistakes) mistakes->pop_back();
        }
      }
    }
  }
  *loss = n ? static_cast<float>(total / static_cast<double>(n)) : 0.0f;
  *acc = n ? static_cast<float>(correct) / static_cast<float>(n) : 0.0f;
}

void CnnSession::Record() {
  CnnHistoryPoint p;
  p.step = steps_;
  TestSet(static_cast<size_t>(CnnHistoryTestCount(state_.data)), &p.test_loss, &p.test_acc, nullptr,
          nullptr);
  if (sum_n_ > 0) {
    p.train_loss = static_cast<float>(sum_loss_ / sum_n_);
    p.train_acc = static_cast<float>(sum_acc_ / sum_n_);
  } else {
    // Step 0: the first chunk of the training set, as no batch has been seen.
    const int k = data_.classes;
    const int batch = static_cast<int>(std::min<size_t>(kEvalChunk, data_.train_y.size()));
    p.train_loss = net_.Loss(data_.train_x.data(), data_.train_y.data(), batch);
    int correct = 0;
    for (int i = 0; i < batch; ++i) {
      const float* row = net_.probs() + i * k;
      correct += static_cast<int>(std::max_element(row, row + k) - row) == data_.train_y[i];
    }
    p.train_acc = static_cast<float>(correct) / static_cast<float>(batch);
  }
  sum_loss_ = sum_acc_ = 0;
  sum_n_ = 0;
  history_.Add(p);
}

// ---- checkpoints ------------------------------------------------------------------------
// The payload (session.h has the envelope): the parameters; Adam's step count, m and v, or
// SGD's velocity (none without momentum); the batch order; the last batch and its loss; the
// running sums since the last history point; the history.

uint64_t CnnSetupKey(const CnnLabState& state) {
  CnnLabState s = state;
  s.steps = 0;
  s.draw = Tensor();
  return Fnv1a64(EncodeCnnLab(s));
}

namespace {

void SaveCnnPoint(ByteWriter* w, const CnnHistoryPoint& p) {
  w->I32(p.step);
  w->F32(p.train_loss), w->F32(p.train_acc), w->F32(p.test_loss), w->F32(p.test_acc);
}

bool LoadCnnPoint(ByteReader* r, CnnHistoryPoint* p) {
  p->step = r->I32();
  p->train_loss = r->F32(), p->train_acc = r->F32(), p->test_loss = r->F32();
  p->test_acc = r->F32();
  return p->step >= 0;
}

}  // namespace

std::string CnnOpenRun(const CnnLabState& state, CnnSession* session) {
  return OpenSessionRun(state, session, CnnMaxSteps(state));
}

CnnLabState CnnLinkState(const CnnLabState& state, const CnnSession& session) {
  return LinkSessionState(state, session, CnnMaxSteps(state));
}

std::string CnnCheckCheckpoint(const CnnLabState& state) {
  std::string payload;
  return CheckCheckpointSteps(state.checkpoint, CheckpointLab::kCnn, CnnSetupKey(state),
                              state.steps, &payload);
}

std::string CnnSession::SaveCheckpoint() const {
  if (!error_.empty() || sampler_.empty()) return {};
  ByteWriter w;
  const size_t n = net_.param_count();
  w.Floats(net_.params(), n);
  if (state_.opt == CnnOptimizer::kAdam) {
    w.U64(static_cast<uint64_t>(adam_.steps()));
    w.Floats(adam_.m(), n);
    w.Floats(adam_.v(), n);
  } else {
    w.Floats(sgd_.velocity(), state_.momentum != 0.0f ? n : 0);
  }
  SaveRunPosition(&w, sampler_, batch_idx_, last_loss_);
  w.F64(sum_loss_), w.F64(sum_acc_), w.I32(sum_n_);
  history_.Save(&w, SaveCnnPoint);
  return SealCheckpoint(CheckpointLab::kCnn, CnnSetupKey(state_), steps_, w.bytes());
}

std::string CnnSession::LoadCheckpoint(const CnnLabState& state, const std::string& bytes) {
  const bool same = error_.empty() && !sampler_.empty() && state_.SameSetup(state);
  return LoadSessionCheckpoint(this, state, bytes, CheckpointLab::kCnn, CnnSetupKey(state), same,
                               [](CnnSession* s, const std::string& payload, int steps) {
                                 return s->Restore(payload, steps);
                               });
}

std::string CnnSession::Restore(const std::string& payload, int steps) {
  ByteReader r(payload);
  const size_t n = net_.param_count();
  std::vector<float> params, m, v, velocity;
  uint64_t t = 0;
  r.Floats(n, &params, "the weights");
  if (state_.opt == CnnOptimizer::kAdam) {
    t = r.U64();
    r.Floats(n, &m, "Adam's first moments");
    r.Floats(n, &v, "Adam's second moments");
    if (r.ok() && t > (1ull << 40)) r.Fail("Adam's step count is out of range");
  } else {
    r.Floats(state_.momentum != 0.0f ? n : 0, &velocity, "the momentum");
  }
  BatchSampler sampler;
  std::vector<int> batch;
  float last_loss = 0;
  if (r.ok()) LoadRunPosition(&r, data_.train_y.size(), state_.batch, &sampler, &batch, &last_loss);
  const double sum_loss = r.F64(), sum_acc = r.F64();
  const int sum_n = r.I32();
  if (r.ok() && sum_n < 0) r.Fail("the running sums are out of range");
  History<CnnHistoryPoint> history;
  if (r.ok())
    History<CnnHistoryPoint>::Load(&r, CnnLabLimits::kHistory, CnnLabLimits::kHistoryEvery,
                                   LoadCnnPoint, &history);
  if (r.ok() && r.left() != 0) r.Fail("the checkpoint has bytes after its end");
  if (!r.ok()) return r.error();
  // Everything read and checked: nothing below fails.
  std::copy(params.begin(), params.end(), net_.params());
  if (state_.opt == CnnOptimizer::kAdam) {
    adam_.Restore(static_cast<long long>(t), m.data(), v.data(), n);
  } else if (!velocity.empty()) {
    sgd_.Restore(velocity.data(), n);
  }
  sampler_ = std::move(sampler);
  batch_idx_.assign(batch.begin(), batch.end());  // capacity kMaxBatch: Step stays allocation-free
  last_loss_ = last_loss;
  sum_loss_ = sum_loss, sum_acc_ = sum_acc, sum_n_ = sum_n;
  history_ = std::move(history);
  steps_ = steps;
  return {};
}

void CnnSession::Measure(CnnLabResult* result, bool test_set) {
  CnnLabResult& r = *result;
  r.error = error_;
  r.steps = steps_;
  r.max_steps = max_steps_;
  r.classes = data_.classes;
  r.train_count = static_cast<int>(data_.train_y.size());
  r.test_count = static_cast<int>(data_.test_y.size());
  r.history = history_.points();
  r.history_every = history_.every();
  r.last_batch_loss = last_loss_;
  const int k = data_.classes;
  if (r.confusion.shape() != std::vector<int>{k, k}) r.confusion = Tensor({k, k});
  const int f = state_.f1, ks = state_.k;
  if (r.filters.shape() != std::vector<int>{f, ks, ks}) r.filters = Tensor({f, ks, ks});
  if (!error_.empty()) {
    r.param_count = 0;
    r.train_loss = r.test_loss = r.train_acc = r.test_acc = 0;
    std::fill(r.confusion.values().begin(), r.confusion.values().end(), 0.0f);
    std::fill(r.filters.values().begin(), r.filters.values().end(), 0.0f);
    r.mistakes.clear();
    return;
  }
  r.param_count = static_cast<int>(net_.param_count());
  if (test_set) {
    TestSet(data_.test_y.size(), &r.test_loss, &r.test_acc, r.confusion.data(), &r.mistakes);
  } else {
    r.test_loss = history_.back().test_loss;
    r.test_acc = history_.back().test_acc;
  }
  r.train_loss = history_.back().train_loss;
  r.train_acc = history_.back().train_acc;
  const ParamView& w = net_.param(0);  // conv0.weight [f1, 1, k, k]
  std::copy(w.data, w.data + w.size, r.filters.data());
}

void CnnSession::Probe(const Tensor& drawing, CnnLabResult* result) {
  CnnLabResult& r = *result;
  const int k = data_.classes;
  r.probs.assign(static_cast<size_t>(k), 0.0f);
  r.predicted = 0;
  if (!error_.empty() || drawing.size() != image_) {
    r.maps.clear();
    return;
  }
  const float* logits = net_.Forward(drawing.data(), 1);
  softmax_forward(1, k, logits, r.probs.data());
  r.predicted =
      static_cast<int>(std::max_element(r.probs.begin(), r.probs.end()) - r.probs.begin());
  size_t m = 0;
  for (int i = 0; i < net_.num_layers(); ++i) {
    if (net_.layer_kind(i) == LayerKind::kFlatten) continue;
    if (r.maps.size() <= m) r.maps.emplace_back();
    CnnFeatureMap& map = r.maps[m++];
    map.name = std::string(LayerKindName(net_.layer_kind(i))) + std::to_string(i);
    map.shape = net_.layer_shape(i);
    const size_t n = Tensor::Count(map.shape);
    map.values.assign(net_.layer_output(i), net_.layer_output(i) + n);
  }
  r.maps.resize(m);
}

// ---- lab entry points --------------------------------------------------------------------

CnnLabState CnnLabDefault() {
  return CnnPresets().front().state;
}

int CnnTraceSteps(const CnnLabState& s, int param_count) {
  const long long per_step =
      static_cast<long long>(param_count) + static_cast<long long>(s.batch) * s.size * s.size;
  const long long fit = std::max<long long>(1, CnnLabLimits::kTraceValues / per_step);
  return static_cast<int>(
      std::min<long long>({static_cast<long long>(s.steps), CnnLabLimits::kTraceSteps, fit}));
}

namespace {

std::vector<CnnParamTensor> ParamTensors(const Network& net) {
  std::vector<CnnParamTensor> out;
  for (int i = 0; i < net.num_param_tensors(); ++i) {
    const ParamView& v = net.param(i);
    out.push_back({v.name, v.shape, std::vector<float>(v.data, v.data + v.size)});
  }
  return out;
}

}  // namespace

CnnLabResult EvaluateCnnLab(const CnnLabState& state) {
  CnnLabResult r;
  CnnSession session;
  const bool built = session.Reset(state).empty();
  if (built) r.initial_params = ParamTensors(session.net());
  const int traced =
      built ? CnnTraceSteps(state, static_cast<int>(session.net().param_count())) : 0;
  const CnnDataset& d = session.data();
  const size_t px = static_cast<size_t>(d.size) * static_cast<size_t>(d.size);
  std::vector<bool> seen(d.train_y.size(), false);
  // With a checkpoint only the trace's first steps are replayed, then the run is restored.
  const bool restore = built && !state.checkpoint.empty();
  const int replay = restore ? traced : state.steps;  // then RestoreAfterTrace
  for (int i = 0; i < replay; ++i) {
    session.Step();
    if (i >= traced) continue;
    CnnLabResult::TraceStep t;
    t.batch = session.last_batch();
    t.loss = session.last_loss();
    t.params = ParamTensors(session.net());
    for (int idx : t.batch) {
      const size_t at = static_cast<size_t>(idx);
      if (seen[at]) continue;
      seen[at] = true;
      r.image_index.push_back(idx);
      r.image_label.push_back(d.train_y[at]);
      r.images.insert(r.images.end(), d.train_x.begin() + static_cast<std::ptrdiff_t>(at * px),
                      d.train_x.begin() + static_cast<std::ptrdiff_t>((at + 1) * px));
    }
    r.trace.push_back(std::move(t));
  }
  const std::string restore_error = RestoreAfterTrace(state, restore, &session);
  session.Measure(&r);
  session.Probe(state.draw, &r);
  if (!restore_error.empty()) r.error = restore_error;
  if (built) r.params = ParamTensors(session.net());
  r.replayed = true;
  return r;
}

std::string EncodeCnnLab(const CnnLabState& s) {
  Tensor draw = s.draw;
  if (draw.shape() != std::vector<int>{s.size, s.size}) draw = Tensor({s.size, s.size});
  return std::string("v1/cnn?data=") + CnnDataName(s.data) + "&size=" + std::to_string(s.size) +
         "&noise=" + FormatFloat(s.noise) + "&seed=" + std::to_string(s.seed) +
         "&blocks=" + std::to_string(s.blocks) + "&f1=" + std::to_string(s.f1) +
         "&f2=" + std::to_string(s.f2) + "&k=" + std::to_string(s.k) + "&opt=" + OptName(s.opt) +
         "&lr=" + FormatFloat(s.lr) + "&mom=" + FormatFloat(s.momentum) +
         "&batch=" + std::to_string(s.batch) +
         (s.decay != 0.0f ? "&decay=" + FormatFloat(s.decay) : std::string()) +
         "&steps=" + std::to_string(s.steps) + "&draw=" + FormatTensorText(draw) +
         (s.steps > CnnMaxSteps(s) && !s.checkpoint.empty()
              ? "&ckpt=" + EncodeBase64Url(s.checkpoint)
              : std::string());
}

namespace {

// size=: 16 or 24 for the drawn datasets, 28 (the default) for fashion.
bool DecodeCnnSize(const Link& link, CnnLabState* s, LinkError* error) {
  const bool fashion = s->data == CnnDataKind::kFashion;
  const std::string* v = link.Find("size");
  if (!v) {
    if (fashion) s->size = CnnLabLimits::kFashionSize;
    return true;
  }
  std::string why;
  if (!ParseInt(*v, 16, CnnLabLimits::kFashionSize, &s->size, &why))
    return *error = {"size", why}, false;
  if (fashion && s->size != CnnLabLimits::kFashionSize)
    return *error = {"size", "expected 28 (Fashion-MNIST's images are 28x28)"}, false;
  if (!fashion && s->size != 16 && s->size != 24)
    return *error = {"size", "expected 16 or 24"}, false;
  return true;
}

}  // namespace

bool DecodeCnnLab(const Link& link, CnnLabState* state, LinkError* error) {
  if (!CheckFieldNames(link,
                       {"data", "size", "noise", "seed", "blocks", "f1", "f2", "k", "opt", "lr",
                        "mom", "batch", "decay", "steps", "draw", "ckpt"},
                       error))
    return false;
  CnnLabState s = CnnLabDefault();
  std::string why;
  if (const std::string* v = link.Find("data")) {
    bool found = false;
    for (CnnDataKind k :
         {CnnDataKind::kBars, CnnDataKind::kShapes, CnnDataKind::kDigits, CnnDataKind::kFashion})
      if (*v == CnnDataName(k)) s.data = k, found = true;
    if (!found) return *error = {"data", "expected bars, shapes, digits or fashion"}, false;
  }
  if (!DecodeCnnSize(link, &s, error)) return false;
  if (const std::string* v = link.Find("noise")) {
    if (!ParseFloat(*v, &s.noise, &why)) return *error = {"noise", why}, false;
    if (!(s.noise >= 0.0f && s.noise <= CnnLabLimits::kMaxNoise))
      return *error = {"noise", "the noise must be in [0, 0.5]"}, false;
  }
  if (const std::string* v = link.Find("seed"))
    if (!ParseInt(*v, 0, CnnLabLimits::kMaxSeed, &s.seed, &why))
      return *error = {"seed", why}, false;
  if (const std::string* v = link.Find("blocks"))
    if (!ParseInt(*v, CnnLabLimits::kMinBlocks, CnnLabLimits::kMaxBlocks, &s.blocks, &why))
      return *error = {"blocks", why}, false;
  if (const std::string* v = link.Find("f1"))
    if (!ParseInt(*v, CnnLabLimits::kMinFilters, CnnLabLimits::kMaxFilters, &s.f1, &why))
      return *error = {"f1", why}, false;
  if (const std::string* v = link.Find("f2"))
    if (!ParseInt(*v, CnnLabLimits::kMinFilters, CnnLabLimits::kMaxFilters, &s.f2, &why))
      return *error = {"f2", why}, false;
  if (const std::string* v = link.Find("k")) {
    if (!ParseInt(*v, 3, 5, &s.k, &why)) return *error = {"k", why}, false;
    if (s.k != 3 && s.k != 5) return *error = {"k", "expected 3 or 5"}, false;
  }
  if (const std::string* v = link.Find("opt")) {
    if (*v == "sgd") {
      s.opt = CnnOptimizer::kSgd;
    } else if (*v == "adam") {
      s.opt = CnnOptimizer::kAdam;
    } else {
      return *error = {"opt", "expected sgd or adam"}, false;
    }
  }
  if (const std::string* v = link.Find("lr")) {
    if (!ParseFloat(*v, &s.lr, &why)) return *error = {"lr", why}, false;
    if (!(s.lr > 0.0f && s.lr <= CnnLabLimits::kMaxLr))
      return *error = {"lr", "the learning rate must be in (0, 1]"}, false;
  }
  if (const std::string* v = link.Find("mom")) {
    if (!ParseFloat(*v, &s.momentum, &why)) return *error = {"mom", why}, false;
    if (!(s.momentum >= 0.0f && s.momentum <= CnnLabLimits::kMaxMomentum))
      return *error = {"mom", "the momentum must be in [0, 0.99]"}, false;
  }
  if (const std::string* v = link.Find("batch"))
    if (!ParseInt(*v, 1, CnnLabLimits::kMaxBatch, &s.batch, &why))
      return *error = {"batch", why}, false;
  if (const std::string* v = link.Find("decay")) {
    if (!ParseFloat(*v, &s.decay, &why)) return *error = {"decay", why}, false;
    if (!(s.decay >= 0.0f && s.decay <= CnnLabLimits::kMaxDecay))
      return *error = {"decay", "the weight decay must be in [0, 1]"}, false;
  }
  // Steps last: the cap depends on the set-up. Past it the link carries the run (ckpt).
  const std::string* ckpt = link.Find("ckpt");
  const int cap = CnnMaxSteps(s);
  if (const std::string* v = link.Find("steps")) {
    if (!ParseInt(*v, 0, ckpt ? std::numeric_limits<int>::max() : cap, &s.steps, &why))
      return *error = {"steps", why + " (this network's link holds at most " + std::to_string(cap) +
                                    " steps to replay; a longer run carries its checkpoint, ckpt)"},
             false;
  }
  if (ckpt && s.steps <= cap)
    return *error = {"ckpt", "a link of at most " + std::to_string(cap) +
                                 " steps replays them from the seed: leave ckpt out"},
           false;
  if (const std::string* v = link.Find("draw")) {
    // Rank 2, at most 24x24 = 576 values: checked by the parser before it allocates.
    TensorLimits limits;
    limits.min_rank = limits.max_rank = 2;
    limits.max_dim = CnnLabLimits::kFashionSize;
    limits.max_count = CnnLabLimits::kFashionSize * CnnLabLimits::kFashionSize;
    Tensor t;
    if (!ParseTensorText(*v, limits, &t, &why)) return *error = {"draw", why}, false;
    if (t.dim(0) != s.size || t.dim(1) != s.size)
      return *error = {"draw", SizeError(s.size) + std::to_string(t.dim(0)) + "x" +
                                   std::to_string(t.dim(1))},
             false;
    for (float x : t.values())
      if (!(x >= -10.0f && x <= 10.0f))
        return *error = {"draw", "pixel values must be in [-10, 10]"}, false;
    s.draw = std::move(t);
  } else {
    s.draw = Tensor({s.size, s.size});
  }
  if (ckpt) {
    if (!DecodeBase64Url(*ckpt, &s.checkpoint))
      return *error = {"ckpt", "expected base64url (A-Z a-z 0-9 - _, no padding)"}, false;
    if (std::string err = CnnCheckCheckpoint(s); !err.empty()) return *error = {"ckpt", err}, false;
  }
  if (!CheckWrittenLength(link, EncodeCnnLab(s), error)) return false;
  *state = std::move(s);
  return true;
}

std::string CnnLabToJson(const CnnLabState& s, const CnnLabResult& r) {
  JsonWriter j;
  j.BeginObject().Key("lab").String("cnn").Key("version").Int(kLinkVersion);
  j.Key("link").String(EncodeCnnLab(s));
  j.Key("state").BeginObject();
  j.Key("data").String(CnnDataName(s.data)).Key("size").Int(s.size).Key("noise").Number(s.noise);
  j.Key("seed").Int(s.seed).Key("blocks").Int(s.blocks).Key("f1").Int(s.f1).Key("f2").Int(s.f2);
  j.Key("k").Int(s.k).Key("opt").String(OptName(s.opt)).Key("lr").Number(s.lr);
  j.Key("momentum").Number(s.momentum).Key("batch").Int(s.batch).Key("decay").Number(s.decay);
  j.Key("steps").Int(s.steps);
  j.Key("draw").TensorValue(s.draw);
  j.EndObject();
  j.Key("result").BeginObject();
  j.Key("error").String(r.error).Key("steps").Int(r.steps).Key("max_steps").Int(r.max_steps);
  j.Key("classes").Int(r.classes).Key("class_names").BeginArray();
  for (int c = 0; c < r.classes; ++c) j.String(CnnClassName(s.data, c));
  j.EndArray();
  j.Key("param_count").Int(r.param_count);
  j.Key("train_count").Int(r.train_count).Key("test_count").Int(r.test_count);
  j.Key("train_loss").Number(r.train_loss).Key("train_acc").Number(r.train_acc);
  j.Key("test_loss").Number(r.test_loss).Key("test_acc").Number(r.test_acc);
  j.Key("last_batch_loss").Number(r.last_batch_loss);
  using P = CnnHistoryPoint;
  WriteHistoryJson<P>(&j, r.history, r.history_every,
                      {{"train_loss", &P::train_loss},
                       {"train_acc", &P::train_acc},
                       {"test_loss", &P::test_loss},
                       {"test_acc", &P::test_acc}});
  j.Key("confusion").TensorValue(r.confusion);
  j.Key("mistakes").BeginArray();
  for (const CnnMistake& m : r.mistakes)
    j.BeginObject()
        .Key("index")
        .Int(m.index)
        .Key("truth")
        .Int(m.truth)
        .Key("predicted")
        .Int(m.predicted)
        .Key("confidence")
        .Number(m.confidence)
        .EndObject();
  j.EndArray();
  j.Key("filters").TensorValue(r.filters);
  j.Key("probs").BeginArray();
  for (float p : r.probs) j.Number(p);
  j.EndArray().Key("predicted").Int(r.predicted);
  j.Key("predicted_name").String(CnnClassName(s.data, r.predicted));
  j.Key("maps").BeginArray();
  for (const CnnFeatureMap& m : r.maps) {
    j.BeginObject().Key("name").String(m.name).Key("shape").BeginArray();
    for (int d : m.shape) j.Int(d);
    j.EndArray().Key("values").BeginArray();
    for (float v : m.values) j.Number(v);
    j.EndArray().EndObject();
  }
  j.EndArray();
  if (r.replayed) {
    // Weights per tensor, as nested arrays of the tensor's shape (PyTorch's layouts:
    // conv [out, in, k, k], dense [out, in]).
    auto nested = [&](const std::vector<int>& shape, const float* v) {
      std::vector<size_t> stride(shape.size() + 1, 1);
      for (size_t d = shape.size(); d-- > 0;)
        stride[d] = stride[d + 1] * static_cast<size_t>(shape[d]);
      auto write = [&](auto&& self, size_t dim, size_t at) -> void {
        if (dim == shape.size()) {
          j.Number(v[at]);
          return;
        }
        j.BeginArray();
        for (int i = 0; i < shape[dim]; ++i)
          self(self, dim + 1, at + static_cast<size_t>(i) * stride[dim + 1]);
        j.EndArray();
      };
      write(write, 0, 0);
    };
    auto tensors = [&](const std::vector<CnnParamTensor>& ts) {
      j.BeginObject();
      for (const CnnParamTensor& t : ts) {
        j.Key(t.name.c_str());
        nested(t.shape, t.values.data());
      }
      j.EndObject();
    };
    j.Key("initial_weights");
    tensors(r.initial_params);
    j.Key("weights");
    tensors(r.params);
    // The first steps: the batch (training-set indices), its loss, the weights after.
    WriteTraceJson(&j, r.trace, tensors);
    // The training images those batches use: index, label, pixels [size][size].
    j.Key("trace_images").BeginObject().Key("index").BeginArray();
    for (int i : r.image_index) j.Int(i);
    j.EndArray().Key("label").BeginArray();
    for (int c : r.image_label) j.Int(c);
    j.EndArray().Key("x").BeginArray();
    const size_t px = static_cast<size_t>(s.size) * static_cast<size_t>(s.size);
    for (size_t i = 0; i < r.image_index.size(); ++i)
      nested({s.size, s.size}, r.images.data() + i * px);
    j.EndArray().EndObject();
  }
  j.EndObject();
  j.EndObject();
  return ToAscii(j.str());  // the JSON keeps ASCII (labs/notation.h)
}

}  // namespace nnplay
