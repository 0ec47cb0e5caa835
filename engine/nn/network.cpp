// network.cpp: see network.h.
#include "nn/network.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <limits>

#include "kernels/conv_direct.h"
#include "kernels/fill.h"
#include "kernels/gemm.h"
#include "kernels/gemm_parallel.h"
#include "kernels/simd.h"
#include "ops/activations.h"
#include "ops/conv2d_backward.h"
#include "ops/dense.h"
#include "ops/loss.h"
#include "ops/rng.h"
#include "parallel/thread_pool.h"
#include "tensor.h"

namespace nnplay {

namespace {

std::string ShapeText(const std::vector<int>& shape) {
  std::string s = "{";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) s += ", ";
    s += std::to_string(shape[i]);
  }
  return s + "}";
}

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

// ---- Conv2d as GEMMs (groups 1, dilation 1: all AddConv2d makes) ---------------------------
// Rows of the im2col matrix are the taps j = (c·k_h + ky)·k_w + kx (K = C·k·k of them),
// columns the output positions; padded taps are zeros.

int ConvK(const Conv2dParams& p) {
  return p.in_c * p.k_h * p.k_w;
}

// Stride-1 layers (all AddConv2d makes, but strided ones) run on kernels/conv_direct.h:
// no im2col matrix, the zero-padded inputs kept from the forward for the weight gradient.
bool UsesDirect(const Conv2dParams& p) {
  return p.stride_h == 1 && p.stride_w == 1 && p.dil_h == 1 && p.dil_w == 1 && p.groups == 1;
}

// The direct kernels' geometry of a stride-1 conv p: its input zero-padded.
ConvDirectShape DirectShape(const Conv2dParams& p) {
  ConvDirectShape s;
  s.in_c = p.in_c;
  s.ph = p.in_h + p.pad_top + p.pad_bottom;
  s.pw = p.in_w + p.pad_left + p.pad_right;
  s.k_h = p.k_h;
  s.k_w = p.k_w;
  s.out_c = p.out_c;
  return s;
}

void PadDirect(const Conv2dParams& p, const float* in, float* padded) {
  conv_direct_pad(DirectShape(p), p.in_h, p.in_w, p.pad_top, p.pad_left, in, padded);
}

// Floats of Im2colPackedB's zero-padded copy of one input (0 without padding).
size_t PaddedInputSize(const Conv2dParams& p) {
  if (!p.pad_top && !p.pad_left && !p.pad_bottom && !p.pad_right) return 0;
  return static_cast<size_t>(p.in_c) * (p.in_h + p.pad_top + p.pad_bottom) *
         (p.in_w + p.pad_left + p.pad_right);
}

// One sample's im2col matrix cols[K, HW] written into gemm_pack_b's layout (panel q holds
// cols[j][8q + c] at [q·K·8 + j·8 + c]), columns HW..⌈HW/8⌉·8 zero. The input is first
// copied into a zero-padded buffer (padded, PaddedInputSize floats; unused without
// padding), so no tap needs a bounds check. Then panel by panel: each half panel (4 output
// positions) whose positions lie on one output row with stride 1 reads 4 adjacent inputs
// per tap (one vector load); other halves gather their 4 values one by one.
void Im2colPackedB(const Conv2dParams& p, const float* in, float* padded, float* packed) {
  const int oh = p.out_h(), ow = p.out_w(), hw = oh * ow, kk = ConvK(p);
  const size_t panel = static_cast<size_t>(kk) * 8;
  const int ph = p.in_h + p.pad_top + p.pad_bottom, pw = p.in_w + p.pad_left + p.pad_right;
  const size_t plane = static_cast<size_t>(ph) * pw;
  const float* src = in;
  if (PaddedInputSize(p)) {
    // Each plane: the top rows, each row's right border with the next row's left border
    // (adjacent in memory), the bottom rows zeroed; the interior copied.
    for (int c = 0; c < p.in_c; ++c) {
      float* pl = padded + c * plane;
      const float* ip = in + static_cast<size_t>(c) * p.in_h * p.in_w;
      std::fill(pl, pl + static_cast<size_t>(p.pad_top) * pw + p.pad_left, 0.0f);
      for (int y = 0; y < p.in_h; ++y) {
        float* d = pl + static_cast<size_t>(y + p.pad_top) * pw + p.pad_left;
        std::memcpy(d, ip + static_cast<size_t>(y) * p.in_w,
                    static_cast<size_t>(p.in_w) * sizeof(float));
        const size_t gap = y + 1 < p.in_h ? static_cast<size_t>(p.pad_right + p.pad_left) : 0;
        std::fill(d + p.in_w, d + p.in_w + gap, 0.0f);
      }
      std::fill(pl + static_cast<size_t>(p.pad_top + p.in_h - 1) * pw + p.pad_left + p.in_w,
                pl + plane, 0.0f);
    }
    src = padded;
  }
  for (int q = 0; q * 8 < hw; ++q) {
    // Offsets of the panel's positions (padded coordinates); halves that are one run.
    size_t off[8];
    int valid = 0;
    bool run[2];
    for (int l = 0; l < 8; ++l) {
      const int col = q * 8 + l;
      if (col < hw) {
        const int oy = col / ow, ox = col % ow;
        off[l] = static_cast<size_t>(oy) * p.stride_h * pw + static_cast<size_t>(ox) * p.stride_w;
        ++valid;
      } else {
        off[l] = 0;
      }
    }
    for (int h = 0; h < 2; ++h) {
      const int l0 = 4 * h;
      run[h] = p.stride_w == 1 && valid >= l0 + 4 && off[l0 + 3] == off[l0] + 3 &&
               (q * 8 + l0) / ow == (q * 8 + l0 + 3) / ow;
    }
    float* dst = packed + static_cast<size_t>(q) * panel;
#if NNPLAY_HAVE_SIMD128
    if (run[0] && run[1]) {
      // Both halves are runs (the usual case): two vector copies per tap, no per-tap tests.
      for (int c = 0; c < p.in_c; ++c)
        for (int ky = 0; ky < p.k_h; ++ky) {
          const float* a = src + c * plane + static_cast<size_t>(ky) * pw + off[0];
          const float* b = a + (off[4] - off[0]);
          for (int kx = 0; kx < p.k_w; ++kx, dst += 8) {
            wasm_v128_store(dst, wasm_v128_load(a + kx));
            wasm_v128_store(dst + 4, wasm_v128_load(b + kx));
          }
        }
      continue;
    }
#endif
    for (int c = 0; c < p.in_c; ++c)
      for (int ky = 0; ky < p.k_h; ++ky) {
        const float* row = src + c * plane + static_cast<size_t>(ky) * pw;
        for (int kx = 0; kx < p.k_w; ++kx, dst += 8) {
          const float* tap = row + kx;
          for (int h = 0; h < 2; ++h) {
            const int l0 = 4 * h;
#if NNPLAY_HAVE_SIMD128
            if (run[h]) {
              wasm_v128_store(dst + l0, wasm_v128_load(tap + off[l0]));
              continue;
            }
#endif
            for (int l = l0; l < l0 + 4; ++l) dst[l] = l < valid ? tap[off[l]] : 0.0f;
          }
        }
      }
  }
}

// Dense layers run as packed GEMMs (DenseForwardGemm / DenseBackwardGemm) from this size
// on; smaller ones (the course's hand-sized layers) keep ops/dense.h's kernels.
bool DenseUsesGemm(int batch, size_t in, int out) {
  return batch >= 4 && in * static_cast<size_t>(out) >= 4096;
}

int RoundUp8(int n) {
  return (n + 7) / 8 * 8;
}

// Workers for a loop of `work` operations: 1 below kParallelMinWork (waking the pool would
// cost more than it saves), else up to the scratch slots Build sized.
int WorkersFor(double work, int slots) {
  return work < kParallelMinWork ? 1 : slots;
}

// The weight gradient as one GEMM over the batch, dW[O, K] = dOut[O, N·HWp] · colsᵀ, with
// k = N·HWp (HWp = HW rounded up to 8; the positions past HW are zero in both operands).
// TransposeColsB turns each sample's forward im2col panels (Im2colPackedB: [q][j][8
// positions], cols_stride floats per sample) into gemm_pack_b's layout for B = colsᵀ:
// [j / 8][s·HWp + position][8 taps], taps past K zero: 8×8 blocks, contiguous both ways.
// Samples [s0, s1) of the batch (each writes its own positions: split over samples freely).
void TransposeColsB(int kk, int hw, int batch, int s0, int s1, const float* cols,
                    size_t cols_stride, float* packed) {
  const int hwp = RoundUp8(hw);
  const size_t kdim = static_cast<size_t>(batch) * hwp;
  for (int s = s0; s < s1; ++s)
    for (int q = 0; q < hwp / 8; ++q) {
      const float* blk =
          cols + static_cast<size_t>(s) * cols_stride + static_cast<size_t>(q) * kk * 8;
      for (int j0 = 0; j0 < kk; j0 += 8) {
        float* out = packed + static_cast<size_t>(j0 / 8) * kdim * 8 +
                     (static_cast<size_t>(s) * hwp + static_cast<size_t>(q) * 8) * 8;
        const float* in = blk + static_cast<size_t>(j0) * 8;
#if NNPLAY_HAVE_SIMD128
        if (j0 + 8 <= kk) {
          // Rows t (taps) of 8 positions in, rows p (positions) of 8 taps out: four 4×4
          // transposes (unpack low/high, then move low/high halves).
          for (int hp = 0; hp < 2; ++hp)      // positions 4·hp..4·hp+3
            for (int ht = 0; ht < 2; ++ht) {  // taps 4·ht..4·ht+3
              const float* r = in + (4 * ht) * 8 + 4 * hp;
              const v128_t r0 = wasm_v128_load(r), r1 = wasm_v128_load(r + 8);
              const v128_t r2 = wasm_v128_load(r + 16), r3 = wasm_v128_load(r + 24);
              const v128_t t0 = wasm_i32x4_shuffle(r0, r1, 0, 4, 1, 5);
              const v128_t t1 = wasm_i32x4_shuffle(r0, r1, 2, 6, 3, 7);
              const v128_t t2 = wasm_i32x4_shuffle(r2, r3, 0, 4, 1, 5);
              const v128_t t3 = wasm_i32x4_shuffle(r2, r3, 2, 6, 3, 7);
              float* o = out + (4 * hp) * 8 + 4 * ht;
              wasm_v128_store(o, wasm_i32x4_shuffle(t0, t2, 0, 1, 4, 5));
              wasm_v128_store(o + 8, wasm_i32x4_shuffle(t0, t2, 2, 3, 6, 7));
              wasm_v128_store(o + 16, wasm_i32x4_shuffle(t1, t3, 0, 1, 4, 5));
              wasm_v128_store(o + 24, wasm_i32x4_shuffle(t1, t3, 2, 3, 6, 7));
            }
          continue;
        }
#endif
        for (int pos = 0; pos < 8; ++pos)
          for (int t = 0; t < 8; ++t) out[pos * 8 + t] = j0 + t < kk ? in[t * 8 + pos] : 0.0f;
      }
    }
}

// dOut [N, O, HW] as the A operand [O, N·HWp] in gemm_pack_a's layout: panel p holds row
// 4p + r, column s·HWp + position at [p·N·HWp·4 + column·4 + r]; zero past O and past HW.
// Panels [p_begin, p_end) only (each writes its own rows: split over panels freely).
void PackDoutA(int out_c, int hw, int batch, int p_begin, int p_end, const float* dout,
               float* packed) {
  const int hwp = RoundUp8(hw);
  float* dst = packed + static_cast<size_t>(p_begin) * 4 * batch * hwp;
  for (int p0 = 4 * p_begin; p0 < out_c && p0 < 4 * p_end; p0 += 4) {
    const int rows = std::min(4, out_c - p0);
    for (int s = 0; s < batch; ++s) {
      const float* src = dout + (static_cast<size_t>(s) * out_c + p0) * hw;
      for (int i = 0; i < hwp; ++i, dst += 4) {
        for (int r = 0; r < 4; ++r)
          dst[r] = r < rows && i < hw ? src[static_cast<size_t>(r) * hw + i] : 0.0f;
      }
    }
  }
}

// Wᵀ [K, O] (W is [O, K]) as the A operand (m = K, k = O) in gemm_pack_a's layout.
void PackWeightsTransposedA(int out_c, int kk, const float* w, float* packed) {
  for (int p0 = 0; p0 < kk; p0 += 4) {
    float* dst = packed + static_cast<size_t>(p0) * out_c;
    for (int o = 0; o < out_c; ++o, dst += 4)
      for (int r = 0; r < 4; ++r)
        dst[r] = p0 + r < kk ? w[static_cast<size_t>(o) * kk + p0 + r] : 0.0f;
  }
}

// The input gradient of a stride-1 conv as a conv: dIn = dOut ⋆ W', where W'[c][o][ky][kx] =
// W[o][c][k−1−ky][k−1−kx] and the padding is k−1−pad (needs pad ≤ k−1); the output is the
// input's size. Its parameters, or in_c = 0 when the layer does not qualify.
Conv2dParams InputGradConv(const Conv2dParams& p) {
  Conv2dParams t;
  t.in_c = 0;
  if (p.stride_h != 1 || p.stride_w != 1 || p.dil_h != 1 || p.dil_w != 1 || p.groups != 1 ||
      p.pad_top > p.k_h - 1 || p.pad_bottom > p.k_h - 1 || p.pad_left > p.k_w - 1 ||
      p.pad_right > p.k_w - 1)
    return t;
  t.in_c = p.out_c;
  t.in_h = p.out_h();
  t.in_w = p.out_w();
  t.out_c = p.in_c;
  t.k_h = p.k_h;
  t.k_w = p.k_w;
  t.pad_top = p.k_h - 1 - p.pad_bottom;
  t.pad_bottom = p.k_h - 1 - p.pad_top;
  t.pad_left = p.k_w - 1 - p.pad_right;
  t.pad_right = p.k_w - 1 - p.pad_left;
  if (t.out_h() != p.in_h || t.out_w() != p.in_w) t.in_c = 0;
  return t;
}

// W' (see InputGradConv) as the A operand [C, O·k·k] in gemm_pack_a's layout.
void PackFlippedWeightsA(const Conv2dParams& p, const float* w, float* packed) {
  const int kdim = p.out_c * p.k_h * p.k_w;
  for (int c0 = 0; c0 < p.in_c; c0 += 4) {
    float* dst = packed + static_cast<size_t>(c0) * kdim;
    for (int o = 0; o < p.out_c; ++o)
      for (int ky = 0; ky < p.k_h; ++ky)
        for (int kx = 0; kx < p.k_w; ++kx, dst += 4)
          for (int r = 0; r < 4; ++r) {
            const int c = c0 + r;
            dst[r] =
                c < p.in_c
                    ? w[((static_cast<size_t>(o) * p.in_c + c) * p.k_h + (p.k_h - 1 - ky)) * p.k_w +
                        (p.k_w - 1 - kx)]
                    : 0.0f;
          }
  }
}

// din[c, iy, ix] += cols[j, oy·OW + ox] for every in-bounds tap (one sample).
void Col2im(const Conv2dParams& p, const float* cols, float* din) {
  const int oh = p.out_h(), ow = p.out_w();
  for (int c = 0; c < p.in_c; ++c)
    for (int ky = 0; ky < p.k_h; ++ky)
      for (int kx = 0; kx < p.k_w; ++kx) {
        const int j = (c * p.k_h + ky) * p.k_w + kx;
        const float* src = cols + static_cast<size_t>(j) * oh * ow;
        // Output columns whose input column ox·s − pad + kx lies in [0, in_w).
        int ox0 = 0;
        while (ox0 < ow && ox0 * p.stride_w - p.pad_left + kx < 0) ++ox0;
        int ox1 = ow;
        while (ox1 > ox0 && (ox1 - 1) * p.stride_w - p.pad_left + kx >= p.in_w) --ox1;
        for (int oy = 0; oy < oh; ++oy) {
          const int iy = oy * p.stride_h - p.pad_top + ky;
          if (iy < 0 || iy >= p.in_h) continue;
          float* dst = din + (static_cast<size_t>(c) * p.in_h + iy) * p.in_w;
          const float* row = src + static_cast<size_t>(oy) * ow;
          const int ix0 = ox0 * p.stride_w - p.pad_left + kx;  // in [0, in_w) when ox0 < ox1
          if (p.stride_w == 1) {
            float* d = dst + ix0;
            for (int ox = ox0; ox < ox1; ++ox) d[ox - ox0] += row[ox];
          } else {
            for (int ox = ox0; ox < ox1; ++ox) dst[ix0 + (ox - ox0) * p.stride_w] += row[ox];
          }
        }
      }
}

// relu_backward into a cleared dx, written instead of accumulated: dx = +0 + (x > 0 ? dy :
// 0), the same additions as relu_backward on zeros (so the same bits, −0 included), without
// the clearing pass and the load of dx.
void ReluBackwardWrite(const float* x, const float* dy, float* dx, size_t n) {
  size_t i = 0;
#if NNPLAY_HAVE_SIMD128
  const v128_t zero = wasm_f32x4_splat(0.0f);
  for (; i + 4 <= n; i += 4) {
    const v128_t pass = wasm_f32x4_gt(wasm_v128_load(x + i), zero);
    const v128_t g = wasm_v128_and(wasm_v128_load(dy + i), pass);
    wasm_v128_store(dx + i, wasm_f32x4_add(zero, g));
  }
#endif
  for (; i < n; ++i) dx[i] = 0.0f + (x[i] > 0.0f ? dy[i] : 0.0f);
}

}  // namespace

template <typename F>
void Network::ForSamples(int batch, double per_sample_work, F&& fn) {
  const int workers = WorkersFor(per_sample_work * batch, worker_slots_);
  EnginePool().ParallelFor(batch, fn, workers);
}

const char* LayerKindName(LayerKind kind) {
  switch (kind) {
    case LayerKind::kDense:
      return "dense";
    case LayerKind::kReLU:
      return "relu";
    case LayerKind::kLeakyReLU:
      return "leaky_relu";
    case LayerKind::kSigmoid:
      return "sigmoid";
    case LayerKind::kTanh:
      return "tanh";
    case LayerKind::kConv2d:
      return "conv";
    case LayerKind::kMaxPool2d:
      return "maxpool";
    case LayerKind::kFlatten:
      return "flatten";
  }
  return "?";
}

Network& Network::Add(Layer layer) {
  layers_.push_back(layer);
  built_ = false;
  return *this;
}

Network& Network::AddDense(int units, bool bias) {
  Layer l{};
  l.kind = LayerKind::kDense;
  l.units = units;
  l.bias = bias;
  return Add(l);
}
Network& Network::AddReLU() {
  Layer l{};
  l.kind = LayerKind::kReLU;
  return Add(l);
}
Network& Network::AddLeakyReLU(float slope) {
  Layer l{};
  l.kind = LayerKind::kLeakyReLU;
  l.slope = slope;
  return Add(l);
}
Network& Network::AddSigmoid() {
  Layer l{};
  l.kind = LayerKind::kSigmoid;
  return Add(l);
}
Network& Network::AddTanh() {
  Layer l{};
  l.kind = LayerKind::kTanh;
  return Add(l);
}
Network& Network::AddConv2d(int out_c, int k, int stride, int pad, bool bias) {
  Layer l{};
  l.kind = LayerKind::kConv2d;
  l.units = out_c;
  l.k = k;
  l.stride = stride;
  l.pad = pad;
  l.bias = bias;
  return Add(l);
}
Network& Network::AddMaxPool2d(int k, int stride) {
  Layer l{};
  l.kind = LayerKind::kMaxPool2d;
  l.k = k;
  l.stride = stride > 0 ? stride : k;
  return Add(l);
}
Network& Network::AddFlatten() {
  Layer l{};
  l.kind = LayerKind::kFlatten;
  return Add(l);
}
Network& Network::SetLoss(LossKind loss) {
  loss_ = loss;
  return *this;
}

std::string Network::Build(const std::vector<int>& input_shape, int max_batch) {
  built_ = false;
  batch_ = 0;
  if (max_batch < 1) return "max_batch must be at least 1";
  if (input_shape.empty() || Tensor::Count(input_shape) == 0)
    return "input shape must be non-empty with positive sizes";
  for (int d : input_shape)
    if (d < 1) return "input shape " + ShapeText(input_shape) + " has a size below 1";
  if (layers_.empty()) return "the network has no layers";

  input_shape_ = input_shape;
  max_batch_ = max_batch;
  sizes_.assign(1, Tensor::Count(input_shape));
  param_views_.clear();
  size_t n_params = 0, n_argmax = 0;
  std::vector<size_t> argmax_offsets;
  std::vector<int> shape = input_shape;
  for (size_t i = 0; i < layers_.size(); ++i) {
    Layer& l = layers_[i];
    const std::string where = "layer " + std::to_string(i) + " (" + LayerKindName(l.kind) + "): ";
    l.in_size = Tensor::Count(shape);
    l.weight_size = l.bias_size = 0;
    switch (l.kind) {
      case LayerKind::kDense: {
        if (shape.size() != 1)
          return where + "needs a rank-1 input, got " + ShapeText(shape) + " (add a Flatten)";
        if (l.units < 1) return where + "needs at least 1 unit";
        l.weight_size = static_cast<size_t>(l.units) * l.in_size;
        l.bias_size = l.bias ? static_cast<size_t>(l.units) : 0;
        shape = {l.units};
        break;
      }
      case LayerKind::kReLU:
      case LayerKind::kLeakyReLU:
      case LayerKind::kSigmoid:
      case LayerKind::kTanh:
        break;
      case LayerKind::kConv2d: {
        if (shape.size() != 3) return where + "needs a CHW input, got " + ShapeText(shape);
        Conv2dParams p;
        p.in_c = shape[0];
        p.in_h = shape[1];
        p.in_w = shape[2];
        p.out_c = l.units;
        p.k_h = p.k_w = l.k;
        p.stride_h = p.stride_w = l.stride;
        p.pad_top = p.pad_left = p.pad_bottom = p.pad_right = l.pad;
        const std::string err = Conv2dValidate(p);
        if (!err.empty()) return where + err;
        if (p.out_h() < 1 || p.out_w() < 1) return where + "the kernel does not fit the input";
        l.conv = p;
        l.weight_size = p.weight_size();
        l.bias_size = l.bias ? static_cast<size_t>(l.units) : 0;
        shape = {p.out_c, p.out_h(), p.out_w()};
        break;
      }
      case LayerKind::kMaxPool2d: {
        if (shape.size() != 3) return where + "needs a CHW input, got " + ShapeText(shape);
        Pool2dParams p;
        p.c = shape[0];
        p.h = shape[1];
        p.w = shape[2];
        p.k_h = p.k_w = l.k;
        p.stride_h = p.stride_w = l.stride;
        const std::string err = Pool2dValidate(p);
        if (!err.empty()) return where + err;
        if (p.out_h() < 1 || p.out_w() < 1) return where + "the window does not fit the input";
        l.pool = p;
        shape = {p.c, p.out_h(), p.out_w()};
        break;
      }
      case LayerKind::kFlatten:
        shape = {static_cast<int>(l.in_size)};
        break;
    }
    l.shape = shape;
    l.out_size = Tensor::Count(shape);
    l.weight_offset = n_params;
    l.bias_offset = n_params + l.weight_size;
    n_params += l.weight_size + l.bias_size;
    if (l.kind == LayerKind::kMaxPool2d) {
      argmax_offsets.push_back(n_argmax);
      n_argmax += static_cast<size_t>(max_batch) * l.out_size;
    } else {
      argmax_offsets.push_back(0);
    }
    sizes_.push_back(l.out_size);
  }
  if (loss_ == LossKind::kSoftmaxCrossEntropy && shape.size() != 1)
    return "the softmax cross-entropy head needs rank-1 logits, got " + ShapeText(shape);

  act_offsets_.clear();
  size_t n_acts = 0;
  for (size_t s : sizes_) {
    act_offsets_.push_back(n_acts);
    n_acts += static_cast<size_t>(max_batch) * s;
  }
  params_.assign(n_params, 0.0f);
  grads_.assign(n_params, 0.0f);
  acts_.assign(n_acts, 0.0f);
  dacts_.assign(n_acts, 0.0f);
  argmax_.assign(n_argmax, 0);
  argmax_offsets_ = argmax_offsets;
  probs_.assign(static_cast<size_t>(max_batch) * sizes_.back(), 0.0f);

  // Conv2d workspace: each layer's im2col panels for max_batch samples (written by the
  // forward, read by the weight gradient), then scratch shared by the layers: packed
  // weights (A), one sample's packed dOut (B), one sample's input-gradient columns (C), one
  // zero-padded input.
  size_t ws_cols = 0, ws_a = 0, ws_b = 0, ws_c = 0, ws_pad = 0, ws_wb = 0, ws_wc = 0;
  taps_.clear();
  for (Layer& l : layers_) {
    if (l.kind != LayerKind::kConv2d) continue;
    const Conv2dParams& p = l.conv;
    const int kk = ConvK(p), hw = p.out_h() * p.out_w();
    l.direct = UsesDirect(p);
    if (l.direct) {
      // Its padded inputs (max_batch of them), the packed weights and dOut in the A scratch;
      // the input gradient's padded dOut per worker, or the Wᵀ·dOut path's scratch.
      const ConvDirectShape s = DirectShape(p);
      l.pad_stride = s.padded_size();
      l.cols_offset = ws_cols;
      ws_cols += static_cast<size_t>(max_batch) * l.pad_stride;
      l.taps_offset = taps_.size();
      taps_.resize(taps_.size() + static_cast<size_t>(kk));
      conv_direct_offsets(s, taps_.data() + l.taps_offset);
      ws_a = std::max({ws_a, gemm_packed_a_size(p.out_c, kk),
                       conv_direct_packed_dout_size(p.out_c, hw, max_batch)});
      const Conv2dParams t = InputGradConv(p);
      if (t.in_c) {
        const ConvDirectShape ts = DirectShape(t);
        l.dx_taps_offset = taps_.size();
        taps_.resize(taps_.size() + static_cast<size_t>(ts.taps()));
        conv_direct_offsets(ts, taps_.data() + l.dx_taps_offset);
        ws_a = std::max(ws_a, gemm_packed_a_size(t.out_c, ts.taps()));
        ws_pad = std::max(ws_pad, ts.padded_size());
      } else {
        ws_a = std::max(ws_a, gemm_packed_a_size(kk, p.out_c));
        ws_wb = std::max(ws_wb, gemm_packed_b_size(p.out_c, hw));
        ws_wc = std::max(ws_wc, static_cast<size_t>(kk) * hw);
      }
      continue;
    }
    l.cols_offset = ws_cols;
    ws_cols += static_cast<size_t>(max_batch) * gemm_packed_b_size(kk, hw);
    const int nhwp = max_batch * RoundUp8(hw);
    ws_a = std::max({ws_a, gemm_packed_a_size(p.out_c, kk), gemm_packed_a_size(kk, p.out_c),
                     gemm_packed_a_size(p.out_c, nhwp)});
    ws_b = std::max(ws_b, gemm_packed_b_size(nhwp, kk));
    ws_wb = std::max(ws_wb, gemm_packed_b_size(p.out_c, hw));
    ws_wc = std::max(ws_wc, static_cast<size_t>(kk) * hw);
    ws_pad = std::max(ws_pad, PaddedInputSize(p));
    const Conv2dParams t = InputGradConv(p);
    if (t.in_c) {
      const int tk = ConvK(t), thw = t.out_h() * t.out_w();
      ws_a = std::max(ws_a, gemm_packed_a_size(t.out_c, tk));
      ws_wb = std::max(ws_wb, gemm_packed_b_size(tk, thw));
      ws_pad = std::max(ws_pad, PaddedInputSize(t));
    }
  }
  // Dense layers large enough for the GEMM path (DenseUsesGemm) share the same scratch.
  for (const Layer& l : layers_) {
    if (l.kind != LayerKind::kDense || !DenseUsesGemm(max_batch, l.in_size, l.units)) continue;
    const int in = static_cast<int>(l.in_size), out = l.units;
    ws_a = std::max({ws_a, gemm_packed_a_size(out, in), gemm_packed_a_size(out, max_batch),
                     gemm_packed_a_size(max_batch, out)});
    ws_b = std::max({ws_b, gemm_packed_b_size(in, max_batch), gemm_packed_b_size(max_batch, in),
                     gemm_packed_b_size(out, in)});
    ws_c = std::max(ws_c, static_cast<size_t>(out) * max_batch);
  }
  // Then per worker (the engine's threads at Build, at least the hardware's): a zero-padded
  // input, one sample's packed B panels and one sample's input-gradient columns.
  worker_slots_ = std::max(EngineThreads(), ThreadPool::HardwareThreads());
  ws_a_offset_ = ws_cols;
  ws_b_offset_ = ws_a_offset_ + ws_a;
  ws_c_offset_ = ws_b_offset_ + ws_b;
  ws_worker_offset_ = ws_c_offset_ + ws_c;
  ws_wb_ = ws_pad;
  ws_wc_ = ws_wb_ + ws_wb;
  ws_worker_stride_ = ws_wc_ + ws_wc;
  ws_.assign(ws_worker_offset_ + static_cast<size_t>(worker_slots_) * ws_worker_stride_, 0.0f);
  cols_fresh_ = false;

  for (size_t i = 0; i < layers_.size(); ++i) {
    const Layer& l = layers_[i];
    const std::string base = std::string(LayerKindName(l.kind)) + std::to_string(i);
    if (l.weight_size) {
      ParamView v;
      v.name = base + ".weight";
      v.layer = static_cast<int>(i);
      v.shape = l.kind == LayerKind::kDense
                    ? std::vector<int>{l.units, static_cast<int>(l.in_size)}
                    : std::vector<int>{l.conv.out_c, l.conv.in_c, l.conv.k_h, l.conv.k_w};
      v.offset = l.weight_offset;
      v.size = l.weight_size;
      param_views_.push_back(v);
    }
    if (l.bias_size) {
      ParamView v;
      v.name = base + ".bias";
      v.layer = static_cast<int>(i);
      v.shape = {static_cast<int>(l.bias_size)};
      v.offset = l.bias_offset;
      v.size = l.bias_size;
      param_views_.push_back(v);
    }
  }
  for (ParamView& v : param_views_) {
    v.data = params_.data() + v.offset;
    v.grad = grads_.data() + v.offset;
  }
  built_ = true;
  return "";
}

void Network::InitParams(uint64_t seed) {
  Pcg32 rng(seed);
  std::fill(params_.begin(), params_.end(), 0.0f);
  for (const Layer& l : layers_) {
    if (!l.weight_size) continue;
    double fan_in, fan_out;
    if (l.kind == LayerKind::kDense) {
      fan_in = static_cast<double>(l.in_size);
      fan_out = l.units;
    } else {
      const double area = static_cast<double>(l.conv.k_h) * l.conv.k_w;
      fan_in = l.conv.in_c * area;
      fan_out = l.conv.out_c * area;
    }
    const float limit = static_cast<float>(std::sqrt(6.0 / (fan_in + fan_out)));
    float* w = params_.data() + l.weight_offset;
    for (size_t j = 0; j < l.weight_size; ++j) w[j] = limit * (2.0f * rng.NextFloat01() - 1.0f);
  }
}

const float* Network::layer_output(int i) const {
  return acts_.data() + act_offsets_[static_cast<size_t>(i) + 1];
}
const float* Network::layer_grad(int i) const {
  return dacts_.data() + act_offsets_[static_cast<size_t>(i) + 1];
}
const std::vector<int>& Network::output_shape() const {
  return layers_.empty() ? input_shape_ : layers_.back().shape;
}

const float* Network::Forward(const float* x, int batch) {
  batch_ = 0;
  if (!built_ || batch < 1 || batch > max_batch_) return nullptr;
  const size_t nb = static_cast<size_t>(batch);
  std::memcpy(act(0), x, nb * sizes_[0] * sizeof(float));
  for (size_t i = 0; i < layers_.size(); ++i) {
    const Layer& l = layers_[i];
    const float* in = act(i);
    float* out = act(i + 1);
    const float* w = params_.data() + l.weight_offset;
    const float* b = l.bias_size ? params_.data() + l.bias_offset : nullptr;
    const size_t n = nb * l.out_size;
    switch (l.kind) {
      case LayerKind::kDense:
        if (reference_)
          dense_forward_ref(batch, static_cast<int>(l.in_size), l.units, in, w, b, out);
        else if (DenseUsesGemm(batch, l.in_size, l.units))
          DenseForwardGemm(l, in, batch, out);
        else
          dense_forward(batch, static_cast<int>(l.in_size), l.units, in, w, b, out);
        break;
      case LayerKind::kReLU:
        if (reference_)
          relu_forward_ref(in, out, n);
        else
          ForSamples(batch, static_cast<double>(l.out_size), [&](int s, int) {
            relu_forward(in + s * l.out_size, out + s * l.out_size, l.out_size);
          });
        break;
      case LayerKind::kLeakyReLU:
        if (reference_)
          leaky_relu_forward_ref(in, out, n, l.slope);
        else
          leaky_relu_forward(in, out, n, l.slope);
        break;
      case LayerKind::kSigmoid:
        if (reference_)
          sigmoid_forward_ref(in, out, n);
        else
          sigmoid_forward(in, out, n);
        break;
      case LayerKind::kTanh:
        if (reference_)
          tanh_forward_ref(in, out, n);
        else
          tanh_forward(in, out, n);
        break;
      case LayerKind::kConv2d:
        if (reference_) {
          for (size_t s = 0; s < nb; ++s)
            conv2d_forward_ref(l.conv, in + s * l.in_size, w, b, out + s * l.out_size);
        } else {
          ConvForwardFast(l, in, batch, out);
        }
        break;
      case LayerKind::kMaxPool2d: {
        int* am = argmax_.data() + argmax_offsets_[i];
        if (reference_) {
          for (size_t s = 0; s < nb; ++s)
            maxpool2d_forward_ref(l.pool, in + s * l.in_size, out + s * l.out_size,
                                  am + s * l.out_size);
        } else {
          ForSamples(batch, static_cast<double>(l.in_size), [&](int s, int) {
            maxpool2d_forward(l.pool, in + s * l.in_size, out + s * l.out_size,
                              am + s * l.out_size);
          });
        }
        break;
      }
      case LayerKind::kFlatten:
        CopyFloats(out, in, n);
        break;
    }
  }
  batch_ = batch;
  cols_fresh_ = !reference_;
  return act(layers_.size());
}

void Network::DenseForwardGemm(const Layer& l, const float* in, int batch, float* out) {
  // Yᵀ[out, N] = W[out, in] · Xᵀ[in, N] + b (the bias per row), then transposed into Y.
  const int nin = static_cast<int>(l.in_size), nout = l.units;
  float* pa = ws_.data() + ws_a_offset_;
  float* pb = ws_.data() + ws_b_offset_;
  float* yt = ws_.data() + ws_c_offset_;
  gemm_pack_a_parallel(nout, nin, params_.data() + l.weight_offset, nin, pa);
  gemm_pack_b_transposed(nin, batch, in, nin, pb);
  gemm_packed_4x8_parallel(nout, batch, nin, pa, pb,
                           l.bias_size ? params_.data() + l.bias_offset : nullptr, yt, batch);
  for (int s = 0; s < batch; ++s)
    for (int o = 0; o < nout; ++o)
      out[static_cast<size_t>(s) * nout + o] = yt[static_cast<size_t>(o) * batch + s];
}

void Network::DenseBackwardGemm(const Layer& l, const float* in, const float* dout, int batch,
                                float* din, float* dw, float* db) {
  const int nin = static_cast<int>(l.in_size), nout = l.units;
  float* pa = ws_.data() + ws_a_offset_;
  float* pb = ws_.data() + ws_b_offset_;
  if (db)
    for (int s = 0; s < batch; ++s)
      for (int o = 0; o < nout; ++o) db[o] += dout[static_cast<size_t>(s) * nout + o];
  // dW[out, in] = dYᵀ[out, N] · X[N, in] (dW was zeroed and only this layer writes it).
  PackWeightsTransposedA(batch, nout, dout, pa);
  gemm_pack_b_parallel(batch, nin, in, nin, pb);
  gemm_packed_4x8_parallel(nout, nin, batch, pa, pb, nullptr, dw, nin);
  if (!din) return;
  // dX[N, in] = dY[N, out] · W[out, in] (likewise written, not accumulated).
  gemm_pack_a(batch, nout, dout, nout, pa);
  gemm_pack_b_parallel(nout, nin, params_.data() + l.weight_offset, nin, pb);
  gemm_packed_4x8_parallel(batch, nin, nout, pa, pb, nullptr, din, nin);
}

void Network::ConvIm2col(const Layer& l, const float* in, int batch) {
  const size_t stride = gemm_packed_b_size(ConvK(l.conv), l.conv.out_h() * l.conv.out_w());
  ForSamples(batch, static_cast<double>(stride), [&](int s, int w) {
    Im2colPackedB(l.conv, in + static_cast<size_t>(s) * l.in_size, worker_ws(w),
                  ws_.data() + l.cols_offset + static_cast<size_t>(s) * stride);
  });
}

void Network::ConvForwardFast(const Layer& l, const float* in, int batch, float* out) {
  if (l.direct) {
    ConvForwardDirect(l, in, batch, out);
    return;
  }
  const Conv2dParams& p = l.conv;
  const int kk = ConvK(p), hw = p.out_h() * p.out_w();
  const size_t stride = gemm_packed_b_size(kk, hw);
  float* pa = ws_.data() + ws_a_offset_;
  const float* w = params_.data() + l.weight_offset;
  const float* b = l.bias_size ? params_.data() + l.bias_offset : nullptr;
  gemm_pack_a(p.out_c, kk, w, kk, pa);
  // Sample by sample (each its own columns and outputs) over the workers; a single sample
  // splits its GEMM instead.
  const double macs = static_cast<double>(p.out_c) * kk * hw;
  const bool by_sample = batch > 1;
  ForSamples(batch, by_sample ? macs : 0.0, [&](int s, int wk) {
    float* pb = ws_.data() + l.cols_offset + static_cast<size_t>(s) * stride;
    Im2colPackedB(p, in + static_cast<size_t>(s) * l.in_size, worker_ws(wk), pb);
    float* o = out + static_cast<size_t>(s) * l.out_size;
    if (by_sample)
      gemm_packed_4x8_simd128(p.out_c, hw, kk, pa, pb, b, o, hw);
    else
      gemm_packed_4x8_parallel(p.out_c, hw, kk, pa, pb, b, o, hw, nullptr, worker_slots_);
  });
}

void Network::ConvForwardDirect(const Layer& l, const float* in, int batch, float* out) {
  const Conv2dParams& p = l.conv;
  const ConvDirectShape s = DirectShape(p);
  const int kk = ConvK(p), hw = p.out_h() * p.out_w(), panels = (p.out_c + 3) / 4;
  float* pa = ws_.data() + ws_a_offset_;
  const float* b = l.bias_size ? params_.data() + l.bias_offset : nullptr;
  const int* off = taps_.data() + l.taps_offset;
  float* pads = ws_.data() + l.cols_offset;
  gemm_pack_a(p.out_c, kk, params_.data() + l.weight_offset, kk, pa);
  // Sample by sample (each its own padded input and outputs) over the workers; a single
  // sample splits by panels of output channels instead.
  const double macs = static_cast<double>(p.out_c) * kk * hw;
  if (batch > 1) {
    ForSamples(batch, macs, [&](int n, int) {
      float* pd = pads + static_cast<size_t>(n) * l.pad_stride;
      PadDirect(p, in + static_cast<size_t>(n) * l.in_size, pd);
      conv_direct_forward(s, pd, pa, off, b, out + static_cast<size_t>(n) * l.out_size, 0, panels);
    });
    return;
  }
  PadDirect(p, in, pads);
  EnginePool().ParallelFor(
      panels, [&](int q, int) { conv_direct_forward(s, pads, pa, off, b, out, q, q + 1); },
      WorkersFor(macs, worker_slots_));
}

namespace {

// Each db[o] one chain over (sample, position) in order; four channels' chains side by side
// so they overlap (the additions are latency-bound one chain at a time).
void ConvBiasGrad(const Conv2dParams& p, const float* dout, int batch, float* db) {
  const int hw = p.out_h() * p.out_w();
  for (int s = 0; s < batch; ++s) {
    const float* ds = dout + static_cast<size_t>(s) * p.out_c * hw;
    int o = 0;
    for (; o + 4 <= p.out_c; o += 4) {
      const float *d0 = ds + static_cast<size_t>(o) * hw, *d1 = d0 + hw, *d2 = d1 + hw,
                  *d3 = d2 + hw;
      float a0 = db[o], a1 = db[o + 1], a2 = db[o + 2], a3 = db[o + 3];
      for (int i = 0; i < hw; ++i) {
        a0 += d0[i];
        a1 += d1[i];
        a2 += d2[i];
        a3 += d3[i];
      }
      db[o] = a0;
      db[o + 1] = a1;
      db[o + 2] = a2;
      db[o + 3] = a3;
    }
    for (; o < p.out_c; ++o) {
      const float* d = ds + static_cast<size_t>(o) * hw;
      float acc = db[o];
      for (int i = 0; i < hw; ++i) acc += d[i];
      db[o] = acc;
    }
  }
}

}  // namespace

void Network::ConvBackwardDirect(const Layer& l, const float* in, const float* dout, int batch,
                                 float* din, float* dw, float* db) {
  const Conv2dParams& p = l.conv;
  const ConvDirectShape s = DirectShape(p);
  const int kk = ConvK(p), hw = p.out_h() * p.out_w();
  float* pa = ws_.data() + ws_a_offset_;
  float* pads = ws_.data() + l.cols_offset;
  if (db) ConvBiasGrad(p, dout, batch, db);
  // dW from the forward's padded inputs (redone when the forward ran the reference). Each
  // output (o, tap) keeps its one sum over the whole batch, in order: the work is split
  // across outputs (8 channels × 4 taps an item), never into partial batches.
  if (!cols_fresh_)
    ForSamples(batch, static_cast<double>(l.pad_stride), [&](int n, int) {
      PadDirect(p, in + static_cast<size_t>(n) * l.in_size, pads + n * l.pad_stride);
    });
  const double copy = static_cast<double>(batch) * hw * p.out_c;
  EnginePool().ParallelFor(
      conv_direct_dout_tiles(p.out_c),
      [&](int t, int) { conv_direct_pack_dout(p.out_c, hw, batch, dout, pa, t, t + 1); },
      WorkersFor(copy, worker_slots_));
  const int* off = taps_.data() + l.taps_offset;
  EnginePool().ParallelFor(
      conv_direct_wgrad_items(s),
      [&](int i, int) { conv_direct_wgrad(s, batch, pads, l.pad_stride, pa, off, dw, i, i + 1); },
      WorkersFor(copy * kk, worker_slots_));
  if (!din) return;
  const Conv2dParams t = InputGradConv(p);
  if (!t.in_c) {
    ConvInputGradCols(l, dout, batch, din);
    return;
  }
  // Per sample the conv dIn = dOut ⋆ W' (InputGradConv) on the padded dOut. dIn was zeroed
  // and only this layer writes it: written, not accumulated.
  const ConvDirectShape ts = DirectShape(t);
  const int* toff = taps_.data() + l.dx_taps_offset;
  const int tpanels = (t.out_c + 3) / 4;
  PackFlippedWeightsA(p, params_.data() + l.weight_offset, pa);
  ForSamples(batch, static_cast<double>(t.out_c) * ConvK(t) * hw, [&](int n, int w) {
    float* pd = worker_ws(w);
    PadDirect(t, dout + static_cast<size_t>(n) * l.out_size, pd);
    conv_direct_forward(ts, pd, pa, toff, nullptr, din + static_cast<size_t>(n) * l.in_size, 0,
                        tpanels);
  });
}

void Network::ConvInputGradCols(const Layer& l, const float* dout, int batch, float* din) {
  // Per sample: dcols[K, HW] = Wᵀ[K, O] · dOut[O, HW], then col2im into dinput.
  const Conv2dParams& p = l.conv;
  const int kk = ConvK(p), hw = p.out_h() * p.out_w();
  float* pa = ws_.data() + ws_a_offset_;
  PackWeightsTransposedA(p.out_c, kk, params_.data() + l.weight_offset, pa);
  ForSamples(batch, static_cast<double>(kk) * hw * p.out_c, [&](int s, int w) {
    float* tb = worker_ws(w) + ws_wb_;
    float* cols = worker_ws(w) + ws_wc_;
    gemm_pack_b(p.out_c, hw, dout + static_cast<size_t>(s) * l.out_size, hw, tb);
    gemm_packed_4x8_simd128(kk, hw, p.out_c, pa, tb, nullptr, cols, hw);
    Col2im(p, cols, din + static_cast<size_t>(s) * l.in_size);
  });
}

void Network::ConvBackwardFast(const Layer& l, const float* in, const float* dout, int batch,
                               float* din, float* dw, float* db) {
  if (l.direct) {
    ConvBackwardDirect(l, in, dout, batch, din, dw, db);
    return;
  }
  const Conv2dParams& p = l.conv;
  const int kk = ConvK(p), hw = p.out_h() * p.out_w();
  float* pa = ws_.data() + ws_a_offset_;
  float* pb = ws_.data() + ws_b_offset_;
  if (db) ConvBiasGrad(p, dout, batch, db);
  // dW from the forward's im2col panels (redone when the forward ran the reference).
  // Each output (o, tap) of dW keeps its one sum over the whole batch, in order: the work is
  // split across outputs (blocks of output channels and taps), never into partial batches.
  if (!cols_fresh_) ConvIm2col(l, in, batch);
  const int panels = (p.out_c + 3) / 4;
  const double copy = static_cast<double>(batch) * RoundUp8(hw);
  const int pack_workers = WorkersFor(copy * p.out_c, worker_slots_);
  EnginePool().ParallelFor(
      panels, [&](int q, int) { PackDoutA(p.out_c, hw, batch, q, q + 1, dout, pa); }, pack_workers);
  ForSamples(batch, static_cast<double>(RoundUp8(hw)) * kk, [&](int s, int) {
    TransposeColsB(kk, hw, batch, s, s + 1, ws_.data() + l.cols_offset, gemm_packed_b_size(kk, hw),
                   pb);
  });
  gemm_packed_4x8_parallel(p.out_c, kk, batch * RoundUp8(hw), pa, pb, nullptr, dw, kk, nullptr,
                           worker_slots_);
  if (!din) return;
  // Stride 1: per sample the conv dIn = dOut ⋆ W' (InputGradConv), im2col + GEMM as the
  // forward. dIn was zeroed and only this layer writes it: written, not accumulated.
  const Conv2dParams t = InputGradConv(p);
  if (t.in_c) {
    const int tk = ConvK(t), thw = t.out_h() * t.out_w();
    PackFlippedWeightsA(p, params_.data() + l.weight_offset, pa);
    ForSamples(batch, static_cast<double>(t.out_c) * tk * thw, [&](int s, int w) {
      float* tb = worker_ws(w) + ws_wb_;
      Im2colPackedB(t, dout + static_cast<size_t>(s) * l.out_size, worker_ws(w), tb);
      gemm_packed_4x8_simd128(t.out_c, thw, tk, pa, tb, nullptr,
                              din + static_cast<size_t>(s) * l.in_size, thw);
    });
    return;
  }
  ConvInputGradCols(l, dout, batch, din);
}

void Network::BackwardLayers(int batch) {
  const size_t nb = static_cast<size_t>(batch);
  // The loss head has accumulated into dact(L); clear the other gradients the layers
  // accumulate into first: every parameter's, and each hidden activation's for this batch
  // only (clearing all max_batch samples cost more than a small batch's whole step; the
  // input's gradient, dact(0), is never computed).
  // Layers that write their input's gradient rather than add to it need no clearing: the
  // fast ReLU, the stride-1 conv (its input gradient is a GEMM's output), the dense GEMM; max
  // pooling clears each sample's part itself, just before it scatters into it.
  ZeroFloats(grads_.data(), grads_.size());
  for (size_t i = 1; i < layers_.size(); ++i) {
    const Layer& l = layers_[i];
    const bool writes =
        l.kind == LayerKind::kMaxPool2d ||
        (!reference_ &&
         (l.kind == LayerKind::kReLU ||
          (l.kind == LayerKind::kConv2d && InputGradConv(l.conv).in_c) ||
          (l.kind == LayerKind::kDense && DenseUsesGemm(batch, l.in_size, l.units))));
    if (!writes) ZeroFloats(dact(i), nb * sizes_[i]);
  }
  for (size_t i = layers_.size(); i-- > 0;) {
    const Layer& l = layers_[i];
    const float* in = act(i);
    const float* out = act(i + 1);
    const float* dout = dact(i + 1);
    float* din = i == 0 ? nullptr : dact(i);  // the input's gradient is not wanted
    const float* w = params_.data() + l.weight_offset;
    float* dw = grads_.data() + l.weight_offset;
    float* db = l.bias_size ? grads_.data() + l.bias_offset : nullptr;
    const size_t n = nb * l.out_size;
    switch (l.kind) {
      case LayerKind::kDense:
        if (reference_)
          dense_backward_ref(batch, static_cast<int>(l.in_size), l.units, in, w, dout, din, dw, db);
        else if (DenseUsesGemm(batch, l.in_size, l.units))
          DenseBackwardGemm(l, in, dout, batch, din, dw, db);
        else
          dense_backward(batch, static_cast<int>(l.in_size), l.units, in, w, dout, din, dw, db);
        break;
      case LayerKind::kConv2d:
        if (reference_) {
          for (size_t s = 0; s < nb; ++s)
            conv2d_backward_ref(l.conv, in + s * l.in_size, w, dout + s * l.out_size,
                                din ? din + s * l.in_size : nullptr, dw, db);
        } else {
          ConvBackwardFast(l, in, dout, batch, din, dw, db);
        }
        break;
      default:
        if (!din) break;  // parameter-free first layer: nothing to pass back
        switch (l.kind) {
          case LayerKind::kReLU:
            if (reference_)
              relu_backward_ref(in, dout, din, n);
            else
              ForSamples(batch, static_cast<double>(l.out_size), [&](int s, int) {
                const size_t o = s * l.out_size;
                ReluBackwardWrite(in + o, dout + o, din + o, l.out_size);
              });
            break;
          case LayerKind::kLeakyReLU:
            if (reference_)
              leaky_relu_backward_ref(in, dout, din, n, l.slope);
            else
              leaky_relu_backward(in, dout, din, n, l.slope);
            break;
          case LayerKind::kSigmoid:
            sigmoid_backward_ref(out, dout, din, n);
            break;
          case LayerKind::kTanh:
            tanh_backward_ref(out, dout, din, n);
            break;
          case LayerKind::kMaxPool2d: {
            const int* am = argmax_.data() + argmax_offsets_[i];
            ForSamples(batch, static_cast<double>(l.in_size), [&](int s, int) {
              float* d = din + s * l.in_size;
              ZeroFloats(d, l.in_size);
              maxpool2d_backward_ref(l.pool, am + s * l.out_size, dout + s * l.out_size, d);
            });
            break;
          }
          case LayerKind::kFlatten:
            for (size_t j = 0; j < n; ++j) din[j] += dout[j];
            break;
          default:
            break;
        }
    }
  }
}

float Network::Backward(const int* targets) {
  if (batch_ < 1 || loss_ != LossKind::kSoftmaxCrossEntropy) return kNaN;
  const int c = static_cast<int>(sizes_.back());
  const float* logits = act(layers_.size());
  const float loss = softmax_cross_entropy_forward(batch_, c, logits, targets, probs_.data());
  float* dlogits = dact(layers_.size());
  ZeroFloats(dlogits, static_cast<size_t>(batch_) * sizes_.back());
  softmax_cross_entropy_backward(batch_, c, probs_.data(), targets, 1.0f, dlogits);
  BackwardLayers(batch_);
  return loss;
}

float Network::BackwardMse(const float* targets) {
  if (batch_ < 1 || loss_ != LossKind::kMse) return kNaN;
  const size_t count = static_cast<size_t>(batch_) * sizes_.back();
  const float* y = act(layers_.size());
  const float loss = mse_forward(count, y, targets);
  float* dy = dact(layers_.size());
  ZeroFloats(dy, count);
  mse_backward(count, y, targets, 1.0f, dy);
  BackwardLayers(batch_);
  return loss;
}

float Network::TrainStep(const float* x, const int* targets, int batch) {
  if (!Forward(x, batch)) return kNaN;
  return Backward(targets);
}

float Network::TrainStepMse(const float* x, const float* targets, int batch) {
  if (!Forward(x, batch)) return kNaN;
  return BackwardMse(targets);
}

float Network::Loss(const float* x, const int* targets, int batch) {
  if (loss_ != LossKind::kSoftmaxCrossEntropy) return kNaN;
  const float* logits = Forward(x, batch);
  if (!logits) return kNaN;
  return softmax_cross_entropy_forward(batch, static_cast<int>(sizes_.back()), logits, targets,
                                       probs_.data());
}

float Network::LossMse(const float* x, const float* targets, int batch) {
  if (loss_ != LossKind::kMse) return kNaN;
  const float* y = Forward(x, batch);
  if (!y) return kNaN;
  return mse_forward(static_cast<size_t>(batch) * sizes_.back(), y, targets);
}

std::vector<BufferInfo> Network::Buffers() const {
  return {{params_.data(), params_.capacity()}, {grads_.data(), grads_.capacity()},
          {acts_.data(), acts_.capacity()},     {dacts_.data(), dacts_.capacity()},
          {argmax_.data(), argmax_.capacity()}, {probs_.data(), probs_.capacity()},
          {ws_.data(), ws_.capacity()}};
}

}  // namespace nnplay
