// cost_lab.cpp: the cost calculator's model and share-link fields. See cost_lab.h.
#include "labs/cost_lab.h"

#include <cmath>
#include <cstdio>

#include "json.h"
#include "labs/lab_text.h"
#include "labs/notation.h"
#include "link/number.h"

namespace nnplay {
namespace {

std::string Shape(const FeatureShape& s) {
  return std::to_string(s.h) + kTimes + std::to_string(s.w) + kTimes + std::to_string(s.c);
}

ConvSpec Spec(int64_t out_c, int64_t k, bool same, int64_t stride, bool bias) {
  ConvSpec s;
  s.out_c = out_c, s.k = k, s.stride = stride, s.bias = bias;
  s.padding = same ? ConvPadding::kSame : ConvPadding::kValid;
  return s;
}

CostStep ConvStep(std::string id, std::string title, const FeatureShape& in, const ConvSpec& s) {
  CostStep st;
  st.id = std::move(id);
  st.title = std::move(title);
  st.in = in;
  st.spec = s;
  st.out = ConvOutShape(in, s);
  st.cost = ConvCost(in, s);
  const std::string kernel =
      std::to_string(s.k) + kTimes + std::to_string(s.k) + kTimes + std::to_string(in.c);
  const int64_t per_output = s.k * s.k * in.c;
  st.params_text = std::to_string(s.out_c) + " " + kTimes + " (" + kernel + ")" +
                   (s.bias ? " + " + std::to_string(s.out_c) : std::string()) + " = " +
                   Thousands(st.cost.params);
  st.mults_text = Shape(st.out) + " outputs " + kTimes + " " + kernel + " = " +
                  Thousands(st.out.size()) + " " + kTimes + " " + Thousands(per_output) + " = " +
                  Thousands(st.cost.mults);
  return st;
}

CostStep PoolStep(const FeatureShape& in) {
  CostStep st;
  st.title =
      "3\xC3\x97"
      "3 max pool, stride 1, same";
  st.in = st.out = in;
  st.pool = true;
  st.params_text = "0 (no weights)";
  st.mults_text = "0 (comparisons, no multiplications)";
  return st;
}

void Finish(CostBranch* b) {
  b->cost = LayerCost();
  std::string sum;
  for (const CostStep& s : b->steps) {
    b->cost = b->cost + s.cost;
    if (s.pool) continue;
    sum += (sum.empty() ? "" : " + ") + Thousands(s.cost.mults);
  }
  b->out = b->steps.back().out;
  b->mults_text = sum + " = " + Thousands(b->cost.mults);
}

}  // namespace

std::string Thousands(int64_t v) {
  const bool negative = v < 0;
  std::string digits = std::to_string(negative ? -v : v), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return negative ? "-" + out : out;
}

CostLabResult EvaluateCostLab(const CostLabState& state) {
  CostLabResult r;
  EvaluateCostLab(state, &r);
  return r;
}

void EvaluateCostLab(const CostLabState& s, CostLabResult* result) {
  CostLabResult& r = *result;
  r = CostLabResult();
  const FeatureShape in{s.h, s.w, s.c};
  const std::string k = std::to_string(s.k) + kTimes + std::to_string(s.k);
  switch (s.mode) {
    case CostMode::kSingle: {
      CostBranch b;
      b.id = "a", b.title = k + " conv, " + std::to_string(s.n) + " filters";
      b.steps.push_back(ConvStep("", b.title, in, Spec(s.n, s.k, s.same, s.stride, s.bias)));
      r.branches.push_back(b);
      break;
    }
    case CostMode::kBottleneck: {
      CostBranch b;
      b.id = "a", b.title =
                      "1\xC3\x97"
                      "1 bottleneck to " +
                      std::to_string(s.r) + ", then " + k;
      b.steps.push_back(ConvStep("red",
                                 "1\xC3\x97"
                                 "1 reduce to " +
                                     std::to_string(s.r),
                                 in, Spec(s.r, 1, true, 1, s.bias)));
      b.steps.push_back(ConvStep("conv", k + " conv, " + std::to_string(s.n) + " filters",
                                 b.steps[0].out, Spec(s.n, s.k, s.same, s.stride, s.bias)));
      r.branches.push_back(b);
      r.has_direct = true;
      r.direct = ConvCost(in, Spec(s.n, s.k, s.same, s.stride, s.bias));
      break;
    }
    case CostMode::kInception: {
      auto reduced = [&](const char* id, int kk, int red, int n) {
        CostBranch b;
        b.id = id;
        const std::string kn = std::to_string(kk) + kTimes + std::to_string(kk);
        const ConvSpec main = Spec(n, kk, true, 1, s.bias);
        if (red > 0) {
          b.title =
              "1\xC3\x97"
              "1 to " +
              std::to_string(red) + " \xE2\x86\x92 " + kn + " \xC3\x97 " + std::to_string(n);
          b.steps.push_back(ConvStep(std::string(id) + "r",
                                     "1\xC3\x97"
                                     "1 reduce to " +
                                         std::to_string(red),
                                     in, Spec(red, 1, true, 1, s.bias)));
          b.steps.push_back(ConvStep(std::string(id) + "k", kn + " conv, " + std::to_string(n),
                                     b.steps[0].out, main));
          r.has_direct = true;
        } else {
          b.title = kn + " \xC3\x97 " + std::to_string(n) + " (no reduction)";
          b.steps.push_back(ConvStep("", b.title, in, main));
        }
        r.direct = r.direct + ConvCost(in, main);
        return b;
      };
      if (s.use1) {
        CostBranch b;
        b.id = "b1", b.title =
                         "1\xC3\x97"
                         "1 \xC3\x97 " +
                         std::to_string(s.n1);
        b.steps.push_back(ConvStep("", b.title, in, Spec(s.n1, 1, true, 1, s.bias)));
        r.direct = r.direct + b.steps[0].cost;
        r.branches.push_back(b);
      }
      if (s.use3) r.branches.push_back(reduced("b3", 3, s.r3, s.n3));
      if (s.use5) r.branches.push_back(reduced("b5", 5, s.r5, s.n5));
      if (s.usep) {
        CostBranch b;
        b.id = "bp", b.title =
                         "3\xC3\x97"
                         "3 max pool \xE2\x86\x92 1\xC3\x97"
                         "1 \xC3\x97 " +
                         std::to_string(s.np);
        b.steps.push_back(PoolStep(in));
        b.steps.push_back(ConvStep("",
                                   "1\xC3\x97"
                                   "1 projection, " +
                                       std::to_string(s.np),
                                   in, Spec(s.np, 1, true, 1, s.bias)));
        r.direct = r.direct + b.steps[1].cost;
        r.branches.push_back(b);
      }
      if (r.branches.empty()) r.error = "Every branch is off: turn one on.";
      break;
    }
  }
  for (CostBranch& b : r.branches) Finish(&b);
  if (r.error.empty()) {
    r.out = r.branches[0].out;
    r.out.c = 0;
    for (const CostBranch& b : r.branches) {
      r.total = r.total + b.cost;
      r.out.c += b.out.c;
    }
    if (r.out.h == 0 || r.out.w == 0) {
      r.error = "No output: a " + k + " \"valid\" convolution needs an input of at least " + k +
                " pixels, and this one is " + std::to_string(s.h) + kTimes + std::to_string(s.w) +
                ". Use \"same\" padding or a smaller kernel.";
    }
  }
  if (r.error.empty()) {
    r.fc = DenseBetweenCost(in, r.out, s.bias);
    r.mult_ratio = static_cast<double>(r.fc.mults) / static_cast<double>(r.total.mults);
    r.param_ratio = static_cast<double>(r.fc.params) / static_cast<double>(r.total.params);
    r.inputs = in.size();
    if (s.mode == CostMode::kSingle) {
      r.reuse = r.out.h * r.out.w;
      r.inputs_per_output = int64_t{s.k} * s.k * s.c;
    }
  }
  r.steps = CostCheckSteps(s, r);
}

std::vector<CheckStep> CostCheckSteps(const CostLabState& s, const CostLabResult& r) {
  std::vector<CheckStep> steps;
  if (!r.error.empty()) return steps;
  auto f = [](int64_t v) { return static_cast<float>(v); };
  for (const CostBranch& b : r.branches) {
    for (const CostStep& st : b.steps) {
      if (!st.id.empty())
        steps.push_back(
            {st.id, st.title + ": multiplications", {f(st.cost.mults)}, {st.mults_text}});
    }
    if (s.mode == CostMode::kInception) {
      const std::string text =
          b.steps.size() > 1 && !b.steps[0].pool ? b.mults_text : b.steps.back().mults_text;
      steps.push_back({b.id, "branch " + b.title + ": multiplications", {f(b.cost.mults)}, {text}});
    }
  }
  std::string sum;
  for (const CostBranch& b : r.branches)
    sum += (sum.empty() ? "" : " + ") + Thousands(b.cost.mults);
  const bool one_step = r.branches.size() == 1 && r.branches[0].steps.size() == 1;
  steps.push_back(
      {"mults",
       "total multiplications",
       {f(r.total.mults)},
       {one_step ? r.branches[0].steps[0].mults_text
                 : (s.mode == CostMode::kBottleneck ? r.branches[0].mults_text
                                                    : sum + " = " + Thousands(r.total.mults))}});
  std::string psum;
  for (const CostBranch& b : r.branches)
    for (const CostStep& st : b.steps)
      if (!st.pool) psum += (psum.empty() ? "" : " + ") + Thousands(st.cost.params);
  steps.push_back({"params", "total parameters", {f(r.total.params)}, {psum}});
  const FeatureShape in{s.h, s.w, s.c};
  steps.push_back(
      {"fc",
       "fully connected " + Shape(in) + " \xE2\x86\x92 " + Shape(r.out) + ": multiplications",
       {f(r.fc.mults)},
       {Thousands(in.size()) + " " + kTimes + " " + Thousands(r.out.size())}});
  steps.push_back({"ratio",
                   "fully connected / convolution multiplications",
                   {static_cast<float>(r.mult_ratio)},
                   {Thousands(r.fc.mults) + " / " + Thousands(r.total.mults)}});
  return steps;
}

namespace {
std::string CountText(double v) {
  return std::fabs(v) < 9e18 && v == std::trunc(v) ? Thousands(static_cast<int64_t>(v)) : Num(v);
}
}  // namespace

CheckRecompute CostCheckRecompute(const CostLabState& s) {
  return [s](const CheckGiven& given) {
    const CostLabResult r = EvaluateCostLab(s);
    std::vector<CheckStep> steps = r.steps;
    auto set = [&](const std::string& id, double v, const std::string& text) {
      for (CheckStep& st : steps)
        if (st.id == id) st.values = {v}, st.arithmetic = {text + " = " + CountText(v)};
    };
    // A branch's total from their convolutions, the total from their branches, the ratio
    // from their totals (each number they left empty is the lab's own).
    double total = static_cast<double>(r.total.mults);
    std::string sum;
    for (const CostBranch& b : r.branches) {
      double bt = static_cast<double>(b.cost.mults);
      std::string bsum;
      for (const CostStep& st : b.steps) {
        if (st.id.empty()) continue;
        const double v = given.Get(st.id, 0, static_cast<double>(st.cost.mults));
        bt += v - static_cast<double>(st.cost.mults);
        bsum += (bsum.empty() ? "" : " + ") + CountText(v);
      }
      if (s.mode == CostMode::kInception && !bsum.empty()) set(b.id, bt, bsum);
      if (s.mode == CostMode::kInception) bt = given.Get(b.id, 0, bt);
      total += bt - static_cast<double>(b.cost.mults);
      sum += (sum.empty() ? "" : " + ") + (s.mode == CostMode::kBottleneck ? bsum : CountText(bt));
    }
    if (s.mode != CostMode::kSingle) set("mults", total, sum);
    total = given.Get("mults", 0, total);
    const double fc = given.Get("fc", 0, static_cast<double>(r.fc.mults));
    set("ratio", fc / total, CountText(fc) + " / " + CountText(total));
    return steps;
  };
}

// ---- share link ----------------------------------------------------------------------

namespace {

const char* ModeName(CostMode m) {
  switch (m) {
    case CostMode::kSingle:
      return "single";
    case CostMode::kBottleneck:
      return "bneck";
    case CostMode::kInception:
      return "incep";
  }
  return "single";
}

std::string BranchMask(const CostLabState& s) {
  std::string m;
  if (s.use1) m += '1';
  if (s.use3) m += '3';
  if (s.use5) m += '5';
  if (s.usep) m += 'p';
  return m.empty() ? "none" : m;
}

}  // namespace

std::string EncodeCostLab(const CostLabState& s) {
  Link link;
  link.lab = "cost";
  link.fields = {
      {"mode", ModeName(s.mode)},           {"h", std::to_string(s.h)},
      {"w", std::to_string(s.w)},           {"c", std::to_string(s.c)},
      {"k", std::to_string(s.k)},           {"n", std::to_string(s.n)},
      {"r", std::to_string(s.r)},           {"pad", s.same ? "same" : "valid"},
      {"stride", std::to_string(s.stride)}, {"br", BranchMask(s)},
      {"n1", std::to_string(s.n1)},         {"r3", std::to_string(s.r3)},
      {"n3", std::to_string(s.n3)},         {"r5", std::to_string(s.r5)},
      {"n5", std::to_string(s.n5)},         {"np", std::to_string(s.np)},
      {"bias", s.bias ? "1" : "0"},         {"check", EncodeCheckEntries(s.check)},
  };
  return link.ToString();
}

bool DecodeCostLab(const Link& link, CostLabState* state, LinkError* error) {
  if (!CheckFieldNames(link,
                       {"mode", "h", "w", "c", "k", "n", "r", "pad", "stride", "br", "n1", "r3",
                        "n3", "r5", "n5", "np", "bias", "check"},
                       error))
    return false;
  CostLabState s;
  std::string why;
  if (const std::string* v = link.Find("mode")) {
    if (*v == "single") {
      s.mode = CostMode::kSingle;
    } else if (*v == "bneck") {
      s.mode = CostMode::kBottleneck;
    } else if (*v == "incep") {
      s.mode = CostMode::kInception;
    } else {
      return *error = {"mode", "expected single, bneck or incep"}, false;
    }
  }
  struct IntField {
    const char* key;
    int* value;
    int lo, hi;
  };
  constexpr int kC = CostLabLimits::kMaxChannels;
  const IntField ints[] = {
      {"h", &s.h, 1, CostLabLimits::kMaxSide},
      {"w", &s.w, 1, CostLabLimits::kMaxSide},
      {"c", &s.c, 1, kC},
      {"k", &s.k, 1, CostLabLimits::kMaxKernel},
      {"n", &s.n, 1, kC},
      {"r", &s.r, 1, kC},
      {"stride", &s.stride, 1, CostLabLimits::kMaxStride},
      {"n1", &s.n1, 1, kC},
      {"r3", &s.r3, 0, kC},
      {"n3", &s.n3, 1, kC},
      {"r5", &s.r5, 0, kC},
      {"n5", &s.n5, 1, kC},
      {"np", &s.np, 1, kC},
  };
  for (const IntField& f : ints) {
    if (const std::string* v = link.Find(f.key)) {
      if (!ParseInt(*v, f.lo, f.hi, f.value, &why)) return *error = {f.key, why}, false;
    }
  }
  if (const std::string* v = link.Find("pad")) {
    if (*v != "same" && *v != "valid") return *error = {"pad", "expected same or valid"}, false;
    s.same = *v == "same";
  }
  if (const std::string* v = link.Find("br")) {
    s.use1 = s.use3 = s.use5 = s.usep = false;
    if (*v != "none") {
      const std::string order = "135p";
      size_t last = 0;
      for (char ch : *v) {
        const size_t at = order.find(ch);
        if (at == std::string::npos || at + 1 <= last)
          return *error = {"br",
                           "expected the branches on, in the order 1, 3, 5, p (e.g. 135p "
                           "or 35), or none"},
                 false;
        last = at + 1;
        (ch == '1' ? s.use1 : ch == '3' ? s.use3 : ch == '5' ? s.use5 : s.usep) = true;
      }
      if (v->empty()) return *error = {"br", "expected the branches on, or none"}, false;
    }
  }
  if (const std::string* v = link.Find("bias")) {
    if (*v != "0" && *v != "1") return *error = {"bias", "expected 0 or 1"}, false;
    s.bias = *v == "1";
  }
  if (const std::string* v = link.Find("check")) {
    const CostLabResult r = EvaluateCostLab(s);
    if (!DecodeCheckEntries(*v, r.steps, &s.check, &why)) return *error = {"check", why}, false;
  }
  if (!CheckWrittenLength(link, EncodeCostLab(s), error)) return false;
  *state = std::move(s);
  return true;
}

std::string CostLabToJson(const CostLabState& s, const CostLabResult& r) {
  auto shape = [](JsonWriter* j, const FeatureShape& f) {
    j->BeginArray().Int(f.h).Int(f.w).Int(f.c).EndArray();
  };
  JsonWriter j;
  j.BeginObject().Key("lab").String("cost").Key("version").Int(kLinkVersion);
  j.Key("link").String(EncodeCostLab(s));
  j.Key("state").BeginObject();
  j.Key("mode").String(ModeName(s.mode)).Key("input");
  shape(&j, {s.h, s.w, s.c});
  j.Key("k").Int(s.k).Key("n").Int(s.n).Key("r").Int(s.r);
  j.Key("padding").String(s.same ? "same" : "valid").Key("stride").Int(s.stride);
  j.Key("branches_on").String(BranchMask(s));
  j.Key("n1").Int(s.n1).Key("r3").Int(s.r3).Key("n3").Int(s.n3).Key("r5").Int(s.r5);
  j.Key("n5").Int(s.n5).Key("np").Int(s.np).Key("bias").Bool(s.bias);
  j.EndObject();
  j.Key("result").BeginObject();
  if (!r.error.empty()) {
    j.Key("error").String(r.error);
  } else {
    j.Key("error").Null();
    j.Key("branches").BeginArray();
    for (const CostBranch& b : r.branches) {
      j.BeginObject().Key("id").String(b.id).Key("title").String(b.title);
      j.Key("steps").BeginArray();
      for (const CostStep& st : b.steps) {
        j.BeginObject().Key("title").String(st.title).Key("in");
        shape(&j, st.in);
        j.Key("out");
        shape(&j, st.out);
        j.Key("params").Int(st.cost.params).Key("mults").Int(st.cost.mults);
        j.Key("params_text").String(st.params_text).Key("mults_text").String(st.mults_text);
        j.EndObject();
      }
      j.EndArray().Key("out");
      shape(&j, b.out);
      j.Key("params").Int(b.cost.params).Key("mults").Int(b.cost.mults);
      j.Key("mults_text").String(b.mults_text).EndObject();
    }
    j.EndArray().Key("out");
    shape(&j, r.out);
    j.Key("params").Int(r.total.params).Key("mults").Int(r.total.mults);
    j.Key("mults_formatted").String(Thousands(r.total.mults));
    j.Key("fc").BeginObject().Key("params").Int(r.fc.params).Key("mults").Int(r.fc.mults);
    j.Key("mults_formatted").String(Thousands(r.fc.mults)).EndObject();
    j.Key("mult_ratio").Number(static_cast<float>(r.mult_ratio));
    j.Key("param_ratio").Number(static_cast<float>(r.param_ratio));
    if (s.mode == CostMode::kSingle) {
      j.Key("weight_reuse").Int(r.reuse).Key("inputs_per_output").Int(r.inputs_per_output);
      j.Key("inputs").Int(r.inputs);
    }
    if (r.has_direct) {
      j.Key("without_reductions").BeginObject().Key("params").Int(r.direct.params);
      j.Key("mults").Int(r.direct.mults).EndObject();
    }
  }
  j.EndObject();
  WriteCheckJson(&j, r.steps, s.check, CostCheckRecompute(s));
  j.EndObject();
  return ToAscii(j.str());  // the JSON keeps ASCII (labs/notation.h)
}

}  // namespace nnplay
