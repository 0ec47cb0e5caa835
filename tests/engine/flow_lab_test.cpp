// flow_lab_test.cpp: the gradient-flow lab (E7, E11) against an independent computation:
// a plain double-precision re-implementation of the documented network (below, written
// from flow_lab.h's description, not from its code) and closed forms worked out by hand.
#include "labs/flow_lab.h"

#include "labs/notation.h"

#include <gtest/gtest.h>

#include <cmath>

#include "labs/registry.h"
#include "ops/rng.h"

namespace nnplay {
namespace {

// ---- the reference: loops over arrays, nothing from the lab or the ops but the PCG32
// numbers the documentation names ------------------------------------------------------
struct Reference {
  std::vector<double> grad_norm;         // ‖∂L/∂a_l‖, l = 0..L
  std::vector<std::vector<double>> act;  // a_l, l = 0..L
};

double G(FlowActivation act, double z) {
  switch (act) {
    case FlowActivation::kSigmoid:
      return 1.0 / (1.0 + std::exp(-z));
    case FlowActivation::kTanh:
      return std::tanh(z);
    case FlowActivation::kRelu:
      return z > 0 ? z : 0.0;
    case FlowActivation::kLeakyRelu:
      return z > 0 ? z : 0.01 * z;
  }
  return 0;
}

double GPrime(FlowActivation act, double z) {
  switch (act) {
    case FlowActivation::kSigmoid: {
      const double s = 1.0 / (1.0 + std::exp(-z));
      return s * (1.0 - s);
    }
    case FlowActivation::kTanh:
      return 1.0 - std::tanh(z) * std::tanh(z);
    case FlowActivation::kRelu:
      return z > 0 ? 1.0 : 0.0;
    case FlowActivation::kLeakyRelu:
      return z > 0 ? 1.0 : 0.01;
  }
  return 0;
}

Reference RunReference(const FlowConfig& c, int xseed) {
  const int n = c.width, L = c.depth;
  // W[l][i][j], drawn layer by layer, row-major, from PCG32(seed).
  std::vector<std::vector<std::vector<double>>> W(
      L, std::vector<std::vector<double>>(n, std::vector<double>(n)));
  Pcg32 rng(static_cast<uint64_t>(c.seed));
  double limit = c.w;
  if (c.init == FlowInit::kXavier) limit = std::sqrt(6.0 / (2.0 * n));
  if (c.init == FlowInit::kHe) limit = std::sqrt(6.0 / n);
  for (int l = 0; l < L; ++l)
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j)
        W[l][i][j] = c.init == FlowInit::kConstant ? c.w : (2.0 * rng.NextFloat01() - 1.0) * limit;
  Reference r;
  r.act.assign(L + 1, std::vector<double>(n));
  std::vector<std::vector<double>> z(L + 1, std::vector<double>(n));
  Pcg32 xr(static_cast<uint64_t>(xseed));
  for (int i = 0; i < n; ++i) r.act[0][i] = xr.NextFloat01();
  for (int l = 1; l <= L; ++l) {
    for (int i = 0; i < n; ++i) {
      double s = 0;
      for (int j = 0; j < n; ++j) s += W[l - 1][i][j] * r.act[l - 1][j];
      z[l][i] = s;
      r.act[l][i] = G(c.act, s) + (c.residual ? r.act[l - 1][i] : 0.0);
    }
  }
  std::vector<double> d(n, 1.0);  // ∂L/∂a_L for L = Σ a_L
  r.grad_norm.assign(L + 1, 0.0);
  auto norm = [](const std::vector<double>& v) {
    double s = 0;
    for (double x : v) s += x * x;
    return std::sqrt(s);
  };
  r.grad_norm[L] = norm(d);
  for (int l = L; l >= 1; --l) {
    std::vector<double> prev(n, 0.0);
    for (int j = 0; j < n; ++j) {
      double s = c.residual ? d[j] : 0.0;
      for (int i = 0; i < n; ++i) s += W[l - 1][i][j] * GPrime(c.act, z[l][i]) * d[i];
      prev[j] = s;
    }
    d = prev;
    r.grad_norm[l - 1] = norm(d);
  }
  return r;
}

void ExpectMatchesReference(const FlowConfig& c, int xseed, const FlowRun& run,
                            const std::string& what) {
  const Reference ref = RunReference(c, xseed);
  ASSERT_EQ(run.grad_norm.size(), ref.grad_norm.size()) << what;
  for (size_t l = 0; l < ref.grad_norm.size(); ++l) {
    EXPECT_NEAR(run.grad_norm[l], ref.grad_norm[l], 1e-9 * ref.grad_norm[l] + 1e-300)
        << what << " layer " << l;
  }
  for (int l = 1; l <= c.depth; ++l)
    for (int i = 0; i < c.width; ++i)
      EXPECT_NEAR(run.a.at(l - 1, i), ref.act[l][i], 1e-5 * std::fabs(ref.act[l][i]) + 1e-30)
          << what << " a_" << l << "[" << i << "]";
}

const FlowPreset& Preset(const std::string& id) {
  for (const FlowPreset& p : FlowPresets())
    if (id == p.id) return p;
  ADD_FAILURE() << "no preset " << id;
  return FlowPresets()[0];
}

FlowLabState Decode(const std::string& text) {
  Link link;
  LinkError error;
  FlowLabState state;
  EXPECT_TRUE(ParseLink(text, &link, &error)) << error.ToString();
  EXPECT_TRUE(DecodeFlowLab(link, &state, &error)) << text << ": " << error.ToString();
  return state;
}

double MaxOverMin(const std::vector<double>& v, size_t from, size_t to) {
  double lo = v[from], hi = v[from];
  for (size_t i = from; i <= to; ++i) lo = std::min(lo, v[i]), hi = std::max(hi, v[i]);
  return hi / lo;
}

// ---- tests ---------------------------------------------------------------------------

TEST(FlowLab, EveryPresetMatchesTheReferenceLayerByLayer) {
  for (const FlowPreset& p : FlowPresets()) {
    const FlowLabResult r = EvaluateFlowLab(p.state);
    ExpectMatchesReference(p.state.a, p.state.xseed, r.a, std::string(p.id) + " A");
    ExpectMatchesReference(p.state.b, p.state.xseed, r.b, std::string(p.id) + " B");
  }
}

TEST(FlowLab, OtherActivationsAndInitsMatchTheReference) {
  FlowLabState s = FlowLabDefault();
  s.a = {13, 5, FlowActivation::kLeakyRelu, FlowInit::kUniform, 0.7f, 42, true};
  s.b = {50, 32, FlowActivation::kTanh, FlowInit::kHe, 1, 7, false};
  s.xseed = 3;
  const FlowLabResult r = EvaluateFlowLab(s);
  ExpectMatchesReference(s.a, s.xseed, r.a, "leaky uniform residual");
  ExpectMatchesReference(s.b, s.xseed, r.b, "tanh he 50x32");
}

TEST(FlowLab, SigmoidTwentyLayersVanishes) {
  // E7: every sigmoid layer multiplies the gradient by σ'(z) ≤ 0.25 times a weight
  // matrix; with Xavier weights (|w| ≤ √(6/16) = 0.61) 19 layers leave far less than 1e-6.
  const FlowLabResult r = EvaluateFlowLab(Preset("e7-sigmoid-20").state);
  EXPECT_LT(r.a.grad_norm[1], 1e-6 * r.a.grad_norm[20]);
  EXPECT_LT(r.a.ratio, 1e-6);
  // The top layer's gradient is ∂L/∂a_20 = (1, ..., 1): norm √8.
  EXPECT_DOUBLE_EQ(r.a.grad_norm[20], std::sqrt(8.0));
}

TEST(FlowLab, SigmoidChainByHand) {
  // Width 1, w = 1, plain: ∂L/∂a_1 = Π_{l=2..20} σ'(z_l)·w with z_l = a_{l-1}. For l ≥ 2,
  // a_{l-1} = σ(·) of a non-negative number lies in [0.5, 0.7311) (σ(1) = 0.7311), so
  // σ'(z_l) ∈ (σ'(0.7311), σ'(0.5)] = (0.2194, 0.2350] (σ(0.7311) = 0.6750, 0.6750 ·
  // 0.3250 = 0.2194): the ratio lies in (0.219^19, 0.2350^19] = (2.9e-13, 1.12e-12], well
  // under 1e-6 and under 0.25^19 = 3.6e-12. (The chain settles at a* = σ(a*) = 0.6590,
  // σ'(a*) = 0.2247: about 0.2247^19 = 4.8e-13.)
  const FlowLabState s = Preset("e7-sigmoid-by-hand").state;
  const FlowLabResult r = EvaluateFlowLab(s);
  EXPECT_GT(r.a.ratio, std::pow(0.219, 19));
  EXPECT_LE(r.a.ratio, std::pow(0.2350, 19));
  EXPECT_LT(r.a.ratio, std::pow(0.25, 19));
  // The block arithmetic at layer 10 is the scalar product rule: dx = dy · σ'(z) · w.
  const FlowBlockTrace& t = r.a.block;
  EXPECT_EQ(t.layer, 10);
  EXPECT_NEAR(t.dx0, t.dy0 * t.gprime0 * 1.0, 1e-15);
  EXPECT_NEAR(t.gprime0, GPrime(FlowActivation::kSigmoid, t.z0), 1e-15);
  // Residual B: each layer multiplies by (σ'(z)·1 + 1) ∈ (1, 1.25]: the gradient grows,
  // at most 1.25^19 = 69.4, and ∂L/∂x = ∂L/∂y·(∂F/∂x + 1) holds with its numbers.
  EXPECT_GT(r.b.ratio, 1.0);
  EXPECT_LE(r.b.ratio, std::pow(1.25, 19));
  const FlowBlockTrace& u = r.b.block;
  EXPECT_NEAR(u.dx0, u.dy0 * (u.dfdx + 1.0), 1e-12 * u.dx0);
  ASSERT_EQ(u.lines.size(), 3u);
  EXPECT_NE(ToAscii(u.lines[2]).find("dL/dx = dL/dy*(dF/dx + 1) = "), std::string::npos)
      << u.lines[2];
}

TEST(FlowLab, ReluChainOfOnesPassesTheGradientUnchanged) {
  // Width 1, w = 1, ReLU, input ≥ 0: every z = x ≥ 0... and relu'(z) = 1 for z > 0, so
  // every ∂L/∂a_l is exactly 1 (the input is PCG32's first number, > 0 for seed 1).
  FlowLabState s = FlowLabDefault();
  s.a = {20, 1, FlowActivation::kRelu, FlowInit::kConstant, 1, 1, false};
  const FlowLabResult r = EvaluateFlowLab(s);
  ASSERT_GT(r.a.input[0], 0.0f);
  for (double g : r.a.grad_norm) EXPECT_EQ(g, 1.0);
}

TEST(FlowLab, ResidualStaysWithinAnOrderOfMagnitude) {
  // E11: with the skip, ∂L/∂a_{l-1} = ∂L/∂a_l + Wᵀ(σ'(z) ⊙ ∂L/∂a_l); the identity path
  // keeps the gradient from vanishing. The plain twin (B) loses more than 1e-6.
  const FlowLabResult r = EvaluateFlowLab(Preset("e11-residual-20").state);
  EXPECT_LT(MaxOverMin(r.a.grad_norm, 1, 20), 10.0);
  EXPECT_LT(r.b.ratio, 1e-6);
}

TEST(FlowLab, ZeroWeightsMakeTheResidualBlockTheIdentity) {
  // E11: W = 0, b = 0, ReLU: F(x) = relu(0) = 0, so a_l = a_{l-1} = x for every l, and
  // ∂L/∂x = ∂L/∂y·(0 + 1): every gradient is (1, ..., 1), norm √8. Without the skip (B)
  // a_l = relu(0) = 0 and nothing reaches below the top: ∂L/∂a_l = 0 for l < 20.
  const FlowLabState s = Preset("e11-zero-block").state;
  const FlowLabResult r = EvaluateFlowLab(s);
  for (int l = 0; l < 20; ++l)
    for (int i = 0; i < 8; ++i) EXPECT_EQ(r.a.a.at(l, i), r.a.input[static_cast<size_t>(i)]);
  for (double g : r.a.grad_norm) EXPECT_DOUBLE_EQ(g, std::sqrt(8.0));
  for (int l = 0; l < 20; ++l) EXPECT_EQ(r.b.grad_norm[static_cast<size_t>(l)], 0.0);
  EXPECT_EQ(r.a.block.fpath0, 0.0);
  EXPECT_EQ(r.a.block.dx0, 1.0);
  EXPECT_EQ(r.a.block.skip0, 1.0);
  const std::string json = FlowLabToJson(s, r);
  EXPECT_NE(json.find("\"log10_grad_norm\":[null,null"), std::string::npos);  // log10(0)
}

TEST(FlowLab, SigmoidDerivativePeaksAtAQuarterAtZero) {
  // E7: σ'(x) = σ(x)(1 − σ(x)) ≤ 0.25, equality only at 0 (σ(0) = 0.5).
  FlowCurve c;
  EvaluateFlowCurve(FlowActivation::kSigmoid, &c);
  ASSERT_EQ(c.x.size(), 161u);
  EXPECT_EQ(c.dy_at_0, 0.25);
  EXPECT_EQ(c.peak_x, 0.0);
  for (size_t i = 0; i < c.x.size(); ++i) {
    EXPECT_LE(c.dy[i], 0.25) << c.x[i];
    if (c.x[i] != 0) {
      EXPECT_LT(c.dy[i], 0.25) << c.x[i];
    }
    EXPECT_NEAR(c.dy[i], GPrime(FlowActivation::kSigmoid, c.x[i]), 1e-15);
  }
  // Saturated (σ' < 0.025): σ'(x) = 0.025 at |x| = ln((1 + √0.9)/(1 − √0.9)) ≈ 3.636,
  // so the samples x ≤ −3.7 and x ≥ 3.7.
  ASSERT_EQ(c.saturated.size(), 2u);
  EXPECT_NEAR(c.saturated[0].first, -8.0, 1e-12);
  EXPECT_NEAR(c.saturated[0].second, -3.7, 1e-9);
  EXPECT_NEAR(c.saturated[1].first, 3.7, 1e-9);
  EXPECT_NEAR(c.saturated[1].second, 8.0, 1e-9);
  // ReLU: derivative 0 for x ≤ 0 (the op takes relu'(0) = 0), 1 above.
  EvaluateFlowCurve(FlowActivation::kRelu, &c);
  ASSERT_EQ(c.saturated.size(), 1u);
  EXPECT_NEAR(c.saturated[0].second, 0.0, 1e-12);
  // tanh'(0) = 1.
  EvaluateFlowCurve(FlowActivation::kTanh, &c);
  EXPECT_EQ(c.dy_at_0, 1.0);
}

TEST(FlowLab, EveryPresetRoundTrips) {
  int n = 0;
  for (const PresetInfo& p : AllPresets()) {
    if (p.lab != "flow") continue;
    ++n;
    const FlowLabState s = Decode(p.link);
    EXPECT_EQ(EncodeFlowLab(s), p.link) << p.id;
    EXPECT_EQ(s, Preset(p.id).state) << p.id;
    std::string json;
    LinkError error;
    EXPECT_TRUE(EvalLinkToJson(p.link, &json, &error)) << p.id << ": " << error.ToString();
  }
  EXPECT_EQ(n, 5);
  EXPECT_EQ(EncodeFlowLab(FlowLabDefault()),
            "v1/flow?a_act=sigmoid&a_depth=20&a_width=8&a_init=xavier&a_w=1&a_seed=1&a_res=1"
            "&b_act=sigmoid&b_depth=20&b_width=8&b_init=xavier&b_w=1&b_seed=1&b_res=0&xseed=1"
            "&block=10&curve=sigmoid&check=");
}

TEST(FlowLab, DecodeNamesTheBadField) {
  struct Case {
    std::string fields, field;
  };
  const Case cases[] = {
      {"a_depth=1", "a_depth"},  {"b_depth=51", "b_depth"}, {"a_width=0", "a_width"},
      {"b_width=33", "b_width"}, {"a_act=gelu", "a_act"},   {"b_init=lecun", "b_init"},
      {"a_w=4.5", "a_w"},        {"a_w=nan", "a_w"},        {"b_seed=-1", "b_seed"},
      {"a_res=2", "a_res"},      {"xseed=x", "xseed"},      {"block=0", "block"},
      {"curve=swish", "curve"},  {"check=zz:1", "check"},   {"check=dsig0:1,2", "check"},
      {"depth=3", "depth"},      {"a_w=1&a_w=2", "a_w"},
  };
  for (const Case& c : cases) {
    Link link;
    LinkError error;
    FlowLabState s;
    ASSERT_TRUE(ParseLink("v1/flow?" + c.fields, &link, &error)) << c.fields;
    EXPECT_FALSE(DecodeFlowLab(link, &s, &error)) << c.fields;
    EXPECT_EQ(error.field, c.field) << c.fields << " -> " << error.ToString();
    EXPECT_FALSE(error.message.empty());
  }
  // Missing fields take the defaults.
  EXPECT_EQ(Decode("v1/flow"), FlowLabDefault());
}

TEST(FlowLab, CheckMyWorkAcceptsRightValuesAndFlagsWrongOnes) {
  // σ'(0) = 0.25 by hand; the E11 zero block: A's layer-10 numbers are 1, 0, 1 + 0 = 1.
  FlowLabState s = Preset("e11-zero-block").state;
  s.check = {{"dsig0", {"0.25"}}, {"blk_a", {"1", "0", "1"}}};
  FlowLabResult r = EvaluateFlowLab(s);
  CheckOutcome o = Check(r.steps, s.check);
  EXPECT_EQ(o.first_wrong_step, -1);
  EXPECT_EQ(o.right, 4);
  // A learner who forgets the skip's +1 writes (dL/dx)[1] = 0.
  s.check = {{"dsig0", {"0.5"}}, {"blk_a", {"1", "0", "0"}}};
  o = Check(r.steps, s.check);
  EXPECT_EQ(o.first_wrong_step, 0);
  EXPECT_EQ(o.wrong, 2);
  EXPECT_EQ(o.status[3][2], CheckStatus::kWrong);
  EXPECT_NE(o.explanation.find("0.5 \u00D7 (1 \u2212 0.5)"), std::string::npos) << o.explanation;
  // The entries travel in the link.
  const std::string link = EncodeFlowLab(s);
  EXPECT_NE(link.find("&check=dsig0:0.5;blk_a:1,0,0"), std::string::npos) << link;
  EXPECT_EQ(Decode(link), s);
}

}  // namespace
}  // namespace nnplay
