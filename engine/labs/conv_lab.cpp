// conv_lab.cpp: the convolution lab's model and share-link fields. See conv_lab.h.
#include "labs/conv_lab.h"

#include <algorithm>
#include <cmath>

#include "json.h"
#include "link/number.h"

namespace nnplay {
namespace {

// "same" padding as TensorFlow resolves it: output ⌈n/s⌉, the odd pixel after.
void SamePadding(int n, int k, int s, int d, int* before, int* after) {
  const int out = (n + s - 1) / s;
  const int total = std::max((out - 1) * s + d * (k - 1) + 1 - n, 0);
  *before = total / 2;
  *after = total - *before;
}

ConvAxis MakeAxis(int n, int pad_before, int pad_after, int k, int s, int d) {
  ConvAxis a;
  a.n = n, a.pad_before = pad_before, a.pad_after = pad_after, a.k = k, a.stride = s;
  a.dilation = d;
  a.out = Conv2dOutExtent(n, pad_before, pad_after, k, s, d);
  return a;
}

std::string Parenthesized(float v) {
  const std::string s = FormatFloat(v);
  return v < 0 || (v == 0 && std::signbit(v)) ? "(" + s + ")" : s;
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

}  // namespace

std::string ConvAxis::Formula(const char* axis_name) const {
  const std::string pads = pad_before == pad_after
                               ? "2*" + std::to_string(pad_before)
                               : std::to_string(pad_before) + " + " + std::to_string(pad_after);
  std::string f = std::string(axis_name) + ": floor((" + std::to_string(n) + " + " + pads + " - " +
                  std::to_string(dilation) + "*(" + std::to_string(k) + "-1) - 1)/" +
                  std::to_string(stride) + ") + 1 = ";
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
  r.params = Conv2dParams();
  Conv2dParams& p = r.params;
  p.in_c = 1, p.out_c = 1;
  p.in_h = state.input.dim(0), p.in_w = state.input.dim(1);
  p.k_h = state.filter.dim(0), p.k_w = state.filter.dim(1);
  p.stride_h = p.stride_w = state.stride;
  p.dil_h = p.dil_w = state.dilation;
  switch (state.padding) {
    case PaddingMode::kValid:
      break;
    case PaddingMode::kExplicit:
      p.pad_top = p.pad_left = p.pad_bottom = p.pad_right = state.pad;
      break;
    case PaddingMode::kSame:
      SamePadding(p.in_h, p.k_h, p.stride_h, p.dil_h, &p.pad_top, &p.pad_bottom);
      SamePadding(p.in_w, p.k_w, p.stride_w, p.dil_w, &p.pad_left, &p.pad_right);
      break;
  }
  r.rows = MakeAxis(p.in_h, p.pad_top, p.pad_bottom, p.k_h, p.stride_h, p.dil_h);
  r.cols = MakeAxis(p.in_w, p.pad_left, p.pad_right, p.k_w, p.stride_w, p.dil_w);
  r.error = Conv2dValidate(p);
  if (!r.error.empty()) {
    r.output = Tensor();
    return;
  }
  if (r.rows.out == 0 || r.cols.out == 0) {
    r.error = "No output: the filter, spread by dilation " + std::to_string(p.dil_h) + ", covers " +
              std::to_string(p.dil_h * (p.k_h - 1) + 1) + "x" +
              std::to_string(p.dil_w * (p.k_w - 1) + 1) + " pixels, more than the padded input (" +
              std::to_string(p.in_h + p.pad_top + p.pad_bottom) + "x" +
              std::to_string(p.in_w + p.pad_left + p.pad_right) +
              "). Use a smaller filter or dilation, or more padding.";
    r.output = Tensor();
    return;
  }
  if (r.output.rank() != 2 || r.output.dim(0) != r.rows.out || r.output.dim(1) != r.cols.out)
    r.output = Tensor({r.rows.out, r.cols.out});
  conv2d_forward(p, state.input.data(), state.filter.data(), nullptr, r.output.data());
}

ConvCellTrace TraceConvCell(const ConvLabState& state, const ConvLabResult& result, int oy,
                            int ox) {
  const Conv2dParams& p = result.params;
  ConvCellTrace t;
  t.out_y = oy, t.out_x = ox;
  std::string text;
  for (int ky = 0; ky < p.k_h; ++ky) {
    for (int kx = 0; kx < p.k_w; ++kx) {
      ConvTraceTerm term;
      term.k_y = ky, term.k_x = kx;
      term.in_y = oy * p.stride_h - p.pad_top + ky * p.dil_h;
      term.in_x = ox * p.stride_w - p.pad_left + kx * p.dil_w;
      term.padded = term.in_y < 0 || term.in_y >= p.in_h || term.in_x < 0 || term.in_x >= p.in_w;
      term.input = term.padded ? 0.0f : state.input.at(term.in_y, term.in_x);
      term.weight = state.filter.at(ky, kx);
      term.product = term.input * term.weight;
      if (!text.empty()) text += " + ";
      text += Parenthesized(term.input) + "\xC3\x97" + Parenthesized(term.weight);  // ×
      t.terms.push_back(term);
    }
  }
  // The sum is the kernel's own value: the same terms in the same order.
  t.sum = conv2d_cell_ref(p, state.input.data(), state.filter.data(), nullptr, 0, oy, ox);
  t.text = text + " = " + FormatFloat(t.sum);
  return t;
}

// ---- share link ----------------------------------------------------------------------

std::string EncodeConvLab(const ConvLabState& state) {
  Link link;
  link.lab = "conv";
  link.fields = {
      {"in", FormatTensorText(state.input)},
      {"f", FormatTensorText(state.filter)},
      {"pad", state.padding == PaddingMode::kExplicit ? std::to_string(state.pad)
                                                      : PaddingName(state.padding)},
      {"stride", std::to_string(state.stride)},
      {"dil", std::to_string(state.dilation)},
  };
  return link.ToString();
}

bool DecodeConvLab(const Link& link, ConvLabState* state, LinkError* error) {
  if (!CheckFieldNames(link, {"in", "f", "pad", "stride", "dil"}, error)) return false;
  ConvLabState s;
  std::string why;
  const std::string* in = link.Find("in");
  const std::string* f = link.Find("f");
  if (!in) return *error = {"in", "the input image is missing"}, false;
  if (!f) return *error = {"f", "the filter is missing"}, false;
  const TensorLimits in_limits{2, 2, ConvLabLimits::kMinInput, ConvLabLimits::kMaxInput};
  if (!ParseTensorText(*in, in_limits, &s.input, &why)) return *error = {"in", why}, false;
  const TensorLimits f_limits{2, 2, ConvLabLimits::kMinFilter, ConvLabLimits::kMaxFilter};
  if (!ParseTensorText(*f, f_limits, &s.filter, &why)) return *error = {"f", why}, false;
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
    if (result.output.size() <= kMaxTracedCells) {
      j.Key("traces").BeginArray();
      for (int y = 0; y < result.output.dim(0); ++y)
        for (int x = 0; x < result.output.dim(1); ++x)
          j.String(TraceConvCell(state, result, y, x).text);
      j.EndArray();
    }
  } else {
    j.Key("output").Null().Key("error").String(result.error);
  }
  j.EndObject().EndObject();
  return j.str();
}

}  // namespace nnplay
