// flow_lab.cpp: the gradient-flow lab's model and share-link fields. See flow_lab.h.
#include "labs/flow_lab.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "json.h"
#include "labs/lab_text.h"
#include "labs/notation.h"
#include "link/number.h"
#include "ops/activations.h"
#include "ops/dense.h"
#include "ops/residual.h"
#include "ops/rng.h"

namespace nnplay {
namespace {

constexpr double kSlope = FlowLabLimits::kLeakySlope;

// Numbers in traces: Num / NumParen (labs/notation.h).
std::string Paren(double v) {
  return NumParen(v);
}

// y = g(x), elementwise, through the ops' double reference kernels.
void Activate(FlowActivation act, const double* x, double* y, size_t n) {
  switch (act) {
    case FlowActivation::kSigmoid:
      return sigmoid_forward_ref<double>(x, y, n);
    case FlowActivation::kTanh:
      return tanh_forward_ref<double>(x, y, n);
    case FlowActivation::kRelu:
      return relu_forward_ref<double>(x, y, n);
    case FlowActivation::kLeakyRelu:
      return leaky_relu_forward_ref<double>(x, y, n, kSlope);
  }
}

// dx += g'(x) ⊙ dy; x the activation's input, y its output.
void ActivateBackward(FlowActivation act, const double* x, const double* y, const double* dy,
                      double* dx, size_t n) {
  switch (act) {
    case FlowActivation::kSigmoid:
      return sigmoid_backward_ref<double>(y, dy, dx, n);
    case FlowActivation::kTanh:
      return tanh_backward_ref<double>(y, dy, dx, n);
    case FlowActivation::kRelu:
      return relu_backward_ref<double>(x, dy, dx, n);
    case FlowActivation::kLeakyRelu:
      return leaky_relu_backward_ref<double>(x, dy, dx, n, kSlope);
  }
}

double Norm(const double* v, size_t n) {
  double s = 0;
  for (size_t i = 0; i < n; ++i) s += v[i] * v[i];
  return std::sqrt(s);
}

float ToFloat(double v) {
  if (!std::isfinite(v) || std::fabs(v) > std::numeric_limits<float>::max())
    return std::numeric_limits<float>::quiet_NaN();  // JSON null
  return static_cast<float>(v);
}

void CopyToTensor(const std::vector<double>& v, Tensor* t) {
  for (size_t i = 0; i < v.size(); ++i) (*t)[i] = ToFloat(v[i]);
}

FlowBlockTrace TraceBlock(const FlowConfig& c, int layer, const std::vector<double>& x,
                          const std::vector<double>& w, const std::vector<double>& z,
                          const std::vector<double>& a, const std::vector<double>& grad) {
  const size_t n = static_cast<size_t>(c.width);
  const size_t l = static_cast<size_t>(layer);
  FlowBlockTrace t;
  t.layer = layer;
  t.residual = c.residual;
  t.width = c.width;
  const double* zl = &z[(l - 1) * n];
  const double* in = l == 1 ? x.data() : &a[(l - 2) * n];  // a_{l-1}
  const double* dy = &grad[l * n];
  const double* wl = &w[(l - 1) * n * n];
  // g'(z) per unit (the activation's backward with dy = 1), and the F path Wᵀ(g' ⊙ dy).
  std::vector<double> ones(n, 1.0), gprime(n, 0.0), dz(n, 0.0), fpath(n, 0.0);
  std::vector<double> f(n);  // g(z_l) (the skip adds a_{l-1} after it)
  Activate(c.act, zl, f.data(), n);
  ActivateBackward(c.act, zl, f.data(), ones.data(), gprime.data(), n);
  ActivateBackward(c.act, zl, f.data(), dy, dz.data(), n);
  dense_backward_ref<double>(1, c.width, c.width, in, wl, dz.data(), fpath.data(), nullptr,
                             nullptr);
  t.dy0 = dy[0];
  t.gprime0 = gprime[0];
  t.w00 = wl[0];
  t.z0 = zl[0];
  t.dfdx = gprime[0] * wl[0];
  t.fpath0 = fpath[0];
  t.skip0 = c.residual ? dy[0] : 0.0;
  t.dx0 = grad[(l - 1) * n];
  t.dy_norm = Norm(dy, n);
  t.fpath_norm = Norm(fpath.data(), n);
  t.skip_norm = c.residual ? t.dy_norm : 0.0;
  t.dx_norm = Norm(&grad[(l - 1) * n], n);

  const std::string L = std::to_string(layer), prev = std::to_string(layer - 1);
  const std::string tm = kTimes, g1 = Derivative("g", "z"), dfdx = Partial("F", "x"),
                    dldx = Partial("L", "x"), dldy = Partial("L", "y");
  auto dlda = [](const std::string& l) { return Partial("L", "a" + Sub(l)); };
  auto norm = [](const std::string& v) { return kNorm + v + kNorm; };
  if (c.width == 1) {
    // The scalar form, exact: every quantity is a number.
    t.lines.push_back("layer " + L + ": x = a" + Sub(prev) + Eq(in[0]) + ", z = w" + tm + "x = " +
                      Num(t.w00) + tm + Paren(in[0]) + Eq(t.z0) + ", " + g1 + Eq(t.gprime0));
    t.lines.push_back(dfdx + " = " + g1 + tm + "w = " + Num(t.gprime0) + tm + Paren(t.w00) +
                      Eq(t.dfdx));
    if (c.residual) {
      t.lines.push_back(dldx + " = " + dldy + tm + "(" + dfdx + " + 1) = " + Num(t.dy0) + tm + "(" +
                        Num(t.dfdx) + " + 1) = " + Num(t.dy0) + tm + Num(t.dfdx + 1.0) + Eq(t.dx0));
    } else {
      t.lines.push_back(dldx + " = " + dldy + tm + dfdx + " = " + Num(t.dy0) + tm + Paren(t.dfdx) +
                        Eq(t.dx0) + "   (no skip: no +1)");
    }
  } else {
    t.lines.push_back("layer " + L + ", unit 1 of " + std::to_string(c.width) + ": (" + dlda(prev) +
                      ")[1] = (W" + Sub(L) + Sup("T") + " (" + Derivative("g", "z" + Sub(L)) + " " +
                      tm + " " + dlda(L) + "))[1]" +
                      (c.residual ? " + (" + dlda(L) + ")[1]" : std::string()));
    t.lines.push_back(" " + (c.residual ? " = " + Num(t.fpath0) + " + " + Paren(t.skip0) : "") +
                      Eq(t.dx0) + "   (" + g1 + "[1]" + Eq(t.gprime0) + ")");
    t.lines.push_back(
        "norms: " + norm(dlda(L)) + Eq(t.dy_norm) + ", " + norm("F path") + Eq(t.fpath_norm) +
        (c.residual ? ", " + norm("skip") + Eq(t.skip_norm) : std::string()) + ", " +
        norm(dlda(prev)) + Eq(t.dx_norm) +
        (c.residual ? "  (" + std::string(kLe) + " " + Num(t.fpath_norm + t.skip_norm) + ")"
                    : std::string()));
  }
  return t;
}

bool ParseActivation(const std::string& s, FlowActivation* a) {
  for (FlowActivation v : {FlowActivation::kSigmoid, FlowActivation::kTanh, FlowActivation::kRelu,
                           FlowActivation::kLeakyRelu}) {
    if (s == FlowActivationName(v)) return *a = v, true;
  }
  return false;
}

bool ParseInit(const std::string& s, FlowInit* i) {
  for (FlowInit v : {FlowInit::kConstant, FlowInit::kUniform, FlowInit::kXavier, FlowInit::kHe}) {
    if (s == FlowInitName(v)) return *i = v, true;
  }
  return false;
}

void WriteDoubles(JsonWriter* j, const std::vector<double>& v) {
  j->BeginArray();
  for (double d : v) j->Number(ToFloat(d));
  j->EndArray();
}

void WriteLog10(JsonWriter* j, const std::vector<double>& v) {
  j->BeginArray();
  for (double d : v) j->Number(d > 0 ? ToFloat(std::log10(d)) : std::nanf(""));
  j->EndArray();
}

void WriteConfig(JsonWriter* j, const FlowConfig& c) {
  j->BeginObject().Key("depth").Int(c.depth).Key("width").Int(c.width);
  j->Key("act").String(FlowActivationName(c.act)).Key("init").String(FlowInitName(c.init));
  j->Key("w").Number(c.w).Key("seed").Int(c.seed).Key("residual").Bool(c.residual);
  j->EndObject();
}

void WriteRun(JsonWriter* j, const FlowRun& r) {
  j->BeginObject();
  j->Key("input").TensorValue(r.input).Key("weights").TensorValue(r.weights);
  j->Key("z").TensorValue(r.z).Key("a").TensorValue(r.a).Key("grad").TensorValue(r.grad);
  j->Key("loss").Number(ToFloat(r.loss));
  j->Key("grad_norm");
  WriteDoubles(j, r.grad_norm);
  j->Key("log10_grad_norm");
  WriteLog10(j, r.grad_norm);
  j->Key("grad_w_norm");
  WriteDoubles(j, r.grad_w_norm);
  j->Key("ratio_first_last").Number(ToFloat(r.ratio));
  const FlowBlockTrace& t = r.block;
  j->Key("block").BeginObject().Key("layer").Int(t.layer).Key("residual").Bool(t.residual);
  j->Key("dy0").Number(ToFloat(t.dy0)).Key("gprime0").Number(ToFloat(t.gprime0));
  j->Key("w00").Number(ToFloat(t.w00)).Key("dfdx").Number(ToFloat(t.dfdx));
  j->Key("fpath0").Number(ToFloat(t.fpath0)).Key("skip0").Number(ToFloat(t.skip0));
  j->Key("dx0").Number(ToFloat(t.dx0)).Key("dy_norm").Number(ToFloat(t.dy_norm));
  j->Key("fpath_norm").Number(ToFloat(t.fpath_norm)).Key("dx_norm").Number(ToFloat(t.dx_norm));
  j->Key("text").BeginArray();
  for (const std::string& s : t.lines) j->String(s);
  j->EndArray().EndObject();
  j->EndObject();
}

}  // namespace

const char* FlowActivationName(FlowActivation a) {
  switch (a) {
    case FlowActivation::kSigmoid:
      return "sigmoid";
    case FlowActivation::kTanh:
      return "tanh";
    case FlowActivation::kRelu:
      return "relu";
    case FlowActivation::kLeakyRelu:
      return "leaky";
  }
  return "sigmoid";
}

const char* FlowInitName(FlowInit i) {
  switch (i) {
    case FlowInit::kConstant:
      return "const";
    case FlowInit::kUniform:
      return "uniform";
    case FlowInit::kXavier:
      return "xavier";
    case FlowInit::kHe:
      return "he";
  }
  return "const";
}

void EvaluateFlowRun(const FlowConfig& c, int xseed, int block, FlowRun* run) {
  const int L = c.depth, n = c.width;
  const size_t un = static_cast<size_t>(n), uL = static_cast<size_t>(L);
  // Weights, layer by layer, row-major.
  std::vector<double> w(uL * un * un);
  Pcg32 rng(static_cast<uint64_t>(c.seed));
  const double limit = c.init == FlowInit::kXavier ? std::sqrt(6.0 / (n + n))
                       : c.init == FlowInit::kHe   ? std::sqrt(6.0 / n)
                                                   : static_cast<double>(c.w);
  for (double& v : w) {
    v = c.init == FlowInit::kConstant
            ? static_cast<double>(c.w)
            : (2.0 * static_cast<double>(rng.NextFloat01()) - 1.0) * limit;
  }
  std::vector<double> x(un);
  Pcg32 xrng(static_cast<uint64_t>(xseed));
  for (double& v : x) v = xrng.NextFloat01();

  // Forward: z_l = W_l a_{l-1}; a_l = g(z_l) (+ a_{l-1}).
  std::vector<double> z(uL * un), a(uL * un);
  for (size_t l = 0; l < uL; ++l) {
    const double* prev = l == 0 ? x.data() : &a[(l - 1) * un];
    double* zl = &z[l * un];
    double* al = &a[l * un];
    dense_forward_ref<double>(1, n, n, prev, &w[l * un * un], nullptr, zl);
    Activate(c.act, zl, al, un);
    if (c.residual) residual_forward<double>(al, prev, al, un);
  }
  double loss = 0;
  for (size_t i = 0; i < un; ++i) loss += a[(uL - 1) * un + i];

  // Backward from ∂L/∂a_L = 1.
  std::vector<double> grad((uL + 1) * un, 0.0), dz(un), gw(un * un), f(un);
  std::fill(grad.begin() + static_cast<std::ptrdiff_t>(uL * un), grad.end(), 1.0);
  run->grad_w_norm.assign(uL, 0.0);
  for (size_t l = uL; l >= 1; --l) {
    const double* prev = l == 1 ? x.data() : &a[(l - 2) * un];
    const double* zl = &z[(l - 1) * un];
    const double* dy = &grad[l * un];
    double* dx = &grad[(l - 1) * un];
    Activate(c.act, zl, f.data(), un);  // g(z_l): sigmoid/tanh backward take the output
    std::fill(dz.begin(), dz.end(), 0.0);
    ActivateBackward(c.act, zl, f.data(), dy, dz.data(), un);
    std::fill(gw.begin(), gw.end(), 0.0);
    dense_backward_ref<double>(1, n, n, prev, &w[(l - 1) * un * un], dz.data(), dx, gw.data(),
                               nullptr);
    if (c.residual) residual_backward<double>(dy, nullptr, dx, un);  // the "+1" path
    run->grad_w_norm[l - 1] = Norm(gw.data(), gw.size());
  }
  run->grad_norm.assign(uL + 1, 0.0);
  for (size_t l = 0; l <= uL; ++l) run->grad_norm[l] = Norm(&grad[l * un], un);
  run->loss = loss;
  run->ratio = run->grad_norm[1] / run->grad_norm[uL];

  auto resize = [](Tensor* t, std::vector<int> shape) {
    if (t->shape() != shape) *t = Tensor(shape);
  };
  resize(&run->weights, {L, n, n});
  resize(&run->z, {L, n});
  resize(&run->a, {L, n});
  resize(&run->input, {n});
  resize(&run->grad, {L + 1, n});
  CopyToTensor(w, &run->weights);
  CopyToTensor(z, &run->z);
  CopyToTensor(a, &run->a);
  CopyToTensor(x, &run->input);
  CopyToTensor(grad, &run->grad);
  run->block = TraceBlock(c, std::clamp(block, 1, L), x, w, z, a, grad);
}

void EvaluateFlowCurve(FlowActivation act, FlowCurve* curve) {
  constexpr int kN = FlowLabLimits::kCurveSamples;
  curve->act = act;
  curve->x.resize(kN);
  curve->y.assign(kN, 0.0);
  curve->dy.assign(kN, 0.0);
  for (int i = 0; i < kN; ++i) curve->x[static_cast<size_t>(i)] = -8.0 + 0.1 * i;
  curve->x[80] = 0.0;  // exactly
  const std::vector<double> ones(kN, 1.0);
  Activate(act, curve->x.data(), curve->y.data(), kN);
  ActivateBackward(act, curve->x.data(), curve->y.data(), ones.data(), curve->dy.data(), kN);
  size_t peak = 0;
  for (size_t i = 1; i < curve->dy.size(); ++i)
    if (curve->dy[i] > curve->dy[peak]) peak = i;
  curve->peak_x = curve->x[peak];
  curve->peak_dy = curve->dy[peak];
  curve->dy_at_0 = curve->dy[80];
  curve->saturated.clear();
  const double threshold = 0.1 * curve->peak_dy;
  for (size_t i = 0; i < curve->dy.size();) {
    if (curve->dy[i] >= threshold) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j + 1 < curve->dy.size() && curve->dy[j + 1] < threshold) ++j;
    curve->saturated.emplace_back(curve->x[i], curve->x[j]);
    i = j + 1;
  }
}

FlowLabResult EvaluateFlowLab(const FlowLabState& state) {
  FlowLabResult r;
  EvaluateFlowLab(state, &r);
  return r;
}

void EvaluateFlowLab(const FlowLabState& state, FlowLabResult* result) {
  EvaluateFlowRun(state.a, state.xseed, state.block, &result->a);
  EvaluateFlowRun(state.b, state.xseed, state.block, &result->b);
  EvaluateFlowCurve(state.curve, &result->curve);
  result->steps = FlowCheckSteps(state, *result);
}

std::vector<CheckStep> FlowCheckSteps(const FlowLabState& state, const FlowLabResult& r) {
  std::vector<CheckStep> steps;
  const std::string sig = kSigma, minus = std::string(" ") + kMinus + " ";
  steps.push_back({"dsig0",
                   Derivative(kSigma, "0") + " = " + sig + "(0)(1" + minus + sig + "(0))",
                   {0.25f},
                   {"0.5 " + std::string(kTimes) + " (1" + minus + "0.5)"},
                   {{{0.5},
                     "It is " + sig + "(0), the sigmoid's value; its slope is " + sig + "(0)(1" +
                         minus + sig + "(0)) = 0.5 " + kTimes + " 0.5."},
                    {{1.0},
                     "It is tanh" + std::string(kPrime) +
                         "(0) = 1, tanh's largest slope; the sigmoid's is four times "
                         "smaller."}}});
  auto dlda = [](const std::string& l) { return Partial("L", "a" + Sub(l)); };
  auto norm = [](const std::string& v) { return kNorm + v + kNorm; };
  // The mistakes of reading the share off the lab (check.h, CheckSlip): upside down, a layer
  // off at either end, the norm without the division, the other chain's share, the bound
  // 0.25 per layer (a sigmoid's largest slope) instead of the chain the lab computes.
  auto ratio = [&](const char* id, const char* name, const FlowConfig& c, const FlowRun& run,
                   const char* other_name, const FlowRun& other) {
    const int depth = c.depth;
    const std::string L = std::to_string(depth), top = norm(dlda(L)), one = norm(dlda("1"));
    const std::vector<double>& g = run.grad_norm;
    const size_t uL = g.size() - 1;
    std::vector<CheckSlip> slips;
    auto slip = [&](double v, const std::string& cause) {
      slips.push_back({{static_cast<double>(static_cast<float>(v))}, cause});
    };
    if (g[1] > 0) slip(g[uL] / g[1], "It is the share upside down: " + top + " / " + one + ".");
    if (uL >= 2) {
      slip(g[2] / g[uL], "It is what reaches layer 2, one layer short of layer 1.");
      slip(g[1] / g[uL - 1], "It divides by layer " + std::to_string(depth - 1) +
                                 "'s gradient: the top is layer " + L + ".");
    }
    slip(g[1],
         "It is " + one + " alone: the share divides it by " + top + " = " + Num(g[uL]) + ".");
    slip(other.ratio, "It is " + std::string(other_name) + "'s share, not " + name + "'s.");
    if (c.act == FlowActivation::kSigmoid && !c.residual) {
      const std::string lm1 = std::to_string(depth - 1);
      slip(std::pow(0.25, depth - 1),
           "It is 0.25" + Sup(depth - 1) + ", the bound " + sig + std::string(kPrime) + " " + kLe +
               " 0.25 over the " + lm1 + " layers between layer " + L +
               " and layer 1, not the chain the lab computes "
               "(its weights, and " +
               sig + std::string(kPrime) + " at the layers' own inputs).");
      slip(std::pow(0.25, depth), "It is 0.25" + Sup(depth) + ": the bound " + sig +
                                      std::string(kPrime) + " " + kLe +
                                      " 0.25 with one layer too many (from layer " + L +
                                      " down to layer 1 the "
                                      "gradient passes " +
                                      lm1 + " layers), and not the chain the lab computes.");
    }
    steps.push_back({id,
                     std::string(name) + ": " + one + " / " + top,
                     {static_cast<float>(run.ratio)},
                     {Num(run.grad_norm[1]) + " / " + Num(run.grad_norm.back())},
                     std::move(slips)});
  };
  auto block = [&](const char* id, const char* name, const FlowRun& run) {
    const FlowBlockTrace& t = run.block;
    const std::string l = std::to_string(t.layer), p = std::to_string(t.layer - 1);
    const double nan = std::nan(""), dy = static_cast<float>(t.dy0);
    const double fpath = static_cast<float>(t.fpath0), dx = static_cast<float>(t.dx0);
    // The skip's mistakes: y = F(x) + x passes the gradient back through both paths.
    std::vector<CheckSlip> slips;
    if (t.residual) {
      slips.push_back({{nan, nan, fpath},
                       "It is the F path alone: the skip (the +x of y = F(x) + x) passes (" +
                           dlda(l) + ")[1] back unchanged, so (" + dlda(p) + ")[1] = F path + (" +
                           dlda(l) + ")[1]."});
      slips.push_back({{nan, nan, dy},
                       "It is the skip alone: the F path's part, through the layer's weights "
                       "and slope, is added to it."});
      slips.push_back({{nan, dx, nan},
                       "It is the total through the block: the F path is the part through F "
                       "only, without the skip's (" +
                           dlda(l) + ")[1]."});
    } else {
      slips.push_back({{nan, nan, fpath + dy},
                       "It adds a skip this chain does not have: without one, (" + dlda(p) +
                           ")[1] is the F path alone."});
    }
    steps.push_back(
        {id,
         std::string(name) + ", layer " + l + ": (" + dlda(l) + ")[1], (F path)[1], (" + dlda(p) +
             ")[1]",
         {dy, fpath, dx},
         {"", "", Num(t.fpath0) + (t.residual ? " + " + Paren(t.skip0) : std::string())},
         std::move(slips)});
  };
  ratio("ratio_a", "A", state.a, r.a, "B", r.b);
  ratio("ratio_b", "B", state.b, r.b, "A", r.a);
  block("blk_a", "A", r.a);
  block("blk_b", "B", r.b);
  return steps;
}

// ---- share link ----------------------------------------------------------------------

namespace {

void AppendConfig(const char* p, const FlowConfig& c, Link* link) {
  const std::string s(p);
  link->fields.emplace_back(s + "act", FlowActivationName(c.act));
  link->fields.emplace_back(s + "depth", std::to_string(c.depth));
  link->fields.emplace_back(s + "width", std::to_string(c.width));
  link->fields.emplace_back(s + "init", FlowInitName(c.init));
  link->fields.emplace_back(s + "w", FormatFloat(c.w));
  link->fields.emplace_back(s + "seed", std::to_string(c.seed));
  link->fields.emplace_back(s + "res", c.residual ? "1" : "0");
}

bool DecodeConfig(const char* p, const Link& link, FlowConfig* c, LinkError* error) {
  const std::string s(p);
  std::string why;
  if (const std::string* v = link.Find(s + "act")) {
    if (!ParseActivation(*v, &c->act))
      return *error = {s + "act", "expected sigmoid, tanh, relu or leaky"}, false;
  }
  if (const std::string* v = link.Find(s + "depth")) {
    if (!ParseInt(*v, FlowLabLimits::kMinDepth, FlowLabLimits::kMaxDepth, &c->depth, &why))
      return *error = {s + "depth", why}, false;
  }
  if (const std::string* v = link.Find(s + "width")) {
    if (!ParseInt(*v, FlowLabLimits::kMinWidth, FlowLabLimits::kMaxWidth, &c->width, &why))
      return *error = {s + "width", why}, false;
  }
  if (const std::string* v = link.Find(s + "init")) {
    if (!ParseInit(*v, &c->init))
      return *error = {s + "init", "expected const, uniform, xavier or he"}, false;
  }
  if (const std::string* v = link.Find(s + "w")) {
    if (!ParseFloat(*v, &c->w, &why)) return *error = {s + "w", why}, false;
    if (!(std::fabs(c->w) <= FlowLabLimits::kMaxWeight))
      return *error = {s + "w", "expected a value in -4..4"}, false;
  }
  if (const std::string* v = link.Find(s + "seed")) {
    if (!ParseInt(*v, 0, FlowLabLimits::kMaxSeed, &c->seed, &why))
      return *error = {s + "seed", why}, false;
  }
  if (const std::string* v = link.Find(s + "res")) {
    if (*v != "0" && *v != "1") return *error = {s + "res", "expected 0 or 1"}, false;
    c->residual = *v == "1";
  }
  return true;
}

}  // namespace

std::string EncodeFlowLab(const FlowLabState& state) {
  Link link;
  link.lab = "flow";
  AppendConfig("a_", state.a, &link);
  AppendConfig("b_", state.b, &link);
  link.fields.emplace_back("xseed", std::to_string(state.xseed));
  link.fields.emplace_back("block", std::to_string(state.block));
  link.fields.emplace_back("curve", FlowActivationName(state.curve));
  link.fields.emplace_back("check", EncodeCheckEntries(state.check));
  return link.ToString();
}

bool DecodeFlowLab(const Link& link, FlowLabState* state, LinkError* error) {
  if (!CheckFieldNames(
          link,
          {"a_act", "a_depth", "a_width", "a_init", "a_w", "a_seed", "a_res", "b_act", "b_depth",
           "b_width", "b_init", "b_w", "b_seed", "b_res", "xseed", "block", "curve", "check"},
          error))
    return false;
  FlowLabState s = FlowLabDefault();
  s.check.clear();
  std::string why;
  if (!DecodeConfig("a_", link, &s.a, error) || !DecodeConfig("b_", link, &s.b, error))
    return false;
  if (const std::string* v = link.Find("xseed")) {
    if (!ParseInt(*v, 0, FlowLabLimits::kMaxSeed, &s.xseed, &why))
      return *error = {"xseed", why}, false;
  }
  if (const std::string* v = link.Find("block")) {
    if (!ParseInt(*v, 1, FlowLabLimits::kMaxDepth, &s.block, &why))
      return *error = {"block", why}, false;
  }
  if (const std::string* v = link.Find("curve")) {
    if (!ParseActivation(*v, &s.curve))
      return *error = {"curve", "expected sigmoid, tanh, relu or leaky"}, false;
  }
  if (const std::string* v = link.Find("check")) {
    // The steps depend on the rest of the state: evaluate it first.
    const FlowLabResult r = EvaluateFlowLab(s);
    if (!DecodeCheckEntries(*v, r.steps, &s.check, &why)) return *error = {"check", why}, false;
  }
  if (!CheckWrittenLength(link, EncodeFlowLab(s), error)) return false;
  *state = std::move(s);
  return true;
}

std::string FlowLabToJson(const FlowLabState& state, const FlowLabResult& result) {
  JsonWriter j;
  j.BeginObject().Key("lab").String("flow").Key("version").Int(kLinkVersion);
  j.Key("link").String(EncodeFlowLab(state));
  j.Key("state").BeginObject();
  j.Key("a");
  WriteConfig(&j, state.a);
  j.Key("b");
  WriteConfig(&j, state.b);
  j.Key("xseed").Int(state.xseed).Key("block").Int(state.block);
  j.Key("curve").String(FlowActivationName(state.curve));
  j.Key("loss").String("sum of the outputs");
  j.EndObject();
  j.Key("result").BeginObject();
  j.Key("a");
  WriteRun(&j, result.a);
  j.Key("b");
  WriteRun(&j, result.b);
  const FlowCurve& c = result.curve;
  j.Key("curve").BeginObject().Key("activation").String(FlowActivationName(c.act));
  j.Key("x");
  WriteDoubles(&j, c.x);
  j.Key("y");
  WriteDoubles(&j, c.y);
  j.Key("dy");
  WriteDoubles(&j, c.dy);
  j.Key("peak_x").Number(ToFloat(c.peak_x)).Key("peak_dy").Number(ToFloat(c.peak_dy));
  j.Key("dy_at_0").Number(ToFloat(c.dy_at_0));
  j.Key("saturated").BeginArray();
  for (const auto& [lo, hi] : c.saturated)
    j.BeginArray().Number(ToFloat(lo)).Number(ToFloat(hi)).EndArray();
  j.EndArray().EndObject();
  j.EndObject();
  // Check my work.
  // Its steps do not build on each other: nothing to carry forward.
  WriteCheckJson(&j, result.steps, state.check);
  j.EndObject();
  return ToAscii(j.str());  // the JSON keeps ASCII (labs/notation.h)
}

}  // namespace nnplay
