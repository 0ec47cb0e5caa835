// assignment.cpp: see assignment.h.
#include "labs/assignment.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "json.h"
#include "labs/batchnorm_lab.h"
#include "labs/conv_lab.h"
#include "labs/cost_lab.h"
#include "labs/dropout_lab.h"
#include "labs/flow_lab.h"
#include "labs/guide.h"
#include "labs/mlp_lab.h"
#include "labs/notation.h"
#include "labs/softmax_lab.h"
#include "link/number.h"
#include "ops/rng.h"

namespace nnplay {
namespace {

// The question of each exercise, in nnplay's own words, and the steps it asks.
struct ExerciseText {
  int number;
  const char* question;
  std::vector<std::string> asked;
  bool variants;
};

const std::vector<ExerciseText>& Texts() {
  static const std::vector<ExerciseText> texts = {
      {1,
       "One neuron without a bias gets the input x and the weights w below. Work out its "
       "weighted sum z, then the softmax of that single number. Why can a softmax over one "
       "value never say anything?",
       {"z1", "p"},
       true},
      {2,
       "Every weight of a layer of this 4-3-2-2 ReLU network is the same number. Push x "
       "through it, layer by layer (z, then a), and explain why the output ends up as "
       "[0.5, 0.5].",
       {"z1", "a1", "z2", "a2", "z3", "a3"},
       true},
      {3,
       "The last fully connected layer gives the logits below. Turn them into probabilities: "
       "each exponential, their sum, then each probability.",
       {"exps", "sum", "p"},
       true},
      {4,
       "Do the forward pass of this small MLP (two ReLU hidden layers, a softmax output, no "
       "biases) by hand: z and a of every layer.",
       {"z1", "a1", "z2", "a2", "z3", "a3"},
       true},
      {5,
       "How many numbers does this dense network learn? Count the weights and the biases of "
       "every layer and give the total.",
       {"params"},
       false},
      {6,
       "Batch-normalize the batch x with the given \u03b3 and \u03b2: its mean, its variance, "
       "the standard deviation, the normalized values and the outputs.",
       {"mu", "var", "sigma", "xhat", "y"},
       true},
      {7,
       "A gradient passes back through 20 layers. Give the largest slope a sigmoid can have, "
       "\u03c3\u2032(0), then read from the lab which share of the gradient reaches layer 1 "
       "through sigmoids (A) and through tanh (B).",
       {"dsig0", "ratio_a", "ratio_b"},
       false},
      {8,
       "The activations a go through inverted dropout with keep probability p. With the "
       "lab's mask: the training output; then the expected training output and the output "
       "at test time.",
       {"train", "etrain", "test"},
       true},
      {9,
       "Slide the 3\u00d73 filter over the 6\u00d76 image (no padding, stride 1) and write the "
       "first row of the 4\u00d74 output. Where does the edge show?",
       {"row1"},
       true},
      {10,
       "A 1\u00d71 convolution maps the input below to 32 channels. Count its multiplications "
       "and parameters, the multiplications of a fully connected layer between the same "
       "shapes, and how many times more that is.",
       {"mults", "params", "fc", "ratio"},
       true},
      {11,
       "A residual block computes y = F(x) + x. Read from the lab the gradient through layer "
       "10 of the residual chain A (the total, the F path and what reaches layer 9), then the "
       "share of the gradient that reaches layer 1 with skips (A) and without (B).",
       {"blk_a", "ratio_a", "ratio_b"},
       false},
      {12,
       "Before the 5\u00d75 convolution with 32 filters, a 1\u00d71 convolution reduces the "
       "input to 16 channels. Count the multiplications of each and of both together.",
       {"red", "conv", "mults"},
       true},
      {13,
       "An Inception module runs 3\u00d73 and 5\u00d75 convolutions side by side (\"same\" "
       "padding). Count the multiplications of each branch and of the whole module.",
       {"b3", "b5", "mults"},
       true},
  };
  return texts;
}

// ---- numbers for the question ------------------------------------------------------------

std::string Vec(const float* v, size_t n) {
  std::string s = "[";
  for (size_t i = 0; i < n; ++i) s += (i ? ", " : "") + Num(v[i]);
  return s + "]";
}
std::string Vec(const Tensor& t) {
  return Vec(t.data(), t.size());
}
std::string Matrix(const Tensor& t) {
  if (t.rank() != 2) return Vec(t);
  std::string s = "[";
  for (int r = 0; r < t.dim(0); ++r)
    s += (r ? ", " : "") + Vec(t.data() + static_cast<size_t>(r) * static_cast<size_t>(t.dim(1)),
                               static_cast<size_t>(t.dim(1)));
  return s + "]";
}

// ---- variants ------------------------------------------------------------------------------

// Values with `decimals` decimals, uniform in [lo, hi] on that grid; never 0 when `nonzero`.
float Pick(Pcg32* rng, float lo, float hi, int decimals, bool nonzero = false) {
  const double scale = std::pow(10.0, decimals);
  const long long a = std::llround(lo * scale), b = std::llround(hi * scale);
  for (;;) {
    const long long k =
        a + static_cast<long long>(rng->NextU32() % static_cast<uint32_t>(b - a + 1));
    if (nonzero && k == 0) continue;
    return static_cast<float>(static_cast<double>(k) / scale);
  }
}
int PickOf(Pcg32* rng, const std::vector<int>& options) {
  return options[rng->NextU32() % options.size()];
}
void Fill(Pcg32* rng, Tensor* t, float lo, float hi, int decimals, bool nonzero = false) {
  for (size_t i = 0; i < t->size(); ++i) (*t)[i] = Pick(rng, lo, hi, decimals, nonzero);
}

bool DecodeInto(const std::string& text, Link* link) {
  LinkError ignored;
  return ParseLink(text, link, &ignored, 1 << 20);
}

// Each lab: decode the preset, make the variant, evaluate, the steps and the numbers.
struct Built {
  std::string link;
  std::vector<CheckStep> steps;  // every step the lab (or the assignment) offers
  std::vector<std::string> own;  // ids of the assignment's own steps
  std::vector<std::string> data;
  CheckRecompute recompute;
};

// The preset's state, decoded once per exercise (decoding writes the link back to check
// its length, which is most of the cost of a setup).
template <typename State>
bool PresetState(int number, const Link& preset, bool (*decode)(const Link&, State*, LinkError*),
                 State* out) {
  static std::map<int, State> cache;
  auto it = cache.find(number);
  if (it == cache.end()) {
    State s;
    LinkError e;
    if (!decode(preset, &s, &e)) return false;
    it = cache.emplace(number, std::move(s)).first;
  }
  *out = it->second;
  return true;
}

bool BuildMlp(int number, const Link& preset, uint32_t seed, Built* out) {
  MlpLabState s;
  if (!PresetState(number, preset, DecodeMlpLab, &s)) return false;
  if (seed) {
    Pcg32 rng(seed, 17);
    if (number == 1) {
      Fill(&rng, &s.x, -2.0f, 2.0f, 1, true);
      Fill(&rng, &s.layers[0].w, -1.0f, 1.0f, 2, true);
    } else if (number == 2) {
      Fill(&rng, &s.x, -3.0f, 3.0f, 1, true);
      const float c = Pick(&rng, 0.1f, 0.5f, 1);
      for (size_t i = 0; i < s.layers[0].w.size(); ++i) s.layers[0].w[i] = c;
    } else if (number == 4) {
      // Redraw until both hidden layers keep a live unit (a dead layer teaches nothing new).
      for (int attempt = 0; attempt < 50; ++attempt) {
        Fill(&rng, &s.x, -1.5f, 1.5f, 1, true);
        for (MlpLayer& ly : s.layers) Fill(&rng, &ly.w, -0.9f, 0.9f, 1, true);
        const MlpLabResult r = EvaluateMlpLab(s);
        bool live = true;
        for (size_t l = 0; l + 1 < r.layers.size(); ++l) {
          float m = 0;
          for (size_t i = 0; i < r.layers[l].a.size(); ++i) m = std::max(m, r.layers[l].a[i]);
          live = live && m > 0;
        }
        if (live) break;
      }
    }
  }
  s.check.clear();
  const MlpLabResult r = EvaluateMlpLab(s);
  out->link = EncodeMlpLab(s);
  out->steps = MlpCheckSteps(s, r);
  out->recompute = MlpCheckRecompute(s);
  out->data.push_back("x = " + Vec(s.x));
  for (size_t l = 0; l < s.layers.size(); ++l) {
    const MlpLayer& ly = s.layers[l];
    std::string line = "W" + Sub(static_cast<long long>(l + 1)) + " = " + Matrix(ly.w);
    if (ly.has_bias) line += ", b" + Sub(static_cast<long long>(l + 1)) + " = " + Vec(ly.b);
    line += std::string(", then ") + MlpActivationName(ly.activation);
    out->data.push_back(line);
  }
  if (number == 5) {
    // The assignment's own step: the parameter count, layer by layer.
    std::string arithmetic;
    double total = 0;
    for (size_t l = 0; l < s.layers.size(); ++l) {
      const MlpLayer& ly = s.layers[l];
      arithmetic +=
          (l ? " + " : "") + std::to_string(ly.units()) + kTimes + std::to_string(ly.inputs());
      total += static_cast<double>(ly.units()) * ly.inputs();
      if (ly.has_bias) {
        arithmetic += " + " + std::to_string(ly.units());
        total += ly.units();
      }
    }
    out->steps.push_back(
        {"params", "parameters = weights + biases of every layer", {total}, {arithmetic}});
    out->own.push_back("params");
  }
  return true;
}

bool BuildSoftmax(int number, const Link& preset, uint32_t seed, Built* out) {
  SoftmaxLabState s;
  if (!PresetState(number, preset, DecodeSoftmaxLab, &s)) return false;
  if (seed) {
    Pcg32 rng(seed, 17);
    Fill(&rng, &s.logits, -2.0f, 3.0f, 1);
  }
  s.check.clear();
  const SoftmaxLabResult r = EvaluateSoftmaxLab(s);
  out->link = EncodeSoftmaxLab(s);
  out->steps = SoftmaxCheckSteps(s, r);
  out->recompute = SoftmaxCheckRecompute(s);
  out->data.push_back("logits = " + Vec(s.logits));
  return true;
}

bool BuildBatchNorm(int number, const Link& preset, uint32_t seed, Built* out) {
  BatchNormLabState s;
  if (!PresetState(number, preset, DecodeBatchNormLab, &s)) return false;
  if (seed) {
    Pcg32 rng(seed, 17);
    for (int attempt = 0; attempt < 50; ++attempt) {  // a batch of equal values has σ = 0
      Fill(&rng, &s.x, 0.0f, 10.0f, 0);
      float lo = s.x[0], hi = s.x[0];
      for (size_t i = 0; i < s.x.size(); ++i) lo = std::min(lo, s.x[i]), hi = std::max(hi, s.x[i]);
      if (hi > lo) break;
    }
    Fill(&rng, &s.gamma, 0.5f, 3.0f, 1, true);
    Fill(&rng, &s.beta, -2.0f, 2.0f, 1);
  }
  s.check.clear();
  const BatchNormLabResult r = EvaluateBatchNormLab(s);
  out->link = EncodeBatchNormLab(s);
  out->steps = BatchNormCheckSteps(s, r);
  out->recompute = BatchNormCheckRecompute(s);
  out->data.push_back("x = " + Vec(s.x));
  out->data.push_back(std::string(kGamma) + " = " + Vec(s.gamma) + ", " + kBeta + " = " +
                      Vec(s.beta) + ", " + kEps + " = " + Num(s.eps));
  return true;
}

bool BuildDropout(int number, const Link& preset, uint32_t seed, Built* out) {
  DropoutLabState s;
  if (!PresetState(number, preset, DecodeDropoutLab, &s)) return false;
  if (seed) {
    Pcg32 rng(seed, 17);
    Fill(&rng, &s.activations, 0.5f, 5.0f, 1, true);
    s.keep = static_cast<float>(PickOf(&rng, {5, 8})) / 10.0f;
    s.seed = static_cast<int>(rng.NextU32() % 1000u) + 1;
  }
  s.check.clear();
  // The asked steps use the first mask and the expectations, not the many-masks average.
  DropoutLabState one = s;
  one.samples = 1;
  one.unit = 0;
  const DropoutLabResult r = EvaluateDropoutLab(one);
  out->link = EncodeDropoutLab(s);
  out->steps = DropoutCheckSteps(s, r);
  out->data.push_back("a = " + Vec(s.activations) + ", p = " + Num(s.keep));
  out->data.push_back("the lab's mask: " + Vec(r.mask));
  return true;
}

bool BuildConv(int number, const Link& preset, uint32_t seed, Built* out) {
  ConvLabState s;
  if (!PresetState(number, preset, DecodeConvLab, &s)) return false;
  if (seed) {
    Pcg32 rng(seed, 17);
    const int bright = PickOf(&rng, {5, 6, 7, 8, 9, 10, 12, 15, 20});
    const int dark = PickOf(&rng, {0, 1, 2, 3});
    const int w = s.input.dim(2);
    for (int y = 0; y < s.input.dim(1); ++y)
      for (int x = 0; x < w; ++x)
        s.input.at(0, y, x) = static_cast<float>(x < w / 2 ? bright : dark);
  }
  const ConvLabResult r = EvaluateConvLab(s);
  out->link = EncodeConvLab(s);
  if (r.output.empty()) return false;
  const int ow = r.output.dim(2);
  CheckStep row{"row1", "the first row of the output", {}, {}};
  for (int x = 0; x < ow; ++x) {
    row.values.push_back(r.output.at(0, 0, x));
    std::string text = TraceConvCell(s, r, 0, 0, x).text;
    // The trace ends in " = value": the hint's numbers stop before it.
    const size_t eq = text.rfind(" = ");
    row.arithmetic.push_back(eq == std::string::npos ? text : text.substr(0, eq));
  }
  out->steps.push_back(std::move(row));
  out->own.push_back("row1");
  const Tensor image = [&] {
    Tensor t({s.input.dim(1), s.input.dim(2)});
    std::copy(s.input.data(), s.input.data() + t.size(), t.data());
    return t;
  }();
  Tensor filter({s.filter.dim(2), s.filter.dim(3)});
  std::copy(s.filter.data(), s.filter.data() + filter.size(), filter.data());
  out->data.push_back("image rows: " + Vec(image.data(), static_cast<size_t>(image.dim(1))) +
                      " (every row)");
  out->data.push_back("filter = " + Matrix(filter));
  return true;
}

bool BuildCost(int number, const Link& preset, uint32_t seed, Built* out) {
  CostLabState s;
  if (!PresetState(number, preset, DecodeCostLab, &s)) return false;
  if (seed) {
    Pcg32 rng(seed, 17);
    s.h = s.w = PickOf(&rng, number == 13 ? std::vector<int>{14, 16, 28, 32}
                                          : std::vector<int>{7, 14, 16, 28, 32});
    s.c = PickOf(&rng, {64, 128, 192, 256});
    if (number == 13) {
      s.n3 = PickOf(&rng, {64, 96, 128});
      s.n5 = PickOf(&rng, {16, 32, 48});
    } else {
      s.n = PickOf(&rng, {16, 32, 64});
      if (number == 12) s.r = PickOf(&rng, {8, 16, 32});
    }
  }
  s.check.clear();
  const CostLabResult r = EvaluateCostLab(s);
  out->link = EncodeCostLab(s);
  out->steps = CostCheckSteps(s, r);
  out->recompute = CostCheckRecompute(s);
  std::string line =
      "input " + std::to_string(s.h) + kTimes + std::to_string(s.w) + kTimes + std::to_string(s.c);
  if (number == 10)
    line += ", 1" + std::string(kTimes) + "1 convolution, " + std::to_string(s.n) + " filters";
  if (number == 12)
    line += ", 1" + std::string(kTimes) + "1 to " + std::to_string(s.r) + " channels, then " +
            std::to_string(s.k) + kTimes + std::to_string(s.k) + " with " + std::to_string(s.n) +
            " filters";
  if (number == 13)
    line += ", " + std::to_string(s.n3) + " filters 3" + kTimes + "3 and " + std::to_string(s.n5) +
            " filters 5" + kTimes + "5";
  out->data.push_back(line);
  return true;
}

bool BuildFlow(int number, const Link& preset, Built* out) {
  FlowLabState s;
  if (!PresetState(number, preset, DecodeFlowLab, &s)) return false;
  s.check.clear();
  const FlowLabResult r = EvaluateFlowLab(s);
  out->link = EncodeFlowLab(s);
  out->steps = FlowCheckSteps(s, r);
  auto describe = [](const char* name, const FlowConfig& c) {
    return std::string(name) + ": " + std::to_string(c.depth) + " " + FlowActivationName(c.act) +
           " layers of " + std::to_string(c.width) + (c.residual ? ", with skips" : ", no skips");
  };
  out->data.push_back(describe("A", s.a));
  out->data.push_back(describe("B", s.b));
  return true;
}

std::string FormatValue(double v) {
  if (std::fabs(v) < 1e15 && v == std::trunc(v)) return Count(static_cast<long long>(v));
  return NumApprox(v);
}

uint32_t Mix(uint32_t x) {
  x ^= x >> 16;
  x *= 0x7feb352dU;
  x ^= x >> 15;
  x *= 0x846ca68bU;
  x ^= x >> 16;
  return x;
}

}  // namespace

const std::vector<AssignmentExercise>& AssignmentExercises() {
  static const std::vector<AssignmentExercise> all = [] {
    std::vector<AssignmentExercise> v;
    for (const CourseExercise& c : CourseExercises()) {
      AssignmentExercise a;
      a.number = c.number;
      a.title = c.title;
      a.lab = c.lab;
      a.preset = c.preset;
      for (const ExerciseText& t : Texts()) {
        if (t.number != c.number) continue;
        a.question = t.question;
        a.asked = t.asked;
        a.variants = t.variants;
      }
      v.push_back(std::move(a));
    }
    return v;
  }();
  return all;
}

const AssignmentExercise* FindAssignmentExercise(int number) {
  for (const AssignmentExercise& e : AssignmentExercises())
    if (e.number == number) return &e;
  return nullptr;
}

uint32_t ExerciseSeed(uint32_t assignment_seed, int number) {
  if (assignment_seed == 0) return 0;
  return Mix(assignment_seed * 16u + static_cast<uint32_t>(number)) % kMaxSeed + 1;
}

namespace {
bool BuildExercise(int number, uint32_t seed, ExerciseSetup* setup, std::string* error);
}  // namespace

bool MakeExercise(int number, uint32_t seed, ExerciseSetup* setup, std::string* error) {
  // Decoding a class's links and grading them set up the same exercises again and again.
  static std::map<std::pair<int, uint32_t>, ExerciseSetup> cache;
  // An exercise without variants has one setup, whatever the seed.
  if (const AssignmentExercise* ex = FindAssignmentExercise(number); ex && !ex->variants) seed = 0;
  const auto key = std::make_pair(number, seed);
  if (auto it = cache.find(key); it != cache.end()) return *setup = it->second, true;
  if (!BuildExercise(number, seed, setup, error)) return false;
  // Bounded: variants are one per student; the course's numbers stay.
  if (cache.size() >= 1024)
    for (auto it = cache.begin(); it != cache.end();)
      it = it->first.second ? cache.erase(it) : ++it;
  cache.emplace(key, *setup);
  return true;
}

namespace {

bool BuildExercise(int number, uint32_t seed, ExerciseSetup* setup, std::string* error) {
  const AssignmentExercise* ex = FindAssignmentExercise(number);
  if (!ex) {
    *error = "there is no exercise E" + std::to_string(number) + " (the course has E1 to E13)";
    return false;
  }
  if (!ex->variants) seed = 0;
  Link preset;
  if (!DecodeInto(PresetLink(ex->lab, ex->preset), &preset)) {
    *error = "the preset of E" + std::to_string(number) + " does not open";
    return false;
  }
  Built b;
  bool ok = false;
  if (ex->lab == "mlp") ok = BuildMlp(number, preset, seed, &b);
  if (ex->lab == "softmax") ok = BuildSoftmax(number, preset, seed, &b);
  if (ex->lab == "batchnorm") ok = BuildBatchNorm(number, preset, seed, &b);
  if (ex->lab == "dropout") ok = BuildDropout(number, preset, seed, &b);
  if (ex->lab == "conv") ok = BuildConv(number, preset, seed, &b);
  if (ex->lab == "cost") ok = BuildCost(number, preset, seed, &b);
  if (ex->lab == "flow") ok = BuildFlow(number, preset, &b);
  if (!ok) {
    *error = "E" + std::to_string(number) + " could not be set up";
    return false;
  }
  ExerciseSetup out;
  out.number = number;
  out.seed = seed;
  out.lab_link = std::move(b.link);
  out.data = std::move(b.data);
  out.recompute = std::move(b.recompute);
  for (const CheckStep& step : b.steps)
    if (std::find(b.own.begin(), b.own.end(), step.id) == b.own.end()) out.lab_all.push_back(step);
  for (const std::string& id : ex->asked) {
    for (CheckStep& step : b.steps) {
      if (step.id != id) continue;
      out.lab_steps.push_back(std::find(b.own.begin(), b.own.end(), id) == b.own.end());
      out.steps.push_back(std::move(step));
    }
  }
  *setup = std::move(out);
  return true;
}

}  // namespace

std::string ExerciseLabLink(const ExerciseSetup& setup, const CheckEntries& entries) {
  CheckEntries lab;
  for (size_t s = 0; s < setup.steps.size(); ++s) {
    if (!setup.lab_steps[s]) continue;
    for (const auto& e : entries)
      if (e.first == setup.steps[s].id) lab.push_back(e);
  }
  const std::string check = EncodeCheckEntries(lab);
  if (check.empty()) return setup.lab_link;
  // Every lab with check steps writes `check=` last.
  const size_t at = setup.lab_link.rfind("&check=");
  if (at == std::string::npos) return setup.lab_link;
  return setup.lab_link.substr(0, at) + "&check=" + check;
}

const char* VerdictName(Verdict v) {
  switch (v) {
    case Verdict::kRight:
      return "right";
    case Verdict::kCarried:
      return "carried";
    case Verdict::kWrong:
      return "wrong";
    case Verdict::kNotEntered:
      break;
  }
  return "empty";
}

ExerciseReport GradeExercise(const ExerciseSetup& setup, const CheckEntries& entries) {
  // The lab's steps with error carried forward (check.h), over all of the lab's steps (its
  // recompute rebuilds them all); the assignment's own steps on their own.
  CheckEntries lab, own;
  std::vector<CheckStep> own_steps;
  for (size_t s = 0; s < setup.steps.size(); ++s) {
    if (!setup.lab_steps[s]) own_steps.push_back(setup.steps[s]);
    for (const auto& e : entries)
      if (e.first == setup.steps[s].id) (setup.lab_steps[s] ? lab : own).push_back(e);
  }
  const CheckOutcome lo = Check(setup.lab_all, lab, setup.recompute);
  const CheckOutcome oo = Check(own_steps, own);
  ExerciseReport rep;
  rep.verdicts.resize(setup.steps.size());
  size_t own_index = 0;
  for (size_t s = 0; s < setup.steps.size(); ++s) {
    const std::vector<CheckStatus>* status = nullptr;
    int at = -1;
    if (setup.lab_steps[s]) {
      for (size_t k = 0; k < setup.lab_all.size(); ++k)
        if (setup.lab_all[k].id == setup.steps[s].id) at = static_cast<int>(k);
      if (at >= 0) status = &lo.status[static_cast<size_t>(at)];
      if (at >= 0 && rep.root_step < 0 && lo.first_wrong_step == at) {
        rep.root_step = static_cast<int>(s);
        rep.root_value = lo.first_wrong_value;
        rep.explanation = lo.explanation;
        rep.later = lo.later;
        for (CheckStatus st : lo.later_status)
          rep.later_carried.push_back(st == CheckStatus::kCarried);
      }
    } else {
      at = static_cast<int>(own_index++);
      status = &oo.status[static_cast<size_t>(at)];
      if (rep.root_step < 0 && oo.first_wrong_step == at) {
        rep.root_step = static_cast<int>(s);
        rep.root_value = oo.first_wrong_value;
        rep.explanation = oo.explanation;
      }
    }
    for (size_t v = 0; v < setup.steps[s].values.size(); ++v) {
      const CheckStatus st = status && v < status->size() ? (*status)[v] : CheckStatus::kNotEntered;
      Verdict verdict = Verdict::kNotEntered;
      if (st == CheckStatus::kRight) verdict = Verdict::kRight;
      if (st == CheckStatus::kCarried) verdict = Verdict::kCarried;
      if (st == CheckStatus::kWrong) verdict = Verdict::kWrong;
      rep.verdicts[s].push_back(verdict);
      ++rep.total;
      if (verdict != Verdict::kNotEntered) ++rep.entered;
      if (verdict == Verdict::kRight) ++rep.right;
      if (verdict == Verdict::kCarried) ++rep.carried;
      if (verdict == Verdict::kWrong) ++rep.wrong;
    }
  }
  return rep;
}

Progress ExerciseProgress(const ExerciseReport& r) {
  if (r.entered == 0) return Progress::kNotStarted;
  if (r.entered == r.total && r.wrong == 0) return Progress::kDone;
  return Progress::kPartly;
}

const char* ProgressName(Progress p) {
  switch (p) {
    case Progress::kDone:
      return "done";
    case Progress::kPartly:
      return "partly";
    case Progress::kNotStarted:
      break;
  }
  return "not started";
}

std::vector<std::string> HintLines(const CheckStep& step, int level) {
  std::vector<std::string> lines;
  if (level < 1) return lines;
  lines.push_back("The rule: " + step.label);
  if (level >= 2) {
    bool any = false;
    for (size_t v = 0; v < step.values.size(); ++v) {
      if (v >= step.arithmetic.size() || step.arithmetic[v].empty()) continue;
      lines.push_back(CheckValueName(step, v) + " = " + step.arithmetic[v]);
      any = true;
    }
    if (!any) lines.push_back("The numbers: read them from the lab, which shows this step.");
  }
  if (level >= 3) {
    std::string values;
    for (size_t v = 0; v < step.values.size(); ++v)
      values += (v ? ", " : "") + FormatValue(step.values[v]);
    lines.push_back("The value: " + (step.values.size() > 1 ? "[" + values + "]" : values));
  }
  return lines;
}

const AssignmentWords& AssignmentText() {
  static const AssignmentWords words = {
      "Assignment",
      "Work through the course's exercises in order. Type your values for each step (as many "
      "digits as you worked with, or a fraction such as 1/3): each is marked right, right "
      "for your earlier value (it follows from a slip before it), or wrong. Your work stays "
      "in this browser and in the link: Copy link sends it to your teacher.",
      "Your name or student id",
      "Some characters of this name are not in this page's fonts and show as \ufffd; the link, "
      "this browser's copy and nnplay grade keep the name exactly as typed.",
      "Exercises",
      "Open the lab at these numbers",
      "Your own numbers: this assignment's seed gives this exercise other inputs and weights "
      "than the course's.",
      "Your answers",
      "Hint",
      "More",
      "All hints shown",
      "right to the digits typed",
      "right for your earlier value: it follows from a slip in an earlier step",
      "not right, even for your earlier values",
      "First slip: ",
      "Every value you entered is right.",
      "For teachers: your own numbers",
      "A seed gives every exercise that has variants other inputs and weights (one or two "
      "decimals, so the arithmetic stays reasonable); 0 keeps the course's numbers. Give each "
      "student a link with their own seed (Copy link), so no two share answers; nnplay grade "
      "checks each against its own numbers.",
      "seed",
      "Work through E1 to E13 as an assignment",
      "each step checked, with error carried forward; one link to hand in",
  };
  return words;
}

std::string ProgressSummary(const Assignment& a) {
  int done = 0, partly = 0, none = 0;
  for (int n : a.exercises) {
    ExerciseSetup setup;
    std::string why;
    if (!MakeExercise(n, ExerciseSeed(a.seed, n), &setup, &why)) continue;
    const ExerciseWork* w = FindWork(a, n);
    const Progress p =
        w ? ExerciseProgress(GradeExercise(setup, w->entries)) : Progress::kNotStarted;
    (p == Progress::kDone ? done : p == Progress::kPartly ? partly : none)++;
  }
  return std::to_string(done) + " done, " + std::to_string(partly) + " partly, " +
         std::to_string(none) + " not started";
}

// ---- the assignment and its link ---------------------------------------------------------

Assignment AssignmentDefault() {
  Assignment a;
  for (const AssignmentExercise& e : AssignmentExercises()) a.exercises.push_back(e.number);
  return a;
}

ExerciseWork* WorkFor(Assignment* a, int number) {
  for (ExerciseWork& w : a->work)
    if (w.number == number) return &w;
  auto at = std::find_if(a->work.begin(), a->work.end(),
                         [&](const ExerciseWork& w) { return w.number > number; });
  ExerciseWork w;
  w.number = number;
  return &*a->work.insert(at, std::move(w));
}

const ExerciseWork* FindWork(const Assignment& a, int number) {
  for (const ExerciseWork& w : a.work)
    if (w.number == number) return &w;
  return nullptr;
}

void TidyAssignment(Assignment* a) {
  for (ExerciseWork& w : a->work) {
    w.entries.erase(std::remove_if(w.entries.begin(), w.entries.end(),
                                   [](const auto& e) {
                                     for (const std::string& v : e.second)
                                       if (!v.empty()) return false;
                                     return true;
                                   }),
                    w.entries.end());
    w.hints.erase(
        std::remove_if(w.hints.begin(), w.hints.end(), [](const auto& h) { return h.second <= 0; }),
        w.hints.end());
  }
  a->work.erase(std::remove_if(a->work.begin(), a->work.end(),
                               [&](const ExerciseWork& w) {
                                 return (w.entries.empty() && w.hints.empty()) ||
                                        !std::binary_search(a->exercises.begin(),
                                                            a->exercises.end(), w.number);
                               }),
                a->work.end());
}

namespace {

// ---- names ----------------------------------------------------------------------------------
// A name is any UTF-8 text of at most kMaxStudentName code points and kMaxStudentNameBytes
// bytes: letters of any script, digits, single spaces and . - ' (the ASCII a name needs;
// the rest of ASCII would clash with the link's syntax or is not a name's), beginning and
// ending with a letter or digit (any code point past ASCII counts as one: nnplay has no
// Unicode tables). Left out: control characters, line and paragraph separators, the
// bidirectional controls (they could reorder the grade sheet's columns as displayed),
// zero-width spaces, the byte-order mark and noncharacters; spaces other than U+0020.

bool AsciiNameChar(uint32_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ' ' ||
         c == '.' || c == '-' || c == '\'';
}
// Letters and digits for the rule on a name's ends: ASCII ones and everything past ASCII.
bool Alnum(uint32_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}
bool ControlChar(uint32_t c) {
  return c < 0x20 || (c >= 0x7F && c <= 0x9F);
}
bool OtherSpace(uint32_t c) {
  return c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x202F || c == 0x205F ||
         c == 0x3000;
}
// Invisible or reordering: separators, zero-width space, direction marks and controls, the
// word joiner and invisible operators, the byte-order mark, noncharacters.
bool HiddenChar(uint32_t c) {
  return c == 0x200B || c == 0x200E || c == 0x200F || (c >= 0x2028 && c <= 0x202E) ||
         (c >= 0x2060 && c <= 0x206F) || c == 0xFEFF || (c >= 0xFDD0 && c <= 0xFDEF) ||
         (c & 0xFFFE) == 0xFFFE;
}
std::string CodePointName(uint32_t c) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(c));
  return buf;
}

// Why `name` (spaces as ' ') is not a name as the link carries it, or "" when it is.
std::string NameProblem(std::string_view name) {
  if (name.empty()) return "the name is empty (leave the field out for no name)";
  size_t code_points = 0;
  uint32_t first = 0, last = 0, prev = 0;
  for (size_t i = 0; i < name.size();) {
    uint32_t c = 0;
    if (!DecodeUtf8(name, &i, &c))
      return "the name is not valid UTF-8 (byte " + std::to_string(i + 1) + " of " +
             std::to_string(name.size()) + ")";
    if (ControlChar(c)) return "the name contains a control character (" + CodePointName(c) + ")";
    if (OtherSpace(c))
      return "the name contains a space other than a plain one (" + CodePointName(c) +
             "); write spaces as '+'";
    if (HiddenChar(c))
      return "the name contains " + CodePointName(c) +
             ", an invisible or direction-changing character, which a name cannot hold";
    if (c < 0x80 && !AsciiNameChar(c))
      return "a name holds letters (of any script), digits, spaces (+), '.', '-' and \"'\"; "
             "not '" +
             std::string(1, static_cast<char>(c)) + "'";
    if (c == ' ' && prev == ' ') return "a name has single spaces";
    if (!code_points) first = c;
    last = prev = c;
    ++code_points;
  }
  if (code_points > kMaxStudentName)
    return "a name has at most " + std::to_string(kMaxStudentName) + " characters (this one has " +
           std::to_string(code_points) + ")";
  if (name.size() > kMaxStudentNameBytes)
    return "a name has at most " + std::to_string(kMaxStudentNameBytes) +
           " bytes of UTF-8 (this one has " + std::to_string(name.size()) + ")";
  if (!Alnum(first) || !Alnum(last)) return "a name begins and ends with a letter or digit";
  return "";
}

std::string ExerciseList(const std::vector<int>& ex) {
  std::string s;
  for (size_t i = 0; i < ex.size();) {
    size_t j = i;
    while (j + 1 < ex.size() && ex[j + 1] == ex[j] + 1) ++j;
    if (!s.empty()) s += ',';
    s += std::to_string(ex[i]);
    if (j > i) s += (j == i + 1 ? "," : "-") + std::to_string(ex[j]);
    i = j + 1;
  }
  return s;
}

bool ParseExerciseList(std::string_view text, std::vector<int>* out, std::string* error) {
  out->clear();
  if (text.empty()) return *error = "name at least one exercise, e.g. 1-13", false;
  while (!text.empty()) {
    const size_t comma = text.find(',');
    std::string_view part = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    const size_t dash = part.find('-');
    int a = 0, b = 0;
    std::string why;
    if (!ParseInt(part.substr(0, dash), 1, kExerciseCount, &a, &why) ||
        (dash != std::string_view::npos &&
         !ParseInt(part.substr(dash + 1), 1, kExerciseCount, &b, &why)))
      return *error = "'" + std::string(part.substr(0, 12)) +
                      "' is not an exercise (1 to 13) or a range such as 4-6",
             false;
    if (dash == std::string_view::npos) b = a;
    if (b < a || (!out->empty() && a <= out->back()))
      return *error = "list the exercises in ascending order, each once", false;
    for (int k = a; k <= b; ++k) out->push_back(k);
  }
  return true;
}

std::string EncodeHints(const std::vector<std::pair<std::string, int>>& hints) {
  std::string s;
  for (const auto& [id, level] : hints) {
    if (level <= 0) continue;
    s += (s.empty() ? "" : ",") + id + ":" + std::to_string(level);
  }
  return s;
}

bool DecodeHints(std::string_view text, const std::vector<CheckStep>& steps,
                 std::vector<std::pair<std::string, int>>* out, std::string* error) {
  out->clear();
  while (!text.empty()) {
    const size_t comma = text.find(',');
    std::string_view part = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    const size_t colon = part.find(':');
    if (colon == std::string_view::npos)
      return *error = "expected 'step:level' in '" + std::string(part.substr(0, 24)) + "'", false;
    const std::string id(part.substr(0, colon));
    size_t index = steps.size();
    for (size_t i = 0; i < steps.size(); ++i)
      if (steps[i].id == id) index = i;
    if (index == steps.size())
      return *error = "there is no asked step '" + id.substr(0, 24) + "'", false;
    for (const auto& h : *out)
      if (h.first == id) return *error = "step '" + id + "' is given twice", false;
    int level = 0;
    std::string why;
    if (!ParseInt(part.substr(colon + 1), 1, kMaxHintLevel, &level, &why))
      return *error = "step '" + id + "': a hint level is 1, 2 or 3", false;
    out->emplace_back(id, level);
  }
  // Step order: one canonical form.
  auto pos = [&](const std::string& id) {
    for (size_t i = 0; i < steps.size(); ++i)
      if (steps[i].id == id) return i;
    return steps.size();
  };
  std::sort(out->begin(), out->end(),
            [&](const auto& a, const auto& b) { return pos(a.first) < pos(b.first); });
  return true;
}

// The entries field: no value left empty at the end of a step (the decoder pads), so no
// link ends in '_', which Markdown autolinkers drop.
std::string EncodeEntries(const CheckEntries& entries) {
  CheckEntries trimmed = entries;
  for (auto& e : trimmed)
    while (!e.second.empty() && e.second.back().empty()) e.second.pop_back();
  return EncodeCheckEntries(trimmed);
}

}  // namespace

std::string CleanStudentName(std::string_view typed) {
  // Code points as typed, less what a name cannot hold; other spaces become plain ones.
  std::vector<std::pair<uint32_t, std::string_view>> kept;
  for (size_t i = 0; i < typed.size();) {
    const size_t at = i;
    uint32_t c = 0;
    if (!DecodeUtf8(typed, &i, &c)) {
      ++i;  // a stray byte: dropped
      continue;
    }
    if (OtherSpace(c)) c = ' ';
    if (ControlChar(c) || HiddenChar(c) || (c < 0x80 && !AsciiNameChar(c))) continue;
    if (c == ' ' && (kept.empty() || kept.back().first == ' ')) continue;
    if (kept.empty() && !Alnum(c)) continue;
    kept.emplace_back(c, c == ' ' ? std::string_view(" ") : typed.substr(at, i - at));
  }
  std::string s;
  size_t count = 0;
  for (const auto& [c, bytes] : kept) {
    if (count == kMaxStudentName || s.size() + bytes.size() > kMaxStudentNameBytes) break;
    s += bytes;
    ++count;
  }
  // Trailing punctuation and spaces go (ASCII, one byte each).
  while (!s.empty() && !Alnum(static_cast<unsigned char>(s.back()))) s.pop_back();
  return s;
}

std::string EncodeAssignment(const Assignment& a) {
  std::string s = "v1/course?ex=" + ExerciseList(a.exercises);
  if (!a.student.empty()) s += "&name=" + PercentEncodeText(a.student, ".-'");
  if (a.seed) s += "&seed=" + std::to_string(a.seed);
  for (const ExerciseWork& w : a.work) {
    const std::string n = std::to_string(w.number);
    const std::string entries = EncodeEntries(w.entries);
    if (!entries.empty()) s += "&e" + n + "=" + entries;
    const std::string hints = EncodeHints(w.hints);
    if (!hints.empty()) s += "&h" + n + "=" + hints;
  }
  return s;
}

bool DecodeAssignment(const Link& link, Assignment* a, LinkError* error) {
  if (link.lab != "course") return *error = {"lab", "not an assignment link"}, false;
  std::vector<std::string_view> allowed = {"ex", "name", "seed"};
  static const std::vector<std::string> keys = [] {
    std::vector<std::string> k;
    for (int n = 1; n <= kExerciseCount; ++n) {
      k.push_back("e" + std::to_string(n));
      k.push_back("h" + std::to_string(n));
    }
    return k;
  }();
  for (const std::string& k : keys) allowed.push_back(k);
  if (!CheckFieldNames(link, allowed, error)) return false;
  Assignment out;
  std::string why;
  if (const std::string* ex = link.Find("ex")) {
    if (!ParseExerciseList(*ex, &out.exercises, &why)) return *error = {"ex", why}, false;
  } else {
    out.exercises = AssignmentDefault().exercises;
  }
  if (const std::string* name = link.Find("name")) {
    std::string typed = *name;
    std::replace(typed.begin(), typed.end(), '+', ' ');
    const std::string problem = NameProblem(typed);
    if (!problem.empty()) return *error = {"name", problem}, false;
    out.student = typed;
  }
  if (const std::string* seed = link.Find("seed")) {
    int v = 0;
    if (!ParseInt(*seed, 1, static_cast<int>(kMaxSeed), &v, &why))
      return *error = {"seed", "a seed is a whole number from 1 to 999999999"}, false;
    out.seed = static_cast<uint32_t>(v);
  }
  for (const auto& [key, value] : link.fields) {
    if (key[0] != 'e' && key[0] != 'h') continue;
    if (key == "ex") continue;
    const int number = std::atoi(key.c_str() + 1);
    if (!std::binary_search(out.exercises.begin(), out.exercises.end(), number))
      return *error = {key, "E" + std::to_string(number) + " is not part of this assignment"},
             false;
    ExerciseSetup setup;
    if (!MakeExercise(number, ExerciseSeed(out.seed, number), &setup, &why))
      return *error = {key, why}, false;
    ExerciseWork* w = WorkFor(&out, number);
    if (key[0] == 'e') {
      if (!DecodeCheckEntries(value, setup.steps, &w->entries, &why))
        return *error = {key, why}, false;
    } else if (!DecodeHints(value, setup.steps, &w->hints, &why)) {
      return *error = {key, why}, false;
    }
  }
  TidyAssignment(&out);
  if (!CheckWrittenLength(link, EncodeAssignment(out), error)) return false;
  *a = std::move(out);
  return true;
}

bool DecodeAssignmentLink(std::string_view text, Assignment* a, LinkError* error) {
  Link link;
  if (!ParseLink(text, &link, error)) return false;
  if (link.lab != "course")
    return *error = {"lab", "this is a link to the " + link.lab + " lab, not an assignment"}, false;
  return DecodeAssignment(link, a, error);
}

std::string AssignmentToJson(const Assignment& a) {
  JsonWriter j;
  j.BeginObject().Key("lab").String("course").Key("version").Int(kLinkVersion);
  j.Key("link").String(EncodeAssignment(a));
  j.Key("state").BeginObject();
  j.Key("exercises").BeginArray();
  for (int n : a.exercises) j.Int(n);
  j.EndArray();
  j.Key("student").String(a.student).Key("seed").Int(a.seed).EndObject();
  j.Key("result").BeginObject().Key("exercises").BeginArray();
  for (int n : a.exercises) {
    ExerciseSetup setup;
    std::string why;
    if (!MakeExercise(n, ExerciseSeed(a.seed, n), &setup, &why)) continue;
    const ExerciseWork* w = FindWork(a, n);
    const CheckEntries none;
    const CheckEntries& entries = w ? w->entries : none;
    const ExerciseReport rep = GradeExercise(setup, entries);
    j.BeginObject().Key("number").Int(n).Key("seed").Int(setup.seed);
    j.Key("lab_link").String(ExerciseLabLink(setup, entries));
    j.Key("progress").String(ProgressName(ExerciseProgress(rep)));
    j.Key("steps").BeginArray();
    for (size_t s = 0; s < setup.steps.size(); ++s) {
      const CheckStep& step = setup.steps[s];
      j.BeginObject().Key("id").String(step.id).Key("label").String(ToAscii(step.label));
      j.Key("values").BeginArray();
      for (double v : step.values) {
        if (std::fabs(v) < 1e15 && v == std::trunc(v)) {
          j.Int(static_cast<long long>(v));
        } else {
          j.Number(static_cast<float>(v));
        }
      }
      j.EndArray().Key("entered").BeginArray();
      const std::vector<std::string>* typed = nullptr;
      for (const auto& e : entries)
        if (e.first == step.id) typed = &e.second;
      for (size_t v = 0; v < step.values.size(); ++v) {
        if (typed && v < typed->size() && !(*typed)[v].empty()) {
          j.String((*typed)[v]);
        } else {
          j.Null();
        }
      }
      j.EndArray().Key("verdicts").BeginArray();
      for (Verdict v : rep.verdicts[s]) j.String(VerdictName(v));
      j.EndArray();
      int hint = 0;
      if (w)
        for (const auto& h : w->hints)
          if (h.first == step.id) hint = h.second;
      j.Key("hint").Int(hint).EndObject();
    }
    j.EndArray();
    j.Key("root_cause");
    if (rep.root_step >= 0) {
      j.BeginObject().Key("step").String(setup.steps[static_cast<size_t>(rep.root_step)].id);
      j.Key("value").Int(rep.root_value + 1).Key("explanation").String(ToAscii(rep.explanation));
      j.EndObject();
    } else {
      j.Null();
    }
    j.Key("right").Int(rep.right).Key("carried").Int(rep.carried).Key("wrong").Int(rep.wrong);
    j.EndObject();
  }
  j.EndArray().EndObject().EndObject();
  return j.str();
}

}  // namespace nnplay
