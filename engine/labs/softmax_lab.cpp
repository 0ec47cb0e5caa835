// softmax_lab.cpp: the softmax lab's model and share-link fields. See softmax_lab.h.
#include "labs/softmax_lab.h"

#include <cmath>
#include <limits>

#include "json.h"
#include "labs/lab_text.h"
#include "labs/notation.h"
#include "link/number.h"
#include "ops/softmax.h"

namespace nnplay {
namespace {

// e^(x_i/T) as written in a trace: "exp(2)" when T = 1, "exp(2/0.5)" otherwise.
std::string Exp(const std::string& arg) {
  return "exp(" + arg + ")";
}
std::string Exponent(float x, float t) {
  if (t == 1.0f) return Exp(TraceNum(x));
  return Exp(TraceNum(x) + "/" + TraceNum(t));
}
const std::string kMinusSp = std::string(" ") + kMinus + " ";

void Resize(Tensor* t, int n) {
  if (t->rank() != 1 || t->dim(0) != n) *t = Tensor({n});
}

}  // namespace

std::string SoftmaxRule() {
  return "p" + Sub("i") + " = exp(x" + Sub("i") + "/T) / " + kSum + Sub("j") + " exp(x" + Sub("j") +
         "/T)";
}

SoftmaxLabResult EvaluateSoftmaxLab(const SoftmaxLabState& state) {
  SoftmaxLabResult r;
  EvaluateSoftmaxLab(state, &r);
  return r;
}

void EvaluateSoftmaxLab(const SoftmaxLabState& state, SoftmaxLabResult* result) {
  SoftmaxLabResult& r = *result;
  const int n = state.logits.dim(0);
  const float t = state.temperature;
  const float* x = state.logits.data();
  Resize(&r.exps, n), Resize(&r.shifted, n), Resize(&r.exps_stable, n), Resize(&r.p, n);

  // The naive form in float32, as a float32 framework would compute it.
  r.sum = 0;
  for (int i = 0; i < n; ++i) {
    r.exps[static_cast<size_t>(i)] = std::exp(x[i] / t);
    r.sum += r.exps[static_cast<size_t>(i)];
  }
  r.overflow = !std::isfinite(r.sum);

  // The stable form: subtract the max.
  r.max = x[0];
  for (int i = 1; i < n; ++i) r.max = std::max(r.max, x[i]);
  r.sum_stable = 0;
  for (int i = 0; i < n; ++i) {
    const size_t k = static_cast<size_t>(i);
    r.shifted[k] = (x[i] - r.max) / t;
    r.exps_stable[k] = std::exp(r.shifted[k]);
    r.sum_stable += r.exps_stable[k];
  }
  // The probabilities: the engine's op (which subtracts the max the same way).
  softmax_forward<float>(1, n, x, r.p.data(), t);
  r.single = n == 1;
  r.sigmoid = 1.0f / (1.0f + std::exp(-x[0] / t));

  // ---- the arithmetic ----
  r.exp_text.resize(static_cast<size_t>(n));
  r.p_text.resize(static_cast<size_t>(n));
  r.stable_text.resize(static_cast<size_t>(n));
  r.stable_p_text.resize(static_cast<size_t>(n));
  r.sum_text.clear();
  r.stable_sum_text.clear();
  for (int i = 0; i < n; ++i) {
    const size_t k = static_cast<size_t>(i);
    r.exp_text[k] = Exponent(x[i], t) + Eq(r.exps[k]);
    if (r.exps[k] == 0.0f || !std::isfinite(r.exps[k]))
      r.exp_text[k] +=
          std::isfinite(r.exps[k]) ? " (underflow)" : " (overflow: > " + Num(3.4e38) + ")";
    r.sum_text += (i ? " + " : "") + TraceNum(r.exps[k]);
    r.p_text[k] = TraceNum(r.exps[k]) + " / " + TraceNum(r.sum) +
                  (r.overflow ? " = undefined (" + std::string(kInf) + "/" + kInf + ")"
                              : Eq(r.exps[k] / r.sum));
    const std::string diff = TraceNum(x[i]) + kMinusSp + TraceParen(r.max);
    r.stable_text[k] = (t == 1.0f ? Exp(diff) : Exp("(" + diff + ")/" + TraceNum(t))) + " = " +
                       Exp(TraceNum(r.shifted[k])) + Eq(r.exps_stable[k]);
    r.stable_sum_text += (i ? " + " : "") + TraceNum(r.exps_stable[k]);
    r.stable_p_text[k] = TraceNum(r.exps_stable[k]) + " / " + TraceNum(r.sum_stable) + Eq(r.p[k]);
  }
  r.sum_text += Eq(r.sum);
  r.stable_sum_text += Eq(r.sum_stable);
  const std::string m = TraceParen(r.max);
  r.why_same = Exp("x" + kMinusSp + m) + " = exp(x) / " + Exp(m) +
               ": every exponential is divided by the same " + Exp(m) +
               ", the sum too, so the ratios (the probabilities) do not change. After the "
               "shift every exponent is " +
               kLe + " 0, so every exp(x" + kMinusSp +
               "max) is in (0, 1] and the largest is exactly 1: nothing overflows, and the sum "
               "is between 1 and n.";
  if (r.overflow)
    r.why_same += " Here the naive form overflows: " + Exp(TraceNum(r.max / t)) +
                  " is more than float32 holds (" + Num(3.4e38) + ", reached at exp(88.72)), " +
                  kInf + "/" + kInf + " is not a number; the shifted form still works.";
  r.sigmoid_text = std::string(kSigma) + "(" +
                   (t == 1.0f ? TraceNum(x[0]) : TraceNum(x[0]) + "/" + TraceNum(t)) +
                   ") = 1/(1 + " + Exp(TraceNum(-static_cast<double>(x[0]) / t)) + ")" +
                   Eq(r.sigmoid);
  if (r.single) {
    r.single_text =
        "Softmax over one logit is always 1: p = exp(x) / exp(x) = " + TraceNum(r.exps[0]) + " / " +
        TraceNum(r.exps[0]) +
        " = 1, whatever x is, so it says nothing about the input. A layer with one "
        "output unit wants a sigmoid instead: " +
        r.sigmoid_text + " is the probability of the positive class.";
  } else {
    r.single_text.clear();
  }
  r.steps = SoftmaxCheckSteps(state, r);
}

std::vector<CheckStep> SoftmaxCheckSteps(const SoftmaxLabState& state, const SoftmaxLabResult& r) {
  const size_t n = static_cast<size_t>(state.logits.dim(0));
  std::vector<CheckStep> steps(3);
  const std::string e = "exp(x" + Sub("i") + "/T)";
  steps[0] = {"exps", e + ": the exponentials", {}, {}};
  steps[1] = {"sum", "the sum of the exponentials", {r.sum}, {r.sum_text}};
  steps[2] = {"p", "p" + Sub("i") + " = " + e + " / " + kSum, {}, {}};
  for (size_t i = 0; i < n; ++i) {
    steps[0].values.push_back(r.exps[i]);
    steps[0].arithmetic.push_back(r.exp_text[i]);
    steps[2].values.push_back(r.p[i]);
    steps[2].arithmetic.push_back(r.overflow ? r.stable_p_text[i] : r.p_text[i]);
  }
  return steps;
}

CheckRecompute SoftmaxCheckRecompute(const SoftmaxLabState& state) {
  return [state](const CheckGiven& given) {
    const SoftmaxLabResult r = EvaluateSoftmaxLab(state);
    std::vector<CheckStep> steps = r.steps;
    const size_t n = steps[0].values.size();
    // The sum of their exponentials, then each of their exponentials over their sum.
    double sum = 0;
    std::string text;
    std::vector<double> e(n);
    for (size_t i = 0; i < n; ++i) {
      e[i] = given.Get("exps", i, r.exps[i]);
      sum += e[i];
      text += (i ? " + " : "") + TraceNum(e[i]);
    }
    steps[1].values = {sum};
    steps[1].arithmetic = {text + Eq(sum)};
    sum = given.Get("sum", 0, sum);
    for (size_t i = 0; i < n; ++i) {
      steps[2].values[i] = e[i] / sum;
      steps[2].arithmetic[i] = TraceNum(e[i]) + " / " + TraceNum(sum) + Eq(e[i] / sum);
    }
    return steps;
  };
}

// ---- share link ----------------------------------------------------------------------

std::string EncodeSoftmaxLab(const SoftmaxLabState& state) {
  Link link;
  link.lab = "softmax";
  link.fields = {
      {"x", FormatTensorText(state.logits)},
      {"t", FormatFloat(state.temperature)},
      {"check", EncodeCheckEntries(state.check)},
  };
  return link.ToString();
}

bool DecodeSoftmaxLab(const Link& link, SoftmaxLabState* state, LinkError* error) {
  if (!CheckFieldNames(link, {"x", "t", "check"}, error)) return false;
  SoftmaxLabState s;
  std::string why;
  const std::string* x = link.Find("x");
  if (!x) return *error = {"x", "the logits are missing"}, false;
  const TensorLimits limits{1, 1, SoftmaxLabLimits::kMinLogits, SoftmaxLabLimits::kMaxLogits};
  if (!ParseTensorText(*x, limits, &s.logits, &why)) return *error = {"x", why}, false;
  if (const std::string* t = link.Find("t")) {
    if (!ParseFloat(*t, &s.temperature, &why)) return *error = {"t", why}, false;
    if (!(s.temperature >= SoftmaxLabLimits::kMinTemperature &&
          s.temperature <= SoftmaxLabLimits::kMaxTemperature))
      return *error = {"t", "the temperature must be between 0.01 and 100"}, false;
  }
  // The steps' ids and sizes depend on the state decoded so far.
  const SoftmaxLabResult r = EvaluateSoftmaxLab(s);
  if (!DecodeCheckField(link, r.steps, &s.check, error)) return false;
  if (!CheckWrittenLength(link, EncodeSoftmaxLab(s), error)) return false;
  *state = std::move(s);
  return true;
}

std::string SoftmaxLabToJson(const SoftmaxLabState& state, const SoftmaxLabResult& r) {
  JsonWriter j;
  j.BeginObject().Key("lab").String("softmax").Key("version").Int(kLinkVersion);
  j.Key("link").String(EncodeSoftmaxLab(state));
  j.Key("state").BeginObject();
  j.Key("logits").TensorValue(state.logits).Key("temperature").Number(state.temperature);
  j.EndObject();
  j.Key("result").BeginObject();
  j.Key("exps").TensorValue(r.exps).Key("sum").Number(r.sum).Key("overflow").Bool(r.overflow);
  j.Key("max").Number(r.max).Key("shifted").TensorValue(r.shifted);
  j.Key("exps_stable").TensorValue(r.exps_stable).Key("sum_stable").Number(r.sum_stable);
  j.Key("p").TensorValue(r.p);
  j.Key("single").Bool(r.single).Key("sigmoid").Number(r.sigmoid);
  j.Key("trace").BeginObject();
  auto list = [&](const char* key, const std::vector<std::string>& v) {
    j.Key(key).BeginArray();
    for (const std::string& s : v) j.String(s);
    j.EndArray();
  };
  list("exps", r.exp_text);
  j.Key("sum").String(r.sum_text);
  list("p", r.p_text);
  list("stable", r.stable_text);
  j.Key("stable_sum").String(r.stable_sum_text);
  list("stable_p", r.stable_p_text);
  j.Key("why_same").String(r.why_same);
  j.Key("single").String(r.single_text).Key("sigmoid").String(r.sigmoid_text);
  j.EndObject();
  j.EndObject();
  WriteCheckJson(&j, r.steps, state.check, SoftmaxCheckRecompute(state));
  j.EndObject();
  return ToAscii(j.str());  // the JSON keeps ASCII (labs/notation.h)
}

}  // namespace nnplay
