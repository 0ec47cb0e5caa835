// train_lab.cpp: the training lab's model and share-link fields. See train_lab.h.
//
// [SECTION] names and small helpers
// [SECTION] datasets
// [SECTION] point edits
// [SECTION] TrainSession
// [SECTION] link
// [SECTION] JSON
#include "labs/train_lab.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "json.h"
#include "labs/notation.h"
#include "link/number.h"
#include "nn/mlp.h"

namespace nnplay {

const char* TrainFeatureLabel(int i) {
  static const char* const kLabels[kTrainFeatureCount] = {"x",  "y",     "x\xC2\xB2", "y\xC2\xB2",
                                                          "xy", "sin x", "sin y"};  // x², y²
  return i >= 0 && i < kTrainFeatureCount ? kLabels[i] : "?";
}
namespace {

// ---- [SECTION] names and small helpers -----------------------------------------------------

constexpr float kPi = 3.14159265358979f;
constexpr float kDefaultRate = 0.001f;

const char* const kFeatureNames[kTrainFeatureCount] = {"x", "y", "x2", "y2", "xy", "sinx", "siny"};
const char* const kDataNames[kTrainDataKindCount] = {
    "circle", "xor", "gauss", "spiral", "blobs3", "blobs", "spirals", "plane", "mgauss"};

const char* ActName(TrainActivation a) {
  switch (a) {
    case TrainActivation::kTanh:
      return "tanh";
    case TrainActivation::kReLU:
      return "relu";
    case TrainActivation::kSigmoid:
      return "sigmoid";
    case TrainActivation::kLinear:
      return "linear";
  }
  return "tanh";
}

bool ParseAct(const std::string& name, TrainActivation* a) {
  for (TrainActivation k : {TrainActivation::kTanh, TrainActivation::kReLU,
                            TrainActivation::kSigmoid, TrainActivation::kLinear})
    if (name == ActName(k)) return *a = k, true;
  return false;
}

const char* OptName(TrainOptimizer o) {
  return o == TrainOptimizer::kSgd ? "sgd" : "adam";
}
const char* LossName(TrainLoss l) {
  return l == TrainLoss::kSquared ? "mse" : "ce";
}
const char* RegName(TrainReg r) {
  return r == TrainReg::kL1 ? "l1" : r == TrainReg::kL2 ? "l2" : "none";
}
const char* InitName(TrainInit i) {
  return i == TrainInit::kUniform ? "uniform" : "glorot";
}

bool MultiClass(TrainDataKind k) {
  return k == TrainDataKind::kBlobs || k == TrainDataKind::kSpirals;
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

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> out;
  if (s.empty()) return out;
  size_t start = 0;
  for (;;) {
    const size_t at = s.find(sep, start);
    out.push_back(s.substr(start, at - start));
    if (at == std::string::npos) break;
    start = at + 1;
  }
  return out;
}

size_t Count(const std::string& s, char c) {
  return static_cast<size_t>(std::count(s.begin(), s.end(), c));
}

float Round2(float v) {
  return static_cast<float>(std::round(static_cast<double>(v) * 100.0) / 100.0);
}

MlpAct ToMlp(TrainActivation a) {
  switch (a) {
    case TrainActivation::kTanh:
      return MlpAct::kTanh;
    case TrainActivation::kReLU:
      return MlpAct::kReLU;
    case TrainActivation::kSigmoid:
      return MlpAct::kSigmoid;
    case TrainActivation::kLinear:
      return MlpAct::kLinear;
  }
  return MlpAct::kTanh;
}

}  // namespace

const char* TrainFeatureName(int i) {
  return kFeatureNames[i];
}

const char* TrainDataName(TrainDataKind kind) {
  return kDataNames[static_cast<int>(kind)];
}

bool TrainDataIsRegression(TrainDataKind kind) {
  return kind == TrainDataKind::kPlane || kind == TrainDataKind::kMultiGauss;
}

TrainActivation TrainLayerActivation(const TrainLabState& s, int l) {
  return s.layer_acts.empty() ? s.act : s.layer_acts[static_cast<size_t>(l)];
}

void NormalizeTrainLab(TrainLabState* s) {
  if (!MultiClass(s->data)) s->classes = 3;
  if (TrainDataIsRegression(s->data)) s->loss = TrainLoss::kCrossEntropy;  // ignored: squared
  // Imported points are some of the added ones (none once those are cleared).
  s->imported = std::clamp(s->imported, 0, static_cast<int>(s->added.size()));
  if (!s->layer_acts.empty()) s->layer_acts.resize(s->layers.size(), s->act);
  if (s->layer_acts.empty()) return;
  s->act = s->layer_acts[0];  // canonical: `act` is the first layer's
  const bool same = std::all_of(s->layer_acts.begin(), s->layer_acts.end(),
                                [&](TrainActivation a) { return a == s->layer_acts[0]; });
  if (same) {
    s->act = s->layer_acts[0];
    s->layer_acts.clear();
  }
}

int TrainDataClasses(TrainDataKind kind, int classes) {
  if (TrainDataIsRegression(kind)) return 1;
  if (MultiClass(kind)) return classes;
  return kind == TrainDataKind::kBlobs3 ? 3 : 2;
}

int TrainOutputs(const TrainLabState& s) {
  const int k = TrainDataClasses(s.data, s.classes);
  if (k == 1) return 1;
  if (s.loss == TrainLoss::kSquared && k == 2) return 1;
  return k;
}

int TrainParamCount(const TrainLabState& s) {
  int in = TrainFeatureWidth(s.features), n = 0;
  for (int u : s.layers) n += (in + 1) * u, in = u;
  return n + (in + 1) * TrainOutputs(s);
}

int TrainMaxSteps(const TrainLabState& s) {
  constexpr double kBudgetUs = 1e6, kStepUs = 2.0, kPerWeightExampleUs = 1e-3;
  const double cost =
      kStepUs + kPerWeightExampleUs * static_cast<double>(TrainParamCount(s)) * s.batch;
  const double steps = std::floor(kBudgetUs / cost);
  return static_cast<int>(std::min<double>(TrainLabLimits::kMaxStepsCeiling,
                                           std::max<double>(TrainLabLimits::kMaxSteps, steps)));
}

// ---- [SECTION] datasets ------------------------------------------------------------------

float TrainPlaneTarget(float x, float y) {
  // TF Playground's regressPlane: (x + y) scaled from [-10, 10] to [-1, 1] (clamped here).
  return std::clamp((x + y) / 10.0f, -1.0f, 1.0f);
}

float TrainMultiGaussTarget(float x, float y) {
  // TF Playground's regressGaussian: six bumps of height +-1 falling linearly to 0 at
  // distance 2; the bump with the largest |value| wins.
  static const float kBumps[6][3] = {{-4, 2.5f, 1},   {0, 2.5f, -1}, {4, 2.5f, 1},
                                     {-4, -2.5f, -1}, {0, -2.5f, 1}, {4, -2.5f, -1}};
  float label = 0;
  for (const auto& b : kBumps) {
    const float d = std::sqrt((x - b[0]) * (x - b[0]) + (y - b[1]) * (y - b[1]));
    const float v = b[2] * std::clamp(1.0f - d / 2.0f, 0.0f, 1.0f);
    if (std::fabs(v) > std::fabs(label)) label = v;
  }
  return label;
}

TrainDataset MakeTrainDataset(TrainDataKind kind, int seed, float noise, int split, int classes) {
  const int n = TrainLabLimits::kPoints;
  std::vector<TrainPoint> all;
  all.reserve(static_cast<size_t>(n));
  Pcg32 rng(static_cast<uint64_t>(seed), 1001);
  const int k = TrainDataClasses(kind, classes);
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
    case TrainDataKind::kBlobs: {
      // k blobs at radius 3.5, the first at 90 degrees, then every 360/k degrees; standard
      // deviation 0.5 + 3 * noise; points i * k / 400 of class c.
      const float sd = 0.5f + 3.0f * noise;
      for (int i = 0; i < n; ++i) {
        const int label = i * k / n;
        const float a = kPi / 2.0f + 2.0f * kPi * static_cast<float>(label) / static_cast<float>(k);
        const float x = 3.5f * std::cos(a) + sd * Normal(&rng);
        const float y = 3.5f * std::sin(a) + sd * Normal(&rng);
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
    case TrainDataKind::kSpirals:
      // k arms, arm c turned by c * 360/k degrees; point j of an arm's m points at radius
      // 5 j / m and angle 1.75 turns * j / m; noise up to `noise` per axis.
      for (int c = 0; c < k; ++c) {
        const int first = (c * n + k - 1) / k, end = ((c + 1) * n + k - 1) / k;
        const int m = end - first;
        for (int j = 0; j < m; ++j) {
          const float f = static_cast<float>(j) / static_cast<float>(m);
          const float r = f * 5.0f;
          const float t =
              1.75f * f * 2.0f * kPi + 2.0f * kPi * static_cast<float>(c) / static_cast<float>(k);
          const float nx = Uniform(&rng, -1.0f, 1.0f) * noise,
                      ny = Uniform(&rng, -1.0f, 1.0f) * noise;
          all.push_back({r * std::sin(t) + nx, r * std::cos(t) + ny, c});
        }
      }
      break;
    case TrainDataKind::kPlane:
    case TrainDataKind::kMultiGauss:
      // Uniform in [-6, 6]^2; the target is taken at the point moved by up to 6 * noise per
      // axis (TF Playground's regressPlane / regressGaussian), the point is drawn unmoved.
      for (int i = 0; i < n; ++i) {
        const float x = Uniform(&rng, -6.0f, 6.0f), y = Uniform(&rng, -6.0f, 6.0f);
        const float nx = Uniform(&rng, -6.0f, 6.0f) * noise,
                    ny = Uniform(&rng, -6.0f, 6.0f) * noise;
        TrainPoint p{x, y, 0};
        p.value = kind == TrainDataKind::kPlane ? TrainPlaneTarget(x + nx, y + ny)
                                                : TrainMultiGaussTarget(x + nx, y + ny);
        all.push_back(p);
      }
      break;
  }
  // Fisher-Yates, then the first split% train.
  for (int i = n - 1; i > 0; --i) {
    const int j = static_cast<int>(rng.NextU32() % static_cast<uint32_t>(i + 1));
    std::swap(all[static_cast<size_t>(i)], all[static_cast<size_t>(j)]);
  }
  TrainDataset d;
  d.classes = k;
  const size_t n_train = static_cast<size_t>(n * split / 100);
  for (size_t i = 0; i < all.size(); ++i) {
    all[i].id = static_cast<int>(i);
    (i < n_train ? d.train : d.test).push_back(all[i]);
  }
  return d;
}

TrainDataset MakeTrainDataset(const TrainLabState& s) {
  TrainDataset d = MakeTrainDataset(s.data, s.seed, s.noise, s.split, s.classes);
  if (!s.removed.empty()) {
    auto gone = [&](const TrainPoint& p) {
      return std::binary_search(s.removed.begin(), s.removed.end(), p.id);
    };
    d.train.erase(std::remove_if(d.train.begin(), d.train.end(), gone), d.train.end());
    d.test.erase(std::remove_if(d.test.begin(), d.test.end(), gone), d.test.end());
  }
  // Imported points: Fisher-Yates over their indices, the first split% (at least one) train.
  const size_t imported = std::min(s.added.size(), static_cast<size_t>(std::max(s.imported, 0)));
  std::vector<bool> test(s.added.size(), false);
  if (imported > 0) {
    std::vector<size_t> order(imported);
    for (size_t i = 0; i < imported; ++i) order[i] = i;
    Pcg32 rng(static_cast<uint64_t>(s.seed), 3003);
    for (size_t i = imported - 1; i > 0; --i)
      std::swap(order[i], order[rng.NextU32() % static_cast<uint32_t>(i + 1)]);
    const size_t n_train =
        std::max<size_t>(1, imported * static_cast<size_t>(std::max(s.split, 0)) / 100);
    for (size_t k = n_train; k < imported; ++k) test[order[k]] = true;
  }
  const bool regression = TrainDataIsRegression(s.data);
  for (size_t i = 0; i < s.added.size(); ++i) {
    const TrainAddedPoint& a = s.added[i];
    TrainPoint p{a.x, a.y, regression ? 0 : static_cast<int>(a.v)};
    p.value = regression ? a.v : 0.0f;
    p.id = -static_cast<int>(i) - 1;
    (test[i] ? d.test : d.train).push_back(p);
  }
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

// ---- [SECTION] point edits -----------------------------------------------------------------

bool TrainAddPoint(TrainLabState* s, float x, float y, float v) {
  const float e = TrainLabLimits::kExtent;
  if (static_cast<int>(s->added.size()) >= TrainLabLimits::kMaxAdded) return false;
  if (!(std::fabs(x) <= e && std::fabs(y) <= e) || !std::isfinite(v)) return false;
  if (TrainDataIsRegression(s->data)) {
    v = Round2(std::clamp(v, -1.0f, 1.0f));
  } else {
    const int k = TrainDataClasses(s->data, s->classes);
    v = static_cast<float>(std::clamp(static_cast<int>(v), 0, k - 1));
  }
  s->added.push_back({Round2(x), Round2(y), v});
  return true;
}

bool TrainRemoveNearestPoint(TrainLabState* s, float x, float y, float max_dist) {
  const TrainDataset d = MakeTrainDataset(*s);
  float best = max_dist * max_dist;
  int id = 0;
  bool found = false;
  for (const auto* set : {&d.train, &d.test}) {
    for (const TrainPoint& p : *set) {
      const float d2 = (p.x - x) * (p.x - x) + (p.y - y) * (p.y - y);
      if (d2 <= best) best = d2, id = p.id, found = true;
    }
  }
  if (!found) return false;
  if (id < 0) {
    s->added.erase(s->added.begin() + (-id - 1));
    if (-id - 1 < s->imported) --s->imported;
  } else {
    s->removed.insert(std::lower_bound(s->removed.begin(), s->removed.end(), id), id);
  }
  return true;
}

// ---- [SECTION] CSV import --------------------------------------------------------------------

namespace {

std::string Trim(const std::string& t) {
  size_t a = 0, b = t.size();
  while (a < b && (t[a] == ' ' || t[a] == '\t')) ++a;
  while (b > a && (t[b - 1] == ' ' || t[b - 1] == '\t')) --b;
  return t.substr(a, b - a);
}

// A decimal number, the whole field ("1.5", "-2", "3e-1"); false otherwise.
bool CsvNumber(const std::string& f, double* out) {
  if (f.empty() || f.size() > 32) return false;
  for (char c : f)
    if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E'))
      return false;
  char* end = nullptr;
  *out = std::strtod(f.c_str(), &end);
  return end == f.c_str() + f.size() && std::isfinite(*out);
}

}  // namespace

std::string TrainImportCsv(TrainLabState* s, const std::string& text) {
  using L = TrainLabLimits;
  if (text.size() > TrainCsvLimits::kMaxBytes)
    return "the CSV has " + std::to_string(text.size()) + " bytes; at most " +
           std::to_string(TrainCsvLimits::kMaxBytes) + " are read";
  const bool regression = TrainDataIsRegression(s->data);
  const int k = TrainDataClasses(s->data, s->classes);
  const char* third = regression ? "value" : "label";
  std::vector<TrainAddedPoint> pts;
  size_t pos = 0;
  if (text.compare(0, 3, "\xEF\xBB\xBF") == 0) pos = 3;
  bool first = true;
  for (int line = 1; pos <= text.size(); ++line) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    std::string row = text.substr(pos, nl - pos);
    pos = nl + 1;
    if (!row.empty() && row.back() == '\r') row.pop_back();
    const std::string at = "line " + std::to_string(line) + ": ";
    if (Trim(row).empty()) continue;
    std::vector<std::string> f;
    for (size_t a = 0;;) {
      const size_t c = row.find(',', a);
      f.push_back(Trim(row.substr(a, c == std::string::npos ? std::string::npos : c - a)));
      if (c == std::string::npos) break;
      a = c + 1;
    }
    double v[3];
    const bool numeric = !f.empty() && CsvNumber(f[0], &v[0]);
    if (first && !numeric) {  // a header
      first = false;
      continue;
    }
    first = false;
    if (f.size() != 3)
      return at + "expected 3 fields x,y," + third + ", found " + std::to_string(f.size());
    static const char* const kNames[3] = {"x", "y", nullptr};
    for (int i = 0; i < 3; ++i)
      if (!CsvNumber(f[static_cast<size_t>(i)], &v[i]))
        return at + (i < 2 ? kNames[i] : third) + " \"" + f[static_cast<size_t>(i)].substr(0, 20) +
               "\" is not a number";
    for (int i = 0; i < 2; ++i)
      if (!(std::fabs(v[i]) <= L::kExtent))
        return at + kNames[i] + " = " + f[static_cast<size_t>(i)] +
               " lies off the plane (x and y lie in [-6, 6])";
    if (regression && !(std::fabs(v[2]) <= 1.0))
      return at + "value = " + f[2] + " lies outside [-1, 1]";
    if (!regression && !(v[2] >= 0 && v[2] < k && v[2] == std::floor(v[2])))
      return at + "label " + f[2] + " is not a class of this dataset (0.." + std::to_string(k - 1) +
             "; for a value pick a regression dataset)";
    if (static_cast<int>(pts.size()) == L::kMaxAdded)
      return at + "more than " + std::to_string(L::kMaxAdded) + " points (the most a link holds)";
    pts.push_back({Round2(static_cast<float>(v[0])), Round2(static_cast<float>(v[1])),
                   regression ? Round2(static_cast<float>(v[2])) : static_cast<float>(v[2])});
  }
  if (pts.empty()) return "the CSV holds no points (one x,y," + std::string(third) + " a line)";
  s->imported = static_cast<int>(pts.size());
  s->added = std::move(pts);
  s->removed.resize(static_cast<size_t>(L::kPoints));
  for (int i = 0; i < L::kPoints; ++i) s->removed[static_cast<size_t>(i)] = i;
  s->steps = 0;
  s->edits.clear();
  return "";
}

// ---- [SECTION] TrainSession ----------------------------------------------------------------

const float* TrainSession::params() const {
  return mlp_.params();
}
int TrainSession::param_count() const {
  return mlp_.built() ? static_cast<int>(mlp_.param_count()) : 0;
}

void TrainSession::Targets(const std::vector<TrainPoint>& pts, std::vector<float>* x,
                           std::vector<int>* y, std::vector<float>* t) const {
  x->assign(pts.size() * static_cast<size_t>(width_), 0.0f);
  y->resize(pts.size());
  t->assign(squared_ ? pts.size() * static_cast<size_t>(outputs_) : 0, 0.0f);
  const bool regression = data_.classes == 1;
  for (size_t i = 0; i < pts.size(); ++i) {
    TrainFeatureValues(state_.features, pts[i].x, pts[i].y,
                       x->data() + i * static_cast<size_t>(width_));
    (*y)[i] = pts[i].label;
    if (!squared_) continue;
    float* row = t->data() + i * static_cast<size_t>(outputs_);
    if (regression) {
      row[0] = pts[i].value;
    } else if (outputs_ == 1) {
      row[0] = pts[i].label ? 1.0f : -1.0f;  // TF Playground's +-1 classes
    } else {
      for (int c = 0; c < outputs_; ++c) row[c] = c == pts[i].label ? 1.0f : -1.0f;
    }
  }
}

std::string TrainSession::Reset(const TrainLabState& s) {
  state_ = s;
  steps_ = 0;
  last_loss_ = 0;
  history_.Reset(TrainLabLimits::kHistory, 1);
  error_.clear();
  next_edit_ = 0;
  sampler_.Clear();
  data_ = MakeTrainDataset(s);
  width_ = TrainFeatureWidth(s.features);
  outputs_ = TrainOutputs(s);
  squared_ = data_.classes == 1 || s.loss == TrainLoss::kSquared;
  mlp_ = Mlp();
  if (width_ == 0) return error_ = "pick at least one input feature";
  Targets(data_.train, &train_x_, &train_y_, &train_t_);
  Targets(data_.test, &test_x_, &test_y_, &test_t_);
  auto plane = [&](int g, std::vector<float>* out) {
    const float e = TrainLabLimits::kExtent;
    out->assign(static_cast<size_t>(g * g * width_), 0.0f);
    for (int r = 0; r < g; ++r) {
      for (int c = 0; c < g; ++c) {
        const float x = -e + (2.0f * e) * (static_cast<float>(c) + 0.5f) / static_cast<float>(g);
        const float y = e - (2.0f * e) * (static_cast<float>(r) + 0.5f) / static_cast<float>(g);
        TrainFeatureValues(s.features, x, y,
                           out->data() + static_cast<size_t>((r * g + c) * width_));
      }
    }
  };
  plane(TrainLabLimits::kGrid, &grid_x_);
  plane(TrainLabLimits::kThumb, &thumb_x_);
  const size_t max_batch = static_cast<size_t>(TrainLabLimits::kMaxBatch);
  batch_x_.assign(max_batch * static_cast<size_t>(width_), 0.0f);
  batch_y_.assign(max_batch, 0);
  batch_idx_.clear();
  batch_idx_.reserve(max_batch);
  batch_t_.assign(max_batch * static_cast<size_t>(outputs_), 0.0f);
  const size_t most =
      std::max<size_t>({static_cast<size_t>(TrainLabLimits::kGrid * TrainLabLimits::kGrid),
                        data_.train.size(), data_.test.size()});
  out_.assign(most * static_cast<size_t>(outputs_), 0.0f);

  MlpSpec spec;
  spec.inputs = width_;
  spec.hidden = s.layers;
  for (size_t l = 0; l < s.layers.size(); ++l)
    spec.activation.push_back(ToMlp(TrainLayerActivation(s, static_cast<int>(l))));
  spec.outputs = outputs_;
  spec.loss = squared_ ? MlpLoss::kHalfSquaredError : MlpLoss::kSoftmaxCrossEntropy;
  spec.output_activation = data_.classes == 1 ? MlpAct::kLinear : MlpAct::kTanh;
  spec.max_batch = TrainLabLimits::kMaxBatch;
  if (std::string err = mlp_.Build(spec); !err.empty()) return error_ = err;
  if (s.init == TrainInit::kUniform) {
    mlp_.InitUniform(static_cast<uint64_t>(s.seed));
  } else {
    mlp_.InitGlorot(static_cast<uint64_t>(s.seed));
  }
  MlpUpdate& u = update_;
  u = MlpUpdate();
  u.optimizer = s.opt == TrainOptimizer::kAdam ? MlpOptimizer::kAdam : MlpOptimizer::kSgd;
  u.lr = s.lr;
  u.momentum = s.opt == TrainOptimizer::kSgd ? s.momentum : 0.0f;
  u.reg = s.reg == TrainReg::kL1   ? MlpRegularization::kL1
          : s.reg == TrainReg::kL2 ? MlpRegularization::kL2
                                   : MlpRegularization::kNone;
  u.reg_rate = s.reg == TrainReg::kNone ? 0.0f : s.rate;
  sampler_.Reset(data_.train.size(), Pcg32(static_cast<uint64_t>(s.seed), 2002));
  ApplyEdits();
  Record();
  return {};
}

void TrainSession::ApplyEdits() {
  const std::vector<TrainEdit>& edits = state_.edits;
  while (next_edit_ < edits.size() && edits[next_edit_].step <= steps_) {
    const TrainEdit& e = edits[next_edit_++];
    if (e.step == steps_) SetParam(e.index, e.value);
  }
}

void TrainSession::SetParam(int index, float value) {
  if (!mlp_.built() || index < 0 || index >= param_count()) return;
  mlp_.params()[index] = value;
}

void TrainSession::Step() {
  if (!error_.empty() || sampler_.empty() || steps_ == std::numeric_limits<int>::max()) return;
  const int batch = state_.batch;
  const size_t w = static_cast<size_t>(width_), o = static_cast<size_t>(outputs_);
  sampler_.NextBatch(batch, &batch_idx_);  // reserved in Reset: no allocation
  for (int b = 0; b < batch; ++b) {
    const size_t bi = static_cast<size_t>(b);
    const size_t idx = static_cast<size_t>(batch_idx_[bi]);
    std::copy_n(train_x_.begin() + static_cast<std::ptrdiff_t>(idx * w), w,
                batch_x_.begin() + static_cast<std::ptrdiff_t>(bi * w));
    batch_y_[bi] = train_y_[idx];
    if (squared_)
      std::copy_n(train_t_.begin() + static_cast<std::ptrdiff_t>(idx * o), o,
                  batch_t_.begin() + static_cast<std::ptrdiff_t>(bi * o));
  }
  last_loss_ = mlp_.TrainStep(batch_x_.data(), squared_ ? nullptr : batch_y_.data(),
                              squared_ ? batch_t_.data() : nullptr, batch, update_);
  ++steps_;
  ApplyEdits();
  if (history_.Due(steps_)) Record();
}

void TrainSession::Losses(const std::vector<float>& x, const std::vector<int>& y,
                          const std::vector<float>& t, float* loss, float* acc,
                          std::vector<int>* confusion) {
  const int n = static_cast<int>(y.size());
  *loss = *acc = 0.0f;
  if (n == 0) return;
  *loss = mlp_.Evaluate(x.data(), squared_ ? nullptr : y.data(), squared_ ? t.data() : nullptr, n,
                        nullptr);
  const int k = data_.classes;
  if (k == 1 || !acc) return;
  mlp_.Predict(x.data(), n, out_.data());
  int correct = 0;
  for (int i = 0; i < n; ++i) {
    const float* row = out_.data() + static_cast<size_t>(i) * static_cast<size_t>(outputs_);
    const int best = outputs_ == 1 ? (row[0] > 0.0f ? 1 : 0)
                                   : static_cast<int>(std::max_element(row, row + outputs_) - row);
    const int truth = y[static_cast<size_t>(i)];
    correct += best == truth;
    if (confusion) ++(*confusion)[static_cast<size_t>(truth * k + best)];
  }
  *acc = static_cast<float>(correct) / static_cast<float>(n);
}

void TrainSession::Record() {
  TrainHistoryPoint p;
  p.step = steps_;
  float acc = 0;
  Losses(train_x_, train_y_, train_t_, &p.train_loss, &acc, nullptr);
  Losses(test_x_, test_y_, test_t_, &p.test_loss, &acc, nullptr);
  history_.Add(p);
}

// ---- checkpoints ----------------------------------------------------------------------------
// The payload (session.h has the envelope): a key of the edits applied (FNV-1a of their link
// text), the parameters and gradients; Adam's step count and moments, or SGD's velocity (none
// without momentum); the batch order; the last batch and its loss; the history.

uint64_t TrainSetupKey(const TrainLabState& state) {
  TrainLabState s = state;
  s.steps = 0;
  s.edits.clear();
  return Fnv1a64(EncodeTrainLab(s));
}

namespace {

// The edits a run at `steps` has applied.
uint64_t AppliedEditsKey(const std::vector<TrainEdit>& edits, int steps) {
  std::string text;
  for (const TrainEdit& e : edits)
    if (e.step <= steps)
      text +=
          std::to_string(e.step) + "," + std::to_string(e.index) + "," + FormatFloat(e.value) + ";";
  return Fnv1a64(text);
}

void SaveTrainPoint(ByteWriter* w, const TrainHistoryPoint& p) {
  w->I32(p.step), w->F32(p.train_loss), w->F32(p.test_loss);
}

bool LoadTrainPoint(ByteReader* r, TrainHistoryPoint* p) {
  p->step = r->I32(), p->train_loss = r->F32(), p->test_loss = r->F32();
  return p->step >= 0;
}

}  // namespace

std::string TrainOpenRun(const TrainLabState& state, TrainSession* session) {
  return OpenSessionRun(state, session, TrainMaxSteps(state));
}

TrainLabState TrainLinkState(const TrainLabState& state, const TrainSession& session) {
  return LinkSessionState(state, session, TrainMaxSteps(state));
}

std::string TrainCheckCheckpoint(const TrainLabState& state) {
  std::string payload;
  if (std::string err = CheckCheckpointSteps(state.checkpoint, CheckpointLab::kTrain,
                                             TrainSetupKey(state), state.steps, &payload);
      !err.empty())
    return err;
  ByteReader r(payload);
  if (r.U64() != AppliedEditsKey(state.edits, state.steps))
    return "the checkpoint was trained with other weight edits than the link's";
  return {};
}

std::string TrainSession::SaveCheckpoint() const {
  if (!error_.empty() || sampler_.empty()) return {};
  ByteWriter w;
  w.U64(AppliedEditsKey(state_.edits, steps_));
  const size_t n = mlp_.param_count();
  const bool adam = update_.optimizer == MlpOptimizer::kAdam;
  w.Floats(mlp_.params(), n);
  w.Floats(mlp_.grads(), n);
  w.U64(static_cast<uint64_t>(mlp_.adam_steps()));
  w.Floats(mlp_.moment1(), adam || update_.momentum != 0.0f ? n : 0);
  w.Floats(mlp_.moment2(), adam ? n : 0);
  SaveRunPosition(&w, sampler_, batch_idx_, last_loss_);
  history_.Save(&w, SaveTrainPoint);
  return SealCheckpoint(CheckpointLab::kTrain, TrainSetupKey(state_), steps_, w.bytes());
}

std::string TrainSession::LoadCheckpoint(const TrainLabState& state, const std::string& bytes) {
  const bool same = error_.empty() && !sampler_.empty() && state_.SameSetup(state);
  return LoadSessionCheckpoint(this, state, bytes, CheckpointLab::kTrain, TrainSetupKey(state),
                               same, [&](TrainSession* s, const std::string& payload, int steps) {
                                 return s->Restore(state, payload, steps);
                               });
}

std::string TrainSession::Restore(const TrainLabState& state, const std::string& payload,
                                  int steps) {
  ByteReader r(payload);
  const uint64_t edits = r.U64();
  if (r.ok() && edits != AppliedEditsKey(state.edits, steps))
    return "the checkpoint was trained with other weight edits than this state's";
  const size_t n = mlp_.param_count();
  const bool adam = update_.optimizer == MlpOptimizer::kAdam;
  std::vector<float> params, grads, m1, m2;
  r.Floats(n, &params, "the weights");
  r.Floats(n, &grads, "the gradients");
  const uint64_t t = r.U64();
  r.Floats(adam || update_.momentum != 0.0f ? n : 0, &m1, "the first moments");
  r.Floats(adam ? n : 0, &m2, "the second moments");
  if (r.ok() && t > (1ull << 40)) r.Fail("Adam's step count is out of range");
  BatchSampler sampler;
  std::vector<int> batch;
  float last_loss = 0;
  if (r.ok()) LoadRunPosition(&r, data_.train.size(), state_.batch, &sampler, &batch, &last_loss);
  History<TrainHistoryPoint> history;
  if (r.ok())
    History<TrainHistoryPoint>::Load(&r, TrainLabLimits::kHistory, 1, LoadTrainPoint, &history);
  if (r.ok() && r.left() != 0) r.Fail("the checkpoint has bytes after its end");
  if (!r.ok()) return r.error();
  // Everything read and checked: nothing below fails.
  std::copy(params.begin(), params.end(), mlp_.params());
  mlp_.Restore(grads.data(), m1.empty() ? nullptr : m1.data(), m2.empty() ? nullptr : m2.data(),
               static_cast<long long>(t));
  sampler_ = std::move(sampler);
  batch_idx_.assign(batch.begin(), batch.end());  // capacity kMaxBatch: Step stays allocation-free
  last_loss_ = last_loss;
  history_ = std::move(history);
  steps_ = steps;
  state_.edits = state.edits;  // the later ones apply as the run goes on
  next_edit_ = 0;
  while (next_edit_ < state_.edits.size() && state_.edits[next_edit_].step <= steps_) ++next_edit_;
  return {};
}

void TrainSession::Measure(TrainLabResult* result) {
  TrainLabResult& r = *result;
  r.error = error_;
  r.steps = steps_;
  r.classes = data_.classes;
  r.regression = data_.classes == 1;
  r.outputs = outputs_;
  r.train_count = static_cast<int>(data_.train.size());
  r.test_count = static_cast<int>(data_.test.size());
  r.history = history_.points();
  r.history_every = history_.every();
  r.last_batch_loss = last_loss_;
  r.grad_norms.clear();
  r.layers.clear();
  const int g = TrainLabLimits::kGrid;
  if (r.grid.shape() != std::vector<int>{g, g}) r.grid = Tensor({g, g});
  const int k = data_.classes;
  r.confusion.assign(k > 1 ? static_cast<size_t>(k * k) : 0, 0);
  if (!error_.empty()) {
    r.param_count = 0;
    r.params.clear();
    r.train_loss = r.test_loss = r.train_acc = r.test_acc = 0;
    std::fill(r.grid.data(), r.grid.data() + r.grid.size(), 0.0f);
    return;
  }
  r.param_count = param_count();
  r.params.assign(mlp_.params(), mlp_.params() + mlp_.param_count());
  Losses(train_x_, train_y_, train_t_, &r.train_loss, &r.train_acc, nullptr);
  Losses(test_x_, test_y_, test_t_, &r.test_loss, &r.test_acc, &r.confusion);
  const int cells = g * g;
  mlp_.Predict(grid_x_.data(), cells, out_.data());
  for (int i = 0; i < cells; ++i) {
    const float* z = out_.data() + static_cast<size_t>(i) * static_cast<size_t>(outputs_);
    float v = 0;
    if (outputs_ == 1) {
      v = z[0];  // the tanh output (+-1 classes) or the regression output
    } else if (outputs_ == 2 && !squared_) {
      v = 2.0f * z[1] - 1.0f;
    } else {
      const int best = static_cast<int>(std::max_element(z, z + outputs_) - z);
      // Confidence: the probability, or the tanh output mapped from [-1, 1] to [0, 1].
      const float conf = squared_ ? std::clamp((z[best] + 1.0f) * 0.5f, 0.0f, 1.0f) : z[best];
      v = (2.0f * static_cast<float>(best) / static_cast<float>(outputs_ - 1) - 1.0f) * conf;
    }
    r.grid.data()[i] = v;
  }
  const int layers = mlp_.num_layers();
  for (int l = 0; l < layers; ++l) {
    TrainLayerShape shape;
    shape.in = mlp_.layer_in(l);
    shape.out = mlp_.layer_out(l);
    shape.w = static_cast<int>(mlp_.weight_offset(l));
    shape.b = static_cast<int>(mlp_.bias_offset(l));
    r.layers.push_back(shape);
    double s = 0;
    const float* gw = mlp_.grads() + shape.w;
    for (int j = 0; j < shape.in * shape.out; ++j) s += static_cast<double>(gw[j]) * gw[j];
    const std::string name = l + 1 == layers ? "Wout" : "W" + std::to_string(l + 1);
    r.grad_norms.push_back({name, steps_ ? static_cast<float>(std::sqrt(s)) : 0.0f});
  }
}

void TrainSession::NeuronMaps(std::vector<float>* maps) {
  int units = 0;
  for (int u : state_.layers) units += u;
  const int cells = TrainLabLimits::kThumb * TrainLabLimits::kThumb;
  maps->assign(static_cast<size_t>(units) * static_cast<size_t>(cells), 0.0f);
  if (!error_.empty() || units == 0) return;
  mlp_.Predict(thumb_x_.data(), cells, out_.data(), maps->data());
}

void TrainSession::FeatureMaps(std::vector<float>* maps) const {
  const size_t cells = static_cast<size_t>(TrainLabLimits::kThumb * TrainLabLimits::kThumb);
  const size_t w = static_cast<size_t>(width_);
  maps->assign(thumb_x_.size(), 0.0f);
  for (size_t c = 0; c < cells && c * w < thumb_x_.size(); ++c)
    for (size_t f = 0; f < w; ++f) (*maps)[f * cells + c] = thumb_x_[c * w + f];
}

// ---- lab entry points --------------------------------------------------------------------

TrainLabState TrainLabDefault() {
  return TrainPresets().front().state;
}

TrainLabResult EvaluateTrainLab(const TrainLabState& state) {
  TrainLabResult r;
  TrainSession session;
  session.Reset(state);
  const size_t n = static_cast<size_t>(session.param_count());
  r.initial_params.assign(session.params(), session.params() + n);
  // With a checkpoint only the trace's first steps are replayed, then the run is restored.
  const bool restore = n > 0 && !state.checkpoint.empty();
  const int replay = restore ? std::min(state.steps, TrainLabLimits::kTraceSteps) : state.steps;
  for (int i = 0; i < replay; ++i) {
    session.Step();
    if (i < TrainLabLimits::kTraceSteps && n > 0) {
      TrainLabResult::TraceStep t;
      t.batch = session.last_batch();
      t.loss = session.last_loss();
      t.params.assign(session.params(), session.params() + n);
      r.trace.push_back(std::move(t));
    }
  }
  const std::string restore_error = RestoreAfterTrace(state, restore, &session);
  session.Measure(&r);
  if (!restore_error.empty()) r.error = restore_error;
  r.replayed = true;
  r.train_points = session.data().train;
  r.test_points = session.data().test;
  return r;
}

// ---- [SECTION] link ------------------------------------------------------------------------

std::string EncodeTrainLab(const TrainLabState& s) {
  std::string feat;
  for (int i = 0; i < kTrainFeatureCount; ++i)
    if (s.features & (1u << i)) feat += (feat.empty() ? "" : ",") + std::string(kFeatureNames[i]);
  std::string act;
  if (s.layer_acts.empty()) {
    act = ActName(s.act);
  } else {
    for (size_t i = 0; i < s.layer_acts.size(); ++i)
      act += (i ? "," : "") + std::string(ActName(s.layer_acts[i]));
  }
  std::string out = std::string("v1/train?data=") + TrainDataName(s.data);
  if (s.classes != 3) out += "&classes=" + std::to_string(s.classes);
  out += "&seed=" + std::to_string(s.seed) + "&noise=" + FormatFloat(s.noise) +
         "&split=" + std::to_string(s.split) + "&feat=" + feat + "&layers=" + JoinInts(s.layers) +
         "&act=" + act;
  if (s.loss != TrainLoss::kCrossEntropy) out += std::string("&loss=") + LossName(s.loss);
  if (s.reg != TrainReg::kNone) out += std::string("&reg=") + RegName(s.reg);
  if (s.rate != kDefaultRate) out += "&rate=" + FormatFloat(s.rate);
  if (s.init != TrainInit::kGlorot) out += std::string("&init=") + InitName(s.init);
  out += std::string("&opt=") + OptName(s.opt) + "&lr=" + FormatFloat(s.lr) +
         "&mom=" + FormatFloat(s.momentum) + "&batch=" + std::to_string(s.batch) +
         "&steps=" + std::to_string(s.steps);
  if (!s.added.empty()) {
    out += "&add=";
    for (size_t i = 0; i < s.added.size(); ++i) {
      const TrainAddedPoint& p = s.added[i];
      out += (i ? ";" : "") + FormatFloat(p.x) + "," + FormatFloat(p.y) + "," + FormatFloat(p.v);
    }
  }
  const int imported = std::min(s.imported, static_cast<int>(s.added.size()));
  if (imported > 0) out += "&imp=" + std::to_string(imported);
  if (!s.removed.empty()) out += "&rm=" + JoinInts(s.removed);
  if (!s.edits.empty()) {
    out += "&edit=";
    for (size_t i = 0; i < s.edits.size(); ++i) {
      const TrainEdit& e = s.edits[i];
      out += (i ? ";" : "") + std::to_string(e.step) + "," + std::to_string(e.index) + "," +
             FormatFloat(e.value);
    }
  }
  if (s.steps > TrainMaxSteps(s) && !s.checkpoint.empty())
    out += "&ckpt=" + EncodeBase64Url(s.checkpoint);
  return out;
}

namespace {

bool Fail(LinkError* error, const char* field, const std::string& why) {
  *error = {field, why};
  return false;
}

}  // namespace

bool DecodeTrainLab(const Link& link, TrainLabState* state, LinkError* error) {
  using L = TrainLabLimits;
  if (!CheckFieldNames(link,
                       {"data",  "classes", "seed", "noise", "split", "feat", "layers", "act",
                        "loss",  "reg",     "rate", "init",  "opt",   "lr",   "mom",    "batch",
                        "steps", "add",     "imp",  "rm",    "edit",  "ckpt"},
                       error))
    return false;
  TrainLabState s = TrainLabDefault();
  std::string why;
  if (const std::string* v = link.Find("data")) {
    bool found = false;
    for (int k = 0; k < kTrainDataKindCount; ++k)
      if (*v == kDataNames[k]) s.data = static_cast<TrainDataKind>(k), found = true;
    if (!found)
      return Fail(error, "data",
                  "expected circle, xor, gauss, spiral, blobs3, blobs, spirals, plane or mgauss");
  }
  if (const std::string* v = link.Find("classes"))
    if (!ParseInt(*v, L::kMinClasses, L::kMaxClasses, &s.classes, &why))
      return Fail(error, "classes", why);
  if (const std::string* v = link.Find("seed"))
    if (!ParseInt(*v, 0, L::kMaxSeed, &s.seed, &why)) return Fail(error, "seed", why);
  if (const std::string* v = link.Find("noise")) {
    if (!ParseFloat(*v, &s.noise, &why)) return Fail(error, "noise", why);
    if (!(s.noise >= 0.0f && s.noise <= L::kMaxNoise))
      return Fail(error, "noise", "the noise must be in [0, 0.5]");
  }
  if (const std::string* v = link.Find("split"))
    if (!ParseInt(*v, L::kMinSplit, L::kMaxSplit, &s.split, &why)) return Fail(error, "split", why);
  if (const std::string* v = link.Find("feat")) {
    if (v->size() > 64) return Fail(error, "feat", "too long");
    s.features = 0;
    for (const std::string& name : Split(*v, ',')) {
      int found = -1;
      for (int i = 0; i < kTrainFeatureCount; ++i)
        if (name == kFeatureNames[i]) found = i;
      if (found < 0)
        return Fail(error, "feat",
                    "unknown feature '" + name + "' (expected x, y, x2, y2, xy, sinx, siny)");
      if (s.features & (1u << found))
        return Fail(error, "feat", "feature '" + name + "' is given twice");
      s.features |= 1u << found;
    }
    if (s.features == 0) return Fail(error, "feat", "pick at least one input feature");
  }
  if (const std::string* v = link.Find("layers")) {
    if (v->size() > 64) return Fail(error, "layers", "too long");
    if (Count(*v, ',') + 1 > static_cast<size_t>(L::kMaxLayers) && !v->empty())
      return Fail(error, "layers", "at most 8 hidden layers");
    s.layers.clear();
    for (const std::string& p : Split(*v, ',')) {
      int units = 0;
      if (!ParseInt(p, 1, L::kMaxUnits, &units, &why))
        return Fail(error, "layers", "units per layer: " + why);
      s.layers.push_back(units);
    }
  }
  if (const std::string* v = link.Find("act")) {
    if (v->size() > 80) return Fail(error, "act", "too long");
    const std::vector<std::string> names = Split(*v, ',');
    std::vector<TrainActivation> acts;
    for (const std::string& name : names) {
      TrainActivation a = TrainActivation::kTanh;
      if (!ParseAct(name, &a))
        return Fail(error, "act", "expected tanh, relu, sigmoid or linear, one or one per layer");
      acts.push_back(a);
    }
    if (acts.empty()) return Fail(error, "act", "expected tanh, relu, sigmoid or linear");
    if (acts.size() == 1) {
      s.act = acts[0];
    } else if (acts.size() != s.layers.size()) {
      return Fail(
          error, "act",
          "give one activation, or one per hidden layer (" + std::to_string(s.layers.size()) + ")");
    } else {
      s.act = acts[0];
      s.layer_acts = acts;
    }
  }
  if (const std::string* v = link.Find("loss")) {
    if (*v == "ce") {
      s.loss = TrainLoss::kCrossEntropy;
    } else if (*v == "mse") {
      s.loss = TrainLoss::kSquared;
    } else {
      return Fail(error, "loss", "expected ce or mse");
    }
  }
  if (const std::string* v = link.Find("reg")) {
    if (*v == "none") {
      s.reg = TrainReg::kNone;
    } else if (*v == "l1") {
      s.reg = TrainReg::kL1;
    } else if (*v == "l2") {
      s.reg = TrainReg::kL2;
    } else {
      return Fail(error, "reg", "expected none, l1 or l2");
    }
  }
  if (const std::string* v = link.Find("rate")) {
    if (!ParseFloat(*v, &s.rate, &why)) return Fail(error, "rate", why);
    if (!(s.rate >= 0.0f && s.rate <= L::kMaxRegRate))
      return Fail(error, "rate", "the regularization rate must be in [0, 10]");
  }
  if (const std::string* v = link.Find("init")) {
    if (*v == "glorot") {
      s.init = TrainInit::kGlorot;
    } else if (*v == "uniform") {
      s.init = TrainInit::kUniform;
    } else {
      return Fail(error, "init", "expected glorot or uniform");
    }
  }
  if (const std::string* v = link.Find("opt")) {
    if (*v == "sgd") {
      s.opt = TrainOptimizer::kSgd;
    } else if (*v == "adam") {
      s.opt = TrainOptimizer::kAdam;
    } else {
      return Fail(error, "opt", "expected sgd or adam");
    }
  }
  if (const std::string* v = link.Find("lr")) {
    if (!ParseFloat(*v, &s.lr, &why)) return Fail(error, "lr", why);
    if (!(s.lr > 0.0f && s.lr <= L::kMaxLr))
      return Fail(error, "lr", "the learning rate must be in (0, 10]");
  }
  if (const std::string* v = link.Find("mom")) {
    if (!ParseFloat(*v, &s.momentum, &why)) return Fail(error, "mom", why);
    if (!(s.momentum >= 0.0f && s.momentum <= L::kMaxMomentum))
      return Fail(error, "mom", "the momentum must be in [0, 0.99]");
  }
  if (const std::string* v = link.Find("batch"))
    if (!ParseInt(*v, 1, L::kMaxBatch, &s.batch, &why)) return Fail(error, "batch", why);
  // Past the cap the link carries the run (ckpt).
  const std::string* ckpt = link.Find("ckpt");
  if (const std::string* v = link.Find("steps")) {
    if (ckpt) {
      if (!ParseInt(*v, 0, std::numeric_limits<int>::max(), &s.steps, &why))
        return Fail(error, "steps", why);
    } else if (!ParseInt(*v, 0, L::kMaxStepsCeiling, &s.steps, &why)) {
      return Fail(error, "steps", why + " (a link holds at most 1000000 steps)");
    }
  }
  NormalizeTrainLab(&s);
  if (!ckpt && s.steps > TrainMaxSteps(s))
    return Fail(error, "steps",
                "this network's link holds at most " + std::to_string(TrainMaxSteps(s)) +
                    " steps (what replays in about a second when the link opens) without its "
                    "checkpoint (ckpt)");
  if (ckpt && s.steps <= TrainMaxSteps(s))
    return Fail(error, "ckpt",
                "a link of at most " + std::to_string(TrainMaxSteps(s)) +
                    " steps replays them from the seed: leave ckpt out");

  // Points added by hand: "x,y,v;x,y,v..." (count checked before anything is allocated).
  if (const std::string* v = link.Find("add")) {
    if (v->empty()) return Fail(error, "add", "empty (omit the field instead)");
    if (Count(*v, ';') + 1 > static_cast<size_t>(L::kMaxAdded))
      return Fail(error, "add", "at most 200 added points");
    const bool regression = TrainDataIsRegression(s.data);
    const int k = TrainDataClasses(s.data, s.classes);
    for (const std::string& item : Split(*v, ';')) {
      const std::vector<std::string> parts = Split(item, ',');
      if (parts.size() != 3) return Fail(error, "add", "each point is x,y,class (or x,y,value)");
      TrainAddedPoint p;
      if (!ParseFloat(parts[0], &p.x, &why) || !ParseFloat(parts[1], &p.y, &why) ||
          !ParseFloat(parts[2], &p.v, &why))
        return Fail(error, "add", why);
      if (!(std::fabs(p.x) <= L::kExtent && std::fabs(p.y) <= L::kExtent))
        return Fail(error, "add", "points lie in [-6, 6]^2");
      if (regression ? !(std::fabs(p.v) <= 1.0f)
                     : !(p.v >= 0.0f && p.v < static_cast<float>(k) && p.v == std::floor(p.v)))
        return Fail(
            error, "add",
            regression ? "a value lies in [-1, 1]" : "a class is 0.." + std::to_string(k - 1));
      s.added.push_back(p);
    }
  }
  // How many of the added points were imported (split into train and test).
  if (const std::string* v = link.Find("imp")) {
    if (s.added.empty()) return Fail(error, "imp", "there are no added points (add=) to split");
    if (!ParseInt(*v, 1, static_cast<int>(s.added.size()), &s.imported, &why))
      return Fail(error, "imp",
                  "the imported points are the first 1.." + std::to_string(s.added.size()) +
                      " of add= (" + why + ")");
  }
  // Generated points removed: ascending indices.
  if (const std::string* v = link.Find("rm")) {
    if (v->empty()) return Fail(error, "rm", "empty (omit the field instead)");
    if (Count(*v, ',') + 1 > static_cast<size_t>(L::kPoints))
      return Fail(error, "rm", "at most 400 indices");
    for (const std::string& p : Split(*v, ',')) {
      int id = 0;
      if (!ParseInt(p, 0, L::kPoints - 1, &id, &why)) return Fail(error, "rm", why);
      if (!s.removed.empty() && id <= s.removed.back())
        return Fail(error, "rm", "indices must be ascending, each once");
      s.removed.push_back(id);
    }
  }
  // Weights typed in: "step,index,value;..." with steps ascending, step <= steps.
  if (const std::string* v = link.Find("edit")) {
    if (v->empty()) return Fail(error, "edit", "empty (omit the field instead)");
    if (Count(*v, ';') + 1 > static_cast<size_t>(L::kMaxEdits))
      return Fail(error, "edit", "at most 100 edits");
    const int params = TrainParamCount(s);
    for (const std::string& item : Split(*v, ';')) {
      const std::vector<std::string> parts = Split(item, ',');
      if (parts.size() != 3) return Fail(error, "edit", "each edit is step,index,value");
      TrainEdit e;
      if (!ParseInt(parts[0], 0, s.steps, &e.step, &why))
        return Fail(error, "edit", "step: " + why + " (at most the link's steps)");
      if (!ParseInt(parts[1], 0, params - 1, &e.index, &why))
        return Fail(error, "edit", "parameter index: " + why);
      if (!ParseFloat(parts[2], &e.value, &why)) return Fail(error, "edit", why);
      if (!(std::fabs(e.value) <= L::kMaxWeight))
        return Fail(error, "edit", "a weight lies in [-100, 100]");
      if (!s.edits.empty() && e.step < s.edits.back().step)
        return Fail(error, "edit", "edits must be in step order");
      s.edits.push_back(e);
    }
  }
  if (ckpt) {
    if (!DecodeBase64Url(*ckpt, &s.checkpoint))
      return Fail(error, "ckpt", "expected base64url (A-Z a-z 0-9 - _, no padding)");
    if (std::string err = TrainCheckCheckpoint(s); !err.empty()) return Fail(error, "ckpt", err);
  }
  if (!CheckWrittenLength(link, EncodeTrainLab(s), error)) return false;
  *state = std::move(s);
  return true;
}

// ---- [SECTION] JSON ------------------------------------------------------------------------

std::string TrainLabToJsonWithWeights(const TrainLabState& s, const TrainLabResult& r,
                                      bool with_weights) {
  JsonWriter j;
  j.BeginObject().Key("lab").String("train").Key("version").Int(kLinkVersion);
  j.Key("link").String(EncodeTrainLab(s));
  j.Key("state").BeginObject();
  j.Key("data")
      .String(TrainDataName(s.data))
      .Key("classes")
      .Int(TrainDataClasses(s.data, s.classes));
  j.Key("seed").Int(s.seed).Key("noise").Number(s.noise);
  j.Key("split").Int(s.split).Key("features").BeginArray();
  for (int i = 0; i < kTrainFeatureCount; ++i)
    if (s.features & (1u << i)) j.String(kFeatureNames[i]);
  j.EndArray().Key("layers").BeginArray();
  for (int u : s.layers) j.Int(u);
  j.EndArray().Key("activations").BeginArray();
  for (size_t l = 0; l < s.layers.size(); ++l)
    j.String(ActName(TrainLayerActivation(s, static_cast<int>(l))));
  j.EndArray();
  const bool squared = TrainDataIsRegression(s.data) || s.loss == TrainLoss::kSquared;
  j.Key("loss").String(squared ? "mse" : "ce");
  j.Key("reg").String(RegName(s.reg)).Key("rate").Number(s.rate);
  j.Key("init").String(InitName(s.init));
  j.Key("opt").String(OptName(s.opt));
  j.Key("lr").Number(s.lr).Key("momentum").Number(s.momentum).Key("batch").Int(s.batch);
  j.Key("steps").Int(s.steps);
  j.Key("added").BeginArray();
  for (const TrainAddedPoint& p : s.added)
    j.BeginArray().Number(p.x).Number(p.y).Number(p.v).EndArray();
  j.EndArray().Key("imported").Int(s.imported).Key("removed").BeginArray();
  for (int id : s.removed) j.Int(id);
  j.EndArray().Key("edits").BeginArray();
  for (const TrainEdit& e : s.edits)
    j.BeginObject()
        .Key("step")
        .Int(e.step)
        .Key("index")
        .Int(e.index)
        .Key("value")
        .Number(e.value)
        .EndObject();
  j.EndArray();
  j.EndObject();
  j.Key("result").BeginObject();
  j.Key("error").String(r.error).Key("steps").Int(r.steps).Key("classes").Int(r.classes);
  j.Key("regression").Bool(r.regression).Key("outputs").Int(r.outputs);
  j.Key("param_count").Int(r.param_count);
  j.Key("train_count").Int(r.train_count).Key("test_count").Int(r.test_count);
  j.Key("train_loss").Number(r.train_loss).Key("test_loss").Number(r.test_loss);
  j.Key("train_acc").Number(r.train_acc).Key("test_acc").Number(r.test_acc);
  j.Key("last_batch_loss").Number(r.last_batch_loss);
  j.Key("confusion").BeginArray();
  for (int c : r.confusion) j.Int(c);
  j.EndArray();
  using P = TrainHistoryPoint;
  WriteHistoryJson<P>(&j, r.history, r.history_every,
                      {{"train_loss", &P::train_loss}, {"test_loss", &P::test_loss}});
  j.Key("grad_norms").BeginArray();
  for (const TrainLayerNorm& n : r.grad_norms)
    j.BeginObject().Key("name").String(n.name).Key("norm").Number(n.norm).EndObject();
  j.EndArray();
  j.Key("grid").TensorValue(r.grid);
  // Weights per layer: W [out, in] row-major (nn.Linear's weight, flattened), b [out];
  // "offset" is W's index in the Mlp layout (what `edit` uses).
  auto weights = [&](const std::vector<float>& params) {
    j.BeginArray();
    if (params.size() == static_cast<size_t>(r.param_count)) {
      for (const TrainLayerShape& l : r.layers) {
        j.BeginObject().Key("in").Int(l.in).Key("out").Int(l.out).Key("offset").Int(l.w);
        j.Key("W").BeginArray();
        for (int i = 0; i < l.in * l.out; ++i) j.Number(params[static_cast<size_t>(l.w + i)]);
        j.EndArray().Key("b").BeginArray();
        for (int i = 0; i < l.out; ++i) j.Number(params[static_cast<size_t>(l.b + i)]);
        j.EndArray().EndObject();
      }
    }
    j.EndArray();
  };
  if (with_weights) {
    j.Key("weights");
    weights(r.params);
  }
  if (r.replayed) {
    // The points as trained and tested on: [x, y, class] ([x, y, target] for regression).
    auto points = [&](const char* name, const std::vector<TrainPoint>& pts) {
      j.Key(name).BeginArray();
      for (const TrainPoint& p : pts)
        j.BeginArray()
            .Number(p.x)
            .Number(p.y)
            .Number(r.regression ? p.value : static_cast<float>(p.label))
            .EndArray();
      j.EndArray();
    };
    j.Key("points").BeginObject();
    points("train", r.train_points);
    points("test", r.test_points);
    j.EndObject();
    j.Key("initial_weights");
    weights(r.initial_params);
    // The first min(steps, kTraceSteps) steps: the batch, its loss, the weights after.
    WriteTraceJson(&j, r.trace, weights);
  }
  j.EndObject();
  j.EndObject();
  return ToAscii(j.str());  // the JSON keeps ASCII (labs/notation.h)
}

std::string TrainLabToJson(const TrainLabState& s, const TrainLabResult& r) {
  return TrainLabToJsonWithWeights(s, r, true);
}

}  // namespace nnplay
