// mlp_lab.cpp: the Neuron & MLP lab's model, arithmetic traces, check steps and share-link
// fields. See mlp_lab.h.
//
// [SECTION] names and numbers
// [SECTION] evaluation (forward, loss, backward)
// [SECTION] traces
// [SECTION] fills and structure edits
// [SECTION] check my work
// [SECTION] share link
// [SECTION] JSON
#include "labs/mlp_lab.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string_view>

#include "json.h"
#include "labs/lab_text.h"
#include "labs/notation.h"
#include "link/number.h"
#include "ops/activations.h"
#include "ops/dense.h"
#include "ops/loss.h"
#include "ops/rng.h"
#include "ops/softmax.h"

namespace nnplay {

// ---- [SECTION] names and numbers ------------------------------------------------------------

namespace {

constexpr const char* kActivationNames[kMlpActivationCount] = {"linear",  "relu", "leaky_relu",
                                                               "sigmoid", "tanh", "softmax"};

std::string I1(int i) {
  return std::to_string(i + 1);
}  // a 0-based index, shown 1-based

// "z₂[3]" for layer 1 (0-based), unit 2 (0-based).
std::string Name(std::string_view what, int layer, int unit) {
  return std::string(what) + Sub(I1(layer)) + "[" + I1(unit) + "]";
}

// ∂L/∂a, ∂L/∂z, ∂L/∂W: what Name() takes for a gradient.
const std::string kDa = Partial("L", "a"), kDz = Partial("L", "z"), kDw = Partial("L", "W");
const std::string kX = std::string(" ") + kTimes + " ", kM = std::string(" ") + kMinus + " ";

// The input of layer `layer` as written in traces: "x[2]" or "a₁[2]".
std::string InputName(int layer, int i) {
  return layer == 0 ? "x[" + I1(i) + "]" : Name("a", layer - 1, i);
}

const float* LayerInput(const MlpLabState& s, const MlpLabResult& r, int layer) {
  return layer == 0 ? s.x.data() : r.layers[static_cast<size_t>(layer - 1)].a.data();
}

// Gives `t` the shape (reallocating only when it differs) and zeroes it.
void Ensure(Tensor* t, std::vector<int> shape) {
  if (t->shape() != shape) {
    *t = Tensor(std::move(shape));
  } else {
    std::fill(t->values().begin(), t->values().end(), 0.0f);
  }
}

// Resizes (keeping the values that still fit, new ones 0); here, not in Tensor, so the lab
// does not depend on a particular resize API.
void Resize1d(Tensor* t, int n) {
  Tensor out({n});
  for (int i = 0; i < n && static_cast<size_t>(i) < t->size(); ++i)
    out[static_cast<size_t>(i)] = (*t)[static_cast<size_t>(i)];
  *t = std::move(out);
}

void Resize2d(Tensor* t, int h, int w) {
  Tensor out({h, w});
  for (int y = 0; y < h && y < t->dim(0); ++y)
    for (int x = 0; x < w && x < t->dim(1); ++x) out.at(y, x) = t->at(y, x);
  *t = std::move(out);
}

}  // namespace

const char* MlpActivationName(MlpActivation a) {
  return kActivationNames[static_cast<int>(a)];
}

bool ParseMlpActivation(const std::string& name, MlpActivation* a) {
  for (int i = 0; i < kMlpActivationCount; ++i) {
    if (name == kActivationNames[i]) {
      *a = static_cast<MlpActivation>(i);
      return true;
    }
  }
  return false;
}

std::string MlpNumber(float v, bool paren) {
  return paren ? NumParen(v) : Num(v);
}

// ---- [SECTION] evaluation -------------------------------------------------------------------

namespace {

void Activate(MlpActivation act, const Tensor& z, Tensor* a) {
  const size_t n = z.size();
  switch (act) {
    case MlpActivation::kLinear:
      std::copy(z.values().begin(), z.values().end(), a->data());
      break;
    case MlpActivation::kRelu:
      relu_forward_ref<float>(z.data(), a->data(), n);
      break;
    case MlpActivation::kLeakyRelu:
      leaky_relu_forward_ref<float>(z.data(), a->data(), n, kLeakySlope);
      break;
    case MlpActivation::kSigmoid:
      sigmoid_forward_ref<float>(z.data(), a->data(), n);
      break;
    case MlpActivation::kTanh:
      tanh_forward_ref<float>(z.data(), a->data(), n);
      break;
    case MlpActivation::kSoftmax:
      softmax_forward<float>(1, static_cast<int>(n), z.data(), a->data());
      break;
  }
}

// dz += g'(z) * da (for softmax, the Jacobian-vector product).
void ActivateBackward(MlpActivation act, const Tensor& z, const Tensor& a, const Tensor& da,
                      Tensor* dz) {
  const size_t n = z.size();
  switch (act) {
    case MlpActivation::kLinear:
      for (size_t i = 0; i < n; ++i) (*dz)[i] += da[i];
      break;
    case MlpActivation::kRelu:
      relu_backward_ref<float>(z.data(), da.data(), dz->data(), n);
      break;
    case MlpActivation::kLeakyRelu:
      leaky_relu_backward_ref<float>(z.data(), da.data(), dz->data(), n, kLeakySlope);
      break;
    case MlpActivation::kSigmoid:
      sigmoid_backward_ref<float>(a.data(), da.data(), dz->data(), n);
      break;
    case MlpActivation::kTanh:
      tanh_backward_ref<float>(a.data(), da.data(), dz->data(), n);
      break;
    case MlpActivation::kSoftmax:
      softmax_backward<float>(1, static_cast<int>(n), a.data(), da.data(), dz->data());
      break;
  }
}

bool AllEqual(const float* v, size_t n) {
  for (size_t i = 1; i < n; ++i)
    if (v[i] != v[0]) return false;
  return true;
}

void AddNotes(const MlpLabState& s, MlpLabResult* r) {
  const int L = static_cast<int>(s.layers.size());
  for (int l = 0; l < L; ++l) {
    const MlpLayer& layer = s.layers[static_cast<size_t>(l)];
    const MlpLayerResult& lr = r->layers[static_cast<size_t>(l)];
    const std::string name = "Layer " + I1(l);
    if (layer.activation == MlpActivation::kSoftmax && layer.units() == 1) {
      const float z = lr.z[0];
      float sig = 0;
      sigmoid_forward_ref<float>(&z, &sig, 1);
      r->notes.push_back(name + ": softmax over a single logit is always 1: exp(z)/exp(z) = 1, " +
                         "whatever z (here z = " + MlpNumber(z) + "). A 1-unit output that " +
                         "should be a probability wants a sigmoid: sigmoid(" + MlpNumber(z) +
                         ") = 1/(1 + exp(" + MlpNumber(-z) + ")) = " + MlpNumber(sig) + ".");
    }
    if (layer.units() >= 2) {
      bool same = AllEqual(layer.b.data(), layer.b.size());
      const size_t in = static_cast<size_t>(layer.inputs());
      for (int u = 1; u < layer.units() && same; ++u)
        same = std::equal(layer.w.data(), layer.w.data() + in, layer.w.data() + u * in);
      if (same)
        r->notes.push_back(name + ": all " + std::to_string(layer.units()) +
                           " units have the same weights" + (layer.has_bias ? " and bias" : "") +
                           ", so they compute the same value whatever the input (symmetry); " +
                           "they also get the same gradient, so training keeps them identical. " +
                           "Random initial weights (Xavier, He) break the symmetry.");
    }
    if ((layer.activation == MlpActivation::kRelu) &&
        std::all_of(lr.a.values().begin(), lr.a.values().end(), [](float v) { return v == 0; }))
      r->notes.push_back(name + ": every ReLU unit is 0 (z <= 0), a dead layer: the layers after " +
                         "it see only zeros, so the output no longer depends on the input, and " +
                         "no gradient flows back through it (relu'(z) = 0).");
  }
  const MlpLayer& last = s.layers.back();
  const std::string zl = "z" + Sub(L);
  if (last.activation != MlpActivation::kSoftmax)
    r->notes.push_back("The last layer is " + std::string(MlpActivationName(last.activation)) +
                       ", not softmax: the loss is cross-entropy on p = softmax(" + zl + ").");
  if (last.units() == 1)
    r->notes.push_back("With one output unit, softmax(" + zl + ") = [1] and the cross-entropy " +
                       "loss is 0 for any weights: nothing to learn. Two classes want two " +
                       "softmax units, or one sigmoid unit with binary cross-entropy.");
  else if (AllEqual(r->probs.data(), r->probs.size()))
    r->notes.push_back("The output is uniform (1/" + std::to_string(last.units()) +
                       " each): for this input the network cannot tell the classes apart.");
}

}  // namespace

MlpLabResult EvaluateMlpLab(const MlpLabState& state) {
  MlpLabResult r;
  EvaluateMlpLab(state, &r);
  return r;
}

namespace {

// The evaluation, with the learner's values (check my work) put in place of the lab's own
// as each is computed, when `given` is not null: z, a, p, the loss and dz as named by the
// check steps.
void EvaluateMlp(const MlpLabState& s, const CheckGiven* given, MlpLabResult* out) {
  MlpLabResult& r = *out;
  const int L = static_cast<int>(s.layers.size());
  r.layers.resize(s.layers.size());
  r.notes.clear();
  r.parameters = 0;
  // Forward: z = W a + b (dense_forward_ref: the terms in input order, the bias last).
  for (int l = 0; l < L; ++l) {
    const MlpLayer& layer = s.layers[static_cast<size_t>(l)];
    MlpLayerResult& lr = r.layers[static_cast<size_t>(l)];
    const int u = layer.units(), in = layer.inputs();
    Ensure(&lr.z, {u});
    Ensure(&lr.a, {u});
    dense_forward_ref<float>(1, in, u, LayerInput(s, r, l), layer.w.data(),
                             layer.has_bias ? layer.b.data() : nullptr, lr.z.data());
    if (given) given->Apply("z" + I1(l), lr.z.data(), lr.z.size());
    Activate(layer.activation, lr.z, &lr.a);
    if (given) given->Apply("a" + I1(l), lr.a.data(), lr.a.size());
    lr.weights = u * in;
    lr.biases = layer.has_bias ? u : 0;
    r.parameters += lr.weights + lr.biases;
  }
  // Loss: cross-entropy on softmax of the last z (the output itself when it is softmax).
  const MlpLayer& last = s.layers.back();
  MlpLayerResult& lr_last = r.layers.back();
  const int classes = last.units();
  const int target = std::clamp(s.target, 1, classes) - 1;
  Ensure(&r.probs, {classes});
  r.loss =
      softmax_cross_entropy_forward<float>(1, classes, lr_last.z.data(), &target, r.probs.data());
  if (given) {
    // The learner's p (the last a when the output is softmax), then the loss on it.
    const std::vector<float> before(r.probs.values().begin(), r.probs.values().end());
    given->Apply(last.activation == MlpActivation::kSoftmax ? "a" + I1(L - 1) : "p", r.probs.data(),
                 r.probs.size());
    if (!std::equal(before.begin(), before.end(), r.probs.values().begin()))
      r.loss = -std::log(r.probs[static_cast<size_t>(target)]);
    given->Apply("loss", &r.loss, 1);
  }
  // Backward: dL/dzL = p - y, then dense and activation backward layer by layer.
  for (int l = 0; l < L; ++l) {
    const MlpLayer& layer = s.layers[static_cast<size_t>(l)];
    MlpLayerResult& lr = r.layers[static_cast<size_t>(l)];
    Ensure(&lr.dz, {layer.units()});
    Ensure(&lr.dw, {layer.units(), layer.inputs()});
    if (layer.has_bias) {
      Ensure(&lr.db, {layer.units()});
    } else {
      lr.db = Tensor();
    }
    if (l + 1 < L || layer.activation == MlpActivation::kSoftmax) {
      Ensure(&lr.da, {layer.units()});
    } else {
      lr.da = Tensor();  // the loss is taken on softmax(zL), not on aL
    }
  }
  Ensure(&r.dx, {static_cast<int>(s.x.size())});
  softmax_cross_entropy_backward<float>(1, classes, r.probs.data(), &target, 1.0f,
                                        lr_last.dz.data());
  if (!lr_last.da.empty()) lr_last.da[static_cast<size_t>(target)] = -1.0f / lr_last.a[target];
  for (int l = L - 1; l >= 0; --l) {
    const MlpLayer& layer = s.layers[static_cast<size_t>(l)];
    MlpLayerResult& lr = r.layers[static_cast<size_t>(l)];
    if (l + 1 < L) ActivateBackward(layer.activation, lr.z, lr.a, lr.da, &lr.dz);
    if (given) given->Apply("dz" + I1(l), lr.dz.data(), lr.dz.size());
    float* dprev = l == 0 ? r.dx.data() : r.layers[static_cast<size_t>(l - 1)].da.data();
    dense_backward_ref<float>(1, layer.inputs(), layer.units(), LayerInput(s, r, l), layer.w.data(),
                              lr.dz.data(), dprev, lr.dw.data(),
                              layer.has_bias ? lr.db.data() : nullptr);
  }
  AddNotes(s, &r);
}

}  // namespace

void EvaluateMlpLab(const MlpLabState& s, MlpLabResult* out) {
  EvaluateMlp(s, nullptr, out);
}

// ---- [SECTION] traces -----------------------------------------------------------------------

namespace {

// "0.4×0.15 + (−0.1)×0 + 0.1" (no "= value").
std::string ZTerms(const MlpLabState& s, const MlpLabResult& r, int layer, int unit) {
  const MlpLayer& ly = s.layers[static_cast<size_t>(layer)];
  const float* in = LayerInput(s, r, layer);
  std::string t;
  for (int i = 0; i < ly.inputs(); ++i) {
    if (i) t += " + ";
    t += MlpNumber(ly.w.at(unit, i), true) + kTimes + MlpNumber(in[i], true);
  }
  if (ly.has_bias) t += " + " + MlpNumber(ly.b[static_cast<size_t>(unit)], true);
  return t;
}

std::string ATerms(const MlpLabState& s, const MlpLabResult& r, int layer, int unit) {
  const MlpLayerResult& lr = r.layers[static_cast<size_t>(layer)];
  const float z = lr.z[static_cast<size_t>(unit)];
  switch (s.layers[static_cast<size_t>(layer)].activation) {
    case MlpActivation::kLinear:
      return MlpNumber(z);
    case MlpActivation::kRelu:
      return "relu(" + MlpNumber(z) + ") = max(0, " + MlpNumber(z) + ")";
    case MlpActivation::kLeakyRelu:
      return z < 0 ? "leaky_relu(" + MlpNumber(z) + ") = 0.01" + kTimes + MlpNumber(z, true)
                   : "leaky_relu(" + MlpNumber(z) + ")";
    case MlpActivation::kSigmoid:
      return "sigmoid(" + MlpNumber(z) + ") = 1/(1 + exp(" + MlpNumber(-z) + "))";
    case MlpActivation::kTanh:
      return "tanh(" + MlpNumber(z) + ")";
    case MlpActivation::kSoftmax: {
      std::string den;
      for (size_t i = 0; i < lr.z.size(); ++i)
        den += (i ? " + exp(" : "exp(") + MlpNumber(lr.z[i]) + ")";
      return "exp(" + MlpNumber(z) + ")/(" + den + ")";
    }
  }
  return "";
}

std::string DzTerms(const MlpLabState& s, const MlpLabResult& r, int layer, int unit) {
  const size_t L = s.layers.size();
  const MlpLayerResult& lr = r.layers[static_cast<size_t>(layer)];
  const size_t u = static_cast<size_t>(unit);
  if (static_cast<size_t>(layer) + 1 == L) {
    const bool is_target = unit + 1 == s.target;
    return "p[" + I1(unit) + "]" + kM + "y[" + I1(unit) + "] = " + MlpNumber(r.probs[u]) + kM +
           (is_target ? "1" : "0");
  }
  const std::string da = MlpNumber(lr.da[u], true);
  const float z = lr.z[u], a = lr.a[u];
  switch (s.layers[static_cast<size_t>(layer)].activation) {
    case MlpActivation::kLinear:
      return Name(kDa, layer, unit) + kX + "1 = " + da + kX + "1";
    case MlpActivation::kRelu:
      return Name(kDa, layer, unit) + kX + "relu" + kPrime + "(" + Name("z", layer, unit) +
             ") = " + da + kX + (z > 0 ? "1" : "0");
    case MlpActivation::kLeakyRelu:
      return Name(kDa, layer, unit) + kX + "leaky_relu" + kPrime + "(" + Name("z", layer, unit) +
             ") = " + da + kX + (z > 0 ? "1" : "0.01");
    case MlpActivation::kSigmoid:
      return Name(kDa, layer, unit) + kX + "a(1" + kM + "a) = " + da + kX + MlpNumber(a) + kTimes +
             "(1" + kM + MlpNumber(a) + ")";
    case MlpActivation::kTanh:
      return Name(kDa, layer, unit) + kX + "(1" + kM + "a" + Sup(2) + ") = " + da + kX + "(1" + kM +
             MlpNumber(a, true) + Sup(2) + ")";
    case MlpActivation::kSoftmax: {
      std::string dot;
      for (size_t j = 0; j < lr.a.size(); ++j)
        dot += (j ? " + " : "") + MlpNumber(lr.da[j], true) + kTimes + MlpNumber(lr.a[j]);
      return "a[" + I1(unit) + "]" + kX + "(" + kDa + "[" + I1(unit) + "]" + kM + kSum + Sub("j") +
             " " + kDa + "[j] a[j]) = " + MlpNumber(a) + kX + "(" + da + kM + "(" + dot + "))";
    }
  }
  return "";
}

std::string DaTerms(const MlpLabState& s, const MlpLabResult& r, int layer, int unit) {
  const size_t L = s.layers.size();
  const size_t u = static_cast<size_t>(unit);
  if (static_cast<size_t>(layer) + 1 == L) {
    if (unit + 1 != s.target)
      return "0 (L = " + std::string(kMinus) + "log a[t] does not depend on a[" + I1(unit) + "])";
    return kMinus + ("1/" + Name("a", layer, unit)) + " = " + kMinus + "1/" +
           MlpNumber(r.layers[static_cast<size_t>(layer)].a[u]);
  }
  const MlpLayer& next = s.layers[static_cast<size_t>(layer + 1)];
  const MlpLayerResult& nr = r.layers[static_cast<size_t>(layer + 1)];
  std::string names, nums;
  for (int o = 0; o < next.units(); ++o) {
    const std::string w = "W" + Sub(I1(layer + 1)) + "[" + I1(o) + "][" + I1(unit) + "]";
    names += (o ? " + " : "") + w + kX + Name(kDz, layer + 1, o);
    nums += (o ? " + " : "") + MlpNumber(next.w.at(o, unit), true) + kTimes +
            MlpNumber(nr.dz[static_cast<size_t>(o)], true);
  }
  return names + " = " + nums;
}

}  // namespace

std::string TraceMlpZ(const MlpLabState& s, const MlpLabResult& r, int layer, int unit) {
  const float z = r.layers[static_cast<size_t>(layer)].z[static_cast<size_t>(unit)];
  std::string t = Name("z", layer, unit) + " = " + ZTerms(s, r, layer, unit) + Eq(z);
  // Terms that cancel (E2 with x4 = 2.0) leave float rounding, not a real value: say so.
  const MlpLayer& ly = s.layers[static_cast<size_t>(layer)];
  const float* in = LayerInput(s, r, layer);
  double scale = ly.has_bias ? std::fabs(ly.b[static_cast<size_t>(unit)]) : 0.0;
  for (int i = 0; i < ly.inputs(); ++i) scale += std::fabs(double{ly.w.at(unit, i)} * in[i]);
  if (z != 0 && std::fabs(z) < 1e-6 * scale) t += " (0 up to float rounding)";
  return t;
}

std::string TraceMlpA(const MlpLabState& s, const MlpLabResult& r, int layer, int unit) {
  return Name("a", layer, unit) + " = " + ATerms(s, r, layer, unit) +
         Eq(r.layers[static_cast<size_t>(layer)].a[static_cast<size_t>(unit)]);
}

std::string TraceMlpDz(const MlpLabState& s, const MlpLabResult& r, int layer, int unit) {
  return Name(kDz, layer, unit) + " = " + DzTerms(s, r, layer, unit) +
         Eq(r.layers[static_cast<size_t>(layer)].dz[static_cast<size_t>(unit)]);
}

std::string TraceMlpDa(const MlpLabState& s, const MlpLabResult& r, int layer, int unit) {
  const MlpLayerResult& lr = r.layers[static_cast<size_t>(layer)];
  if (lr.da.empty())
    return Name(kDa, layer, unit) + ": the loss is taken on softmax(z" + Sub(I1(layer)) +
           "), not on a" + Sub(I1(layer));
  return Name(kDa, layer, unit) + " = " + DaTerms(s, r, layer, unit) +
         Eq(lr.da[static_cast<size_t>(unit)]);
}

std::string TraceMlpDw(const MlpLabState& s, const MlpLabResult& r, int layer, int unit,
                       int input) {
  const MlpLayerResult& lr = r.layers[static_cast<size_t>(layer)];
  const float dz = lr.dz[static_cast<size_t>(unit)];
  const float in = LayerInput(s, r, layer)[input];
  return kDw + Sub(I1(layer)) + "[" + I1(unit) + "][" + I1(input) +
         "] = " + Name(kDz, layer, unit) + kX + InputName(layer, input) + " = " + MlpNumber(dz) +
         kX + MlpNumber(in, true) + Eq(lr.dw.at(unit, input));
}

std::string TraceMlpLoss(const MlpLabState& s, const MlpLabResult& r) {
  const int t = std::clamp(s.target, 1, static_cast<int>(r.probs.size()));
  return "L = " + std::string(kMinus) + "log(p[" + std::to_string(t) + "]) = " + kMinus + "log(" +
         MlpNumber(r.probs[static_cast<size_t>(t - 1)]) + ")" + Eq(r.loss);
}

// ---- [SECTION] fills and structure edits ----------------------------------------------------

void FillMlpWeights(MlpLabState* s, int layer, MlpFill fill, float a, float b, uint32_t seed) {
  MlpLayer& ly = s->layers[static_cast<size_t>(layer)];
  const float in = static_cast<float>(ly.inputs()), out = static_cast<float>(ly.units());
  float lo = a, hi = b;
  if (fill == MlpFill::kXavier) hi = std::sqrt(6.0f / (in + out)), lo = -hi;
  if (fill == MlpFill::kHe) hi = std::sqrt(6.0f / in), lo = -hi;
  Pcg32 rng(seed);
  for (float& w : ly.w.values()) {
    if (fill == MlpFill::kConstant) {
      w = a;
    } else {
      const float v = lo + (hi - lo) * rng.NextFloat01();
      w = std::round(v * 100.0f) / 100.0f;
      if (w == 0) w = 0;  // no -0 in the link
    }
  }
}

void FillMlpBiases(MlpLabState* s, int layer, float value) {
  MlpLayer& ly = s->layers[static_cast<size_t>(layer)];
  std::fill(ly.b.values().begin(), ly.b.values().end(), ly.has_bias ? value : 0.0f);
}

void SetMlpInputSize(MlpLabState* s, int n) {
  n = std::clamp(n, MlpLabLimits::kMinUnits, MlpLabLimits::kMaxUnits);
  Resize1d(&s->x, n);
  Resize2d(&s->layers[0].w, s->layers[0].units(), n);
}

void SetMlpUnits(MlpLabState* s, int layer, int units) {
  units = std::clamp(units, MlpLabLimits::kMinUnits, MlpLabLimits::kMaxUnits);
  MlpLayer& ly = s->layers[static_cast<size_t>(layer)];
  Resize2d(&ly.w, units, ly.inputs());
  Resize1d(&ly.b, units);
  if (static_cast<size_t>(layer) + 1 < s->layers.size()) {
    MlpLayer& next = s->layers[static_cast<size_t>(layer) + 1];
    Resize2d(&next.w, next.units(), units);
  }
  s->target = std::clamp(s->target, 1, s->layers.back().units());
}

void AddMlpLayer(MlpLabState* s) {
  if (static_cast<int>(s->layers.size()) >= MlpLabLimits::kMaxLayers) return;
  MlpLayer& prev = s->layers.back();
  MlpLayer ly;
  ly.activation = MlpActivation::kSoftmax;
  if (prev.activation == MlpActivation::kSoftmax) prev.activation = MlpActivation::kRelu;
  ly.w = Tensor({2, prev.units()});
  ly.b = Tensor({2});
  s->layers.push_back(std::move(ly));
  const int l = static_cast<int>(s->layers.size()) - 1;
  FillMlpWeights(s, l, MlpFill::kXavier, 0, 0, static_cast<uint32_t>(l + 1));
  s->target = std::clamp(s->target, 1, 2);
}

void RemoveMlpLayer(MlpLabState* s) {
  if (s->layers.size() <= 1) return;
  s->layers.pop_back();
  s->target = std::clamp(s->target, 1, s->layers.back().units());
}

void SetMlpBias(MlpLabState* s, int layer, bool has_bias) {
  MlpLayer& ly = s->layers[static_cast<size_t>(layer)];
  ly.has_bias = has_bias;
  std::fill(ly.b.values().begin(), ly.b.values().end(), 0.0f);
}

MlpLabState MakeMlp(const std::vector<int>& sizes) {
  MlpLabState s;
  s.x = Tensor({sizes[0]});
  for (size_t l = 1; l < sizes.size(); ++l) {
    MlpLayer ly;
    ly.activation = l + 1 == sizes.size() ? MlpActivation::kSoftmax : MlpActivation::kRelu;
    ly.w = Tensor({sizes[l], sizes[l - 1]});
    ly.b = Tensor({sizes[l]});
    s.layers.push_back(std::move(ly));
  }
  return s;
}

// ---- [SECTION] check my work ----------------------------------------------------------------

namespace {

struct StepShape {
  std::string id;
  size_t size;
};

std::vector<StepShape> StepShapes(const MlpLabState& s) {
  std::vector<StepShape> out;
  const size_t L = s.layers.size();
  for (size_t l = 0; l < L; ++l) {
    const size_t u = static_cast<size_t>(s.layers[l].units());
    out.push_back({"z" + std::to_string(l + 1), u});
    out.push_back({"a" + std::to_string(l + 1), u});
  }
  if (s.layers.back().activation != MlpActivation::kSoftmax)
    out.push_back({"p", static_cast<size_t>(s.layers.back().units())});
  if (s.mode == MlpMode::kBackward) {
    out.push_back({"loss", 1});
    for (size_t l = L; l-- > 0;)
      out.push_back({"dz" + std::to_string(l + 1), static_cast<size_t>(s.layers[l].units())});
  }
  return out;
}

// The entries in step order, for existing steps only, each sized to its step.
CheckEntries NormalizedEntries(const MlpLabState& s) {
  CheckEntries out;
  for (const StepShape& step : StepShapes(s)) {
    for (const auto& e : s.check) {
      if (e.first != step.id) continue;
      std::vector<std::string> v = e.second;
      v.resize(step.size);
      if (std::any_of(v.begin(), v.end(), [](const std::string& t) { return !t.empty(); }))
        out.emplace_back(step.id, std::move(v));
    }
  }
  return out;
}

}  // namespace

namespace {
std::vector<double> Doubles(const Tensor& t) {
  return {t.values().begin(), t.values().end()};
}
}  // namespace

std::vector<CheckStep> MlpCheckSteps(const MlpLabState& s, const MlpLabResult& r) {
  std::vector<CheckStep> steps;
  const int L = static_cast<int>(s.layers.size());
  for (int l = 0; l < L; ++l) {
    const MlpLayer& ly = s.layers[static_cast<size_t>(l)];
    const MlpLayerResult& lr = r.layers[static_cast<size_t>(l)];
    const std::string n = I1(l);
    const std::string sn = Sub(n);
    CheckStep z{
        "z" + n,
        "z" + sn + " = W" + sn + (l == 0 ? " x" : " a" + Sub(l)) + (ly.has_bias ? " + b" + sn : ""),
        Doubles(lr.z),
        {}};
    CheckStep a{"a" + n,
                "a" + sn + " = " + MlpActivationName(ly.activation) + "(z" + sn + ")",
                Doubles(lr.a),
                {}};
    for (int u = 0; u < ly.units(); ++u) {
      z.arithmetic.push_back(ZTerms(s, r, l, u));
      a.arithmetic.push_back(ATerms(s, r, l, u));
    }
    steps.push_back(std::move(z));
    steps.push_back(std::move(a));
  }
  const std::string zl = "z" + Sub(L);
  if (s.layers.back().activation != MlpActivation::kSoftmax) {
    CheckStep p{"p", "p = softmax(" + zl + ")", Doubles(r.probs), {}};
    const MlpLayerResult& last = r.layers.back();
    for (size_t i = 0; i < last.z.size(); ++i) {
      std::string den;
      for (size_t j = 0; j < last.z.size(); ++j)
        den += (j ? " + exp(" : "exp(") + MlpNumber(last.z[j]) + ")";
      p.arithmetic.push_back("exp(" + MlpNumber(last.z[i]) + ")/(" + den + ")");
    }
    steps.push_back(std::move(p));
  }
  if (s.mode == MlpMode::kBackward) {
    const std::string loss = TraceMlpLoss(s, r);
    steps.push_back(
        {"loss", "loss = " + std::string(kMinus) + "log p[target]", {r.loss}, {loss.substr(4)}});
    for (int l = L - 1; l >= 0; --l) {
      const MlpLayerResult& lr = r.layers[static_cast<size_t>(l)];
      CheckStep d{"dz" + I1(l), kDz + Sub(I1(l)), Doubles(lr.dz), {}};
      for (size_t u = 0; u < lr.dz.size(); ++u)
        d.arithmetic.push_back(DzTerms(s, r, l, static_cast<int>(u)));
      steps.push_back(std::move(d));
    }
  }
  return steps;
}

CheckRecompute MlpCheckRecompute(const MlpLabState& s) {
  return [s](const CheckGiven& given) {
    MlpLabResult r;
    EvaluateMlp(s, &given, &r);
    return MlpCheckSteps(s, r);
  };
}

void NormalizeMlpCheck(MlpLabState* s) {
  s->check = NormalizedEntries(*s);
}

// ---- [SECTION] share link -------------------------------------------------------------------

std::string EncodeMlpLab(const MlpLabState& s) {
  Link link;
  link.lab = "mlp";
  link.fields.emplace_back("x", FormatTensorText(s.x));
  for (size_t l = 0; l < s.layers.size(); ++l) {
    const std::string n = std::to_string(l + 1);
    const MlpLayer& ly = s.layers[l];
    link.fields.emplace_back("l" + n, MlpActivationName(ly.activation));
    link.fields.emplace_back("w" + n, FormatTensorText(ly.w));
    if (ly.has_bias) link.fields.emplace_back("b" + n, FormatTensorText(ly.b));
  }
  link.fields.emplace_back("target", std::to_string(s.target));
  link.fields.emplace_back("mode", s.mode == MlpMode::kBackward ? "bwd" : "fwd");
  link.fields.emplace_back("check", EncodeCheckEntries(NormalizedEntries(s)));
  return link.ToString();
}

bool DecodeMlpLab(const Link& link, MlpLabState* state, LinkError* error) {
  static const std::vector<std::string> kNames = [] {
    std::vector<std::string> v = {"x", "target", "mode", "check"};
    for (int l = 1; l <= MlpLabLimits::kMaxLayers; ++l)
      for (const char* p : {"l", "w", "b"}) v.push_back(p + std::to_string(l));
    return v;
  }();
  const std::vector<std::string_view> allowed(kNames.begin(), kNames.end());
  if (!CheckFieldNames(link, allowed, error)) return false;

  MlpLabState s;
  std::string why;
  const std::string* x = link.Find("x");
  if (!x) return *error = {"x", "the input vector is missing (e.g. x=2:0.5,-1)"}, false;
  const TensorLimits vec{1, 1, MlpLabLimits::kMinUnits, MlpLabLimits::kMaxUnits};
  if (!ParseTensorText(*x, vec, &s.x, &why)) return *error = {"x", why}, false;

  int count = 0;
  while (count < MlpLabLimits::kMaxLayers && link.Find("l" + std::to_string(count + 1))) ++count;
  if (count == 0)
    return *error = {"l1",
                     "at least one layer is needed (l1=<activation>&w1=<units>x<inputs>:...)"},
           false;
  for (int l = count + 1; l <= MlpLabLimits::kMaxLayers; ++l) {
    const std::string n = std::to_string(l);
    for (const char* p : {"l", "w", "b"}) {
      if (link.Find(p + n))
        return *error = {p + n, "there is no layer " + n + ": layer " + std::to_string(count + 1) +
                                    " (l" + std::to_string(count + 1) + ") is missing"},
               false;
    }
  }
  const TensorLimits mat{2, 2, MlpLabLimits::kMinUnits, MlpLabLimits::kMaxUnits};
  int inputs = static_cast<int>(s.x.size());
  for (int l = 1; l <= count; ++l) {
    const std::string n = std::to_string(l);
    MlpLayer ly;
    const std::string& act = *link.Find("l" + n);
    if (!ParseMlpActivation(act, &ly.activation))
      return *error = {"l" + n,
                       "unknown activation '" + act.substr(0, 24) +
                           "'; expected linear, relu, leaky_relu, sigmoid, tanh or softmax"},
             false;
    const std::string* w = link.Find("w" + n);
    if (!w)
      return *error = {"w" + n, "layer " + n + " has no weights (w" + n + "=<units>x" +
                                    std::to_string(inputs) + ":...)"},
             false;
    if (!ParseTensorText(*w, mat, &ly.w, &why)) return *error = {"w" + n, why}, false;
    if (ly.inputs() != inputs)
      return *error = {"w" + n, "W" + n + " needs " + std::to_string(inputs) +
                                    " columns, one per " +
                                    (l == 1 ? std::string("input")
                                            : "unit of layer " + std::to_string(l - 1)) +
                                    "; got " + std::to_string(ly.inputs())},
             false;
    ly.b = Tensor({ly.units()});
    if (const std::string* b = link.Find("b" + n)) {
      ly.has_bias = true;
      if (!ParseTensorText(*b, vec, &ly.b, &why)) return *error = {"b" + n, why}, false;
      if (ly.b.dim(0) != ly.units())
        return *error = {"b" + n, "b" + n + " needs " + std::to_string(ly.units()) +
                                      " values, one per unit; got " + std::to_string(ly.b.dim(0))},
               false;
    }
    inputs = ly.units();
    s.layers.push_back(std::move(ly));
  }
  if (const std::string* t = link.Find("target")) {
    if (!ParseInt(*t, 1, inputs, &s.target, &why))
      return *error = {"target", "the target class is 1.." + std::to_string(inputs) + ": " + why},
             false;
  }
  if (const std::string* m = link.Find("mode")) {
    if (*m == "fwd") {
      s.mode = MlpMode::kForward;
    } else if (*m == "bwd") {
      s.mode = MlpMode::kBackward;
    } else {
      return *error = {"mode", "expected fwd or bwd"}, false;
    }
  }
  if (const std::string* c = link.Find("check")) {
    const MlpLabResult r = EvaluateMlpLab(s);
    if (!DecodeCheckEntries(*c, MlpCheckSteps(s, r), &s.check, &why))
      return *error = {"check", why}, false;
  }
  if (!CheckWrittenLength(link, EncodeMlpLab(s), error)) return false;
  *state = std::move(s);
  return true;
}

// ---- [SECTION] JSON -------------------------------------------------------------------------

std::string MlpLabToJson(const MlpLabState& s, const MlpLabResult& r) {
  JsonWriter j;
  j.BeginObject().Key("lab").String("mlp").Key("version").Int(kLinkVersion);
  j.Key("link").String(EncodeMlpLab(s));
  j.Key("state").BeginObject();
  j.Key("x").TensorValue(s.x);
  j.Key("layers").BeginArray();
  for (const MlpLayer& ly : s.layers) {
    j.BeginObject().Key("units").Int(ly.units()).Key("inputs").Int(ly.inputs());
    j.Key("activation").String(MlpActivationName(ly.activation));
    j.Key("has_bias").Bool(ly.has_bias).Key("w").TensorValue(ly.w).Key("b").TensorValue(ly.b);
    j.EndObject();
  }
  j.EndArray();
  j.Key("target").Int(s.target).Key("mode").String(s.mode == MlpMode::kBackward ? "bwd" : "fwd");
  j.Key("check").BeginObject();
  for (const auto& [id, values] : NormalizedEntries(s)) {  // what the link holds
    j.Key(id).BeginArray();
    for (const std::string& v : values) v.empty() ? j.Null() : j.String(v);
    j.EndArray();
  }
  j.EndObject().EndObject();

  j.Key("result").BeginObject();
  j.Key("layers").BeginArray();
  for (size_t l = 0; l < s.layers.size(); ++l) {
    const MlpLayerResult& lr = r.layers[l];
    const int layer = static_cast<int>(l);
    j.BeginObject().Key("z").TensorValue(lr.z).Key("a").TensorValue(lr.a);
    j.Key("weights").Int(lr.weights).Key("biases").Int(lr.biases);
    j.Key("z_traces").BeginArray();
    for (int u = 0; u < s.layers[l].units(); ++u) j.String(TraceMlpZ(s, r, layer, u));
    j.EndArray().Key("a_traces").BeginArray();
    for (int u = 0; u < s.layers[l].units(); ++u) j.String(TraceMlpA(s, r, layer, u));
    j.EndArray();
    j.Key("dz").TensorValue(lr.dz);
    j.Key("da");
    lr.da.empty() ? j.Null() : j.TensorValue(lr.da);
    j.Key("dw").TensorValue(lr.dw).Key("db");
    lr.db.empty() ? j.Null() : j.TensorValue(lr.db);
    j.Key("dz_traces").BeginArray();
    for (int u = 0; u < s.layers[l].units(); ++u) j.String(TraceMlpDz(s, r, layer, u));
    j.EndArray().EndObject();
  }
  j.EndArray();
  j.Key("probs").TensorValue(r.probs).Key("loss").Number(r.loss);
  j.Key("loss_trace").String(TraceMlpLoss(s, r));
  j.Key("dx").TensorValue(r.dx);
  j.Key("parameters").Int(r.parameters);
  j.Key("notes").BeginArray();
  for (const std::string& n : r.notes) j.String(n);
  j.EndArray();
  j.EndObject();
  WriteCheckJson(&j, MlpCheckSteps(s, r), s.check, MlpCheckRecompute(s));
  j.EndObject();
  return ToAscii(j.str());  // the JSON keeps ASCII (labs/notation.h)
}

}  // namespace nnplay
