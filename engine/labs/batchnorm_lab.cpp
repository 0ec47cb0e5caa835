// batchnorm_lab.cpp: the batch-normalization lab's model and share-link fields. See
// batchnorm_lab.h. The statistics are computed in double by the engine's op and shown
// (and stored) as float.
#include "labs/batchnorm_lab.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "json.h"
#include "labs/lab_text.h"
#include "labs/notation.h"
#include "link/number.h"
#include "ops/batchnorm.h"

namespace nnplay {
namespace {

void Resize(Tensor* t, std::vector<int> shape) {
  if (t->shape() != shape) *t = Tensor(std::move(shape));
}

// "a + b + c" for up to 8 terms, else the first 3, "...", the last 2.
template <typename Term>
std::string JoinTerms(int n, const char* sep, Term term) {
  std::string s;
  for (int i = 0; i < n; ++i) {
    if (n > 8 && i == 3) {
      s += sep + std::string(kEllipsis);
      i = n - 3;
      continue;
    }
    s += (i ? sep : "") + term(i);
  }
  return s;
}

// Training forward of every feature in double: y, the batch statistics and the running
// statistics after the step. x is the state's [C, N].
struct TrainOut {
  std::vector<double> y, mean, rstd, running_mean, running_var, var;
};
TrainOut TrainForward(const BatchNormLabState& s, double eps) {
  const int c = s.x.dim(0), n = s.x.dim(1);
  BatchNormParams p;
  p.n = n, p.c = c, p.eps = eps, p.momentum = s.momentum;
  std::vector<double> x(static_cast<size_t>(n * c)),
      g(s.gamma.values().begin(), s.gamma.values().end()),
      b(s.beta.values().begin(), s.beta.values().end());
  for (int j = 0; j < c; ++j)
    for (int i = 0; i < n; ++i) x[static_cast<size_t>(i * c + j)] = s.x.at(j, i);
  TrainOut o;
  o.y.resize(x.size());
  o.mean.resize(static_cast<size_t>(c)), o.rstd.resize(static_cast<size_t>(c));
  o.running_mean.assign(s.running_mean.values().begin(), s.running_mean.values().end());
  o.running_var.assign(s.running_var.values().begin(), s.running_var.values().end());
  batchnorm_forward_train<double>(p, x.data(), g.data(), b.data(), o.y.data(), o.mean.data(),
                                  o.rstd.data(), o.running_mean.data(), o.running_var.data());
  // The biased variance, as the op computes it (two passes).
  o.var.resize(static_cast<size_t>(c));
  for (int j = 0; j < c; ++j) {
    double v = 0;
    for (int i = 0; i < n; ++i) {
      const double d = s.x.at(j, i) - o.mean[static_cast<size_t>(j)];
      v += d * d;
    }
    o.var[static_cast<size_t>(j)] = v / n;
  }
  return o;
}

// What eps does at inference: y with eps = 0 against y with the framework default 1e-5,
// both from the running statistics. With a running variance of 0, eps = 0 leaves xhat
// undefined wherever x differs from the running mean: then say how large eps makes it.
std::string InferEpsEffect(const BatchNormLabState& s) {
  const int c = s.x.dim(0), n = s.x.dim(1);
  double delta = 0, largest = 0;
  bool undefined = false;
  for (int j = 0; j < c; ++j) {
    const size_t k = static_cast<size_t>(j);
    const double rv = s.running_var[k], rm = s.running_mean[k], g = s.gamma[k];
    const double s0 = std::sqrt(rv), s1 = std::sqrt(rv + 1e-5);
    for (int i = 0; i < n; ++i) {
      const double d = s.x.at(j, i) - rm;
      largest = std::max(largest, std::fabs(d / s1));
      if (s0 == 0) {
        undefined |= d != 0;
        continue;
      }
      delta = std::max(delta, std::fabs(g * d / s0 - g * d / s1));
    }
  }
  if (undefined)
    return "At inference " + std::string(kSigma) + " = " + kSqrt + "(running variance + " + kEps +
           ") is 0 here without " + kEps + ": " + kXHat + " = (x " + kMinus + " " + kMu +
           ")/0 is undefined. " + kEps + " = " + Num(1e-5) + " (the usual default) makes " +
           kSigma + " = " + TraceNum(std::sqrt(1e-5)) + " and |" + kXHat + "| as large as " +
           TraceNum(largest) + ".";
  return std::string(kEps) + " keeps " + kSigma + " > 0 when a running variance is 0. Here " +
         kEps + " = " + Num(1e-5) + " (the usual default) against " + kEps +
         " = 0 moves y by at most " + TraceNum(delta) +
         (delta < 1e-5 ? " (around the sixth digit)." : ".");
}

}  // namespace

BatchNormLabResult EvaluateBatchNormLab(const BatchNormLabState& state) {
  BatchNormLabResult r;
  EvaluateBatchNormLab(state, &r);
  return r;
}

void EvaluateBatchNormLab(const BatchNormLabState& s, BatchNormLabResult* result) {
  BatchNormLabResult& r = *result;
  const int c = s.x.dim(0), n = s.x.dim(1);
  const size_t cs = static_cast<size_t>(c);
  for (Tensor* t : {&r.mean, &r.var, &r.sigma, &r.running_mean, &r.running_var, &r.infer_sigma})
    Resize(t, {c});
  for (Tensor* t : {&r.xhat, &r.y, &r.infer_xhat, &r.infer_y}) Resize(t, {c, n});
  r.text.assign(cs, BatchNormFeatureText());
  r.xhat_text.resize(cs * static_cast<size_t>(n));
  r.y_text.resize(r.xhat_text.size());
  r.infer_xhat_text.resize(r.xhat_text.size());
  r.infer_y_text.resize(r.xhat_text.size());

  const TrainOut t = TrainForward(s, s.eps);
  // Inference with the state's running statistics.
  BatchNormParams p;
  p.n = n, p.c = c, p.eps = s.eps;
  std::vector<double> x(cs * static_cast<size_t>(n)),
      g(s.gamma.values().begin(), s.gamma.values().end()),
      b(s.beta.values().begin(), s.beta.values().end()),
      rm(s.running_mean.values().begin(), s.running_mean.values().end()),
      rv(s.running_var.values().begin(), s.running_var.values().end()), yi(x.size());
  for (int j = 0; j < c; ++j)
    for (int i = 0; i < n; ++i) x[static_cast<size_t>(i * c + j)] = s.x.at(j, i);
  batchnorm_forward_infer<double>(p, x.data(), g.data(), b.data(), rm.data(), rv.data(), yi.data());

  const double m = s.momentum;
  for (int j = 0; j < c; ++j) {
    const size_t k = static_cast<size_t>(j);
    BatchNormFeatureText& tx = r.text[k];
    const double mu = t.mean[k], var = t.var[k], sigma = std::sqrt(var + s.eps);
    const double gj = s.gamma[k], bj = s.beta[k];
    r.mean[k] = static_cast<float>(mu);
    r.var[k] = static_cast<float>(var);
    r.sigma[k] = static_cast<float>(sigma);
    r.running_mean[k] = static_cast<float>(t.running_mean[k]);
    r.running_var[k] = static_cast<float>(t.running_var[k]);
    const double isigma = std::sqrt(rv[k] + s.eps);
    r.infer_sigma[k] = static_cast<float>(isigma);

    const std::string nn = std::to_string(n);
    const std::string minus = std::string(" ") + kMinus + " ",
                      times = std::string(" ") + kTimes + " ";
    tx.mean = "(" + JoinTerms(n, " + ", [&](int i) { return TraceNum(s.x.at(j, i)); }) + ")/" + nn +
              Eq(mu);
    tx.var =
        "(" +
        JoinTerms(n, " + ",
                  [&](int i) {
                    return "(" + TraceNum(s.x.at(j, i)) + minus + TraceParen(mu) + ")" + Sup(2);
                  }) +
        ")/" + nn + Eq(var);
    tx.sigma = kSqrt + ("(" + TraceNum(var) + " + " + TraceNum(s.eps) + ")") + Eq(sigma);
    tx.running_mean = TraceNum(1 - m) + times + TraceParen(s.running_mean[k]) + " + " +
                      TraceNum(m) + times + TraceParen(mu) + Eq(t.running_mean[k]);
    tx.running_var = TraceNum(1 - m) + times + TraceParen(s.running_var[k]) + " + " + TraceNum(m) +
                     times + TraceParen(var) + Eq(t.running_var[k]);
    tx.infer_sigma = kSqrt + ("(" + TraceNum(rv[k]) + " + " + TraceNum(s.eps) + ")") + Eq(isigma);
    if (sigma == 0)
      tx.note = std::string(kSigma) + " = 0 (every value equals the mean and " + kEps +
                " = 0): " + kXHat + " = 0/0 is undefined; the lab takes " + kXHat +
                " = 0, y = " + kBeta + ", which is what any " + kEps + " > 0 gives.";

    for (int i = 0; i < n; ++i) {
      const size_t e = k * static_cast<size_t>(n) + static_cast<size_t>(i);
      const size_t op = static_cast<size_t>(i * c + j);
      const double xi = s.x.at(j, i);
      // Training: xhat = (x - mu)/sigma, y = gamma xhat + beta (the op's y).
      double xh = sigma > 0 ? (xi - mu) / sigma : 0.0;
      double y = sigma > 0 ? t.y[op] : bj;
      r.xhat.at(j, i) = static_cast<float>(xh);
      r.y.at(j, i) = static_cast<float>(y);
      r.xhat_text[e] =
          "(" + TraceNum(xi) + minus + TraceParen(mu) + ")/" + TraceNum(sigma) + Eq(xh);
      r.y_text[e] = TraceNum(gj) + times + TraceParen(xh) + " + " + TraceParen(bj) + Eq(y);
      // Inference. sigma = 0 (running variance 0, eps = 0): (x - mu)/0 is undefined (+-inf,
      // null in the JSON) unless x = mu, where 0/0 is taken as 0 as in training.
      const bool undefined = isigma == 0 && xi != rm[k];
      const std::string ratio =
          "(" + TraceNum(xi) + minus + TraceParen(rm[k]) + ")/" + TraceNum(isigma);
      if (undefined) {
        const double inf = std::numeric_limits<double>::infinity();
        xh = xi > rm[k] ? inf : -inf;
        y = gj * xh + bj;  // gamma = 0 gives 0 * inf: NaN, undefined too
        r.infer_xhat_text[e] = ratio + " is undefined (division by 0)";
        r.infer_y_text[e] =
            TraceNum(gj) + times + "undefined + " + TraceParen(bj) + " is undefined";
      } else {
        xh = isigma > 0 ? (xi - rm[k]) / isigma : 0.0;
        y = isigma > 0 ? yi[op] : bj;
        r.infer_xhat_text[e] = ratio + Eq(xh);
        r.infer_y_text[e] = TraceNum(gj) + times + TraceParen(xh) + " + " + TraceParen(bj) + Eq(y);
      }
      if (undefined && tx.infer_note.empty())
        tx.infer_note = std::string(kSigma) + " = " + kSqrt + "(running variance + " + kEps +
                        ") = 0: " + kXHat + " = (x " + kMinus + " " + kMu + ")/0 is undefined (" +
                        kPlusMinus + kInf + ") for every x other than " + kMu +
                        ", and so is y; x = " + kMu + " gives 0/0, taken as 0. Any " + kEps +
                        " > 0 makes " + kSigma + " > 0.";
      r.infer_xhat.at(j, i) = static_cast<float>(xh);
      r.infer_y.at(j, i) = static_cast<float>(y);
    }
  }

  if (s.mode == BatchNormMode::kInfer) {
    r.eps_effect = InferEpsEffect(s);
    r.steps = BatchNormCheckSteps(s, r);
    return;
  }
  // What eps does here: y with eps = 0 against y with the framework default 1e-5.
  const TrainOut zero = TrainForward(s, 0.0), dflt = TrainForward(s, 1e-5);
  double delta = 0;
  bool any_constant = false;
  for (size_t k = 0; k < cs; ++k) any_constant |= t.var[k] == 0;
  for (size_t e = 0; e < zero.y.size(); ++e)
    delta = std::max(delta, std::fabs(zero.y[e] - dflt.y[e]));
  if (any_constant) {
    r.eps_effect = "A feature is constant (" + std::string(kSigma) + Sup(2) + " = 0): without " +
                   kEps + ", " + kSigma + " = 0 and " + kXHat + " = 0/0; " + kEps + " > 0 makes " +
                   kXHat + " = 0 and y = " + kBeta + ".";
  } else {
    r.eps_effect = std::string(kEps) + " keeps " + kSigma +
                   " > 0 when a feature is constant. Here " + kEps + " = " + Num(1e-5) +
                   " (the usual default) against " + kEps + " = 0 moves y by at most " +
                   TraceNum(delta) + (delta < 1e-5 ? " (around the sixth digit)." : ".");
  }
  r.steps = BatchNormCheckSteps(s, r);
}

std::vector<CheckStep> BatchNormCheckSteps(const BatchNormLabState& s,
                                           const BatchNormLabResult& r) {
  const bool train = s.mode == BatchNormMode::kTrain;
  const int c = s.x.dim(0), n = s.x.dim(1);
  std::vector<CheckStep> steps(5);
  const std::string mu = kMu, var = kSigma + Sup(2), minus = std::string(" ") + kMinus + " ";
  steps[0] = {"mu", mu + (train ? " = mean of the batch" : " = running mean"), {}, {}};
  steps[1] = {"var",
              var + (train ? " = mean of (x" + minus + mu + ")" + Sup(2) : " = running variance"),
              {},
              {}};
  steps[2] = {
      "sigma", std::string(kSigma) + " = " + kSqrt + "(" + var + " + " + kEps + ")", {}, {}};
  steps[3] = {"xhat", std::string(kXHat) + " = (x" + minus + mu + ")/" + kSigma, {}, {}};
  steps[4] = {"y", std::string("y = ") + kGamma + kDot + kXHat + " + " + kBeta, {}, {}};
  for (int j = 0; j < c; ++j) {
    const size_t k = static_cast<size_t>(j);
    steps[0].values.push_back(train ? r.mean[k] : s.running_mean[k]);
    steps[0].arithmetic.push_back(train ? r.text[k].mean : "");
    steps[1].values.push_back(train ? r.var[k] : s.running_var[k]);
    steps[1].arithmetic.push_back(train ? r.text[k].var : "");
    steps[2].values.push_back(train ? r.sigma[k] : r.infer_sigma[k]);
    steps[2].arithmetic.push_back(train ? r.text[k].sigma : r.text[k].infer_sigma);
    for (int i = 0; i < n; ++i) {
      const size_t e = k * static_cast<size_t>(n) + static_cast<size_t>(i);
      steps[3].values.push_back(train ? r.xhat.at(j, i) : r.infer_xhat.at(j, i));
      steps[3].arithmetic.push_back(train ? r.xhat_text[e] : r.infer_xhat_text[e]);
      steps[4].values.push_back(train ? r.y.at(j, i) : r.infer_y.at(j, i));
      steps[4].arithmetic.push_back(train ? r.y_text[e] : r.infer_y_text[e]);
    }
  }
  return steps;
}

CheckRecompute BatchNormCheckRecompute(const BatchNormLabState& s) {
  return [s](const CheckGiven& given) {
    const BatchNormLabResult r = EvaluateBatchNormLab(s);
    std::vector<CheckStep> steps = r.steps;
    const bool train = s.mode == BatchNormMode::kTrain;
    const int c = s.x.dim(0), n = s.x.dim(1);
    const std::string minus = std::string(" ") + kMinus + " ";
    for (int j = 0; j < c; ++j) {
      const size_t k = static_cast<size_t>(j);
      // Their mean, the variance about it, its root, then x̂ and y from their numbers.
      const double mu = given.Get("mu", k, steps[0].values[k]);
      if (train) {
        double var = 0;
        std::string text;
        for (int i = 0; i < n; ++i) {
          const double d = s.x.at(j, i) - mu;
          var += d * d;
          text += std::string(i ? " + " : "(") + "(" + TraceNum(s.x.at(j, i)) + minus +
                  TraceParen(mu) + ")" + Sup(2);
        }
        var /= n;
        steps[1].values[k] = var;
        steps[1].arithmetic[k] = text + ")/" + std::to_string(n) + Eq(var);
      }
      const double var = given.Get("var", k, steps[1].values[k]);
      const double sigma = std::sqrt(var + static_cast<double>(s.eps));
      steps[2].values[k] = sigma;
      steps[2].arithmetic[k] =
          std::string(kSqrt) + "(" + TraceNum(var) + " + " + TraceNum(s.eps) + ")" + Eq(sigma);
      const double sg = given.Get("sigma", k, sigma);
      for (int i = 0; i < n; ++i) {
        const size_t e = k * static_cast<size_t>(n) + static_cast<size_t>(i);
        const double xh = (s.x.at(j, i) - mu) / sg;
        steps[3].values[e] = xh;
        steps[3].arithmetic[e] =
            "(" + TraceNum(s.x.at(j, i)) + minus + TraceParen(mu) + ")/" + TraceParen(sg) + Eq(xh);
        const double x2 = given.Get("xhat", e, xh);
        const double y = s.gamma[k] * x2 + s.beta[k];
        steps[4].values[e] = y;
        steps[4].arithmetic[e] =
            TraceNum(s.gamma[k]) + kTimes + TraceParen(x2) + " + " + TraceParen(s.beta[k]) + Eq(y);
      }
    }
    return steps;
  };
}

void ApplyBatchNormTrainingStep(const BatchNormLabResult& result, BatchNormLabState* state) {
  state->running_mean = result.running_mean;
  state->running_var = result.running_var;
}

// ---- share link ----------------------------------------------------------------------

std::string EncodeBatchNormLab(const BatchNormLabState& s) {
  Link link;
  link.lab = "batchnorm";
  link.fields = {
      {"x", FormatTensorText(s.x)},
      {"g", FormatTensorText(s.gamma)},
      {"b", FormatTensorText(s.beta)},
      {"eps", FormatFloat(s.eps)},
      {"mom", FormatFloat(s.momentum)},
      {"mode", s.mode == BatchNormMode::kTrain ? "train" : "infer"},
      {"rm", FormatTensorText(s.running_mean)},
      {"rv", FormatTensorText(s.running_var)},
      {"check", EncodeCheckEntries(s.check)},
  };
  return link.ToString();
}

namespace {

// A per-feature vector: shape [C] exactly; absent -> `fill` for every feature.
bool DecodeFeatureVector(const Link& link, const char* key, int c, float fill, Tensor* out,
                         LinkError* error) {
  const std::string* v = link.Find(key);
  if (!v) {
    *out = Tensor({c}, fill);
    return true;
  }
  std::string why;
  const TensorLimits limits{1, 1, 1, BatchNormLabLimits::kMaxFeatures};
  if (!ParseTensorText(*v, limits, out, &why)) return *error = {key, why}, false;
  if (out->dim(0) != c)
    return *error = {key, "expected " + std::to_string(c) + " value(s), one per feature (x has " +
                              std::to_string(c) + " row(s)), got " + std::to_string(out->dim(0))},
           false;
  return true;
}

bool DecodeUnit(const Link& link, const char* key, float lo, float hi, float* out,
                LinkError* error) {
  const std::string* v = link.Find(key);
  if (!v) return true;
  std::string why;
  if (!ParseFloat(*v, out, &why)) return *error = {key, why}, false;
  if (!(*out >= lo && *out <= hi))
    return *error = {key, "must be between " + TraceNum(lo) + " and " + TraceNum(hi)}, false;
  return true;
}

}  // namespace

bool DecodeBatchNormLab(const Link& link, BatchNormLabState* state, LinkError* error) {
  if (!CheckFieldNames(link, {"x", "g", "b", "eps", "mom", "mode", "rm", "rv", "check"}, error))
    return false;
  BatchNormLabState s;
  std::string why;
  const std::string* x = link.Find("x");
  if (!x) return *error = {"x", "the batch is missing"}, false;
  // The feature count is checked on the shape's text, before anything is allocated.
  const size_t colon = x->find(':'), times = x->find('x');
  if (colon != std::string::npos && times < colon) {
    int features = 0;
    if (!ParseInt(std::string_view(*x).substr(0, times), 1, BatchNormLabLimits::kMaxFeatures,
                  &features, &why))
      return *error = {"x", "features (rows): " + why}, false;
  }
  // One row per feature: "5:..." is read as one feature.
  const TensorLimits limits{1, 2, 1, BatchNormLabLimits::kMaxBatch};
  if (!ParseTensorText(*x, limits, &s.x, &why)) return *error = {"x", why}, false;
  if (s.x.rank() == 1) {
    Tensor row({1, s.x.dim(0)});
    row.values() = s.x.values();
    s.x = std::move(row);
  }
  if (s.x.dim(0) > BatchNormLabLimits::kMaxFeatures)
    return *error = {"x", "at most " + std::to_string(BatchNormLabLimits::kMaxFeatures) +
                              " features (rows), got " + std::to_string(s.x.dim(0))},
           false;
  const int c = s.x.dim(0);
  if (!DecodeFeatureVector(link, "g", c, 1.0f, &s.gamma, error)) return false;
  if (!DecodeFeatureVector(link, "b", c, 0.0f, &s.beta, error)) return false;
  if (!DecodeUnit(link, "eps", 0.0f, BatchNormLabLimits::kMaxEps, &s.eps, error)) return false;
  if (!DecodeUnit(link, "mom", 0.0f, 1.0f, &s.momentum, error)) return false;
  if (const std::string* mode = link.Find("mode")) {
    if (*mode == "train") {
      s.mode = BatchNormMode::kTrain;
    } else if (*mode == "infer") {
      s.mode = BatchNormMode::kInfer;
    } else {
      return *error = {"mode", "expected train or infer"}, false;
    }
  }
  if (!DecodeFeatureVector(link, "rm", c, 0.0f, &s.running_mean, error)) return false;
  if (!DecodeFeatureVector(link, "rv", c, 1.0f, &s.running_var, error)) return false;
  for (size_t k = 0; k < s.running_var.size(); ++k)
    if (s.running_var[k] < 0) return *error = {"rv", "a variance cannot be negative"}, false;
  const BatchNormLabResult r = EvaluateBatchNormLab(s);
  if (!DecodeCheckField(link, r.steps, &s.check, error)) return false;
  if (!CheckWrittenLength(link, EncodeBatchNormLab(s), error)) return false;
  *state = std::move(s);
  return true;
}

std::string BatchNormLabToJson(const BatchNormLabState& s, const BatchNormLabResult& r) {
  JsonWriter j;
  j.BeginObject().Key("lab").String("batchnorm").Key("version").Int(kLinkVersion);
  j.Key("link").String(EncodeBatchNormLab(s));
  j.Key("state").BeginObject();
  j.Key("x").TensorValue(s.x).Key("gamma").TensorValue(s.gamma).Key("beta").TensorValue(s.beta);
  j.Key("eps").Number(s.eps).Key("momentum").Number(s.momentum);
  j.Key("mode").String(s.mode == BatchNormMode::kTrain ? "train" : "infer");
  j.Key("running_mean").TensorValue(s.running_mean).Key("running_var").TensorValue(s.running_var);
  j.EndObject();
  auto list = [&](const char* key, const std::vector<std::string>& v) {
    j.Key(key).BeginArray();
    for (const std::string& t : v) j.String(t);
    j.EndArray();
  };
  j.Key("result").BeginObject();
  j.Key("train").BeginObject();
  j.Key("mean").TensorValue(r.mean).Key("var").TensorValue(r.var).Key("sigma").TensorValue(r.sigma);
  j.Key("xhat").TensorValue(r.xhat).Key("y").TensorValue(r.y);
  j.Key("running_mean").TensorValue(r.running_mean);
  j.Key("running_var").TensorValue(r.running_var);
  j.Key("trace").BeginObject();
  j.Key("features").BeginArray();
  for (const BatchNormFeatureText& t : r.text) {
    j.BeginObject().Key("mean").String(t.mean).Key("var").String(t.var);
    j.Key("sigma").String(t.sigma).Key("running_mean").String(t.running_mean);
    j.Key("running_var").String(t.running_var).Key("note").String(t.note).EndObject();
  }
  j.EndArray();
  list("xhat", r.xhat_text);
  list("y", r.y_text);
  j.EndObject().EndObject();
  j.Key("infer").BeginObject();
  j.Key("sigma").TensorValue(r.infer_sigma).Key("xhat").TensorValue(r.infer_xhat);
  j.Key("y").TensorValue(r.infer_y);
  j.Key("trace").BeginObject();
  j.Key("sigma").BeginArray();
  for (const BatchNormFeatureText& t : r.text) j.String(t.infer_sigma);
  j.EndArray();
  j.Key("notes").BeginArray();
  for (const BatchNormFeatureText& t : r.text) j.String(t.infer_note);
  j.EndArray();
  list("xhat", r.infer_xhat_text);
  list("y", r.infer_y_text);
  j.EndObject().EndObject();
  j.Key("eps_effect").String(r.eps_effect);
  j.EndObject();
  WriteCheckJson(&j, r.steps, s.check, BatchNormCheckRecompute(s));
  j.EndObject();
  return ToAscii(j.str());  // the JSON keeps ASCII (labs/notation.h)
}

}  // namespace nnplay
