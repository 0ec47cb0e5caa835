// train_lab.cpp: the training lab's model and share-link fields. See train_lab.h.
#include "labs/train_lab.h"

#include <algorithm>
#include <cmath>

#include "json.h"
#include "link/number.h"

namespace nnplay {
namespace {

constexpr float kPi = 3.14159265358979f;
constexpr int kEvalChunk = 256;  // samples per Forward when measuring

const char* const kFeatureNames[kTrainFeatureCount] = {"x", "y", "x2", "y2", "xy", "sinx", "siny"};

const char* DataName(TrainDataKind k) {
  switch (k) {
    case TrainDataKind::kCircle:
      return "circle";
    case TrainDataKind::kXor:
      return "xor";
    case TrainDataKind::kGauss:
      return "gauss";
    case TrainDataKind::kSpiral:
      return "spiral";
    case TrainDataKind::kBlobs3:
      return "blobs3";
  }
  return "circle";
}

const char* ActName(TrainActivation a) {
  switch (a) {
    case TrainActivation::kTanh:
      return "tanh";
    case TrainActivation::kReLU:
      return "relu";
    case TrainActivation::kSigmoid:
      return "sigmoid";
  }
  return "tanh";
}

const char* OptName(TrainOptimizer o) {
  return o == TrainOptimizer::kSgd ? "sgd" : "adam";
}

// Uniform in [a, b).
float Uniform(Pcg32* rng, float a, float b) {
  return a + (b - a) * rng->NextFloat01();
}
// Approximately standard normal: the Irwin-Hall sum of 12 uniforms, minus 6 (exact in float).
float Normal(Pcg32* rng) {
  float s = 0;
  for (int i = 0; i < 12; ++i) s += rng->NextFloat01();
  return s - 6.0f;
}

std::string JoinInts(const std::vector<int>& v) {
  std::string s;
  for (size_t i = 0; i < v.size(); ++i) s += (i ? "," : "") + std::to_string(v[i]);
  return s;
}

std::vector<std::string> SplitComma(const std::string& s) {
  std::vector<std::string> out;
  if (s.empty()) return out;
  size_t start = 0;
  for (;;) {
    const size_t comma = s.find(',', start);
    out.push_back(s.substr(start, comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

}  // namespace

const char* TrainFeatureName(int i) {
  return kFeatureNames[i];
}

int TrainDataClasses(TrainDataKind kind) {
  return kind == TrainDataKind::kBlobs3 ? 3 : 2;
}

TrainDataset MakeTrainDataset(TrainDataKind kind, int seed, float noise, int split) {
  const int n = TrainLabLimits::kPoints;
  std::vector<TrainPoint> all;
  all.reserve(static_cast<size_t>(n));
  Pcg32 rng(static_cast<uint64_t>(seed), 1001);
  switch (kind) {
    case TrainDataKind::kCircle:
      // Class 1: radius < 2.5; class 0: radius in [3.5, 5]. Noise moves the point by up to
      // noise * 5 per axis (TF Playground's circle).
      for (int i = 0; i < n; ++i) {
        const int label = i < n / 2 ? 1 : 0;
        const float r = label ? Uniform(&rng, 0.0f, 2.5f) : Uniform(&rng, 3.5f, 5.0f);
        const float a = Uniform(&rng, 0.0f, 2.0f * kPi);
        const float nx = Uniform(&rng, -5.0f, 5.0f) * noise,
                    ny = Uniform(&rng, -5.0f, 5.0f) * noise;
        all.push_back({r * std::cos(a) + nx, r * std::sin(a) + ny, label});
      }
      break;
    case TrainDataKind::kXor:
      // Uniform in [-5, 5]^2, kept 0.3 away from the axes; class 1 where x*y > 0.
      for (int i = 0; i < n; ++i) {
        float x = Uniform(&rng, -5.0f, 5.0f), y = Uniform(&rng, -5.0f, 5.0f);
        x += x > 0 ? 0.3f : -0.3f;
        y += y > 0 ? 0.3f : -0.3f;
        const int label = x * y > 0 ? 1 : 0;
        const float nx = Uniform(&rng, -5.0f, 5.0f) * noise,
                    ny = Uniform(&rng, -5.0f, 5.0f) * noise;
        all.push_back({x + nx, y + ny, label});
      }
      break;
    case TrainDataKind::kGauss:
    case TrainDataKind::kBlobs3: {
      // Two classes at (2, 2) and (-2, -2); three at radius 3.5, 120 degrees apart. The
      // standard deviation grows with noise: 0.5 + 3 * noise.
      const int k = kind == TrainDataKind::kGauss ? 2 : 3;
      const float c2[2][2] = {{-2.0f, -2.0f}, {2.0f, 2.0f}};
      const float c3[3][2] = {{0.0f, 3.5f}, {-3.0311f, -1.75f}, {3.0311f, -1.75f}};
      const float sd = 0.5f + 3.0f * noise;
      for (int i = 0; i < n; ++i) {
        const int label = i * k / n;
        const float* c = k == 2 ? c2[label] : c3[label];
        const float x = c[0] + sd * Normal(&rng);
        const float y = c[1] + sd * Normal(&rng);
        all.push_back({x, y, label});
      }
      break;
    }
    case TrainDataKind::kSpiral:
      // Two interleaved arms, radius 0..5 over 1.75 turns (TF Playground's spiral).
      for (int i = 0; i < n; ++i) {
        const int label = i < n / 2 ? 1 : 0;
        const int j = label ? i : i - n / 2;
        const float r = static_cast<float>(j) / static_cast<float>(n / 2) * 5.0f;
        const float t = 1.75f * static_cast<float>(j) / static_cast<float>(n / 2) * 2.0f * kPi +
                        (label ? 0.0f : kPi);
        const float nx = Uniform(&rng, -1.0f, 1.0f) * noise,
                    ny = Uniform(&rng, -1.0f, 1.0f) * noise;
        all.push_back({r * std::sin(t) + nx, r * std::cos(t) + ny, label});
      }
      break;
  }
  // Fisher-Yates, then the first split% train.
  for (int i = n - 1; i > 0; --i) {
    const int j = static_cast<int>(rng.NextU32() % static_cast<uint32_t>(i + 1));
    std::swap(all[static_cast<size_t>(i)], all[static_cast<size_t>(j)]);
  }
  TrainDataset d;
  d.classes = TrainDataClasses(kind);
  const size_t n_train = static_cast<size_t>(n * split / 100);
  d.train.assign(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(n_train));
  d.test.assign(all.begin() + static_cast<std::ptrdiff_t>(n_train), all.end());
  return d;
}

int TrainFeatureWidth(unsigned features) {
  int w = 0;
  for (int i = 0; i < kTrainFeatureCount; ++i) w += (features >> i) & 1u;
  return w;
}

void TrainFeatureValues(unsigned features, float x, float y, float* out) {
  if (features & kFeatX) *out++ = x;
  if (features & kFeatY) *out++ = y;
  if (features & kFeatX2) *out++ = x * x;
  if (features & kFeatY2) *out++ = y * y;
  if (features & kFeatXY) *out++ = x * y;
  if (features & kFeatSinX) *out++ = std::sin(x);
  if (features & kFeatSinY) *out++ = std::sin(y);
}

// ---- TrainSession ----------------------------------------------------------------------

std::string TrainSession::Reset(const TrainLabState& s) {
  state_ = s;
  steps_ = 0;
  last_loss_ = 0;
  history_.clear();
  history_every_ = 1;
  error_.clear();
  data_ = MakeTrainDataset(s.data, s.seed, s.noise, s.split);
  width_ = TrainFeatureWidth(s.features);
  if (width_ == 0) return error_ = "pick at least one input feature";
  auto features = [&](const std::vector<TrainPoint>& pts, std::vector<float>* x,
                      std::vector<int>* y) {
    x->assign(pts.size() * static_cast<size_t>(width_), 0.0f);
    y->resize(pts.size());
    for (size_t i = 0; i < pts.size(); ++i) {
      TrainFeatureValues(s.features, pts[i].x, pts[i].y,
                         x->data() + i * static_cast<size_t>(width_));
      (*y)[i] = pts[i].label;
    }
  };
  features(data_.train, &train_x_, &train_y_);
  features(data_.test, &test_x_, &test_y_);
  const int g = TrainLabLimits::kGrid;
  const float e = TrainLabLimits::kExtent;
  grid_x_.assign(static_cast<size_t>(g * g * width_), 0.0f);
  for (int r = 0; r < g; ++r) {
    for (int c = 0; c < g; ++c) {
      const float x = -e + (2.0f * e) * (static_cast<float>(c) + 0.5f) / static_cast<float>(g);
      const float y = e - (2.0f * e) * (static_cast<float>(r) + 0.5f) / static_cast<float>(g);
      TrainFeatureValues(s.features, x, y,
                         grid_x_.data() + static_cast<size_t>((r * g + c) * width_));
    }
  }
  batch_x_.assign(static_cast<size_t>(TrainLabLimits::kMaxBatch * width_), 0.0f);
  batch_y_.assign(static_cast<size_t>(TrainLabLimits::kMaxBatch), 0);

  net_ = Network();
  for (int units : s.layers) {
    net_.AddDense(units);
    switch (s.act) {
      case TrainActivation::kTanh:
        net_.AddTanh();
        break;
      case TrainActivation::kReLU:
        net_.AddReLU();
        break;
      case TrainActivation::kSigmoid:
        net_.AddSigmoid();
        break;
    }
  }
  net_.AddDense(data_.classes).SetLoss(LossKind::kSoftmaxCrossEntropy);
  if (std::string err = net_.Build({width_}, kEvalChunk); !err.empty()) return error_ = err;
  net_.InitParams(static_cast<uint64_t>(s.seed));
  sgd_ = Sgd(s.lr, s.momentum);
  sgd_.Build(net_);
  adam_ = Adam(s.lr);
  adam_.Build(net_);
  rng_ = Pcg32(static_cast<uint64_t>(s.seed), 2002);
  order_.resize(data_.train.size());
  for (size_t i = 0; i < order_.size(); ++i) order_[i] = static_cast<int>(i);
  cursor_ = order_.size();  // the first step shuffles
  Record();
  return {};
}

void TrainSession::Step() {
  if (!error_.empty() || order_.empty()) return;
  const int batch = state_.batch;
  const size_t w = static_cast<size_t>(width_);
  for (int b = 0; b < batch; ++b) {
    if (cursor_ == order_.size()) {
      for (size_t i = order_.size() - 1; i > 0; --i) {
        const size_t j = rng_.NextU32() % static_cast<uint32_t>(i + 1);
        std::swap(order_[i], order_[j]);
      }
      cursor_ = 0;
    }
    const size_t idx = static_cast<size_t>(order_[cursor_++]);
    std::copy(train_x_.begin() + static_cast<std::ptrdiff_t>(idx * w),
              train_x_.begin() + static_cast<std::ptrdiff_t>((idx + 1) * w),
              batch_x_.begin() + static_cast<std::ptrdiff_t>(static_cast<size_t>(b) * w));
    batch_y_[static_cast<size_t>(b)] = train_y_[idx];
  }
  last_loss_ = net_.TrainStep(batch_x_.data(), batch_y_.data(), batch);
  if (state_.opt == TrainOptimizer::kAdam) {
    adam_.Step(&net_);
  } else {
    sgd_.Step(&net_);
  }
  ++steps_;
  if (steps_ % history_every_ == 0) Record();
}

void TrainSession::Losses(const std::vector<float>& x, const std::vector<int>& y, float* loss,
                          float* acc) {
  const size_t n = y.size();
  const int k = data_.classes;
  double total = 0;
  int correct = 0;
  for (size_t start = 0; start < n; start += kEvalChunk) {
    const int batch = static_cast<int>(std::min<size_t>(kEvalChunk, n - start));
    const float l =
        net_.Loss(x.data() + start * static_cast<size_t>(width_), y.data() + start, batch);
    total += static_cast<double>(l) * batch;
    const float* p = net_.probs();
    for (int i = 0; i < batch; ++i) {
      const float* row = p + i * k;
      const int best = static_cast<int>(std::max_element(row, row + k) - row);
      correct += best == y[start + static_cast<size_t>(i)];
    }
  }
  *loss = n ? static_cast<float>(total / static_cast<double>(n)) : 0.0f;
  *acc = n ? static_cast<float>(correct) / static_cast<float>(n) : 0.0f;
}

void TrainSession::Record() {
  TrainHistoryPoint p;
  p.step = steps_;
  float acc = 0;
  Losses(train_x_, train_y_, &p.train_loss, &acc);
  Losses(test_x_, test_y_, &p.test_loss, &acc);
  history_.push_back(p);
  if (static_cast<int>(history_.size()) > TrainLabLimits::kHistory) {
    // Keep every other point (steps 0, 2e, 4e, ...) and record half as often.
    size_t out = 0;
    for (size_t i = 0; i < history_.size(); i += 2) history_[out++] = history_[i];
    history_.resize(out);
    history_every_ *= 2;
  }
}

void TrainSession::Measure(TrainLabResult* result) {
  TrainLabResult& r = *result;
  r.error = error_;
  r.steps = steps_;
  r.classes = data_.classes;
  r.train_count = static_cast<int>(data_.train.size());
  r.test_count = static_cast<int>(data_.test.size());
  r.history = history_;
  r.history_every = history_every_;
  r.last_batch_loss = last_loss_;
  r.grad_norms.clear();
  const int g = TrainLabLimits::kGrid;
  if (r.grid.shape() != std::vector<int>{g, g}) r.grid = Tensor({g, g});
  if (!error_.empty()) {
    r.param_count = 0;
    r.train_loss = r.test_loss = r.train_acc = r.test_acc = 0;
    std::fill(r.grid.data(), r.grid.data() + r.grid.size(), 0.0f);
    return;
  }
  r.param_count = static_cast<int>(net_.param_count());
  Losses(train_x_, train_y_, &r.train_loss, &r.train_acc);
  Losses(test_x_, test_y_, &r.test_loss, &r.test_acc);
  const int k = data_.classes;
  const size_t cells = static_cast<size_t>(g * g);
  for (size_t start = 0; start < cells; start += kEvalChunk) {
    const int batch = static_cast<int>(std::min<size_t>(kEvalChunk, cells - start));
    const float* logits = net_.Forward(grid_x_.data() + start * static_cast<size_t>(width_), batch);
    for (int i = 0; i < batch; ++i) {
      const float* z = logits + i * k;
      const float m = *std::max_element(z, z + k);
      float e[3] = {0, 0, 0}, sum = 0;
      for (int c = 0; c < k; ++c) sum += e[c] = std::exp(z[c] - m);
      float v = 0;
      if (k == 2) {
        v = 2.0f * e[1] / sum - 1.0f;
      } else {
        const int best = static_cast<int>(std::max_element(z, z + k) - z);
        v = best == 0 ? -e[0] / sum : best == 2 ? e[2] / sum : 0.0f;
      }
      r.grid.data()[start + static_cast<size_t>(i)] = v;
    }
  }
  for (int i = 0; i < net_.num_param_tensors(); ++i) {
    const ParamView& pv = net_.param(i);
    if (pv.shape.size() != 2) continue;  // weights only
    double s = 0;
    for (size_t j = 0; j < pv.size; ++j) s += static_cast<double>(pv.grad[j]) * pv.grad[j];
    r.grad_norms.push_back({pv.name, steps_ ? static_cast<float>(std::sqrt(s)) : 0.0f});
  }
}

// ---- lab entry points --------------------------------------------------------------------

TrainLabState TrainLabDefault() {
  return TrainPresets().front().state;
}

TrainLabResult EvaluateTrainLab(const TrainLabState& state) {
  TrainLabResult r;
  TrainSession session;
  session.Reset(state);
  for (int i = 0; i < state.steps; ++i) session.Step();
  session.Measure(&r);
  return r;
}

std::string EncodeTrainLab(const TrainLabState& s) {
  std::string feat;
  for (int i = 0; i < kTrainFeatureCount; ++i)
    if (s.features & (1u << i)) feat += (feat.empty() ? "" : ",") + std::string(kFeatureNames[i]);
  return std::string("v1/train?data=") + DataName(s.data) + "&seed=" + std::to_string(s.seed) +
         "&noise=" + FormatFloat(s.noise) + "&split=" + std::to_string(s.split) + "&feat=" + feat +
         "&layers=" + JoinInts(s.layers) + "&act=" + ActName(s.act) + "&opt=" + OptName(s.opt) +
         "&lr=" + FormatFloat(s.lr) + "&mom=" + FormatFloat(s.momentum) +
         "&batch=" + std::to_string(s.batch) + "&steps=" + std::to_string(s.steps);
}

bool DecodeTrainLab(const Link& link, TrainLabState* state, LinkError* error) {
  if (!CheckFieldNames(link,
                       {"data", "seed", "noise", "split", "feat", "layers", "act", "opt", "lr",
                        "mom", "batch", "steps"},
                       error))
    return false;
  TrainLabState s = TrainLabDefault();
  std::string why;
  if (const std::string* v = link.Find("data")) {
    bool found = false;
    for (TrainDataKind k : {TrainDataKind::kCircle, TrainDataKind::kXor, TrainDataKind::kGauss,
                            TrainDataKind::kSpiral, TrainDataKind::kBlobs3})
      if (*v == DataName(k)) s.data = k, found = true;
    if (!found) return *error = {"data", "expected circle, xor, gauss, spiral or blobs3"}, false;
  }
  if (const std::string* v = link.Find("seed"))
    if (!ParseInt(*v, 0, TrainLabLimits::kMaxSeed, &s.seed, &why))
      return *error = {"seed", why}, false;
  if (const std::string* v = link.Find("noise")) {
    if (!ParseFloat(*v, &s.noise, &why)) return *error = {"noise", why}, false;
    if (!(s.noise >= 0.0f && s.noise <= TrainLabLimits::kMaxNoise))
      return *error = {"noise", "the noise must be in [0, 0.5]"}, false;
  }
  if (const std::string* v = link.Find("split"))
    if (!ParseInt(*v, TrainLabLimits::kMinSplit, TrainLabLimits::kMaxSplit, &s.split, &why))
      return *error = {"split", why}, false;
  if (const std::string* v = link.Find("feat")) {
    if (v->size() > 64) return *error = {"feat", "too long"}, false;
    s.features = 0;
    for (const std::string& name : SplitComma(*v)) {
      int found = -1;
      for (int i = 0; i < kTrainFeatureCount; ++i)
        if (name == kFeatureNames[i]) found = i;
      if (found < 0)
        return *error = {"feat",
                         "unknown feature '" + name + "' (expected x, y, x2, y2, xy, sinx, siny)"},
               false;
      if (s.features & (1u << found))
        return *error = {"feat", "feature '" + name + "' is given twice"}, false;
      s.features |= 1u << found;
    }
    if (s.features == 0) return *error = {"feat", "pick at least one input feature"}, false;
  }
  if (const std::string* v = link.Find("layers")) {
    if (v->size() > 64) return *error = {"layers", "too long"}, false;
    const std::vector<std::string> parts = SplitComma(*v);
    if (static_cast<int>(parts.size()) > TrainLabLimits::kMaxLayers)
      return *error = {"layers", "at most 6 hidden layers"}, false;
    s.layers.clear();
    for (const std::string& p : parts) {
      int units = 0;
      if (!ParseInt(p, 1, TrainLabLimits::kMaxUnits, &units, &why))
        return *error = {"layers", "units per layer: " + why}, false;
      s.layers.push_back(units);
    }
  }
  if (const std::string* v = link.Find("act")) {
    if (*v == "tanh") {
      s.act = TrainActivation::kTanh;
    } else if (*v == "relu") {
      s.act = TrainActivation::kReLU;
    } else if (*v == "sigmoid") {
      s.act = TrainActivation::kSigmoid;
    } else {
      return *error = {"act", "expected tanh, relu or sigmoid"}, false;
    }
  }
  if (const std::string* v = link.Find("opt")) {
    if (*v == "sgd") {
      s.opt = TrainOptimizer::kSgd;
    } else if (*v == "adam") {
      s.opt = TrainOptimizer::kAdam;
    } else {
      return *error = {"opt", "expected sgd or adam"}, false;
    }
  }
  if (const std::string* v = link.Find("lr")) {
    if (!ParseFloat(*v, &s.lr, &why)) return *error = {"lr", why}, false;
    if (!(s.lr > 0.0f && s.lr <= TrainLabLimits::kMaxLr))
      return *error = {"lr", "the learning rate must be in (0, 10]"}, false;
  }
  if (const std::string* v = link.Find("mom")) {
    if (!ParseFloat(*v, &s.momentum, &why)) return *error = {"mom", why}, false;
    if (!(s.momentum >= 0.0f && s.momentum <= TrainLabLimits::kMaxMomentum))
      return *error = {"mom", "the momentum must be in [0, 0.99]"}, false;
  }
  if (const std::string* v = link.Find("batch"))
    if (!ParseInt(*v, 1, TrainLabLimits::kMaxBatch, &s.batch, &why))
      return *error = {"batch", why}, false;
  if (const std::string* v = link.Find("steps"))
    if (!ParseInt(*v, 0, TrainLabLimits::kMaxSteps, &s.steps, &why))
      return *error = {"steps", why + " (a link holds at most 20000 steps)"}, false;
  *state = std::move(s);
  return true;
}

std::string TrainLabToJson(const TrainLabState& s, const TrainLabResult& r) {
  JsonWriter j;
  j.BeginObject().Key("lab").String("train").Key("version").Int(kLinkVersion);
  j.Key("link").String(EncodeTrainLab(s));
  j.Key("state").BeginObject();
  j.Key("data").String(DataName(s.data)).Key("seed").Int(s.seed).Key("noise").Number(s.noise);
  j.Key("split").Int(s.split).Key("features").BeginArray();
  for (int i = 0; i < kTrainFeatureCount; ++i)
    if (s.features & (1u << i)) j.String(kFeatureNames[i]);
  j.EndArray().Key("layers").BeginArray();
  for (int u : s.layers) j.Int(u);
  j.EndArray();
  j.Key("act").String(ActName(s.act)).Key("opt").String(OptName(s.opt));
  j.Key("lr").Number(s.lr).Key("momentum").Number(s.momentum).Key("batch").Int(s.batch);
  j.Key("steps").Int(s.steps);
  j.EndObject();
  j.Key("result").BeginObject();
  j.Key("error").String(r.error).Key("steps").Int(r.steps).Key("classes").Int(r.classes);
  j.Key("param_count").Int(r.param_count);
  j.Key("train_count").Int(r.train_count).Key("test_count").Int(r.test_count);
  j.Key("train_loss").Number(r.train_loss).Key("test_loss").Number(r.test_loss);
  j.Key("train_acc").Number(r.train_acc).Key("test_acc").Number(r.test_acc);
  j.Key("last_batch_loss").Number(r.last_batch_loss);
  j.Key("history_every").Int(r.history_every).Key("history").BeginObject();
  j.Key("step").BeginArray();
  for (const TrainHistoryPoint& p : r.history) j.Int(p.step);
  j.EndArray().Key("train_loss").BeginArray();
  for (const TrainHistoryPoint& p : r.history) j.Number(p.train_loss);
  j.EndArray().Key("test_loss").BeginArray();
  for (const TrainHistoryPoint& p : r.history) j.Number(p.test_loss);
  j.EndArray().EndObject();
  j.Key("grad_norms").BeginArray();
  for (const TrainLayerNorm& n : r.grad_norms)
    j.BeginObject().Key("name").String(n.name).Key("norm").Number(n.norm).EndObject();
  j.EndArray();
  j.Key("grid").TensorValue(r.grid);
  j.EndObject();
  j.EndObject();
  return j.str();
}

}  // namespace nnplay
