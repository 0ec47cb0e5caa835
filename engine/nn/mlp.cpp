// mlp.cpp: see mlp.h. Every activation row holds lanes_ samples; a chunk of n ≤ lanes_
// samples uses the first ⌈n/4⌉ vectors of each row. Lanes past n (the padding up to a
// multiple of 4) carry zero input and zero output gradient, so they add nothing to any
// weight gradient.
#include "nn/mlp.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "kernels/simd.h"
#include "kernels/simd_math.h"
#include "ops/rng.h"

#if !NNPLAY_HAVE_SIMD128
#error "nn/mlp.cpp needs SIMD128 intrinsics (wasm -msimd128, or SIMDe natively)"
#endif

namespace nnplay {
namespace {

constexpr int kChunk = 64;  // samples per pass in Predict and Evaluate
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

size_t Round4(size_t n) {
  return (n + 3) & ~size_t{3};
}
int Vectors(int n) {
  return (n + 3) / 4;
}

// Lanes [0, n) of a 4-sample vector starting at sample `first` are real; the rest padding.
v128_t ValidMask(int first, int n) {
  return wasm_i32x4_lt(wasm_i32x4_make(first, first + 1, first + 2, first + 3),
                       wasm_i32x4_splat(n));
}

// {Σa, Σb, Σc, Σd}: four horizontal sums in one vector.
v128_t HorizontalSums(v128_t a, v128_t b, v128_t c, v128_t d) {
  const v128_t ab =
      wasm_f32x4_add(wasm_i32x4_shuffle(a, b, 0, 4, 1, 5), wasm_i32x4_shuffle(a, b, 2, 6, 3, 7));
  const v128_t cd =
      wasm_f32x4_add(wasm_i32x4_shuffle(c, d, 0, 4, 1, 5), wasm_i32x4_shuffle(c, d, 2, 6, 3, 7));
  return wasm_f32x4_add(wasm_i32x4_shuffle(ab, cd, 0, 1, 4, 5),
                        wasm_i32x4_shuffle(ab, cd, 2, 3, 6, 7));
}

float HorizontalSum(v128_t a) {
  const v128_t z = wasm_f32x4_splat(0.0f);
  return wasm_f32x4_extract_lane(HorizontalSums(a, z, z, z), 0);
}

// act(z) per lane. tanh: the rational approximation (simd_math.h TanhFast4).
inline v128_t Activate(MlpAct act, v128_t z) {
  switch (act) {
    case MlpAct::kLinear:
      return z;
    case MlpAct::kTanh:
      return simd128::TanhFast4(z);
    case MlpAct::kReLU:
      // pmax(0, z) = 0 < z ? z : 0, as relu_forward_ref (NaN → 0).
      return wasm_f32x4_pmax(wasm_f32x4_splat(0.0f), z);
    case MlpAct::kSigmoid:
      return simd128::Sigmoid4(z);
  }
  return z;
}

// The activation's derivative from its output y (tanh' = 1 − y², σ' = y(1 − y), ReLU' =
// [y > 0], linear 1), times g.
v128_t TimesDerivative(MlpAct act, v128_t y, v128_t g) {
  const v128_t one = wasm_f32x4_splat(1.0f);
  switch (act) {
    case MlpAct::kLinear:
      return g;
    case MlpAct::kTanh:
      return wasm_f32x4_mul(g, wasm_f32x4_sub(one, wasm_f32x4_mul(y, y)));
    case MlpAct::kReLU:
      return wasm_v128_and(g, wasm_f32x4_gt(y, wasm_f32x4_splat(0.0f)));
    case MlpAct::kSigmoid:
      return wasm_f32x4_mul(g, wasm_f32x4_mul(y, wasm_f32x4_sub(one, y)));
  }
  return g;
}

// NB vectors of one output row: y[k] = act(Σᵢ w[i]·in[i][k] + b), summed in the order of
// dense_forward_ref (products first, the bias last).
template <int NB>
inline void DenseBlock(int n_in, const float* w, v128_t bias, const float* in, size_t stride,
                       MlpAct act, float* y) {
  v128_t acc[NB];
  for (int k = 0; k < NB; ++k) acc[k] = wasm_f32x4_splat(0.0f);
  for (int i = 0; i < n_in; ++i) {
    const v128_t wi = wasm_f32x4_splat(w[i]);
    const float* x = in + static_cast<size_t>(i) * stride;
    for (int k = 0; k < NB; ++k)
      acc[k] = wasm_f32x4_add(acc[k], wasm_f32x4_mul(wi, wasm_v128_load(x + 4 * k)));
  }
  for (int k = 0; k < NB; ++k)
    wasm_v128_store(y + 4 * k, Activate(act, wasm_f32x4_add(acc[k], bias)));
}

// out[o] = act(W·in + b) for every output row o, nv vectors, rows of `stride` floats.
void DenseRows(int n_in, int n_out, const float* w, const float* b, const float* in, size_t stride,
               MlpAct act, float* out, int nv) {
  for (int o = 0; o < n_out; ++o) {
    const float* w_o = w + static_cast<size_t>(o) * n_in;
    const v128_t bias = wasm_f32x4_splat(b[o]);
    float* y = out + static_cast<size_t>(o) * stride;
    int v = 0;
    for (; v + 4 <= nv; v += 4) DenseBlock<4>(n_in, w_o, bias, in + 4 * v, stride, act, y + 4 * v);
    switch (nv - v) {
      case 3:
        DenseBlock<3>(n_in, w_o, bias, in + 4 * v, stride, act, y + 4 * v);
        break;
      case 2:
        DenseBlock<2>(n_in, w_o, bias, in + 4 * v, stride, act, y + 4 * v);
        break;
      case 1:
        DenseBlock<1>(n_in, w_o, bias, in + 4 * v, stride, act, y + 4 * v);
        break;
      default:
        break;
    }
  }
}

// NB vectors of input row i's delta: (Σ_o W[o][i]·d[o]) · act'(a[i]).
template <int NB>
inline void BackBlock(int n_out, int n_in, const float* w, const float* d, size_t stride,
                      const float* a, MlpAct act, float* dprev) {
  v128_t acc[NB];
  for (int k = 0; k < NB; ++k) acc[k] = wasm_f32x4_splat(0.0f);
  for (int o = 0; o < n_out; ++o) {
    const v128_t wo = wasm_f32x4_splat(w[static_cast<size_t>(o) * n_in]);
    const float* dd = d + static_cast<size_t>(o) * stride;
    for (int k = 0; k < NB; ++k)
      acc[k] = wasm_f32x4_add(acc[k], wasm_f32x4_mul(wo, wasm_v128_load(dd + 4 * k)));
  }
  for (int k = 0; k < NB; ++k)
    wasm_v128_store(dprev + 4 * k, TimesDerivative(act, wasm_v128_load(a + 4 * k), acc[k]));
}

float RegDerivative(MlpRegularization reg, float w) {
  switch (reg) {
    case MlpRegularization::kNone:
      return 0.0f;
    case MlpRegularization::kL1:
      return w < 0 ? -1.0f : (w > 0 ? 1.0f : 0.0f);
    case MlpRegularization::kL2:
      return w;
  }
  return 0.0f;
}

}  // namespace

std::string Mlp::Build(const MlpSpec& spec) {
  built_ = false;
  using L = MlpLimits;
  if (spec.inputs < 1 || spec.inputs > L::kMaxInputs)
    return "inputs must be 1.." + std::to_string(L::kMaxInputs);
  if (spec.hidden.size() > static_cast<size_t>(L::kMaxLayers))
    return "at most " + std::to_string(L::kMaxLayers) + " hidden layers";
  if (spec.activation.size() != spec.hidden.size())
    return "one activation per hidden layer is needed";
  for (int u : spec.hidden)
    if (u < 1 || u > L::kMaxUnits)
      return "hidden layers have 1.." + std::to_string(L::kMaxUnits) + " units";
  const int min_out = spec.loss == MlpLoss::kSoftmaxCrossEntropy ? 2 : 1;
  if (spec.outputs < min_out || spec.outputs > L::kMaxOutputs)
    return "outputs must be " + std::to_string(min_out) + ".." + std::to_string(L::kMaxOutputs);
  if (spec.max_batch < 1 || spec.max_batch > L::kMaxBatch)
    return "max_batch must be 1.." + std::to_string(L::kMaxBatch);

  spec_ = spec;
  lanes_ = static_cast<int>(Round4(static_cast<size_t>(std::max(spec.max_batch, kChunk))));
  layers_.clear();
  size_t n_params = 0;
  int in = spec.inputs;
  for (size_t l = 0; l <= spec.hidden.size(); ++l) {
    Layer layer;
    const bool output = l == spec.hidden.size();
    layer.in = in;
    layer.out = output ? spec.outputs : spec.hidden[l];
    layer.act = output ? (spec.loss == MlpLoss::kSoftmaxCrossEntropy ? MlpAct::kLinear
                                                                     : spec.output_activation)
                       : spec.activation[l];
    layer.w = n_params;
    layer.b = n_params + static_cast<size_t>(layer.in) * layer.out;
    n_params = layer.b + static_cast<size_t>(layer.out);
    layers_.push_back(layer);
    in = layer.out;
  }
  act_off_.clear();
  size_t rows = 0;
  act_off_.push_back(0);
  rows += static_cast<size_t>(spec.inputs);
  for (const Layer& layer : layers_) {
    act_off_.push_back(rows * static_cast<size_t>(lanes_));
    rows += static_cast<size_t>(layer.out);
  }
  const size_t lanes = static_cast<size_t>(lanes_);
  acts_.assign(rows * lanes, 0.0f);
  deltas_.assign(rows * lanes, 0.0f);
  probs_.assign(static_cast<size_t>(spec.outputs) * lanes, 0.0f);
  lse_.assign(2 * lanes, 0.0f);
  params_.assign(n_params, 0.0f);
  grads_.assign(n_params, 0.0f);
  mom1_.assign(n_params, 0.0f);
  mom2_.assign(n_params, 0.0f);
  adam_t_ = 0;
  built_ = true;
  return "";
}

void Mlp::InitGlorot(uint64_t seed) {
  Pcg32 rng(seed);
  std::fill(params_.begin(), params_.end(), 0.0f);
  for (const Layer& l : layers_) {
    const float limit = static_cast<float>(std::sqrt(6.0 / (static_cast<double>(l.in) + l.out)));
    float* w = params_.data() + l.w;
    const size_t n = static_cast<size_t>(l.in) * l.out;
    for (size_t j = 0; j < n; ++j) w[j] = limit * (2.0f * rng.NextFloat01() - 1.0f);
  }
  ResetOptimizer();
}

void Mlp::InitUniform(uint64_t seed, float half_width, float bias) {
  Pcg32 rng(seed);
  for (const Layer& l : layers_) {
    float* w = params_.data() + l.w;
    const size_t n = static_cast<size_t>(l.in) * l.out;
    for (size_t j = 0; j < n; ++j) w[j] = half_width * (2.0f * rng.NextFloat01() - 1.0f);
    std::fill(params_.begin() + static_cast<std::ptrdiff_t>(l.b),
              params_.begin() + static_cast<std::ptrdiff_t>(l.b + static_cast<size_t>(l.out)),
              bias);
  }
  ResetOptimizer();
}

void Mlp::ResetOptimizer() {
  std::fill(mom1_.begin(), mom1_.end(), 0.0f);
  std::fill(mom2_.begin(), mom2_.end(), 0.0f);
  adam_t_ = 0;
}

bool Mlp::Restore(const float* grads, const float* m1, const float* m2, long long t) {
  if (!built_ || t < 0) return false;
  std::copy(grads, grads + grads_.size(), grads_.begin());
  if (m1) std::copy(m1, m1 + mom1_.size(), mom1_.begin());
  if (m2) std::copy(m2, m2 + mom2_.size(), mom2_.begin());
  adam_t_ = t;
  return true;
}

void Mlp::ForwardChunk(const float* x, int n) {
  const size_t lanes = static_cast<size_t>(lanes_);
  const int in = spec_.inputs;
  const int padded = static_cast<int>(Round4(static_cast<size_t>(n)));
  float* a0 = acts_.data();
  for (int i = 0; i < in; ++i) {
    float* row = a0 + static_cast<size_t>(i) * lanes;
    for (int s = 0; s < n; ++s) row[s] = x[static_cast<size_t>(s) * in + i];
    for (int s = n; s < padded; ++s) row[s] = 0.0f;
  }
  const int nv = Vectors(n);
  for (size_t l = 0; l < layers_.size(); ++l) {
    const Layer& layer = layers_[l];
    float* out = acts_.data() + act_off_[l + 1];
    DenseRows(layer.in, layer.out, params_.data() + layer.w, params_.data() + layer.b,
              acts_.data() + act_off_[l], lanes, layer.act, out, nv);
  }
}

void Mlp::SoftmaxChunk(int n) {
  const size_t lanes = static_cast<size_t>(lanes_);
  const int c = spec_.outputs;
  const float* z = acts_.data() + act_off_.back();
  float* p = probs_.data();
  for (int v = 0; v < Vectors(n); ++v) {
    const size_t at = 4 * static_cast<size_t>(v);
    v128_t m = wasm_v128_load(z + at);
    for (int k = 1; k < c; ++k) m = wasm_f32x4_pmax(m, wasm_v128_load(z + k * lanes + at));
    v128_t sum = wasm_f32x4_splat(0.0f);
    for (int k = 0; k < c; ++k) {
      const v128_t e = simd128::Exp4(wasm_f32x4_sub(wasm_v128_load(z + k * lanes + at), m));
      wasm_v128_store(p + k * lanes + at, e);
      sum = wasm_f32x4_add(sum, e);
    }
    for (int k = 0; k < c; ++k)
      wasm_v128_store(p + k * lanes + at, wasm_f32x4_div(wasm_v128_load(p + k * lanes + at), sum));
    wasm_v128_store(lse_.data() + at, m);
    wasm_v128_store(lse_.data() + lanes + at, sum);
  }
}

float Mlp::LossChunk(const int* labels, const float* targets, int n, float grad_scale,
                     int* correct) {
  const size_t lanes = static_cast<size_t>(lanes_);
  const int c = spec_.outputs;
  const Layer& top = layers_.back();
  const float* y = acts_.data() + act_off_.back();
  float* delta = deltas_.data() + act_off_.back();
  const v128_t scale = wasm_f32x4_splat(grad_scale);
  double loss = 0.0;
  int right = 0;
  if (spec_.loss == MlpLoss::kSoftmaxCrossEntropy) {
    SoftmaxChunk(n);
    const float* m = lse_.data();
    const float* sum = lse_.data() + lanes;
    for (int s = 0; s < n; ++s) {
      const int label = labels[s];
      const bool ok = label >= 0 && label < c;
      // −log p_label = log Σ e^(z − m) − (z_label − m): finite however small p_label is.
      if (ok) loss += std::log(sum[s]) - (y[label * lanes + s] - m[s]);
      int best = 0;
      for (int k = 1; k < c; ++k)
        if (y[k * lanes + s] > y[best * lanes + s]) best = k;
      right += ok && best == label;
    }
    if (grad_scale != 0.0f) {
      for (int v = 0; v < Vectors(n); ++v) {
        const int first = 4 * v;
        const v128_t valid = ValidMask(first, n);
        int lab[4];
        for (int j = 0; j < 4; ++j) lab[j] = first + j < n ? labels[first + j] : -1;
        const v128_t lv = wasm_i32x4_make(lab[0], lab[1], lab[2], lab[3]);
        for (int k = 0; k < c; ++k) {
          const v128_t onehot =
              wasm_v128_and(wasm_i32x4_eq(lv, wasm_i32x4_splat(k)), wasm_f32x4_splat(1.0f));
          const v128_t d =
              wasm_f32x4_sub(wasm_v128_load(probs_.data() + k * lanes + first), onehot);
          wasm_v128_store(delta + k * lanes + first,
                          wasm_v128_and(wasm_f32x4_mul(d, scale), valid));
        }
      }
    }
  } else {
    for (int v = 0; v < Vectors(n); ++v) {
      const int first = 4 * v;
      const v128_t valid = ValidMask(first, n);
      for (int k = 0; k < c; ++k) {
        float t[4] = {0, 0, 0, 0};
        for (int j = 0; j < 4 && first + j < n; ++j)
          t[j] = targets[static_cast<size_t>(first + j) * c + k];
        const v128_t yv = wasm_v128_load(y + k * lanes + first);
        const v128_t d = wasm_v128_and(wasm_f32x4_sub(yv, wasm_v128_load(t)), valid);
        const v128_t dd = wasm_f32x4_mul(d, d);
        loss += 0.5 * HorizontalSum(dd);
        if (grad_scale != 0.0f)
          wasm_v128_store(delta + k * lanes + first,
                          TimesDerivative(top.act, yv, wasm_f32x4_mul(d, scale)));
      }
    }
    if (c == 1)
      for (int s = 0; s < n; ++s) right += (y[s] > 0) == (targets[s] > 0);
  }
  if (correct) *correct = right;
  return static_cast<float>(loss);
}

void Mlp::BackwardChunk(int n) {
  const size_t lanes = static_cast<size_t>(lanes_);
  const int nv = Vectors(n);
  for (size_t l = layers_.size(); l-- > 0;) {
    const Layer& layer = layers_[l];
    const float* d = deltas_.data() + act_off_[l + 1];
    const float* a = acts_.data() + act_off_[l];
    const float* w = params_.data() + layer.w;
    float* dw = grads_.data() + layer.w;
    float* db = grads_.data() + layer.b;
    // dW[o][i] = Σ_samples d[o]·a[i]; db[o] = Σ_samples d[o]; four sums per vector store.
    for (int o = 0; o < layer.out; ++o) {
      const float* d_o = d + o * lanes;
      float* dw_o = dw + static_cast<size_t>(o) * layer.in;
      int i = 0;
      for (; i + 4 <= layer.in; i += 4) {
        v128_t s0 = wasm_f32x4_splat(0.0f), s1 = s0, s2 = s0, s3 = s0;
        for (int v = 0; v < nv; ++v) {
          const v128_t dv = wasm_v128_load(d_o + 4 * v);
          const float* ai = a + i * lanes + 4 * v;
          s0 = wasm_f32x4_add(s0, wasm_f32x4_mul(dv, wasm_v128_load(ai)));
          s1 = wasm_f32x4_add(s1, wasm_f32x4_mul(dv, wasm_v128_load(ai + lanes)));
          s2 = wasm_f32x4_add(s2, wasm_f32x4_mul(dv, wasm_v128_load(ai + 2 * lanes)));
          s3 = wasm_f32x4_add(s3, wasm_f32x4_mul(dv, wasm_v128_load(ai + 3 * lanes)));
        }
        wasm_v128_store(dw_o + i, HorizontalSums(s0, s1, s2, s3));
      }
      for (; i < layer.in; ++i) {
        v128_t s = wasm_f32x4_splat(0.0f);
        for (int v = 0; v < nv; ++v)
          s = wasm_f32x4_add(s, wasm_f32x4_mul(wasm_v128_load(d_o + 4 * v),
                                               wasm_v128_load(a + i * lanes + 4 * v)));
        dw_o[i] = HorizontalSum(s);
      }
      v128_t sb = wasm_f32x4_splat(0.0f);
      for (int v = 0; v < nv; ++v) sb = wasm_f32x4_add(sb, wasm_v128_load(d_o + 4 * v));
      db[o] = HorizontalSum(sb);
    }
    if (l == 0) break;
    // The previous layer's delta: (Σ_o W[o][i]·d[o]) · act'(a[i]).
    const MlpAct prev_act = layers_[l - 1].act;
    float* dprev = deltas_.data() + act_off_[l];
    for (int i = 0; i < layer.in; ++i) {
      const float* a_i = a + i * lanes;
      float* dprev_i = dprev + i * lanes;
      int v = 0;
      for (; v + 4 <= nv; v += 4)
        BackBlock<4>(layer.out, layer.in, w + i, d + 4 * v, lanes, a_i + 4 * v, prev_act,
                     dprev_i + 4 * v);
      switch (nv - v) {
        case 3:
          BackBlock<3>(layer.out, layer.in, w + i, d + 4 * v, lanes, a_i + 4 * v, prev_act,
                       dprev_i + 4 * v);
          break;
        case 2:
          BackBlock<2>(layer.out, layer.in, w + i, d + 4 * v, lanes, a_i + 4 * v, prev_act,
                       dprev_i + 4 * v);
          break;
        case 1:
          BackBlock<1>(layer.out, layer.in, w + i, d + 4 * v, lanes, a_i + 4 * v, prev_act,
                       dprev_i + 4 * v);
          break;
        default:
          break;
      }
    }
  }
}

float Mlp::Gradients(const float* x, const int* labels, const float* targets, int batch) {
  if (!built_ || batch < 1 || batch > spec_.max_batch) return kNaN;
  ForwardChunk(x, batch);
  const float scale = 1.0f / static_cast<float>(batch);
  const float loss = LossChunk(labels, targets, batch, scale, nullptr);
  BackwardChunk(batch);
  return loss / static_cast<float>(batch);
}

void Mlp::Update(const MlpUpdate& u) {
  float* p = params_.data();
  const float* g = grads_.data();
  const size_t n = params_.size();
  const bool reg = u.reg != MlpRegularization::kNone && u.reg_rate != 0.0f;
  if (u.optimizer == MlpOptimizer::kSgd && u.momentum == 0.0f) {
    if (!reg) {
      const v128_t lr = wasm_f32x4_splat(u.lr);
      size_t i = 0;
      for (; i + 4 <= n; i += 4)
        wasm_v128_store(p + i, wasm_f32x4_sub(wasm_v128_load(p + i),
                                              wasm_f32x4_mul(lr, wasm_v128_load(g + i))));
      for (; i < n; ++i) p[i] -= u.lr * g[i];
      return;
    }
    // TensorFlow Playground's order: the gradient step, then the penalty's step with the
    // derivative taken before either; L1 sets a weight that would cross zero to 0.
    for (const Layer& l : layers_) {
      const size_t nw = static_cast<size_t>(l.in) * l.out;
      for (size_t j = l.w; j < l.w + nw; ++j) {
        const float der = RegDerivative(u.reg, p[j]);
        const float w = p[j] - u.lr * g[j];
        const float nwt = w - u.lr * u.reg_rate * der;
        p[j] = u.reg == MlpRegularization::kL1 && w * nwt < 0 ? 0.0f : nwt;
      }
      for (size_t j = l.b; j < l.b + static_cast<size_t>(l.out); ++j) p[j] -= u.lr * g[j];
    }
    return;
  }
  // Momentum and Adam: the penalty's derivative joins the gradient (weights only).
  auto gradient = [&](const Layer& l, size_t j) {
    const bool weight = j < l.b;
    return reg && weight ? g[j] + u.reg_rate * RegDerivative(u.reg, p[j]) : g[j];
  };
  if (u.optimizer == MlpOptimizer::kSgd) {
    float* v = mom1_.data();
    for (const Layer& l : layers_)
      for (size_t j = l.w; j < l.b + static_cast<size_t>(l.out); ++j) {
        v[j] = u.momentum * v[j] + gradient(l, j);
        p[j] -= u.lr * v[j];
      }
    return;
  }
  // Adam, as Adam::Step (optimizer.cpp), in the same float operations.
  ++adam_t_;
  const double t = static_cast<double>(adam_t_);
  const float c1 = static_cast<float>(1.0 / (1.0 - std::pow(static_cast<double>(u.beta1), t)));
  const float c2 = static_cast<float>(1.0 / (1.0 - std::pow(static_cast<double>(u.beta2), t)));
  float* m = mom1_.data();
  float* v = mom2_.data();
  for (const Layer& l : layers_)
    for (size_t j = l.w; j < l.b + static_cast<size_t>(l.out); ++j) {
      const float gj = gradient(l, j);
      m[j] = u.beta1 * m[j] + (1.0f - u.beta1) * gj;
      v[j] = u.beta2 * v[j] + (1.0f - u.beta2) * gj * gj;
      const float m_hat = m[j] * c1;
      const float v_hat = v[j] * c2;
      p[j] -= u.lr * m_hat / (std::sqrt(v_hat) + u.eps);
    }
}

float Mlp::TrainStep(const float* x, const int* labels, const float* targets, int batch,
                     const MlpUpdate& update) {
  if (!built_ || batch < 1 || batch > spec_.max_batch) return kNaN;
  const float loss = Gradients(x, labels, targets, batch);
  Update(update);
  return loss;
}

void Mlp::Predict(const float* x, int n, float* out, float* units) {
  if (!built_) return;
  const size_t lanes = static_cast<size_t>(lanes_);
  const int c = spec_.outputs;
  const bool ce = spec_.loss == MlpLoss::kSoftmaxCrossEntropy;
  for (int start = 0; start < n; start += lanes_) {
    const int m = std::min(lanes_, n - start);
    ForwardChunk(x + static_cast<size_t>(start) * spec_.inputs, m);
    if (ce) SoftmaxChunk(m);
    const float* rows = ce ? probs_.data() : acts_.data() + act_off_.back();
    if (out)
      for (int s = 0; s < m; ++s)
        for (int k = 0; k < c; ++k)
          out[static_cast<size_t>(start + s) * c + k] = rows[k * lanes + s];
    if (units) {
      size_t unit = 0;
      for (size_t l = 0; l + 1 < layers_.size(); ++l)
        for (int o = 0; o < layers_[l].out; ++o, ++unit) {
          const float* row = acts_.data() + act_off_[l + 1] + o * lanes;
          std::copy(row, row + m, units + unit * static_cast<size_t>(n) + start);
        }
    }
  }
}

float Mlp::Evaluate(const float* x, const int* labels, const float* targets, int n,
                    float* accuracy) {
  if (accuracy) *accuracy = kNaN;
  if (!built_ || n < 1) return kNaN;
  double loss = 0.0;
  long correct = 0;
  const int c = spec_.outputs;
  for (int start = 0; start < n; start += lanes_) {
    const int m = std::min(lanes_, n - start);
    ForwardChunk(x + static_cast<size_t>(start) * spec_.inputs, m);
    int right = 0;
    loss +=
        LossChunk(labels ? labels + start : nullptr,
                  targets ? targets + static_cast<size_t>(start) * c : nullptr, m, 0.0f, &right);
    correct += right;
  }
  const bool has_accuracy = spec_.loss == MlpLoss::kSoftmaxCrossEntropy || c == 1;
  if (accuracy && has_accuracy) *accuracy = static_cast<float>(correct) / static_cast<float>(n);
  return static_cast<float>(loss / n);
}

}  // namespace nnplay
