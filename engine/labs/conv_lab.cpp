// conv_lab.cpp: the convolution lab's model and share-link fields. See conv_lab.h.
#include "labs/conv_lab.h"

#include <algorithm>
#include <cmath>

#include "json.h"
#include "labs/notation.h"
#include "link/number.h"
#include "ops/activations.h"
#include "ops/pool.h"

namespace nnplay {

bool ConvLabState::operator==(const ConvLabState& o) const {
  return input == o.input && filter == o.filter && padding == o.padding && pad_top == o.pad_top &&
         pad_bottom == o.pad_bottom && pad_left == o.pad_left && pad_right == o.pad_right &&
         stride_h == o.stride_h && stride_w == o.stride_w && dil_h == o.dil_h && dil_w == o.dil_w &&
         groups == o.groups && transposed == o.transposed && out_pad_h == o.out_pad_h &&
         out_pad_w == o.out_pad_w && relu == o.relu && pool == o.pool && pool_kh == o.pool_kh &&
         pool_kw == o.pool_kw && pool_sh == o.pool_sh && pool_sw == o.pool_sw &&
         pool_pad_h == o.pool_pad_h && pool_pad_w == o.pool_pad_w && pool_dil_h == o.pool_dil_h &&
         pool_dil_w == o.pool_dil_w && pool_ceil == o.pool_ceil &&
         pool_count_pad == o.pool_count_pad && pool_out_h == o.pool_out_h &&
         pool_out_w == o.pool_out_w;
}

namespace {

// "same" padding as TensorFlow resolves it: output ⌈n/s⌉ (n·s when transposed), the odd
// pixel after. A transposed filter shorter than the stride (d(k−1) + 1 < s) needs no
// padding but s − d(k−1) − 1 more rows after: the output padding.
void SamePadding(int n, int k, int s, int d, bool transposed, int* before, int* after,
                 int* out_pad) {
  int total = 0;
  *out_pad = 0;
  if (transposed) {
    total = d * (k - 1) + 1 - s;
    if (total < 0) *out_pad = -total, total = 0;
  } else {
    const int out = (n + s - 1) / s;
    total = std::max((out - 1) * s + d * (k - 1) + 1 - n, 0);
  }
  *before = total / 2;
  *after = total - *before;
}

ConvAxis MakeAxis(int n, int pad_before, int pad_after, int k, int s, int d, int out_pad,
                  bool transposed) {
  ConvAxis a;
  a.n = n, a.pad_before = pad_before, a.pad_after = pad_after, a.k = k, a.stride = s;
  a.dilation = d, a.transposed = transposed, a.out_pad = transposed ? out_pad : 0;
  a.out = transposed ? Conv2dTransposeOutExtent(n, pad_before, pad_after, k, s, d, a.out_pad)
                     : Conv2dOutExtent(n, pad_before, pad_after, k, s, d);
  return a;
}

const char* PaddingName(PaddingMode m) {
  switch (m) {
    case PaddingMode::kValid:
      return "valid";
    case PaddingMode::kSame:
      return "same";
    case PaddingMode::kExplicit:
      return "explicit";
  }
  return "valid";
}

const char* PoolName(PoolMode m) {
  switch (m) {
    case PoolMode::kNone:
      return "none";
    case PoolMode::kMax:
      return "max";
    case PoolMode::kAvg:
      return "avg";
    case PoolMode::kAdaptiveMax:
      return "adaptive_max";
    case PoolMode::kAdaptiveAvg:
      return "adaptive_avg";
  }
  return "none";
}

bool Adaptive(PoolMode m) {
  return m == PoolMode::kAdaptiveMax || m == PoolMode::kAdaptiveAvg;
}
bool Windowed(PoolMode m) {
  return m == PoolMode::kMax || m == PoolMode::kAvg;
}
bool IsMax(PoolMode m) {
  return m == PoolMode::kMax || m == PoolMode::kAdaptiveMax;
}

Pool2dParams PoolParams(const ConvLabState& s, const Tensor& map) {
  Pool2dParams p;
  p.c = map.dim(0), p.h = map.dim(1), p.w = map.dim(2);
  p.k_h = s.pool_kh, p.k_w = s.pool_kw;
  p.stride_h = s.pool_sh, p.stride_w = s.pool_sw;
  p.pad_top = p.pad_bottom = s.pool_pad_h;
  p.pad_left = p.pad_right = s.pool_pad_w;
  p.ceil_mode = s.pool_ceil;
  if (s.pool == PoolMode::kMax) {
    p.dil_h = s.pool_dil_h, p.dil_w = s.pool_dil_w;
  } else {
    p.count_include_pad = s.pool_count_pad;
  }
  return p;
}

AdaptivePool2dParams AdaptiveParams(const ConvLabState& s, const Tensor& map) {
  AdaptivePool2dParams p;
  p.c = map.dim(0), p.h = map.dim(1), p.w = map.dim(2);
  p.out_h = s.pool_out_h, p.out_w = s.pool_out_w;
  return p;
}

// Shape checks that the types cannot express (the decoder and the view keep to them).
std::string ValidateShapes(const ConvLabState& s) {
  if (s.input.rank() != 3) return "the input must be channels x rows x columns";
  if (s.filter.rank() != 4) return "the filter must be filters x channels x rows x columns";
  if (s.groups < 1 || s.input.dim(0) % s.groups != 0 || s.filter.dim(0) % s.groups != 0)
    return "groups (" + std::to_string(s.groups) + ") must divide the input channels (" +
           std::to_string(s.input.dim(0)) + ") and the filters (" +
           std::to_string(s.filter.dim(0)) + ")";
  if (s.filter.dim(1) != s.input.dim(0) / s.groups)
    return "the filter has " + std::to_string(s.filter.dim(1)) + " channels but the input has " +
           std::to_string(s.input.dim(0)) +
           (s.groups > 1 ? " in " + std::to_string(s.groups) + " groups" : std::string());
  if (s.transposed && s.padding != PaddingMode::kSame &&
      ((s.out_pad_h >= s.stride_h && s.out_pad_h >= s.dil_h) ||
       (s.out_pad_w >= s.stride_w && s.out_pad_w >= s.dil_w)))
    return "the output padding must be smaller than the stride or the dilation";
  return {};
}

std::string PairText(int a, int b) {
  return a == b ? std::to_string(a) : std::to_string(a) + "x" + std::to_string(b);
}

// "N" (both) or "AxB"; each in [lo, hi].
bool ParsePair(std::string_view v, int lo, int hi, int* a, int* b, std::string* why) {
  const size_t x = v.find('x');
  if (x == std::string_view::npos) {
    if (!ParseInt(v, lo, hi, a, why)) return false;
    *b = *a;
    return true;
  }
  return ParseInt(v.substr(0, x), lo, hi, a, why) && ParseInt(v.substr(x + 1), lo, hi, b, why);
}

}  // namespace

std::string ConvSizeRule(bool transposed, bool output_padding) {
  const std::string minus = std::string(" ") + kMinus + " ";
  const std::string spread = std::string("d(k") + kMinus + "1)";
  if (transposed)
    return "(n" + std::string(kMinus) + "1)s" + minus + "2p + " + spread +
           (output_padding ? " + a" : "") + " + 1";
  return kFloorL + ("(n + 2p" + minus + spread + minus + "1)/s") + kFloorR + " + 1";
}

std::string ConvAxis::Formula(const char* axis_name) const {
  // ⌊(n + 2p − d(k−1) − 1)/s⌋ + 1, or (n−1)s − 2p + d(k−1) + a + 1, with the numbers in.
  const std::string minus = std::string(" ") + kMinus + " ";
  const std::string spread =
      std::to_string(dilation) + kTimes + "(" + std::to_string(k) + kMinus + "1)";
  std::string f = std::string(axis_name) + ": ";
  if (transposed) {
    // Both paddings are subtracted: "− 2×p", or "− p₁ − p₂" when they differ.
    const std::string pads =
        pad_before == pad_after
            ? minus + "2" + kTimes + std::to_string(pad_before)
            : minus + std::to_string(pad_before) + minus + std::to_string(pad_after);
    f += "(" + std::to_string(n) + kMinus + "1)" + kTimes + std::to_string(stride) + pads + " + " +
         spread + (out_pad > 0 ? " + " + std::to_string(out_pad) : "") + " + 1 = ";
    return f + (out > 0 ? std::to_string(out) : "none (padding removes every row)");
  }
  const std::string pads = pad_before == pad_after
                               ? "2" + std::string(kTimes) + std::to_string(pad_before)
                               : std::to_string(pad_before) + " + " + std::to_string(pad_after);
  f += kFloorL + ("(" + std::to_string(n) + " + " + pads + minus + spread + minus + "1)/") +
       std::to_string(stride) + kFloorR + " + 1 = ";
  if (out > 0) return f + std::to_string(out);
  return f + "none (the filter spans " + std::to_string(dilation * (k - 1) + 1) +
         " but the padded input has " + std::to_string(n + pad_before + pad_after) + ")";
}

std::string PoolAxisFormula(const ConvLabState& s, int n, bool rows) {
  std::string f = rows ? "rows: " : "columns: ";
  const int out_fixed = rows ? s.pool_out_h : s.pool_out_w;
  if (Adaptive(s.pool))
    return f + "adaptive, " + std::to_string(n) + " cut into " + std::to_string(out_fixed) +
           (out_fixed == 1 ? " window (global)" : " windows");
  if (!Windowed(s.pool)) return f + "no pooling";
  const int k = rows ? s.pool_kh : s.pool_kw, st = rows ? s.pool_sh : s.pool_sw;
  const int p = rows ? s.pool_pad_h : s.pool_pad_w;
  const int d = s.pool == PoolMode::kMax ? (rows ? s.pool_dil_h : s.pool_dil_w) : 1;
  Pool2dParams pp;
  pp.h = pp.w = n, pp.k_h = pp.k_w = k, pp.stride_h = pp.stride_w = st;
  pp.pad_top = pp.pad_bottom = pp.pad_left = pp.pad_right = p;
  pp.dil_h = pp.dil_w = d, pp.ceil_mode = s.pool_ceil;
  const int out = pp.out_h();
  const std::string minus = std::string(" ") + kMinus + " ";
  const std::string inner = "(" + std::to_string(n) + " + 2" + kTimes + std::to_string(p) + minus +
                            std::to_string(d) + kTimes + "(" + std::to_string(k) + kMinus + "1)" +
                            minus + "1)/" + std::to_string(st);
  f += (s.pool_ceil ? kCeilL + inner + kCeilR : kFloorL + inner + kFloorR) + " + 1";
  if (s.pool_ceil) {
    // PyTorch drops a last window that would start in the padding after the map.
    const long span = static_cast<long>(n) + 2 * p - static_cast<long>(d) * (k - 1) - 1;
    const long raw = span < 0 ? 0 : (span + st - 1) / st + 1;
    if (span >= 0 && raw != out) f += minus + "1 (the last window would start past the map)";
  }
  return f + " = " + (out > 0 ? std::to_string(out) : std::string("none"));
}

ConvLabResult EvaluateConvLab(const ConvLabState& state) {
  ConvLabResult r;
  EvaluateConvLab(state, &r);
  return r;
}

void EvaluateConvLab(const ConvLabState& state, ConvLabResult* result) {
  ConvLabResult& r = *result;
  r.error.clear();
  r.pool_error.clear();
  r.params = Conv2dParams();
  r.error = ValidateShapes(state);
  if (!r.error.empty()) {
    r.output = r.activated = r.pooled = Tensor();
    return;
  }
  Conv2dParams& p = r.params;
  p.in_c = state.channels(), p.out_c = state.filters(), p.groups = state.groups;
  p.in_h = state.input.dim(1), p.in_w = state.input.dim(2);
  p.k_h = state.filter.dim(2), p.k_w = state.filter.dim(3);
  p.stride_h = state.stride_h, p.stride_w = state.stride_w;
  p.dil_h = state.dil_h, p.dil_w = state.dil_w;
  switch (state.padding) {
    case PaddingMode::kValid:
      break;
    case PaddingMode::kExplicit:
      p.pad_top = state.pad_top, p.pad_bottom = state.pad_bottom;
      p.pad_left = state.pad_left, p.pad_right = state.pad_right;
      break;
    case PaddingMode::kSame:
      SamePadding(p.in_h, p.k_h, p.stride_h, p.dil_h, state.transposed, &p.pad_top, &p.pad_bottom,
                  &p.out_pad_h);
      SamePadding(p.in_w, p.k_w, p.stride_w, p.dil_w, state.transposed, &p.pad_left, &p.pad_right,
                  &p.out_pad_w);
      break;
  }
  if (state.transposed && state.padding != PaddingMode::kSame)
    p.out_pad_h = state.out_pad_h, p.out_pad_w = state.out_pad_w;
  r.rows = MakeAxis(p.in_h, p.pad_top, p.pad_bottom, p.k_h, p.stride_h, p.dil_h, p.out_pad_h,
                    state.transposed);
  r.cols = MakeAxis(p.in_w, p.pad_left, p.pad_right, p.k_w, p.stride_w, p.dil_w, p.out_pad_w,
                    state.transposed);
  r.error = Conv2dValidate(p);
  if (r.error.empty() && (r.rows.out == 0 || r.cols.out == 0)) {
    r.error = state.transposed
                  ? "No output: the padding (" + std::to_string(p.pad_top + p.pad_bottom) +
                        " rows, " + std::to_string(p.pad_left + p.pad_right) +
                        " columns) removes more than the transposed convolution produces."
                  : "No output: the filter, spread by dilation " + PairText(p.dil_h, p.dil_w) +
                        ", covers " + std::to_string(p.dil_h * (p.k_h - 1) + 1) + kTimes +
                        std::to_string(p.dil_w * (p.k_w - 1) + 1) +
                        " pixels, more than the padded input (" +
                        std::to_string(p.in_h + p.pad_top + p.pad_bottom) + kTimes +
                        std::to_string(p.in_w + p.pad_left + p.pad_right) +
                        "). Use a smaller filter or dilation, or more padding.";
  }
  if (!r.error.empty()) {
    r.output = r.activated = r.pooled = Tensor();
    return;
  }
  const std::vector<int> shape = {p.out_c, r.rows.out, r.cols.out};
  if (r.output.shape() != shape) r.output = Tensor(shape);
  if (state.transposed) {
    conv2d_transpose_forward_ref(p, state.input.data(), state.filter.data(), r.output.data());
  } else {
    conv2d_forward(p, state.input.data(), state.filter.data(), nullptr, r.output.data());
  }
  if (state.relu) {
    if (r.activated.shape() != shape) r.activated = Tensor(shape);
    relu_forward(r.output.data(), r.activated.data(), r.output.size());
  } else {
    r.activated = Tensor();
  }
  if (state.pool == PoolMode::kNone) {
    r.pooled = Tensor();
    return;
  }
  const Tensor& map = r.feature_map();
  if (Adaptive(state.pool)) {
    const AdaptivePool2dParams ap = AdaptiveParams(state, map);
    const std::vector<int> pshape = {ap.c, ap.out_h, ap.out_w};
    if (r.pooled.shape() != pshape) r.pooled = Tensor(pshape);
    if (state.pool == PoolMode::kAdaptiveMax) {
      r.argmax.resize(r.pooled.size());
      adaptive_maxpool2d_forward_ref(ap, map.data(), r.pooled.data(), r.argmax.data());
    } else {
      adaptive_avgpool2d_forward_ref(ap, map.data(), r.pooled.data());
    }
    return;
  }
  const Pool2dParams pp = PoolParams(state, map);
  r.pool_error = Pool2dValidate(pp);
  if (r.pool_error.empty() && (2 * pp.pad_top > pp.k_h || 2 * pp.pad_left > pp.k_w))
    r.pool_error =
        "the pooling padding must be at most half the window (" + PairText(pp.k_h, pp.k_w) + ")";
  if (r.pool_error.empty() && (pp.out_h() <= 0 || pp.out_w() <= 0))
    r.pool_error = "the pooling window (" + PairText(pp.k_h, pp.k_w) +
                   (pp.dil_h > 1 || pp.dil_w > 1 ? ", dilation " + PairText(pp.dil_h, pp.dil_w)
                                                 : std::string()) +
                   ") is larger than the map";
  if (!r.pool_error.empty()) {
    r.pooled = Tensor();
    return;
  }
  const std::vector<int> pshape = {pp.c, pp.out_h(), pp.out_w()};
  if (r.pooled.shape() != pshape) r.pooled = Tensor(pshape);
  if (state.pool == PoolMode::kMax) {
    r.argmax.resize(r.pooled.size());
    maxpool2d_forward(pp, map.data(), r.pooled.data(), r.argmax.data());
  } else {
    avgpool2d_forward(pp, map.data(), r.pooled.data());
  }
}

ConvCellTrace TraceConvCell(const ConvLabState& state, const ConvLabResult& result, int o, int oy,
                            int ox) {
  const Conv2dParams& p = result.params;
  const int cpg = p.in_c / p.groups, c0 = o / (p.out_c / p.groups) * cpg;
  ConvCellTrace t;
  t.o = o, t.out_y = oy, t.out_x = ox;
  t.channel_sums.assign(static_cast<size_t>(p.in_c), 0.0f);
  auto add = [&](int c, int iy, int ix, int ky, int kx, bool padded) {
    ConvTraceTerm term;
    term.c = c, term.in_y = iy, term.in_x = ix, term.k_y = ky, term.k_x = kx;
    term.padded = padded;
    term.input = padded ? 0.0f : state.input.at(c, iy, ix);
    term.weight = state.filter.at4(o, c - c0, ky, kx);
    term.product = term.input * term.weight;
    if (!padded) t.channel_sums[static_cast<size_t>(c)] += term.product;
    t.terms.push_back(term);
  };
  if (state.transposed) {
    ForEachConv2dTransposeTap(p, o, oy, ox, [&](int c, int iy, int ix, int ky, int kx) {
      add(c, iy, ix, ky, kx, false);
    });
    t.sum = conv2d_transpose_cell_ref(p, state.input.data(), state.filter.data(), o, oy, ox);
  } else {
    for (int c = c0; c < c0 + cpg; ++c) {
      for (int ky = 0; ky < p.k_h; ++ky) {
        for (int kx = 0; kx < p.k_w; ++kx) {
          const int iy = oy * p.stride_h - p.pad_top + ky * p.dil_h;
          const int ix = ox * p.stride_w - p.pad_left + kx * p.dil_w;
          add(c, iy, ix, ky, kx, iy < 0 || iy >= p.in_h || ix < 0 || ix >= p.in_w);
        }
      }
    }
    // The sum is the kernel's own value: the same terms in the same order.
    t.sum = conv2d_cell_ref(p, state.input.data(), state.filter.data(), nullptr, o, oy, ox);
  }
  // Terms grouped by channel: "(a×b + ...) + (...) = sum" when there are several.
  std::string text;
  for (int c = c0; c < c0 + cpg; ++c) {
    std::string part;
    for (const ConvTraceTerm& term : t.terms) {
      if (term.c != c) continue;
      if (!part.empty()) part += " + ";
      part += NumParen(term.input) + kTimes + NumParen(term.weight);
    }
    if (part.empty()) part = "0";
    if (!text.empty()) text += " + ";
    text += cpg > 1 || p.in_c > 1 ? "[ch" + std::to_string(c) + "] (" + part + ")" : part;
  }
  if (text.empty()) text = "0 (no input value reaches this cell)";
  t.text = text + Eq(t.sum);
  return t;
}

namespace {

// Calls fn(y, x) for every tap of pooled value (py, px) in window order; y or x is outside
// the map for a padded tap (only windowed pooling has those). Adaptive windows have none.
template <typename Fn>
void ForEachPoolTap(const ConvLabState& state, const Tensor& map, int py, int px, Fn fn) {
  const int h = map.dim(1), w = map.dim(2);
  if (Adaptive(state.pool)) {
    using A = AdaptivePool2dParams;
    for (int y = A::Start(py, h, state.pool_out_h); y < A::End(py, h, state.pool_out_h); ++y)
      for (int x = A::Start(px, w, state.pool_out_w); x < A::End(px, w, state.pool_out_w); ++x)
        fn(y, x);
    return;
  }
  const Pool2dParams pp = PoolParams(state, map);
  const int ys = py * pp.stride_h - pp.pad_top, xs = px * pp.stride_w - pp.pad_left;
  for (int ky = 0; ky < pp.k_h; ++ky) {
    const int y = ys + ky * pp.dil_h;
    if (y >= h + pp.pad_bottom) continue;  // ceil mode's overhang: not even padding
    for (int kx = 0; kx < pp.k_w; ++kx) {
      const int x = xs + kx * pp.dil_w;
      if (x >= w + pp.pad_right) continue;
      fn(y, x);
    }
  }
}

}  // namespace

std::string TracePoolCell(const ConvLabState& state, const ConvLabResult& result, int o, int py,
                          int px) {
  const Tensor& map = result.feature_map();
  const int h = map.dim(1), w = map.dim(2);
  const bool counts_pad = state.pool == PoolMode::kAvg && state.pool_count_pad;
  std::string s = IsMax(state.pool) ? "max(" : "mean(";
  int count = 0;
  ForEachPoolTap(state, map, py, px, [&](int y, int x) {
    const bool inside = y >= 0 && y < h && x >= 0 && x < w;
    if (!inside && !counts_pad) return;
    s += (count++ ? ", " : "") + (inside ? Num(map.at(o, y, x)) : std::string("0"));
  });
  return s + ")" + Eq(result.pooled.at(o, py, px));
}

void PoolWindowCells(const ConvLabState& state, const ConvLabResult& result, int py, int px,
                     std::vector<int>* cells) {
  cells->clear();
  const Tensor& map = result.feature_map();
  const int h = map.dim(1), w = map.dim(2);
  ForEachPoolTap(state, map, py, px, [&](int y, int x) {
    if (y >= 0 && y < h && x >= 0 && x < w) cells->push_back(y * w + x);
  });
}

ConvZeroStuffed ConvLabZeroStuffed(const ConvLabState& state, const ConvLabResult& result) {
  // Full stuffed grid along an axis: d(k−1) zeros, the n values s apart, d(k−1) zeros and
  // the output padding; then the first p_before and the last p_after cells cut off.
  const Conv2dParams& p = result.params;
  ConvZeroStuffed z;
  const int border_h = p.dil_h * (p.k_h - 1), border_w = p.dil_w * (p.k_w - 1);
  const int full_h = (p.in_h - 1) * p.stride_h + 1 + 2 * border_h + p.out_pad_h;
  const int full_w = (p.in_w - 1) * p.stride_w + 1 + 2 * border_w + p.out_pad_w;
  const int hh = std::max(full_h - p.pad_top - p.pad_bottom, 0);
  const int ww = std::max(full_w - p.pad_left - p.pad_right, 0);
  z.input = Tensor({p.in_c, hh, ww});
  z.kind.assign(static_cast<size_t>(hh) * ww, ConvZeroStuffed::kBorder);
  z.in_y.assign(z.kind.size(), -1);
  z.in_x.assign(z.kind.size(), -1);
  for (int y = 0; y < hh; ++y) {
    for (int x = 0; x < ww; ++x) {
      const int fy = y + p.pad_top - border_h, fx = x + p.pad_left - border_w;
      const bool inside_y = fy >= 0 && fy <= (p.in_h - 1) * p.stride_h;
      const bool inside_x = fx >= 0 && fx <= (p.in_w - 1) * p.stride_w;
      if (!inside_y || !inside_x) continue;
      const size_t i = static_cast<size_t>(y) * ww + x;
      if (fy % p.stride_h != 0 || fx % p.stride_w != 0) {
        z.kind[i] = ConvZeroStuffed::kStuffed;
        continue;
      }
      z.kind[i] = ConvZeroStuffed::kValue;
      z.in_y[i] = fy / p.stride_h, z.in_x[i] = fx / p.stride_w;
      for (int c = 0; c < p.in_c; ++c)
        z.input.at(c, y, x) = state.input.at(c, z.in_y[i], z.in_x[i]);
    }
  }
  z.filter = Tensor(state.filter.shape());
  const int o_n = state.filter.dim(0), c_n = state.filter.dim(1);
  for (int o = 0; o < o_n; ++o)
    for (int c = 0; c < c_n; ++c)
      for (int ky = 0; ky < p.k_h; ++ky)
        for (int kx = 0; kx < p.k_w; ++kx)
          z.filter.at4(o, c, ky, kx) = state.filter.at4(o, c, p.k_h - 1 - ky, p.k_w - 1 - kx);
  return z;
}

std::string ConvZeroStuffedCaption(const ConvLabState& state, const ConvLabResult& result) {
  const Conv2dParams& p = result.params;
  (void)state;
  const std::string minus = std::string(" ") + kMinus + " ";
  auto axis = [&](const char* name, int s, int d, int k, int before, int after, int a) {
    std::string t = std::string(name) + ": " + std::to_string(s) + minus +
                    "1 = " + std::to_string(s - 1) + " zero" + (s - 1 == 1 ? "" : "s") +
                    " between neighbouring values; " + std::to_string(d) + kTimes + "(" +
                    std::to_string(k) + kMinus + "1)" + minus + std::to_string(before) + " = " +
                    std::to_string(d * (k - 1) - before) + " before, " + std::to_string(d) +
                    kTimes + "(" + std::to_string(k) + kMinus + "1)" + minus +
                    std::to_string(after) + (a > 0 ? " + " + std::to_string(a) : "") + " = " +
                    std::to_string(d * (k - 1) - after + a) + " after";
    return t + " (a negative count cuts cells off).";
  };
  return "The transposed convolution is an ordinary convolution (stride 1) of this zero-stuffed "
         "input with the filter turned half a turn (flipped up-down and left-right). " +
         axis("Rows", p.stride_h, p.dil_h, p.k_h, p.pad_top, p.pad_bottom, p.out_pad_h) + " " +
         axis("Columns", p.stride_w, p.dil_w, p.k_w, p.pad_left, p.pad_right, p.out_pad_w);
}

std::string ConvParameterText(const ConvLabState& state) {
  const Tensor& f = state.filter;
  std::string t = std::to_string(f.dim(0)) + kTimes + std::to_string(f.dim(1)) + kTimes +
                  std::to_string(f.dim(2)) + kTimes + std::to_string(f.dim(3)) + " = " +
                  Count(state.parameters()) + " weights";
  if (state.groups > 1)
    t += " (groups " + std::to_string(state.groups) + ": each filter sees " +
         std::to_string(f.dim(1)) + " of the " + std::to_string(state.channels()) +
         " input channels" + (f.dim(1) == 1 ? "; depthwise" : "") + ")";
  return t;
}

// ---- share link ----------------------------------------------------------------------

std::string EncodeConvLab(const ConvLabState& state) {
  // One channel and one filter are written as plain matrices, so the course's links stay
  // as short as they were before channels existed.
  Tensor in = state.input, f = state.filter;
  if (in.rank() == 3 && in.dim(0) == 1) in.Reshape({in.dim(1), in.dim(2)});
  if (f.rank() == 4 && f.dim(0) == 1 && f.dim(1) == 1) f.Reshape({f.dim(2), f.dim(3)});
  std::string pad = PaddingName(state.padding);
  if (state.padding == PaddingMode::kExplicit) {
    const bool even = state.pad_top == state.pad_bottom && state.pad_top == state.pad_left &&
                      state.pad_top == state.pad_right;
    pad = even ? std::to_string(state.pad_top)
               : std::to_string(state.pad_top) + "," + std::to_string(state.pad_bottom) + "," +
                     std::to_string(state.pad_left) + "," + std::to_string(state.pad_right);
  }
  Link link;
  link.lab = "conv";
  link.fields = {
      {"in", FormatTensorText(in)},
      {"f", FormatTensorText(f)},
      {"pad", pad},
      {"stride", PairText(state.stride_h, state.stride_w)},
      {"dil", PairText(state.dil_h, state.dil_w)},
  };
  // Added after the first release: written only when not at their defaults.
  if (state.groups != 1) link.fields.push_back({"groups", std::to_string(state.groups)});
  if (state.transposed) link.fields.push_back({"mode", "transposed"});
  if (state.transposed && state.padding != PaddingMode::kSame &&
      (state.out_pad_h != 0 || state.out_pad_w != 0))
    link.fields.push_back({"outpad", PairText(state.out_pad_h, state.out_pad_w)});
  if (state.relu) link.fields.push_back({"act", "relu"});
  switch (state.pool) {
    case PoolMode::kNone:
      break;
    case PoolMode::kMax:
    case PoolMode::kAvg:
      link.fields.push_back({"pool", std::string(PoolName(state.pool)) + ":" +
                                         PairText(state.pool_kh, state.pool_kw) + ":" +
                                         PairText(state.pool_sh, state.pool_sw)});
      if (state.pool_pad_h != 0 || state.pool_pad_w != 0)
        link.fields.push_back({"ppad", PairText(state.pool_pad_h, state.pool_pad_w)});
      if (state.pool == PoolMode::kMax && (state.pool_dil_h != 1 || state.pool_dil_w != 1))
        link.fields.push_back({"pdil", PairText(state.pool_dil_h, state.pool_dil_w)});
      if (state.pool_ceil) link.fields.push_back({"ceil", "1"});
      if (state.pool == PoolMode::kAvg && !state.pool_count_pad)
        link.fields.push_back({"cip", "0"});
      break;
    case PoolMode::kAdaptiveMax:
    case PoolMode::kAdaptiveAvg: {
      const bool max = state.pool == PoolMode::kAdaptiveMax;
      if (state.pool_out_h == 1 && state.pool_out_w == 1) {
        link.fields.push_back({"pool", max ? "gmax" : "gavg"});
      } else {
        link.fields.push_back({"pool", std::string(max ? "amax:" : "aavg:") +
                                           std::to_string(state.pool_out_h) + "x" +
                                           std::to_string(state.pool_out_w)});
      }
      break;
    }
  }
  return link.ToString();
}

bool DecodeConvLab(const Link& link, ConvLabState* state, LinkError* error) {
  if (!CheckFieldNames(link,
                       {"in", "f", "pad", "stride", "dil", "groups", "mode", "outpad", "act",
                        "pool", "ppad", "pdil", "ceil", "cip"},
                       error))
    return false;
  using L = ConvLabLimits;
  ConvLabState s;
  std::string why;
  const std::string* in = link.Find("in");
  const std::string* f = link.Find("f");
  if (!in) return *error = {"in", "the input image is missing"}, false;
  if (!f) return *error = {"f", "the filter is missing"}, false;
  // The whole input is limited to 128x128 per channel and 4 channels; checked per
  // dimension here (rank 2: one channel), and channels below.
  const TensorLimits in_limits{2, 3, L::kMinInput, L::kMaxInput,
                               static_cast<size_t>(L::kMaxChannels * L::kMaxInput * L::kMaxInput)};
  if (!ParseTensorText(*in, in_limits, &s.input, &why)) return *error = {"in", why}, false;
  if (s.input.rank() == 2) s.input.Reshape({1, s.input.dim(0), s.input.dim(1)});
  if (s.channels() > L::kMaxChannels)
    return *error = {"in", "at most " + std::to_string(L::kMaxChannels) + " channels, not " +
                               std::to_string(s.channels())},
           false;
  const TensorLimits f_limits{
      2, 4, L::kMinFilter, L::kMaxFilters,
      static_cast<size_t>(L::kMaxFilters * L::kMaxChannels * L::kMaxFilter * L::kMaxFilter)};
  if (!ParseTensorText(*f, f_limits, &s.filter, &why)) return *error = {"f", why}, false;
  if (s.filter.rank() == 2) s.filter.Reshape({1, 1, s.filter.dim(0), s.filter.dim(1)});
  if (s.filter.rank() == 3)
    s.filter.Reshape({s.filter.dim(0), 1, s.filter.dim(1), s.filter.dim(2)});
  if (s.filter.dim(2) > L::kMaxFilter || s.filter.dim(3) > L::kMaxFilter)
    return *error = {"f", "a filter is at most " + std::to_string(L::kMaxFilter) + "x" +
                              std::to_string(L::kMaxFilter)},
           false;
  if (const std::string* v = link.Find("groups")) {
    if (!ParseInt(*v, 1, L::kMaxChannels, &s.groups, &why)) return *error = {"groups", why}, false;
    if (s.channels() % s.groups != 0 || s.filters() % s.groups != 0)
      return *error = {"groups", "groups must divide the input channels (" +
                                     std::to_string(s.channels()) + ") and the filters (" +
                                     std::to_string(s.filters()) + ")"},
             false;
  }
  if (s.filter.dim(1) != s.channels() / s.groups)
    return *error = {"f", "the filter has " + std::to_string(s.filter.dim(1)) +
                              " channels but the input has " + std::to_string(s.channels()) +
                              (s.groups > 1 ? " in " + std::to_string(s.groups) +
                                                  " groups (each filter sees " +
                                                  std::to_string(s.channels() / s.groups) + ")"
                                            : std::string()) +
                              " (write it as filters x channels x rows x columns)"},
           false;
  if (const std::string* pad = link.Find("pad")) {
    if (*pad == "valid") {
      s.padding = PaddingMode::kValid;
    } else if (*pad == "same") {
      s.padding = PaddingMode::kSame;
    } else {
      s.padding = PaddingMode::kExplicit;
      const std::string expect =
          "expected valid, same, 0.." + std::to_string(L::kMaxPad) + " or top,bottom,left,right; ";
      if (pad->find(',') == std::string::npos) {
        if (!ParseInt(*pad, 0, L::kMaxPad, &s.pad_top, &why))
          return *error = {"pad", expect + why}, false;
        s.pad_bottom = s.pad_left = s.pad_right = s.pad_top;
      } else {
        int* sides[] = {&s.pad_top, &s.pad_bottom, &s.pad_left, &s.pad_right};
        std::string_view rest = *pad;
        for (int i = 0; i < 4; ++i) {
          const size_t comma = rest.find(',');
          if ((i < 3) == (comma == std::string_view::npos))
            return *error = {"pad", expect + "four sides"}, false;
          if (!ParseInt(rest.substr(0, comma), 0, L::kMaxPad, sides[i], &why))
            return *error = {"pad", expect + why}, false;
          rest = i < 3 ? rest.substr(comma + 1) : std::string_view();
        }
      }
    }
  }
  if (const std::string* v = link.Find("stride")) {
    if (!ParsePair(*v, 1, L::kMaxStride, &s.stride_h, &s.stride_w, &why))
      return *error = {"stride", why}, false;
  }
  if (const std::string* v = link.Find("dil")) {
    if (!ParsePair(*v, 1, L::kMaxDilation, &s.dil_h, &s.dil_w, &why))
      return *error = {"dil", why}, false;
  }
  if (const std::string* v = link.Find("mode")) {
    if (*v != "conv" && *v != "transposed")
      return *error = {"mode", "expected conv or transposed"}, false;
    s.transposed = *v == "transposed";
  }
  if (const std::string* v = link.Find("outpad")) {
    if (!s.transposed || s.padding == PaddingMode::kSame)
      return *error = {"outpad",
                       "output padding is for a transposed convolution with valid or explicit "
                       "padding"},
             false;
    if (!ParsePair(*v, 0, L::kMaxStride - 1, &s.out_pad_h, &s.out_pad_w, &why))
      return *error = {"outpad", why}, false;
    if ((s.out_pad_h >= s.stride_h && s.out_pad_h >= s.dil_h) ||
        (s.out_pad_w >= s.stride_w && s.out_pad_w >= s.dil_w))
      return *error = {"outpad",
                       "the output padding must be smaller than the stride or the "
                       "dilation"},
             false;
  }
  if (const std::string* v = link.Find("act")) {
    if (*v != "none" && *v != "relu") return *error = {"act", "expected none or relu"}, false;
    s.relu = *v == "relu";
  }
  if (const std::string* v = link.Find("pool")) {
    // "none", "max:K:S" / "avg:K:S" (K, S: N or HxW), "gmax" / "gavg", "amax:HxW" / "aavg:HxW"
    const std::string expect = "expected none, max:K:S, avg:K:S, gmax, gavg, amax:HxW or aavg:HxW";
    const size_t c1 = v->find(':');
    const std::string kind = v->substr(0, c1);
    if (c1 == std::string::npos && (kind == "none" || kind == "gmax" || kind == "gavg")) {
      s.pool = kind == "none"   ? PoolMode::kNone
               : kind == "gmax" ? PoolMode::kAdaptiveMax
                                : PoolMode::kAdaptiveAvg;
    } else if ((kind == "amax" || kind == "aavg") && c1 != std::string::npos) {
      s.pool = kind == "amax" ? PoolMode::kAdaptiveMax : PoolMode::kAdaptiveAvg;
      const std::string_view size = std::string_view(*v).substr(c1 + 1);
      if (size.find('x') == std::string_view::npos)
        return *error = {"pool", "expected " + kind + ":HxW (the output's rows x columns)"}, false;
      if (!ParsePair(size, 1, L::kMaxAdaptive, &s.pool_out_h, &s.pool_out_w, &why))
        return *error = {"pool", why}, false;
    } else if ((kind == "max" || kind == "avg") && c1 != std::string::npos) {
      s.pool = kind == "max" ? PoolMode::kMax : PoolMode::kAvg;
      const size_t c2 = v->find(':', c1 + 1);
      if (c2 == std::string::npos) return *error = {"pool", "expected max:K:S or avg:K:S"}, false;
      if (!ParsePair(std::string_view(*v).substr(c1 + 1, c2 - c1 - 1), 1, L::kMaxPool, &s.pool_kh,
                     &s.pool_kw, &why) ||
          !ParsePair(std::string_view(*v).substr(c2 + 1), 1, L::kMaxPool, &s.pool_sh, &s.pool_sw,
                     &why))
        return *error = {"pool", why}, false;
    } else {
      return *error = {"pool", expect}, false;
    }
  }
  const bool windowed = Windowed(s.pool);
  if (const std::string* v = link.Find("ppad")) {
    if (!windowed) return *error = {"ppad", "pooling padding needs pool=max:K:S or avg:K:S"}, false;
    if (!ParsePair(*v, 0, L::kMaxPool / 2, &s.pool_pad_h, &s.pool_pad_w, &why))
      return *error = {"ppad", why}, false;
    if (2 * s.pool_pad_h > s.pool_kh || 2 * s.pool_pad_w > s.pool_kw)
      return *error = {"ppad", "the pooling padding must be at most half the window"}, false;
  }
  if (const std::string* v = link.Find("pdil")) {
    if (s.pool != PoolMode::kMax)
      return *error = {"pdil", "pooling dilation needs max pooling (pool=max:K:S)"}, false;
    if (!ParsePair(*v, 1, L::kMaxPoolDilation, &s.pool_dil_h, &s.pool_dil_w, &why))
      return *error = {"pdil", why}, false;
  }
  if (const std::string* v = link.Find("ceil")) {
    if (!windowed) return *error = {"ceil", "ceil mode needs pool=max:K:S or avg:K:S"}, false;
    if (*v != "0" && *v != "1") return *error = {"ceil", "expected 0 or 1"}, false;
    s.pool_ceil = *v == "1";
  }
  if (const std::string* v = link.Find("cip")) {
    if (s.pool != PoolMode::kAvg)
      return *error = {"cip", "count_include_pad needs average pooling (pool=avg:K:S)"}, false;
    if (*v != "0" && *v != "1") return *error = {"cip", "expected 0 or 1"}, false;
    s.pool_count_pad = *v == "1";
  }
  if (!CheckWrittenLength(link, EncodeConvLab(s), error)) return false;
  *state = std::move(s);
  return true;
}

std::string ConvLabToJson(const ConvLabState& state, const ConvLabResult& result) {
  constexpr size_t kMaxTracedCells = 256;
  JsonWriter j;
  auto pair = [&](const char* key, int a, int b) {
    j.Key(key).BeginArray().Int(a).Int(b).EndArray();
  };
  j.BeginObject().Key("lab").String("conv").Key("version").Int(kLinkVersion);
  j.Key("link").String(EncodeConvLab(state));
  j.Key("state").BeginObject();
  j.Key("input").TensorValue(state.input).Key("filter").TensorValue(state.filter);
  j.Key("padding").String(PaddingName(state.padding));
  j.Key("pad").BeginObject().Key("top").Int(state.pad_top).Key("bottom").Int(state.pad_bottom);
  j.Key("left").Int(state.pad_left).Key("right").Int(state.pad_right).EndObject();
  pair("stride", state.stride_h, state.stride_w);
  pair("dilation", state.dil_h, state.dil_w);
  j.Key("groups").Int(state.groups);
  j.Key("mode").String(state.transposed ? "transposed" : "conv");
  pair("output_padding", state.out_pad_h, state.out_pad_w);
  j.Key("activation").String(state.relu ? "relu" : "none");
  j.Key("pool").String(PoolName(state.pool));
  pair("pool_size", state.pool_kh, state.pool_kw);
  pair("pool_stride", state.pool_sh, state.pool_sw);
  pair("pool_padding", state.pool_pad_h, state.pool_pad_w);
  pair("pool_dilation", state.pool_dil_h, state.pool_dil_w);
  j.Key("ceil_mode").Bool(state.pool_ceil).Key("count_include_pad").Bool(state.pool_count_pad);
  pair("pool_output_size", state.pool_out_h, state.pool_out_w);
  j.EndObject();
  j.Key("result").BeginObject();
  const Conv2dParams& p = result.params;
  j.Key("parameters").Int(state.parameters());
  j.Key("padding").BeginObject().Key("top").Int(p.pad_top).Key("left").Int(p.pad_left);
  j.Key("bottom").Int(p.pad_bottom).Key("right").Int(p.pad_right).EndObject();
  pair("output_padding", p.out_pad_h, p.out_pad_w);
  j.Key("output_size").BeginObject();
  j.Key("rows").Int(result.rows.out).Key("cols").Int(result.cols.out);
  j.Key("formula").BeginArray().String(result.rows.Formula("rows"));
  j.String(result.cols.Formula("columns"));
  j.EndArray().EndObject();
  if (result.error.empty()) {
    j.Key("output").TensorValue(result.output).Key("error").Null();
    if (!result.activated.empty()) j.Key("activated").TensorValue(result.activated);
    if (state.pool != PoolMode::kNone) {
      const Tensor& map = result.feature_map();
      j.Key("pooled_size").BeginObject().Key("formula").BeginArray();
      j.String(PoolAxisFormula(state, map.dim(1), true));
      j.String(PoolAxisFormula(state, map.dim(2), false)).EndArray().EndObject();
    }
    if (!result.pooled.empty()) j.Key("pooled").TensorValue(result.pooled);
    if (!result.pool_error.empty()) j.Key("pool_error").String(result.pool_error);
    if (result.output.size() <= kMaxTracedCells) {
      j.Key("traces").BeginArray();
      for (int o = 0; o < result.output.dim(0); ++o)
        for (int y = 0; y < result.output.dim(1); ++y)
          for (int x = 0; x < result.output.dim(2); ++x)
            j.String(TraceConvCell(state, result, o, y, x).text);
      j.EndArray();
    }
  } else {
    j.Key("output").Null().Key("error").String(result.error);
  }
  j.EndObject().EndObject();
  return ToAscii(j.str());  // the JSON keeps ASCII (labs/notation.h)
}

}  // namespace nnplay
