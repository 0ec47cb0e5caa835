// dropout_lab.cpp: the dropout lab's model and share-link fields. See dropout_lab.h.
#include "labs/dropout_lab.h"

#include <algorithm>
#include <cmath>

#include "json.h"
#include "labs/lab_text.h"
#include "labs/notation.h"
#include "link/number.h"

namespace nnplay {
namespace {

void Resize(Tensor* t, int n) {
  if (t->rank() != 1 || t->dim(0) != n) *t = Tensor({n});
}

const char* KindName(DropoutKind k) {
  return k == DropoutKind::kStandard ? "standard" : "inverted";
}

// The mistakes E8 invites (check.h, CheckSlip), in the lab's terms: p is the probability
// of keeping a unit. Inverted dropout scales the kept units by 1/p in training and does
// nothing at test time; standard dropout does not scale in training and multiplies by p at
// test time. Each slip is the whole step worked the wrong way, value by value.
void AddDropoutSlips(const DropoutLabState& s, const DropoutLabResult& r,
                     std::vector<CheckStep>* steps) {
  const size_t n = static_cast<size_t>(s.activations.dim(0));
  const double p = s.keep, q = 1.0 - p;
  const std::string ps = TraceNum(p), qs = TraceNum(q), x = std::string(" ") + kTimes + " ";
  const std::string omp = std::string("1 ") + kMinus + " p";  // 1 − p
  auto each = [&](auto f) {
    std::vector<double> v(n);
    for (size_t i = 0; i < n; ++i)
      v[i] = f(static_cast<double>(s.activations[i]), static_cast<double>(r.mask[i]));
    return v;
  };
  std::vector<CheckSlip>& train = (*steps)[0].slips;
  std::vector<CheckSlip>& etrain = (*steps)[1].slips;
  std::vector<CheckSlip>& test = (*steps)[2].slips;
  const std::vector<double> masked = each([](double a, double m) { return m * a; });
  const std::vector<double> inverted = each([&](double a, double m) { return m * a / p; });
  if (s.kind == DropoutKind::kInverted) {
    train.push_back({masked, "It is m" + x +
                                 "a: the mask without the inverted scaling. Inverted dropout "
                                 "divides the kept activations by p = " +
                                 ps + " during training, so that nothing changes at test time."});
    train.push_back({each([&](double a, double m) { return m * a * p; }),
                     "It is m" + x + "a" + x +
                         "p: multiplied by the keep probability where "
                         "inverted dropout divides by it (m" +
                         x + "a / " + ps + ")."});
    if (q > 0)
      train.push_back({each([&](double a, double m) { return m * a / q; }),
                       "It is m" + x + "a / (" + omp +
                           "): p taken as the probability of "
                           "dropping a unit. Here p = " +
                           ps +
                           " is the probability of keeping it, so the kept units are divided "
                           "by p."});
    train.push_back({each([&](double a, double) { return a / p; }),
                     "It is a / p for every unit: the scaling without the mask. The units the "
                     "mask drops (m = 0) give 0."});
    etrain.push_back({each([&](double a, double) { return p * a; }),
                      "It is p" + x +
                          "a, the expectation of standard dropout. With the inverted "
                          "scaling a kept unit is a / p, and it is kept with probability p: E = p" +
                          x + "a / p + (1 " + kMinus + " p)" + x + "0 = a."});
    etrain.push_back({each([&](double a, double) { return a / p; }),
                      "It is a / p, the value of a kept unit: the expectation also weighs in "
                      "the chance " +
                          omp + " = " + qs + " that the unit is dropped (0)."});
    etrain.push_back({inverted,
                      "It is this mask's training output: the expectation is over every mask "
                      "(p" +
                          x + "kept value + (1 " + kMinus + " p)" + x + "0), not one draw."});
    test.push_back({each([&](double a, double) { return p * a; }),
                    "It is p" + x +
                        "a, the test-time scaling of standard dropout. Inverted "
                        "dropout scaled during training already, so at test time y = a."});
    test.push_back({each([&](double a, double) { return a / p; }),
                    "It is a / p: the training scaling applied at test time, where inverted "
                    "dropout leaves a as it is."});
    test.push_back({inverted,
                    "It is the training output with this mask: at test time no unit is dropped "
                    "and nothing is scaled (y = a)."});
    test.push_back({masked, "It is m" + x +
                                "a: a mask at test time. At test time every unit is kept "
                                "(y = a)."});
  } else {
    train.push_back({inverted, "It is m" + x +
                                   "a / p, inverted dropout's training output: standard "
                                   "dropout does not scale in training (y = m" +
                                   x +
                                   "a); it multiplies by p "
                                   "at test time."});
    train.push_back({each([](double a, double) { return a; }),
                     "It is a for every unit: the mask is not applied. The units it drops (m = "
                     "0) give 0."});
    etrain.push_back({each([](double a, double) { return a; }),
                      "It is a, the expectation of inverted dropout: standard dropout keeps a "
                      "with probability p = " +
                          ps + " and gives 0 otherwise, so E = p" + x + "a."});
    etrain.push_back({masked,
                      "It is this mask's training output: the expectation is over every mask "
                      "(p" +
                          x + "a + (1 " + kMinus + " p)" + x + "0), not one draw."});
    test.push_back({each([](double a, double) { return a; }),
                    "It is a: standard dropout multiplies by p = " + ps + " at test time (y = p" +
                        x + "a), to match the training expectation."});
    test.push_back({each([&](double a, double) { return a / p; }),
                    "It is a / p, inverted dropout's scaling: standard dropout multiplies by p at "
                    "test time."});
    test.push_back({masked, "It is m" + x +
                                "a: a mask at test time. At test time every unit is kept "
                                "and scaled by p."});
  }
}

}  // namespace

DropoutLabResult EvaluateDropoutLab(const DropoutLabState& state) {
  DropoutLabResult r;
  EvaluateDropoutLab(state, &r);
  return r;
}

void EvaluateDropoutLab(const DropoutLabState& s, DropoutLabResult* result) {
  DropoutLabResult& r = *result;
  const int n = s.activations.dim(0);
  const size_t ns = static_cast<size_t>(n);
  const float p = s.keep;
  const float* a = s.activations.data();
  const bool standard = s.kind == DropoutKind::kStandard;
  for (Tensor* t : {&r.mask, &r.train, &r.expect_train, &r.test, &r.mean_train}) Resize(t, n);

  // The factors, as the op applies them: what y is for a = 1.
  const float one = 1.0f;
  dropout_forward_train(s.kind, p, &one, &one, &r.train_scale, 1);
  dropout_forward_test(s.kind, p, &one, &r.test_scale, 1);

  dropout_mask(static_cast<uint64_t>(s.seed), p, r.mask.data(), ns);
  dropout_forward_train(s.kind, p, a, r.mask.data(), r.train.data(), ns);
  dropout_forward_test(s.kind, p, a, r.test.data(), ns);
  r.kept = 0;
  for (size_t i = 0; i < ns; ++i) {
    r.kept += r.mask[i] == 1.0f;
    r.expect_train[i] = p * (r.train_scale * a[i]);
  }

  // Many masks: sample k uses seed + k. Sums in double, so 10000 samples stay exact enough.
  const int unit = std::min(s.unit, n - 1);
  std::vector<double> sum(ns, 0.0);
  std::vector<float> mask(ns), y(ns);
  r.curve.resize(static_cast<size_t>(s.samples));
  for (int k = 0; k < s.samples; ++k) {
    dropout_mask(static_cast<uint64_t>(s.seed) + static_cast<uint64_t>(k), p, mask.data(), ns);
    dropout_forward_train(s.kind, p, a, mask.data(), y.data(), ns);
    for (size_t i = 0; i < ns; ++i) sum[i] += y[i];
    r.curve[static_cast<size_t>(k)] =
        static_cast<float>(sum[static_cast<size_t>(unit)] / static_cast<double>(k + 1));
  }
  r.max_gap = 0;
  for (size_t i = 0; i < ns; ++i) {
    r.mean_train[i] = static_cast<float>(sum[i] / s.samples);
    r.max_gap = std::max(r.max_gap, std::fabs(r.mean_train[i] - r.test[i]));
  }

  // ---- the arithmetic ----
  const std::string ps = TraceNum(p), qs = TraceNum(1.0 - static_cast<double>(p));
  r.rule = standard
               ? "standard: training y = m " + std::string(kTimes) +
                     " a (no scaling); test y = p " + kTimes + " a = " + ps + " " + kTimes + " a"
               : "inverted: training y = m " + std::string(kTimes) + " a / p = m " + kTimes +
                     " a / " + ps + "; test y = a (nothing to do)";
  r.train_text.resize(ns), r.expect_text.resize(ns), r.test_text.resize(ns);
  for (size_t i = 0; i < ns; ++i) {
    const std::string ai = TraceParen(a[i]), m = TraceNum(r.mask[i]);
    r.train_text[i] = standard ? m + " " + kTimes + " " + ai + Eq(r.train[i])
                               : m + " " + kTimes + " " + ai + " / " + ps + Eq(r.train[i]);
    const std::string kept_value = standard ? ai : "(" + TraceNum(a[i]) + " / " + ps + ")";
    r.expect_text[i] = ps + " " + kTimes + " " + kept_value + " + " + qs + " " + kTimes + " 0" +
                       Eq(r.expect_train[i]);
    r.test_text[i] = standard ? ps + " " + kTimes + " " + ai + Eq(r.test[i])
                              : ai + " (unchanged)" + Eq(r.test[i]);
  }
  r.steps = DropoutCheckSteps(s, r);
}

std::vector<CheckStep> DropoutCheckSteps(const DropoutLabState& s, const DropoutLabResult& r) {
  const size_t n = static_cast<size_t>(s.activations.dim(0));
  std::vector<CheckStep> steps(3);
  const std::string train = "y" + Sub("train"), test = "y" + Sub("test");
  steps[0] = {"train", train + " with this mask", {}, {}};
  steps[1] = {"etrain", "E[" + train + "]: the expected training activation", {}, {}};
  steps[2] = {"test", test + ": the test-time activation", {}, {}};
  for (size_t i = 0; i < n; ++i) {
    steps[0].values.push_back(r.train[i]);
    steps[0].arithmetic.push_back(r.train_text[i]);
    steps[1].values.push_back(r.expect_train[i]);
    steps[1].arithmetic.push_back(r.expect_text[i]);
    steps[2].values.push_back(r.test[i]);
    steps[2].arithmetic.push_back(r.test_text[i]);
  }
  AddDropoutSlips(s, r, &steps);
  return steps;
}

// ---- share link ----------------------------------------------------------------------

std::string EncodeDropoutLab(const DropoutLabState& s) {
  Link link;
  link.lab = "dropout";
  link.fields = {
      {"a", FormatTensorText(s.activations)},
      {"p", FormatFloat(s.keep)},
      {"mode", KindName(s.kind)},
      {"seed", std::to_string(s.seed)},
      {"n", std::to_string(s.samples)},
      {"unit", std::to_string(s.unit)},
      {"check", EncodeCheckEntries(s.check)},
  };
  return link.ToString();
}

bool DecodeDropoutLab(const Link& link, DropoutLabState* state, LinkError* error) {
  if (!CheckFieldNames(link, {"a", "p", "mode", "seed", "n", "unit", "check"}, error)) return false;
  DropoutLabState s;
  std::string why;
  const std::string* a = link.Find("a");
  if (!a) return *error = {"a", "the activations are missing"}, false;
  const TensorLimits limits{1, 1, DropoutLabLimits::kMinUnits, DropoutLabLimits::kMaxUnits};
  if (!ParseTensorText(*a, limits, &s.activations, &why)) return *error = {"a", why}, false;
  if (const std::string* p = link.Find("p")) {
    if (!ParseFloat(*p, &s.keep, &why)) return *error = {"p", why}, false;
    if (!(s.keep > 0.0f && s.keep <= 1.0f))
      return *error = {"p", "the keep probability must be in (0, 1]"}, false;
  }
  if (const std::string* mode = link.Find("mode")) {
    if (*mode == "standard") {
      s.kind = DropoutKind::kStandard;
    } else if (*mode == "inverted") {
      s.kind = DropoutKind::kInverted;
    } else {
      return *error = {"mode", "expected standard or inverted"}, false;
    }
  }
  if (const std::string* v = link.Find("seed")) {
    if (!ParseInt(*v, 0, DropoutLabLimits::kMaxSeed, &s.seed, &why))
      return *error = {"seed", why}, false;
  }
  if (const std::string* v = link.Find("n")) {
    if (!ParseInt(*v, DropoutLabLimits::kMinSamples, DropoutLabLimits::kMaxSamples, &s.samples,
                  &why))
      return *error = {"n", why}, false;
  }
  if (const std::string* v = link.Find("unit")) {
    if (!ParseInt(*v, 0, s.activations.dim(0) - 1, &s.unit, &why))
      return *error = {"unit", why}, false;
  }
  const DropoutLabResult r = EvaluateDropoutLab(s);
  if (!DecodeCheckField(link, r.steps, &s.check, error)) return false;
  if (!CheckWrittenLength(link, EncodeDropoutLab(s), error)) return false;
  *state = std::move(s);
  return true;
}

std::string DropoutLabToJson(const DropoutLabState& s, const DropoutLabResult& r) {
  JsonWriter j;
  j.BeginObject().Key("lab").String("dropout").Key("version").Int(kLinkVersion);
  j.Key("link").String(EncodeDropoutLab(s));
  j.Key("state").BeginObject();
  j.Key("activations").TensorValue(s.activations).Key("keep").Number(s.keep);
  j.Key("mode").String(KindName(s.kind)).Key("seed").Int(s.seed);
  j.Key("samples").Int(s.samples).Key("unit").Int(s.unit);
  j.EndObject();
  j.Key("result").BeginObject();
  j.Key("train_scale").Number(r.train_scale).Key("test_scale").Number(r.test_scale);
  j.Key("mask").TensorValue(r.mask).Key("kept").Int(r.kept);
  j.Key("train").TensorValue(r.train).Key("expect_train").TensorValue(r.expect_train);
  j.Key("test").TensorValue(r.test).Key("mean_train").TensorValue(r.mean_train);
  j.Key("max_gap").Number(r.max_gap);
  // The curve's last value and a few points; the full curve is up to 10000 numbers.
  j.Key("curve_last").Number(r.curve.empty() ? 0.0f : r.curve.back());
  j.Key("rule").String(r.rule);
  auto list = [&](const char* key, const std::vector<std::string>& v) {
    j.Key(key).BeginArray();
    for (const std::string& t : v) j.String(t);
    j.EndArray();
  };
  j.Key("trace").BeginObject();
  list("train", r.train_text);
  list("expect_train", r.expect_text);
  list("test", r.test_text);
  j.EndObject();
  j.EndObject();
  WriteCheckJson(&j, r.steps, s.check);
  j.EndObject();
  return ToAscii(j.str());  // the JSON keeps ASCII (labs/notation.h)
}

}  // namespace nnplay
