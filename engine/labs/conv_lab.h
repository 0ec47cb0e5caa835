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
enum class PoolMode { kNone, kMax, kAvg };

struct ConvLabLimits {
  static constexpr int kMinInput = 1, kMaxInput = 128;  // per side
  static constexpr int kMaxChannels = 4;                // input channels
  static constexpr int kMinFilter = 1, kMaxFilter = 7;  // per side
  static constexpr int kMaxFilters = 8;                 // output channels
  static constexpr int kMaxPad = 3;
  static constexpr int kMaxStride = 4;
  static constexpr int kMaxDilation = 3;
  static constexpr int kMaxPool = 4;  // pooling window and stride
};

struct ConvLabState {
  Tensor input;   // [C, H, W]
  Tensor filter;  // [O, C, KH, KW]: filter o, input channel c
  PaddingMode padding = PaddingMode::kValid;
  int pad = 0;              // used when padding == kExplicit
  int stride = 1;           // both axes
  int dilation = 1;         // both axes
  bool transposed = false;  // a transposed convolution (input spread over the output)
  bool relu = false;        // ReLU after the convolution
  PoolMode pool = PoolMode::kNone;
  int pool_size = 2, pool_stride = 2;

  int channels() const { return input.dim(0); }
  int filters() const { return filter.dim(0); }
  bool operator==(const ConvLabState& o) const {
    return input == o.input && filter == o.filter && padding == o.padding && pad == o.pad &&
           stride == o.stride && dilation == o.dilation && transposed == o.transposed &&
           relu == o.relu && pool == o.pool && pool_size == o.pool_size &&
           pool_stride == o.pool_stride;
  }
  bool operator!=(const ConvLabState& o) const { return !(*this == o); }
};

// One axis of the output size: ⌊(n + p₁ + p₂ − d(k−1) − 1)/s⌋ + 1 for a convolution,
// (n − 1)s − p₁ − p₂ + d(k−1) + 1 for a transposed one.
struct ConvAxis {
  int n = 0, pad_before = 0, pad_after = 0, k = 0, dilation = 1, stride = 1;
  bool transposed = false;
  int out = 0;  // 0 when no output fits

  // The formula with the numbers plugged in (display text, labs/notation.h), e.g.
  // "rows: ⌊(6 + 2×0 − 1×(3−1) − 1)/1⌋ + 1 = 4"; the JSON writes its ToAscii(),
  // "rows: floor((6 + 2*0 - 1*(3-1) - 1)/1) + 1 = 4". Built on demand, not per recompute.
  std::string Formula(const char* axis_name) const;
};

// The output-size rule in letters (display text): "⌊(n + 2p − d(k−1) − 1)/s⌋ + 1", or
// "(n−1)s − 2p + d(k−1) + 1" for a transposed convolution.
std::string ConvSizeRule(bool transposed);

struct ConvLabResult {
  Conv2dParams params;      // what the kernel ran with (padding resolved)
  ConvAxis rows, cols;      // the output size, per axis
  Tensor output;            // [O, OH, OW]; empty when there is no valid output
  Tensor activated;         // [O, OH, OW] after ReLU; empty without ReLU
  Tensor pooled;            // [O, PH, PW]; empty without pooling (or when it does not fit)
  std::string error;        // why there is no output, for the user; empty otherwise
  std::string pool_error;   // why there is no pooled map
  std::vector<int> argmax;  // max pooling: where each pooled value came from

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
// "max(30, 30, 0, 30) = 30" (display text): the pooled value (o, py, px) from its window.
std::string TracePoolCell(const ConvLabState& state, const ConvLabResult& result, int o, int py,
                          int px);

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
