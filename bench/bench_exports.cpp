// bench_exports.cpp: the wasm side of the benchmark (bench/conv_bench.mjs drives it).
//
// Exports plain C functions (no embind, no ccall) so node calls them as directly as the
// page would:
// - a convolution case, set up once in wasm memory with deterministic data;
// - run it N times inside one call (kernel time) or once per call (kernel + JS→wasm call);
// - the E9 recompute, EvaluateConvLab(ConvLabDefault()), one recompute per call (what the
//   page does per edit), and the kernel part of it alone (each kernel);
// - matmul n×n×n with each GEMM kernel (ids in bench_cases.h), once per call or n per call;
// - the MLP 4→3→2 forward pass (dense, ReLU, dense, softmax), one whole pass per call;
// - an empty export, to measure the bare JS→wasm call.
// Conv kernel ids: 0 = conv2d_forward_ref, 1 = conv2d_forward_simd128, 2 = conv2d_forward.
#include <emscripten/emscripten.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "bench_cases.h"
#include "labs/conv_lab.h"
#include "labs/train_lab.h"
#include "nn/mlp.h"
#include "nn/network.h"
#include "nn/optimizer.h"
#include "ops/rng.h"

namespace {

nnplay_bench::ConvBuffers g_conv;
nnplay_bench::MatmulBuffers g_mm;
nnplay_bench::Mlp432 g_mlp;
nnplay::ConvLabState g_e9;
nnplay::Tensor g_e9_out;  // the kernel-only E9 variant writes here
nnplay::Conv2dParams g_e9_params;
volatile float g_sink = 0.0f;  // keeps results observable

}  // namespace

extern "C" {

// ---- convolution cases -------------------------------------------------------------------

// Sets up a case; returns the number of output values, or -1 when the shape is unusable.
EMSCRIPTEN_KEEPALIVE int bench_conv_setup(int in_c, int h, int w, int out_c, int k, int stride,
                                          int pad) {
  const nnplay::Conv2dParams p = nnplay_bench::MakeParams(in_c, h, w, out_c, k, stride, pad);
  if (!nnplay::Conv2dValidate(p).empty() || p.out_h() == 0 || p.out_w() == 0) return -1;
  g_conv.Setup(p);
  return static_cast<int>(g_conv.output.size());
}

EMSCRIPTEN_KEEPALIVE int bench_case_count() {
  return nnplay_bench::kConvCaseCount;
}

// Field f of case i: 0 in_c, 1 h, 2 w, 3 out_c, 4 k, 5 stride, 6 pad.
EMSCRIPTEN_KEEPALIVE int bench_case_field(int i, int f) {
  if (i < 0 || i >= nnplay_bench::kConvCaseCount) return -1;
  const nnplay_bench::ConvCase& c = nnplay_bench::kConvCases[i];
  const int fields[] = {c.in_c, c.h, c.w, c.out_c, c.k, c.stride, c.pad};
  return f >= 0 && f < 7 ? fields[f] : -1;
}

// Runs the set-up case n times in this one call.
EMSCRIPTEN_KEEPALIVE void bench_conv_run(int kernel, int n) {
  const nnplay_bench::ConvKernelFn fn = nnplay_bench::KernelById(kernel);
  for (int i = 0; i < n; ++i)
    fn(g_conv.p, g_conv.input.data(), g_conv.weights.data(), nullptr, g_conv.output.data());
  g_sink = g_conv.output[0];
}

// Runs the set-up case once: JS calls this once per iteration.
EMSCRIPTEN_KEEPALIVE void bench_conv_call(int kernel) {
  nnplay_bench::KernelById(kernel)(g_conv.p, g_conv.input.data(), g_conv.weights.data(), nullptr,
                                   g_conv.output.data());
}

// Buffers of the set-up case (byte addresses in wasm memory; CHW input, OIHW weights, CHW
// output) and its derived sizes, for JS to feed the same data to its peers and compare.
EMSCRIPTEN_KEEPALIVE float* bench_conv_input() {
  return g_conv.input.data();
}
EMSCRIPTEN_KEEPALIVE float* bench_conv_weights() {
  return g_conv.weights.data();
}
EMSCRIPTEN_KEEPALIVE float* bench_conv_output() {
  return g_conv.output.data();
}
EMSCRIPTEN_KEEPALIVE int bench_conv_out_h() {
  return g_conv.p.out_h();
}
EMSCRIPTEN_KEEPALIVE int bench_conv_out_w() {
  return g_conv.p.out_w();
}
EMSCRIPTEN_KEEPALIVE double bench_conv_macs() {
  return static_cast<double>(g_conv.p.macs());
}

// ---- the E9 recompute --------------------------------------------------------------------

// Returns the number of output values of the default state (16 for the 6×6 example).
EMSCRIPTEN_KEEPALIVE int bench_e9_setup() {
  g_e9 = nnplay::ConvLabDefault();
  const nnplay::ConvLabResult r = nnplay::EvaluateConvLab(g_e9);
  g_e9_params = r.params;
  g_e9_out = r.output;
  return static_cast<int>(r.output.size());
}

// One recompute per call, exactly the engine call the page makes per edit.
EMSCRIPTEN_KEEPALIVE float bench_e9_call() {
  const nnplay::ConvLabResult r = nnplay::EvaluateConvLab(g_e9);
  return r.output[0];
}

// n recomputes inside one call.
EMSCRIPTEN_KEEPALIVE void bench_e9_run(int n) {
  float s = 0.0f;
  for (int i = 0; i < n; ++i) s += nnplay::EvaluateConvLab(g_e9).output[0];
  g_sink = s;
}

// The kernel part of the recompute alone, on the same state, into a buffer allocated at
// setup: what is left once the result's strings and tensor are not rebuilt. EvaluateConvLab
// runs conv2d_forward (kernel id 2); ids 0 and 1 show what each kernel would cost there.
EMSCRIPTEN_KEEPALIVE void bench_e9_kernel_call(int kernel) {
  nnplay_bench::KernelById(kernel)(g_e9_params, g_e9.input.data(), g_e9.filter.data(), nullptr,
                                   g_e9_out.data());
}

EMSCRIPTEN_KEEPALIVE void bench_e9_kernel_run(int kernel, int n) {
  const nnplay_bench::ConvKernelFn fn = nnplay_bench::KernelById(kernel);
  for (int i = 0; i < n; ++i)
    fn(g_e9_params, g_e9.input.data(), g_e9.filter.data(), nullptr, g_e9_out.data());
  g_sink = g_e9_out[0];
}

// ---- an edit on a large conv lab ----------------------------------------------------------
// 128x128 input, 8 filters of 3x3, same padding, ReLU, 2x2 max pooling: what the page does
// per paint-stroke edit: change one pixel, recompute (reusing the result), re-encode the link.

nnplay::ConvLabState g_big;
nnplay::ConvLabResult g_big_result;
int g_big_step = 0;

EMSCRIPTEN_KEEPALIVE int bench_edit128_setup() {
  g_big = nnplay::ConvLabDefault();
  g_big.input = nnplay::Tensor({1, 128, 128});
  g_big.filter = nnplay::Tensor({8, 1, 3, 3});
  for (size_t i = 0; i < g_big.filter.size(); ++i)
    g_big.filter[i] = static_cast<float>(static_cast<int>(i * 7 % 5) - 2);
  g_big.padding = nnplay::PaddingMode::kSame;
  g_big.relu = true;
  g_big.pool = nnplay::PoolMode::kMax;
  nnplay::EvaluateConvLab(g_big, &g_big_result);
  return static_cast<int>(g_big_result.output.size());
}

EMSCRIPTEN_KEEPALIVE int bench_edit128_call() {
  const int i = g_big_step++;
  g_big.input.at(0, 20 + (i / 90) % 90, 20 + i % 90) = (i / 8100) % 2 ? 0.0f : 10.0f;
  nnplay::EvaluateConvLab(g_big, &g_big_result);
  return static_cast<int>(nnplay::EncodeConvLab(g_big).size());
}

EMSCRIPTEN_KEEPALIVE int bench_edit128_evaluate_call() {
  const int i = g_big_step++;
  g_big.input.at(0, 20 + (i / 90) % 90, 20 + i % 90) = (i / 8100) % 2 ? 0.0f : 10.0f;
  nnplay::EvaluateConvLab(g_big, &g_big_result);
  return static_cast<int>(g_big_result.output.size());
}

// ---- training (the training lab's session: network forward + backward + optimizer) --------
// preset: index into TrainPresets() (0 circle: x,y, 4-4 tanh; 2 spiral: 7 features, 6x8
// tanh). Steps run n at a time in one JS call; the session allocates nothing per step.

nnplay::TrainSession g_train;
nnplay::TrainLabResult g_train_result;
int g_train_batch = 0;

EMSCRIPTEN_KEEPALIVE int bench_train_setup(int preset) {
  const auto& presets = nnplay::TrainPresets();
  if (preset < 0 || preset >= static_cast<int>(presets.size())) return -1;
  if (!g_train.Reset(presets[static_cast<size_t>(preset)].state).empty()) return -1;
  g_train_batch = presets[static_cast<size_t>(preset)].state.batch;
  return g_train_batch;
}

EMSCRIPTEN_KEEPALIVE void bench_train_steps(int n) {
  for (int i = 0; i < n; ++i) g_train.Step();
}

// Losses and accuracy on every point plus the 64x64 decision boundary: what a frame shows.
EMSCRIPTEN_KEEPALIVE float bench_train_measure() {
  g_train.Measure(&g_train_result);
  return g_train_result.grid[0];
}

// ---- TensorFlow Playground's configurations -------------------------------------------------
// (a) circle, features x, y, hidden [4, 2] tanh; (b) spiral, features x, y, x², y², xy,
// sin x, sin y, hidden 6 × 8 tanh. Both as Playground trains them: one tanh output, half
// squared error against ±1, plain SGD lr 0.03, batch 10, 250 training points of 500 visited
// in order, weights U(−0.5, 0.5) and biases 0.1. Trained two ways in the same module: Mlp
// (nn/mlp.h, batch in SIMD lanes) and the general Network + Sgd (nn/network.h, one op per
// layer), the same mathematics. The boundary is Playground's: every neuron's output (the
// thumbnails) and the output over a res × res grid of [−6, 6]².

struct Playground {
  int features = 2;
  std::vector<int> hidden;
  std::vector<float> x, t;  // 250 training points
  size_t cursor = 0;
  nnplay::Mlp mlp;
  nnplay::Network net;
  nnplay::Sgd sgd{0.03f};
  std::vector<float> grid_x, grid_out, grid_units;
};
Playground g_pg;

void PlaygroundFeatures(int features, float x, float y, float* out) {
  out[0] = x;
  out[1] = y;
  if (features == 7) {
    out[2] = x * x;
    out[3] = y * y;
    out[4] = x * y;
    out[5] = std::sin(x);
    out[6] = std::sin(y);
  }
}

// config 0 = (a), 1 = (b). Returns the parameter count, or -1.
EMSCRIPTEN_KEEPALIVE int bench_pg_setup(int config) {
  Playground& g = g_pg;
  g = Playground();
  const bool spiral = config == 1;
  g.features = spiral ? 7 : 2;
  g.hidden = spiral ? std::vector<int>(6, 8) : std::vector<int>{4, 2};
  nnplay::Pcg32 rng(7);
  for (int i = 0; i < 250; ++i) {
    float px, py, label;
    if (spiral) {  // Playground's spiral: two arms, r = 5·k/n, angle 1.75·2π·k/n (+π)
      const int k = i / 2;
      const float r = 5.0f * static_cast<float>(k) / 125.0f;
      const float a =
          1.75f * 6.2831853f * static_cast<float>(k) / 125.0f + (i % 2 ? 3.1415927f : 0);
      px = r * std::sin(a);
      py = r * std::cos(a);
      label = i % 2 ? -1.0f : 1.0f;
    } else {  // Playground's circle: +1 within radius 2.5, −1 in the ring 3.5..5
      const bool inside = i % 2 == 0;
      const float r = inside ? 2.5f * rng.NextFloat01() : 3.5f + 1.5f * rng.NextFloat01();
      const float a = 6.2831853f * rng.NextFloat01();
      px = r * std::sin(a);
      py = r * std::cos(a);
      label = inside ? 1.0f : -1.0f;
    }
    float f[7];
    PlaygroundFeatures(g.features, px, py, f);
    g.x.insert(g.x.end(), f, f + g.features);
    g.t.push_back(label);
  }
  nnplay::MlpSpec spec;
  spec.inputs = g.features;
  spec.hidden = g.hidden;
  spec.activation.assign(g.hidden.size(), nnplay::MlpAct::kTanh);
  spec.outputs = 1;
  spec.output_activation = nnplay::MlpAct::kTanh;
  spec.loss = nnplay::MlpLoss::kHalfSquaredError;
  spec.max_batch = 10;
  if (!g.mlp.Build(spec).empty()) return -1;
  g.mlp.InitUniform(1);
  for (int u : g.hidden) g.net.AddDense(u).AddTanh();
  g.net.AddDense(1).AddTanh().SetLoss(nnplay::LossKind::kMse);
  if (!g.net.Build({g.features}, 10).empty()) return -1;
  std::copy(g.mlp.params(), g.mlp.params() + g.mlp.param_count(), g.net.params());
  // Network's MSE is (y − t)² averaged: twice half squared error, so half the rate.
  g.sgd = nnplay::Sgd(0.015f);
  g.sgd.Build(g.net);
  return static_cast<int>(g.mlp.param_count());
}

// n steps of batch 10 with Mlp (kind 0) or Network + Sgd (kind 1); returns the last loss.
EMSCRIPTEN_KEEPALIVE float bench_pg_steps(int kind, int n) {
  Playground& g = g_pg;
  nnplay::MlpUpdate u;
  u.lr = 0.03f;
  float loss = 0;
  for (int i = 0; i < n; ++i) {
    const float* x = g.x.data() + g.cursor * static_cast<size_t>(g.features);
    const float* t = g.t.data() + g.cursor;
    if (kind == 0) {
      loss = g.mlp.TrainStep(x, nullptr, t, 10, u);
    } else {
      loss = g.net.TrainStepMse(x, t, 10);
      g.sgd.Step(&g.net);
    }
    g.cursor = (g.cursor + 10) % 250;
  }
  return loss;
}

// Loss over the 250 points (Mlp, kind 0, or Network, kind 1): how far the two runs agree.
EMSCRIPTEN_KEEPALIVE float bench_pg_loss(int kind) {
  Playground& g = g_pg;
  if (kind == 0) return g.mlp.Evaluate(g.x.data(), nullptr, g.t.data(), 250, nullptr);
  double sum = 0;
  for (int b = 0; b < 25; ++b)
    sum += g.net.LossMse(g.x.data() + b * 10 * g.features, g.t.data() + b * 10, 10);
  return static_cast<float>(sum / 25 / 2);  // as half squared error
}

// The boundary on a res × res grid: features of each cell centre, then every neuron's and
// the output's value (Mlp::Predict with the per-unit maps). Returns one value, to keep it.
EMSCRIPTEN_KEEPALIVE float bench_pg_boundary(int res) {
  Playground& g = g_pg;
  const size_t cells = static_cast<size_t>(res) * res;
  int units = 0;
  for (int u : g.hidden) units += u;
  g.grid_x.resize(cells * static_cast<size_t>(g.features));
  g.grid_out.resize(cells);
  g.grid_units.resize(cells * static_cast<size_t>(units));
  for (int r = 0; r < res; ++r)
    for (int c = 0; c < res; ++c) {
      const float px = -6.0f + 12.0f * (static_cast<float>(c) + 0.5f) / static_cast<float>(res);
      const float py = 6.0f - 12.0f * (static_cast<float>(r) + 0.5f) / static_cast<float>(res);
      PlaygroundFeatures(g.features, px, py,
                         g.grid_x.data() + (static_cast<size_t>(r) * res + c) * g.features);
    }
  g.mlp.Predict(g.grid_x.data(), static_cast<int>(cells), g.grid_out.data(), g.grid_units.data());
  return g.grid_out[cells / 2];
}

// ---- matmul (kernel ids: bench_cases.h GemmKernelId) --------------------------------------

// Sets up C = A·B with n×n matrices (B also packed once, for kernel 2).
EMSCRIPTEN_KEEPALIVE void bench_mm_setup(int n) {
  g_mm.Setup(n);
}
EMSCRIPTEN_KEEPALIVE int bench_mm_size_count() {
  return nnplay_bench::kMatmulSizeCount;
}
EMSCRIPTEN_KEEPALIVE int bench_mm_size(int i) {
  return i >= 0 && i < nnplay_bench::kMatmulSizeCount ? nnplay_bench::kMatmulSizes[i] : -1;
}
EMSCRIPTEN_KEEPALIVE void bench_mm_call(int kernel) {
  g_mm.Run(kernel);
}
EMSCRIPTEN_KEEPALIVE void bench_mm_run(int kernel, int n) {
  for (int i = 0; i < n; ++i) g_mm.Run(kernel);
  g_sink = g_mm.c[0];
}
EMSCRIPTEN_KEEPALIVE float* bench_mm_a() {
  return g_mm.a.data();
}
EMSCRIPTEN_KEEPALIVE float* bench_mm_b() {
  return g_mm.b.data();
}
EMSCRIPTEN_KEEPALIVE float* bench_mm_c() {
  return g_mm.c.data();
}

// ---- MLP 4→3→2: one whole forward pass per call ------------------------------------------

// Parameters and input, for JS to build the same model in tfjs: x[4], W1[3×4], b1[3],
// W2[2×3], b2[2] (dense.h layout W [out, in]); output p[2].
EMSCRIPTEN_KEEPALIVE float* bench_mlp_param(int i) {
  float* ptrs[] = {g_mlp.x, g_mlp.w1, g_mlp.b1, g_mlp.w2, g_mlp.b2, g_mlp.p};
  return i >= 0 && i < 6 ? ptrs[i] : nullptr;
}
EMSCRIPTEN_KEEPALIVE float bench_mlp_call() {
  g_mlp.Forward();
  return g_mlp.p[0];
}
EMSCRIPTEN_KEEPALIVE void bench_mlp_run(int n) {
  for (int i = 0; i < n; ++i) g_mlp.Forward();
  g_sink = g_mlp.p[0];
}

// ---- call overhead -----------------------------------------------------------------------

EMSCRIPTEN_KEEPALIVE int bench_noop(int x) {
  return x + 1;
}

}  // extern "C"
