// conv_lab.h: the convolution lab's model. State (an input image, a filter, padding,
// stride, dilation) → result (the output feature map, the resolved padding, the output
// size formula) and, for any output cell, the arithmetic that produced it.
//
// The view in web/ only draws what this computes. Limits below are the UI's and the
// share link's: the decoder rejects anything outside them before allocating.
//
// Presets for this lab live in conv_presets.cpp, beside the math.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "kernels/conv2d.h"
#include "kernels/conv2d_transpose.h"
#include "labs/registry.h"
#include "link/link.h"
#include "tensor.h"

namespace nnplay {

enum class PaddingMode { kValid, kSame, kExplicit };
// Pooling after the (activated) convolution: a window K_h×K_w moved by a stride (max or
// average), or adaptive (torch's adaptive_*_pool2d: the map cut into an output-sized grid
// of windows; a 1×1 output is global pooling).
enum class PoolMode { kNone, kMax, kAvg, kAdaptiveMax, kAdaptiveAvg };

struct ConvLabLimits {
  static constexpr int kMinInput = 1, kMaxInput = 128;  // per side
  static constexpr int kMaxChannels = 4;                // input channels
  static constexpr int kMinFilter = 1, kMaxFilter = 7;  // per side
  static constexpr int kMaxFilters = 8;                 // output channels
  static constexpr int kMaxPad = 4;                     // explicit padding, per side
  static constexpr int kMaxStride = 4;                  // per axis
  static constexpr int kMaxDilation = 3;                // per axis
  static constexpr int kMaxPool = 7;                    // pooling window and stride, per axis
  static constexpr int kMaxPoolDilation = 3;            // max pooling, per axis
  static constexpr int kMaxAdaptive = 32;               // adaptive pooling's output, per side
};

struct ConvLabState {
  Tensor input;   // [C, H, W]
  Tensor filter;  // [O, C / groups, KH, KW]: filter o, input channel c of o's group
  PaddingMode padding = PaddingMode::kValid;
  // Used when padding == kExplicit, 0..kMaxPad each (PyTorch pads each side separately
  // with F.pad; conv2d's padding=(p_h, p_w) is top = bottom, left = right).
  int pad_top = 0, pad_bottom = 0, pad_left = 0, pad_right = 0;
  int stride_h = 1, stride_w = 1;
  int dil_h = 1, dil_w = 1;
  // Groups of channels: filter o sees only the input channels of its group; groups must
  // divide the input channels and the filters (depthwise: groups = input channels).
  int groups = 1;
  bool transposed = false;  // a transposed convolution (input spread over the output)
  // Transposed convolution with valid or explicit padding: PyTorch's output_padding, rows
  // and columns added after the last (each smaller than the stride or the dilation).
  int out_pad_h = 0, out_pad_w = 0;
  bool relu = false;  // ReLU after the convolution
  PoolMode pool = PoolMode::kNone;
  int pool_kh = 2, pool_kw = 2, pool_sh = 2, pool_sw = 2;  // window, stride (max, avg)
  int pool_pad_h = 0, pool_pad_w = 0;  // each side, at most half the window (max, avg)
  int pool_dil_h = 1, pool_dil_w = 1;  // max pooling only
  bool pool_ceil = false;              // ceil mode: a last partial window (max, avg)
  bool pool_count_pad = true;          // average: padded cells count in the divisor
  int pool_out_h = 1, pool_out_w = 1;  // adaptive pooling's output size (1×1: global)

  int channels() const { return input.dim(0); }
  int filters() const { return filter.dim(0); }
  // Learned weights: O × (C / groups) × KH × KW (the lab has no bias).
  long long parameters() const { return static_cast<long long>(filter.size()); }
  bool operator==(const ConvLabState& o) const;
  bool operator!=(const ConvLabState& o) const { return !(*this == o); }
};

// One axis of the output size: ⌊(n + p₁ + p₂ − d(k−1) − 1)/s⌋ + 1 for a convolution,
// (n − 1)s − p₁ − p₂ + d(k−1) + a + 1 for a transposed one (a: output padding).
struct ConvAxis {
  int n = 0, pad_before = 0, pad_after = 0, k = 0, dilation = 1, stride = 1;
  int out_pad = 0;
  bool transposed = false;
  int out = 0;  // 0 when no output fits

  // The formula with the numbers plugged in (display text, labs/notation.h), e.g.
  // "rows: ⌊(6 + 2×0 − 1×(3−1) − 1)/1⌋ + 1 = 4"; the JSON writes its ToAscii(),
  // "rows: floor((6 + 2*0 - 1*(3-1) - 1)/1) + 1 = 4". Built on demand, not per recompute.
  std::string Formula(const char* axis_name) const;
};

// The output-size rule in letters (display text): "⌊(n + 2p − d(k−1) − 1)/s⌋ + 1", or
// "(n−1)s − 2p + d(k−1) + 1" for a transposed convolution ("… + a + 1" with output
// padding).
std::string ConvSizeRule(bool transposed, bool output_padding = false);

// One axis of the pooled size, e.g. "rows: ⌊(4 + 2×0 − 1×(2−1) − 1)/2⌋ + 1 = 2" (⌈…⌉ in
// ceil mode, with the rule that a last window must start inside the map or its leading
// padding), or "rows: adaptive, 3 windows" (display text).
std::string PoolAxisFormula(const ConvLabState& state, int n, bool rows);

struct ConvLabResult {
  Conv2dParams params;      // what the kernel ran with (padding resolved)
  ConvAxis rows, cols;      // the output size, per axis
  Tensor output;            // [O, OH, OW]; empty when there is no valid output
  Tensor activated;         // [O, OH, OW] after ReLU; empty without ReLU
  Tensor pooled;            // [O, PH, PW]; empty without pooling (or when it does not fit)
  std::string error;        // why there is no output, for the user; empty otherwise
  std::string pool_error;   // why there is no pooled map
  std::vector<int> argmax;  // max pooling: where each pooled value came from (in the plane)

  // The map pooling and ReLU read: the output, or its ReLU.
  const Tensor& feature_map() const { return activated.empty() ? output : activated; }
};

// One term of an output cell's sum. Convolution taps that fall on padding are listed
// (their input is 0) so the view can show them; in_y/in_x are then outside the input.
struct ConvTraceTerm {
  int c = 0;               // input channel
  int in_y = 0, in_x = 0;  // input position
  int k_y = 0, k_x = 0;    // filter position
  float input = 0, weight = 0, product = 0;
  bool padded = false;
};

struct ConvCellTrace {
  int o = 0, out_y = 0, out_x = 0;
  std::vector<ConvTraceTerm> terms;  // by channel, then in filter order (row-major)
  std::vector<float> channel_sums;   // one per input channel
  float sum = 0;                     // equals the output value
  std::string text;                  // "10×1 + 10×0 + 0×(−1) + … = 30" (display text)
};

ConvLabState ConvLabDefault();  // the E9 vertical-edge example
ConvLabResult EvaluateConvLab(const ConvLabState& state);
// The same, reusing `result`'s storage: no allocation when the shapes are unchanged
// (what the page does on every edit).
void EvaluateConvLab(const ConvLabState& state, ConvLabResult* result);
// The arithmetic of output cell (o, oy, ox); requires a result with an output.
ConvCellTrace TraceConvCell(const ConvLabState& state, const ConvLabResult& result, int o, int oy,
                            int ox);
// "max(30, 30, 0, 30) = 30" or "(30 + 30 + 0 + 0)/4 = 15" (display text): the pooled value
// (o, py, px) from its window (padded cells show as 0 where an average counts them).
std::string TracePoolCell(const ConvLabState& state, const ConvLabResult& result, int o, int py,
                          int px);
// The cells of the feature map that pooled value (py, px) reads, row-major, in the order the
// trace lists them (the view outlines them). Padded taps are left out.
void PoolWindowCells(const ConvLabState& state, const ConvLabResult& result, int py, int px,
                     std::vector<int>* cells);

// The "zero-stuffed input" that explains a transposed convolution: the input with s − 1
// zeros between neighbouring values, d(k−1) zeros around it (then cropped by the padding,
// plus the output padding's rows and columns after), convolved with the filter turned by
// 180° at stride 1 (same dilation, same groups), gives the transposed convolution's output.
struct ConvZeroStuffed {
  Tensor input;   // [C, H', W'] the stuffed, padded input
  Tensor filter;  // [O, C / groups, KH, KW] the filter turned by 180°
  // Per cell of one plane of `input`: kValue (an input value, from in_y/in_x), kStuffed (a
  // zero between input values) or kBorder (a zero around them).
  enum Kind : unsigned char { kValue, kStuffed, kBorder };
  std::vector<unsigned char> kind;  // [H' × W']
  std::vector<int> in_y, in_x;      // [H' × W']; −1 unless kValue
};
// Requires a transposed state whose result has an output.
ConvZeroStuffed ConvLabZeroStuffed(const ConvLabState& state, const ConvLabResult& result);
// What the zero-stuffed picture shows, with this state's numbers (display text): "2 − 1 = 1
// zero between neighbouring values, 1×(3−1) − 0 = 2 around …".
std::string ConvZeroStuffedCaption(const ConvLabState& state, const ConvLabResult& result);
// The weight count (display text): "2×1×3×3 = 18 weights", with "(groups 2: each filter
// sees 1 of the 2 input channels)" when grouped.
std::string ConvParameterText(const ConvLabState& state);

// ---- share link ----------------------------------------------------------------------
std::string EncodeConvLab(const ConvLabState& state);  // "v1/conv?in=...&f=...&..."
// Decodes the fields of a parsed link whose lab is "conv". Missing optional fields take
// their defaults (pad=valid, stride=1, dil=1, mode=conv, act=none, pool=none); `in` and
// `f` are required.
bool DecodeConvLab(const Link& link, ConvLabState* state, LinkError* error);

// The state and result as JSON: {"lab":"conv","link":...,"state":{...},"result":{...}}.
std::string ConvLabToJson(const ConvLabState& state, const ConvLabResult& result);

// ---- presets (conv_presets.cpp) ------------------------------------------------------
struct ConvFilterPreset {
  const char* id;
  const char* title;
  int size;                   // square, size × size
  std::vector<float> values;  // row-major; applied to every input channel
};
struct ConvInputPreset {
  const char* id;
  const char* title;
  float (*value)(int y, int x, int h, int w);  // fills any size
};
const std::vector<ConvFilterPreset>& ConvFilterPresets();
const std::vector<ConvInputPreset>& ConvInputPresets();
void ApplyFilterPreset(const ConvFilterPreset& preset, ConvLabState* state);
// Keeps the input's size, refills every channel.
void ApplyInputPreset(const ConvInputPreset& preset, ConvLabState* state);
// Replaces the input with an image (RGBA bytes, w × h, row-major), keeping the channel
// count: 3 channels take R, G, B; any other count takes the luma 0.299R + 0.587G + 0.114B
// in every channel. Values are whole numbers 0..255, so they stay exact in links.
void SetInputFromImage(const unsigned char* rgba, int w, int h, ConvLabState* state);
// The lab's presets with their links (E9, each filter and input preset, channels, pooling,
// transposed convolution), for the gallery and `nnplay presets`.
std::vector<PresetInfo> ConvLabPresets();

}  // namespace nnplay
