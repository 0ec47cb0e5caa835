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
namespace {

// "same" padding as TensorFlow resolves it: output ⌈n/s⌉ (n·s when transposed), the odd
// pixel after.
void SamePadding(int n, int k, int s, int d, bool transposed, int* before, int* after) {
  int total = 0;
  if (transposed) {
    total = std::max(d * (k - 1) + 1 - s, 0);
  } else {
    const int out = (n + s - 1) / s;
    total = std::max((out - 1) * s + d * (k - 1) + 1 - n, 0);
  }
  *before = total / 2;
  *after = total - *before;
}

ConvAxis MakeAxis(int n, int pad_before, int pad_after, int k, int s, int d, bool transposed) {
  ConvAxis a;
  a.n = n, a.pad_before = pad_before, a.pad_after = pad_after, a.k = k, a.stride = s;
  a.dilation = d, a.transposed = transposed;
  a.out = transposed ? Conv2dTransposeOutExtent(n, pad_before, pad_after, k, s, d)
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
  }
  return "none";
}

Pool2dParams PoolParams(const ConvLabState& s, const Tensor& map) {
  Pool2dParams p;
  p.c = map.dim(0), p.h = map.dim(1), p.w = map.dim(2);
  p.k_h = p.k_w = s.pool_size;
  p.stride_h = p.stride_w = s.pool_stride;
  return p;
}

// Shape checks that the types cannot express (the decoder and the view keep to them).
std::string ValidateShapes(const ConvLabState& s) {
  if (s.input.rank() != 3) return "the input must be channels x rows x columns";
  if (s.filter.rank() != 4) return "the filter must be filters x channels x rows x columns";
  if (s.filter.dim(1) != s.input.dim(0))
    return "the filter has " + std::to_string(s.filter.dim(1)) + " channels but the input has " +
           std::to_string(s.input.dim(0));
  return {};
}

}  // namespace

std::string ConvSizeRule(bool transposed) {
  const std::string minus = std::string(" ") + kMinus + " ";
  const std::string spread = std::string("d(k") + kMinus + "1)";
  if (transposed) return "(n" + std::string(kMinus) + "1)s" + minus + "2p + " + spread + " + 1";
  return kFloorL + ("(n + 2p" + minus + spread + minus + "1)/s") + kFloorR + " + 1";
}

std::string ConvAxis::Formula(const char* axis_name) const {
  // ⌊(n + 2p − d(k−1) − 1)/s⌋ + 1, or (n−1)s − 2p + d(k−1) + 1, with the numbers in.
  const std::string minus = std::string(" ") + kMinus + " ";
  const std::string pads = pad_before == pad_after
                               ? "2" + std::string(kTimes) + std::to_string(pad_before)
                               : std::to_string(pad_before) + " + " + std::to_string(pad_after);
  const std::string spread =
      std::to_string(dilation) + kTimes + "(" + std::to_string(k) + kMinus + "1)";
  std::string f = std::string(axis_name) + ": ";
  if (transposed) {
    f += "(" + std::to_string(n) + kMinus + "1)" + kTimes + std::to_string(stride) + minus + pads +
         " + " + spread + " + 1 = ";
    return f + (out > 0 ? std::to_string(out) : "none (padding removes every row)");
  }
  f += kFloorL + ("(" + std::to_string(n) + " + " + pads + minus + spread + minus + "1)/") +
       std::to_string(stride) + kFloorR + " + 1 = ";
  if (out > 0) return f + std::to_string(out);
  return f + "none (the filter spans " + std::to_string(dilation * (k - 1) + 1) +
         " but the padded input has " + std::to_string(n + pad_before + pad_after) + ")";
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
  p.in_c = state.channels(), p.out_c = state.filters();
  p.in_h = state.input.dim(1), p.in_w = state.input.dim(2);
  p.k_h = state.filter.dim(2), p.k_w = state.filter.dim(3);
  p.stride_h = p.stride_w = state.stride;
  p.dil_h = p.dil_w = state.dilation;
  switch (state.padding) {
    case PaddingMode::kValid:
      break;
    case PaddingMode::kExplicit:
      p.pad_top = p.pad_left = p.pad_bottom = p.pad_right = state.pad;
      break;
    case PaddingMode::kSame:
      SamePadding(p.in_h, p.k_h, p.stride_h, p.dil_h, state.transposed, &p.pad_top, &p.pad_bottom);
      SamePadding(p.in_w, p.k_w, p.stride_w, p.dil_w, state.transposed, &p.pad_left, &p.pad_right);
      break;
  }
  r.rows = MakeAxis(p.in_h, p.pad_top, p.pad_bottom, p.k_h, p.stride_h, p.dil_h, state.transposed);
  r.cols = MakeAxis(p.in_w, p.pad_left, p.pad_right, p.k_w, p.stride_w, p.dil_w, state.transposed);
  r.error = Conv2dValidate(p);
  if (r.error.empty() && (r.rows.out == 0 || r.cols.out == 0)) {
    r.error = state.transposed
                  ? "No output: the padding (" + std::to_string(p.pad_top + p.pad_bottom) +
                        " rows, " + std::to_string(p.pad_left + p.pad_right) +
                        " columns) removes more than the transposed convolution produces."
                  : "No output: the filter, spread by dilation " + std::to_string(p.dil_h) +
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
  const Pool2dParams pp = PoolParams(state, map);
  r.pool_error = Pool2dValidate(pp);
  if (r.pool_error.empty() && (pp.out_h() <= 0 || pp.out_w() <= 0))
    r.pool_error = "the pooling window (" + std::to_string(pp.k_h) + ") is larger than the map";
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
  ConvCellTrace t;
  t.o = o, t.out_y = oy, t.out_x = ox;
  t.channel_sums.assign(static_cast<size_t>(p.in_c), 0.0f);
  auto add = [&](int c, int iy, int ix, int ky, int kx, bool padded) {
    ConvTraceTerm term;
    term.c = c, term.in_y = iy, term.in_x = ix, term.k_y = ky, term.k_x = kx;
    term.padded = padded;
    term.input = padded ? 0.0f : state.input.at(c, iy, ix);
    term.weight = state.filter.at4(o, c, ky, kx);
    term.product = term.input * term.weight;
    if (!padded) t.channel_sums[static_cast<size_t>(c)] += term.product;
    t.terms.push_back(term);
  };
  if (state.transposed) {
    ForEachConv2dTransposeTap(
        p, oy, ox, [&](int c, int iy, int ix, int ky, int kx) { add(c, iy, ix, ky, kx, false); });
    t.sum = conv2d_transpose_cell_ref(p, state.input.data(), state.filter.data(), o, oy, ox);
  } else {
    for (int c = 0; c < p.in_c; ++c) {
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
  for (int c = 0; c < p.in_c; ++c) {
    std::string part;
    for (const ConvTraceTerm& term : t.terms) {
      if (term.c != c) continue;
      if (!part.empty()) part += " + ";
      part += NumParen(term.input) + kTimes + NumParen(term.weight);
    }
    if (part.empty()) part = "0";
    if (!text.empty()) text += " + ";
    text += p.in_c > 1 ? "[ch" + std::to_string(c) + "] (" + part + ")" : part;
  }
  if (text.empty()) text = "0 (no input value reaches this cell)";
  t.text = text + Eq(t.sum);
  return t;
}

std::string TracePoolCell(const ConvLabState& state, const ConvLabResult& result, int o, int py,
                          int px) {
  const Tensor& map = result.feature_map();
  const Pool2dParams pp = PoolParams(state, map);
  std::string s = state.pool == PoolMode::kMax ? "max(" : "mean(";
  int count = 0;
  for (int ky = 0; ky < pp.k_h; ++ky) {
    for (int kx = 0; kx < pp.k_w; ++kx) {
      const int y = py * pp.stride_h + ky, x = px * pp.stride_w + kx;
      if (y >= pp.h || x >= pp.w) continue;
      s += (count++ ? ", " : "") + Num(map.at(o, y, x));
    }
  }
  return s + ")" + Eq(result.pooled.at(o, py, px));
}

// ---- share link ----------------------------------------------------------------------

std::string EncodeConvLab(const ConvLabState& state) {
  // One channel and one filter are written as plain matrices, so the course's links stay
  // as short as they were before channels existed.
  Tensor in = state.input, f = state.filter;
  if (in.rank() == 3 && in.dim(0) == 1) in.Reshape({in.dim(1), in.dim(2)});
  if (f.rank() == 4 && f.dim(0) == 1 && f.dim(1) == 1) f.Reshape({f.dim(2), f.dim(3)});
  Link link;
  link.lab = "conv";
  link.fields = {
      {"in", FormatTensorText(in)},
      {"f", FormatTensorText(f)},
      {"pad", state.padding == PaddingMode::kExplicit ? std::to_string(state.pad)
                                                      : PaddingName(state.padding)},
      {"stride", std::to_string(state.stride)},
      {"dil", std::to_string(state.dilation)},
  };
  // Added after the first release: written only when not at their defaults.
  if (state.transposed) link.fields.push_back({"mode", "transposed"});
  if (state.relu) link.fields.push_back({"act", "relu"});
  if (state.pool != PoolMode::kNone)
    link.fields.push_back({"pool", std::string(PoolName(state.pool)) + ":" +
                                       std::to_string(state.pool_size) + ":" +
                                       std::to_string(state.pool_stride)});
  return link.ToString();
}

bool DecodeConvLab(const Link& link, ConvLabState* state, LinkError* error) {
  if (!CheckFieldNames(link, {"in", "f", "pad", "stride", "dil", "mode", "act", "pool"}, error))
    return false;
  ConvLabState s;
  std::string why;
  const std::string* in = link.Find("in");
  const std::string* f = link.Find("f");
  if (!in) return *error = {"in", "the input image is missing"}, false;
  if (!f) return *error = {"f", "the filter is missing"}, false;
  // The whole input is limited to 128x128 per channel and 4 channels; checked per
  // dimension here (rank 2: one channel), and channels below.
  const TensorLimits in_limits{
      2, 3, ConvLabLimits::kMinInput, ConvLabLimits::kMaxInput,
      static_cast<size_t>(ConvLabLimits::kMaxChannels * ConvLabLimits::kMaxInput *
                          ConvLabLimits::kMaxInput)};
  if (!ParseTensorText(*in, in_limits, &s.input, &why)) return *error = {"in", why}, false;
  if (s.input.rank() == 2) s.input.Reshape({1, s.input.dim(0), s.input.dim(1)});
  if (s.channels() > ConvLabLimits::kMaxChannels)
    return *error = {"in", "at most " + std::to_string(ConvLabLimits::kMaxChannels) +
                               " channels, not " + std::to_string(s.channels())},
           false;
  const TensorLimits f_limits{
      2, 4, ConvLabLimits::kMinFilter, ConvLabLimits::kMaxFilters,
      static_cast<size_t>(ConvLabLimits::kMaxFilters * ConvLabLimits::kMaxChannels *
                          ConvLabLimits::kMaxFilter * ConvLabLimits::kMaxFilter)};
  if (!ParseTensorText(*f, f_limits, &s.filter, &why)) return *error = {"f", why}, false;
  if (s.filter.rank() == 2) s.filter.Reshape({1, 1, s.filter.dim(0), s.filter.dim(1)});
  if (s.filter.rank() == 3)
    s.filter.Reshape({s.filter.dim(0), 1, s.filter.dim(1), s.filter.dim(2)});
  if (s.filter.dim(2) > ConvLabLimits::kMaxFilter || s.filter.dim(3) > ConvLabLimits::kMaxFilter)
    return *error = {"f", "a filter is at most " + std::to_string(ConvLabLimits::kMaxFilter) + "x" +
                              std::to_string(ConvLabLimits::kMaxFilter)},
           false;
  if (s.filter.dim(1) != s.channels())
    return *error = {"f", "the filter has " + std::to_string(s.filter.dim(1)) +
                              " channels but the input has " + std::to_string(s.channels()) +
                              " (write it as filters x channels x rows x columns)"},
           false;
  if (const std::string* pad = link.Find("pad")) {
    if (*pad == "valid") {
      s.padding = PaddingMode::kValid;
    } else if (*pad == "same") {
      s.padding = PaddingMode::kSame;
    } else {
      s.padding = PaddingMode::kExplicit;
      if (!ParseInt(*pad, 0, ConvLabLimits::kMaxPad, &s.pad, &why))
        return *error = {"pad", "expected valid, same or 0.." +
                                    std::to_string(ConvLabLimits::kMaxPad) + "; " + why},
               false;
    }
  }
  if (const std::string* v = link.Find("stride")) {
    if (!ParseInt(*v, 1, ConvLabLimits::kMaxStride, &s.stride, &why))
      return *error = {"stride", why}, false;
  }
  if (const std::string* v = link.Find("dil")) {
    if (!ParseInt(*v, 1, ConvLabLimits::kMaxDilation, &s.dilation, &why))
      return *error = {"dil", why}, false;
  }
  if (const std::string* v = link.Find("mode")) {
    if (*v != "conv" && *v != "transposed")
      return *error = {"mode", "expected conv or transposed"}, false;
    s.transposed = *v == "transposed";
  }
  if (const std::string* v = link.Find("act")) {
    if (*v != "none" && *v != "relu") return *error = {"act", "expected none or relu"}, false;
    s.relu = *v == "relu";
  }
  if (const std::string* v = link.Find("pool")) {
    // "none", or "max:K:S" / "avg:K:S"
    const size_t c1 = v->find(':');
    const std::string kind = v->substr(0, c1);
    if (kind == "none" && c1 == std::string::npos) {
      s.pool = PoolMode::kNone;
    } else if ((kind == "max" || kind == "avg") && c1 != std::string::npos) {
      s.pool = kind == "max" ? PoolMode::kMax : PoolMode::kAvg;
      const size_t c2 = v->find(':', c1 + 1);
      if (c2 == std::string::npos) return *error = {"pool", "expected max:K:S or avg:K:S"}, false;
      if (!ParseInt(std::string_view(*v).substr(c1 + 1, c2 - c1 - 1), 1, ConvLabLimits::kMaxPool,
                    &s.pool_size, &why) ||
          !ParseInt(std::string_view(*v).substr(c2 + 1), 1, ConvLabLimits::kMaxPool, &s.pool_stride,
                    &why))
        return *error = {"pool", why}, false;
    } else {
      return *error = {"pool", "expected none, max:K:S or avg:K:S"}, false;
    }
  }
  if (!CheckWrittenLength(link, EncodeConvLab(s), error)) return false;
  *state = std::move(s);
  return true;
}

std::string ConvLabToJson(const ConvLabState& state, const ConvLabResult& result) {
  constexpr size_t kMaxTracedCells = 256;
  JsonWriter j;
  j.BeginObject().Key("lab").String("conv").Key("version").Int(kLinkVersion);
  j.Key("link").String(EncodeConvLab(state));
  j.Key("state").BeginObject();
  j.Key("input").TensorValue(state.input).Key("filter").TensorValue(state.filter);
  j.Key("padding").String(PaddingName(state.padding)).Key("pad").Int(state.pad);
  j.Key("stride").Int(state.stride).Key("dilation").Int(state.dilation);
  j.Key("mode").String(state.transposed ? "transposed" : "conv");
  j.Key("activation").String(state.relu ? "relu" : "none");
  j.Key("pool").String(PoolName(state.pool));
  j.Key("pool_size").Int(state.pool_size).Key("pool_stride").Int(state.pool_stride);
  j.EndObject();
  j.Key("result").BeginObject();
  const Conv2dParams& p = result.params;
  j.Key("padding").BeginObject().Key("top").Int(p.pad_top).Key("left").Int(p.pad_left);
  j.Key("bottom").Int(p.pad_bottom).Key("right").Int(p.pad_right).EndObject();
  j.Key("output_size").BeginObject();
  j.Key("rows").Int(result.rows.out).Key("cols").Int(result.cols.out);
  j.Key("formula").BeginArray().String(result.rows.Formula("rows"));
  j.String(result.cols.Formula("columns"));
  j.EndArray().EndObject();
  if (result.error.empty()) {
    j.Key("output").TensorValue(result.output).Key("error").Null();
    if (!result.activated.empty()) j.Key("activated").TensorValue(result.activated);
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
